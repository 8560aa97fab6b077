# TCP in Literate C.  `make help` lists the targets.
#
# The chapters are the source: book.nw lists them (chunk <<chapters.list>>),
# tools/tangle extracts the C, tools/render-book weaves the book.

SHELL      := /bin/sh
.DELETE_ON_ERROR:
CHAPTERS   := $(shell tools/chapters)
APPENDICES := $(shell tools/chapters --appendices)
NW         := book.nw $(CHAPTERS)
BOOK_NW    := $(NW) $(APPENDICES)
NCHAPTERS  := $(words $(CHAPTERS))
CHNUMS     := $(shell seq -f %02g 1 $(NCHAPTERS))
CH_TARGETS := $(addprefix ch,$(CHNUMS))
B          := build
BIN        := $(B)/bin
FIG        := $(B)/fig
TESTS_C    := $(wildcard tests/*.c tests/*.h)

.PHONY: all help deps tangle bin figures book test lint fresh chapters \
	$(CH_TARGETS) exercises exercise checkpoints checkpoint grade interop fuzz soak bench \
	lab lab-down lab-status clean

all: deps tangle bin figures book ## tangle src/, build build/bin/{tcpstack,tcpsim}, figures, the book

help: ## list the targets
	@echo "make            check dependencies, tangle, build, render the book"
	@awk -F':.*## ' '/^[a-z][a-zA-Z0-9_-]*:.*## / && $$1 != "all" { printf "make %-10s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@echo "make chNN       the program after chapter NN (e.g. make ch01): build and its tests"

deps: ## check (as root: install) the Debian packages the build needs
	@tools/deps

# ---- tangling ---------------------------------------------------------------

tangle: ## tangle src/ (the committed, final program) from the chapters
	@rm -rf src && tools/tangle . $(NW) && echo "tangle: src/ written from $(NW)"

fresh: ## fail when src/ differs from a fresh tangle
	@rm -rf $(B)/fresh && mkdir -p $(B)/fresh && tools/tangle $(B)/fresh $(NW)
	@diff -r src $(B)/fresh/src > $(B)/fresh.diff || { \
		echo "src/ is stale: it differs from a fresh tangle of the chapters (make tangle):"; \
		head -40 $(B)/fresh.diff; exit 1; }
	@echo "fresh: src/ matches the chapters"

# ---- the final program --------------------------------------------------------

$(B)/final/.stamp: $(NW) tools/tangle tools/compile
	@rm -rf $(B)/final && mkdir -p $(B)/final
	@tools/tangle -L $(B)/final $(NW)
	@tools/compile $(B)/final release
	@touch $@

bin: deps $(B)/final/.stamp ## build build/bin/tcpstack and build/bin/tcpsim
	@mkdir -p $(BIN)
	@for p in tcpstack tcpsim; do cp $(B)/final/bin/$$p $(BIN)/.$$p.tmp && mv -f $(BIN)/.$$p.tmp $(BIN)/$$p; done
	@echo "bin: $(BIN)/tcpstack $(BIN)/tcpsim"

# ---- chapters ---------------------------------------------------------------------

$(CH_TARGETS): ch%: deps
	@tools/build-chapter $*

chapters: $(CH_TARGETS) ## build and test the program after every chapter in turn

# ---- figures (recipes in figures/, images in build/fig) -----------------------------

LADDERS := handshake old-syn old-syn-two-way close close-three close-simultaneous \
	   close-unread half-close seed-nagle seed-nodelay seed-sack
FIGURES := $(FIG)/wire-delay.svg $(FIG)/ipv4-header.svg $(FIG)/tcp-header.svg \
	   $(FIG)/states-ch04.svg $(FIG)/states-ch05.svg $(LADDERS:%=$(FIG)/ladder-%.svg) \
	   $(FIG)/ladder-seed-example.svg $(FIG)/ladder-seed-nosack.svg \
	   $(FIG)/ladder-seed-example-7.svg $(FIG)/rtt.svg $(FIG)/soak.svg $(FIG)/slow-reader.svg \
	   $(FIG)/sawtooth.svg $(FIG)/queue.svg $(FIG)/cc-compare.svg $(FIG)/fairness.svg \
	   $(FIG)/soak-newreno.svg $(FIG)/three-losses.svg $(FIG)/eifel.svg \
	   $(FIG)/ecn.svg
OUTPUTS := $(B)/out/wire.txt $(B)/out/ping.txt $(LADDERS:%=$(B)/out/%.txt) \
	   $(B)/out/time-wait.txt $(B)/out/time-wait-zero.txt $(B)/out/rtt.txt $(B)/out/soak.txt $(B)/out/slow-reader.txt \
	   $(B)/out/bottleneck.txt $(B)/out/bottleneck-200.txt $(B)/out/cc-compare.txt \
	   $(B)/out/fairness.txt $(B)/out/soak-newreno.txt $(B)/out/seed-nosack.txt \
	   $(B)/out/path-mtu.txt \
	   $(B)/out/three-losses.txt $(B)/out/sack-table.txt $(B)/out/delay-jump.txt \
	   $(B)/out/paws-wrap.txt \
	   $(B)/out/blind-reset.txt $(B)/out/syn-flood.txt \
	   $(B)/out/ecn-bottleneck.txt
# Chapter 13 (fastpath): where the instructions go, by callgrind.
FIGURES += $(FIG)/where-time-goes.svg
OUTPUTS += $(B)/out/where-time-goes.txt
SIM     := $(B)/final/bin/tcpsim

# Appendix C: the conformance tables, from conformance/requirements.tsv and
# the /* proves: ID */ annotations in the tests (tools/conformance checks
# that the two agree, and fails when they do not).
OUTPUTS += $(B)/out/conformance.md
$(B)/out/conformance.md: conformance/requirements.tsv tools/conformance $(TESTS_C) $(NW) README.md
	@tools/conformance --md $(B)/out

# Each chapter's lab reads one exchange as tshark prints it: a simulator
# run captured with --pcap, then read back (the command shown first).
TRACES := $(foreach n,01 02 03 04 05 06 07 08 09 10 11 12 13,$(B)/out/trace-ch$(n).txt)
TRACE_RUN_ch01 := wire --count 4
TRACE_RUN_ch02 := ping --count 2
TRACE_RUN_ch03 := handshake --as-of 3
TRACE_RUN_ch04 := handshake --as-of 4
TRACE_RUN_ch05 := close --as-of 5
TRACE_RUN_ch06 := seed-example --count 7 --as-of 6
TRACE_RUN_ch07 := seed-nagle --count 3 --as-of 7
TRACE_RUN_ch08 := slow-start --as-of 8
TRACE_RUN_ch09 := seed-sack --as-of 9
TRACE_RUN_ch10 := seed-example --count 3
TRACE_RUN_ch11 := seed-nagle --count 2 --ecn 1 --impair ce=20% --seed 5
TRACE_RUN_ch12 := cookie
TRACE_RUN_ch13 := bulk --count 6000 --offload
TSHARK_ch01 := -c 1 -x
TSHARK_ch03 := -c 1 -O tcp -V
# From chapter 6 on, the hosts are a (10.0.0.1, port 59120) and b
# (10.0.0.2, port 80), and the ports in the Info column say which sent
# what; without the address columns the rows fit the printed page
# (tools/fit-listing continues the few that still do not).  Chapter 12
# keeps them: its forger has an address of its own.
TRACE_COLS := -o gui.column.format:No.,%m,Time,%t,Info,%i
TSHARK_ch06 := $(TRACE_COLS)
TSHARK_ch07 := $(TRACE_COLS)
TSHARK_ch08 := $(TRACE_COLS)
TSHARK_ch09 := $(TRACE_COLS)
TSHARK_ch10 := $(TRACE_COLS)
TSHARK_ch11 := -o gui.column.format:No.,%m,Time,%t,ECN,%Cus:ip.dsfield.ecn:0:U,Info,%i
TSHARK_ch13 := $(TRACE_COLS) -o tcp.check_checksum:TRUE
TSHARK_ch12 := -o tcp.relative_sequence_numbers:FALSE --disable-protocol http
FIT_ch11 := -f 4
$(foreach n,02 03 04 05 12,$(eval FIT_ch$(n) := -f 6))
TSHARK := tshark -n -t r -o tcp.desegment_tcp_streams:FALSE \
	  -o 'gui.column.format:"No.","%m","Time","%t","Source","%s","Destination","%d","Info","%i"'

$(B)/out/trace-%.txt: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out
	@$(SIM) $(TRACE_RUN_$*) --pcap $(B)/out/trace-$*.pcap > /dev/null
	@{ echo '$$ tcpsim $(TRACE_RUN_$*) --pcap $*.pcap'; \
	   echo '$$ tshark -n -t r $(if $(TSHARK_$*),$(TSHARK_$*) )-r $*.pcap'; \
	   $(TSHARK) $(TSHARK_$*) -r $(B)/out/trace-$*.pcap 2>/dev/null | \
	   sed 's/ *$$//; s/\([^ ]\)   */\1 /g'; } | tools/fit-listing -p $(FIT_$*) > $@.tmp
	@[ "$$(wc -l < $@.tmp)" -gt 2 ] || { echo "trace $*: tshark printed nothing" >&2; exit 1; }
	@mv -f $@.tmp $@

figures: $(FIGURES) $(OUTPUTS) $(TRACES) ## generate every figure and sample output from the code

# kept for the checks of make test (tools/check-ladders)
.SECONDARY: $(LADDERS:%=$(FIG)/ladder-%.dat) $(LADDERS:%=$(FIG)/ladder-%.gpl) \
	    $(FIG)/ladder-seed-example-7.gpl $(FIG)/ladder-seed-example.gpl $(FIG)/ladder-seed-nosack.gpl

# A figure drawn by Graphviz from a .dot file that a program printed.
$(FIG)/%.svg: $(FIG)/%.dot
	@dot -Tsvg $< -o $@ && dot -Tpdf $< -o $(FIG)/$*.pdf && tools/svg-clean $@

# Sample runs shown in the book: the command line, then what it printed.
# $(call run-example,ARGS,FILE) writes "$ tcpsim ARGS" (without its
# --trace, which only feeds a figure) and what the simulator printed
# when run with ARGS into FILE, a line too long for the printed page
# continued on the next, indented (tools/fit-listing).
# (The arguments are in variables because a comma would split a $(call).)
run-example = { echo '$$ tcpsim $(1)' | sed 's| --trace [^ ]*||'; $(SIM) $(1); } > $(2).raw && \
	tools/fit-listing -w 96 -i 2 < $(2).raw > $(2) && rm -f $(2).raw
WIRE_ARGS := wire --impair loss=10%,delay=20ms,reorder=5%,gap=3ms,dup=2% --count 200
PING_ARGS := ping --impair loss=20%,delay=10ms,dup=5% --count 8 --seed 9

$(B)/out/wire.txt $(FIG)/wire-delay.dat &: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,$(WIRE_ARGS) --trace $(FIG)/wire-delay.dat,$(B)/out/wire.txt)
	@sed -i 's| --trace [^ ]*||' $(B)/out/wire.txt

$(FIG)/wire-delay.svg: figures/wire-delay.gp $(FIG)/wire-delay.dat
	@gnuplot -e "data='$(FIG)/wire-delay.dat'; out='$(FIG)/wire-delay'" figures/wire-delay.gp && tools/svg-clean $@

$(FIG)/ipv4-header.dot: $(B)/final/.stamp
	@mkdir -p $(FIG) && $(SIM) ipv4-header > $@

$(FIG)/tcp-header.dot: $(B)/final/.stamp
	@mkdir -p $(FIG) && $(SIM) tcp-header > $@

# The state machine as of a chapter, from the table the code consults.
# The whole machine (chapter 5) is printed on a page of its own, turned
# sideways, so that its labels keep their size.
$(FIG)/states-ch%.dot: $(B)/final/.stamp
	@mkdir -p $(FIG) && $(SIM) states --count $* > $@

$(FIG)/states-ch05.svg: $(FIG)/states-ch05.dot
	@dot -Tsvg $< -o $@ && dot -Tpdf -Grotate=90 $< -o $(FIG)/states-ch05.pdf && tools/svg-clean $@

# The chapter whose stack each ladder shows (tcpsim --as-of: the final
# program with what later chapters add switched off).
AS_OF_handshake := 4
AS_OF_old-syn := 4
AS_OF_old-syn-two-way := 4
AS_OF_close := 5
AS_OF_close-three := 5
AS_OF_close-simultaneous := 5
AS_OF_close-unread := 5
AS_OF_half-close := 5
AS_OF_seed-nagle := 7
AS_OF_seed-nodelay := 7
AS_OF_seed-sack := 9
AS_OF_time-wait := 5

# A packet ladder: a scenario's trace, laid out by figures/ladder-layout.awk
# (labels beside the lines, never on an arrow or on each other) and drawn
# by figures/ladder.gp.
$(B)/out/%.txt $(FIG)/ladder-%.dat: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,$*$(if $(AS_OF_$*), --as-of $(AS_OF_$*)) --trace $(FIG)/ladder-$*.dat,$(B)/out/$*.txt)
	@sed -i 's| --trace [^ ]*||' $(B)/out/$*.txt

