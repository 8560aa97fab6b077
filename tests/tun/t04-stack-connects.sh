# Chapter 4: the stack's active open to a Linux listener succeeds (its
# first SYN goes out before the device is up and is lost: the
# retransmission a second later gets through).
. tests/tun/lib.sh
start_stack --addr "$STACK_ADDR" --pcap "$WORK/cap.pcap" --connect "$LINUX_ADDR:5000"
timeout 10 ip netns exec "$NS" nc -l "$LINUX_ADDR" 5000 > /dev/null 2>&1 &
LISTENER=$!
ok=
for _ in $(seq 40); do
	if in_ns ss -tn state established | grep -q "$LINUX_ADDR:5000"; then ok=1; break; fi
	sleep 0.25
done
[ -n "$ok" ] || fail "no ESTABLISHED connection from the stack"
grep -q "hold: connected to $LINUX_ADDR:5000" "$WORK/stack.out" || fail "the stack did not report the connection"
kill "$LISTENER" 2>/dev/null
wait "$LISTENER" 2>/dev/null
stop_stack
echo "ok: the stack connected to Linux's listener"
