# Chapter 7: window scaling against Linux.  The stack runs with 4 MiB
# interop: alone (see tests/tun/run-all)
# slow: make checkpoints leaves it out (make interop, and a checkpoint's grade, run it)
# proves: RFC7323-2.2
# buffers, first with window scaling (the default), moving 256 MiB each
# way, then with --no-window-scaling, moving 64 MiB each way (enough to
# see the window; the whole test stays under a minute with the
# sanitizers' build of make checkpoint).  Each transfer is byte-exact: from
# Linux into the sink (nc, SHA-256 compared) and from the stack's http
# application to curl (the body's SHA-256 against X-Body-SHA256).  While
# Linux sends, `ss -tin` in the namespace samples Linux's view of the
# stack's window (snd_wnd: the peer's window as Linux scales it), and
# dumpcap keeps the first 2,000 packets, handshake included, for tshark
# (the stack's own --pcap would write all 512 MiB).  With scaling the
# stack's SYN-ACK carries a shift of 7 and both ss and tshark see a
# window above 1 MiB; without, no shift, and no window above 65,535.
. tests/tun/lib.sh
BUF=4194304
head -c 268435456 /dev/urandom > "$WORK/data"

# run NAME SIZE [tcpstack options]: SIZE bytes each way; sets $up and
# $down (MB/s), $ss_wnd and $ss_ws (from ss), $cap_wnd, $cap_scale and
# $syn_ws (from the capture)
run() {
	name=$1
	SIZE=$2
	shift 2
	head -c "$SIZE" "$WORK/data" > "$WORK/send"
	want=$(sha256sum "$WORK/send" | cut -d' ' -f1)
	start_stack --addr "$STACK_ADDR" --rto-min 200 --rcvbuf "$BUF" --sndbuf "$BUF" \
		--serve sink:9000 --serve http:80 "$@"
	in_ns timeout 30 dumpcap -q -i "$DEV" -c 2000 -s 96 -w "$WORK/$name.pcapng" \
		> "$WORK/dumpcap.out" 2>&1 &
	dc=$!
	for _ in $(seq 50); do grep -q Capturing "$WORK/dumpcap.out" && break; sleep 0.1; done
	grep -q Capturing "$WORK/dumpcap.out" || fail "dumpcap did not start: $(cat "$WORK/dumpcap.out")"
	t0=$(date +%s.%N)
	timeout 100 ip netns exec "$NS" nc -N "$STACK_ADDR" 9000 < "$WORK/send" > /dev/null &
	nc=$!
	: > "$WORK/$name.ss"
	while kill -0 "$nc" 2>/dev/null; do
		in_ns ss -tin dst "$STACK_ADDR" '( dport = :9000 )' | tail -n +2 >> "$WORK/$name.ss"
		sleep 0.2
	done
	wait "$nc" || fail "$name: nc could not send $SIZE bytes to the sink"
	t1=$(date +%s.%N)
	kill "$dc" 2>/dev/null
	wait "$dc" 2>/dev/null
	up=$(echo "$t0 $t1" | awk -v n="$SIZE" '{ printf "%.0f", n / ($2 - $1) / 1e6 }')
	# the other way: the http application's generated body (HEAD first,
	# so that the body's hash is computed before the clock starts)
	in_ns curl -s -I -o /dev/null "http://$STACK_ADDR/bytes/$SIZE" || fail "$name: HEAD failed"
	down=$(in_ns curl -s -D "$WORK/head" -o "$WORK/got" -w '%{speed_download}' \
		--max-time 100 "http://$STACK_ADDR/bytes/$SIZE") || fail "$name: curl GET failed"
	down=$(echo "$down" | awk '{ printf "%.0f", $1 / 1e6 }')
	for _ in $(seq 50); do grep -q '^sink:' "$WORK/stack.out" && break; sleep 0.1; done
	stop_stack
	sent=$(sed -n "s/^sink: .* sent $SIZE bytes sha256 \([0-9a-f]*\) in .*/\1/p" "$WORK/stack.out")
	[ "$sent" = "$want" ] ||
		fail "$name: the sink says '$(grep '^sink:' "$WORK/stack.out")'; nc sent $SIZE bytes, sha256 $want"
	hdr=$(sed -n 's/^X-Body-SHA256: \([0-9a-f]*\).*/\1/p' "$WORK/head")
	got=$(sha256sum "$WORK/got" | cut -d' ' -f1)
	[ "$(stat -c %s "$WORK/got")" -eq "$SIZE" ] && [ "$got" = "$hdr" ] ||
		fail "$name: curl received $(stat -c %s "$WORK/got") bytes, sha256 $got; the stack sent $SIZE, sha256 $hdr"
	rm -f "$WORK/got"
	ss_wnd=$(grep -o 'snd_wnd:[0-9]*' "$WORK/$name.ss" | cut -d: -f2 | sort -n | tail -1)
	ss_ws=$(grep -o 'wscale:[0-9,]*' "$WORK/$name.ss" | head -1)
	T="timeout 60 tshark -n -o tcp.desegment_tcp_streams:FALSE -r $WORK/$name.pcapng"
	syn_ws=$($T -Y "ip.src == $STACK_ADDR && tcp.flags.syn == 1 && tcp.srcport == 9000" \
		-T fields -e tcp.options.wscale.shift 2>/dev/null | head -1)
	$T -Y "ip.src == $STACK_ADDR && tcp.srcport == 9000 && tcp.flags.syn == 0" -T fields \
		-e tcp.window_size -e tcp.window_size_scalefactor 2>/dev/null | sort -n | tail -1 > "$WORK/wnd"
	read cap_wnd cap_scale < "$WORK/wnd"
	[ -n "$cap_wnd" ] || fail "$name: no segment from the stack's sink in the capture"
	ip netns del "$NS"
}