$(FIG)/ladder-%.gpl: figures/ladder-layout.awk $(FIG)/ladder-%.dat
	@awk -f figures/ladder-layout.awk $(FIG)/ladder-$*.dat > $@

$(FIG)/ladder-%.svg: figures/ladder.gp $(FIG)/ladder-%.gpl
	@gnuplot -e "layout='$(FIG)/ladder-$*.gpl'; out='$(FIG)/ladder-$*'" figures/ladder.gp && tools/svg-clean $@

$(B)/out/time-wait%.txt: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out
	@$(call run-example,time-wait$* --as-of 5,$@)

$(FIG)/ladder-seed-example-7.dat: $(B)/final/.stamp
	@mkdir -p $(FIG) && $(SIM) seed-example --count 7 --as-of 6 --trace $@ > /dev/null

# Chapter 6's stack has no SACK: its seed example runs without it (chapter
# 9 draws the same example with and without).
$(B)/out/seed-example.txt $(FIG)/ladder-seed-example.dat &: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,seed-example --as-of 6 --trace $(FIG)/ladder-seed-example.dat,$(B)/out/seed-example.txt)
	@sed -i 's| --trace [^ ]*||' $(B)/out/seed-example.txt

$(B)/out/seed-nosack.txt $(FIG)/ladder-seed-nosack.dat &: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,seed-sack --as-of 9 --no-sack --trace $(FIG)/ladder-seed-nosack.dat,$(B)/out/seed-nosack.txt)
	@sed -i 's| --trace [^ ]*||' $(B)/out/seed-nosack.txt

