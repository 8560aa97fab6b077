# Chapter 9: selective acknowledgment against Linux, through the stack's own
# proves: RFC2018-4b RFC2883-4
# impairment (2% loss and 5 ms, each way).  Three runs, each of one stack
# that sends 4 MiB to Linux (--connect send) and then receives 4 MiB from
# Linux (nc into the sink), both byte-exact:
#   on      Linux net.ipv4.tcp_sack=1 and the stack as it is: SACK both ways;
#   off     Linux net.ipv4.tcp_sack=0: the stack offers SACK, Linux declines;
#   nosack  Linux offers SACK, the stack runs with --no-sack and declines.
# From the stack's capture (--pcap sits between the impairment and the
# stack: it shows what the stack sent, and what reached it, in the order
# the stack saw them):
#  - SACK-permitted is in each SYN and SYN-ACK exactly when it should be;
#  - on: the stack's ACKs carry blocks (RFC 2018), and every block is right:
#    at most four, above the ACK, of bytes that had arrived, neither
#    overlapping nor touching another, the first (after a D-SACK) holding
#    the last segment that arrived above the ACK; a D-SACK (RFC 2883) only
#    first, and only of bytes that had arrived;
#  - on: Linux resends only holes: no segment it resends holds a byte that
#    the stack had acknowledged, cumulatively or in a block, in an ACK sent
#    at least 2 x 5 + 2 ms before the resend reached the stack (the ACK's way
#    to Linux and the resend's way back).  One resend is allowed: the last
#    segment with Linux's FIN, when the stack's block held its data but not
#    the FIN (the stack's blocks end with the data; Linux's include the FIN);
#  - every run: the stack resends only holes: nothing below Linux's
#    cumulative ACK and, on, nothing Linux had SACKed, in ACKs that the
#    capture shows before the resend -- except that a retransmission timeout
#    clears the stack's scoreboard (chapter 9, for reneging), and blocks
#    from before it no longer count.  A timeout is taken to be a resend of
#    the first unacknowledged byte that either comes more than 150 ms after
#    the stack's last data segment (the RTO is at least 200 ms, and recovery
#    sends on ACKs) or resends a byte resent before (RFC 6675 resends a hole
#    once per recovery; mistaking something else for a timeout only makes
#    the check more lenient);
#  - on: the stack ignored none of Linux's blocks (its own counter);
#  - off, nosack: no SACK block anywhere.
# The figures are printed, not asserted (the loss is random): segments the
# stack resent (its counter) and their bytes (the capture); its timeouts,
# and how many came after Linux's blocks had made the first unacknowledged
# byte lost by RFC 6675's IsLost (more than two segments, or three ranges,
# SACKed above it) without the stack having resent it; segments Linux
# resent (its RetransSegs in the namespace) and the bytes of those that
# reached the stack; the blocks and D-SACKs each side sent.
. tests/tun/lib.sh
SIZE=4194304
LOSS=2
DELAY=5
head -c "$SIZE" /dev/urandom > "$WORK/up"
up_hash=$(sha256sum "$WORK/up" | cut -d' ' -f1)

