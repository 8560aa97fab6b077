# Chapter 8: a rate-limited link, then one shared with Linux.
# interop: alone (see tests/tun/run-all)
# slow: make checkpoints leaves it out (make interop, and a checkpoint's grade, run it)
#  1. 8 MiB each way through 20 Mbit/s: Linux -> stack through a token
#     bucket (tbf) on the TUN device, which shapes what the kernel sends
#     into it; stack -> Linux through the stack's own --impair
#     rate=20mbps,queue=50.  Byte-exact, and neither rate far above the
#     limit (at most 5% over; goodput, so below it in fact).
#  2. The stack and Linux share a bottleneck.  The stack's namespace R
#     (the Linux end of the TUN device, 10.0.0.1) becomes a router: a
#     veth to namespace L (10.0.2.2), the receiver, and a veth to
#     namespace S (10.0.1.2), a Linux sender using CUBIC (congctl on its
#     route), with a tbf of 20 Mbit/s on R's veth towards L.  The stack
#     needs no route: it writes every packet into the device, and R
#     forwards.  The stack and S each send 16 MiB to L at once (S starts
#     when the stack's first bytes reach L); both byte-exact.  L's two
#     files, sampled every 0.2 s, give each flow's rate while both ran.
#     Each flow must have a share: with a queue of 20 ms (tbf latency) at
#     least 10% of the rate, with 50 ms at least 5%.  The bounds only
#     catch a flow starved; the shares are printed.  (When this was
#     written the stack's NewReno, without SACK, had 27-39% at 20 ms and
#     14-42% at 50 ms, where its slow start, meeting S's, overfills the
#     queue, which drops every other segment of a long run, and NewReno
#     repairs one hole a round trip.)
. tests/tun/lib.sh
SIZE=8388608
SHARED=16777216
RATE=20
head -c "$SHARED" /dev/urandom > "$WORK/shared"
head -c "$SIZE" "$WORK/shared" > "$WORK/data"
want=$(sha256sum "$WORK/data" | cut -d' ' -f1)
want_shared=$(sha256sum "$WORK/shared" | cut -d' ' -f1)
HOST_CC=
grep -qw cubic /proc/sys/net/ipv4/tcp_available_congestion_control 2>/dev/null && HOST_CC=cubic

# ---- 1. through a rate limit, each way
start_stack --addr "$STACK_ADDR" --rto-min 200 --serve sink:9000 --impair "rate=${RATE}mbps,queue=50" \
	--trace-cwnd "$WORK/trace" --connect "send:$SIZE@$LINUX_ADDR:5000"
in_ns tc qdisc add dev "$DEV" root tbf rate "${RATE}mbit" burst 32kbit latency 50ms || fail "cannot add a tbf on $DEV"
[ -z "$HOST_CC" ] || in_ns ip route replace 10.0.0.0/24 dev "$DEV" congctl "$HOST_CC" || fail "cannot set congctl"
timeout 60 ip netns exec "$NS" nc -l "$LINUX_ADDR" 5000 > "$WORK/got" &
NC=$!
wait "$NC" || fail "the Linux listener failed"
for _ in $(seq 50); do grep -q '^send:' "$WORK/stack.out" && break; sleep 0.1; done
in_ns timeout 60 nc -N "$STACK_ADDR" 9000 < "$WORK/data" > /dev/null || fail "the upload through the tbf failed"
for _ in $(seq 50); do grep -q '^sink:' "$WORK/stack.out" && break; sleep 0.1; done
tbf_drops=$(in_ns tc -s qdisc show dev "$DEV" | sed -n 's/.*(dropped \([0-9]*\),.*/\1/p' | head -1)
stop_stack
sent=$(sed -n "s/^send: $SIZE bytes to .* sha256 \([0-9a-f]*\)$/\1/p" "$WORK/stack.out")
got=$(sha256sum "$WORK/got" | cut -d' ' -f1)
[ -n "$sent" ] && [ "$sent" = "$got" ] ||
	fail "through --impair rate: Linux received $(stat -c %s "$WORK/got") bytes, sha256 $got; the stack says '$sent'"
