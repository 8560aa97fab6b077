# Lays out a packet ladder from a `tcpsim ... --trace` file and writes
# the gnuplot commands that draw it (figures/ladder.gp loads them).
#   awk -f figures/ladder-layout.awk TRACE > LAYOUT
#
# Trace lines:  seg FROM SENT_MS ARRIVED_MS LOST "label"
#               state HOST TIME_MS "STATE[, STATE...]"
#               gap DRAWN_MS REAL_LENGTH_MS   (a shortened idle gap)
#
# Host a (0) is the left line, host b (1) the right; time runs down.
# Arrows stay between the two lines.  Each side has two columns outside
# its line: next to the line the labels of the segments that side sends,
# and further out the states it enters.  In each column labels are
# stacked top to bottom: a label sits at the time its segment left (or
# its state began) unless the label above it is less than one text line
# away, in which case it moves down just enough (a segment's label then
# gets a thin leader to its arrow; a state stacked under another one
# that began at the same instant needs none).  So no label touches an arrow or another label;
# tools/check-ladders proves it for every ladder the book draws.
#
# Units: x is counted in character widths (CW pixels each), y in the
# trace's milliseconds.  The SVG is drawn at FONT pixels; the PDF is the
# same picture scaled by PDFSCALE.

BEGIN {
	FONT = 10; CW = 6.2; LINEPX = 14; PDFSCALE = 0.75
	H = 440; TOP = 0.90; BOTTOM = 0.04  # plot area, fractions of the height
	CENTRE = 20                         # units between the two lines
	ns = 0; nt = 0; ng = 0
}

function unq(s) { sub(/^"/, "", s); sub(/"$/, "", s); return s }
function max(a, b) { return a > b ? a : b }

