#!/bin/sh
# Runs every test once per build directory given (e.g. "build build-asan"):
# the cmocka unit tests (tests/unit) and the CLI integration tests (tests/cli),
# all speaking TAP. Ends with one line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
export PGAL_FIXTURES="$top/build/fixtures"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:detect_odr_violation=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export CMOCKA_MESSAGE_OUTPUT=TAP
# PGAL_TEST_ONLY="tests/cli/test-x.sh ..." narrows the script tiers (for development)
# every test gets its own scratch space below this, removed at the end
scratch=$(mktemp -d /tmp/pgal-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
passed=0
failed=0
failures=""

# run_one LABEL COMMAND...: runs a TAP producer, counts its ok/not ok lines
run_one() {
	label=$1; shift
	log="$scratch/log.$$.$(echo "$label" | tr '/ ' '__')"
	start=$(date +%s)
	# a hung test file fails alone instead of stalling the run
	TMPDIR_TEST=$(mktemp -d "$scratch/t.XXXXXX") \
		timeout -k 10 "${PGAL_TEST_TIMEOUT:-600}" "$@" > "$log" 2>&1
	rc=$?
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
	passed=$((passed + p))
	failed=$((failed + f))
	t=$(( $(date +%s) - start ))
	if [ "$f" -gt 0 ]; then
		echo "FAIL $label ($p passed, $f failed, ${t}s)"
		grep -v '^ok ' "$log" | tail -n 60 | sed 's/^/    /'
		failures="$failures $label"
	else
		echo "ok   $label ($p passed, ${t}s)"
	fi
}

for b in "$@"; do
	case $b in *asan*) kind=asan ;; *) kind=plain ;; esac
	for t in "$b"/tests/test-*; do
		[ -x "$t" ] || continue
		run_one "$kind/unit/$(basename "$t")" "$t"
	done
	for t in ${PGAL_TEST_ONLY:-tests/cli/test-*.sh tests/tui/test-*.sh tests/ssh/test-*.sh tests/integration/test-*.sh}; do
		[ -f "$t" ] || continue
		tier=$(basename "$(dirname "$t")")
		run_one "$kind/$tier/$(basename "$t" .sh)" env PGAL_BUILD="$top/$b" sh "$t"
	done
done
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
