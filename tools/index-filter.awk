# tools/index-filter.awk: a filter on noweb's markup stream, between
# autodefs.c and finduses in tools/weave.  autodefs.c guesses C
# definitions from their shape, and some guesses are not definitions a
# reader wants indexed: one- and two-letter locals (t, p, s), standard
# types and library functions (bool, uint8_t, fprintf), and main, which
# every program has.  Every use of such a name would otherwise link to
# one arbitrary chunk.  This drops those @index defn lines.
BEGIN {
	n = split("bool size_t ssize_t uint8_t uint16_t uint32_t uint64_t int8_t int16_t " \
		  "int32_t int64_t uintptr_t FILE NULL true false fprintf printf snprintf " \
		  "main errno memcpy memset strlen free malloc calloc realloc", w, " ")
	for (i = 1; i <= n; i++) stop[w[i]] = 1
}
/^@index (defn|localdefn) / {
	name = $3
	if (length(name) <= 2 || (name in stop)) next
}
{ print }
