#!/bin/sh
# A client that stops reading while it keeps typing: the server's window
# for the TUI shuts, the TUI blocks writing, the client's input piles up in
# the server. When the TUI then ends (killed here), the connection process
# must sleep until the client reads again or the idle timeout, not spin on
# the hung-up terminal; and it still ends at the idle timeout.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd "ssh_guest_idle_secs = 12"
python3 "$(dirname "$0")/stallclient.py" \
	"ssh $SSHO -p $PORT -o BatchMode=yes -o PubkeyAuthentication=no -tt gallery@$HOST" &
CLIENT=$!
# tui_found: the connection process ($conn) and its TUI ($tui) run
tui_found() {
	conn=$(pgrep -P "$SSHD_PID" | head -1)
	tui=
	[ -n "$conn" ] && tui=$(pgrep -P "$conn" | head -1)
	[ -n "$tui" ]
}
conn= tui=
wait_until 10 tui_found
check "a guest TUI runs ($conn, $tui)" "[ -n '$tui' ]"
# until the TUI is stuck in write(2) to its terminal: the client's window
# shut (the system call number in /proc/PID/syscall). One sample per call,
# wait_until calls it every 0.1 s: 10 in a row in write(2) is a second
case $(uname -m) in x86_64) WRITE=1 ;; aarch64) WRITE=64 ;; *) WRITE=unknown ;; esac
stuck_in_write() {
	sc=$(cut -d' ' -f1 /proc/$tui/syscall 2>/dev/null)
	if [ "$sc" = "$WRITE" ]; then stuck=$((stuck + 1)); else stuck=0; fi
	[ $stuck -ge 10 ]
}
stuck=0
wait_until 30 stuck_in_write
check "the TUI blocks in write(2) to its terminal for a second (system call $sc)" "[ $stuck -ge 10 ]"
check "the client's keystrokes wait in the server (connection still up)" "kill -0 $conn"
cpu() { awk '{print $14 + $15}' /proc/$1/stat; }
kill -9 "$tui"
# until the connection process has reaped it
wait_until 5 no_children "$conn"
# the 2 s are the measurement: the CPU time it takes while nothing happens
c0=$(cpu "$conn"); sleep 2; c1=$(cpu "$conn")
hz=$(getconf CLK_TCK)
check "the connection process sleeps once the TUI is gone ($((c1 - c0)) ticks of $((2 * hz)) in 2 s)" \
	"[ $((c1 - c0)) -lt $((hz / 5)) ]"
# the idle timeout still ends it
wait_until 25 pid_gone "$conn"
check "and it ends at the idle timeout" "! kill -0 $conn 2>/dev/null"
check "logged as such" "grep -q 'idle timeout' '$T/sshd.log'"
cat "$T/sshd.log" | sed "s/^/# /"
kill "$CLIENT" 2>/dev/null
pkill -P "$CLIENT" 2>/dev/null
wait "$CLIENT" 2>/dev/null
done_testing
