#!/bin/sh
# The command line itself: help generated from the table, version, usage
# errors (exit 1, one line on stderr with a hint), and "not logged in" (exit 3).
. "$(dirname "$0")/lib.sh"
setup_home

ok "--help" "$PGAL" --help
cp "$T/out" "$T/help"
check "--help mentions the exit codes" 'grep -q "1 usage" "$T/help"'

# Every command, read from the sources rather than from --help (which
# would drop a command along with the table): each is one entry in its own
# file, core/cmd/NAME.c ("const pgal_cmd_entry pgal_cmd_NAME_entry = {" and
# its .name), so a new command is covered here without editing this test,
# and one that the table or --help leaves out fails below.
CMD_SRC="$(dirname "$0")/../../core/cmd"
cmds=$(awk '/^const pgal_cmd_entry pgal_cmd_[a-z0-9_]+_entry = \{/ { e = 1 }
	e && /\.name = "/ { sub(/.*\.name = "/, ""); sub(/".*/, ""); print; e = 0 }' "$CMD_SRC"/*.c)
ncmds=$(echo "$cmds" | grep -c .)
nentries=$(cat "$CMD_SRC"/*.c | grep -c '^const pgal_cmd_entry pgal_cmd_[a-z0-9_]*_entry = {')
ntable=$(grep -c '^[[:space:]]*&pgal_cmd_[a-z0-9_]*_entry,' "$CMD_SRC/table.c")
# guards for the parsing itself: an empty or partial list would pass the
# loop below
check "core/cmd defines $nentries commands, each with a name ($ncmds)" \
	'[ "$ncmds" -gt 0 ] && [ "$ncmds" -eq "$nentries" ]'
check "the table registers as many ($ntable)" '[ "$ntable" -eq "$ncmds" ]'
for c in $cmds; do
	check "--help lists $c" "grep -q '^  $c ' '$T/help'"
	check "help $c shows its usage" "\"\$PGAL\" help $c > '$T/out' 2>&1 && grep -q '^usage: pgal $c ' '$T/out'"
done
check "--help lists no other command" '[ "$(grep -c "^  [a-z]" "$T/help")" -eq "$ncmds" ]'
ok "help ls" "$PGAL" help ls
check "help ls shows the usage line" 'grep -q "^usage: pgal ls ALBUM \[--sort taken|added|title\] \[--json\]" "$T/out"'
ok "ls --help" "$PGAL" ls --help
check "ls --help is help ls" 'grep -q "^usage: pgal ls " "$T/out"'
expect_rc 1 "help of an unknown command" "$PGAL" help frob
ok "--version" "$PGAL" --version
check "--version prints the VERSION file" '[ "$(cat "$T/out")" = "pgal $(cat "$(dirname "$0")/../../VERSION" 2>/dev/null || echo 0.0.0)" ]'
# the other two programs answer --help and --version the same way
for prog in pgal-tui pgal-sshd; do
	ok "$prog --help" "$PGAL_BUILD/$prog" --help
	check "$prog --help prints its usage on stdout" 'grep -q "^usage: $prog" "$T/out" && grep -q -- --version "$T/out" && [ ! -s "$T/err" ]'
	ok "$prog --version" "$PGAL_BUILD/$prog" --version
	check "$prog --version prints the VERSION file" '[ "$(cat "$T/out")" = "'$prog' $(cat "$(dirname "$0")/../../VERSION")" ]'
	expect_rc 1 "$prog with an unknown option" "$PGAL_BUILD/$prog" --bogus
done

# usage errors: exit 1, exactly one line on stderr that starts with "pgal: "
usage() {
	d=$1; shift
	expect_rc 1 "$d" "$PGAL" "$@"
	check "$d: one line on stderr" '[ "$(wc -l < "$T/err")" -eq 1 ] && grep -q "^pgal: " "$T/err" && [ ! -s "$T/out" ]'
}
usage "no command" 
usage "unknown command" frobnicate
check "unknown command hints at --help" 'grep -q "pgal --help" "$T/err"'
usage "near miss suggests the command" mkalb x
check "suggestion names mkalbum" 'grep -q "mkalbum" "$T/err"'
for typo in lgoin:login logni:login serch:search albms:albums whoamii:whoami pt:put; do
	usage "a slip of the fingers: ${typo%%:*}" "${typo%%:*}"
	check "suggests ${typo#*:}" "grep -q \"did you mean '${typo#*:}'?\" \"\$T/err\""
done
usage "nothing near" xyzzy
check "suggests nothing" '! grep -q "did you mean" "$T/err"'
usage "missing argument" ls
check "missing argument shows the usage" 'grep -q "usage: pgal ls ALBUM" "$T/err"'
usage "too many arguments" info a/b c/d
usage "unknown option" ls trip --bogus
check "unknown option hints at help" "grep -q \"see 'pgal help ls'\" \"\$T/err\""
usage "option without its value" ls trip --sort
usage "flag with a value" albums --json=yes
usage "--json where it means nothing" rm a/b --json
usage "-f without a file" -f
# usage errors come before the session check: no token here
check "usage errors need no session" '[ ! -e "$XDG_CONFIG_HOME/pgal/session" ]'

# a missing config file named with -f is an error, not silently ignored
expect_rc 2 "-f names a missing file" "$PGAL" -f "$T/nope.conf" gc
check "the error names the file" 'grep -q "nope.conf" "$T/err"'
printf 'bogus_key = 1\n' > "$T/bad.conf"
expect_rc 5 "-f with an unknown key" "$PGAL" --config "$T/bad.conf" gc
check "the error names the key" 'grep -q "bogus_key" "$T/err"'

# not logged in: exit 3 and a hint, for every command that needs a session
for c in "albums" "whoami" "mkalbum x" "ls x" "info x/y" "search word" "rmalbum x --yes" "get x/y" "passwd" "cancel --yes"; do
	# shellcheck disable=SC2086
	expect_rc 3 "not logged in: $c" "$PGAL" $c
	check "not logged in: $c: hint" "grep -q \"pgal: not logged in.*pgal login USER\" \"\$T/err\""
done
expect_rc 3 "logout when not logged in" "$PGAL" logout
expect_rc 3 "an unknown token" env PGAL_TOKEN=0000000000000000000000000000000000000000000000000000000000000000 "$PGAL" albums
check "unknown token: hint" 'grep -q "pgal login USER" "$T/err"'
expect_rc 3 "a malformed PGAL_TOKEN" env PGAL_TOKEN=nonsense "$PGAL" albums

# scripts without PGAL_PASSWORD and no terminal: a clear error, no hang
expect_rc 1 "signup without a password source" "$PGAL" signup zed zed@example.org
check "says how to give the password" 'grep -q PGAL_PASSWORD "$T/err"'
expect_rc 5 "signup with a bad user name" env PGAL_PASSWORD=long-enough-pw "$PGAL" signup Bad zed@example.org
expect_rc 5 "signup with a bad email" env PGAL_PASSWORD=long-enough-pw "$PGAL" signup zed not-an-email
expect_rc 5 "signup with a short password" env PGAL_PASSWORD=short "$PGAL" signup zed zed@example.org
expect_rc 1 "gc --min-age not a number" "$PGAL" gc --min-age soon
ok "gc on an empty gallery" "$PGAL" gc --min-age 0
check "gc reports what it did" 'grep -q "removed 0" "$T/out"'

done_testing
