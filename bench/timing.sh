# The timing rules every bench script shares, sourced (". bench/timing.sh")
# from the top of the tree; bench/timing.h is the C drivers' side (the same
# clock and median):
#  - one warm-up round, discarded, then RUNS timed rounds;
#  - each round runs every command once, in turn (interleaved, so load on
#    the machine hits them alike);
#  - each figure is the median of its rounds;
#  - a ratio prints as "0.87x", then its target "(target <= 1.0x)" and
#    "  MISSED" when the ratio misses it (bench_ratio).

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

# bench_rounds DIR RUNS LABEL...: the warm-up round, then RUNS timed rounds;
# each round runs, for every LABEL in turn, before_LABEL untimed (when the
# script defines one: what must be undone between rounds) and then
# cmd_LABEL, whose time in microseconds it appends to DIR/LABEL.us and
# whose output to DIR/LABEL.out (a driver that times itself prints its
# figures there, one line a round; a command with much output sends it to
# /dev/null itself). A command that fails ends the script with its error
# output.
bench_rounds() {
	_dir=$1 _runs=$2
	shift 2
	_round=0
	while [ "$_round" -le "$_runs" ]; do
		for _l in "$@"; do
			if command -v "before_$_l" > /dev/null && ! "before_$_l" > /dev/null 2> "$_dir/err"; then
				echo "bench: before_$_l failed:" >&2
				cat "$_dir/err" >&2
				exit 1
			fi
			_t0=$(bench_now)
			if ! "cmd_$_l" > "$_dir/$_l.last" 2> "$_dir/err"; then
				echo "bench: $_l failed:" >&2
				cat "$_dir/err" >&2
				exit 1
			fi
			_t1=$(bench_now)
			if [ "$_round" -gt 0 ]; then
				echo $(( (_t1 - _t0) / 1000 )) >> "$_dir/$_l.us"
				cat "$_dir/$_l.last" >> "$_dir/$_l.out"
			fi
		done
		_round=$((_round + 1))
	done
}

# bench_median FILE [COLUMN]: the median of the numbers in FILE's COLUMN
# (1 when not given), one a line; the middle one as written, or the mean of
# the middle two.
bench_median() {
	awk -v c="${2:-1}" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) { print v[(NR + 1) / 2]; exit }
		m = (v[NR / 2] + v[NR / 2 + 1]) / 2
		if (m == int(m)) printf "%.0f\n", m; else printf "%.6f\n", m }'
}

# bench_ratio A B [OP TARGET]: A / B as "0.87x"; with OP (<= or >=) and
# TARGET, then " (target OP TARGETx)" and "  MISSED" when A / B OP TARGET
# does not hold.
bench_ratio() {
	awk -v a="$1" -v b="$2" -v op="${3:-}" -v t="${4:-}" 'BEGIN {
		if (b + 0 == 0) {
			printf "(no ratio: %s / %s)", a, b
			exit
		}
		# compared as printed, so 1.004 is "1.00x" and meets "<= 1.0"
		r = sprintf("%.2f", a / b) + 0
		printf "%.2fx", r
		if (op == "")
			exit
		if (op != "<=" && op != ">=") {
			print "bench_ratio: OP is <= or >=" > "/dev/stderr"
			exit 1
		}
		ok = op == "<=" ? r <= t + 0 : r >= t + 0
		printf " (target %s %sx)%s", op, t, ok ? "" : "  MISSED" }'
}
