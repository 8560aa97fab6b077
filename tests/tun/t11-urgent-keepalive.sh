# Chapter 11: urgent data and keepalive against Linux.
#  urgent     a small client (tests/tun/oobsend.c) on Linux sends 36,000
#             bytes to the stack's urgent application, with a send(MSG_OOB)
#             of one byte after every 9,000: the application reads in line
#             and prints the count, the SHA-256 and the stream offsets of the
#             urgent bytes it was told of.  Checked: byte-exact (count and
#             hash of what the client sent, urgent bytes included), the
#             offsets are those of the client's urgent bytes, and in the
#             stack's capture every segment of Linux's with URG has a pointer
#             that points at the byte after one of them (RFC 6093), every one
#             of them announced so.
#  urgent, the other way  the stack (--connect oob:20001@...) sends 10,000
#             bytes, one with tcp_send_urgent, and 10,000 more to a small
#             Linux reader (tests/tun/oobrecv.c) that reads with
#             SO_OOBINLINE and asks SIOCATMARK before every read: it must
#             receive them byte-exact and find its one mark at offset 10000.
#  keepalive  the stack (--keepalive 2,1,3) connects to a Linux listener
#             and holds the connection with nothing to send.  Its probes
#             (no data, SEG.SEQ = SND.NXT - 1) go 2 s after the last word
#             from Linux, and Linux answers each; after some 6.5 s the
#             namespace's address goes, so Linux hears nothing more.  From
#             the capture: the probes answered; then three probes 2, 3 and
#             4 s after Linux's last segment and a reset at 5 s (0.3 s
#             tolerance), nothing from Linux after it, and the application
#             told "Connection timed out".
. tests/tun/lib.sh
cc -Wall -O1 -o "$WORK/oobsend" tests/tun/oobsend.c || fail "cannot build oobsend"
cc -Wall -O1 -o "$WORK/oobrecv" tests/tun/oobrecv.c || fail "cannot build oobrecv"

# --- urgent data -----------------------------------------------------------
start_stack --addr "$STACK_ADDR" --pcap "$WORK/urg.pcap" --serve urgent:7000
in_ns timeout 20 "$WORK/oobsend" "$STACK_ADDR" 7000 12 "$WORK/sent" > "$WORK/oob.txt" ||
	fail "urgent: the client failed"
for _ in $(seq 100); do grep -q '^urgent:' "$WORK/stack.out" && break; sleep 0.05; done
stop_stack
line=$(grep '^urgent:' "$WORK/stack.out") || fail "urgent: the application printed nothing"
size=$(stat -c %s "$WORK/sent")
hash=$(sha256sum "$WORK/sent" | cut -d' ' -f1)
want_marks=$(awk '{ printf "%s%s", sep, $2; sep = " " }' "$WORK/oob.txt")
[ -n "$want_marks" ] || fail "urgent: the client sent no urgent byte"
echo "$line" | grep -q " sent $size bytes sha256 $hash, " ||
	fail "urgent: the client sent $size bytes, sha256 $hash; the stack: $line"
got_marks=${line#*urgent bytes at }
[ "$got_marks" = "$want_marks" ] ||
	fail "urgent: urgent bytes sent at $want_marks, the stack marked $got_marks"
timeout 30 tshark -n -r "$WORK/urg.pcap" -Y "ip.src == $LINUX_ADDR && tcp.flags.urg == 1" -T fields \
	-e tcp.seq -e tcp.urgent_pointer -e tcp.len > "$WORK/urg.tsv" 2>/dev/null ||
	fail "urgent: tshark cannot read the capture"
# the last urgent byte is at stream offset (seq - 1) + (pointer - 1)
set -- $(awk -v want="$want_marks" '
	BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) ok[w[i]] = 1 }
	{ segs++; at = $1 - 1 + $2 - 1; if (at in ok) seen[at] = 1; else bad++ }
	END { for (k in seen) covered++; print segs + 0, bad + 0, covered + 0, n }' "$WORK/urg.tsv")
[ "$1" -gt 0 ] || fail "urgent: no segment of Linux's carried URG"
[ "$2" -eq 0 ] || fail "urgent: $2 of Linux's $1 URG segments point elsewhere than after an urgent byte"
[ "$3" -eq "$4" ] || fail "urgent: only $3 of the $4 urgent bytes were announced with URG"
echo "urgent: $size bytes byte-exact, urgent bytes at $want_marks marked in line;" \
	"$1 segments from Linux with URG, each pointing at the byte after an urgent byte"
ip netns del "$NS"

