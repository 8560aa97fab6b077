# A packet ladder: draws the layout that figures/ladder-layout.awk made
# from a `tcpsim ... --trace` file.
# gnuplot -e "layout='LAYOUT'; out='BASENAME'" figures/ladder.gp
# writes BASENAME.svg and BASENAME.pdf (the same picture, scaled).
load layout
unset border
unset xtics
unset key
set terminal svg size W,H font sprintf("Helvetica,%g", FONT) background rgb "white"
set output out.".svg"
plot NaN notitle
set terminal pdfcairo size (W*PDFSCALE/72.0)in,(H*PDFSCALE/72.0)in font sprintf("Helvetica,%g", FONT*PDFSCALE)
set output out.".pdf"
plot NaN notitle
