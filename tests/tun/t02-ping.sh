# Chapter 2: Linux pings the stack over TUN.  Five echo requests get five
# replies; the capture, read by tshark with checksum verification on, shows
# valid IP and ICMP checksums and no malformed packets; a datagram of an
# unknown protocol draws a protocol-unreachable; a fragmented ping is
# counted and dropped.
. tests/tun/lib.sh
start_stack --addr "$STACK_ADDR" --pcap "$WORK/cap.pcap"
in_ns ping -c 5 -i 0.2 -W 2 "$STACK_ADDR" > "$WORK/ping.out" 2>&1
got=$(awk '/packets transmitted/ { print $4 }' "$WORK/ping.out")
[ "$got" = 5 ] || { cat "$WORK/ping.out"; fail "5 pings got ${got:-no} replies"; }
# a UDP datagram: the stack speaks no UDP
echo hello | in_ns nc -u -w 1 "$STACK_ADDR" 9 > /dev/null 2>&1
# 1473 bytes of ICMP data need two fragments on a 1500-byte MTU
in_ns ping -c 1 -W 1 -s 1473 "$STACK_ADDR" > /dev/null 2>&1
stop_stack
T="tshark -n -o ip.check_checksum:TRUE -r $WORK/cap.pcap"
replies=$($T -Y 'icmp.type == 0' 2>/dev/null | wc -l)
[ "$replies" -eq 5 ] || fail "capture shows $replies echo replies, expected 5"
bad=$($T -Y 'ip.checksum.status != 1 || icmp.checksum.status == 0 || _ws.malformed || _ws.expert.severity >= 8388608' 2>/dev/null | wc -l)
[ "$bad" -eq 0 ] || { $T -Y 'ip.checksum.status != 1 || icmp.checksum.status == 0 || _ws.malformed' 2>/dev/null | head; fail "$bad packets with bad checksums or malformed"; }
unreach=$($T -Y 'icmp.type == 3 && icmp.code == 2 && ip.src == 10.0.0.2' 2>/dev/null | wc -l)
[ "$unreach" -ge 1 ] || fail "no protocol unreachable for the UDP datagram"
grep -q 'fragments (not reassembled)' "$WORK/stack.out" || fail "fragments not counted"
echo "ok: 5/5 replies, $unreach protocol unreachable, checksums valid, fragments counted"
