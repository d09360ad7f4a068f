#!/bin/sh
# A client that stops reading while it keeps typing: the server's window
# for the TUI shuts, the TUI blocks writing, the client's input piles up in
# the server. When the TUI then ends (killed here), the connection process
# must sleep until the client reads again or the idle timeout, not spin on
# the hung-up terminal; and it still ends at the idle timeout.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd "ssh_idle_secs = 12"
python3 "$(dirname "$0")/stallclient.py" \
	"ssh $SSHO -p $PORT -o BatchMode=yes -o PubkeyAuthentication=no -tt gallery@$HOST" &
CLIENT=$!
conn= tui= j=0
while [ -z "$tui" ] && [ $j -lt 100 ]; do
	conn=$(pgrep -P "$SSHD_PID" | head -1)
	[ -n "$conn" ] && tui=$(pgrep -P "$conn" | head -1)
	sleep 0.1; j=$((j + 1))
done
check "a guest TUI runs ($conn, $tui)" "[ -n '$tui' ]"
# until the TUI is stuck in write(2) to its terminal: the client's window
# shut (the system call number in /proc/PID/syscall)
case $(uname -m) in x86_64) WRITE=1 ;; aarch64) WRITE=64 ;; *) WRITE=unknown ;; esac
stuck=0 j=0
while [ $stuck -lt 10 ] && [ $j -lt 300 ]; do
	sc=$(cut -d' ' -f1 /proc/$tui/syscall 2>/dev/null)
	if [ "$sc" = "$WRITE" ]; then stuck=$((stuck + 1)); else stuck=0; fi
	sleep 0.1; j=$((j + 1))
done
check "the TUI blocks in write(2) to its terminal for a second (system call $sc)" "[ $stuck -ge 10 ]"
check "the client's keystrokes wait in the server (connection still up)" "kill -0 $conn"
cpu() { awk '{print $14 + $15}' /proc/$1/stat; }
kill -9 "$tui"
sleep 0.5
c0=$(cpu "$conn"); sleep 2; c1=$(cpu "$conn")
hz=$(getconf CLK_TCK)
check "the connection process sleeps once the TUI is gone ($((c1 - c0)) ticks of $((2 * hz)) in 2 s)" \
	"[ $((c1 - c0)) -lt $((hz / 5)) ]"
# the idle timeout still ends it
j=0; while kill -0 "$conn" 2>/dev/null && [ $j -lt 250 ]; do sleep 0.1; j=$((j + 1)); done
check "and it ends at the idle timeout" "! kill -0 $conn 2>/dev/null"
check "logged as such" "grep -q 'idle timeout' '$T/sshd.log'"
cat "$T/sshd.log" | sed "s/^/# /"
kill "$CLIENT" 2>/dev/null
pkill -P "$CLIENT" 2>/dev/null
wait "$CLIENT" 2>/dev/null
done_testing
