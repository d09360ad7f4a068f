#!/bin/sh
# Runs every test once per build directory given (e.g. "build build-asan"):
# the cmocka unit tests (tests/unit) and the script tiers (tests/cli, tui,
# ssh, integration), all speaking TAP. Test files run in parallel
# (PGAL_TEST_JOBS at once, default: three times the online CPUs + 1, since
# most files spend much of their time waiting on peers, clients and
# terminals: at twice, the two cores were 80% busy); each file's output is
# printed in one piece when it ends. Ends with one line: "N passed, N failed".
#
# PGAL_TEST_ONLY="tests/cli/test-x.sh tests/unit/test-y.c ..." narrows the run
# to those files (for development); PGAL_TEST_TIMEOUT bounds one file (600 s).
set -u
cd "$(dirname "$0")/.."
top=$(pwd)

# --one LABEL BUILD FILE: runs one test file (the parallel jobs call this)
if [ "${1:-}" = --one ]; then
	label=$2 b=$3 t=$4
	res="$PGAL_TEST_RESULTS/$(echo "$label" | tr '/ ' '__')"
	log="$res.log"
	case $t in
	tests/unit/*) set -- "$b/tests/$(basename "$t" .c)" ;;
	*) set -- env PGAL_BUILD="$top/$b" sh "$t" ;;
	esac
	start=$(date +%s)
	# a hung test file fails alone instead of stalling the run
	# the CPU time it took (its processes that were waited for), which is
	# what makes the whole run slow on two cores
	TMPDIR_TEST=$(mktemp -d "$PGAL_TEST_SCRATCH/t.XXXXXX") \
		/usr/bin/time -o "$res.cpu" -f "%U %S" \
		timeout -k 10 "${PGAL_TEST_TIMEOUT:-600}" "$@" > "$log" 2>&1 < /dev/null
	rc=$?
	cpu=$(awk 'END { printf "%.0f", $1 + $2 }' "$res.cpu" 2>/dev/null)
	[ "$rc" -eq 124 ] && echo "not ok - $label timed out after ${PGAL_TEST_TIMEOUT:-600}s" >> "$log"
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $label exited with status $rc" >> "$log"
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $label ran no test" >> "$log"
	fi
	secs=$(( $(date +%s) - start ))
	{
		if [ "$f" -gt 0 ]; then
			echo "FAIL $label ($p passed, $f failed, ${secs}s, ${cpu:-?} cpu-s)"
			grep -v '^ok ' "$log" | tail -n 60 | sed 's/^/    /'
		else
			echo "ok   $label ($p passed, ${secs}s, ${cpu:-?} cpu-s)"
		fi
	} > "$res.out"
	echo "$p $f $secs" > "$res.counts"
	# one file's lines stay together on the shared output
	flock "$PGAL_TEST_RESULTS/.print" cat "$res.out"
	exit 0
fi

export PGAL_FIXTURES="$top/build/fixtures"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:detect_odr_violation=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export CMOCKA_MESSAGE_OUTPUT=TAP
# every test gets its own scratch space below this, removed at the end
PGAL_TEST_SCRATCH=$(mktemp -d /tmp/pgal-test.XXXXXX)
PGAL_TEST_RESULTS="$PGAL_TEST_SCRATCH/results"
export PGAL_TEST_SCRATCH PGAL_TEST_RESULTS
trap 'rm -rf "$PGAL_TEST_SCRATCH"' EXIT
mkdir -p "$PGAL_TEST_RESULTS"
jobs=${PGAL_TEST_JOBS:-$(( 3 * $(nproc) + 1 ))}

# The job list, slowest kinds first so the long files do not start last:
# the SSH, third-party client, fleet and integration tiers, then the TUI,
# the CLI, the fuzz corpus replays and the unit tests;
# the sanitizer build before the plain one at each step.
all_files() {
	ls tests/ssh/test-*.sh tests/clients/test-*.sh tests/fleet/test-*.sh \
		tests/integration/test-*.sh tests/tui/test-*.sh \
		tests/cli/test-*.sh tests/fuzz/test-*.sh tests/unit/test-*.c 2>/dev/null
}
files=${PGAL_TEST_ONLY:-$(all_files)}
for t in $files; do
	[ -f "$t" ] || { echo "no such test file: $t" >&2; exit 1; }
	tier=$(basename "$(dirname "$t")")
	name=$(basename "$t"); name=${name%.sh}; name=${name%.c}
	for b in $(printf '%s\n' "$@" | sort -r); do
		case $b in *asan*) kind=asan ;; *) kind=plain ;; esac
		[ "$tier" = unit ] && [ ! -x "$b/tests/$name" ] && continue
		# a file whose subject is not the programs' memory (documents,
		# packages, a fleet's shape, whose code paths the sanitizer build
		# runs in other files) says so and runs in the plain build only
		[ "$kind" = asan ] && grep -q '^# pgal-test: plain build only' "$t" && continue
		echo "$kind/$tier/$name $b $t"
	done
done > "$PGAL_TEST_SCRATCH/jobs"

# the pinned npm peers are installed once here, not by the first jobs at once
if grep -qs 'peers.sh\|testpeers\|testddb' $files; then
	sh tests/integration/npm-deps.sh || { echo "0 passed, 1 failed"; exit 1; }
fi

# each job gets a slot number (PGAL_TEST_SLOT), which gives it its own range
# of ports (tests/lib/free-port.py)
xargs -P "$jobs" -L 1 --process-slot-var=PGAL_TEST_SLOT \
	sh "$top/tests/run.sh" --one < "$PGAL_TEST_SCRATCH/jobs"

passed=0
failed=0
failures=""
while read -r label b t; do
	res="$PGAL_TEST_RESULTS/$(echo "$label" | tr '/ ' '__')"
	if [ -f "$res.counts" ]; then
		read -r p f secs < "$res.counts"
	else
		p=0 f=1
		echo "FAIL $label (no result)"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -gt 0 ] && failures="$failures $label"
done < "$PGAL_TEST_SCRATCH/jobs"
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
