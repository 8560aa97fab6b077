# RTT samples and the timeouts of RFC 6298 and RFC 793 (chapter 6).
# gnuplot -e "data='TRACE'; out='BASENAME'" figures/rtt.gp
# Trace columns: sample number, RTT (ms), RFC 6298 RTO (ms), RFC 793 RTO (ms).
set xlabel "sample"
set ylabel "milliseconds"
set grid
set key top left box opaque
set yrange [0:700]
set terminal svg size 760,360 font "Helvetica,12" background rgb "white"
set output out.".svg"
plot data using 1:2 with points pt 7 ps 0.4 lc rgb "#888888" title "round-trip sample", \
     data using 1:3 with steps lw 2 lc rgb "#1f5fa0" title "RTO, RFC 6298", \
     data using 1:4 with steps lw 2 lc rgb "#d07020" title "RTO, RFC 793 (beta = 2)"
set terminal pdfcairo size 6in,2.9in font "Helvetica,9"
set output out.".pdf"
replot