# the quoted label is the sixth field on, up to the closing quote
function quoted(   s) {
	s = $0; sub(/^[^"]*"/, "", s); sub(/".*$/, "", s); return s
}

$1 == "seg" {
	ns++; sfrom[ns] = $2; ssent[ns] = $3; sarr[ns] = $4; slost[ns] = $5
	slabel[ns] = quoted()
	sseq[ns] = seqof(slabel[ns])
	next
}
$1 == "state" {
	n = split(quoted(), parts, /, /)
	for (i = 1; i <= n; i++) {
		nt++; tside[nt] = $2; ttime[nt] = $3; tlabel[nt] = parts[i]; torder[nt] = nt
	}
	next
}
$1 == "gap" { ng++; gdrawn[ng] = $2; greal[ng] = $3; next }

# Stack one column's labels (indices in list[1..n], sorted by time) so
# that consecutive ones are at least lh apart; returns the lowest y.
function stack(n, list, at, y, lh,   i, k, prev, low) {
	prev = -1e9; low = -1e9
	for (i = 1; i <= n; i++) {
		k = list[i]
		y[k] = max(at[k], prev + lh)
		prev = y[k]
		low = max(low, y[k])
	}
	return low
}

# the sequence number in a label, to order segments sent at one instant
function seqof(label,   s) {
	if (!match(label, /seq=[0-9]+/)) return 0
	return substr(label, RSTART + 4, RLENGTH - 4) + 0
}

function before(a, b, key, tie) {
	return key[a] < key[b] || (key[a] == key[b] && tie[a] < tie[b])
}

# insertion sort of indices by a key, then by a tie-breaker
function sortby(n, list, key, tie,   i, j, v) {
	for (i = 2; i <= n; i++) {
		v = list[i]
		for (j = i - 1; j >= 1 && before(v, list[j], key, tie); j--) list[j + 1] = list[j]
		list[j + 1] = v
	}
}

function layout(lh,   side, n, i, low) {
	low = 0
	for (side = 0; side <= 1; side++) {
		n = 0; delete L
		for (i = 1; i <= ns; i++) if (sfrom[i] == side) L[++n] = i
		sortby(n, L, ssent, sseq)
		low = max(low, stack(n, L, ssent, sy, lh))
		n = 0; delete L
		for (i = 1; i <= nt; i++) if (tside[i] == side) L[++n] = i
		sortby(n, L, ttime, torder)
		low = max(low, stack(n, L, ttime, ty, lh))
	}
	return low
}

END {
	tmax = 0
	for (i = 1; i <= ns; i++) tmax = max(tmax, sarr[i])
	for (i = 1; i <= nt; i++) tmax = max(tmax, ttime[i])
	# column widths, in characters
	for (i = 1; i <= ns; i++) wl[sfrom[i]] = max(wl[sfrom[i]], length(slabel[i]))
	for (i = 1; i <= nt; i++) ws[tside[i]] = max(ws[tside[i]], length(tlabel[i]))
	# x positions: [ytics] states-a labels-a |a  CENTRE  b| labels-b states-b
	tics = (ng == 0)
	lm = tics ? 9 : 1
	xsa = 0                      # a's states, left-aligned
	xla = ws[0] + 2 + wl[0]      # a's segment labels, right-aligned here
	xa = xla + 1                 # a's line
	xb = xa + CENTRE             # b's line
	xlb = xb + 1                 # b's segment labels, left-aligned here
	xsb = xlb + wl[1] + 2        # b's states, left-aligned
	xmax = xsb + ws[1] + 1
	W = int((lm + xmax + 1) * CW + 0.5)
	PH = H * (TOP - BOTTOM)
	# the time range depends on how far labels are pushed down: iterate
	pad = tmax * 0.04 + 1
	ymin = -pad; ymax = tmax + pad
	for (iter = 0; iter < 4; iter++) {
		lh = (ymax - ymin) * LINEPX / PH
		low = layout(lh)
		want = max(tmax, low) + lh
		if (want <= ymax) break
		ymax = want
	}
	lh = (ymax - ymin) * LINEPX / PH
	layout(lh)

	printf "# laid out by figures/ladder-layout.awk\n"
	printf "W = %d; H = %d; FONT = %d; PDFSCALE = %g; LH = %.6f; CW = %g\n", W, H, FONT, PDFSCALE, lh, CW
	printf "set xrange [%g:%g]\n", -lm, xmax + 1
	printf "set yrange [%.4f:%.4f]\n", ymax, ymin
	printf "set lmargin at screen 0\nset rmargin at screen 1\n"
	printf "set tmargin at screen %g\nset bmargin at screen %g\n", TOP, BOTTOM
	printf "unset ytics\n"
	if (tics) {                  # a time scale, at the left edge
		step = 1
		while (tmax / step > 8) step *= (step ~ /^2/ ? 2.5 : 2)
		for (y = 0; y <= tmax; y += step)
			printf "set label \"%g ms\" at %g,%.4f right font \",%d\" tc rgb \"#666666\" # ticklabel %d\n", \
				y, -2, y, FONT - 1, length(y " ms")
	}
	# the two hosts' lines and names
	printf "set arrow from %g,%.4f to %g,%.4f nohead lw 2 lc rgb \"#444444\" back\n", xa, ymin, xa, ymax
	printf "set arrow from %g,%.4f to %g,%.4f nohead lw 2 lc rgb \"#444444\" back\n", xb, ymin, xb, ymax
	printf "set label \"a (10.0.0.1)\" at %g,graph 1 center offset 0,1 font \",%d\"\n", xa, FONT + 1
	printf "set label \"b (10.0.0.2)\" at %g,graph 1 center offset 0,1 font \",%d\"\n", xb, FONT + 1
	for (i = 1; i <= ns; i++) {
		from = sfrom[i]; x0 = from == 0 ? xa : xb; x1 = from == 0 ? xb : xa
		y0 = ssent[i]; y1 = sarr[i]
		if (slost[i] > 0) {          # a lost segment stops halfway, with a cross
			x1 = (x0 + x1) / 2; y1 = (y0 + y1) / 2
			printf "set label \"\" at %g,%.4f point pt 2 ps 1.2 lw 2 lc rgb \"#c03020\" # lost\n", x1, y1
		}
		printf "set arrow from %g,%.4f to %g,%.4f head filled size char 0.7,15 lw 1.2 lc rgb \"#1f5fa0\" # seg\n", x0, y0, x1, y1
		lx = from == 0 ? xla : xlb
		printf "set label \"%s\" at %g,%.4f %s font \",%d\" tc rgb \"%s\" # seglabel %d\n", \
			slabel[i], lx, sy[i], (from == 0 ? "right" : "left"), FONT, \
			(slost[i] > 0 ? "#c03020" : "#000000"), length(slabel[i])
		if (sy[i] - y0 > lh * 0.2) {  # moved down: a leader to its arrow
			printf "set arrow from %g,%.4f to %g,%.4f nohead lw 0.6 lc rgb \"#999999\" # leader\n", \
				(lx + (from == 0 ? 0.3 : -0.3)), sy[i], x0, y0
		}
	}
	for (i = 1; i <= nt; i++) {
		x = tside[i] == 0 ? xsa : xsb
		printf "set label \"%s\" at %g,%.4f left font \",%d\" tc rgb \"#7a3d00\" # statelabel %d\n", \
			tlabel[i], x, ty[i], FONT, length(tlabel[i])
	}
	for (i = 1; i <= ng; i++)
		printf "set label \"%.0f ms later\" at %g,%.4f center font \",%d\" tc rgb \"#666666\" # gaplabel %d\n", \
			greal[i], (xa + xb) / 2, gdrawn[i], FONT - 1, length(sprintf("%.0f ms later", greal[i]))
}
