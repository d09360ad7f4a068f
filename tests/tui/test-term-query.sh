#!/bin/sh
# What pgal-tui asks the terminal at start (tui/term-query.c): an RGB
# background read back through DECRQSS means true colour, and the DA1
# reply, which every terminal sends, ends the wait. A pty plays the
# terminal (tests/tui/term-answer.py): one that answers nothing costs at
# most the short wait; one that answers late (a slow link) leaves no
# reply bytes behind as keys (ESC would go back, '?' open the help, and Q
# would no longer quit).
. "$(dirname "$0")/lib.sh"
setup_home
ANSWER="$(dirname "$0")/term-answer.py"

answer() {
	/usr/bin/python3 "$ANSWER" "$TUI" "$1" "${2:-xterm-256color}" > "$T/answer-$1" 2>&1
	read -r secs words < "$T/answer-$1"
	echo "# $1: drawn after ${secs}s: $words"
}
has() { case " $words " in *" $1 "*) return 0 ;; esac; return 1; }

answer silent
check "the query is sent: DECRQSS and DA1" "has query"
check "a terminal that answers nothing: drawn within 2 s (${secs}s)" \
	"python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 2 else 1)' '$secs'"
check "256 colours then (TERM says 256)" "has indexed-theme"
check "and Q quits it normally" "has exit=0"

answer rgb
check "a terminal that reads RGB back gets true colour (xterm-direct: the title in RGB)" "has rgb-theme"
check "its answers are not taken as keys" "has alive && has exit=0"

answer indexed
check "a terminal that maps RGB to its palette stays in 256 colours" "has indexed-theme && ! has rgb-theme"
check "and quits normally" "has exit=0"

answer late
check "an answer after the wait leaves no keys behind: Q still quits" "has alive && has exit=0"
answer typeahead
check "a key typed while the TUI waits for an answer is not lost: the Q quits it" "has typed-q-quit"

check "no sanitizer report" "! grep -q sanitizer '$T'/answer-*"
done_testing
