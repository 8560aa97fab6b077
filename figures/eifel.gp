# A delay that jumps for a second (chapter 10): the sender's window
# without and with Eifel's undo, from two traces of "cwnd TIME FLOW CWND
# SSTHRESH FLIGHT" lines (tcpsim delay-jump --trace).
# gnuplot -e "off='T1'; on='T2'; out='BASENAME'" figures/eifel.gp
set grid
set xrange [0:12]
set yrange [0:*]
set ylabel "kilobytes"
draw(file, name) = sprintf("plot \"< grep '^cwnd ' '%s'\" using 2:($6/1000) with steps lw 1 lc rgb \"#9bb3cc\" title \"in flight\", \"\" using 2:($4/1000) with steps lw 1.5 lc rgb \"#1f5fa0\" title \"cwnd, %s\", \"\" using ($5 > 0 ? $2 : 1/0):($5/1000) with lines lw 1.5 dt 2 lc rgb \"#d07020\" title \"ssthresh\"", file, name)
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
	set object 1 rect from 4, graph 0 to 5, graph 1 fc rgb "#f3e6d8" fs solid 0.6 behind
	eval draw(off, "without Eifel")
	set xlabel "seconds"
	eval draw(on, "with Eifel")
	unset object 1
	unset multiplot
}
