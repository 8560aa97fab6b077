# Appendix A's lab, run exactly as written: every command of every code
# interop: alone (see tests/tun/run-all)
# block of chapters/A-labs.nw, in the order the appendix gives them, each
# checked to succeed, or to fail the way the text says it fails.
#
# Reading the blocks:
#   `$ CMD`          runs in the host shell, from the top of the checkout:
#                    sh -c 'CMD'
#   `[tcplab] # CMD` runs inside the lab's namespace:
#                    ip netns exec tcplab sh -c 'CMD'
#   a line without a prompt is a host command too, unless its block has
#   prompts, where it is output; a line ending in `\` continues on the next.
# The commands are written with `sudo`, for a reader who is not root.  The
# tests run as root, where sudo may not exist: when `command -v sudo` fails,
# every command runs with the shell function sudo() { "$@"; } defined.
#
# Besides running the commands, the test checks what the text around them
# says: `make lab` brings a lab up and `make lab-down` stops its stack; the
# by-hand lab of "What make lab does" works (tun0 is POINTOPOINT,NOARP and
# link/none, the route appears, the stack answers a ping, SIGINT makes it
# print its statistics); tshark warns that root "could be dangerous"; the
# capture filters find the pings and the SYN; "Nothing should be printed"
# by the checksum check; the sysctl is 1 by default and then 0; chapter 1's
# stack answers no ping (100% packet loss), logs each request as an
# unhandled 84-byte packet beginning `45 00 00 54`, and its statistics
# count three packets received and three taken by no protocol; with
# loss=50% about half the twenty requests reach its log and its statistics;
# chapter 2's stack answers the ping.
#
# Exceptions, each because the command cannot end by itself or needs what
# these machines lack:
#   - the by-hand `ip netns exec tcplab build/bin/tcpstack ...` (step 3)
#     runs until it is stopped ("leave this running in the first
#     terminal"): it runs in the background, and the test, standing in for
#     tools/lab, writes its PID to build/lab/tcpstack.pid so that the
#     take-down block (`kill -INT $(cat build/lab/tcpstack.pid)`) stops it as
#     written; the test removes the file again once the stack has exited.
#   - `ip netns exec tcplab ip link show tun0` (step 4, "Wait for tun0 to
#     exist") is repeated until it succeeds, for at most 5 s.
#   - `tshark -i tun0` is a live capture: it runs in the background (its
#     output line-buffered with stdbuf -oL) while the test pings the stack
#     and sends a line to its echo port, and is stopped with SIGTERM as soon
#     as it has shown them (not after a fixed time: tshark needs a second or
#     more to start capturing; a fixed window would race with that).
#   - `tail -f build/lab/tcpstack.log` never ends: it is stopped with
#     SIGTERM as soon as it has shown the three echo requests (at most 10 s).
#   - `tc qdisc add dev tun0 root netem ...` needs the netem module, which
#     the appendix presents as optional and says these machines lack: the
#     command must succeed, or fail with the message the appendix quotes
#     ("Specified qdisc kind is unknown"); in that case the `tc qdisc del`
#     that undoes it is skipped, since there is nothing to undo.
# Where the text presumes a state that the commands before do not leave:
#   - a `[tcplab] #` command needs a lab ("Inside the lab shell"): when
#     none is up, the test first runs the appendix's `sudo make lab`;
#   - `tshark -r build/lab/lab.pcap` reads a finished capture ("read it
#     after make lab-down"): when a lab is up, the test first runs
#     `sudo make lab-down`.
#
# Network safety: the lab's namespace is the fixed one of tools/lab, so the
# test is skipped when a namespace tcplab exists before it starts; nothing
# leaves that namespace; every command is bounded by timeout; the lab is
# taken down (make -s lab-down) however the test ends.
cd "$(dirname "$0")/../.." || exit 1
. tests/tun/lib.sh
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
	echo "skipped: needs root and /dev/net/tun"
	exit 0
fi
lab_exists() { ip netns list 2>/dev/null | awk '$1 == "tcplab" { f = 1 } END { exit !f }'; }
if lab_exists; then
	echo "skipped: a lab (namespace tcplab) is already up"
	exit 0
fi
BG=   # the timeout processes of the commands running in the background
bg_stop() {   # bg_stop PID: stop a background command (and all it started)
	kill -TERM "$1" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	bg_forget "$1"
}
bg_forget() { BG=$(echo " $BG " | sed "s/ $1 / /; s/^ *//; s/ *\$//"); }
at_exit() {
	for p in $BG; do kill -0 "$p" 2>/dev/null && bg_stop "$p"; done
	timeout 60 make -s lab-down > /dev/null 2>&1
	cleanup
}
trap at_exit EXIT

if command -v sudo > /dev/null; then
	SUDO_DEF=
else
	SUDO_DEF='sudo() { "$@"; }
