#!/bin/sh
# Replays every fuzz harness (fuzz/NAME.c, built into $PGAL_BUILD/fuzz/NAME
# with a main that reads files) over its seed corpus fuzz/corpus/NAME and
# the inputs `make fuzz` kept in fuzz/regressions/NAME: an input that
# crashes, trips the sanitizers, leaks or breaks a harness's own check
# fails the test.
. "$(dirname "$0")/../cli/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)

# replay WANT BIN DIR...: BIN ran every one of the WANT inputs of the DIRs
# and none crashed (the driver prints "N inputs" at its end)
replay() {
	rp_want=$1 rp_bin=$2
	shift 2
	"$rp_bin" "$@" > "$T/replay.out" || return 1
	cat "$T/replay.out"
	[ "$(tail -n 1 "$T/replay.out")" = "$rp_want inputs" ]
}

for src in "$top"/fuzz/*.c; do
	name=$(basename "$src" .c)
	bin=$PGAL_BUILD/fuzz/$name
	corpus=$top/fuzz/corpus/$name
	kept=$top/fuzz/regressions/$name
	check "$name: harness built" '[ -x "$bin" ]'
	check "$name: has a seed corpus" '[ -n "$(ls "$corpus" 2>/dev/null)" ]'
	set -- "$corpus"
	[ -d "$kept" ] && set -- "$@" "$kept"
	want=$(find "$@" -type f ! -name '.*' | wc -l)
	ok "$name: $want inputs replay without a crash" replay "$want" "$bin" "$@"
done
echo "1..$n"
[ "$nfail" -eq 0 ]
