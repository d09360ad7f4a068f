# The timing every bench script shares: a clock, interleaved rounds of
# commands, and the median. Sourced (". bench/timing.sh") from the top.

# bench_dirs [BUILD_DIR]: sets top (the tree, the current folder) and build
# (BUILD_DIR or "build", made absolute) for a script run from the top.
bench_dirs() {
	top=$(pwd)
	build=${1:-build}
	case $build in /*) ;; *) build="$top/$build" ;; esac
}

# The time in nanoseconds: a wall clock, so only differences mean anything.
bench_now() {
	date +%s%N
}

# bench_runs DEFAULT MIN: how many timed rounds, BENCH_RUNS or DEFAULT, at
# least MIN.
bench_runs() {
	_n=${BENCH_RUNS:-$1}
	[ "$_n" -ge "$2" ] || _n=$2
	echo "$_n"
}

# bench_rounds DIR RUNS LABEL...: one discarded warm-up round, then RUNS
# timed rounds; each round runs cmd_LABEL for every LABEL in turn
# (interleaved, so load on the machine hits them alike), its output
# discarded, and appends its time in microseconds to DIR/LABEL.us. A
# command that fails ends the script with its error output.
bench_rounds() {
	_dir=$1 _runs=$2
	shift 2
	_round=0
	while [ "$_round" -le "$_runs" ]; do
		for _l in "$@"; do
			_t0=$(bench_now)
			if ! "cmd_$_l" > /dev/null 2> "$_dir/err"; then
				echo "bench: $_l failed:" >&2
				cat "$_dir/err" >&2
				exit 1
			fi
			_t1=$(bench_now)
			[ "$_round" -gt 0 ] && echo $(( (_t1 - _t0) / 1000 )) >> "$_dir/$_l.us"
		done
		_round=$((_round + 1))
	done
}

# bench_median [FILE]: the median of the numbers in FILE (or the input),
# one a line; the middle one as written, or the mean of the middle two.
bench_median() {
	sort -g ${1:+"$1"} | awk '{ v[NR] = $1 } END {
		if (NR % 2) { print v[(NR + 1) / 2]; exit }
		m = (v[NR / 2] + v[NR / 2 + 1]) / 2
		if (m == int(m)) printf "%.0f\n", m; else printf "%.6f\n", m }'
}