# Chapter 9: three losses in one window with and without SACK, and the table.
$(B)/out/three-losses.txt $(FIG)/three-losses-sack.dat $(FIG)/three-losses-nosack.dat &: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,three-losses --as-of 9 --no-sack --trace $(FIG)/three-losses-nosack.dat,$(B)/out/three-losses-1.txt)
	@$(call run-example,three-losses --as-of 9 --trace $(FIG)/three-losses-sack.dat,$(B)/out/three-losses-2.txt)
	@cat $(B)/out/three-losses-1.txt $(B)/out/three-losses-2.txt | sed 's| --trace [^ ]*||' > $(B)/out/three-losses.txt

$(FIG)/three-losses.svg: figures/three-losses.gp $(FIG)/three-losses-sack.dat $(FIG)/three-losses-nosack.dat
	@gnuplot -e "nosack='$(FIG)/three-losses-nosack.dat'; sack='$(FIG)/three-losses-sack.dat'; out='$(FIG)/three-losses'" figures/three-losses.gp && tools/svg-clean $@

# Chapter 10: a delay that jumps, without and with Eifel.
$(B)/out/delay-jump.txt $(FIG)/eifel-on.dat $(FIG)/eifel-off.dat &: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,delay-jump --no-eifel --trace $(FIG)/eifel-off.dat,$(B)/out/delay-jump-1.txt)
	@$(call run-example,delay-jump --trace $(FIG)/eifel-on.dat,$(B)/out/delay-jump-2.txt)
	@cat $(B)/out/delay-jump-1.txt $(B)/out/delay-jump-2.txt | sed 's| --trace [^ ]*||' > $(B)/out/delay-jump.txt

