# Chapter 11: ECN (RFC 3168) against Linux, with net.ipv4.tcp_ecn=1 in the
# proves: RFC3168-6.1.1b RFC3168-6.1.2 RFC3168-6.1.4 RFC3168-6.1.5
# namespace and the stack run with --ecn 1.  One stack sends 1 MiB to
# Linux (--connect send to nc -l), then Linux sends 1 MiB to the stack (nc
# into the sink), both byte-exact (SHA-256).  The stack's own impairment
# marks CE on 3% of the ECT packets in each direction (--impair ce=3%): on
# Linux's on their way in, on the stack's on their way out.  The capture
# (--pcap) sits between the stack and its impairment: it shows the stack's
# packets before any mark, and Linux's after.  For each connection (5000:
# the stack connects; 9000: Linux connects):
#  - the SYN carries ECE and CWR, the SYN-ACK ECE alone, both Not-ECT;
#  - every data segment the stack sends is ECT(0) or, if a retransmission
#    (tshark's analysis), Not-ECT; its pure ACKs are Not-ECT;
#  - Linux's data arrives ECT(0) or CE, and some of it CE;
# and over both: the stack's ACKs carry ECE after a CE arrived and Linux's
# data then carries CWR; Linux echoes ECE for the marks on the stack's
# packets, the stack reduces its window for them (its statistics) and
# sends CWR.  Then, when the kernel has the red or fq_codel qdisc, a last
# run has Linux mark its own packets (under a 10 Mbit/s htb class on the
# TUN device); without them that run is skipped.
. tests/tun/lib.sh
SIZE=1048576
head -c "$SIZE" /dev/urandom > "$WORK/up"
up_hash=$(sha256sum "$WORK/up" | cut -d' ' -f1)
cap="$WORK/ecn.pcap"

NS_SYSCTLS="net.ipv4.tcp_ecn=1" LISTEN="5000 $WORK/got" \
start_stack --addr "$STACK_ADDR" --pcap "$cap" --serve sink:9000 --ecn 1 --rto-min 200 \
	--impair "ce=3%,seed=11" --connect "send:$SIZE@$LINUX_ADDR:5000"
wait_listener "stack -> Linux"
in_ns timeout 30 nc -N "$STACK_ADDR" 9000 < "$WORK/up" > /dev/null || fail "the upload failed"
for _ in $(seq 300); do grep -q '^sink:' "$WORK/stack.out" && grep -q '^send:' "$WORK/stack.out" && break; sleep 0.05; done
stop_stack
sent=$(sed -n "s/^send: $SIZE bytes to .* sha256 \([0-9a-f]*\)$/\1/p" "$WORK/stack.out")
got=$(sha256sum "$WORK/got" | cut -d' ' -f1)
[ -n "$sent" ] && [ "$sent" = "$got" ] ||
	fail "Linux received $(stat -c %s "$WORK/got") bytes, sha256 $got; the stack says '$sent'"
grep -q "^sink: .* sent $SIZE bytes sha256 $up_hash in" "$WORK/stack.out" ||
	fail "the upload: '$(grep '^sink:' "$WORK/stack.out")'"

timeout 60 tshark -n -r "$cap" -Y tcp -T fields -e frame.number -e ip.src -e tcp.flags.syn \
	-e tcp.flags.ack -e tcp.flags.ece -e tcp.flags.cwr -e ip.dsfield.ecn -e tcp.len \
	-e tcp.analysis.retransmission -e tcp.srcport -e tcp.dstport 2>/dev/null > "$WORK/raw" ||
	fail "tshark cannot read the capture"
sed 's/\tTrue/\t1/g; s/\tFalse/\t0/g' "$WORK/raw" > "$WORK/all.tsv"

cat > "$WORK/ecn.awk" << 'AWK'
# One connection: frame, source, SYN, ACK, ECE, CWR, ECN codepoint, length,
# retransmission.  Prints: stack data ECT(0), stack data resent Not-ECT,
# Linux data ECT(0), Linux data CE, stack ECE, Linux CWR, Linux ECE, stack
# CWR, mistakes.
function complain(what) { wrong++; if (wrong <= 5) print "  " what > "/dev/stderr" }
BEGIN { FS = "\t" }
{
	who = $2 == "10.0.0.2" ? "stack" : "linux"
	syn = $3 == 1; ack = $4 == 1; ece = $5 == 1; cwr = $6 == 1; ecn = $7 + 0; len = $8 + 0
	rtx = $9 != ""
	if (syn) {
		want = ack ? "10" : "11"
		if (ece cwr != want)
			complain(sprintf("frame %s: %s %s with ECE %d CWR %d", $1, who, ack ? "SYN-ACK" : "SYN", ece, cwr))
		if (ecn != 0) complain(sprintf("frame %s: %s's SYN with ECN codepoint %d", $1, who, ecn))
		nsyn++
		next
	}
	if (who == "stack") {
		if (len == 0 && ecn != 0) complain(sprintf("frame %s: the stack's pure ACK with codepoint %d", $1, ecn))
		if (len > 0 && !rtx && ecn != 2) complain(sprintf("frame %s: the stack's data with codepoint %d", $1, ecn))
		if (len > 0 && rtx && ecn != 0) complain(sprintf("frame %s: the stack's retransmission ECT", $1))
		if (len > 0 && !rtx) sect++
		if (len > 0 && rtx) srtx++
		if (ece) sece++
		if (cwr) scwr++
	} else {
		if (len > 0 && ecn != 2 && ecn != 3 && !rtx)
			complain(sprintf("frame %s: Linux's data with codepoint %d", $1, ecn))
		if (len > 0 && ecn == 2) lect++
		if (len > 0 && ecn == 3) lce++
		if (cwr) lcwr++
		if (ece) lece++
	}
}
END {
	if (nsyn < 2) complain(sprintf("%d SYNs, fewer than 2", nsyn))
	print sect + 0, srtx + 0, lect + 0, lce + 0, sece + 0, lcwr + 0, lece + 0, scwr + 0, wrong + 0
}
AWK

