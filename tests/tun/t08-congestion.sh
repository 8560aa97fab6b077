# Chapter 8: congestion control against Linux, through loss.  At 1% and
# then 5% loss (and 5 ms of delay each way), applied by the stack's own
# impairment layer in both directions, the stack (NewReno, the default)
# sends to a Linux listener with --connect send:BYTES@ADDR:PORT (4 MiB at
# 1%, 2 MiB at 5%), and Linux, sending with CUBIC whatever the host's
# default (congctl on the route), uploads as much to the stack's sink.
# Each transfer is byte-exact (the SHA-256 the stack prints is that of
# what nc received; the sink's is that of what nc sent).  The stack's
# --trace-cwnd file shows its congestion control at work on the
# connection that sends: the window fell at least once and ssthresh was
# set (non-zero).  figures/cwnd.gp plots that trace (its times taken from
# the connection's first line: the stack stamps them with its monotonic
# clock) into an SVG and a PDF; the SVG's cwnd curve has points enough to
# be a curve.  Linux's own counters (/proc/net/snmp and netstat in the
# namespace) show that it retransmitted to the stack.  The rates printed
# are those the stack measured: the send connection's first to last trace
# line, the sink's own time.
. tests/tun/lib.sh
command -v gnuplot > /dev/null || fail "gnuplot is missing (tools/deps installs gnuplot-nox)"
HOST_CC=
grep -qw cubic /proc/sys/net/ipv4/tcp_available_congestion_control 2>/dev/null && HOST_CC=cubic
report=
for loss in 1 5; do
	SIZE=$((loss == 1 ? 4194304 : 2097152))
	head -c "$SIZE" /dev/urandom > "$WORK/up"
	up_hash=$(sha256sum "$WORK/up" | cut -d' ' -f1)
	LISTEN="5000 $WORK/got" \
	start_stack --addr "$STACK_ADDR" --rto-min 200 --serve sink:9000 \
		--impair "loss=$loss%,delay=5ms,seed=$((loss + 7))" --trace-cwnd "$WORK/trace" \
		--connect "send:$SIZE@$LINUX_ADDR:5000"
	[ -z "$HOST_CC" ] || in_ns ip route replace 10.0.0.0/24 dev "$DEV" congctl "$HOST_CC" ||
		fail "cannot set congctl $HOST_CC on the route to the stack"
	wait_listener "at $loss% loss"
	for _ in $(seq 50); do grep -q '^send:' "$WORK/stack.out" && break; sleep 0.1; done
	sent=$(sed -n "s/^send: $SIZE bytes to .* sha256 \([0-9a-f]*\)$/\1/p" "$WORK/stack.out")
	got=$(sha256sum "$WORK/got" | cut -d' ' -f1)
	[ -n "$sent" ] || fail "the stack did not report sending $SIZE bytes at $loss% loss"
	[ "$sent" = "$got" ] ||
		fail "at $loss% loss Linux received $(stat -c %s "$WORK/got") bytes, sha256 $got; the stack sent $sent"
	# Linux sends
	in_ns timeout 60 nc -N "$STACK_ADDR" 9000 < "$WORK/up" > /dev/null || fail "the upload failed at $loss% loss"
	for _ in $(seq 50); do grep -q '^sink:' "$WORK/stack.out" && break; sleep 0.1; done
	stop_stack
	sink=$(grep '^sink:' "$WORK/stack.out")
	echo "$sink" | grep -q "sent $SIZE bytes sha256 $up_hash in" || fail "upload at $loss% loss: '$sink'"
	up_rate=$(echo "$sink" | awk -v n="$SIZE" '{ printf "%.1f", n * 8 / $(NF - 1) / 1e6 }')
	linux_rtx=$(in_ns awk '$1 == "Tcp:" { if (!n++) for (i = 2; i <= NF; i++) col[$i] = i; else print $col["RetransSegs"] }' /proc/net/snmp)
	linux_rec=$(in_ns awk '$1 == "TcpExt:" { if (!n++) for (i = 2; i <= NF; i++) col[$i] = i;
		else print $col["TCPRenoRecovery"] + $col["TCPSackRecovery"] }' /proc/net/netstat)
	[ "${linux_rtx:-0}" -gt 0 ] || fail "Linux counted no retransmitted segments uploading through $loss% loss"

	# the trace of the connection that sent: the local port of its first line
	port=$(awk '$1 == "cwnd" && $3 != 9000 { print $3; exit }' "$WORK/trace")
	[ -n "$port" ] || fail "no line in the cwnd trace for the sending connection at $loss% loss"
	awk -v p="$port" '$1 == "cwnd" && $3 == p' "$WORK/trace" > "$WORK/flow"
	# falls of cwnd; changes of ssthresh to a new finite value (a loss
	# episode each, unless two happen to halve to the same figure); the
	# largest window; the rate from the first line to the last
	awk '
		NR == 1 { t0 = $2 }
		NR > 1 && $4 < cwnd { falls++ }
		$5 > 0 && $5 != ss { episodes++; ss = $5 }
		$4 > top { top = $4 }
		{ cwnd = $4; t1 = $2 }
		END { printf "%d %d %d %.3f\n", falls, episodes, top, t1 - t0 }' "$WORK/flow" > "$WORK/counts"
	read falls episodes top secs < "$WORK/counts"
	[ "$falls" -ge 1 ] || fail "at $loss% loss the stack's cwnd never fell ($(wc -l < "$WORK/flow") trace lines)"
	[ "$episodes" -ge 1 ] || fail "at $loss% loss the stack never set ssthresh"
	down_rate=$(awk -v n="$SIZE" -v s="$secs" 'BEGIN { printf "%.1f", (s > 0 ? n * 8 / s / 1e6 : 0) }')
	frx=$(awk '/fast retransmits/ { print $5 }' "$WORK/stack.out")
	rto=$(awk '/retransmission timeouts/ { print $1 }' "$WORK/stack.out")

	# the figure: times from the connection's first line
	awk 'NR == 1 { t0 = $2 } { $2 = sprintf("%.6f", $2 - t0); print }' "$WORK/flow" > "$WORK/rel"
	gnuplot -e "data='$WORK/rel'; out='$WORK/cwnd-$loss'" -e "flow=$port" figures/cwnd.gp \
		> "$WORK/gnuplot.out" 2>&1 || fail "gnuplot failed: $(head -5 "$WORK/gnuplot.out")"
	[ -s "$WORK/cwnd-$loss.svg" ] && [ -s "$WORK/cwnd-$loss.pdf" ] || fail "figures/cwnd.gp wrote no SVG or no PDF"
	# the points of the cwnd curve: the path after its title
	pts=$(awk '/<title>cwnd<\/title>/ { on = 1 } /<title>ssthresh<\/title>/ { on = 0 }
		on { n += gsub(/ L[0-9]/, "") } END { print n + 0 }' "$WORK/cwnd-$loss.svg")
	[ "$pts" -ge 20 ] || fail "the SVG's cwnd curve has $pts points at $loss% loss"
	svg_kb=$(( $(stat -c %s "$WORK/cwnd-$loss.svg") / 1024 ))

	echo "loss $loss%: stack -> Linux $SIZE bytes at $down_rate Mbit/s, cwnd fell $falls times," \
		"ssthresh set $episodes times, largest cwnd $top, $frx fast retransmits, $rto timeouts;" \
		"Linux -> stack at $up_rate Mbit/s, Linux retransmitted $linux_rtx segments in $linux_rec" \
		"recoveries; the plot: $pts points, $svg_kb KiB of SVG"
	report="$report; $loss%: $down_rate Mbit/s out ($falls falls of cwnd, ssthresh set $episodes times), $up_rate in"
	ip netns del "$NS"
done
echo "ok: byte-exact each way through 1% and 5% loss with 5 ms each way${report}; Linux sending with" \
	"${HOST_CC:-its default}; each trace plotted by figures/cwnd.gp"
