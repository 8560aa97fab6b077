# figures/bench-bars.awk: the TUN rows of a make bench run (figures/bench.tsv,
# fields separated by tabs: label, value, how) as the bars of chapter 13's
# figure, "NAME<TAB>STACK->LINUX<TAB>LINUX->STACK" in MB/s, one a line.
{ v[$1] = $2 }
END {
	bar("bare TUN device", "TUN ceiling, program -> kernel, MB/s", "TUN ceiling, kernel -> program, MB/s")
	bar("chapter 12", "stack -> Linux over TUN, chapter 12's, MB/s", "Linux -> stack over TUN, chapter 12's, MB/s")
	bar("chapter 13", "stack -> Linux over TUN, MB/s", "Linux -> stack over TUN, MB/s")
	bar("chapter 13, --offload", "stack -> Linux over TUN, --offload, MB/s", "Linux -> stack over TUN, --offload, MB/s")
	bar("Linux to Linux, veth", "Linux -> Linux over veth, no loss, MB/s", "Linux -> Linux over veth, no loss, MB/s")
}
function bar(name, down, up) {
	if ((down in v) && (up in v) && v[down] + 0 > 0 && v[up] + 0 > 0)
		printf "%s\t%s\t%s\n", name, v[down], v[up]
}