run scaled 268435456
[ "$syn_ws" = 7 ] || fail "scaling: the stack's SYN-ACK offered shift '${syn_ws:-none}', want 7 for a $BUF-byte buffer"
[ "$cap_wnd" -gt 1048576 ] || fail "scaling: the largest window in the capture is $cap_wnd (scale $cap_scale), want above 1 MiB"
if [ -n "$ss_wnd" ]; then
	[ "$ss_wnd" -gt 1048576 ] || fail "scaling: ss saw snd_wnd at most $ss_wnd, want above 1 MiB"
	ss_note="ss snd_wnd up to $ss_wnd ($ss_ws)"
else
	ss_note="ss shows no snd_wnd here (an older iproute2 or kernel): the capture's figure only"
fi
s_up=$up s_down=$down s_cap=$cap_wnd s_scale=$cap_scale

run unscaled 67108864 --no-window-scaling
[ -z "$syn_ws" ] || fail "--no-window-scaling: the stack's SYN-ACK offered shift $syn_ws"
[ "$cap_wnd" -le 65535 ] || fail "--no-window-scaling: the capture shows a window of $cap_wnd"
[ -z "$ss_ws" ] || fail "--no-window-scaling: ss shows $ss_ws"
if [ -n "$ss_wnd" ]; then
	[ "$ss_wnd" -le 65535 ] || fail "--no-window-scaling: ss saw snd_wnd $ss_wnd"
	ss_note2="ss snd_wnd up to $ss_wnd"
else
	ss_note2="no snd_wnd from ss"
fi
echo "ok: byte-exact each way, $BUF-byte buffers; with scaling (shift 7), 256 MiB:" \
	"Linux -> stack $s_up MB/s, stack -> Linux $s_down MB/s, windows up to $s_cap in the" \
	"capture (scale $s_scale), $ss_note; --no-window-scaling, 64 MiB: $up and $down MB/s," \
	"windows up to $cap_wnd, $ss_note2"