# Chapter 12: 100,000 in-window resets during a transfer, limits off and on.
$(B)/out/blind-reset.txt: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out
	@$(call run-example,blind-reset,$@)

# Chapter 13: instructions per byte of a 4 MiB tcpsim bulk, chapter 12's
# stack and chapter 13's, by function, and memcpy with the checksum
# (callgrind: a few seconds).
$(B)/out/where-time-goes.txt $(FIG)/where-time-goes.dat &: $(B)/final/.stamp tools/where-time-goes
	@mkdir -p $(B)/out $(FIG)
	@tools/where-time-goes $(SIM) $(B)/out/where-time-goes.txt $(FIG)/where-time-goes.dat

$(FIG)/where-time-goes.svg: figures/where-time-goes.gp $(FIG)/where-time-goes.dat
	@gnuplot -e "data='$(FIG)/where-time-goes.dat'; out='$(FIG)/where-time-goes'" figures/where-time-goes.gp && tools/svg-clean $@

# Chapter 12: 100,000 forged SYNs and a real client, cookies off and on,
# with chapter 12's program (chapter 13's kept packet buffers would
# hide the heap the cookies' SYN-ACKs take).
$(B)/out/syn-flood.txt: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out
	@$(call run-example,syn-flood --as-of 12,$@)

