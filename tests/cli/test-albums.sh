#!/bin/sh
# Albums: create, names, list, edit, delete (with and without a terminal),
# and that another user can neither see nor touch them.
. "$(dirname "$0")/lib.sh"
setup_home
login_user alice alice-password-1 || echo "# login_user failed"
toka=$(saved_token)

ok "mkalbum" "$PGAL" mkalbum trip --title "Summer trip" --description "Two weeks by the sea"
check "mkalbum says so" 'grep -q "created album trip" "$T/out"'
expect_rc 5 "a duplicate name" "$PGAL" mkalbum trip
for bad in "" ".hidden" "-dash" "a/b" "tab	name" "$(printf 'esc\033[31m')" "$(printf 'x%.0s' $(seq 65))"; do
	expect_rc 5 "bad album name '$(printf %s "$bad" | tr -d '\033' | cut -c1-20)'" "$PGAL" mkalbum -- "$bad"
done
ok "a name at the 64-byte limit" "$PGAL" mkalbum "$(printf 'y%.0s' $(seq 64))"
ok "a name with space, dot, dash, underscore" "$PGAL" mkalbum "Paris 2024.v_2-b"
ok "mkalbum --json" "$PGAL" mkalbum zoo --title "Zoo" --json
jcheck "mkalbum --json is the album" 'j["name"] == "zoo" and j["title"] == "Zoo" and j["photos"] == 0 and j["bytes"] == 0 and j["created_at"].endswith("Z")'
# a title with escape sequences is refused or stored without them
"$PGAL" mkalbum esc --title "$(printf 'a\033]0;x\007b')" > /dev/null 2>&1 < /dev/null
"$PGAL" albums --json > "$T/out" 2>/dev/null
jcheck "no escape sequence reaches a title" "all(not any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in a['title']) for a in j)"
"$PGAL" rmalbum esc --yes > /dev/null 2>&1 < /dev/null

ok "albums" "$PGAL" albums
check "albums lists trip with its title" 'grep -q "^trip .*Summer trip$" "$T/out"'
check "albums has a header and 4 rows" '[ "$(wc -l < "$T/out")" -eq 5 ]'
ok "albums --json" "$PGAL" albums --json
jcheck "albums --json: 4, sorted by name" '[a["name"] for a in j] == sorted(a["name"] for a in j) and len(j) == 4'
jcheck "albums --json fields" 'all(set(a) >= {"name","title","description","photos","bytes","created_at","updated_at"} for a in j)'
jcheck "the description" '[a for a in j if a["name"] == "trip"][0]["description"] == "Two weeks by the sea"'

# ---- edit ----
expect_rc 1 "editalbum with nothing to change" "$PGAL" editalbum trip
expect_rc 2 "editalbum of a missing album" "$PGAL" editalbum nope --title x
ok "editalbum --title" "$PGAL" editalbum trip --title "Sea"
ok "editalbum --name" "$PGAL" editalbum trip --name seaside --json
jcheck "renamed, the title kept" 'j["name"] == "seaside" and j["title"] == "Sea" and j["description"] == "Two weeks by the sea"'
expect_rc 2 "the old name is gone" "$PGAL" ls trip
expect_rc 5 "renaming onto an existing album" "$PGAL" editalbum seaside --name zoo
expect_rc 5 "renaming to a bad name" "$PGAL" editalbum seaside --name "a/b"
ok "clearing the description" "$PGAL" editalbum seaside --description ""
ok "info via albums --json" "$PGAL" albums --json
jcheck "description cleared" '[a for a in j if a["name"] == "seaside"][0]["description"] == ""'

# ---- another user ----
ok "alice adds a photo" "$PGAL" put seaside "$FIX/nikon-d2h-gps.jpg"
login_user bob bob-password-12 || echo "# login_user bob failed"
ok "bob sees no albums" "$PGAL" albums --json
jcheck "bob's list is empty" 'j == []'
expect_rc 2 "bob cannot list alice's album" "$PGAL" ls seaside
expect_rc 2 "bob cannot read alice's photo" "$PGAL" info seaside/nikon-d2h-gps.jpg
expect_rc 2 "bob cannot get alice's photo" "$PGAL" get seaside/nikon-d2h-gps.jpg -o "$T/stolen.jpg"
check "and no file was written" '[ ! -e "$T/stolen.jpg" ]'
expect_rc 2 "bob cannot edit alice's album" "$PGAL" editalbum seaside --title mine
expect_rc 2 "bob cannot put into alice's album" "$PGAL" put seaside "$FIX/orient-1.jpg"
expect_rc 2 "bob cannot delete alice's photo" "$PGAL" rm seaside/nikon-d2h-gps.jpg
expect_rc 2 "bob cannot delete alice's album" "$PGAL" rmalbum seaside --yes
ok "bob may have an album of the same name" "$PGAL" mkalbum seaside
ok "alice's album is unchanged" env PGAL_TOKEN=$toka "$PGAL" ls seaside --json
jcheck "with her photo" 'len(j) == 1'

# ---- delete ----
export PGAL_TOKEN=$toka
expect_rc 1 "rmalbum without --yes and no terminal" "$PGAL" rmalbum seaside
check "says to use --yes" 'grep -q -- "--yes" "$T/err"'
ok "the album is still there" "$PGAL" ls seaside
check "3 blob files for alice's photo" '[ "$(count_blobs)" -eq 3 ]'
expect_rc 2 "rmalbum of a missing album" "$PGAL" rmalbum nope --yes
ok "rmalbum --yes" "$PGAL" rmalbum seaside --yes
check "rmalbum says how many photos went" 'grep -q "deleted album seaside and its 1 photo$" "$T/out"'
check "its blob files are gone" '[ "$(count_blobs)" -eq 0 ]'
expect_rc 2 "it is gone" "$PGAL" ls seaside
ok "albums after" "$PGAL" albums --json
jcheck "3 albums left" 'len(j) == 3 and "seaside" not in [a["name"] for a in j]'
unset PGAL_TOKEN

done_testing
