#!/bin/sh
# make run needs only what the program needs: tools/deps.sh's program set
# holds no test-only package, and holds every library the build links:
# each pkg-config name of the Makefile by the -dev package that ships its
# .pc file, and each shared library the three programs load by a package
# the program set brings in (its Depends, followed all the way down).
# pgal-test: plain build only
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
ok "the program set" sh "$top/tools/deps.sh" --list program
cp "$T/out" "$T/program"
ok "the test set" sh "$top/tools/deps.sh" --list test
cp "$T/out" "$T/test"
check "the program set is not empty" '[ -s "$T/program" ]'
check "the test set holds the program set" '[ -z "$(sort "$T/program" | comm -23 - "$(sort "$T/test" > "$T/test.sorted"; echo "$T/test.sorted")")" ]'
for p in rclone lftp putty-tools python3-paramiko python3-asyncssh dropbear-bin haproxy \
	clang mariadb-server nodejs tmux sshpass libcmocka-dev hyperfine imagemagick awscli \
	strace openssh-server; do
	check "$p is for the tests only" '! grep -qx "$p" "$T/program" && grep -qx "$p" "$T/test"'
done
# npm comes with the machine's Node.js: deps.sh looks for it for the tests only
check "npm is not in the program set" '! grep -qx npm "$T/program"'
check "npm is looked for with the test set alone" 'grep -q "\[ \"\$set\" = test \]" "$top/tools/deps.sh"'

# what make run, serve and install build: the programs, no test (a test
# would need the test set's cmocka)
make -n --no-print-directory -C "$top" programs BUILD="$T/plan-build" > "$T/plan" 2>&1
check "make programs builds the three programs" 'grep -q "pgal-sshd" "$T/plan" && grep -q "pgal-tui" "$T/plan"'
check "and nothing of the tests" '! grep -Eq "tests/|cmocka" "$T/plan"'
for target in run serve install; do
	check "make $target installs the program set and builds only the programs" 'sed -n "/^$target:/,/^\$/p" "$top/Makefile" > "$T/rule"; head -1 "$T/rule" | grep -q " deps\$" && ! grep -q "deps-test\|MAKE.* all" "$T/rule"'
done
check "make test installs the test set" 'grep -q "^test: deps-test" "$top/Makefile"'

# the Makefile's pkg-config names (PKGS_CORE, PKGS_TUI, PKGS_SSHD: not the
# tests' PKGS_TEST) and the package that ships each .pc file
sed -n 's/^PKGS_\(CORE\|TUI\|SSHD\) *= *//p' "$top/Makefile" | tr ' ' '\n' | sed '/^$/d' > "$T/pcnames"
check "the Makefile names the program's libraries" '[ "$(wc -l < "$T/pcnames")" -ge 10 ]'
for name in $(cat "$T/pcnames"); do
	pc=$(pkg-config --path "$name" 2>/dev/null)
	pkg=$([ -n "$pc" ] && dpkg -S "$(readlink -f "$pc")" 2>/dev/null | head -1 | cut -d: -f1)
	check "pkg-config $name: ${pkg:-no package} is in the program set" '[ -n "$pkg" ] && grep -qx "$pkg" "$T/program"'
done

# the libraries the programs load, and what the program set depends on
apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
	--no-replaces --no-enhances $(cat "$T/program") 2>/dev/null | grep -v '^ ' | sort -u > "$T/closure"
check "the program set's dependencies are known to apt" '[ "$(wc -l < "$T/closure")" -gt "$(wc -l < "$T/program")" ]'
for b in pgal pgal-tui pgal-sshd; do
	ldd "$PGAL_BUILD/$b" | awk '/=> \// { print $3 }'
done | sort -u > "$T/sofiles"
check "the programs load shared libraries" '[ "$(wc -l < "$T/sofiles")" -ge 10 ]'
: > "$T/outside"
# the package that ships each of them, by any of its names (with /usr
# merged, dpkg may know /lib/x.so where the loader found /usr/lib/x.so, or
# the other way round): one dpkg -S for all, as each call reads its database
for so in $(cat "$T/sofiles"); do
	real=$(readlink -f "$so")
	for f in "$so" "$real" "${so#/usr}" "${real#/usr}" "/usr$so" "/usr$real"; do
		printf '%s %s\n' "$so" "$f"
	done
done | sort -u > "$T/names"
dpkg -S $(cut -d' ' -f2 "$T/names" | sort -u) 2>/dev/null | sed 's/:[^ ]*: / /; s/: / /' > "$T/owners"
: > "$T/outside"
for so in $(cat "$T/sofiles"); do
	pkg=$(awk -v so="$so" 'NR == FNR { if ($1 == so) want[$2] = 1; next }
		($2 in want) { print $1; exit }' "$T/names" "$T/owners")
	grep -qx "${pkg:-?}" "$T/closure" || echo "$so (${pkg:-no package})" >> "$T/outside"
done
check "every library they load comes with the program set" '[ ! -s "$T/outside" ] || { sed "s/^/# /" "$T/outside"; false; }'
done_testing
