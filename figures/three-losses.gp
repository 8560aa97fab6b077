# Three losses in one window, repaired without and with SACK (chapter 9):
# time-sequence plots, tcptrace style, of two traces of "data TIME FIRST END"
# (a's segments) and "ack TIME ACK EDGE" (b's ACKs) lines.
# gnuplot -e "nosack='T1'; sack='T2'; out='BASENAME'" figures/three-losses.gp
set grid
set xrange [0.09:0.27]
set yrange [0:45]
set ylabel "sequence number (KB)"
draw(file, name) = sprintf("plot \"< grep '^data ' '%s'\" using 2:($3/1000):(0):(($4-$3)/1000) with vectors nohead lw 3 lc rgb \"#1f5fa0\" title \"segments sent, %s\", \"< grep '^ack ' '%s'\" using 2:($3/1000) with steps lw 1.5 lc rgb \"#2a8a2a\" title \"acknowledged\"", file, name, file)
do for [pass = 1:2] {
	if (pass == 1) {
		set terminal svg size 760,520 font "Helvetica,12" background rgb "white"
		set output out.".svg"
	} else {
		set terminal pdfcairo size 6in,4.2in font "Helvetica,9"
		set output out.".pdf"
	}
	set multiplot layout 2,1
	set key bottom right box opaque
	unset xlabel
	eval draw(nosack, "NewReno without SACK")
	set xlabel "seconds"
	eval draw(sack, "with SACK (RFC 6675)")
	unset multiplot
}
