# The one-way delay of each probe of `tcpsim wire` (chapter 1).
# gnuplot -e "data='TRACE'; out='BASENAME'" figures/wire-delay.gp
# writes BASENAME.svg and BASENAME.pdf.
set xlabel "send time (ms)"
set ylabel "one-way delay (ms)"
set grid
set key top right box opaque
set yrange [-3:30]
set ytics 0, 5, 25
set xrange [0:*]
set terminal svg size 760,340 font "Helvetica,12" background rgb "white"
set output out.".svg"
plot "< grep '^probe' ".data using 3:($4-$3) with points pt 7 ps 0.5 lc rgb "#1f5fa0" title "arrived", \
     "< grep '^lost' ".data using 3:(-1.5) with points pt 2 ps 0.6 lc rgb "#c03020" title "lost"
set terminal pdfcairo size 6in,2.7in font "Helvetica,9"
set output out.".pdf"
replot
