#!/bin/sh
# `pgal put` with the decoder sandboxed (decode_sandbox = yes, the default)
# against the same put decoding in process (decode_sandbox = no): the same
# rows and byte-identical previews and thumbnails for every format, HEIC
# made here by the vips tool; damaged files refused alike with nothing
# stored; strace shows the decoder exec'd and confined (Landlock, seccomp)
# only with the key on, and, started by root, leaving root for uid 65534
# before that (a root that cannot is refused); the key is validated like
# the others.
. "$(dirname "$0")/lib.sh"
setup_home
login_user alice alice-password-1 || echo "# login_user failed"
ok "mkalbum boxed" "$PGAL" mkalbum boxed
ok "mkalbum plain" "$PGAL" mkalbum plain
ok "a HEIC from small.tif (vips tool)" vips copy "$FIX/small.tif" "$T/small.heic"

# info --json without what differs by design (album, time added)
info_of() {
	"$PGAL" info "$1" --json | python3 -c 'import json, sys
j = json.load(sys.stdin)
for k in ("album", "added_at"):
    j.pop(k, None)
print(json.dumps(j, sort_keys=True))'
}

for p in "$FIX/nikon-d2h-gps.jpg" "$FIX/iphone4s-lens.jpg" "$FIX/orient-6.jpg" \
    "$FIX/evil-exif.jpg" "$FIX/medium.webp" "$FIX/small.gif" "$FIX/small.tif" \
    "$FIX/big-24mp.jpg" "$FIX/big-24mp.png" "$T/small.heic"; do
	f=$(basename "$p")
	ok "$f: put, sandboxed" "$PGAL" put boxed "$p"
	ok "$f: put, in process" env PGAL_DECODE_SANDBOX=no "$PGAL" put plain "$p" --force
	check "$f: the same row" '[ "$(info_of "boxed/$f")" = "$(info_of "plain/$f")" ] && [ -n "$(info_of "boxed/$f")" ]'
	for kind in preview thumb; do
		rm -f "$T/a" "$T/b"
		"$PGAL" get "boxed/$f" --$kind -o "$T/a" >/dev/null 2>&1
		"$PGAL" get "plain/$f" --$kind -o "$T/b" >/dev/null 2>&1
		check "$f: the same $kind bytes" '[ -s "$T/a" ] && cmp -s "$T/a" "$T/b"'
	done
done
check "3 blob files per photo" 'blobs_match_rows'

# ---- damaged and hostile files: the same refusal, nothing stored ----
for p in "$FIX/truncated.jpg" "$FIX/bomb.png" "$FIX/corrupt/max_uint32_exif.jpg"; do
	f=$(basename "$p")
	rc_box=0; "$PGAL" put boxed "$p" --force > "$T/out" 2> "$T/err.box" < /dev/null || rc_box=$?
	rc_pl=0; PGAL_DECODE_SANDBOX=no "$PGAL" put plain "$p" --force > "$T/out" 2> "$T/err.pl" < /dev/null || rc_pl=$?
	check "$f: the same exit status both ways ($rc_box)" '[ "$rc_box" -eq "$rc_pl" ]'
	check "$f: the same message both ways" 'cmp -s "$T/err.box" "$T/err.pl"'
done
expect_rc 5 "truncated.jpg is bad input" "$PGAL" put boxed "$FIX/truncated.jpg"
check "said in one line" 'grep -q "^pgal: skipped .*truncated.jpg: damaged image$" "$T/err"'
check "nothing stored for refused files" 'blobs_match_rows'

# ---- the decoder's process, seen by strace ----
# (LeakSanitizer cannot run under ptrace: no leak check for these runs)
nolsan="ASAN_OPTIONS=detect_leaks=0"
ok "put under strace" env $nolsan PGAL_PASSWORD=not-for-the-decoder strace -f -v -o "$T/trace" \
	-e trace=execve,landlock_restrict_self,seccomp,prctl "$PGAL" put boxed "$FIX/orient-2.jpg"
check "the decoder is this program, exec'd as pgal-decode" \
	'grep -q "execve(\"/proc/self/exe\", \[\"pgal-decode\"" "$T/trace"'
check "with an environment of its own: no PGAL_HOME, no password" \
	'grep "execve(\"/proc/self/exe\"" "$T/trace" > "$T/exec" &&
	 grep -q "\"PGAL_DECODE_CHILD=1\"" "$T/exec" && ! grep -q "PGAL_HOME\|PGAL_PASSWORD" "$T/exec" &&
	 grep -q "PGAL_PASSWORD=not-for" "$T/trace"'
