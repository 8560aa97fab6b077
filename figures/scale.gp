# Many connections (chapter 13): lookups and a failed connect, growing
# table against the fixed table of chapter 3.
# gnuplot -e "grow='TRACE'; fixed='TRACE'; out='BASENAME'" figures/scale.gp
# Trace columns: connections, heap bytes per end, ns per lookup,
# longest chain, microseconds of a connect that finds no port.
set logscale xy
set xlabel "idle connections"
set grid
set key top left box opaque width 1 height 0.6
set xtics ("1k" 1000, "10k" 10000, "100k" 100000, "1M" 1000000)
set xrange [700:140000]
set terminal svg size 760,330 font "Helvetica,12" background rgb "white"
set output out.".svg"
set multiplot layout 1,2
set title "a lookup (ns of CPU)"
set yrange [10:10000]
set ytics ("10" 10, "100" 100, "1k" 1000, "10k" 10000)
plot grow using 1:3 with linespoints lw 2 pt 7 lc rgb "#1f5fa0" title "growing table", \
     fixed using 1:3 with linespoints lw 2 pt 5 lc rgb "#d07020" title "4,096 buckets"
set title "a connect that finds no port (us of CPU)"
set yrange [100:1000000]
set ytics ("100" 100, "1k" 1000, "10k" 10000, "100k" 100000, "1M" 1000000)
plot grow using 1:5 with linespoints lw 2 pt 7 lc rgb "#1f5fa0" title "1,024 tries", \
     fixed using 1:5 with linespoints lw 2 pt 5 lc rgb "#d07020" title "whole range"
unset multiplot
set terminal pdfcairo size 6in,2.6in font "Helvetica,9"
set output out.".pdf"
set multiplot layout 1,2
set title "a lookup (ns of CPU)"
set yrange [10:10000]
set ytics ("10" 10, "100" 100, "1k" 1000, "10k" 10000)
plot grow using 1:3 with linespoints lw 2 pt 7 lc rgb "#1f5fa0" title "growing table", \
     fixed using 1:3 with linespoints lw 2 pt 5 lc rgb "#d07020" title "4,096 buckets"
set title "a connect that finds no port (us of CPU)"
set yrange [100:1000000]
set ytics ("100" 100, "1k" 1000, "10k" 10000, "100k" 100000, "1M" 1000000)
plot grow using 1:5 with linespoints lw 2 pt 7 lc rgb "#1f5fa0" title "1,024 tries", \
     fixed using 1:5 with linespoints lw 2 pt 5 lc rgb "#d07020" title "whole range"
unset multiplot
