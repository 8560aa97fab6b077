# The bottleneck of chapter 8 with drops and with marks (chapter 11): the
# sender's cwnd (top) and the packets waiting at the link (bottom), from
# two traces of "cwnd TIME FLOW CWND SSTHRESH FLIGHT" and "queue TIME
# PACKETS" lines (tcpsim bottleneck --trace).
# gnuplot -e "drops='T1'; marks='T2'; out='BASENAME'" figures/ecn.gp
set grid
set xrange [0:10]
do for [pass = 1:2] {
	if (pass == 1) {
		set terminal svg size 760,520 font "Helvetica,12" background rgb "white"
		set output out.".svg"
	} else {
		set terminal pdfcairo size 6in,4.1in font "Helvetica,9"
		set output out.".pdf"
	}
	set multiplot layout 2,1
	set key top center horizontal outside
	unset xlabel
	set ylabel "cwnd (kilobytes)"
	set yrange [0:*]
	plot sprintf("< grep '^cwnd ' '%s'", drops) using 2:($4/1000) with steps lw 1.5 lc rgb "#d07020" title "drops: a queue of 30", \
	     sprintf("< grep '^cwnd ' '%s'", marks) using 2:($4/1000) with steps lw 1.5 lc rgb "#1f5fa0" title "marks: CE from 30 queued"
	set xlabel "seconds"
	set ylabel "packets waiting"
	set yrange [0:80]
	unset key
	plot sprintf("< grep '^queue ' '%s'", drops) using 2:3 with lines lw 1 lc rgb "#d07020", \
	     sprintf("< grep '^queue ' '%s'", marks) using 2:3 with lines lw 1 lc rgb "#1f5fa0"
	unset multiplot
}
