# TAP helpers for CLI integration tests. Source it; set up with `setup_home`.
# $PGAL_BUILD is the build directory; $PGAL_FIXTURES holds the test photos.
set -u
n=0
nfail=0
PGAL="$PGAL_BUILD/pgal"
FIX="$PGAL_FIXTURES"
T=${TMPDIR_TEST:-$(mktemp -d)}
TESTS_LIB=$(cd "$(dirname "$0")/../lib" && pwd)
. "$TESTS_LIB/wait.sh"
# free_port: a port for a peer of this test to listen on (see free-port.py)
free_port() {
	python3 "$TESTS_LIB/free-port.py"
}

# ok DESCRIPTION COMMAND...: passes if COMMAND exits 0
ok() {
	d=$1; shift
	n=$((n + 1))
	if "$@" > "$T/out" 2> "$T/err" < /dev/null; then echo "ok $n - $d"
	else nfail=$((nfail + 1)); echo "not ok $n - $d"; sed 's/^/# /' "$T/out" "$T/err" | head -20; fi
}
# expect_rc CODE DESCRIPTION COMMAND...: passes if COMMAND exits with CODE
expect_rc() {
	want=$1; d=$2; shift 2
	n=$((n + 1))
	"$@" > "$T/out" 2> "$T/err" < /dev/null
	got=$?
	if [ "$got" -eq "$want" ]; then echo "ok $n - $d"
	else nfail=$((nfail + 1)); echo "not ok $n - $d (exit $got, wanted $want)"; sed 's/^/# /' "$T/out" "$T/err" | head -20; fi
}
# check DESCRIPTION SHELL-CONDITION: passes if the condition (a string for eval) holds
check() {
	d=$1; shift
	n=$((n + 1))
	if eval "$1"; then echo "ok $n - $d"
	else nfail=$((nfail + 1)); echo "not ok $n - $d"; echo "# condition: $1"; fi
}
# a fresh PGAL_HOME and session file for this test
setup_home() {
	export PGAL_HOME="$T/home"
	export XDG_CONFIG_HOME="$T/xdg"
	unset PGAL_TOKEN PGAL_PASSWORD PGAL_CONFIG
	mkdir -p "$PGAL_HOME" "$XDG_CONFIG_HOME"
}
# the confirmation code of the newest mail to USER's address in the outbox
outbox_code() {
	f=$(ls -t "$PGAL_HOME/outbox"/*.eml 2>/dev/null | head -1)
	# RFC 5322 lines end in CRLF
	[ -n "$f" ] && tr -d '\r' < "$f" | grep -E '^[A-Z2-9]{10}$' | tail -1
}
# signup_user USER PASSWORD: signs up and confirms through the outbox
signup_user() {
	PGAL_PASSWORD=$2 "$PGAL" signup "$1" "$1@example.org" >/dev/null 2>&1 || return 1
	"$PGAL" confirm "$1" "$(outbox_code)" >/dev/null 2>&1
}
# jcheck DESCRIPTION PYTHON-EXPR: passes if EXPR is true with j = the JSON in $T/out
jcheck() {
	d=$1; shift
	n=$((n + 1))
	if python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$T/out" "$1" 2> "$T/pyerr"; then echo "ok $n - $d"
	else nfail=$((nfail + 1)); echo "not ok $n - $d"; echo "# expression: $1"
		sed 's/^/# /' "$T/pyerr" | tail -3; head -c 2000 "$T/out" | sed 's/^/# out: /'; fi
}
# jget PYTHON-EXPR: prints EXPR evaluated with j = the JSON in $T/out
jget() {
	python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$T/out" "$1"
}
# the token the CLI saved at login
saved_token() {
	cat "$XDG_CONFIG_HOME/pgal/session"
}
# login_user USER PASSWORD: signs up, confirms and logs in (token saved)
login_user() {
	signup_user "$1" "$2" || return 1
	PGAL_PASSWORD=$2 "$PGAL" login "$1" >/dev/null 2>&1 < /dev/null
}
# files below $PGAL_HOME/blobs (every kind)
count_blobs() {
	find "$PGAL_HOME/blobs" -type f 2>/dev/null | wc -l | tr -d ' '
}
# "ALBUM/NAME SHA256" of every photo of the logged-in user (albums and ls
# --json), in byte order: what the gallery holds, to compare with sha256sum's
gallery_sums() {
	python3 - "$PGAL" <<'PY'
import json, subprocess, sys
pg = sys.argv[1]
def run(*a):
    return json.loads(subprocess.run([pg, *a], capture_output=True, check=True, stdin=subprocess.DEVNULL).stdout)
lines = ["%s/%s %s" % (a["name"], p["name"], p["sha256"])
         for a in run("albums", "--json") for p in run("ls", a["name"], "--json")]
for l in sorted(lines, key=lambda s: s.encode()):
    print(l)
PY
}
# the number of photo rows of the logged-in user (every album, via ls --json)
count_rows() {
	sums=$(gallery_sums) || return 1
	if [ -z "$sums" ]; then echo 0; else printf '%s\n' "$sums" | wc -l | tr -d ' '; fi
}
# every photo row has its 3 blob files (original, thumbnail, preview) and
# there is no other file under $PGAL_HOME/blobs (single-user tests)
blobs_match_rows() {
	rows=$(count_rows) || return 1
	[ "$(count_blobs)" -eq $((rows * 3)) ]
}
done_testing() {
	echo "1..$n"
	[ "$nfail" -eq 0 ]
}
