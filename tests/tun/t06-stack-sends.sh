# Chapter 6: the stack's active side sends 10 MiB to a Linux listener with
# --connect send:BYTES@ADDR:PORT, through 1% loss; what nc receives has the
# SHA-256 the stack printed.
. tests/tun/lib.sh
SIZE=10485760
start_stack --addr "$STACK_ADDR" --rto-min 200 --impair "loss=1%,delay=2ms,seed=11" \
	--connect "send:$SIZE@$LINUX_ADDR:5000"
timeout 60 ip netns exec "$NS" nc -l "$LINUX_ADDR" 5000 > "$WORK/got" &
NC=$!
wait "$NC" || fail "the Linux listener failed"
for _ in $(seq 50); do grep -q '^send:' "$WORK/stack.out" && break; sleep 0.1; done
stop_stack
sent=$(sed -n "s/^send: $SIZE bytes to .* sha256 \([0-9a-f]*\)$/\1/p" "$WORK/stack.out")
got=$(sha256sum "$WORK/got" | cut -d' ' -f1)
[ -n "$sent" ] || fail "the stack did not report sending $SIZE bytes"
[ "$sent" = "$got" ] || fail "received $(stat -c %s "$WORK/got") bytes, sha256 $got; the stack sent $sent"
echo "ok: $SIZE bytes from the stack to Linux through 1% loss, byte-exact"
