# wait_until SECONDS COMMAND...: runs COMMAND (a command, a shell function,
# or "eval 'CONDITION'") every 0.1 s until it exits 0. Returns 0 then; after
# SECONDS (an integer) it prints a TAP comment naming what it waited for and
# returns 1. This is the one bounded wait of the shell tiers: a test waits
# for the state it needs, never for a fixed time.
wait_until() {
	wu_limit=$(( $1 * 10 ))
	shift
	wu_i=0
	while ! "$@" > /dev/null 2>&1; do
		wu_i=$((wu_i + 1))
		if [ "$wu_i" -ge "$wu_limit" ]; then
			echo "# timed out after $((wu_limit / 10)) s waiting for: $*"
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
