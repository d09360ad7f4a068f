#!/bin/sh
# pgal-tui(1) lists the keys the running program shows: on the welcome
# screen, the albums, an album, a photo and a form, every row the help
# overlay (? or F1) lists, key and what it does, is a row of the page's KEYS
# section as man renders it, and the screen's own rows, in order, are one
# subsection of it.
. "$(dirname "$0")/lib.sh"
setup_home
ENVS="PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME"

# the page as a reader sees it
LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$PGAL_BUILD/man/pgal-tui.1" > "$T/man.out" 2> "$T/man.err"
col -bx < "$T/man.out" > "$T/man"
check "man renders pgal-tui.1" \
	'[ -s "$T/man" ] && ! [ -s "$T/man.err" ] || { sed "s/^/# /" "$T/man.err"; false; }'
# KEYS rows as "subsection<TAB>keys<TAB>what they do": headings indented
# 3, a row's keys 7, what it does beside them after two spaces or more (the
# key column is as wide as the screen's widest keys)
python3 - "$T/man" > "$T/man-rows" <<'PY'
import re, sys
section, sub, rows = None, None, []
for line in open(sys.argv[1], encoding="utf-8").read().split("\n"):
    if re.match(r"\S", line):
        section = line.strip()
        continue
    if section != "KEYS" or not line.strip():
        continue
    if re.match(r" {3}\S", line):
        sub = line.strip()
    elif sub is not None and re.match(r" {7}\S", line):
        m = re.match(r" {7}(\S.*?)\s{2,}(\S.*)$", line)
        rows.append([sub, m.group(1), m.group(2).strip()] if m else [sub, line.strip(), ""])
    elif sub is not None and rows and re.match(r" {8,}\S", line):
        rows[-1][2] = (rows[-1][2] + " " + line.strip()).strip()
for r in rows:
    print("\t".join(r))
PY
check "the page has a KEYS section with the screens' keys" '[ "$(wc -l < "$T/man-rows")" -ge 20 ]'

# overlay NAME: the help overlay on the screen now, as rows "view<TAB>keys
# <TAB>what" (the screen's own) and "shared<TAB>..." (after the gap), in
# $T/help-NAME; the overlay is the frame whose rows include "this help"
overlay() {
	settle || return 1
	cp "$T/screen" "$T/screen-$1"
	python3 - "$T/screen" > "$T/help-$1" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
for top, line in enumerate(lines):
    for x in [m.start() for m in re.finditer("┌", line)]:
        right = line.find("┐", x)
        body, y = [], top + 1
        while right > 0 and y < len(lines) and lines[y][x:x + 1] == "│":
            body.append(lines[y][x + 1:right])
            y += 1
        if not any("this help" in b for b in body):
            continue
        part = "view"
        for b in body:
            if not b.strip():
                part = "shared"
                continue
            m = re.match(r"\s*(\S.*?)\s{2,}(\S.*?)\s*$", b)
            print("\t".join([part, m.group(1), m.group(2)] if m else [part, b.strip(), ""]))
        sys.exit(0)
sys.exit(1)
PY
}

# compare NAME: the checks for the overlay in $T/help-NAME
compare() {
	python3 - "$T/help-$1" "$T/man-rows" > "$T/cmp-$1" <<'PY'
import sys
help_rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")]
man = [l.rstrip("\n").split("\t") for l in open(sys.argv[2], encoding="utf-8")]
pairs = {(k, w) for _, k, w in man}
subs = {}
for s, k, w in man:
    subs.setdefault(s, []).append((k, w))
# help names a shared row by the keys that reach it on that screen (in a
# form the letters among them are text); the page's every-screen section
# names all of them: the keys help shows must be among the page's, in order
def keys_in(k, mk):
    it = iter(mk.split(" "))
    return all(x in it for x in k.split(" "))
def shared_match(k, w, rows):
    return any(mw == w and keys_in(k, mk) for mk, mw in rows)
for part, k, w in help_rows:
    found = (k, w) in pairs if part == "view" else shared_match(k, w, man_kw := [(mk, mw) for _, mk, mw in man])
    print(("ok" if found else "missing") + f"\t{part} row {k} = {w} is in pgal-tui(1)")
def inside(rows, seq):
    it = iter(seq)
    return all(any(shared_match(k, w, [r]) for r in it) for k, w in rows)
view = [(k, w) for p, k, w in help_rows if p == "view"]
shared = [(k, w) for p, k, w in help_rows if p == "shared"]
same = [s for s, r in subs.items() if r == view]
print(("ok" if view and same else "missing") + f"\tits own {len(view)} rows, in order, are one"
      + " subsection of pgal-tui(1)'s KEYS" + (f" ({same[0]})" if same else ""))
holds = [s for s, r in subs.items() if inside(shared, r)]
print(("ok" if shared and holds else "missing") + f"\tthe {len(shared)} shared rows are in one"
      + " subsection, in order" + (f" ({holds[0]})" if holds else ""))
PY
	while IFS="$(printf '\t')" read -r verdict what; do
		check "$1 help: $what" '[ "$verdict" = ok ]'
	done < "$T/cmp-$1"
	listed=$(wc -l < "$T/help-$1")
	check "($1: help listed $listed rows)" '[ "$listed" -ge 3 ]'
	# the comparison ran to its end: a row per help row and its two summaries
	compared=$(wc -l < "$T/cmp-$1")
	check "$1: every help row was compared ($compared lines for $listed rows)" \
		"[ $compared -eq $((listed + 2)) ]"
}

# help SCREEN KEY: opens help with KEY, reads and compares it, closes it
help() {
	keys "$2"
	wait_for "this help" > /dev/null
	if overlay "$1"; then compare "$1"
	else check "the help overlay of $1 was found" false; sed 's/^/# | /' "$T/screen"; fi
	keys Escape
	wait_gone "this help" > /dev/null
}

tui_start 120 40 $ENVS
step "the welcome screen" "Sign up"
help welcome '?'
tui_quit "quits"

login_user frank 'a long password' || echo "# login failed"
ok "an album" "$PGAL" mkalbum trip
ok "a photo in it" "$PGAL" put trip "$FIX/nikon-d2h-gps.jpg"
tui_start 120 40 $ENVS
step "the albums" "trip +.* 1"
help albums '?'
keys n
step "n opens the new album form" "pgal +new album"
help "new album form" F1
keys Escape
wait_gone "pgal +new album" > /dev/null
keys Enter
step "the album" "nikon-d2h-gps\.jpg"
help album '?'
keys Enter
step "the photo" "Camera +NIKON D2H"
help photo '?'
tui_quit "quits"
done_testing
