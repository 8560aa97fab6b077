# tools/check-ladders.awk: proves that in a ladder laid out by
# figures/ladder-layout.awk no two labels overlap and no label touches
# an arrow or a host's line.  It reads the gnuplot commands, works out
# where each label and arrow lands on the SVG canvas (W x H pixels) and
# tests every pair.  A label's box is its character count times CW wide
# (a width no character of the font reaches on average) and one font
# size tall.  Prints each collision; exits 1 if there is one.
# Usage: awk -f tools/check-ladders.awk build/fig/ladder-*.gpl

function px(x) { return (x - X0) / (X1 - X0) * W }
function py(y) { return H * (1 - BOT) - (y - Y1) / (Y0 - Y1) * H * (TOP - BOT) }
function num(s) { gsub(/[^-0-9.eE+]/, "", s); return s + 0 }

FNR == 1 { if (NR > 1) check(); nl = 0; na = 0; fname = FILENAME }

/^W = / {
	n = split($0, kv, /; */)
	for (i = 1; i <= n; i++) { split(kv[i], p, / = /); V[p[1]] = p[2] + 0 }
	W = V["W"]; H = V["H"]; FONT = V["FONT"]; CW = V["CW"]
	next
}
/^set xrange/ { split($3, r, ":"); X0 = num(r[1]); X1 = num(r[2]); next }
/^set yrange/ { split($3, r, ":"); Y0 = num(r[1]); Y1 = num(r[2]); next }   # [bottom:top]
/^set tmargin at screen/ { TOP = $5 + 0; next }
/^set bmargin at screen/ { BOT = $5 + 0; next }

# set label "TEXT" at X,Y ALIGN ... # KIND NCHARS
/^set label "/ && / # [a-z]+ [0-9]+$/ {
	if ($0 ~ /^set label "" /) next
	rest = $0; sub(/^set label "[^"]*" at /, "", rest)
	split(rest, w, " "); split(w[1], xy, ",")
	x = px(xy[1] + 0); y = py(xy[2] + 0)
	align = w[2]; nch = $NF + 0
	fs = FONT; if (match($0, /font ",[0-9.]+"/)) fs = substr($0, RSTART + 7, RLENGTH - 8) + 0
	wid = nch * CW * fs / FONT
	nl++
	text[nl] = $0; sub(/^set label "/, "", text[nl]); sub(/".*$/, "", text[nl])
	if (align == "right") { lx0[nl] = x - wid; lx1[nl] = x }
	else if (align == "center") { lx0[nl] = x - wid / 2; lx1[nl] = x + wid / 2 }
	else { lx0[nl] = x; lx1[nl] = x + wid }
	ly0[nl] = y - fs * 0.6; ly1[nl] = y + fs * 0.6
	next
}
/^set arrow from / {
	rest = $0; sub(/^set arrow from /, "", rest)
	split(rest, w, " ")
	split(w[1], a, ","); split(w[3], b, ",")
	na++
	ax0[na] = px(a[1] + 0); ay0[na] = py(a[2] + 0)
	ax1[na] = px(b[1] + 0); ay1[na] = py(b[2] + 0)
	next
}

# does the segment (x0,y0)-(x1,y1) meet the box? (Liang-Barsky clipping)
function meets(x0, y0, x1, y1, bx0, by0, bx1, by1,   t0, t1, dx, dy, p, q, i, r) {
	t0 = 0; t1 = 1; dx = x1 - x0; dy = y1 - y0
	p[1] = -dx; q[1] = x0 - bx0
	p[2] = dx;  q[2] = bx1 - x0
	p[3] = -dy; q[3] = y0 - by0
	p[4] = dy;  q[4] = by1 - y0
	for (i = 1; i <= 4; i++) {
		if (p[i] == 0) { if (q[i] < 0) return 0; continue }
		r = q[i] / p[i]
		if (p[i] < 0) { if (r > t1) return 0; if (r > t0) t0 = r }
		else { if (r < t0) return 0; if (r < t1) t1 = r }
	}
	return 1
}

function check(   i, j) {
	if (nl == 0) { print fname ": no labels found"; bad = 1; return }
	for (i = 1; i <= nl; i++) {
		for (j = i + 1; j <= nl; j++)
			if (lx0[i] < lx1[j] && lx0[j] < lx1[i] && ly0[i] < ly1[j] && ly0[j] < ly1[i]) {
				printf "%s: labels overlap: \"%s\" and \"%s\"\n", fname, text[i], text[j]
				bad = 1
			}
		for (j = 1; j <= na; j++)
			if (meets(ax0[j], ay0[j], ax1[j], ay1[j], lx0[i], ly0[i], lx1[i], ly1[i])) {
				printf "%s: an arrow crosses the label \"%s\"\n", fname, text[i]
				bad = 1
			}
	}
	checked++
}

END {
	if (NR > 0) check()
	if (!bad) printf "check-ladders: %d ladders, no label overlaps another or an arrow\n", checked
	exit bad
}
