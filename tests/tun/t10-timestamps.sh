# Chapter 10: the timestamps option (RFC 7323) against Linux, through the
# proves: RFC7323-3.2a RFC7323-3.2b RFC7323-3.2c RFC7323-7.1
# stack's own impairment (2% loss each way).  Three runs, each of one stack
# that sends 2 MiB to Linux (--connect send to nc -l) and then receives
# 2 MiB from Linux (nc into the sink), both byte-exact (SHA-256):
#   on    Linux net.ipv4.tcp_timestamps=1 and the stack as it is;
#   off   Linux net.ipv4.tcp_timestamps=0: the stack offers, Linux declines;
#   nots  Linux offers, the stack runs with --no-timestamps and declines.
# From the stack's capture (--pcap sits between the impairment and the
# stack: what the stack sent, and what reached it), for each connection:
#  - on: every segment but a RST, both ways, carries the option;
#  - on: a SYN's TSecr is 0; every other segment's TSecr echoes a TSval the
#    other side sent earlier on the connection (for Linux's segments: one the
#    capture shows the stack sending before; for the stack's: one that
#    reached it before) -- never a value not sent, nor one from the future;
#  - on: the stack's TSvals never decrease along its sends;
#  - on: the stack's first TSval is a per-connection offset, not its clock:
#    more than 10^6 (mod 2^32) from both the CLOCK_MONOTONIC milliseconds
#    (the clock the stack ticks from, i.e. the uptime) and the milliseconds
#    the stack process has run;
#  - off: only the stack's SYN carries the option; nots: only Linux's SYN;
#  - every run: no segment dropped by PAWS, by the stack (its statistics)
#    or by Linux (TcpExtPAWSEstab in the namespace).
# Printed, not asserted: the first TSvals of each side, and how many of the
# stack's TSecrs echoed an older TSval than the newest of Linux's that had
# reached it (stale echoes: RFC 7323 §4.3's Last.ACK.sent rule while a hole
# is open, and delayed ACKs).  (Linux's echoes are not counted so: the
# capture shows what the stack sent, not what had reached Linux.)
. tests/tun/lib.sh
SIZE=2097152
LOSS=2
head -c "$SIZE" /dev/urandom > "$WORK/up"
up_hash=$(sha256sum "$WORK/up" | cut -d' ' -f1)

cat > "$WORK/ts.awk" << 'EOF'
# One connection: frame, source, SYN, ACK, RST, TSval, TSecr.  MODE is on,
# off or nots.  Prints: segments, segments with the option, stack TSecrs
# checked, Linux TSecrs checked, stale echoes by the stack, by Linux (see
# above: for the figure's sake only, not meaningful), the
# stack's first TSval, Linux's first TSval, mistakes.
function lt(a, b,   d) {
	d = a - b
	if (d >= 2147483648) d -= 4294967296
	if (d < -2147483648) d += 4294967296
	return d < 0
}
function say(what) { if (++said <= 5) print "  " what > "/dev/stderr" }
function complain(what) { wrong++; say(what) }
BEGIN { FS = "\t"; sfirst = "-"; lfirst = "-" }
{
	who = $2 == "10.0.0.2" ? "stack" : "linux"
	other = who == "stack" ? "linux" : "stack"
	syn = $3 == 1; ack = $4 == 1; rst = $5 == 1
	if (rst) next
	segs++
	has = $6 != ""
	if (has) with++
	if (mode == "off" || mode == "nots") {
		want = syn && !ack && who == (mode == "off" ? "stack" : "linux")
		if (has != want)
			complain(sprintf("frame %s (%s%s): %s the option", $1, who, syn ? (ack ? " SYN-ACK" : " SYN") : "",
				has ? "carries" : "lacks"))
		next
	}
	if (!has) { complain(sprintf("frame %s (%s): no timestamp option", $1, who)); next }
	tsval = $6 + 0; tsecr = $7 + 0
	if (syn && !ack) {
		if (tsecr != 0) complain(sprintf("frame %s (%s SYN): TSecr %u, not 0", $1, who, tsecr))
	} else {
		if (!((other, tsecr) in sent))
			complain(sprintf("frame %s (%s): TSecr %u, which the %s had not sent before", $1, who, tsecr, other))
		checked[who]++
		if ((other in newest) && lt(tsecr, newest[other])) stale[who]++
	}
	sent[who, tsval] = 1
	if (!(who in newest) || lt(newest[who], tsval)) newest[who] = tsval
	if (who == "stack") {
		if (sfirst == "-") sfirst = tsval
		else if (lt(tsval, slast))
			complain(sprintf("frame %s: the stack's TSval %u after %u", $1, tsval, slast))
		slast = tsval
	} else if (lfirst == "-") lfirst = tsval
}
END {
	print segs + 0, with + 0, checked["stack"] + 0, checked["linux"] + 0, stale["stack"] + 0, stale["linux"] + 0,
		sfirst, lfirst, wrong + 0
}
EOF

