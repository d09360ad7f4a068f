#!/bin/sh
# ls streams an album page by page (keyset pagination, 200 a page): an album
# of more than one page comes out whole, in order, with no photo twice, in
# every sort order, even when every sort key ties.
. "$(dirname "$0")/lib.sh"
setup_home
login_user alice alice-password-1 || echo "# login_user failed"
N=205
ok "mkalbum" "$PGAL" mkalbum big
# the same tiny photo N times: equal taken/title keys, names -2 .. -N
set --
i=0
while [ $i -lt $N ]; do set -- "$@" "$FIX/orient-1.jpg"; i=$((i + 1)); done
ok "put $N copies (--force)" "$PGAL" put big "$@" --force
check "$N result lines" '[ "$(wc -l < "$T/out")" -eq $N ]'
check "the last is named -$N" 'tail -1 "$T/out" | grep -q "^added big/orient-1-$N.jpg "'
for s in taken added title; do
	ok "ls --sort $s --json" "$PGAL" ls big --sort $s --json
	jcheck "sort $s: all $N, none twice" "len(j) == $N and len(set(p['name'] for p in j)) == $N"
	cp "$T/out" "$T/ls-$s.json"
done
check "the same set in every order" 'python3 -c "import json,sys; s=[sorted(p[\"name\"] for p in json.load(open(f))) for f in sys.argv[1:]]; sys.exit(s[0] != s[1] or s[1] != s[2])" "$T/ls-taken.json" "$T/ls-added.json" "$T/ls-title.json"'
cp "$T/ls-added.json" "$T/out"
jcheck "added order is the upload order" "[p['name'] for p in j] == ['orient-1.jpg'] + ['orient-1-%d.jpg' % i for i in range(2, $N + 1)]"
ok "ls as text" "$PGAL" ls big
check "a header and $N rows" '[ "$(wc -l < "$T/out")" -eq $((N + 1)) ]'
ok "albums --json" "$PGAL" albums --json
jcheck "the album counts $N photos" "j[0]['photos'] == $N and j[0]['bytes'] == $N * $(stat -c %s "$FIX/orient-1.jpg")"

done_testing
