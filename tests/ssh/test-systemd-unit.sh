#!/bin/sh
# The shipped systemd unit's system-call filter lets pgal work: its
# SystemCallFilter= lines are expanded with systemd-analyze (as systemd does)
# and a CLI ingest and pgal-sshd with an scp upload run under a seccomp
# filter that allows only that set and answers the rest with EPERM
# (SystemCallErrorNumber=EPERM), the way systemd would run them. A control
# with the filter the unit had before (@system-service alone, which on
# systemd 252 lacks seccomp and landlock_*) shows the check can fail.
# Processes that load the configuration write no core files.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
UNIT="$top/contrib/pgal-sshd.service"
setup_home
PW=unit-pass-1

# ---- the unit's filter, expanded ----
ok "the unit's SystemCallFilter= lines expand with systemd-analyze" \
	sh -c "python3 '$TESTS_LIB/unit-syscalls.py' '$UNIT' > '$T/allowed'"
check "the set holds the calls the decode sandbox makes" \
	'for c in seccomp landlock_create_ruleset landlock_add_rule landlock_restrict_self prctl setrlimit; do grep -qx "$c" "$T/allowed" || { echo "# missing: $c"; exit 1; }; done'
printf 'SystemCallFilter=@system-service\n' > "$T/old.service"
ok "the filter before this fix expands too (the control)" \
	sh -c "python3 '$TESTS_LIB/unit-syscalls.py' '$T/old.service' > '$T/allowed-old'"
comm -13 "$T/allowed-old" "$T/allowed" | tr '\n' ' ' > "$T/added"
check "beyond @system-service it allows only those four (no wider than needed)" \
	'[ "$(cat "$T/added")" = "landlock_add_rule landlock_create_ruleset landlock_restrict_self seccomp " ]'
check "the unit sets LimitCORE=0" 'grep -qx "LimitCORE=0" "$UNIT"'
check "and SystemCallErrorNumber=EPERM (what the jail below plays)" 'grep -qx "SystemCallErrorNumber=EPERM" "$UNIT"'

ok "the seccomp jail for the test builds (libseccomp)" \
	cc -O1 -o "$T/syscall-jail" "$TESTS_LIB/syscall-jail.c" -lseccomp
# LeakSanitizer stops the world with ptrace, which the unit's filter (rightly)
# refuses; in the sanitizer build the leak check is off inside the jail only
JAIL="env ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 $T/syscall-jail"

# ---- a CLI ingest under the filter ----
ok "a user signs up" make_user alice "$PW"
ok "and logs in" env PGAL_PASSWORD="$PW" "$PGAL" login alice
ok "an album" "$PGAL" mkalbum trip
ok "pgal put under the unit's filter stores the photo" \
	$JAIL "$T/allowed" "$PGAL" put trip "$FIX/nikon-d2h-gps.jpg"
check "it says so" 'grep -q "added trip/nikon-d2h-gps.jpg" "$T/out"'
expect_rc 4 "control: under the old filter the same ingest fails" \
	$JAIL "$T/allowed-old" "$PGAL" put trip "$FIX/orient-8.jpg"
check "with the error the issue reported" 'grep -q "seccomp: Operation not permitted" "$T/err"'

# ---- pgal-sshd under the filter: an scp upload ----
SSHD_WRAP="$JAIL $T/allowed"
start_sshd
ok "scp into the album of pgal-sshd running under the unit's filter" \
	pw_scp "$PW" -O "$FIX/orient-8.jpg" "alice@$HOST:trip/"
ok "the photo is stored" pw_ssh alice "$PW" ls trip
check "and listed" 'grep -q "orient-8.jpg" "$T/out"'
check "pgal-sshd writes no core files (RLIMIT_CORE 0)" \
	'grep -Eq "^Max core file size +0 +0 " "/proc/$SSHD_PID/limits"'
stop_sshd
done_testing
