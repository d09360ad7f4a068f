#!/bin/sh
# A forgotten password over SSH: the guest's login screen offers the same
# reset as the local TUI (Ctrl-R mails a code; the code and a new password
# set it), without naming the server's folders (its log names them); the
# new password then logs in over SSH and the old one no longer does.
. "$(dirname "$0")/lib.sh"
setup_home
# a reset mails right after the sign-up mail here; the mail limits' cool-down
# (tested in test-signup-abuse) would hold it back
export PGAL_MAIL_COOLDOWN_SECS=0
start_sshd
PW='first password 1'
NEW='second password 2'
ok "an account made with the CLI" make_user dave "$PW"
ok "the password logs in over SSH" pw_ssh dave "$PW" whoami

ssh_term 100 30 ssh -tt $SSHO -p "$PORT" -o BatchMode=yes -o PubkeyAuthentication=no gallery@$HOST
step "the guest gets the welcome screen" "Sign up"
keys l
step "the guest's login screen offers a reset" "Ctrl-R.*forgot password"
type_text dave; keys C-r
step "Ctrl-R mails a code to dave" "a code was mailed to the address of dave"
check "without naming the server's folders" "! grep -q 'kept as files' '$T/screen'"
wait_until 5 log_has "$T/sshd.log" "mail for dave: "
check "the server's log says where the mail was written" "grep -qF 'mail for dave: mail is kept as files in $PGAL_HOME/outbox' '$T/sshd.log'"
type_text "$(outbox_code)"; keys Enter
type_text "$NEW"; keys Enter
type_text "$NEW"; keys Enter
step "the code sets the new password" "password changed and every session ended"
type_text "$NEW"; keys Enter
step "the new password logs in inside the guest TUI" "[Nn]o albums"
keys q q Q
ssh_exits "the session ends with status 0" 0
ok "the new password logs in over SSH" pw_ssh dave "$NEW" whoami
fails "the old one does not" pw_ssh dave "$PW" whoami
done_testing