'
fi

# ---- the commands -----------------------------------------------------------
# One per line: h or n (host, namespace), a tab, the command with its
# continuation lines joined.
awk '
function flush(   i, l, prompted, kind, cmd, cont) {
	prompted = 0
	for (i = 1; i <= nl; i++)
		if (lines[i] ~ /^\$ / || lines[i] ~ /^\[tcplab\] # /) prompted = 1
	cont = 0
	for (i = 1; i <= nl; i++) {
		l = lines[i]
		if (cont) { sub(/^[ \t]+/, "", l); cmd = cmd " " l }
		else if (!prompted) { kind = "h"; cmd = l }
		else if (l ~ /^\$ /) { kind = "h"; cmd = substr(l, 3) }
		else if (l ~ /^\[tcplab\] # /) { kind = "n"; cmd = substr(l, 12) }
		else continue   # output
		cont = (cmd ~ /\\$/)
		if (cont) { sub(/[ \t]*\\$/, "", cmd); continue }
		if (cmd != "") print kind "\t" cmd
	}
	nl = 0
}
/^[ \t]*```/ {
	if (!inb) {
		tag = $0; sub(/^[ \t]*```[ \t]*/, "", tag)
		inb = (tag == "" || tag ~ /^(sh|shell|bash|console)$/) ? 1 : 2
	} else {
		if (inb == 1) flush()
		inb = 0
	}
	next
}
inb == 1 { l = $0; sub(/^[ \t]+/, "", l); sub(/[ \t]+$/, "", l); lines[++nl] = l }
' chapters/A-labs.nw > "$WORK/commands"
total=$(wc -l < "$WORK/commands")
[ "$total" -ge 20 ] || fail "only $total commands found in Appendix A's code blocks"

# ---- running one ----------------------------------------------------------------
# run KIND CMD SECONDS: the command's stdout in $OUT, stderr in $ERR, exit
# status in $RC.
n=0
run() {
	n=$((n + 1))
	OUT=$WORK/out.$n ERR=$WORK/err.$n
	if [ "$1" = h ]; then
		timeout "$3" sh -c "$SUDO_DEF$2" < /dev/null > "$OUT" 2> "$ERR"
	else
		timeout "$3" ip netns exec tcplab sh -c "$SUDO_DEF$2" < /dev/null > "$OUT" 2> "$ERR"
	fi
	RC=$?
}
show() { [ "$1" = h ] && printf '$ %s' "$2" || printf '[tcplab] # %s' "$2"; }
bad() {   # bad WHY: the current command failed its check
	for f in "$OUT" "$ERR"; do [ -s "$f" ] && tail -n 15 "$f" | sed 's/^/  | /'; done
	fail "$(show "$kind" "$cmd"): $*"
}
need() { grep -Eq -- "$1" "$OUT" "$ERR" || bad "${2:-no '$1' in its output}"; }
ok() { [ "$RC" -eq 0 ] || bad "exit status $RC"; }
added() {   # added KIND CMD: a command the test adds, where the text presumes it
	run "$1" "$2" 240
	echo "   (added: $(show "$1" "$2"))"
	[ "$RC" -eq 0 ] || { kind=$1 cmd=$2; bad "exit status $RC"; }
	case $2 in
	*"make lab-down"*) LAB= ;;
	*"make lab"*) LAB=final IMPAIR= ;;
	esac
}
# count_log: the chapter 1 stack's echo requests in its log
count_log() { grep -c 'unhandled packet of 84 bytes: 45 00 00 54' build/lab/tcpstack.log; }

