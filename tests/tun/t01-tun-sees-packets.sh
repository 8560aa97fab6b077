# Chapter 1: the stack opens a TUN device in a namespace; packets the kernel
# routes to it arrive (counted by the stack, and in its capture); the stack
# stops cleanly on SIGINT and prints its statistics.
. tests/tun/lib.sh
start_stack --pcap "$WORK/cap.pcap"
in_ns ping -c 3 -i 0.2 -W 1 "$STACK_ADDR" > "$WORK/ping.out" 2>&1
stop_stack
grep -q "running on $DEV" "$WORK/stack.out" || fail "no start message"
rx=$(awk '/packets received/ { print $1; exit }' "$WORK/stack.out")
[ -n "$rx" ] && [ "$rx" -ge 3 ] || fail "stack counted ${rx:-no} packets, expected at least 3"
n=$(tshark -r "$WORK/cap.pcap" -Y 'icmp.type == 8' 2>/dev/null | wc -l)
[ "$n" -eq 3 ] || fail "capture holds $n echo requests, expected 3"
echo "ok: $rx packets reached the stack; the capture shows $n echo requests"
