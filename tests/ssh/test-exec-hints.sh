#!/bin/sh
# What an SSH command that cannot run says instead: put (the files are on
# the user's computer) names the exact scp command, which then works; the
# guest's exec request gets a one-line reason (not a bare "exec request
# failed"); a mistyped command suggests the nearest one.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd
PW='alice password 1'
make_user alice "$PW"
r() { pw_ssh alice "$PW" "$@"; }
ok "an album" r mkalbum trip
cp "$FIX/orient-1.jpg" "$T/one.jpg"
cp "$FIX/orient-2.jpg" "$T/two words.jpg"

expect_rc 1 "put over SSH is a usage error" r put trip "$T/one.jpg" "'$T/two words.jpg'"
check "naming scp with this server's port, the files and the album" \
	"grep -qF \"scp -P $PORT $T/one.jpg '$T/two words.jpg' alice@localhost:trip/\" '$T/err'"
check "and sftp" "grep -qF 'sftp -P $PORT alice@localhost' '$T/err'"
check "on one line" "[ \$(wc -l < '$T/err') -eq 1 ]"
# the command as printed, run with this test's ssh options
cmd=$(sed -n 's/.*send them from there with scp: scp \(.*\) (or sftp.*/\1/p' "$T/err")
eval "set -- $cmd"
ok "the printed scp command uploads the files" pw_scp "$PW" "$@"
ok "ls" r ls trip --json
jcheck "both are there" "sorted(p['name'] for p in j) == ['one.jpg', 'two words.jpg']"
expect_rc 1 "put with no files names placeholders" r put
check "FILE... and ALBUM" "grep -qF 'FILE... alice@localhost:ALBUM/' '$T/err'"

expect_rc 1 "the guest's command gets exit status 1, not a failed request" guest_ssh whoami
check "with one line saying why and what to run" \
	"[ \$(wc -l < '$T/err') -eq 1 ] && grep -q 'commands need an account' '$T/err' && grep -qF 'ssh -t -p $PORT gallery@localhost' '$T/err'"
check "not OpenSSH's bare failure" "! grep -q 'exec request failed' '$T/err'"
check "the server logs the refusal" "grep -q 'exec refused for gallery (guest)' '$T/sshd.log'"

expect_rc 1 "a mistyped command" r serch harbour
check "suggests the nearest one" "grep -q \"did you mean 'search'\" '$T/err'"
expect_rc 1 "a command nothing is near" r xyzzy
check "points at help, which is what works over SSH" "grep -q \"see 'help'\" '$T/err'"
ok "help runs over SSH" r help
done_testing
