#!/bin/sh
# Two uploads of the same bytes at the same moment (to two albums, so the
# names never clash): whatever the interleaving, exactly one is stored and
# the other is told where the first one is (already stored: no error);
# --force still stores a copy.
. "$(dirname "$0")/lib.sh"
setup_home
login_user alice alice-password-1 || echo "# login_user failed"
"$PGAL" mkalbum a > /dev/null && "$PGAL" mkalbum b > /dev/null
ROUNDS=6
stored_ok=0
for i in $(seq 1 $ROUNDS); do
	# a file of its own per round: a crop of the big fixture
	vips crop "$FIX/big-24mp.jpg" "$T/r$i.jpg[Q=90]" $((i * 7)) $((i * 5)) 3000 2000 ||
	    echo "# vips crop failed"
	"$PGAL" put a "$T/r$i.jpg" > "$T/a.out" 2> "$T/a.err" & pa=$!
	"$PGAL" put b "$T/r$i.jpg" > "$T/b.out" 2> "$T/b.err" & pb=$!
	wait $pa; ra=$?
	wait $pb; rb=$?
	na=$("$PGAL" ls a | grep -c "^r$i\.jpg")
	nb=$("$PGAL" ls b | grep -c "^r$i\.jpg")
	if [ $((na + nb)) -eq 1 ] && [ "$ra" -eq 0 ] && [ "$rb" -eq 0 ] &&
	    grep -hq "^already stored .* as [ab]/r$i.jpg" "$T/a.out" "$T/b.out"; then
		stored_ok=$((stored_ok + 1))
	else
		echo "# round $i: stored in a: $na, in b: $nb; exit codes $ra $rb"
		cat "$T/a.err" "$T/b.err" | sed 's/^/# /'
	fi
done
check "each round stored exactly one copy and refused the other ($stored_ok of $ROUNDS)" "[ $stored_ok -eq $ROUNDS ]"
ok "gc finds nothing of the refused copies to keep" "$PGAL" gc --min-age 0
blobs=$(find "$PGAL_HOME" -path '*orig*' -type f | wc -l)
check "one original per stored photo ($blobs for $ROUNDS)" "[ $blobs -eq $ROUNDS ]"
ok "--force stores a second copy on purpose" "$PGAL" put --force b "$T/r1.jpg"
done_testing
