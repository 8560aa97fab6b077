# Reno, NewReno and CUBIC through the same bottleneck (chapter 8): three
# panels, one trace each, of "cwnd TIME FLOW CWND SSTHRESH FLIGHT" lines.
# gnuplot -e "reno='T1'; newreno='T2'; cubic='T3'; out='BASENAME'" figures/cc-compare.gp
set grid
set xrange [0:30]
set yrange [0:260]
set ytics 50
set ylabel "kilobytes"
draw(file, name) = sprintf("plot \"< grep '^cwnd ' '%s'\" using 2:($6/1000) with lines lw 1 lc rgb \"#9bb3cc\" title \"in flight\", \"\" using 2:($4/1000) with lines lw 1.5 lc rgb \"#1f5fa0\" title \"cwnd, %s\", \"\" using ($5 > 0 ? $2 : 1/0):($5/1000) with lines lw 1.5 dt 2 lc rgb \"#d07020\" title \"ssthresh\"", file, name)
do for [pass = 1:2] {
	if (pass == 1) {
		set terminal svg size 760,640 font "Helvetica,12" background rgb "white"
		set output out.".svg"
	} else {
		set terminal pdfcairo size 6in,5.2in font "Helvetica,9"
		set output out.".pdf"
	}
	set multiplot layout 3,1
	set key top center horizontal outside
	unset xlabel
	eval draw(reno, "Reno")
	eval draw(newreno, "NewReno")
	set xlabel "seconds"
	eval draw(cubic, "CUBIC")
	unset multiplot
}