# Chapter 10: an old duplicate one wrap later (4 GiB twice: about 20 s).
$(B)/out/paws-wrap.txt: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out
	@$(call run-example,paws-wrap,$@)

$(FIG)/eifel.svg: figures/eifel.gp $(FIG)/eifel-on.dat $(FIG)/eifel-off.dat
	@gnuplot -e "off='$(FIG)/eifel-off.dat'; on='$(FIG)/eifel-on.dat'; out='$(FIG)/eifel'" figures/eifel.gp && tools/svg-clean $@

# Chapter 11 (path MTU): two megabytes through a path MTU of 1280, with the
# router's ICMP and through a black hole.
$(B)/out/path-mtu.txt: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out
	@$(call run-example,path-mtu,$@)

# Chapter 11 (ECN): chapter 8's bottleneck with drops, and with marks
# from 30 packets queued in front of a queue of 100.
ECN_MARK_ARGS := bottleneck --ecn 1 --impair queue=100,mark=30
$(B)/out/ecn-bottleneck.txt $(FIG)/ecn-drops.dat $(FIG)/ecn-marks.dat &: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,bottleneck --trace $(FIG)/ecn-drops.dat,$(B)/out/ecn-bottleneck-1.txt)
	@$(call run-example,$(ECN_MARK_ARGS) --trace $(FIG)/ecn-marks.dat,$(B)/out/ecn-bottleneck-2.txt)
	@cat $(B)/out/ecn-bottleneck-1.txt $(B)/out/ecn-bottleneck-2.txt | sed 's| --trace [^ ]*||' > $(B)/out/ecn-bottleneck.txt

$(FIG)/ecn.svg: figures/ecn.gp $(FIG)/ecn-drops.dat $(FIG)/ecn-marks.dat
	@gnuplot -e "drops='$(FIG)/ecn-drops.dat'; marks='$(FIG)/ecn-marks.dat'; out='$(FIG)/ecn'" figures/ecn.gp && tools/svg-clean $@

