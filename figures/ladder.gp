# A packet ladder from a `tcpsim ... --trace` file (chapter 4 on).
# gnuplot -e "data='TRACE'; out='BASENAME'" figures/ladder.gp
# writes BASENAME.svg and BASENAME.pdf.
#
# Trace lines:  seg FROM SENT_MS ARRIVED_MS LOST "label"
#               state HOST TIME_MS "STATE"
# Host a (0) is the left line, host b (1) the right; time runs down.
segs = "< grep '^seg' ".data
states = "< grep '^state' ".data
stats segs using 4 nooutput
tmax = STATS_max
stats states using 3 nooutput
tmax = (STATS_max > tmax ? STATS_max : tmax)
pad = tmax * 0.06 + 1
unset border
unset xtics
unset key
set ytics nomirror out
set ylabel "time (ms)"
set xrange [-0.55:1.55]
set yrange [tmax + pad : -pad]
set arrow 1 from 0, -pad*0.4 to 0, tmax + pad nohead lw 2 lc rgb "#444444"
set arrow 2 from 1, -pad*0.4 to 1, tmax + pad nohead lw 2 lc rgb "#444444"
set label 1 "a (10.0.0.1)" at 0, -pad*0.7 center font ",11"
set label 2 "b (10.0.0.2)" at 1, -pad*0.7 center font ",11"
# a lost segment stops halfway, with a cross
dx(from, lost) = (1 - 2*from) * (lost > 0 ? 0.5 : 0.97) 
dy(ts, ta, lost) = lost > 0 ? (ta - ts) / 2 : (ta - ts)
x0(from) = from == 0 ? 0.015 : 0.985
set terminal svg size 760,520 font "Helvetica,11" background rgb "white"
set output out.".svg"
plot segs using (x0($2)):3:(dx($2,$5)):(dy($3,$4,$5)) with vectors head filled size 0.02,15 lw 1.2 lc rgb "#1f5fa0", \
     segs using ($5 > 0 ? x0($2) + dx($2,$5) : NaN):($3 + dy($3,$4,$5)) with points pt 2 ps 1.2 lw 2 lc rgb "#c03020", \
     segs using ($2 == 0 ? 0.04 : NaN):3:6 with labels left offset 0,0.55 font ",9", \
     segs using ($2 == 1 ? 0.96 : NaN):3:6 with labels right offset 0,0.55 font ",9", \
     states using ($2 == 0 ? -0.04 : NaN):3:4 with labels right font ",9" tc rgb "#7a3d00", \
     states using ($2 == 1 ? 1.04 : NaN):3:4 with labels left font ",9" tc rgb "#7a3d00"
set terminal pdfcairo size 6in,4.1in font "Helvetica,8"
set output out.".pdf"
replot
