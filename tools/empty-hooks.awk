# tools/empty-hooks.awk: a filter on noweb's markup stream, used by
# tools/tangle.  A hook that no file defines with any code (a chunk whose
# every definition is empty, or uses only such chunks) would leave a blank
# line in the tangled C wherever it is used.  This filter drops such uses;
# a code line that held nothing but them is replaced by a marker,
# "\001DROP N FILE\001", which tools/tangle deletes (or, with -L, turns
# into a #line directive for source line N, so that compiler messages
# still point at the right lines of the .nw file).
# Usage: awk -f empty-hooks.awk MARKUP MARKUP   (the same file twice)

function ws(s) { return s ~ /^[ \t]*$/ }

# ---- pass 1: which chunks have content of their own, and which they use
FNR == NR {
	if ($0 ~ /^@defn /) { cur = substr($0, 7); defined[cur] = 1; incode = 1; next }
	if ($0 ~ /^@end code/) { incode = 0; next }
	if (!incode) next
	if ($0 ~ /^@text /) { if (!ws(substr($0, 7))) full[cur] = 1; next }
	if ($0 ~ /^@use /) { u = substr($0, 6); uses[cur] = uses[cur] "\034" u; next }
	next
}

# between the passes: a chunk is empty if it has no text and uses only
# empty chunks; iterate to a fixed point
FNR == 1 && NR != 1 {
	for (c in defined) empty[c] = !(c in full)
	do {
		changed = 0
		for (c in defined) {
			if (!empty[c]) continue
			n = split(uses[c], us, "\034")
			for (i = 2; i <= n; i++)
				if (!(us[i] in empty) || !empty[us[i]]) { empty[c] = 0; changed = 1; break }
		}
	} while (changed)
	nline = 0
}

# ---- pass 2: copy the stream, dropping uses of empty chunks
{
	if ($0 ~ /^@file /) { file = substr($0, 7); line = 1; flush(); print; next }
	if ($0 ~ /^@begin code/) { incode = 1; print; next }
	if ($0 ~ /^@end code/) { flush(); incode = 0; print; next }
	if ($0 == "@index nl") { line++; print; next }   # the newline of a %def line
	if (!incode) { if ($0 == "@nl") line++; print; next }
	if ($0 == "@nl") { endline(); line++; next }
	buf[++nline] = $0
	next
}

# a code line is complete: decide whether it was only empty hooks
function endline(   i, only, dropped, u) {
	only = 1; dropped = 0
	for (i = 1; i <= nline; i++) {
		if (buf[i] ~ /^@use /) {
			u = substr(buf[i], 6)
			if ((u in empty) && empty[u]) dropped = 1; else only = 0
		} else if (buf[i] ~ /^@text /) {
			if (!ws(substr(buf[i], 7))) only = 0
		} else only = 0
	}
	if (dropped && only) {
		printf "@text \001DROP %d %s\001\n@nl\n", line + 1, file
	} else {
		for (i = 1; i <= nline; i++) {
			if (buf[i] ~ /^@use /) { u = substr(buf[i], 6); if ((u in empty) && empty[u]) continue }
			print buf[i]
		}
		print "@nl"
	}
	nline = 0
}

function flush(   i) {
	for (i = 1; i <= nline; i++) print buf[i]
	nline = 0
}
