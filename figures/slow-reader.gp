# A time-sequence plot, tcptrace style, of a slow reader (chapter 7).
# gnuplot -e "data='TRACE'; out='BASENAME'" figures/slow-reader.gp
# Trace lines: "data TIME FIRST END" for each segment a sends (sequence
# numbers relative to a's ISN + 1); "ack TIME ACK EDGE" for each segment b
# sends: its acknowledgment and the right edge of its window.
set xlabel "seconds"
set ylabel "sequence number (KiB)"
set grid
set key top left box opaque
set xrange [0:*]
set terminal svg size 760,400 font "Helvetica,12" background rgb "white"
set output out.".svg"
plot data using (strcol(1) eq "data" ? $2 : 1/0):($3/1024):(0):(($4-$3)/1024) with vectors nohead lw 2 lc rgb "#1f5fa0" title "data sent by a", \
     data using (strcol(1) eq "ack" ? $2 : 1/0):($3/1024) with points pt 7 ps 0.35 lc rgb "#2a8a2a" title "acknowledged by b", \
     data using (strcol(1) eq "ack" ? $2 : 1/0):($4/1024) with points pt 5 ps 0.35 lc rgb "#d07020" title "right edge of b's window"
set terminal pdfcairo size 6in,3.2in font "Helvetica,9"
set output out.".pdf"
replot
