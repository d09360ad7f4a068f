#!/bin/sh
# Where an installed pgal keeps its data with no PGAL_HOME and no config:
# ${XDG_DATA_HOME:-~/.local/share}/pgal, whatever folder it is started in
# (not ./var there); PGAL_HOME, which make run and make serve set to ./var,
# still decides when given.
. "$(dirname "$0")/lib.sh"
setup_home
unset PGAL_HOME
mkdir -p "$T/somewhere" "$T/home"
cd "$T/somewhere" || exit 1
ok "signup with only XDG_DATA_HOME set" env XDG_DATA_HOME="$T/data" PGAL_PASSWORD=alice-password-1 "$PGAL" signup alice alice@example.org
check "the database is in \$XDG_DATA_HOME/pgal" '[ -f "$T/data/pgal/pgal.db" ] && ls "$T/data/pgal/outbox/"*.eml > /dev/null 2>&1'
check "and nothing in ./var of the folder it ran in" '[ ! -e "$T/somewhere/var" ]'
ok "without XDG_DATA_HOME: ~/.local/share/pgal" env -u XDG_DATA_HOME HOME="$T/home" PGAL_PASSWORD=bob-password-11 "$PGAL" signup bob bob@example.org
check "is where it went" '[ -f "$T/home/.local/share/pgal/pgal.db" ] && [ ! -e "$T/somewhere/var" ]'
ok "PGAL_HOME still decides" env PGAL_HOME="$T/somewhere/var" XDG_DATA_HOME="$T/data" PGAL_PASSWORD=carol-password-1 "$PGAL" signup carol carol@example.org
check "its folder holds the database" '[ -f "$T/somewhere/var/pgal.db" ]'
check "make run and make serve give PGAL_HOME ./var" 'grep -q "PGAL_HOME=\"\${PGAL_HOME:-\$(pwd)/var}\"" "$TESTS_LIB/../../tools/run.sh" && grep -q "PGAL_HOME=\$\${PGAL_HOME:-\$\$(pwd)/var}" "$TESTS_LIB/../../Makefile"'
done_testing
