#!/bin/sh
# assets/: the man pages are well-formed and name every command pgal lists
# and every option pgal-sshd takes, so they cannot fall behind the programs
# unnoticed. (The example configs are loaded by test-contrib.sh, the banner
# is looked at by tests/tui/test-flow.sh.)
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
A="$top/assets"
setup_home

if command -v groff > /dev/null 2>&1; then
	for m in pgal.1 pgal-sshd.8; do
		groff -man -Tutf8 -ww -z "$A/$m" > "$T/groff" 2>&1
		check "$m: groff reads it without a warning" '! [ -s "$T/groff" ]'
	done
else
	echo "# groff is not installed: the man pages were not formatted"
fi

ok "pgal --help lists the commands" "$PGAL" --help
sed -n 's/^  \([a-z][a-z]*\).*/\1/p' "$T/out" > "$T/commands"
check "(some were found)" '[ "$(wc -l < "$T/commands")" -ge 20 ]'
for c in $(cat "$T/commands"); do
	check "pgal.1 names the command $c" 'grep -qw "$c" "$A/pgal.1"'
done
check "pgal.1 names the global options" 'grep -q "^\.BI \\\\-f " "$A/pgal.1" && grep -q "\\\\-\\\\-config" "$A/pgal.1"'

SSHD="$PGAL_BUILD/pgal-sshd"
if [ -x "$SSHD" ]; then
	ok "pgal-sshd -h prints its usage" "$SSHD" -h
	grep -o '\[-[A-Za-z]' "$T/out" | cut -c3 > "$T/flags"
	check "(it has options)" '[ "$(wc -l < "$T/flags")" -ge 3 ]'
	for f in $(cat "$T/flags"); do
		check "pgal-sshd.8 describes -$f" 'grep -q "^\.BI\{0,1\} \\\\-$f\( \|$\)" "$A/pgal-sshd.8"'
	done
fi
done_testing
