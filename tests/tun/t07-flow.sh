# Chapter 7: flow control against Linux.  The stack's active side sends
# 4 MiB to a Linux reader that stops reading for 6 s: Linux's receive
# buffer fills and it announces a zero window; the stack's persist timer
# probes it, at intervals that double, until the reader drains the buffer
# and the transfer completes byte-exact (the SHA-256 the stack prints is
# that of what nc received).  From the stack's capture: Linux's zero
# windows, at least three zero-window probes from the stack at growing
# intervals, and no data segment from the stack shorter than the MSS
# while more data waited, except the last and the probes.
. tests/tun/lib.sh
SIZE=4194304
PAUSE=6
start_stack --addr "$STACK_ADDR" --rto-min 200 --pcap "$WORK/cap.pcap" \
	--connect "send:$SIZE@$LINUX_ADDR:5000"
t0=$(date +%s)
# the reader: nc accepts at once, but nothing reads its output for $PAUSE s
timeout 60 ip netns exec "$NS" sh -c \
	"nc -l $LINUX_ADDR 5000 < /dev/null | { sleep $PAUSE; cat > '$WORK/got'; }" &
NC=$!
wait "$NC" || fail "the Linux reader failed"
t1=$(date +%s)
for _ in $(seq 50); do grep -q '^send:' "$WORK/stack.out" && break; sleep 0.1; done
stop_stack
sent=$(sed -n "s/^send: $SIZE bytes to .* sha256 \([0-9a-f]*\)$/\1/p" "$WORK/stack.out")
got=$(sha256sum "$WORK/got" | cut -d' ' -f1)
[ -n "$sent" ] || fail "the stack did not report sending $SIZE bytes"
[ "$sent" = "$got" ] || fail "received $(stat -c %s "$WORK/got") bytes, sha256 $got; the stack sent $sent"
[ $((t1 - t0)) -ge "$PAUSE" ] || fail "the transfer took $((t1 - t0)) s, less than the reader's pause"

T="timeout 60 tshark -n -o tcp.desegment_tcp_streams:FALSE -r $WORK/cap.pcap"
# Linux closed its window
zw=$($T -Y 'tcp.analysis.zero_window && ip.src == 10.0.0.1' 2>/dev/null | wc -l)
[ "$zw" -ge 1 ] || fail "Linux never announced a zero window"
# the stack probed it, at least three times, each interval longer than the last
$T -Y 'tcp.analysis.zero_window_probe && ip.src == 10.0.0.2' \
	-T fields -e frame.time_relative -e tcp.seq -e tcp.len 2>/dev/null > "$WORK/probes"
np=$(wc -l < "$WORK/probes")
[ "$np" -ge 3 ] || { $T -Y 'tcp.analysis.zero_window || tcp.analysis.zero_window_probe' 2>/dev/null | head -20; fail "$np zero-window probes from the stack, want at least 3"; }
# the first probe goes one RTO after the window closed; the intervals
# between probes grow (by doubling, allowing for timer slack)
zw_first=$($T -Y 'tcp.analysis.zero_window && ip.src == 10.0.0.1' -T fields -e frame.time_relative 2>/dev/null | head -1)
intervals=$(awk -v z="$zw_first" 'BEGIN { p = z } { printf "%.3f ", $1 - p; p = $1 }' "$WORK/probes")
awk -v z="$zw_first" '
	BEGIN { p = z; ok = 1 }
	{ d = $1 - p; if (NR > 1 && d < 1.5 * prev) ok = 0; prev = d; p = $1 }
	END { exit !ok }' "$WORK/probes" || fail "probe intervals do not grow: $intervals"
# each probe carries one byte
awk '$3 != 1 { bad = 1 } END { exit bad }' "$WORK/probes" || fail "a probe carries other than one byte: $(cat "$WORK/probes")"
# no short data segment while more was queued: every data segment from
# the stack carries a full MSS, except the last (the one that reaches the
# end of the data), the probes, and the override timeout's segments
# (RFC 9293 3.8.6.2.1 rule 4, chapter 7's persist timer with a window open
# but smaller than an MSS): those fill the offered window exactly and go
# only after a persist interval (at least the 200 ms RTO) with nothing sent;
# and rule 2's segments, which empty the send buffer (PSH) when Linux has
# acknowledged everything (the application had written no more yet: the
# capture cannot see the buffer, only that nothing was in flight)
mss=$($T -Y 'ip.src == 10.0.0.1 && tcp.flags.syn == 1' -T fields -e tcp.options.mss_val 2>/dev/null | head -1)
[ -n "$mss" ] || fail "no MSS option from Linux"
# with timestamps (chapter 10) every segment carries 12 bytes of options,
# and a full segment holds that much less data
ts=$($T -Y 'ip.src == 10.0.0.2 && tcp.flags.syn == 1' -T fields -e tcp.options.timestamp.tsval 2>/dev/null | head -1)
[ -n "$ts" ] && mss=$((mss - 12))
$T -Y '(ip.src == 10.0.0.2 && tcp.len > 0) || (ip.src == 10.0.0.1 && tcp.flags.ack == 1)' -T fields \
	-e frame.number -e frame.time_relative -e tcp.seq -e tcp.len -e tcp.analysis.zero_window_probe \
	-e tcp.analysis.window_full -e ip.src -e tcp.ack -e tcp.flags.push 2>/dev/null > "$WORK/all"
short=$(awk -F'\t' -v mss="$mss" -v size="$SIZE" '
	$7 == "10.0.0.1" { if ($8 > acked) acked = $8; next }
	$4 < mss && $3 + $4 - 1 != size && $5 == "" && !probe[$3] {
		if ($6 != "" && $2 - prev >= 0.15) override++
		else if ($3 == acked && ($9 == "1" || $9 == "True")) drained++
		else print "frame " $1 ": seq " $3 " len " $4 ", " ($6 == "" ? "window not full" : "after " $2 - prev " s") ", acked " acked
	}
	$5 != "" { probe[$3] = 1 }
	{ prev = $2 }
	END { print override + 0, drained + 0 > "/dev/stderr" }' "$WORK/all" 2> "$WORK/override")
[ -z "$short" ] || fail "short segments from the stack with more data queued (MSS $mss): $(echo "$short" | head -5)"
read override drained < "$WORK/override"
nseg=$(awk -F'\t' '$7 == "10.0.0.2"' "$WORK/all" | wc -l)
echo "ok: $SIZE bytes to a reader paused ${PAUSE} s in $((t1 - t0)) s, byte-exact; $zw zero windows from Linux," \
	"$np probes from the stack at intervals $intervals s; $nseg data segments, none short but the last," \
	"the probes, $override filling a small window after the override timeout and $drained emptying" \
	"the send buffer with nothing in flight (MSS $mss)"