sink=$(grep '^sink:' "$WORK/stack.out")
echo "$sink" | grep -q "sent $SIZE bytes sha256 $want in" || fail "through the tbf: '$sink'"
in_rate=$(echo "$sink" | awk -v n="$SIZE" '{ printf "%.1f", n * 8 / $(NF - 1) / 1e6 }')
# the sending connection's first and last trace lines
port=$(awk '$1 == "cwnd" && $3 != 9000 { print $3; exit }' "$WORK/trace")
out_rate=$(awk -v p="$port" -v n="$SIZE" '$1 == "cwnd" && $3 == p { if (!t0) t0 = $2; t1 = $2 }
	END { printf "%.1f", (t1 > t0 ? n * 8 / (t1 - t0) / 1e6 : 0) }' "$WORK/trace")
out_falls=$(awk -v p="$port" '$1 == "cwnd" && $3 == p { if (n++ && $4 < c) f++; c = $4 } END { print f + 0 }' "$WORK/trace")
for r in "$in_rate" "$out_rate"; do
	awk -v r="$r" -v lim="$RATE" 'BEGIN { exit !(r > 0 && r <= lim * 1.05) }' ||
		fail "a rate of $r Mbit/s through a $RATE Mbit/s limit (Linux -> stack $in_rate, stack -> Linux $out_rate)"
done
rtx=$(awk '/segments retransmitted/ { print $4 }' "$WORK/stack.out")
echo "rate limit: Linux -> stack through the tbf $in_rate Mbit/s (${tbf_drops:-?} drops at the tbf);" \
	"stack -> Linux through --impair rate $out_rate Mbit/s, cwnd fell $out_falls times, $rtx segments retransmitted"
ip netns del "$NS"

# ---- 2. a shared bottleneck
NSS="$NS-s"
NSL="$NS-l"
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; cleanup; ip netns del "$NSS" 2>/dev/null; ip netns del "$NSL" 2>/dev/null' EXIT

# share QUEUE: one run with a tbf of latency QUEUE; sets $a_rate, $b_rate
# (Mbit/s while both ran, the stack's and S's), $overlap, $falls, $drops
share() {
	queue=$1
	for n in "$NS" "$NSS" "$NSL"; do
		ip netns add "$n" || fail "cannot create namespace $n"
		ip -n "$n" link set lo up
	done
	# the device exists, up and addressed, before the stack opens it
	ip -n "$NS" tuntap add dev "$DEV" mode tun || fail "cannot create $DEV"
	ip -n "$NS" addr add "$LINUX_ADDR/24" dev "$DEV"
	ip -n "$NS" link set "$DEV" up
	ip link add tl8s netns "$NS" type veth peer name eth0 netns "$NSS" || fail "cannot create a veth pair"
	ip link add tl8l netns "$NS" type veth peer name eth0 netns "$NSL" || fail "cannot create a veth pair"
	ip -n "$NS" addr add 10.0.1.1/24 dev tl8s
	ip -n "$NS" addr add 10.0.2.1/24 dev tl8l
	ip -n "$NSS" addr add 10.0.1.2/24 dev eth0
	ip -n "$NSL" addr add 10.0.2.2/24 dev eth0
	for l in "$NS tl8s" "$NS tl8l" "$NSS eth0" "$NSL eth0"; do
		set -- $l
		ip -n "$1" link set "$2" up || fail "cannot bring $2 up in $1"
	done
	ip -n "$NSS" route add default via 10.0.1.1 ${HOST_CC:+congctl $HOST_CC} || fail "no route in S"
	ip -n "$NSL" route add default via 10.0.2.1 || fail "no route in L"
	ip netns exec "$NS" sysctl -qw net.ipv4.ip_forward=1 || fail "cannot make R forward"
	ip netns exec "$NS" tc qdisc add dev tl8l root tbf rate "${RATE}mbit" burst 32kbit latency "$queue" ||
		fail "cannot add a tbf towards L"
	rm -f "$WORK/a" "$WORK/b" "$WORK/samples"
	timeout 60 ip netns exec "$NSL" nc -l 10.0.2.2 5001 > "$WORK/a" &
	la=$!
	timeout 60 ip netns exec "$NSL" nc -l 10.0.2.2 5002 > "$WORK/b" &
	lb=$!
	PIDS="$la $lb"
	for _ in $(seq 20); do ip netns exec "$NSL" ss -ltn | grep -q ':5002 ' && break; sleep 0.1; done
	ip netns exec "$NS" "$BIN/tcpstack" --tun "$DEV" --addr "$STACK_ADDR" --rto-min 200 \
		--trace-cwnd "$WORK/trace" --connect "send:$SHARED@10.0.2.2:5001" > "$WORK/stack.out" 2>&1 &
	STACK_PID=$!
	for _ in $(seq 100); do [ -s "$WORK/a" ] && break; sleep 0.05; done
	[ -s "$WORK/a" ] || fail "the stack's first bytes did not reach L through R"
	timeout 60 ip netns exec "$NSS" nc -N 10.0.2.2 5002 < "$WORK/shared" > /dev/null &
	sb=$!
	PIDS="$PIDS $sb"
	while kill -0 "$la" 2>/dev/null || kill -0 "$lb" 2>/dev/null; do
		echo "$(date +%s.%N) $(stat -c %s "$WORK/a") $(stat -c %s "$WORK/b")" >> "$WORK/samples"
		sleep 0.2
	done
	echo "$(date +%s.%N) $(stat -c %s "$WORK/a") $(stat -c %s "$WORK/b")" >> "$WORK/samples"
	wait "$la" || fail "L's listener for the stack failed (queue $queue)"
	wait "$lb" || fail "L's listener for S failed (queue $queue)"
	wait "$sb" || fail "S's sender failed (queue $queue)"
	PIDS=
	for _ in $(seq 50); do grep -q '^send:' "$WORK/stack.out" && break; sleep 0.1; done
	drops=$(ip netns exec "$NS" tc -s qdisc show dev tl8l | sed -n 's/.*(dropped \([0-9]*\),.*/\1/p' | head -1)
	stop_stack
	sent=$(sed -n "s/^send: $SHARED bytes to .* sha256 \([0-9a-f]*\)$/\1/p" "$WORK/stack.out")
	got=$(sha256sum "$WORK/a" | cut -d' ' -f1)
	[ -n "$sent" ] && [ "$sent" = "$got" ] ||
		fail "queue $queue: L received $(stat -c %s "$WORK/a") bytes from the stack, sha256 $got; the stack says '$sent'"
	got=$(sha256sum "$WORK/b" | cut -d' ' -f1)
	[ "$got" = "$want_shared" ] ||
		fail "queue $queue: L received $(stat -c %s "$WORK/b") bytes from S, sha256 $got; S sent $want_shared"
	# while both ran: from the first sample in which both had bytes to the
	# first in which either had all
	awk -v size="$SHARED" '
		!s && $2 > 0 && $3 > 0 { s = $1; a0 = $2; b0 = $3 }
		s && !e && ($2 >= size || $3 >= size) { e = $1; a1 = $2; b1 = $3 }
		END { d = e - s; if (d <= 0) d = 1e-9
		      printf "%.1f %.2f %.2f\n", d, (a1 - a0) * 8 / d / 1e6, (b1 - b0) * 8 / d / 1e6 }' \
		"$WORK/samples" > "$WORK/rates"
	read overlap a_rate b_rate < "$WORK/rates"
	falls=$(awk '$1 == "cwnd" { if (n++ && $4 < c) f++; c = $4 } END { print f + 0 }' "$WORK/trace")
	for n in "$NS" "$NSS" "$NSL"; do ip netns del "$n"; done
	awk -v d="$overlap" 'BEGIN { exit !(d >= 1) }' ||
		fail "queue $queue: the flows ran together for only $overlap s (stack $a_rate, S $b_rate Mbit/s)"
}

# check QUEUE LEAST: each flow had at least LEAST percent of the rate
check() {
	for r in "$a_rate" "$b_rate"; do
		awk -v r="$r" -v least="$2" -v lim="$RATE" 'BEGIN { exit !(r >= lim * least / 100) }' ||
			fail "queue $1: the stack had $a_rate Mbit/s and S $b_rate while both ran ($overlap s), want each" \
				"at least $2% of $RATE"
	done
}
pct() { awk -v r="$1" -v lim="$RATE" 'BEGIN { printf "%.0f", r * 100 / lim }'; }

share 20ms
check 20ms 10
line20="queue 20 ms: stack $a_rate Mbit/s ($(pct "$a_rate")%), S $b_rate ($(pct "$b_rate")%) over $overlap s, $drops tbf drops, the stack's cwnd fell $falls times"
echo "$line20"
share 50ms
check 50ms 5
line50="queue 50 ms: stack $a_rate ($(pct "$a_rate")%), S $b_rate ($(pct "$b_rate")%) over $overlap s, $drops drops, $falls falls"
echo "$line50"
echo "ok: 8 MiB each way through $RATE Mbit/s, byte-exact: Linux -> stack $in_rate Mbit/s (tbf)," \
	"stack -> Linux $out_rate (--impair rate); sharing $RATE Mbit/s with Linux ${HOST_CC:-(its default)}," \
	"16 MiB each, byte-exact: $line20; $line50"
