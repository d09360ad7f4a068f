# wait_until SECONDS COMMAND...: runs COMMAND (a command, a shell function,
# or "eval 'CONDITION'") every 0.1 s until it exits 0. Returns 0 then; after
# SECONDS (an integer) it prints a TAP comment naming what it waited for and
# returns 1. This is the one bounded wait of the shell tiers: a test waits
# for the state it needs, never for a fixed time.
wait_until() {
	wu_secs=$1
	shift
	# a deadline on the clock, not a count of turns: a slow COMMAND does
	# not stretch the bound
	wu_end=$(( $(date +%s%N) / 1000000 + wu_secs * 1000 ))
	while ! "$@" > /dev/null 2>&1; do
		if [ "$(( $(date +%s%N) / 1000000 ))" -ge "$wu_end" ]; then
			echo "# timed out after $wu_secs s waiting for: $*"
			return 1
		fi
		sleep 0.1
	done
	return 0
}

# pid_gone PID: process PID has exited (wait_until 5 pid_gone "$pid")
pid_gone() {
	! kill -0 "$1" 2>/dev/null
}

# log_has FILE REGEX: FILE exists and has a line matching REGEX (grep -E)
log_has() {
	grep -Eq -- "$2" "$1" 2>/dev/null
}

# log_count_above FILE REGEX N: more than N lines of FILE match REGEX
log_count_above() {
	[ "$(grep -Ec -- "$2" "$1" 2>/dev/null)" -gt "$3" ]
}

# no_children PID: PID has no child process left
no_children() {
	[ -z "$(pgrep -P "$1")" ]
}

# stop_with_owner OWNER PID KILL-ARGS...: a safety net for a server a test
# started in the background: once OWNER (the test's shell) is gone without
# stopping it (a crash, a timeout, kill -9), `kill KILL-ARGS` is sent (e.g.
# -TERM -PID for its process group: dash's kill takes no "--"). Checks
# once a second, detached.
stop_with_owner() {
	swo_owner=$1 swo_pid=$2
	shift 2
	setsid sh -c 'o=$1 p=$2; shift 2
while kill -0 "$o" 2>/dev/null && kill -0 "$p" 2>/dev/null; do sleep 1; done
kill "$@" 2>/dev/null' watchdog "$swo_owner" "$swo_pid" "$@" > /dev/null 2>&1 < /dev/null &
}
