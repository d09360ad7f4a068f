#!/bin/sh
# `make fuzz`: runs each libFuzzer harness of BUILD (BUILD/fuzz/NAME, from
# fuzz/NAME.c) for SECS seconds, one at a time, starting from its seed
# corpus fuzz/corpus/NAME and what earlier runs found (BUILD/fuzz-work/NAME,
# outside the tree). Prints "fuzz NAME: N runs, N crashes" per harness. An
# input that crashes, leaks, hangs or runs out of memory is kept as
# fuzz/regressions/NAME/<kind>-<sha1>, which `make test` replays
# (tests/fuzz/test-replay.sh), and fails the run.
#
# usage: tools/fuzz.sh BUILD [SECS [NAME...]]
set -u
cd "$(dirname "$0")/.."
build=${1:?usage: tools/fuzz.sh BUILD [SECS [NAME...]]}
secs=${2:-60}
shift; [ $# -gt 0 ] && shift
names=${*:-$(ls fuzz/*.c | sed 's|fuzz/||; s|\.c$||')}
failed=0
for name in $names; do
	bin=$build/fuzz/$name
	[ -x "$bin" ] || { echo "fuzz $name: no harness $bin"; failed=1; continue; }
	work=$build/fuzz-work/$name
	kept=fuzz/regressions/$name
	mkdir -p "$work" "$kept"
	log=$build/fuzz-work/$name.log
	before=$(ls "$kept" | wc -l)
	# one process at a time; an input gets 10 s and 2 GB before it counts
	# as a hang or an out-of-memory (slow inputs are not kept: the time
	# limit is what fails)
	ASAN_OPTIONS="detect_leaks=1:abort_on_error=0" UBSAN_OPTIONS="print_stacktrace=1" \
	"$bin" -max_total_time="$secs" -timeout=10 -report_slow_units=3600 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 -artifact_prefix="$kept/" \
		"$work" "fuzz/corpus/$name" > "$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	crashes=$(( $(ls "$kept" | wc -l) - before ))
	# a failure that left no input (a crash while reading the corpus)
	[ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ] && crashes=1
	echo "fuzz $name: ${runs:-0} runs, $crashes crashes"
	if [ "$crashes" -gt 0 ]; then
		failed=1
		grep -m 1 -A 12 'ERROR:\|runtime error\|==ERROR' "$log" | sed 's/^/    /'
		echo "    log: $log; kept in $kept/"
	fi
	rmdir "$kept" 2>/dev/null
done
exit $failed
