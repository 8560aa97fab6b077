# Chapter 3: a connection attempt to a port where nothing listens is
# refused at once: the stack answers Linux's SYN with RST+ACK, sequence
# number 0 and acknowledgment number SYN's + 1 (RFC 9293 3.10.7.1), with a
# valid checksum.
. tests/tun/lib.sh
start_stack --addr "$STACK_ADDR" --pcap "$WORK/cap.pcap"
t0=$(date +%s%N)
in_ns nc -v -w 3 "$STACK_ADDR" 80 < /dev/null > "$WORK/nc.out" 2>&1
rc=$?
t1=$(date +%s%N)
stop_stack
[ "$rc" -ne 0 ] || fail "nc connected to a closed port"
grep -qi 'refused' "$WORK/nc.out" || { cat "$WORK/nc.out"; fail "nc was not refused"; }
ms=$(( (t1 - t0) / 1000000 ))
[ "$ms" -lt 2000 ] || fail "refusal took $ms ms: not immediate"
T="tshark -n -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -r $WORK/cap.pcap"
syn=$($T -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' -T fields -e tcp.seq_raw 2>/dev/null | head -1)
rst=$($T -Y 'tcp.flags.reset == 1' -T fields -e tcp.seq_raw -e tcp.ack_raw -e tcp.flags.ack -e tcp.window_size_value -e tcp.checksum.status -e ip.checksum.status 2>/dev/null | head -1)
[ -n "$syn" ] && [ -n "$rst" ] || fail "capture lacks the SYN or the RST"
set -- $rst
[ "$1" = 0 ] || fail "RST sequence number $1, expected 0"
[ "$2" = "$((syn + 1))" ] || [ "$2" = "$(( (syn + 1) % 4294967296 ))" ] || fail "RST ack $2, expected $((syn + 1))"
[ "$3" = 1 ] || fail "RST without the ACK flag"
[ "$4" = 0 ] || fail "RST window $4, expected 0"
[ "$5" = 1 ] && [ "$6" = 1 ] || fail "RST checksums: tcp status $5, ip status $6 (1 = good)"
bad=$($T -Y '_ws.malformed || _ws.expert.severity >= 8388608' 2>/dev/null | wc -l)
[ "$bad" -eq 0 ] || fail "$bad malformed packets in the capture"
echo "ok: refused in $ms ms; RST seq 0 ack $2 = SYN $syn + 1, checksums valid"