# the analysis of one TCP connection of a capture, from the lines tshark
# writes below
cat > "$WORK/sack.awk" << 'EOF'
# One connection: lines of frame, time, source, seq, len, ack, SACK left
# edges, right edges, FIN (relative sequence numbers).  SND is the sender's
# address; RECV=1 checks the receiver's blocks too (the stack receiving);
# RTO=1 recognises the sender's timeouts (the stack sending); an ACK
# counts for a resend MARGIN seconds after it.
# add(s, e): the union of the ranges S/E[1..nr] and [s, e), in order
function add(s, e,   i, j, n, ns, ne, k) {
	n = 0
	for (i = 1; i <= nr; i++) {
		if (E[i] < s || S[i] > e) { ns[++n] = S[i]; ne[n] = E[i]; continue }
		if (S[i] < s) s = S[i]
		if (E[i] > e) e = E[i]
	}
	ns[++n] = s; ne[n] = e
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && ns[j - 1] > ns[j]; j--) {
			k = ns[j]; ns[j] = ns[j - 1]; ns[j - 1] = k
			k = ne[j]; ne[j] = ne[j - 1]; ne[j - 1] = k
		}
	nr = n
	for (i = 1; i <= n; i++) { S[i] = ns[i]; E[i] = ne[i] }
}
# inside(s, e): the bytes of [s, e) in the ranges
function inside(s, e,   i, a, b, n) {
	for (i = 1; i <= nr; i++) {
		a = s > S[i] ? s : S[i]; b = e < E[i] ? e : E[i]
		if (a < b) n += b - a
	}
	return n
}
# RFC 6675 IsLost of the first unacknowledged byte, by the ranges
function lost(   i, b, r) {
	for (i = 1; i <= nr; i++)
		if (E[i] > cum) { b += E[i] - (S[i] > cum ? S[i] : cum); r++ }
	return b > 2 * mss || r >= 3
}
# the bytes that arrived, for the receiver's check: G/GE[1..ng]
function got(s, e,   i, j, n, ns, ne, k) {
	n = 0
	for (i = 1; i <= ng; i++) {
		if (GE[i] < s || G[i] > e) { ns[++n] = G[i]; ne[n] = GE[i]; continue }
		if (G[i] < s) s = G[i]
		if (GE[i] > e) e = GE[i]
	}
	ns[++n] = s; ne[n] = e
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && ns[j - 1] > ns[j]; j--) {
			k = ns[j]; ns[j] = ns[j - 1]; ns[j - 1] = k
			k = ne[j]; ne[j] = ne[j - 1]; ne[j - 1] = k
		}
	ng = n
	for (i = 1; i <= n; i++) { G[i] = ns[i]; GE[i] = ne[i] }
}
function arrived(s, e,   i) {
	for (i = 1; i <= ng; i++) if (G[i] <= s && e <= GE[i]) return 1
	return 0
}
# resent(x): x was resent before
function resent(x,   i) {
	for (i = 1; i <= nx; i++) if (X[i] <= x && x < XE[i]) return 1
	return 0
}
function say(what) { if (++said <= 5) print "  " what > "/dev/stderr" }
function complain(what) { wrong++; say(what) }
BEGIN { FS = "\t" }
# the sender's data
$3 == snd && $5 > 0 {
	s = $4 + 0; e = s + $5
	if ($5 > mss) mss = $5
	if (s < maxend) {
		rsegs++; rbytes += e - s
		for (; qa < qn && QT[qa + 1] <= $2 - margin; qa++) {
			if (QS[qa + 1] < QE[qa + 1]) add(QS[qa + 1], QE[qa + 1])
			if (QC[qa + 1] > known) known = QC[qa + 1]
		}
		if (rto && s == cum && ($2 - last > 0.15 || resent(cum))) {
			rtos++
			if (!resent(cum) && lost()) missed++
			nr = 0
		}
		X[++nx] = s; XE[nx] = e
		bad = inside(s, e) + (s < known ? (e < known ? e : known) - s : 0)
		if (bad > 0 && $9 == 1 && e >= known && !inside(e, e + 1)) {
			fins++                  # the data carries a FIN the blocks left out
			bad = 0
		}
		if (bad > 0) {
			overlaps++
			say(sprintf("frame %s at %.3f s resends %d-%d, %d bytes of it acknowledged before", $1, $2, s, e, bad))
		}
	}
	if (e > maxend) maxend = e
	last = $2
	if (recv) { fe = e + ($9 == 1); got(s, fe); ls = s; le = fe }   # a FIN takes a number too
	next
}
# the receiver's ACKs
$3 != snd && $6 != "" {
	ack = $6 + 0
	if (ack > cum) cum = ack
	nb = $7 == "" ? 0 : split($7, L, ",")
	split($8, H, ",")
	if (nb > 0) { acks_with_blocks++; blocks += nb }
	if (recv && nb > 4) complain(sprintf("frame %s carries %d blocks", $1, nb))
	d = nb > 0 && (H[1] + 0 <= ack || (nb > 1 && L[1] + 0 >= L[2] + 0 && H[1] + 0 <= H[2] + 0))
	for (i = 1; i <= nb; i++) {
		l = L[i] + 0; h = H[i] + 0
		if (i == 1 && d) {
			dsacks++
			if (recv && !(l < h && arrived(l, h)))
				complain(sprintf("frame %s: a D-SACK %d-%d of bytes that had not arrived", $1, l, h))
			continue
		}
		if (recv) {
			if (!(ack < l && l < h))
				complain(sprintf("frame %s: a block %d-%d with the ACK at %d", $1, l, h, ack))
			else if (!arrived(l, h))
				complain(sprintf("frame %s: a block %d-%d of bytes that had not arrived", $1, l, h))
			for (j = d ? 2 : 1; j < i; j++)
				if (l <= H[j] + 0 && L[j] + 0 <= h)
					complain(sprintf("frame %s: blocks %d and %d overlap or touch", $1, j, i))
			if (i == (d ? 2 : 1) && ls > ack && !(l <= ls && le <= h))
				complain(sprintf("frame %s: the first block %d-%d does not hold the last arrival %d-%d", $1, l, h, ls, le))
		}
		qn++; QT[qn] = $2; QS[qn] = l; QE[qn] = h; QC[qn] = ack
	}
	qn++; QT[qn] = $2; QS[qn] = 0; QE[qn] = 0; QC[qn] = ack
}
END {
	print rsegs + 0, rbytes + 0, acks_with_blocks + 0, blocks + 0, dsacks + 0, overlaps + 0, rtos + 0,
		missed + 0, wrong + 0, fins + 0
}
EOF

