#!/bin/sh
# Preferences of an account (pgal prefs): listed with their defaults, set
# one or several at once, every word checked before anything is set, a bad
# name or value refused as a usage error that names what is allowed; each
# account has its own.
. "$(dirname "$0")/lib.sh"
setup_home

expect_rc 3 "not logged in" "$PGAL" prefs
login_user alice 'a long password' || echo "# login failed"

expect_rc 0 "list as JSON" "$PGAL" prefs --json
jcheck "every preference, each at its default (auto)" 'j == {"colors": "auto", "graphics": "auto"}'
expect_rc 0 "list as text" "$PGAL" prefs
check "a line per preference with its value and the values allowed" \
	'grep -Eq "^colors +auto +\(auto, truecolor, 256, 16\)" "$T/out" && grep -Eq "^graphics +auto +\(auto, symbols, sixel, kitty\)" "$T/out"'

expect_rc 0 "set two at once" "$PGAL" prefs colors=truecolor graphics=sixel
check "says what was set" 'grep -qx "colors=truecolor" "$T/out" && grep -qx "graphics=sixel" "$T/out"'
expect_rc 0 "list again" "$PGAL" prefs --json
jcheck "both are kept" 'j == {"colors": "truecolor", "graphics": "sixel"}'
expect_rc 0 "show one by name" "$PGAL" prefs colors
check "only that one" 'grep -Eq "^colors +truecolor" "$T/out" && [ $(wc -l < "$T/out") -eq 1 ]'

expect_rc 1 "a value that is not one of the allowed" "$PGAL" prefs colors=true
check "one line naming the allowed values" \
	'[ $(wc -l < "$T/err") -eq 1 ] && grep -q "^pgal: colors is one of auto, truecolor, 256, 16" "$T/err"'
expect_rc 1 "an unknown name" "$PGAL" prefs colour=256
check "names the preferences there are" 'grep -q "no preference .colour.; there are colors, graphics" "$T/err"'
expect_rc 1 "an unknown name to show" "$PGAL" prefs fonts
expect_rc 1 "a good one with a bad one" "$PGAL" prefs colors=16 graphics=bogus
expect_rc 1 "setting and showing mixed" "$PGAL" prefs colors=16 graphics
expect_rc 1 "an empty value" "$PGAL" prefs colors=
expect_rc 1 "an escape sequence as the value" "$PGAL" prefs "colors=$(printf '\033]0;x\007')"
check "the error carries no escape byte" '! grep -q "$(printf "\033")" "$T/err"'
"$PGAL" prefs --json > "$T/out" 2>&1
jcheck "nothing was changed by the refused calls" 'j == {"colors": "truecolor", "graphics": "sixel"}'

expect_rc 0 "set one back" "$PGAL" prefs colors=256
"$PGAL" prefs --json > "$T/out" 2>&1
jcheck "the other is kept" 'j == {"colors": "256", "graphics": "sixel"}'

# another account has its own
"$PGAL" logout >/dev/null 2>&1
login_user bob 'another long password' || echo "# login failed"
"$PGAL" prefs --json > "$T/out" 2>&1
jcheck "another account starts at the defaults" 'j == {"colors": "auto", "graphics": "auto"}'

expect_rc 0 "help for prefs" "$PGAL" help prefs
check "the help names the values" 'grep -q "truecolor" "$T/out" && grep -q "kitty" "$T/out"'

done_testing