$(B)/out/sack-table.txt: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out
	@$(call run-example,sack-table --count 20 --as-of 9,$@)

$(B)/out/rtt.txt $(FIG)/rtt.dat &: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,rtt --as-of 6 --trace $(FIG)/rtt.dat,$(B)/out/rtt.txt)
	@sed -i 's| --trace [^ ]*||' $(B)/out/rtt.txt

$(FIG)/rtt.svg: figures/rtt.gp $(FIG)/rtt.dat
	@gnuplot -e "data='$(FIG)/rtt.dat'; out='$(FIG)/rtt'" figures/rtt.gp && tools/svg-clean $@

# The soak of chapter 6, 100 seeds per loss rate (make soak runs 300).
$(B)/out/soak.txt $(FIG)/soak.dat &: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,soak --count 100 --as-of 6 --trace $(FIG)/soak.dat,$(B)/out/soak.txt)
	@sed -i 's| --trace [^ ]*||' $(B)/out/soak.txt

$(FIG)/soak.svg: figures/soak.gp $(FIG)/soak.dat
	@gnuplot -e "data='$(FIG)/soak.dat'; out='$(FIG)/soak'" figures/soak.gp && tools/svg-clean $@

# A slow reader's time-sequence plot (chapter 7).
$(B)/out/slow-reader.txt $(FIG)/slow-reader.dat &: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,slow-reader --as-of 7 --trace $(FIG)/slow-reader.dat,$(B)/out/slow-reader.txt)
	@sed -i 's| --trace [^ ]*||' $(B)/out/slow-reader.txt

$(FIG)/slow-reader.svg: figures/slow-reader.gp $(FIG)/slow-reader.dat
	@gnuplot -e "data='$(FIG)/slow-reader.dat'; out='$(FIG)/slow-reader'" figures/slow-reader.gp && tools/svg-clean $@

# Chapter 8: one flow through the bottleneck (the sawtooth, the queue),
# the same with a queue of 200 packets, Reno, NewReno and CUBIC through a
# 20 Mbit/s bottleneck, two flows sharing one, and the soak with NewReno.
$(B)/out/bottleneck.txt $(FIG)/bottleneck.dat &: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,bottleneck --as-of 8 --trace $(FIG)/bottleneck.dat,$(B)/out/bottleneck.txt)
	@sed -i 's| --trace [^ ]*||' $(B)/out/bottleneck.txt

$(B)/out/bottleneck-200.txt $(FIG)/bottleneck-200.dat &: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,bottleneck --as-of 8 --impair queue=200 --trace $(FIG)/bottleneck-200.dat,$(B)/out/bottleneck-200.txt)
	@sed -i 's| --trace [^ ]*||' $(B)/out/bottleneck-200.txt

$(FIG)/sawtooth.svg: figures/cwnd.gp $(FIG)/bottleneck.dat
	@gnuplot -e "data='$(FIG)/bottleneck.dat'; out='$(FIG)/sawtooth'; tmax=10" figures/cwnd.gp && tools/svg-clean $@

$(FIG)/queue.svg: figures/queue.gp $(FIG)/bottleneck.dat $(FIG)/bottleneck-200.dat
	@gnuplot -e "small='$(FIG)/bottleneck.dat'; large='$(FIG)/bottleneck-200.dat'; out='$(FIG)/queue'" figures/queue.gp && tools/svg-clean $@

CC_COMPARE_LINK := --impair rate=20mbps,delay=20ms,queue=50
$(B)/out/cc-%.txt $(FIG)/cc-%.dat: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,bottleneck --as-of 8 --cc $* $(CC_COMPARE_LINK) --trace $(FIG)/cc-$*.dat,$(B)/out/cc-$*.txt)

$(B)/out/cc-compare.txt: $(B)/out/cc-reno.txt $(B)/out/cc-newreno.txt $(B)/out/cc-cubic.txt
	@cat $^ | sed 's| --trace [^ ]*||' > $@

