# Chapter 4: Linux's TCP connects to the stack's hold application and
# reaches ESTABLISHED (seen with ss); a flood of 1,000 forged SYNs leaves
# the stack's connection count bounded by its SYN queue, and a real client
# still connects once the half-open entries have timed out; the capture
# shows no malformed packet and only valid checksums from the stack.
. tests/tun/lib.sh
cc -O1 -o "$WORK/synflood" tests/tun/synflood.c || fail "cannot build synflood"
start_stack --addr "$STACK_ADDR" --pcap "$WORK/cap.pcap" --serve hold:7000 --synack-retries 1
ip netns exec "$NS" timeout 3 nc -d "$STACK_ADDR" 7000 > /dev/null 2>&1 &
NC=$!
sleep 1
in_ns ss -tn state established > "$WORK/ss.out"
grep -q "$STACK_ADDR:7000" "$WORK/ss.out" || { cat "$WORK/ss.out"; fail "no ESTABLISHED connection to the stack in ss"; }
wait "$NC" 2>/dev/null || true
in_ns "$WORK/synflood" 1000 "$STACK_ADDR" 7000 || fail "flood failed"
sleep 0.5
kill -0 "$STACK_PID" 2>/dev/null || fail "the stack died under the flood"
# a real client gets in within its own SYN retries
t0=$(date +%s)
in_ns nc -z -w 15 "$STACK_ADDR" 7000 || fail "a real client could not connect after the flood"
echo "real client connected $(( $(date +%s) - t0 )) s after the flood"
stop_stack
peak=$(awk '/connections now, at most/ { print $NF }' "$WORK/stack.out")
dropped=$(awk '/SYNs dropped: SYN queue full/ { print $1 }' "$WORK/stack.out")
# (from chapter 12 on, a full SYN queue answers with SYN cookies instead)
cookies=$(awk '/SYN cookies sent/ { print $1 }' "$WORK/stack.out")
[ -n "$peak" ] && [ "$peak" -le 140 ] || fail "peak connections ${peak:-?} exceed the SYN queue bound"
[ -n "$dropped" ] && [ $((dropped + ${cookies:-0})) -ge 100 ] ||
	fail "only ${dropped:-?} SYNs dropped (and ${cookies:-0} answered with cookies) at the full SYN queue"
# (fewer than 1000 - 128: the kernel drops some when the TUN queue is full)
T="tshark -n -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -r $WORK/cap.pcap"
bad=$($T -Y '_ws.malformed || (ip.src == 10.0.0.2 && (tcp.checksum.status != 1 || ip.checksum.status != 1))' 2>/dev/null | wc -l)
[ "$bad" -eq 0 ] || fail "$bad malformed packets or bad checksums from the stack"
echo "ok: ESTABLISHED in ss; flood: peak $peak connections, $dropped SYNs dropped; checksums valid"
