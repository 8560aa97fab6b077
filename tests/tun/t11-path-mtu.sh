# Chapter 11: path-MTU discovery against a real Linux router.  The test's
# proves: RFC1191-2 RFC1191-3b RFC1191-6.4
# namespace (R, lib.sh's) holds the TUN device (Linux 10.0.0.1, the stack
# 10.0.0.2), forwards (ip_forward=1), and has one end of a veth pair,
# 10.0.1.1 with MTU 1280; the other end, 10.0.1.2, MTU 1280, is in a second
# namespace F made by this test, with a default route back through R.  F's
# route announces an MSS of 1460 (advmss), as a host behind a tunnel that
# does not know about it, so the stack starts with full-sized segments.
# The stack connects to a listener in F and sends 4 MiB, twice:
#   icmp   R answers the stack's 1500-byte DF datagrams with ICMP
#          fragmentation needed, MTU 1280 (RFC 1191);
#   hole   R's ICMP is dropped by nft on its way out: a black hole, which
#          the stack must find after repeated timeouts.
# Checked from the stack's capture and statistics: icmp: the ICMP arrives
# with MTU 1280 (one for each datagram of the first flight) and the stack
# lowers its MSS once on it (the others are no news and are ignored); every
# data segment after the first ICMP is at most 1280 bytes.  hole: no
# ICMP arrives, the stack lowers its MSS on timeouts, and the transfer ends
# in segments of at most 1280 bytes.  Both: every datagram the stack sent has
# DF, and the transfer is byte-exact (SHA-256).
. tests/tun/lib.sh
SIZE=4194304
FNS=$(printf '%.15s' "tl-$$-pmtuF")
FAR=10.0.1.2
FLISTEN_PID=
far_cleanup() {
	[ -n "$FLISTEN_PID" ] && kill "$FLISTEN_PID" 2>/dev/null
	ip netns del "$FNS" 2>/dev/null
	cleanup
}
trap far_cleanup EXIT

run() {
	name=$1
	cap="$WORK/$name.pcap"
	ip netns add "$FNS" || fail "cannot create namespace $FNS"
	ip netns exec "$FNS" ip link set lo up
	NS_SYSCTLS="net.ipv4.ip_forward=1" \
	start_stack --addr "$STACK_ADDR" --pcap "$cap" --rto-min 200 \
		--connect "send:$SIZE@$FAR:5000"
	in_ns ip link add tlv0 mtu 1280 type veth peer name tlv1 mtu 1280 netns "$FNS" ||
		fail "cannot create the veth pair"
	in_ns ip addr add 10.0.1.1/24 dev tlv0
	in_ns ip link set tlv0 up
	ip netns exec "$FNS" ip addr add "$FAR/24" dev tlv1
	ip netns exec "$FNS" ip link set tlv1 up
	ip netns exec "$FNS" ip route add default via 10.0.1.1 advmss 1460 ||
		fail "cannot route F back through R"
	if [ "$name" = hole ]; then
		in_ns nft -f - << 'EOF' || fail "cannot install the nft rule"
table ip tlpmtu {
	chain out {
		type filter hook output priority 0;
		icmp type destination-unreachable drop
	}
}
EOF
	fi
	timeout 40 ip netns exec "$FNS" nc -l "$FAR" 5000 > "$WORK/got" &
	FLISTEN_PID=$!
	wait "$FLISTEN_PID" || { FLISTEN_PID=; fail "$name: the listener in F failed"; }
	FLISTEN_PID=
	for _ in $(seq 50); do grep -q '^send:' "$WORK/stack.out" && break; sleep 0.1; done
	stop_stack
	sent=$(sed -n "s/^send: $SIZE bytes to .* sha256 \([0-9a-f]*\)$/\1/p" "$WORK/stack.out")
	got=$(sha256sum "$WORK/got" | cut -d' ' -f1)
	[ -n "$sent" ] || fail "$name: the stack did not report sending $SIZE bytes"
	[ "$sent" = "$got" ] || fail "$name: F received $(stat -c %s "$WORK/got") bytes, sha256 $got; the stack sent $sent"
	reductions=$(sed -n 's/^ *\([0-9]*\) MSS reductions on ICMP fragmentation needed, \([0-9]*\) on a suspected black hole$/\1 \2/p' \
		"$WORK/stack.out")
	[ -n "$reductions" ] || fail "$name: the statistics lack the MSS reductions line"
	set -- $reductions
	on_icmp=$1 on_rto=$2
	# frame, source, ICMP type, code, the quoted datagram's length, IP length, DF, TCP payload
	timeout 60 tshark -n -r "$cap" -T fields -e frame.number -e ip.src -e icmp.type -e icmp.code \
		-e icmp.mtu -e ip.len -e ip.flags.df -e tcp.len -Eoccurrence=f 2>/dev/null > "$WORK/$name.tsv" ||
		fail "$name: tshark cannot read the capture"
	sed -i 's/\tTrue/\t1/g; s/\tFalse/\t0/g' "$WORK/$name.tsv"
	set -- $(awk -F'\t' '
		$3 == 3 && $4 == 4 { icmp++; if (!first) first = $1; mtu = $5; next }
		$2 == "10.0.0.2" {
			if ($7 != 1) nodf++
			if ($8 > 0) {
				data++
				if (first && $6 > 1280) after++
				if ($6 > 1280) { big++; size = 0 } else if ($6 > size) size = $6
			}
		}
		END { print icmp + 0, mtu + 0, data + 0, big + 0, after + 0, nodf + 0, size + 0 }' "$WORK/$name.tsv")
	icmp=$1 mtu=$2 data=$3 big=$4 after=$5 nodf=$6 size=$7
	[ "$data" -gt 1000 ] || fail "$name: only $data data segments in the capture"
	[ "$nodf" -eq 0 ] || fail "$name: $nodf datagrams from the stack without DF"
	if [ "$name" = icmp ]; then
		[ "$icmp" -ge 1 ] && [ "$mtu" -eq 1280 ] || fail "icmp: no frag-needed with MTU 1280 reached the stack ($icmp, mtu $mtu)"
		[ "$on_icmp" -eq 1 ] || fail "icmp: the stack lowered its MSS $on_icmp times on ICMP"
		[ "$after" -eq 0 ] || fail "icmp: $after data segments over 1280 bytes after the ICMP"
	else
		[ "$icmp" -eq 0 ] || fail "hole: $icmp frag-needed messages got through the firewall"
		[ "$on_rto" -ge 1 ] || fail "hole: the stack never lowered its MSS on timeouts"
		[ "$size" -gt 0 ] || fail "hole: no data segment of 1280 bytes or less after the last larger one"
	fi
	echo "$name: $data data segments, $big over 1280 bytes; $icmp frag-needed (MTU $mtu);" \
		"MSS lowered $on_icmp times on ICMP, $on_rto on timeouts; then segments of at most $size bytes; byte-exact"
	ip netns del "$NS"
	ip netns del "$FNS"
}

run icmp
run hole
echo "ok: $SIZE bytes through a Linux router with a 1280-byte hop, with its ICMP and as a black hole, byte-exact"
