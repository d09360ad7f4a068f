#!/bin/sh
# Crash consistency: kill -9 `pgal put` of a 24 MP photo at many points of its
# run. Afterwards no row may point at a missing blob, and `pgal gc --min-age 0`
# must remove every orphan file, leaving exactly 3 files per row.
. "$(dirname "$0")/lib.sh"
setup_home
login_user alice alice-password-1 || echo "# login_user failed"
BIG="$FIX/big-24mp.jpg"
RUNS=24
DB="$PGAL_HOME/pgal.db"
ok "mkalbum" "$PGAL" mkalbum crash

now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}
# the fastest of three whole puts: one slowed by a load spike would spread
# the kills past the end of most runs
dur=
for i in 1 2 3; do
	t0=$(now_ms)
	ok "one whole put (timed, $i of 3)" "$PGAL" put crash "$BIG" --force
	t=$(( $(now_ms) - t0 ))
	[ -z "$dur" ] || [ "$t" -lt "$dur" ] && dur=$t
done
echo "# one put takes ${dur} ms"
[ "$dur" -lt 20 ] && dur=20

# delays spread from 0 to a little past one whole put
i=0
killed=0
while [ $i -lt $RUNS ]; do
	delay=$(( i * dur * 11 / 10 / (RUNS - 1) ))
	"$PGAL" put crash "$BIG" --force > /dev/null 2>&1 < /dev/null &
	pid=$!
	# not a wait for a condition: the kill point itself, spread over the run
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
	wait "$pid" 2>/dev/null
	i=$((i + 1))
done
echo "# killed $killed of $RUNS runs before they finished"
check "most runs were killed mid-way" '[ "$killed" -ge $((RUNS / 2)) ]'

# every row's blobs exist, seen through the store itself...
rows=$(sqlite3 "$DB" "SELECT count(*) FROM photos" 2>"$T/err")
check "the database opens after the kills" '[ -n "$rows" ] && [ "$rows" -ge 1 ]'
check "sqlite integrity_check" '[ "$(sqlite3 "$DB" "PRAGMA integrity_check")" = ok ]'
missing=0
for id in $(sqlite3 "$DB" "SELECT blob_id FROM photos"); do
	d=$(printf %s "$id" | cut -c1-2)
	for k in orig thumb preview; do
		[ -s "$PGAL_HOME/blobs/$k/$d/$id" ] || { missing=$((missing + 1)); echo "# missing $k for $id"; }
	done
done
check "no row points at a missing blob file" '[ "$missing" -eq 0 ]'
# ...and through the CLI: every listed photo can be read whole
ok "ls --json" "$PGAL" ls crash --json
check "ls lists every row" '[ "$(jget "len(j)")" -eq "$rows" ]'
bad=0
for name in $(jget "' '.join(p['name'] for p in j)"); do
	"$PGAL" get "crash/$name" > "$T/got" 2>/dev/null < /dev/null && cmp -s "$BIG" "$T/got" || bad=$((bad + 1))
	for k in --thumb --preview; do
		"$PGAL" get "crash/$name" $k > "$T/got" 2>/dev/null < /dev/null && vipsheader "$T/got" >/dev/null 2>&1 || bad=$((bad + 1))
	done
done
check "every photo reads back: original byte-identical, renditions decodable" '[ "$bad" -eq 0 ]'

before=$(count_blobs)
echo "# $before blob files for $rows rows before gc"
ok "gc --min-age 3600 keeps young orphans" "$PGAL" gc
check "nothing younger than an hour removed" '[ "$(count_blobs)" -eq "$before" ]'
ok "gc --min-age 0" "$PGAL" gc --min-age 0
echo "# gc: $(cat "$T/out")"
check "exactly 3 files per row remain" '[ "$(count_blobs)" -eq $((rows * 3)) ]'
check "gc reported what it removed" 'o=$(sed -n "s/.*removed \([0-9]*\) orphan.* and \([0-9]*\) unfinished.*/\1 \2/p" "$T/out"); [ -n "$o" ] && [ $(( ${o% *} + ${o#* } )) -eq $((before - rows * 3)) ]'
ok "a put after the crashes works" "$PGAL" put crash "$FIX/nikon-d2h-gps.jpg"
check "and is consistent" '[ "$(count_blobs)" -eq $(( (rows + 1) * 3 )) ]'

done_testing
