# Chapter 12: a SYN flood at line rate against the stack's HTTP server,
# interop: alone (see tests/tun/run-all)
# with SYN cookies and without.  In each run the stack serves http:80
# (--synack-retries 1, so that a forged half-open entry lives about 3 s);
# synflood sends SYNs from forged sources 10.0.0.3-250, as fast as its
# raw socket takes them, for 8 s (20,000,000 at most: more than any
# machine sends in 8 s, so that the flood's length does not depend on the
# machine's speed), in the background;
# half a second into the flood Linux's curl fetches /bytes/1048576.
#   cookies (the default): the fetch succeeds and its SHA-256 is the one
#     in the stack's X-Body-SHA256 header; curl is connected while the
#     flood still lasts (its first SYN is answered with a cookie, or, when
#     the kernel's TUN queue dropped it amid the flood, a later try is:
#     curl tries again each second); the statistics show at least 10,000 SYN cookies sent, at least
#     one valid one returned (curl's: the SYN queue is full when it dials)
#     and no SYN dropped.
#   --no-syncookies: the statistics show at least 10,000 SYNs dropped at
#     the full SYN queue and no cookie; curl does not connect before the
#     flood has ended (it connects later, by a SYN retransmission, or
#     fails: either is accepted, and if it connects the body must be
#     exact).
# Both: the stack's peak connection count stays within the SYN queue's
# bound (128 half-open, the listener, curl's and a cookie's TCB: <= 140)
# and the stack survives.  Printed: SYNs sent and received, cookies,
# drops, peaks, curl's connect and total times.
. tests/tun/lib.sh
FLOOD=
trap '[ -n "$FLOOD" ] && kill "$FLOOD" 2>/dev/null; cleanup' EXIT
cc -O1 -o "$WORK/synflood" tests/tun/synflood.c || fail "cannot build synflood"
URL=http://$STACK_ADDR/bytes/1048576
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
stat_of() { sed -n "$1" "$WORK/stack.out"; }

