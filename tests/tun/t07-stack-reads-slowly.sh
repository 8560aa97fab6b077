# Chapter 7: the stack as the slow reader.  Linux sends 512 KiB to the
# stack's slowsink, which reads 64 KiB every 1.2 s: the stack's 256 KiB
# buffer fills, its window closes, and Linux probes it.  Checked: the
# transfer is byte-exact (the slowsink's SHA-256 is that of what nc sent)
# and takes as long as the reading rate says; from the stack's capture,
# the stack announced zero windows; Linux probed them, and the stack
# answered every probe with an ACK before Linux sent another (how soon
# is printed, not judged: tests assert no times); and the right edge the stack
# offered, ack + window (tshark scales the window, having seen the
# handshake), never moved left by a unit of the window scale or more.
# (Linux's zero-window probe carries no data and the sequence number
# before the one expected, tcp_xmit_probe_skb(): tshark names it a
# keep-alive, and keeps tcp.analysis.zero_window_probe for one-byte
# probes like the stack's own; both are counted.)
. tests/tun/lib.sh
SIZE=524288
BYTES=65536
MS=1200
start_stack --addr "$STACK_ADDR" --rto-min 200 --pcap "$WORK/cap.pcap" \
	--serve slowsink:9000 --slow-read "$BYTES/$MS"
head -c "$SIZE" /dev/urandom > "$WORK/data"
want=$(sha256sum "$WORK/data" | cut -d' ' -f1)
t0=$(date +%s.%N)
timeout 40 ip netns exec "$NS" nc -N "$STACK_ADDR" 9000 < "$WORK/data" > /dev/null ||
	fail "the Linux sender failed or timed out"
t1=$(date +%s.%N)
for _ in $(seq 50); do grep -q '^slowsink:' "$WORK/stack.out" && break; sleep 0.1; done
stop_stack
line=$(grep '^slowsink:' "$WORK/stack.out")
[ -n "$line" ] || fail "the slowsink printed nothing"
got=$(echo "$line" | sed -n "s/^slowsink: .* sent $SIZE bytes sha256 \([0-9a-f]*\) in .*/\1/p")
[ "$got" = "$want" ] || fail "the slowsink says '$line'; nc sent $SIZE bytes, sha256 $want"
took=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
# the buffer and the first window take the first 256 KiB at once; each
# read after that makes room for the next 64 KiB
least=$(awk -v s="$SIZE" -v b="$BYTES" -v ms="$MS" 'BEGIN { printf "%.1f", (s / b - 1) * ms / 1000 }')
awk -v t="$took" -v l="$least" 'BEGIN { exit !(t >= l) }' ||
	fail "the transfer took $took s, less than the $least s the reading rate allows"

T="timeout 60 tshark -n -o tcp.desegment_tcp_streams:FALSE -r $WORK/cap.pcap"
$T -Y tcp -T fields -e frame.number -e frame.time_relative -e ip.src -e tcp.seq -e tcp.ack \
	-e tcp.window_size -e tcp.window_size_scalefactor -e tcp.flags.syn -e tcp.flags.reset \
	-e tcp.analysis.zero_window -e tcp.analysis.zero_window_probe -e tcp.analysis.keep_alive \
	2>/dev/null > "$WORK/all"
[ -s "$WORK/all" ] || fail "tshark found no TCP in the capture"
# the stack closed its window
zw=$(awk -F'\t' '$3 == "10.0.0.2" && $10 != ""' "$WORK/all" | wc -l)
[ "$zw" -ge 3 ] || fail "$zw zero windows from the stack, want at least 3"
# Linux probed, and the stack's next segment, an ACK, came before the next probe
awk -F'\t' '
	$3 == "10.0.0.1" && ($11 != "" || $12 != "") {
		if (probe != "") { print "frame " probe ": a probe from Linux, unanswered before frame " $1; bad = 1 }
		probe = $1; at = $2; pseq = $4; n++; zwp += $11 != ""; next }
	$3 == "10.0.0.2" && probe != "" {
		d = $2 - at
		if ($5 < pseq) { print "frame " probe ": answered by frame " $1 " after " d " s, ack " $5; bad = 1 }
		if (d > worst) worst = d
		probe = ""
	}
	END {
		if (probe != "") { print "frame " probe ": the last probe from Linux, never answered"; bad = 1 }
		printf "%d %d %.0f\n", n, zwp, worst * 1e6 > "/dev/stderr"
		exit bad
	}' "$WORK/all" > "$WORK/unanswered" 2> "$WORK/probes" ||
	fail "probes not answered: $(head -5 "$WORK/unanswered")"
read np nzwp worst < "$WORK/probes"
[ "$np" -ge 3 ] || fail "$np zero-window probes from Linux, want at least 3"
# the right edge the stack offers never moves left (a step back of less
# than one unit of the scale is the rounding chapter 7 describes)
awk -F'\t' '
	$3 != "10.0.0.2" || $9 == "1" || $9 == "True" { next }
	{
		edge = $5 + $6; unit = $7 > 0 ? $7 : 1
		if (n++ && edge < max) {
			if (max - edge >= unit) { print "frame " $1 ": ack " $5 " window " $6 ", right edge " edge ", back from " max; bad = 1 }
			else rounded++
		}
		if (edge > max) max = edge
		if ($7 > 0) scale = $7
	}
	END { printf "%d %d %d %d\n", n, rounded, max, scale > "/dev/stderr"; exit bad }' \
	"$WORK/all" > "$WORK/shrunk" 2> "$WORK/edges" ||
	fail "the stack moved its right edge left: $(head -5 "$WORK/shrunk")"
read nedge rounded maxedge scale < "$WORK/edges"
[ "${scale:-0}" -gt 1 ] || fail "the capture shows no window scaling from the stack (scale ${scale:-none})"
echo "ok: $SIZE bytes from Linux into the stack's slowsink reading $BYTES bytes every $MS ms," \
	"in $took s (at least $least s), byte-exact; $zw zero windows from the stack; $np probes from" \
	"Linux ($nzwp one-byte), each answered by an ACK before the next (the slowest in $worst us); the right edge" \
	"(ack + window, scale $scale) never moved left over $nedge segments ($rounded steps back" \
	"within one unit), reaching $maxedge"
