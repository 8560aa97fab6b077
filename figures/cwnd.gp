# The congestion window over time (chapter 8), from a trace of
# "cwnd TIME FLOW CWND SSTHRESH FLIGHT" lines: tcpsim bottleneck --trace,
# or tcpstack --trace-cwnd (where FLOW is the local port).
# gnuplot -e "data='TRACE'; out='BASENAME'" [-e "flow=N"] [-e "tmax=S"] figures/cwnd.gp
# flow: the flow to plot (0, the default: every line); tmax: the end of the x axis.
if (!exists("flow")) flow = 0
if (!exists("tmax")) tmax = 0
mine(f) = (flow == 0 || f == flow)
lines = sprintf("< grep '^cwnd ' '%s'", data)   # other lines would break the curves
set xlabel "seconds"
set ylabel "kilobytes"
set grid
set key top center horizontal outside
if (tmax > 0) set xrange [0:tmax]; else set xrange [0:*]
set yrange [0:*]
set terminal svg size 760,360 font "Helvetica,12" background rgb "white"
set output out.".svg"
plot lines using (mine($3) ? $2 : 1/0):($6/1000) with lines lw 1 lc rgb "#9bb3cc" title "in flight", \
     lines using (mine($3) ? $2 : 1/0):($4/1000) with lines lw 1.5 lc rgb "#1f5fa0" title "cwnd", \
     lines using (mine($3) && $5 > 0 ? $2 : 1/0):($5/1000) with lines lw 1.5 dt 2 lc rgb "#d07020" title "ssthresh"
set terminal pdfcairo size 6in,2.8in font "Helvetica,9"
set output out.".pdf"
replot