# run NAME [tcpstack options]: one flood and one fetch; sets NAME_* figures
run() {
	name=$1
	shift
	start_stack --addr "$STACK_ADDR" --serve http:80 --synack-retries 1 "$@"
	in_ns curl -s -o /dev/null --max-time 5 "$URL" || fail "$name: the fetch before the flood failed"
	rm -f "$WORK/body" "$WORK/head"
	f0=$(now)
	# not through in_ns: $! must be the flood's own PID (timeout's), for cleanup
	ip netns exec "$NS" timeout 20 "$WORK/synflood" 20000000 "$STACK_ADDR" 80 8 > "$WORK/flood.out" 2>&1 &
	FLOOD=$!
	sleep 0.5
	# curl tries as a client that retries would, a new SYN every second
	# until one is answered (25 s at most): amid the flood the kernel's
	# TUN queue drops a share of every SYN sent to the stack, curl's too,
	# and a single curl, with Linux's SYN retransmissions at 1, 3 and 7 s,
	# could see all of them dropped by the kernel before the stack saw one
	c0=$(now)
	while :; do
		t_try=$(now)
		in_ns curl -s -D "$WORK/head" -o "$WORK/body" --connect-timeout 1 --max-time 25 \
			-w '%{time_connect} %{time_total}\n' "$URL" > "$WORK/curl.out"
		curl_rc=$?
		[ "$curl_rc" -eq 28 ] && awk '{ exit !($1 == 0) }' "$WORK/curl.out" &&
			awk -v a="$c0" -v b="$(now)" 'BEGIN { exit !(b - a < 25) }' || break
	done
	wait "$FLOOD" || { FLOOD=; fail "$name: the flood failed: $(cat "$WORK/flood.out")"; }
	FLOOD=
	kill -0 "$STACK_PID" 2>/dev/null || fail "$name: the stack died under the flood"
	stop_stack
	flood_secs=$(sed -n 's/.* in \([0-9.]*\) s$/\1/p' "$WORK/flood.out")
	flooded=$(sed -n 's/^synflood: \([0-9]*\) SYNs.*/\1/p' "$WORK/flood.out")
	fend=$(awk -v a="$f0" -v d="$flood_secs" 'BEGIN { printf "%.3f", a + d }')
	received=$(stat_of 's/^ *\([0-9]*\) segments received$/\1/p')
	peak=$(stat_of 's/.*connections now, at most \([0-9]*\)$/\1/p')
	dropped=$(stat_of 's/^ *\([0-9]*\) SYNs dropped: SYN queue full.*/\1/p')
	set -- $(stat_of 's/^ *\([0-9]*\) SYN cookies sent, \([0-9]*\) valid ones returned, \([0-9]*\) invalid$/\1 \2 \3/p')
	[ $# -eq 3 ] && [ -n "$peak" ] && [ -n "$dropped" ] || fail "$name: the statistics lack the lines looked for"
	sent=$1 ok=$2 bad=$3
	[ "$peak" -le 140 ] || fail "$name: at most $peak connections at once, beyond the SYN queue's bound"
	if [ "$curl_rc" -eq 0 ]; then
		set -- $(cat "$WORK/curl.out")
		tconn=$(printf '%.2f' "$1") ttotal=$(printf '%.2f' "$2")
		want=$(tr -d '\r' < "$WORK/head" | awk -F': ' 'tolower($1) == "x-body-sha256" { print $2 }')
		got=$(sha256sum "$WORK/body" | cut -d' ' -f1)
		[ -n "$want" ] && [ "$got" = "$want" ] ||
			fail "$name: the body's SHA-256 is $got, the header says ${want:-nothing}"
		connected_at=$(awk -v a="$t_try" -v t="$tconn" 'BEGIN { printf "%.3f", a + t }')
		fetch="fetched (exact) in $ttotal s, connected $(secs "$c0" "$connected_at") s after dialling"
	else
		connected_at=
		fetch="curl failed (exit $curl_rc)"
	fi
	echo "$name: $flooded SYNs sent in $flood_secs s, $received segments reached the stack;" \
		"$sent cookies sent, $ok valid returned, $bad invalid; $dropped SYNs dropped;" \
		"at most $peak connections; curl started $(secs "$f0" "$c0") s into the flood and $fetch"
	eval "${name}_line=\"\$fetch\" ${name}_sent=$sent ${name}_ok=$ok ${name}_dropped=$dropped ${name}_peak=$peak"
	ip netns del "$NS"
}

run cookies
[ "$curl_rc" -eq 0 ] || fail "cookies: the fetch failed during the flood (curl exit $curl_rc)"
awk -v c="$connected_at" -v e="$fend" 'BEGIN { exit !(c < e) }' ||
	fail "cookies: curl connected only after the flood had ended"
[ "$sent" -ge 10000 ] || fail "cookies: only $sent SYN cookies sent"
[ "$ok" -ge 1 ] || fail "cookies: no valid cookie returned (curl's connection did not come through one)"
[ "$dropped" -eq 0 ] || fail "cookies: $dropped SYNs dropped"

run nocookies --no-syncookies
[ "$sent" -eq 0 ] || fail "nocookies: $sent cookies sent"
[ "$dropped" -ge 10000 ] || fail "nocookies: only $dropped SYNs dropped at the full SYN queue"
if [ -n "$connected_at" ]; then
	awk -v c="$connected_at" -v e="$fend" 'BEGIN { exit !(c >= e) }' ||
		fail "nocookies: curl connected while the flood still lasted"
fi
echo "ok: under the flood, with cookies ($cookies_sent sent, $cookies_ok returned) curl $cookies_line;" \
	"without ($nocookies_dropped SYNs dropped) $nocookies_line, after the flood; peaks" \
	"$cookies_peak and $nocookies_peak connections"
