# A packet ladder from a `tcpsim ... --trace` file (chapter 4 on).
# gnuplot -e "data='TRACE'; out='BASENAME'" figures/ladder.gp
# writes BASENAME.svg and BASENAME.pdf.
#
# Trace lines:  seg FROM SENT_MS ARRIVED_MS LOST "label" NTH
#               state HOST TIME_MS "STATE"
#               gap DRAWN_MS REAL_LENGTH_MS   (a shortened idle gap)
# Host a (0) is the left line, host b (1) the right; time runs down.
# NTH counts earlier segments sent by the same host at the same instant:
# their labels are stacked.  Long idle gaps have been shortened by tcpsim
# and are marked with their real length.
segs = "< grep '^seg' ".data
states = "< grep '^state' ".data
gaps = "< grep '^gap' ".data
ngaps = int(system("grep -c '^gap' ".data." || true"))
stats segs using 4 nooutput
tmax = STATS_max
stats states using 3 nooutput
tmax = (STATS_max > tmax ? STATS_max : tmax)
pad = tmax * 0.08 + 1
lh = (tmax + 2*pad) / 30.0
unset border
unset xtics
unset key
set ytics nomirror out
set ylabel "time (ms)"
if (ngaps > 0) { unset ytics; set ylabel "time (long idle gaps shortened)" }
set xrange [-0.62:1.62]
set yrange [tmax + 1.6*pad : -pad]
set arrow 1 from 0, -pad*0.4 to 0, tmax + 1.6*pad nohead lw 2 lc rgb "#444444"
set arrow 2 from 1, -pad*0.4 to 1, tmax + 1.6*pad nohead lw 2 lc rgb "#444444"
set label 1 "a (10.0.0.1)" at 0, -pad*0.7 center font ",11"
set label 2 "b (10.0.0.2)" at 1, -pad*0.7 center font ",11"
# a lost segment stops halfway, with a cross
dx(from, lost) = (1 - 2*from) * (lost > 0 ? 0.5 : 0.97)
dy(ts, ta, lost) = lost > 0 ? (ta - ts) / 2 : (ta - ts)
x0(from) = from == 0 ? 0.015 : 0.985
set terminal svg size 760,560 font "Helvetica,11" background rgb "white"
set output out.".svg"
plot segs using (x0($2)):3:(dx($2,$5)):(dy($3,$4,$5)) with vectors head filled size 0.02,15 lw 1.2 lc rgb "#1f5fa0", \
     segs using ($5 > 0 ? x0($2) + dx($2,$5) : NaN):($3 + dy($3,$4,$5)) with points pt 2 ps 1.2 lw 2 lc rgb "#c03020", \
     segs using ($2 == 0 ? 0.04 : NaN):($3 + $7*lh):6 with labels left offset 0,0.55 font ",9", \
     segs using ($2 == 1 ? 0.96 : NaN):($3 + $7*lh):6 with labels right offset 0,0.55 font ",9", \
     states using ($2 == 0 ? -0.04 : NaN):3:4 with labels right font ",9" tc rgb "#7a3d00", \
     states using ($2 == 1 ? 1.04 : NaN):3:4 with labels left font ",9" tc rgb "#7a3d00"
if (ngaps > 0) { replot gaps using (0.5):2:(sprintf("... %.0f ms later ...", $3)) with labels center font ",9" tc rgb "#666666" }
set terminal pdfcairo size 6in,4.4in font "Helvetica,8"
set output out.".pdf"
replot
