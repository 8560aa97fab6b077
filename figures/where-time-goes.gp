# Instructions per byte moved, per end, by function: a 4 MiB tcpsim bulk
# with chapter 12's stack and with chapter 13's, and memcpy with the
# word-wise checksum alone (tools/where-time-goes writes the table: one
# row a run, one column a function, "other", and the reference).
# gnuplot -e "data='FILE'; out='BASENAME'" figures/where-time-goes.gp
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border rgb "#404040"
set boxwidth 0.6
set grid ytics
set ylabel "instructions per byte, per end"
set yrange [0:*]
set key outside right top vertical noreverse Left spacing 1.5 samplen 2
set xtics nomirror
ncol = system(sprintf("head -1 '%s' | awk '{ print NF }'", data)) + 0
colours = "#c0392b #e67e22 #f1c40f #8e44ad #1f5fa0 #16a085 #7f8c8d #bdc3c7 #2c3e50 #27ae60"
do for [pass = 1:2] {
	if (pass == 1) {
		set terminal svg size 760,420 font "Helvetica,12" background rgb "white" noenhanced
		set output out.".svg"
	} else {
		set terminal pdfcairo size 6in,3.3in font "Helvetica,9" noenhanced
		set output out.".pdf"
	}
	plot for [i = 2:ncol] data using i:xtic(1) title columnheader(i) \
		lc rgb word(colours, (i - 1 <= ncol - 2) ? i - 1 : (i == ncol - 1 ? 8 : 10))
}
