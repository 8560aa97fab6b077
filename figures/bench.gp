# Chapter 13: what make bench measured over TUN, each direction, in
# Gbit/s: the bare device, chapter 12's stack, chapter 13's with and
# without offloads, and Linux to Linux over a veth pair.  The data are
# lines "LABEL<TAB>DOWN<TAB>UP" (stack -> Linux, Linux -> stack), written
# from figures/bench.tsv by the Makefile; the title names the run.
# gnuplot -e "data='FILE'; run='TITLE'; out='BASENAME'" figures/bench.gp
set datafile separator "\t"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set yrange [0:*]
set ylabel "Gbit/s"
set key top left
set xtics nomirror noenhanced
set title run noenhanced
do for [pass = 1:2] {
	if (pass == 1) {
		set terminal svg size 760,420 font "Helvetica,12" background rgb "white"
		set output out.".svg"
	} else {
		set terminal pdfcairo size 6in,3.3in font "Helvetica,9"
		set output out.".pdf"
	}
	plot data using ($2 * 8 / 1000):xtic(1) title "stack -> Linux" lc rgb "#1f5fa0", \
	     "" using ($3 * 8 / 1000) title "Linux -> stack" lc rgb "#d07020"
}
