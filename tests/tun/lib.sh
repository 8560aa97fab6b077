# Shared by the TUN interop tests (sourced).  Each test gets a fresh network
# namespace with a name of its own; the stack runs inside it on a TUN device,
# Linux's side of the device is 10.0.0.1/24 and the stack answers as
# 10.0.0.2.  Nothing is routed out of the namespace.  Everything the test
# made is removed on exit, also when it fails or is interrupted, and only
# processes this test started are ever killed, by their PID.

BIN=${BIN:-build/bin}
NS="tl-$$-$(basename "$0" .sh)"
NS=$(printf '%.15s' "$NS")
DEV=tltun0
LINUX_ADDR=10.0.0.1
STACK_ADDR=10.0.0.2
WORK=$(mktemp -d /tmp/tl-interop.XXXXXX)
STACK_PID=
LISTEN_PID=

cleanup() {
	[ -n "$LISTEN_PID" ] && kill "$LISTEN_PID" 2>/dev/null
	if [ -n "$STACK_PID" ] && kill -0 "$STACK_PID" 2>/dev/null; then
		kill "$STACK_PID" 2>/dev/null
		sleep 0.2
		kill -9 "$STACK_PID" 2>/dev/null
	fi
	ip netns del "$NS" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() { echo "FAIL: $*"; [ -f "$WORK/stack.out" ] && sed 's/^/  stack: /' "$WORK/stack.out" | tail -20; exit 1; }
in_ns() { ip netns exec "$NS" "$@"; }

# start_stack [tcpstack options...]: a namespace, the stack on a TUN device
# in it, and the Linux side of the device configured.  Set before the call:
#   NS_SYSCTLS="key=value ..."  Linux settings of the namespace, made first
#   LISTEN="PORT FILE"          a Linux listener (nc -l, every address) that
#                               writes what it receives to FILE, listening
#                               before the stack starts, so that a stack
#                               started with --connect finds it; its PID is
#                               LISTEN_PID (wait_listener waits for it)
start_stack() {
	ip netns add "$NS" || fail "cannot create namespace $NS"
	in_ns ip link set lo up
	for kv in ${NS_SYSCTLS:-}; do
		in_ns sysctl -qw "$kv" || fail "cannot set $kv in $NS"
	done
	if [ -n "${LISTEN:-}" ]; then
		set -- "${LISTEN%% *}" "${LISTEN#* }" "$@"
		timeout 120 ip netns exec "$NS" nc -l "$1" > "$2" &
		LISTEN_PID=$!
		for _ in $(seq 50); do
			in_ns ss -Hltn "sport = :$1" | grep -q . && break
			sleep 0.1
		done
		in_ns ss -Hltn "sport = :$1" | grep -q . || fail "the Linux listener on port $1 did not start"
		shift 2
	fi
	# not through in_ns: $! must be the PID of tcpstack itself
	ip netns exec "$NS" "$BIN/tcpstack" --tun "$DEV" "$@" > "$WORK/stack.out" 2>&1 &
	STACK_PID=$!
	for _ in $(seq 50); do
		in_ns ip link show "$DEV" > /dev/null 2>&1 && break
		kill -0 "$STACK_PID" 2>/dev/null || fail "tcpstack exited at start"
		sleep 0.1
	done
	in_ns ip addr add "$LINUX_ADDR/24" dev "$DEV" || fail "cannot address $DEV"
	in_ns ip link set "$DEV" up || fail "cannot bring $DEV up"
}

# wait_listener WHAT: wait for the LISTEN listener to end; fail if it failed.
wait_listener() {
	wait "$LISTEN_PID" || { LISTEN_PID=; fail "$1: the Linux listener failed"; }
	LISTEN_PID=
}

# stop_stack: interrupt the stack and wait for it to print its statistics.
stop_stack() {
	kill -INT "$STACK_PID" 2>/dev/null
	for _ in $(seq 50); do
		kill -0 "$STACK_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$STACK_PID" 2>/dev/null && fail "tcpstack did not stop on SIGINT"
	wait "$STACK_PID" 2>/dev/null
	STACK_PID=
}
