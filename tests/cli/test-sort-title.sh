#!/bin/sh
# ls --sort title: the titled photos A to Z, then the untitled ones (in the
# order they were added), as the TUI's album view sorts them too.
. "$(dirname "$0")/lib.sh"
setup_home
login_user tess tess-password-1 || echo "# login_user failed"
ok "mkalbum" "$PGAL" mkalbum mixed
set --
for i in 1 2 3 4 5 6 7 8; do set -- "$@" "$FIX/orient-$i.jpg"; done
ok "put eight photos" "$PGAL" put mixed "$@"
# titles on every other photo, not in name order: untitled ones come
# first in the store's index ('' sorts before every title)
ok "title one" "$PGAL" edit mixed/orient-2.jpg --title "pier"
ok "title two" "$PGAL" edit mixed/orient-4.jpg --title "beach"
ok "title three" "$PGAL" edit mixed/orient-7.jpg --title "harbour"
ok "ls --sort added --json" "$PGAL" ls mixed --sort added --json
cp "$T/out" "$T/added.json"
ok "ls --sort title --json" "$PGAL" ls mixed --sort title --json
jcheck "all eight, none twice" "len(j) == 8 and len(set(p['name'] for p in j)) == 8"
jcheck "the titled ones first, A to Z" "[p['title'] for p in j[:3]] == ['beach', 'harbour', 'pier']"
jcheck "the untitled ones last, in the order added" "[p['name'] for p in j[3:]] == [p['name'] for p in json.load(open('$T/added.json')) if p['title'] == '']"
done_testing