check "no_new_privs, then Landlock, then the seccomp filter" \
	'pid=$(grep "execve(\"/proc/self/exe\"" "$T/trace" | cut -d" " -f1) &&
	 grep "^$pid " "$T/trace" | grep -E "NO_NEW_PRIVS|landlock_restrict_self|seccomp\(" |
	 sed -E "s/.*(NO_NEW_PRIVS|landlock_restrict_self|seccomp).*= (-?[0-9]+).*/\1 \2/" |
	 tr "\n" " " | grep -qx "NO_NEW_PRIVS 0 landlock_restrict_self 0 seccomp 0 "'
# each process to its own file (-ff): no line split by another's
ok "put under strace, a file per process" env $nolsan strace -f -ff -o "$T/ff" \
	-e trace=execve,openat,setgroups,setresgid,setresuid,capset,prctl,landlock_restrict_self,seccomp \
	"$PGAL" put boxed "$FIX/orient-4.jpg"
# the decoder's steps that matter, in order, a word each
decoder_steps() {
	f=$(grep -l 'execve("/proc/self/exe", \["pgal-decode"' "$T"/ff.* | head -1)
	[ -n "$f" ] && awk '
	/^openat\(.*"\/proc\/self\/fd\/3"/ && / = [0-9]+$/ { print "open"; next }
	/^setgroups\(0, / && / = 0$/ { print "setgroups(0)"; next }
	/^setresgid\(65534, 65534, 65534\) += 0$/ { print "setresgid(65534)"; next }
	/^setresuid\(65534, 65534, 65534\) += 0$/ { print "setresuid(65534)"; next }
	/^capset\(/ && / = 0$/ { print "capset"; next }
	/NO_NEW_PRIVS/ && / = 0$/ { print "no_new_privs"; next }
	/^landlock_restrict_self\(/ && / = 0$/ { print "landlock"; next }
	/^seccomp\(/ && / = 0$/ { print "seccomp"; next }
	/^(setgroups|setresgid|setresuid|capset|landlock_restrict_self|seccomp)\(/ { print "failed:" $1 }
	' "$f" | tr "\n" " "
}
if [ "$(id -u)" -eq 0 ]; then
	check "started by root, the decoder opens the upload afresh, then leaves root (no groups, uid and gid 65534, no capabilities), then confines itself" \
		'[ "$(decoder_steps)" = "open setgroups(0) setresgid(65534) setresuid(65534) capset no_new_privs landlock seccomp " ]'
	# root without CAP_SETUID (dropped from the bounding set: an exec
	# cannot bring it back) cannot leave root: the decode must not go on
	expect_rc 4 "a decoder that cannot leave root does not decode" \
		setpriv --bounding-set=-setuid "$PGAL" put boxed "$FIX/orient-5.jpg"
	check "saying why" 'grep -q "^pgal: .*cannot drop the decoder.s privileges (setresuid to uid 65534): Operation not permitted" "$T/err"'
	check "and nothing stored" 'blobs_match_rows && ! "$PGAL" info boxed/orient-5.jpg >/dev/null 2>&1'
else
	check "not root: the decoder keeps its uid and only confines itself" \
		'[ "$(decoder_steps)" = "open no_new_privs landlock seccomp " ]'
fi
ok "put under strace, decode_sandbox = no" env $nolsan PGAL_DECODE_SANDBOX=no strace -f -o "$T/trace2" \
	-e trace=execve "$PGAL" put plain "$FIX/orient-2.jpg" --force
check "no decoder process then" '! grep -q "pgal-decode" "$T/trace2" && grep -q execve "$T/trace2"'

# ---- the key ----
expect_rc 5 "decode_sandbox = maybe is refused" env PGAL_DECODE_SANDBOX=maybe "$PGAL" albums
check "naming the key" 'grep -q "PGAL_DECODE_SANDBOX: decode_sandbox: not yes or no" "$T/err"'
printf 'decode_sandbox = no\n' > "$T/pgal.conf"
ok "decode_sandbox = no in pgal.conf" env $nolsan PGAL_CONFIG="$T/pgal.conf" strace -f -o "$T/trace3" \
	-e trace=execve "$PGAL" put plain "$FIX/orient-3.jpg"
check "is honoured" '! grep -q "pgal-decode" "$T/trace3"'
done_testing
