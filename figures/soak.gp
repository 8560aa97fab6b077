# Completion times of the soak beside the Padhye model (chapter 6).
# gnuplot -e "data='TRACE'; out='BASENAME'" figures/soak.gp
# Trace, block 0: loss (%), seed, cut (0/1), seconds, outcome; one line a run.
# Block 1: loss (%), the model's seconds.  Block 2: loss (%), median seconds
# of the runs without a cut.
set xlabel "loss rate each way (%)"
set ylabel "seconds to move 1 MiB each way"
set logscale y
set xrange [-0.8:21]
set yrange [0.2:3000]
set grid
set key top left box opaque
set terminal svg size 760,400 font "Helvetica,12" background rgb "white"
set output out.".svg"
jitter(seed) = ((int(seed) * 37) % 100 - 50) / 170.0
plot data index 0 using ($3 == 0 ? $1 + jitter($2) : 1/0):4 with points pt 7 ps 0.25 lc rgb "#9bb3cc" title "one run", \
     data index 0 using ($3 == 1 ? $1 + jitter($2) : 1/0):4 with points pt 6 ps 0.35 lc rgb "#d07020" title "one run with a 60 s cut", \
     data index 2 using 1:2 with linespoints pt 5 ps 0.8 lw 2 lc rgb "#1f5fa0" title "median, runs without a cut", \
     data index 1 using 1:2 with lines lw 2 dt 2 lc rgb "#333333" title "Padhye et al. model"
set terminal pdfcairo size 6in,3.2in font "Helvetica,9"
set output out.".pdf"
replot
