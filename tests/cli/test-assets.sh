#!/bin/sh
# assets/: the man pages are well-formed; pgal.1 describes every command
# pgal lists and pgal.conf.5 every key pgal takes (both made from the
# programs' tables), the others every option their program takes; make
# install and uninstall put in and take out exactly the installed files. (The example configs are loaded by test-contrib.sh, the banner
# is looked at by tests/tui/test-flow.sh.)
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
A="$top/assets"
setup_home

M="$PGAL_BUILD/man" # the pages as built: pgal.1 and pgal.conf.5 made from the tables
for m in pgal.1 pgal.conf.5 pgal-tui.1 pgal-sshd.8; do
	check "$m was built" '[ -s "$M/$m" ]'
	groff -man -Tutf8 -ww -z "$M/$m" > "$T/groff" 2>&1
	check "$m: groff reads it without a warning" '! [ -s "$T/groff" ]'
done

ok "pgal --help lists the commands" "$PGAL" --help
sed -n 's/^  \([a-z][a-z0-9]*\).*/\1/p' "$T/out" > "$T/commands"
check "(some were found)" '[ "$(wc -l < "$T/commands")" -ge 20 ]'
for c in $(cat "$T/commands"); do
	check "pgal.1 describes the command $c" 'grep -q "^\\\\fB$c\\\\fR" "$M/pgal.1"'
done
check "pgal.1 names the global options" 'grep -q "^\.BI \\\\-f " "$M/pgal.1" && grep -q "\\\\-\\\\-config" "$M/pgal.1"'

# every key of the config table is in pgal.conf(5), and every key there is
# one pgal takes (a bad value is refused as a value, not as an unknown key)
sed -n 's/.*{ \(STR\|NUM\)(\([a-z_0-9]*\).*/\2/p' "$top/core/config.c" | sort > "$T/keys"
check "(the config table has keys)" '[ "$(wc -l < "$T/keys")" -ge 40 ]'
sed -n '/^\.SH KEYS/,/^\.SH /{/^\.TP/{n;s/^\.B //;s/\\-/-/g;p;}}' "$M/pgal.conf.5" | sort > "$T/man-keys"
check "pgal.conf.5 describes exactly the keys of the table" 'cmp -s "$T/keys" "$T/man-keys" || { diff "$T/keys" "$T/man-keys" | sed "s/^/# /"; false; }'
check "each with a description, a kind and a default where there is one" '! grep -A1 "^\.B " "$M/pgal.conf.5" | grep -q "^\.$" && grep -q "^(size, 1k to 1T; default \\\\fB200M\\\\fR)$" "$M/pgal.conf.5"'
for k in $(cat "$T/man-keys"); do
	printf '%s = \001\n' "$k" > "$T/k.conf"
	"$PGAL" -f "$T/k.conf" whoami > /dev/null 2> "$T/kerr"
	check "pgal takes the key $k" '! grep -q "unknown key" "$T/kerr"'
done

SSHD="$PGAL_BUILD/pgal-sshd"
ok "pgal-sshd -h prints its usage" "$SSHD" -h
grep -o '\[-[A-Za-z]' "$T/out" | cut -c3 > "$T/flags"
check "(it has options)" '[ "$(wc -l < "$T/flags")" -ge 3 ]'
for f in $(cat "$T/flags"); do
	check "pgal-sshd.8 describes -$f" 'grep -q "^\.BI\{0,1\} \\\\-$f\( \|$\)" "$M/pgal-sshd.8"'
done
"$PGAL_BUILD/pgal-tui" -h > "$T/tui-usage" 2>&1
grep -o '\[-[A-Za-z]' "$T/tui-usage" | cut -c3 > "$T/tflags"
check "(pgal-tui has options)" '[ "$(wc -l < "$T/tflags")" -ge 1 ]'
for f in $(cat "$T/tflags") h V; do
	check "pgal-tui.1 describes -$f" 'grep -q "^\.BI\{0,1\} \\\\-$f\( \|$\)" "$M/pgal-tui.1"'
done

# make install puts every program, page, example and the unit under
# DESTDIR/PREFIX (building nothing: the build is done), uninstall takes
# exactly that away again
# (the build is shared with tests running at the same time: a relink under
# them would fail them, so an out-of-date build fails here instead)
make -n --no-print-directory -C "$top" install BUILD="$PGAL_BUILD" DESTDIR="$T/root" PREFIX=/usr > "$T/plan" 2>&1
check "make install has nothing to build (the build is up to date)" '! grep -Eq "^(cc|gcc|ar|sh tools/embed)" "$T/plan" || { grep -E "^(cc|gcc|ar)" "$T/plan" | cut -c1-120 | sed "s/^/# /"; false; }'
if grep -Eq "^(cc|gcc|ar|sh tools/embed)" "$T/plan"; then
	echo "Bail out! the build is out of date; run make first"
	exit 1
fi
ok "make install into a scratch root" make -s --no-print-directory -C "$top" install \
	BUILD="$PGAL_BUILD" DESTDIR="$T/root" PREFIX=/usr
(cd "$T/root" && find . -type f | sort) > "$T/installed"
for f in ./usr/bin/pgal ./usr/bin/pgal-tui ./usr/sbin/pgal-sshd ./usr/share/man/man1/pgal.1 \
	./usr/share/man/man1/pgal-tui.1 ./usr/share/man/man5/pgal.conf.5 ./usr/share/man/man8/pgal-sshd.8 \
	./usr/share/doc/pgal/examples/pgal.conf.sqlite ./usr/lib/systemd/system/pgal-sshd.service; do
	check "installed $f" 'grep -qx "$f" "$T/installed"'
done
check "the unit runs the installed pgal-sshd" 'grep -q "^ExecStart=/usr/sbin/pgal-sshd " "$T/root/usr/lib/systemd/system/pgal-sshd.service"'
check "the installed pgal runs" '"$T/root/usr/bin/pgal" --version > /dev/null'
ok "make uninstall" make -s --no-print-directory -C "$top" uninstall BUILD="$PGAL_BUILD" DESTDIR="$T/root" PREFIX=/usr
check "leaves no file behind" '[ -z "$(find "$T/root" -type f)" ]'
done_testing
