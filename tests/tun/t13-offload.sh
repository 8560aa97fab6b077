# Chapter 13: the virtio-net header.  With --offload the stack glues its
# segments into TSO packets of up to 64 KiB and Linux hands it GSO packets
# that it cuts into segments; 8 MiB each way must arrive byte-exact, the
# capture on the namespace's side of the device must show packets longer
# than the MTU each way, and the stack's counters must count both.  Then
# the fallback: the kernel's refusal (feigned by --offload-refused) leaves
# a working stack that writes each segment on its own.
. tests/tun/lib.sh
NS="tl-io-$$"
SIZE=8388608
head -c "$SIZE" /dev/urandom > "$WORK/up"
up_hash=$(sha256sum "$WORK/up" | cut -d' ' -f1)
CAP_PID=
capture() {   # capture FILE: the namespace's side of the device, headers only
	ip netns exec "$NS" dumpcap -q -i "$DEV" -s 96 -f tcp -w "$1" 2>/dev/null &
	CAP_PID=$!
	sleep 1
}
end_capture() { sleep 0.5; kill "$CAP_PID" 2>/dev/null; wait "$CAP_PID" 2>/dev/null; CAP_PID=; }
both_ways() {   # both_ways WHAT: a download and an upload, byte-exact
	in_ns curl -s --max-time 60 -D "$WORK/h" -o "$WORK/body" "http://$STACK_ADDR/bytes/$SIZE" \
		|| fail "$1: curl failed"
	want=$(awk 'tolower($1) == "x-body-sha256:" { print $2 }' "$WORK/h" | tr -d '\r')
	got=$(sha256sum "$WORK/body" | cut -d' ' -f1)
	[ -n "$want" ] && [ "$want" = "$got" ] || fail "$1: download sha256 $got, server says $want"
	in_ns timeout 60 nc -N "$STACK_ADDR" 9000 < "$WORK/up" > /dev/null || fail "$1: upload failed"
	for _ in $(seq 50); do grep -q '^sink:' "$WORK/stack.out" && break; sleep 0.1; done
	end_capture
	stop_stack
	grep '^sink:' "$WORK/stack.out" | grep -q "sent $SIZE bytes sha256 $up_hash" ||
		fail "$1: upload: $(grep '^sink:' "$WORK/stack.out")"
}
long() {   # long PCAP SRC: packets from SRC longer than the MTU
	tshark -n -r "$1" -Y "ip.src == $2 && ip.len > 1500" 2>/dev/null | wc -l
}

start_stack --addr "$STACK_ADDR" --offload --serve http:80 --serve sink:9000
capture "$WORK/on.pcap"
both_ways "offloads on"
line=$(grep 'offloads:' "$WORK/stack.out") || fail "no offload counters printed"
set -- $line
tso=$2 tso_segs=$6 gso=$8 gso_segs=${13%,}
[ "$tso" -gt 0 ] && [ "$tso_segs" -gt "$tso" ] || fail "no TSO writes: $line"
[ "$gso" -gt 0 ] && [ "$gso_segs" -gt "$gso" ] || fail "no GSO packets read: $line"
out=$(long "$WORK/on.pcap" "$STACK_ADDR")
in=$(long "$WORK/on.pcap" "$LINUX_ADDR")
[ "$out" -gt 0 ] || fail "Linux saw no TSO packet from the stack"
[ "$in" -gt 0 ] || fail "Linux sent the stack no GSO packet"
bad=$(tshark -n -r "$WORK/on.pcap" -Y '_ws.malformed || _ws.expert.severity >= "warning" && tcp.analysis.lost_segment' 2>/dev/null | wc -l)
[ "$bad" -eq 0 ] || fail "$bad malformed packets or gaps in the capture"
echo "offloads on: $tso TSO writes carried $tso_segs segments, $gso GSO packets read carried $gso_segs; Linux saw $out long packets from the stack, sent $in; byte-exact both ways"
ip netns del "$NS"

start_stack --addr "$STACK_ADDR" --offload-refused --serve http:80 --serve sink:9000
capture "$WORK/off.pcap"
both_ways "offloads refused"
grep -q 'no offloads' "$WORK/stack.out" || fail "the refusal was not reported"
grep -q 'offloads:' "$WORK/stack.out" && fail "offloads counted after a refusal"
out=$(long "$WORK/off.pcap" "$STACK_ADDR")
in=$(long "$WORK/off.pcap" "$LINUX_ADDR")
[ "$out" -eq 0 ] && [ "$in" -eq 0 ] || fail "after the refusal, $out long packets out and $in in"
echo "ok: offloads on and refused, 8 MiB each way byte-exact"
