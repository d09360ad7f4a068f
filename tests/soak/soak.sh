#!/bin/sh
# `make soak` (not part of `make test`): SOAK_SESSIONS (500) sessions at
# once against one pgal-sshd for SOAK_SECS (600) seconds: guest TUIs, exec
# sessions and SFTP uploads mixed, each from its own loopback address
# (tests/soak/soak.py). Prints the listener's peak RSS and open descriptors
# once every session is up (start) and when the time is up with the
# sessions still running (end), and fails if either grew by more than 5 %,
# if more than 5 % of the sessions failed, or if the server died.
# SOAK_CONFIG adds pgal.conf lines (one a line) to the server's.
# usage: PGAL_BUILD=build PGAL_FIXTURES=build/fixtures sh tests/soak/soak.sh
. "$(dirname "$0")/../ssh/lib.sh"
SESSIONS=${SOAK_SESSIONS:-500}
SECS=${SOAK_SECS:-600}
USERS=10
here=$(cd "$(dirname "$0")" && pwd)
# a scratch folder of its own (not the test runner's) goes at the end
[ -n "${TMPDIR_TEST:-}" ] || trap 'cleanup_ssh; rm -rf "$T"' EXIT

# a descriptor per client socket here and per connection in the listener
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -gt $((SESSIONS * 2 + 100)) ] ||
	{ echo "soak: FAIL: the descriptor limit $(ulimit -n) is too low for $SESSIONS sessions"; exit 1; }
/usr/bin/python3 -c 'import asyncssh' 2>/dev/null ||
	{ echo "soak: FAIL: python3-asyncssh is missing (make deps-test)"; exit 1; }

setup_home
# SOAK_CONFIG: more pgal.conf lines (one a line), e.g. a limit to raise
# (a third of the sessions are guests, who have a pool of their own)
set -- "ssh_max_startups = 1000" "ssh_max_sessions = $((SESSIONS * 2))" "ssh_max_guests = $SESSIONS"
while IFS= read -r line; do
	[ -n "$line" ] && set -- "$@" "$line"
done <<EOF
${SOAK_CONFIG:-}
EOF
start_sshd "$@"
users=
mkdir -p "$T/keys"
i=1
while [ $i -le $USERS ]; do
	u=soak$i
	{ make_user $u "$u password" && add_key $u "$u password" && "$PGAL" mkalbum soak; } \
		> /dev/null || { echo "soak: FAIL: cannot set up user $u"; exit 1; }
	cp "$T/id_$u" "$T/id_$u.pub" "$T/keys/"
	users="$users${users:+,}$u"
	i=$((i + 1))
done

# listener FIELD: the listener's peak RSS in kB ("rss"), its descriptors
# ("fds"), its children ("children")
listener() {
	case $1 in
	rss) sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SSHD_PID/status" ;;
	fds) ls "/proc/$SSHD_PID/fd" | wc -l ;;
	children) pgrep -P "$SSHD_PID" | wc -l ;;
	esac
}
show() {
	echo "soak: listener at $1: peak RSS $(listener rss) kB, $(listener fds) descriptors," \
		"$(listener children) connection processes"
}
idle_fds=$(listener fds)
show "idle before"

mkdir -p "$T/state"
/usr/bin/python3 "$here/soak.py" "$PORT" "$SESSIONS" "$SECS" "$T/keys" "$users" \
	"$FIX/orient-1.jpg" "$T/state" > "$T/soak.log" 2>&1 &
driver=$!
if ! wait_until $((SECS + 120)) test -f "$T/state/loaded"; then
	echo "soak: FAIL: the sessions never came up"; kill "$driver"; cat "$T/soak.log"; exit 1
fi
rss0=$(listener rss) fds0=$(listener fds)
show "start ($(cat "$T/state/loaded") sessions up)"
if ! wait_until $((SECS + 300)) test -f "$T/state/final"; then
	echo "soak: FAIL: the run did not end"; kill "$driver"; cat "$T/soak.log"; exit 1
fi
rss1=$(listener rss) fds1=$(listener fds)
show "end ($(cat "$T/state/final") sessions up)"
: > "$T/state/measured"
wait "$driver"
wait_until 120 eval '[ "$(listener children)" -eq 0 ]'
show "idle after"
echo "soak: idle descriptors before $idle_fds, after $(listener fds)"

fail=0
/usr/bin/python3 - "$T/state/result.json" <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))
total = failed = 0
for kind, c in r["counts"].items():
    print("soak: %s sessions: %d ok, %d failed" % (kind, c["ok"], c["failed"]))
    total += c["ok"] + c["failed"]
    failed += c["failed"]
print("soak: %d sessions in %d s with %d at once (every slot up at once: %s), %d uploads"
      % (total, r["secs"], r["sessions"], "yes" if r["all_up_at_once"] else "no", r["uploads"]))
for why, n in sorted(r["errors"].items(), key=lambda x: -x[1])[:10]:
    print("soak:   %dx %s" % (n, why))
if total == 0 or failed * 20 > total:
    print("soak: FAIL: %d of %d sessions failed (more than 5 %%)" % (failed, total))
    sys.exit(1)
PY
grows() {
	# more than 5 %: 100 * new > 105 * old
	[ $((100 * $2)) -gt $((105 * $1)) ]
}
if ! kill -0 "$SSHD_PID" 2>/dev/null; then
	echo "soak: FAIL: the server died"; fail=1
fi
if grows "$rss0" "$rss1"; then
	echo "soak: FAIL: the listener's peak RSS grew from $rss0 to $rss1 kB"; fail=1
fi
if grows "$fds0" "$fds1"; then
	echo "soak: FAIL: the listener's descriptors grew from $fds0 to $fds1"; fail=1
fi
echo "soak: listener growth: peak RSS $rss0 -> $rss1 kB, descriptors $fds0 -> $fds1"
[ $fail -eq 0 ] && echo "soak: ok" || echo "soak: FAIL"
exit $fail
