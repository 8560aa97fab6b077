# Two flows sharing a bottleneck (chapter 8): what each delivered in every
# half second, from the "rate TIME FLOW MBPS" lines of two traces.
# gnuplot -e "first='T1'; second='T2'; name1='NewReno'; name2='CUBIC'; out='BASENAME'" figures/fairness.gp
set grid
set xrange [0:30]
set yrange [0:11]
set ylabel "Mbit/s"
draw(file, name) = sprintf("plot \"< grep '^rate [0-9.]* 1 ' '%s'\" using 2:4 with lines lw 1.5 lc rgb \"#1f5fa0\" title \"%s, flow 1\", \"< grep '^rate [0-9.]* 2 ' '%s'\" using 2:4 with lines lw 1.5 lc rgb \"#d07020\" title \"flow 2 (from 5 s)\"", file, name, file)
do for [pass = 1:2] {
	if (pass == 1) {
		set terminal svg size 760,480 font "Helvetica,12" background rgb "white"
		set output out.".svg"
	} else {
		set terminal pdfcairo size 6in,3.8in font "Helvetica,9"
		set output out.".pdf"
	}
	set multiplot layout 2,1
	set key top center horizontal outside
	unset xlabel
	eval draw(first, name1)
	set xlabel "seconds"
	eval draw(second, name2)
	unset multiplot
}