$(FIG)/cc-compare.svg: figures/cc-compare.gp $(FIG)/cc-reno.dat $(FIG)/cc-newreno.dat $(FIG)/cc-cubic.dat
	@gnuplot -e "reno='$(FIG)/cc-reno.dat'; newreno='$(FIG)/cc-newreno.dat'; cubic='$(FIG)/cc-cubic.dat'; out='$(FIG)/cc-compare'" figures/cc-compare.gp && tools/svg-clean $@

$(B)/out/fair-%.txt $(FIG)/fair-%.dat: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,bottleneck --as-of 8 --count 2 --cc $* --trace $(FIG)/fair-$*.dat,$(B)/out/fair-$*.txt)

$(B)/out/fairness.txt: $(B)/out/fair-newreno.txt $(B)/out/fair-cubic.txt
	@cat $^ | sed 's| --trace [^ ]*||' > $@

$(FIG)/fairness.svg: figures/fairness.gp $(FIG)/fair-newreno.dat $(FIG)/fair-cubic.dat
	@gnuplot -e "first='$(FIG)/fair-newreno.dat'; second='$(FIG)/fair-cubic.dat'; name1='NewReno'; name2='CUBIC'; out='$(FIG)/fairness'" figures/fairness.gp && tools/svg-clean $@

$(B)/out/soak-newreno.txt $(FIG)/soak-newreno.dat &: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,soak --count 100 --as-of 8 --trace $(FIG)/soak-newreno.dat,$(B)/out/soak-newreno.txt)
	@sed -i 's| --trace [^ ]*||' $(B)/out/soak-newreno.txt

$(FIG)/soak-newreno.svg: figures/soak.gp $(FIG)/soak-newreno.dat
	@gnuplot -e "data='$(FIG)/soak-newreno.dat'; out='$(FIG)/soak-newreno'" figures/soak.gp && tools/svg-clean $@

$(B)/out/ping.txt: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out
	@$(call run-example,$(PING_ARGS),$@)

# ---- the book -------------------------------------------------------------------

book: deps figures ## weave and render build/book/book.{html,pdf,epub}
	@tools/render-book $(B) $(BOOK_NW)

lint: ## every chunk used is defined and every chunk defined is used; code lines fit the page
	@tools/nwlint $(BOOK_NW) && echo "lint: chunks are consistent and code lines fit 92 columns in $(words $(BOOK_NW)) files"
	@tools/conformance && echo "lint: the conformance list and the tests' annotations agree"

# ---- tests ------------------------------------------------------------------------

test: deps ## everything: lint, freshness, chapters, exercises, checkpoints, interop, fuzz, book
	@tools/run-tests

exercises: deps ## each exercise suite fails on its stub and passes on its reference answer (exercises/answers)
	@tools/check-exercises

exercise: deps ## run one exercise's suite on your answer: make exercise EX=01-timer-wheel (no EX: list them)
	@tools/check-exercises --try "$(EX)"

checkpoints: deps ## each checkpoint fails on its stub and passes on the book's own chunks
	@tools/checkpoint --check

checkpoint: deps ## grade a checkpoint: make checkpoint CP=cp04-syn-sent (your exercises/CP/answer.nw; no CP: list them)
	@tools/checkpoint $(CP)

grade: deps ## grade every checkpoint and exercise answered in a tree (TREE, default .) into build/grade/grade.{md,csv}
	@tools/grade $(or $(TREE),.)

fuzz: deps ## run the libFuzzer targets for FUZZ_SECONDS (120); FUZZ_SAVE=yes keeps what they found in tests/fuzz/corpus
	@tools/fuzz $(or $(FUZZ_SECONDS),120)

# The whole program again, compiled with the sanitizers, for the soak.
$(B)/check/.stamp: $(NW) tools/tangle tools/compile
	@rm -rf $(B)/check && mkdir -p $(B)/check
	@tools/tangle -L $(B)/check $(NW)
	@tools/compile $(B)/check check
	@touch $@

