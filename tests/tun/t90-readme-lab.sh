# The README's lab, run exactly as written: every line of the code block
# interop: alone (see tests/tun/run-all)
# under "## The lab" is run by sh from the top of the checkout, as root,
# and must succeed; the download's hash must be the one the stack put in
# its X-Body-SHA256 header, and the echo must come back.  The lab's
# namespace is the fixed one of tools/lab, so the test is skipped when a
# lab is already up, and takes the lab down however it ends.
. tests/tun/lib.sh
if ip netns list 2>/dev/null | grep -qw tcplab; then
	echo "skipped: a lab (namespace tcplab) is already up"
	exit 0
fi
lab_down() { make -s lab-down > /dev/null 2>&1; }
trap 'lab_down; cleanup' EXIT
awk '/^## The lab/ { inlab = 1; next } /^## / { inlab = 0 }
     inlab && /^```/ { if (block) exit; block = 1; next }
     inlab && block' README.md > "$WORK/commands"
[ "$(wc -l < "$WORK/commands")" -ge 3 ] || fail "no lab commands found in the README"
n=0
while IFS= read -r line; do
	n=$((n + 1))
	timeout 120 sh -c "$line" < /dev/null > "$WORK/out.$n" 2>&1 ||
		{ sed 's/^/  | /' "$WORK/out.$n" | tail -15; fail "README lab command failed: $line"; }
	case $line in
	*curl*sha256sum*)
		got=$(awk '{ print $1 }' "$WORK/out.$n")
		want=$(ip netns exec tcplab curl -s -D - -o /dev/null http://10.0.0.2/bytes/10485760 |
		       tr -d '\r' | awk -F': ' 'tolower($1) == "x-body-sha256" { print $2 }')
		[ -n "$want" ] && [ "$got" = "$want" ] || fail "download hash $got, header says ${want:-nothing}" ;;
	*"echo hello"*)
		grep -qx hello "$WORK/out.$n" || fail "the echo did not come back: $(cat "$WORK/out.$n")" ;;
	"make lab-down"*)
		grep -q 'stopped tcpstack' "$WORK/out.$n" || fail "lab-down did not stop the stack" ;;
	esac
done < "$WORK/commands"
ip netns list 2>/dev/null | grep -qw tcplab && fail "the namespace is still there after make lab-down"
echo "ok: the README's $n lab commands ran as written"