# linux_counter FILE NAME: a counter of Linux's in the namespace, from
# /proc/net/FILE (pairs of lines: names, values)
linux_counter() {
	in_ns awk -v want="$2" '
		prev == $1 { for (i = 2; i <= NF; i++) if (name[i] == want) print $i }
		{ prev = $1; for (i = 2; i <= NF; i++) name[i] = $i }' "/proc/net/$1"
}

# run NAME TCP_SACK [tcpstack options]: one stack, both transfers, the
# checks; sets the figures of the run as variables NAME_...
run() {
	name=$1
	sack=$2
	shift 2
	sack_on=yes
	[ "$sack" -eq 1 ] && [ "$*" != --no-sack ] || sack_on=no
	cap="$WORK/$name.pcap"
	t0=$(date +%s.%N)
	NS_SYSCTLS="net.ipv4.tcp_sack=$sack" LISTEN="5000 $WORK/got" \
	start_stack --addr "$STACK_ADDR" --pcap "$cap" --serve sink:9000 --rto-min 200 \
		--impair "loss=$LOSS%,delay=${DELAY}ms,seed=9" --connect "send:$SIZE@$LINUX_ADDR:5000" "$@"
	wait_listener "$name"
	t1=$(date +%s.%N)
	in_ns timeout 60 nc -N "$STACK_ADDR" 9000 < "$WORK/up" > /dev/null || fail "$name: the upload failed"
	t2=$(date +%s.%N)
	for _ in $(seq 50); do grep -q '^sink:' "$WORK/stack.out" && grep -q '^send:' "$WORK/stack.out" && break; sleep 0.1; done
	l_rtx=$(linux_counter snmp RetransSegs)
	stop_stack
	sent=$(sed -n "s/^send: $SIZE bytes to .* sha256 \([0-9a-f]*\)$/\1/p" "$WORK/stack.out")
	got=$(sha256sum "$WORK/got" | cut -d' ' -f1)
	[ -n "$sent" ] && [ "$sent" = "$got" ] ||
		fail "$name: Linux received $(stat -c %s "$WORK/got") bytes, sha256 $got; the stack says '$sent'"
	grep -q "^sink: .* sent $SIZE bytes sha256 $up_hash in" "$WORK/stack.out" ||
		fail "$name: the upload: '$(grep '^sink:' "$WORK/stack.out")'"
	s_rtx=$(awk '/segments retransmitted/ { print $4 }' "$WORK/stack.out")
	s_rto=$(awk '/segments retransmitted/ { print $1 }' "$WORK/stack.out")
	s_ignored=$(sed -n 's/.* \([0-9]*\) SACK blocks ignored.*/\1/p' "$WORK/stack.out")
	[ -n "$s_rtx" ] && [ -n "$s_ignored" ] || fail "$name: the statistics lack the retransmission or SACK lines"

	timeout 60 tshark -n -o tcp.desegment_tcp_streams:FALSE -o tcp.relative_sequence_numbers:TRUE \
		-r "$cap" -Y tcp -T fields -e frame.number -e frame.time_relative -e ip.src -e tcp.seq -e tcp.len \
		-e tcp.ack -e tcp.options.sack_le -e tcp.options.sack_re -e tcp.srcport -e tcp.dstport \
		-e tcp.flags.syn -e tcp.flags.ack -e tcp.options.sack_perm -e tcp.flags.fin 2>/dev/null \
		> "$WORK/$name.raw" || fail "$name: tshark cannot read the capture"
	# (newer tshark writes flags as True and False)
	sed 's/\tTrue/\t1/g; s/\tFalse/\t0/g' "$WORK/$name.raw" > "$WORK/$name.tsv"
	# SACK-permitted in each kind of SYN: the stack's SYN (to port 5000),
	# Linux's SYN-ACK, Linux's SYN (to port 9000), the stack's SYN-ACK
	syns=$(awk -F'\t' '$11 == 1 {
		who = ($3 == "10.0.0.2" ? "stack" : "linux") "-" ($12 == 1 ? "synack" : "syn")
		print who "=" ($13 != "" ? 1 : 0) }' "$WORK/$name.tsv" | sort -u | tr '\n' ' ')
	[ "$syns" = "$want_syns" ] || fail "$name: SACK-permitted in the SYNs: $syns, want $want_syns"
	# the two connections
	awk -F'\t' '$9 == 5000 || $10 == 5000' "$WORK/$name.tsv" | cut -f1-8,14 > "$WORK/out.tsv"
	awk -F'\t' '$9 == 9000 || $10 == 9000' "$WORK/$name.tsv" | cut -f1-8,14 > "$WORK/in.tsv"
	set -- $(awk -v snd=10.0.0.2 -v rto=1 -v margin=0 -f "$WORK/sack.awk" "$WORK/out.tsv" 2> "$WORK/out.err")
	[ $# -eq 10 ] || fail "$name: the analysis of the stack's sending failed: $(cat "$WORK/out.err")"
	o_segs=$1 o_bytes=$2 o_acks=$3 o_blocks=$4 o_dsacks=$5 o_over=$6 o_rtos=$7 o_missed=$8
	set -- $(awk -v snd=10.0.0.1 -v recv=1 -v margin="$((2 * DELAY + 2))e-3" -f "$WORK/sack.awk" \
		"$WORK/in.tsv" 2> "$WORK/in.err")
	[ $# -eq 10 ] || fail "$name: the analysis of Linux's sending failed: $(cat "$WORK/in.err")"
	i_segs=$1 i_bytes=$2 i_acks=$3 i_blocks=$4 i_dsacks=$5 i_over=$6 i_wrong=$9 i_fins=${10}
	[ "$o_over" -eq 0 ] || fail "$name: $o_over resends by the stack of bytes Linux had acknowledged:
$(cat "$WORK/out.err")"
	# (without SACK, Linux's resends after a timeout may be of bytes the
	# stack acknowledged while they waited in the device's queue)
	[ "$sack_on" = no ] || [ "$i_over" -eq 0 ] || fail "$name: $i_over resends by Linux of bytes the stack had acknowledged:
$(cat "$WORK/in.err")"
	[ "$i_wrong" -eq 0 ] || fail "$name: $i_wrong wrong blocks from the stack:
$(cat "$WORK/in.err")"
	# the figures
	down=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	up=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", b - a }')
	echo "$name: stack -> Linux in $down s: the stack resent $s_rtx segments, $o_bytes bytes, $s_rto timeouts" \
		"($o_missed after the blocks showed a loss); Linux sent $o_blocks blocks, $o_dsacks D-SACKs." \
		"Linux -> stack in $up s: Linux resent $l_rtx segments ($i_segs, $i_bytes bytes, reached the stack;" \
		"$i_fins for a FIN); the stack sent $i_blocks blocks, $i_dsacks D-SACKs"
	eval "${name}_s_rtx=$s_rtx ${name}_o_bytes=$o_bytes ${name}_rto=$s_rto ${name}_missed=$o_missed"
	eval "${name}_o_blocks=$o_blocks ${name}_l_rtx=$l_rtx ${name}_i_bytes=$i_bytes ${name}_i_blocks=$i_blocks"
	eval "${name}_ignored=$s_ignored"
	ip netns del "$NS"
}

want_syns="linux-syn=1 linux-synack=1 stack-syn=1 stack-synack=1 "
run on 1
[ "$on_i_blocks" -gt 0 ] || fail "on: the stack's ACKs carried no SACK block"
[ "$on_o_blocks" -gt 0 ] || fail "on: Linux's ACKs carried no SACK block"
[ "$on_ignored" -eq 0 ] || fail "on: the stack ignored $on_ignored of Linux's SACK blocks"
want_syns="linux-syn=0 linux-synack=0 stack-syn=1 stack-synack=0 "
run off 0
want_syns="linux-syn=1 linux-synack=0 stack-syn=0 stack-synack=0 "
run nosack 1 --no-sack
for n in off nosack; do
	eval "b=\$${n}_o_blocks c=\$${n}_i_blocks"
	[ "$b" -eq 0 ] && [ "$c" -eq 0 ] || fail "$n: SACK blocks without SACK: $b from Linux, $c from the stack"
done
echo "ok: 4 MiB each way through $LOSS% loss and $DELAY ms each way, byte-exact, with SACK (on)" \
	"and without (off: Linux's tcp_sack=0, nosack: --no-sack);" \
	"the stack resent $on_s_rtx/$off_s_rtx/$nosack_s_rtx segments, $on_o_bytes/$off_o_bytes/$nosack_o_bytes bytes" \
	"(on/off/nosack), with $on_rto/$off_rto/$nosack_rto timeouts ($on_missed after Linux's $on_o_blocks blocks" \
	"showed the loss); Linux resent $on_l_rtx/$off_l_rtx/$nosack_l_rtx segments" \
	"($on_i_bytes/$off_i_bytes/$nosack_i_bytes bytes reached the stack), $on_i_blocks blocks from the stack;" \
	"neither resent what the other had acknowledged, no wrong block"