soak: deps bin $(B)/check/.stamp ## many seeds, two stacks: SOAK_SEEDS per loss rate (300), then SOAK_CHECK_SEEDS (30) under ASan/UBSan
	@tools/soak $(or $(SOAK_SEEDS),300) $(or $(SOAK_CHECK_SEEDS),30)

bench: deps bin ## measure (printed, never asserted): the simulator, memory per connection, TUN vs a bare TUN device; BENCH_SAVE=yes keeps the run in figures/bench.tsv
	@tools/bench

interop: deps bin ## the TUN tests against Linux (needs root and /dev/net/tun)
	@tests/tun/run-all $(BIN)

# ---- labs (Appendix A) ---------------------------------------------------------------

lab: bin ## the lab (root): namespace tcplab, the stack as 10.0.0.2 on tun0, a shell in it
	@tools/lab up

lab-down: ## take the lab down: stop its tcpstack, delete namespace tcplab (root)
	@tools/lab down

lab-status: ## is the lab up: namespace tcplab and its tcpstack
	@tools/lab status || true

clean: ## remove build/
	rm -rf $(B)

# ---- chapter 13, many connections: the scale scenario to 100,000 -----------------
# (the million is for make bench)
figures: $(FIG)/scale.svg $(B)/out/scale.txt
$(B)/out/scale.txt $(FIG)/scale-grow.dat $(FIG)/scale-fixed.dat &: $(B)/final/.stamp tools/fit-listing
	@mkdir -p $(B)/out $(FIG)
	@$(call run-example,scale --count 100000 --trace $(FIG)/scale-grow.dat,$(B)/out/scale-1.txt)
	@$(call run-example,scale --count 100000 --as-of 12 --trace $(FIG)/scale-fixed.dat,$(B)/out/scale-2.txt)
	@cat $(B)/out/scale-1.txt $(B)/out/scale-2.txt | sed 's| --trace [^ ]*||' > $(B)/out/scale.txt
	@rm -f $(B)/out/scale-1.txt $(B)/out/scale-2.txt

$(FIG)/scale.svg: figures/scale.gp $(FIG)/scale-grow.dat $(FIG)/scale-fixed.dat
	@gnuplot -e "grow='$(FIG)/scale-grow.dat'; fixed='$(FIG)/scale-fixed.dat'; out='$(FIG)/scale'" figures/scale.gp && tools/svg-clean $@

# where a TCB's bytes go, by the chapters' groups of fields (chapter 13)
figures: $(B)/out/tcb-groups.txt
$(B)/out/tcb-groups.txt: $(B)/final/.stamp tools/tcb-groups
	@mkdir -p $(B)/out
	@tools/tcb-groups $(B)/final/src $(CHAPTERS) > $@.tmp && mv -f $@.tmp $@

# ---- chapter 13, the whole: the run of make bench the book shows ---------------------
# figures/bench.tsv is what `make bench BENCH_SAVE=yes` kept (label, value,
# how, one row a line, the run's machine and date first); the book prints
# it as make bench did, and draws its TUN rows.
figures: $(B)/out/bench.txt $(FIG)/bench.svg
$(B)/out/bench.txt: figures/bench.tsv
	@mkdir -p $(B)/out
	@awk -F'\t' 'NR == 1 { sub(/^# /, ""); print; next } NR > 2 { printf "%-52s %10s\n", $$1, $$2 }' $< > $@

$(FIG)/bench.dat: figures/bench.tsv figures/bench-bars.awk
	@mkdir -p $(FIG)
	@awk -F'\t' -f figures/bench-bars.awk $< > $@
	@[ "$$(wc -l < $@)" -eq 5 ] || { echo "figures/bench.tsv lacks some of the rows figures/bench-bars.awk draws" >&2; rm -f $@; exit 1; }

$(FIG)/bench.svg: figures/bench.gp $(FIG)/bench.dat figures/bench.tsv
	@gnuplot -e "data='$(FIG)/bench.dat'; run='$$(head -1 figures/bench.tsv | sed 's/^# //')'; out='$(FIG)/bench'" figures/bench.gp && tools/svg-clean $@