tot_sece=0 tot_lcwr=0 tot_lece=0 tot_scwr=0 tot_lce=0
for port in 5000 9000; do
	awk -F'\t' -v p=$port '$10 == p || $11 == p' "$WORK/all.tsv" | cut -f1-9 > "$WORK/c$port.tsv"
	set -- $(awk -f "$WORK/ecn.awk" "$WORK/c$port.tsv" 2> "$WORK/c$port.err")
	[ $# -eq 9 ] || fail "the analysis of the connection to $port failed: $(cat "$WORK/c$port.err")"
	[ "$9" -eq 0 ] || fail "the connection to port $port: $9 mistakes:
$(cat "$WORK/c$port.err")"
	echo "port $port: stack data ECT(0) $1, resent Not-ECT $2; Linux data ECT(0) $3, CE $4;" \
		"stack ECE $5, Linux CWR $6; Linux ECE $7, stack CWR $8"
	tot_lce=$((tot_lce + $4)) tot_sece=$((tot_sece + $5)) tot_lcwr=$((tot_lcwr + $6))
	tot_lece=$((tot_lece + $7)) tot_scwr=$((tot_scwr + $8))
	if [ $port = 5000 ]; then
		[ "$1" -gt 100 ] || fail "port 5000: only $1 ECT(0) data segments from the stack"
	else
		[ "$3" -gt 100 ] || fail "port 9000: only $3 ECT(0) data segments from Linux"
	fi
done
[ "$tot_lce" -gt 0 ] && [ "$tot_sece" -gt 0 ] && [ "$tot_lcwr" -gt 0 ] ||
	fail "Linux's data marked CE $tot_lce times, the stack's ECE $tot_sece, Linux's CWR $tot_lcwr: all must be > 0"
[ "$tot_lece" -gt 0 ] && [ "$tot_scwr" -gt 0 ] ||
	fail "Linux's ECE $tot_lece, the stack's CWR $tot_scwr: both must be > 0"
conns=$(sed -n 's/^ *\([0-9]*\) connections with ECN.*/\1/p' "$WORK/stack.out")
red=$(sed -n 's/.* ACKs with ECE received, \([0-9]*\) window reductions.*/\1/p' "$WORK/stack.out")
[ "${conns:-0}" -eq 2 ] || fail "the stack counts ${conns:-no} connections with ECN, not 2"
[ "${red:-0}" -gt 0 ] || fail "the stack made no window reduction for Linux's echoes"
ip netns del "$NS"

# Marks made by Linux: a 10 Mbit/s htb class on Linux's side of the device
# with red (or fq_codel) marking under it, if the kernel has them;
# otherwise this part is skipped.
lx="skipped (no red or fq_codel qdisc in this kernel)"
NS_SYSCTLS="net.ipv4.tcp_ecn=1" start_stack --addr "$STACK_ADDR" --serve sink:9000 --ecn 1
if in_ns tc qdisc add dev "$DEV" root handle 1: htb default 1 2> /dev/null &&
   in_ns tc class add dev "$DEV" parent 1: classid 1:1 htb rate 10mbit 2> /dev/null &&
   { in_ns tc qdisc add dev "$DEV" parent 1:1 handle 10: red limit 200000 min 6000 max 18000 \
	avpkt 1500 burst 5 probability 0.5 bandwidth 10mbit ecn 2> /dev/null ||
     in_ns tc qdisc add dev "$DEV" parent 1:1 handle 10: fq_codel ecn 2> /dev/null; }; then
	in_ns timeout 30 nc -N "$STACK_ADDR" 9000 < "$WORK/up" > /dev/null || fail "qdisc: the upload failed"
	for _ in $(seq 300); do grep -q '^sink:' "$WORK/stack.out" && break; sleep 0.05; done
	marked=$(in_ns tc -s qdisc show dev "$DEV" | sed -n 's/.*marked \([0-9]*\).*/\1/p' | head -1)
	stop_stack
	grep -q "^sink: .* sent $SIZE bytes sha256 $up_hash in" "$WORK/stack.out" ||
		fail "qdisc: the upload: '$(grep '^sink:' "$WORK/stack.out")'"
	ce=$(sed -n 's/.*connections with ECN, \([0-9]*\) segments marked CE.*/\1/p' "$WORK/stack.out")
	[ "${marked:-0}" -eq "${ce:-0}" ] || [ "${ce:-0}" -gt 0 ] ||
		fail "qdisc: Linux marked ${marked:-?} packets, the stack saw ${ce:-no} CE"
	lx="the qdisc marked ${marked:-?} packets, the stack received ${ce:-?} with CE"
else
	stop_stack
fi
echo "ok: 1 MiB each way, byte-exact, ECN negotiated both ways (ECN-setup SYN and SYN-ACK, Not-ECT);" \
	"data ECT(0), ACKs and retransmissions Not-ECT; 3% marked CE each way: Linux's data CE $tot_lce times," \
	"the stack echoed ECE on $tot_sece ACKs, Linux sent CWR $tot_lcwr times; Linux echoed ECE $tot_lece" \
	"times, the stack reduced its window $red times and sent CWR $tot_scwr times; Linux marking: $lx"
