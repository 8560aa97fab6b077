# Chapter 12: blind in-window attacks (RFC 5961) against a live transfer.
# interop: alone (see tests/tun/run-all)
# proves: RFC5961-3.2b RFC5961-4.2 RFC5961-5.2 RFC5961-7
# The stack sends 256 MiB to Linux's nc -l (--connect send), and while it
# does, spoof, a second process in the namespace, pretends to be Linux's
# end of the connection: it reads the connection's numbers from one of the
# stack's segments on the TUN device (an AF_PACKET socket), then sends the
# stack 3,000 forged segments, one every half millisecond or so, with
# Linux's address and port, re-reading the numbers before each: 1,000
# RSTs in the stack's receive window but never at RCV.NXT (which does not
# move: Linux sends no data), 1,000 SYNs at random sequence numbers, and
# 1,000 data segments in the window whose ACK lies 2^28 below the stack's
# sequence numbers, far below SND.UNA - MAX.SND.WND.
# Asserted: the transfer completes and Linux's copy is byte-exact
# (SHA-256); the stack was not reset (no "reset" in its send line, no
# failed connection); its statistics show at least 500 ACKs below
# SND.UNA - MAX.SND.WND dropped and at least 1,500 answers held back by
# the connection's limit (one answer per 500 ms), none by the host's;
# and spoof saw the stack answer with some challenge ACKs, but no more
# than the per-connection limit lets through (2 a second of the campaign,
# and a few ACKs of the stack's own).  Printed: the figures.
. tests/tun/lib.sh
SIZE=268435456
COUNT=3000
# (the campaign, about 1.5 s, must fall inside the transfer: 256 MiB takes
# 2.5 s or more even on a fast machine)
SPOOF=
trap '[ -n "$SPOOF" ] && kill "$SPOOF" 2>/dev/null; cleanup' EXIT
cc -O1 -o "$WORK/spoof" tests/tun/spoof.c || fail "cannot build spoof"
t0=$(date +%s.%N)
LISTEN="5000 $WORK/got" start_stack --addr "$STACK_ADDR" --connect "send:$SIZE@$LINUX_ADDR:5000"
# not through in_ns: $! must be spoof's own PID (timeout's), for cleanup
ip netns exec "$NS" timeout 40 "$WORK/spoof" "$DEV" "$STACK_ADDR" "$LINUX_ADDR" 5000 "$COUNT" > "$WORK/spoof.out" 2>&1 &
SPOOF=$!
wait_listener "the transfer"
t1=$(date +%s.%N)
wait "$SPOOF" || { SPOOF=; fail "spoof failed: $(cat "$WORK/spoof.out")"; }
SPOOF=
t2=$(date +%s.%N)
stop_stack
cat "$WORK/spoof.out"
sent=$(sed -n "s/^send: $SIZE bytes to .* sha256 \([0-9a-f]*\)$/\1/p" "$WORK/stack.out")
got=$(sha256sum "$WORK/got" | cut -d' ' -f1)
[ -n "$sent" ] && [ "$sent" = "$got" ] ||
	fail "Linux received $(stat -c %s "$WORK/got") bytes, sha256 $got; the stack says '$(grep '^send:' "$WORK/stack.out")'"
too_old=$(sed -n 's/^ *\([0-9]*\) ACKs below SND.UNA - MAX.SND.WND dropped.*/\1/p' "$WORK/stack.out")
held=$(sed -n 's/.*dropped, \([0-9]*\) answers to invalid segments$/\1/p' "$WORK/stack.out")
host_held=$(sed -n 's/.*connection.s limit, \([0-9]*\) challenge ACKs by the host.s$/\1/p' "$WORK/stack.out")
failed=$(sed -n 's/^ *\([0-9]*\) failed connection attempts.*/\1/p' "$WORK/stack.out")
[ -n "$too_old" ] && [ -n "$held" ] && [ -n "$host_held" ] || fail "the statistics lack the lines looked for"
set -- $(sed -n 's/^spoof: sent \([0-9]*\) RSTs, \([0-9]*\) SYNs, \([0-9]*\) data .* sent \([0-9]*\) empty ACKs.*/\1 \2 \3 \4/p' "$WORK/spoof.out")
[ $# -eq 4 ] || fail "spoof did not report"
rsts=$1 syns=$2 data=$3 answers=$4
campaign=$(awk -v a="$t0" -v b="$t2" 'BEGIN { printf "%.1f", b - a }')
transfer=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
echo "transfer $transfer s; $rsts RSTs, $syns SYNs, $data data segments forged; stack: $too_old ACKs too old" \
	"dropped, $held answers held back by the connection's limit, $host_held by the host's;" \
	"$answers empty ACKs from the stack during the campaign"
[ "$too_old" -ge 500 ] || fail "only $too_old ACKs below SND.UNA - MAX.SND.WND counted"
[ "$held" -ge 1500 ] || fail "only $held answers held back by the connection's limit"
[ "$host_held" -eq 0 ] || fail "$host_held challenge ACKs held back by the host's limit (one connection cannot reach it)"
[ "$answers" -ge 1 ] || fail "no challenge ACK seen"
max=$(awk -v s="$campaign" 'BEGIN { printf "%d", 2 * s + 10 }')
[ "$answers" -le "$max" ] || fail "$answers empty ACKs from the stack in $campaign s: more than the limit allows ($max)"
echo "ok: $SIZE bytes byte-exact in $transfer s through $((rsts + syns + data)) forged segments;" \
	"$too_old old ACKs dropped, $held answers held back, $answers challenge ACKs let through"
