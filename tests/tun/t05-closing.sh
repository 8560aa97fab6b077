# Chapter 5: the three ways a connection with Linux ends.
#  1. Linux closes first: the stack's hold application passes through
#     CLOSE-WAIT and LAST-ACK; Linux ends in TIME-WAIT (seen with ss).
#  2. The stack closes first (hello): Linux reads the line and end of stream;
#     the stack ends in TIME-WAIT (its statistics say so).
#  3. Linux half-closes with shutdown(SHUT_WR) (nc -N) and still receives
#     the stack's reply (count), sent after Linux's FIN.
. tests/tun/lib.sh
start_stack --addr "$STACK_ADDR" --pcap "$WORK/cap.pcap" \
	--serve hold:7000 --serve hello:7001 --serve count:7002
in_ns timeout 5 nc -N "$STACK_ADDR" 7000 < /dev/null > /dev/null 2>&1 || fail "nc to hold failed"
sleep 0.3
in_ns ss -tan state time-wait > "$WORK/ss.out"
grep -q "$STACK_ADDR:7000" "$WORK/ss.out" || { cat "$WORK/ss.out"; fail "Linux is not in TIME-WAIT after closing first"; }
hello=$(in_ns timeout 5 nc "$STACK_ADDR" 7001 < /dev/null 2>&1)
[ "$hello" = "hello from tcpstack" ] || fail "hello said '$hello'"
reply=$(printf 'twelve bytes' | in_ns timeout 5 nc -N "$STACK_ADDR" 7002 2>&1)
[ "$reply" = "12 bytes" ] || fail "count replied '$reply' after the half-close"
sleep 0.3
stop_stack
grep -q "closed; closing too" "$WORK/stack.out" || fail "hold did not see the end of stream"
tw=$(awk '/connections in TIME-WAIT now/ { print $1 }' "$WORK/stack.out")
[ -n "$tw" ] && [ "$tw" -ge 1 ] || fail "the stack has ${tw:-no} connections in TIME-WAIT after closing first"
T="tshark -n -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -r $WORK/cap.pcap"
fins=$($T -Y 'tcp.flags.fin == 1 && ip.src == 10.0.0.2' 2>/dev/null | wc -l)
[ "$fins" -ge 3 ] || fail "only $fins FINs from the stack"
rsts=$($T -Y 'tcp.flags.reset == 1' 2>/dev/null | wc -l)
[ "$rsts" -eq 0 ] || fail "$rsts resets in clean closes"
bad=$($T -Y '_ws.malformed || (ip.src == 10.0.0.2 && (tcp.checksum.status != 1 || ip.checksum.status != 1))' 2>/dev/null | wc -l)
[ "$bad" -eq 0 ] || fail "$bad malformed packets or bad checksums from the stack"
echo "ok: Linux in TIME-WAIT after closing first; hello and half-close replies right; stack TIME-WAIT $tw; $fins FINs, no resets"
