# The bottleneck's queue over time (chapter 8) for two buffer sizes, from
# the "queue TIME PACKETS" lines of two traces; the right axis converts
# packets into the delay they add at 10 Mbit/s (1.2 ms per 1,500 bytes).
# gnuplot -e "small='T1'; large='T2'; out='BASENAME'" figures/queue.gp
set xlabel "seconds"
set ylabel "packets waiting"
set y2label "queueing delay (ms)"
set grid
set xrange [0:30]
set yrange [0:210]
set y2range [0:210 * 1.2]
set ytics nomirror
set y2tics
set key top center horizontal outside
set terminal svg size 760,360 font "Helvetica,12" background rgb "white"
set output out.".svg"
plot sprintf("< grep '^queue ' '%s'", large) using 2:3 with lines lw 1 lc rgb "#d07020" title "a queue of 200 packets", \
     sprintf("< grep '^queue ' '%s'", small) using 2:3 with lines lw 1 lc rgb "#1f5fa0" title "a queue of 30 packets"
set terminal pdfcairo size 6in,2.8in font "Helvetica,9"
set output out.".pdf"
replot
