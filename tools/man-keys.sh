#!/bin/sh
# man-keys.sh CONFIG_H < KEYS: the KEYS section of pgal.conf(5) as groff.
# KEYS is `gen-man keys` (name, kind, range, default per line, from the
# config table); each key's description is the comment on its field in
# core/config.h (a comment alone on the lines just before a field serves
# the field when it has none of its own). A key without one is an error:
# every key the program takes is described.
set -eu
awk -F '\t' -v hdr="$1" '
function trim(s) { sub(/^[ \t*]+/, "", s); sub(/[ \t]+$/, "", s); return s }
function esc(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); return s }
BEGIN {
	# field name -> its comment, from the struct in config.h
	while ((getline line < hdr) > 0) {
		if (incomment) {
			text = line
			done = sub(/\*\/.*/, "", text)
			if (target != "") doc[target] = doc[target] " " trim(text)
			else pending = pending " " trim(text)
			if (done) { incomment = 0 }
			continue
		}
		if (line ~ /^[ \t]*\/\*/) {
			text = line; sub(/^[ \t]*\/\*/, "", text)
			pending = ""; target = ""
			done = sub(/\*\/.*/, "", text)
			pending = trim(text)
			if (!done) incomment = 1
			continue
		}
		if (match(line, /^[ \t]*(char|int|int64_t)[ \t]+[a-z_0-9]+/)) {
			name = line; sub(/^[ \t]*(char|int|int64_t)[ \t]+/, "", name)
			sub(/[^a-z_0-9].*/, "", name)
			c = line
			if (sub(/^[^\/]*\/\*/, "", c)) {
				done = sub(/\*\/.*/, "", c)
				doc[name] = trim(c)
				if (!done) { incomment = 1; target = name }
				else target = ""
			} else if (pending != "") {
				doc[name] = pending
			}
			if (!incomment) { pending = ""; target = "" }
		} else if (line !~ /^[ \t]*$/) {
			pending = ""
		}
	}
}
{
	name = $1; kind = $2; range = $3; def = $4
	if (!(name in doc) || doc[name] == "") {
		print "man-keys.sh: the key " name " has no comment in " hdr > "/dev/stderr"
		bad = 1
	}
	printf ".TP\n.B %s\n", esc(name)
	d = doc[name]; sub(/[.]$/, "", d)
	printf "%s.\n.br\n(%s", esc(d), kind
	if (range != "") printf ", %s", esc(range)
	if (def != "") printf "; default \\fB%s\\fR", esc(def)
	printf ")\n"
}
END { exit bad }
' -