# --- urgent data, the other way ---------------------------------------------
# (as start_stack, but with Linux's reader listening before the stack starts)
ip netns add "$NS" || fail "cannot create namespace $NS"
in_ns ip link set lo up
timeout 30 ip netns exec "$NS" "$WORK/oobrecv" 5001 "$WORK/oob.got" > "$WORK/oobrecv.out" &
LISTEN_PID=$!
for _ in $(seq 50); do in_ns ss -Hltn "sport = :5001" | grep -q . && break; sleep 0.1; done
in_ns ss -Hltn "sport = :5001" | grep -q . || fail "urgent, other way: the reader did not start"
ip netns exec "$NS" "$BIN/tcpstack" --tun "$DEV" --addr "$STACK_ADDR" \
	--connect "oob:20001@$LINUX_ADDR:5001" > "$WORK/stack.out" 2>&1 &
STACK_PID=$!
for _ in $(seq 50); do in_ns ip link show "$DEV" > /dev/null 2>&1 && break; sleep 0.1; done
in_ns ip addr add "$LINUX_ADDR/24" dev "$DEV" && in_ns ip link set "$DEV" up ||
	fail "urgent, other way: cannot set up $DEV"
wait_listener "urgent, other way"
stop_stack
line=$(grep '^oob: sent 20001 bytes' "$WORK/stack.out") || fail "urgent, other way: the stack did not send"
want=${line#*sha256 }
want=${want%%,*}
got=$(sha256sum "$WORK/oob.got" | cut -d' ' -f1)
[ "$got" = "$want" ] ||
	fail "urgent, other way: Linux read $(stat -c %s "$WORK/oob.got") bytes, sha256 $got; the stack sent $want"
marks=$(awk '{ printf "%s%s", sep, $2; sep = " " }' "$WORK/oobrecv.out")
[ "$marks" = 10000 ] || fail "urgent, other way: Linux's marks at '$marks', not at 10000"
echo "urgent, the other way: 20001 bytes byte-exact to Linux, its SIOCATMARK mark at 10000"
ip netns del "$NS"

# --- keepalive -------------------------------------------------------------
LISTEN="5000 $WORK/ka.got" start_stack --addr "$STACK_ADDR" --pcap "$WORK/ka.pcap" \
	--keepalive 2,1,3 --connect "$LINUX_ADDR:5000"
sleep 6.5
in_ns ip addr del "$LINUX_ADDR/24" dev "$DEV" || fail "keepalive: cannot remove Linux's address"
for _ in $(seq 160); do grep -q 'ended:' "$WORK/stack.out" && break; sleep 0.05; done
grep -q 'hold: .* ended: Connection timed out' "$WORK/stack.out" ||
	fail "keepalive: the connection did not end with a timeout"
stop_stack
timeout 30 tshark -n -r "$WORK/ka.pcap" -Y "tcp.port == 5000" -T fields -e frame.time_relative \
	-e ip.src -e tcp.flags.syn -e tcp.flags.reset -e tcp.seq -e tcp.len > "$WORK/ka.raw" 2>/dev/null ||
	fail "keepalive: tshark cannot read the capture"
sed 's/\tTrue/\t1/g; s/\tFalse/\t0/g' "$WORK/ka.raw" > "$WORK/ka.tsv"
# The probes (the stack's, no data, relative seq 0), the answers (Linux's
# next segment), and after Linux's last segment: 3 probes at +2, +3, +4 s,
# then the reset at +5 s.
set -- $(awk -F'\t' -v stack="$STACK_ADDR" '
	function near(x, want) { return x > want - 0.3 && x < want + 0.3 }
	$2 == stack && $3 == 0 && $4 == 0 && $5 == 0 && $6 == 0 { probe[++np] = $1; pending = 1; next }
	$2 == stack && $4 == 1 { rst = $1; next }
	$2 != stack { if (pending) answered++; pending = 0; last = $1; if (rst != "") after++ }
	END {
		late = 0; for (i = 1; i <= np; i++) if (probe[i] > last) { late++; d[late] = probe[i] - last }
		ok = late == 3 && near(d[1], 2) && near(d[2], 3) && near(d[3], 4) && rst != "" && near(rst - last, 5)
		printf "%d %d %d %s %s %s %s %d %d\n", np, answered + 0, late, d[1] + 0, d[2] + 0, d[3] + 0,
			rst == "" ? -1 : rst - last, after + 0, ok }' "$WORK/ka.tsv")
[ $# -eq 9 ] || fail "keepalive: the analysis of the capture failed"
[ "$2" -ge 2 ] || fail "keepalive: only $2 probes answered before Linux went (of $1)"
[ "$9" -eq 1 ] && [ "$8" -eq 0 ] ||
	fail "keepalive: after Linux's last segment $3 probes at +$4, +$5, +$6 s and the reset at +$7 s" \
		"(want 3 at +2, +3, +4 and the reset at +5); $8 segments from Linux after the reset"
echo "keepalive: $2 probes answered by Linux; then, after its last segment, probes at +$4, +$5, +$6 s" \
	"and the reset at +$7 s; the application told: Connection timed out"
echo "ok: urgent data read in line byte-exact with its marks; keepalive probes kept the connection" \
	"while answered and reset it after 3 unanswered"