LAB=          # the running lab: final, ch01 or byhand (empty: none)
IMPAIR=       # its LAB_IMPAIR
BYHAND=       # the background job running the by-hand stack
NETEM=
CH01_PING3=   # chapter 1's stack has just seen ping -c 3
CH01_LOST=    # the number of requests chapter 1's stack logged through loss=50%
start=$(date +%s)
while IFS="$(printf '\t')" read -r kind cmd <&3; do
	# the state the text presumes
	if [ "$kind" = n ] && ! lab_exists; then
		added h "sudo make lab"
	fi
	case $kind$cmd in
	"htshark -r build/lab/lab.pcap"*) lab_exists && added h "sudo make lab-down" ;;
	esac
	t0=$(date +%s)
	case $kind$cmd in

	# ---- the exceptions
	*"ip netns exec tcplab build/bin/tcpstack --tun"*)
		n=$((n + 1)); OUT=$WORK/out.$n ERR=$WORK/err.$n; : > "$OUT"; : > "$ERR"
		timeout 300 sh -c "$SUDO_DEF$cmd" < /dev/null > "$OUT" 2> "$ERR" &
		BYHAND=$! BG="$BG $!" BYHAND_OUT=$OUT BYHAND_ERR=$ERR
		pid=
		for _ in $(seq 50); do
			for p in $(ip netns pids tcplab 2>/dev/null); do
				[ "$(cat "/proc/$p/comm" 2>/dev/null)" = tcpstack ] && pid=$p
			done
			[ -n "$pid" ] && break
			kill -0 "$BYHAND" 2>/dev/null || { RC=1; bad "the stack exited at start"; }
			sleep 0.1
		done
		[ -n "$pid" ] || bad "no tcpstack in namespace tcplab after 5 s"
		echo "$pid" > build/lab/tcpstack.pid
		LAB=byhand ;;
	"nip link show tun0"|*"ip netns exec tcplab ip link show tun0")
		for _ in $(seq 50); do
			run "$kind" "$cmd" 10
			[ "$RC" -eq 0 ] && break
			sleep 0.1
		done
		ok
		need 'POINTOPOINT.*NOARP'
		need 'link/none' ;;
	"ntshark -i tun0"*)
		n=$((n + 1)); OUT=$WORK/out.$n ERR=$WORK/err.$n; : > "$OUT"; : > "$ERR"
		timeout 60 ip netns exec tcplab stdbuf -oL sh -c "$SUDO_DEF$cmd" < /dev/null > "$OUT" 2> "$ERR" &
		tp=$! BG="$BG $!"
		for _ in $(seq 200); do
			grep -q "Capturing on" "$ERR" && break
			kill -0 "$tp" 2>/dev/null || break
			sleep 0.1
		done
		grep -q "Capturing on" "$ERR" || { bg_stop "$tp"; RC=1; bad "tshark did not start capturing"; }
		seen=
		for _ in 1 2 3 4; do
			ip netns exec tcplab timeout 10 ping -c 1 -W 2 10.0.0.2 > /dev/null 2>&1
			ip netns exec tcplab timeout 10 sh -c 'echo hello | nc -N -w 2 10.0.0.2 7' > /dev/null 2>&1
			for _ in $(seq 50); do
				grep -q 'Echo (ping) reply' "$OUT" && grep -q 'SYN, ACK' "$OUT" && seen=1 && break
				sleep 0.1
			done
			[ -n "$seen" ] && break
		done
		bg_stop "$tp"
		[ -n "$seen" ] || { RC=1; bad "the live capture did not show the ping and the echo"; }
		need 'could be dangerous' ;;
	"htail -f build/lab/tcpstack.log"*)
		n=$((n + 1)); OUT=$WORK/out.$n ERR=$WORK/err.$n; : > "$OUT"; : > "$ERR"
		timeout 30 sh -c "$SUDO_DEF$cmd" < /dev/null > "$OUT" 2> "$ERR" &
		tp=$! BG="$BG $!"
		for _ in $(seq 100); do
			[ "$(grep -c 'unhandled packet of 84 bytes: 45 00 00 54' "$OUT")" -ge 3 ] && break
			kill -0 "$tp" 2>/dev/null || break
			sleep 0.1
		done
		bg_stop "$tp"
		[ "$(grep -c 'unhandled packet of 84 bytes: 45 00 00 54' "$OUT")" -ge 3 ] ||
			{ RC=1; bad "does not show the three echo requests as unhandled 84-byte packets beginning 45 00 00 54"; } ;;
	"ntc qdisc add "*netem*)
		run "$kind" "$cmd" 10
		if [ "$RC" -eq 0 ]; then
			NETEM=yes
		else
			need 'Specified qdisc kind is unknown' "failed, but not because netem is missing"
			NETEM=no
			echo "   (this kernel has no netem: the command failed as the appendix says)"
		fi ;;
	"ntc qdisc del "*)
		if [ "$NETEM" = no ]; then
			echo "   (skipped: no netem qdisc was added)"
			n=$((n + 1))
		else
			run "$kind" "$cmd" 10; ok
		fi ;;

	# ---- the lab
	*"make lab-down"*)
		run "$kind" "$cmd" 240; ok
		need 'stopped tcpstack'
		lab_exists && bad "the namespace tcplab is still there"
		LAB= ;;
	*"make lab"*)
		run "$kind" "$cmd" 240; ok
		need 'The lab is up'
		lab_exists || bad "no namespace tcplab"
		if [ -n "$CH01_PING3" ]; then   # "three packets received, three taken by no protocol"
			need '\| +3 packets received' "the statistics do not count the three packets received"
			need '\| +3 packets taken by no protocol' "the statistics do not count three packets taken by no protocol"
			CH01_PING3=
		fi
		if [ -n "$CH01_LOST" ]; then
			need "\\| +$CH01_LOST packets received" "the statistics do not count the $CH01_LOST packets in the log"
			CH01_LOST=
		fi
		case $cmd in
		*LAB_STACK=build/ch01/*) LAB=ch01; need 'no --addr option' ;;
		*) LAB=final ;;
		esac
		case $cmd in
		*LAB_IMPAIR=*) IMPAIR=${cmd#*LAB_IMPAIR=}; IMPAIR=${IMPAIR%% *} ;;
		*) IMPAIR= ;;
		esac ;;
	"nping -c "*" 10.0.0.2")
		count=$(echo "$cmd" | awk '{ print $3 }')
		run "$kind" "$cmd" $((count + 30))
		if [ "$LAB" = ch01 ]; then   # nothing answers
			[ "$RC" -eq 1 ] || bad "exit status $RC: chapter 1's stack should answer nothing"
			need ' 100% packet loss'
			logged=$(count_log)
			if [ -z "$IMPAIR" ]; then   # "shows each echo request arrive"
				[ "$logged" -eq "$count" ] || bad "$logged requests in the log, not $count"
				[ "$count" -eq 3 ] && CH01_PING3=1
			fi
			case $IMPAIR in *loss=50%*)
				# "About half of the requests no longer appear in the log"
				if [ "$logged" -lt $((count / 5)) ] || [ "$logged" -gt $((count * 4 / 5)) ]; then
					bad "$logged of $count requests in the log: not about half"
				fi
				CH01_LOST=$logged
				echo "   ($logged of $count requests reached the stack)" ;;
			esac
		else
			ok
			need ' 0% packet loss'
		fi ;;
	*"ip netns add tcplab")
		run "$kind" "$cmd" 10; ok
		LAB=byhand ;;
	*"ip netns exec tcplab ip link set tun0 up")
		run "$kind" "$cmd" 10; ok
		if [ "$LAB" = byhand ]; then   # the lab made by hand works
			ip netns exec tcplab ip route | grep -q '^10.0.0.0/24 dev tun0 proto kernel scope link src 10.0.0.1' ||
				bad "no route 10.0.0.0/24 dev tun0 proto kernel scope link src 10.0.0.1"
			ip netns exec tcplab timeout 10 ping -c 1 -W 2 10.0.0.2 > /dev/null 2>&1 ||
				bad "the stack started by hand does not answer ping"
		fi ;;
	*"kill -INT \$(cat build/lab/tcpstack.pid)"*)
		run "$kind" "$cmd" 10; ok
		if [ "$LAB" = byhand ]; then
			for _ in $(seq 50); do kill -0 "$BYHAND" 2>/dev/null || break; sleep 0.1; done
			kill -0 "$BYHAND" 2>/dev/null && bad "the stack did not exit on SIGINT"
			wait "$BYHAND"
			bg_forget "$BYHAND"
			# (its output is a file, not a terminal: buffered until it exits)
			grep -q 'running on tun0' "$BYHAND_OUT" "$BYHAND_ERR" || bad "the stack started by hand did not say it was running"
			grep -q '^Device tun0:' "$BYHAND_OUT" || bad "the stack printed no statistics on SIGINT"
			rm -f build/lab/tcpstack.pid
		fi ;;
	*"ip netns del tcplab")
		run "$kind" "$cmd" 10; ok
		lab_exists && bad "the namespace tcplab is still there"
		LAB= ;;

	# ---- watching
	"htshark -r "*)
		run "$kind" "$cmd" 60; ok
		case $cmd in
		*check_checksum*) # "Nothing should be printed"
			[ -s "$OUT" ] && bad "printed packets with bad checksums" ;;
		*"icmp.type == 8"*) need 'Echo \(ping\) request' ;;
		*"tcp.flags.syn == 1 && tcp.flags.ack == 0"*) need '\[SYN\]' ;;
		*" -V "*) need '^Frame 1:' ;;
		*"-T fields -E header=y"*) head -n 1 "$OUT" | grep -q '^frame.time_relative' || bad "no header line" ;;
		*"tcp.analysis.retransmission"*) ;;
		*) need 'ICMP' ;;
		esac ;;
	*"sysctl -w "*=*)
		run "$kind" "$cmd" 10; ok
		kv=${cmd##*sysctl -w }
		need "^${kv%%=*} = ${kv#*=}\$" ;;
	*"sysctl net.ipv4.tcp_sack")
		run "$kind" "$cmd" 10; ok
		need '^net.ipv4.tcp_sack = 1$' ;;
	"hmake ch01")
		run "$kind" "$cmd" 240; ok
		[ -x build/ch01/bin/tcpstack ] || bad "no build/ch01/bin/tcpstack" ;;

	# ---- anything else must succeed
	*)
		run "$kind" "$cmd" 60; ok ;;
	esac
	printf '%4ss  %s\n' "$(( $(date +%s) - t0 ))" "$(show "$kind" "$cmd")"
done 3< "$WORK/commands"
echo "ok: Appendix A's $total commands ran as written ($(( $(date +%s) - start ))s)"