linux_counter() {
	in_ns awk -v want="$2" '
		prev == $1 { for (i = 2; i <= NF; i++) if (name[i] == want) print $i }
		{ prev = $1; for (i = 2; i <= NF; i++) name[i] = $i }' "/proc/net/$1"
}
mono_ms() { python3 -c 'import time; print(int(time.monotonic() * 1000))' 2>/dev/null ||
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
# far A B: A and B (mod 2^32) more than 10^6 apart
far() { awk -v a="$1" -v b="$2" 'BEGIN { d = (a - b) % 4294967296; if (d < 0) d += 4294967296
	if (d > 2147483648) d = 4294967296 - d; exit !(d > 1000000) }'; }

# run NAME TCP_TIMESTAMPS [tcpstack options]: one stack, both transfers, the
# checks; sets the figures of the run as variables NAME_...
run() {
	name=$1
	tsopt=$2
	shift 2
	mode=$name
	cap="$WORK/$name.pcap"
	m0=$(mono_ms)
	t0=$(date +%s.%N)
	NS_SYSCTLS="net.ipv4.tcp_timestamps=$tsopt" LISTEN="5000 $WORK/got" \
	start_stack --addr "$STACK_ADDR" --pcap "$cap" --serve sink:9000 --rto-min 200 \
		--impair "loss=$LOSS%,seed=10" --connect "send:$SIZE@$LINUX_ADDR:5000" "$@"
	wait_listener "$name"
	t1=$(date +%s.%N)
	in_ns timeout 30 nc -N "$STACK_ADDR" 9000 < "$WORK/up" > /dev/null || fail "$name: the upload failed"
	# (nc is done when its data is in Linux's send buffer: the time is to the sink's report)
	for _ in $(seq 300); do grep -q '^sink:' "$WORK/stack.out" && grep -q '^send:' "$WORK/stack.out" && break; sleep 0.05; done
	t2=$(date +%s.%N)
	l_paws=$(linux_counter netstat PAWSEstab)
	l_rtx=$(linux_counter snmp RetransSegs)
	stop_stack
	sent=$(sed -n "s/^send: $SIZE bytes to .* sha256 \([0-9a-f]*\)$/\1/p" "$WORK/stack.out")
	got=$(sha256sum "$WORK/got" | cut -d' ' -f1)
	[ -n "$sent" ] && [ "$sent" = "$got" ] ||
		fail "$name: Linux received $(stat -c %s "$WORK/got") bytes, sha256 $got; the stack says '$sent'"
	grep -q "^sink: .* sent $SIZE bytes sha256 $up_hash in" "$WORK/stack.out" ||
		fail "$name: the upload: '$(grep '^sink:' "$WORK/stack.out")'"
	s_paws=$(sed -n 's/^ *\([0-9]*\) segments dropped by PAWS.*/\1/p' "$WORK/stack.out")
	s_undone=$(sed -n 's/.* \([0-9]*\) spurious retransmissions undone.*/\1/p' "$WORK/stack.out")
	s_rtx=$(awk '/segments retransmitted/ { print $4 }' "$WORK/stack.out")
	[ -n "$s_paws" ] && [ -n "$s_rtx" ] || fail "$name: the statistics lack the PAWS or retransmission lines"
	[ "$s_paws" -eq 0 ] || fail "$name: the stack dropped $s_paws segments by PAWS"
	[ "${l_paws:-0}" -eq 0 ] || fail "$name: Linux dropped $l_paws segments by PAWS"

	timeout 60 tshark -n -r "$cap" -Y tcp -T fields -e frame.number -e ip.src -e tcp.flags.syn \
		-e tcp.flags.ack -e tcp.flags.reset -e tcp.options.timestamp.tsval -e tcp.options.timestamp.tsecr \
		-e tcp.srcport -e tcp.dstport 2>/dev/null > "$WORK/$name.raw" || fail "$name: tshark cannot read the capture"
	sed 's/\tTrue/\t1/g; s/\tFalse/\t0/g' "$WORK/$name.raw" > "$WORK/$name.tsv"
	for port in 5000 9000; do
		awk -F'\t' -v p=$port '$8 == p || $9 == p' "$WORK/$name.tsv" | cut -f1-7 > "$WORK/c$port.tsv"
		set -- $(awk -v mode="$mode" -f "$WORK/ts.awk" "$WORK/c$port.tsv" 2> "$WORK/c$port.err")
		[ $# -eq 9 ] || fail "$name: the analysis of the connection to $port failed: $(cat "$WORK/c$port.err")"
		[ "$1" -gt 100 ] || fail "$name: only $1 segments of the connection to $port in the capture"
		[ "$9" -eq 0 ] || fail "$name, the connection to port $port: $9 mistakes:
$(cat "$WORK/c$port.err")"
		eval "p$port=\"\$*\""
	done
	set -- $p5000; o_segs=$1 o_with=$2 o_sstale=$5 o_sfirst=$7 o_lfirst=$8
	set -- $p9000; i_segs=$1 i_with=$2 i_sstale=$5 i_sfirst=$7 i_lfirst=$8
	if [ "$name" = on ]; then
		up_ms=$(( $(mono_ms) - m0 ))
		for f in "$o_sfirst" "$i_sfirst"; do
			far "$f" "$m0" || fail "on: the stack's first TSval $f is within 10^6 of the uptime, $m0 ms"
			far "$f" 0 && far "$f" "$up_ms" || fail "on: the stack's first TSval $f is within 10^6 of its run time"
		done
	fi
	down=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	up=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", b - a }')
	echo "$name: stack -> Linux in $down s, $o_segs segments ($o_with with timestamps), stack's first TSval" \
		"$o_sfirst, Linux's $o_lfirst, stale echoes by the stack $o_sstale;" \
		"Linux -> stack in $up s, $i_segs segments ($i_with with timestamps), stack's first TSval $i_sfirst," \
		"Linux's $i_lfirst, stale echoes by the stack $i_sstale;" \
		"resent: stack $s_rtx, Linux $l_rtx; PAWS drops: stack $s_paws, Linux ${l_paws:-?};" \
		"spurious undone $s_undone; uptime $m0 ms"
	eval "${name}_segs=$((o_segs + i_segs)) ${name}_with=$((o_with + i_with)) ${name}_s1=$o_sfirst ${name}_s2=$i_sfirst"
	eval "${name}_stale=$((o_sstale + i_sstale)) ${name}_undone=$s_undone ${name}_m0=$m0"
	ip netns del "$NS"
}

run on 1
run off 0
run nots 1 --no-timestamps
echo "ok: 2 MiB each way through $LOSS% loss, byte-exact, with timestamps (on) and without (off: Linux's" \
	"tcp_timestamps=0, nots: --no-timestamps); on: all $on_segs non-RST segments carry the option, every" \
	"TSecr echoes a TSval sent before, the stack's TSvals never decrease, its first TSvals $on_s1/$on_s2" \
	"against an uptime of $on_m0 ms; $on_stale stale echoes by the stack, $on_undone spurious retransmissions" \
	"undone; off/nots: the option only in the offering SYN ($off_with/$nots_with of $off_segs/$nots_segs" \
	"segments); no PAWS drop on either side"
