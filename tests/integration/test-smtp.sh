#!/bin/sh
# Mail through SMTP (mail = smtp) with libcurl against fake-smtp.py on
# loopback: STARTTLS then AUTH, the confirmation mail arrives as a proper
# RFC 5322 message (encoded display name, UTF-8 body, the code on its own
# line) and confirms the account; a server without STARTTLS gets nothing in
# clear; a certificate nobody vouches for and a wrong password fail
# clearly, without showing the password.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_home
peers_init
mkdir -p "$P"
for c in good other; do
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
	    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
	    -keyout "$P/$c.key" -out "$P/$c.crt" > /dev/null 2>&1 ||
	    { echo "not ok 1 - openssl could not make a test certificate"; exit 1; }
done
PW=smtp-Pa55-word
peer_start TLS fake-smtp.py smtp tls "$P/good.crt" "$P/good.key" pgal "$PW"
peer_start CLEAR "fake-smtp.py (notls)" smtp clear "$P/good.crt" "$P/good.key" pgal "$PW" notls
export PGAL_MAIL=smtp PGAL_SMTP_URL="smtp://127.0.0.1:$TLS" PGAL_SMTP_USER=pgal
export PGAL_SMTP_PASSWORD="$PW" PGAL_SMTP_CA_FILE="$P/good.crt"
export PGAL_MAIL_FROM="Galerie Ünïcode <photos@example.org>"
M="$P/tls.mail"

ok "signup mails the code over SMTP" env PGAL_PASSWORD=alice-password-1 "$PGAL" signup alice alice@example.org
check "one message arrived" '[ -f "$M/1.eml" ] && [ ! -f "$M/2.eml" ]'
cp "$M/1.json" "$T/out"
jcheck "over TLS, authenticated, envelope from mail_from to the user" "j['tls'] and j['user'] == 'pgal' and j['from'] == '<photos@example.org>' and j['rcpt'] == ['<alice@example.org>']"
cat > "$T/parse.py" <<'PY'
import email, email.header, email.policy, re, sys
raw = open(sys.argv[1], "rb").read()
m = email.message_from_bytes(raw, policy=email.policy.default)
checks = {
    "crlf": b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""),
    "from": str(m["From"]) == "Galerie Ünïcode <photos@example.org>",
    "to": m["To"].addresses[0].addr_spec == "alice@example.org",
    "subject": str(m["Subject"]) == "Your pgal confirmation code",
    "date": m["Date"] is not None and m["Date"].datetime is not None,
    "message-id": re.fullmatch(r"<[0-9]+\.[0-9a-f]{16}@example\.org>", str(m["Message-ID"])) is not None,
    # the message the outbox writes (core/mail/message.c builds both)
    "headers": m.keys() == ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version",
                            "Content-Type", "Content-Transfer-Encoding"],
    "utf-8": m.get_content_type() == "text/plain" and m.get_content_charset() == "utf-8",
    "code": any(re.fullmatch(r"[A-Z2-9]{10}", l) for l in m.get_content().splitlines()),
}
bad = [k for k, v in checks.items() if not v]
print(" ".join(bad))
sys.exit(1 if bad else 0)
PY
ok "a well-formed RFC 5322 message (headers, CRLF, UTF-8, code line)" python3 "$T/parse.py" "$M/1.eml"
code=$(tr -d '\r' < "$M/1.eml" | grep -E '^[A-Z2-9]{10}$' | tail -1)
ok "the mailed code confirms the account" "$PGAL" confirm alice "$code"

# ---- no STARTTLS on offer: nothing is sent in clear ----
# (bob signs up there; the account stays, waiting for a resend)
expect_rc 4 "a server without STARTTLS is refused" env PGAL_SMTP_URL="smtp://127.0.0.1:$CLEAR" PGAL_PASSWORD=bob-password-12 "$PGAL" signup bob bob@example.org
cp "$P/clear.mail/log.json" "$T/out"
jcheck "no MAIL FROM and no password went over the clear connection" "j['sessions'] >= 1 and j['mail_in_clear'] == 0 and j['auth_ok'] + j['auth_fail'] == 0"
check "no message there" '[ -z "$(ls "$P/clear.mail" | grep eml)" ]'

# ---- a certificate we were not told to trust ----
expect_rc 4 "an untrusted certificate is refused" env PGAL_SMTP_CA_FILE="$P/other.crt" "$PGAL" resend bob
check "saying so" 'grep -qi "certificate" "$T/err"'

# ---- wrong password ----
expect_rc 4 "a wrong password fails" env PGAL_SMTP_PASSWORD=wrong-password-x "$PGAL" resend bob
# (core/accounts.c cuts the head of the mail error, see the report: the
# server's name is checked in the smtp tests once that is fixed)
check "the password is not shown" '! grep -q "wrong-password-x" "$T/err" "$T/out"'
cp "$M/log.json" "$T/out"
jcheck "the server saw the failed login" "j['auth_fail'] == 1"
check "still only the first message" '[ ! -f "$M/2.eml" ]'
ok "with the right password resend works" "$PGAL" resend bob
check "a second message" '[ -f "$M/2.eml" ]'
expect_rc 5 "an smtp_url of another scheme is refused" env PGAL_SMTP_URL="http://127.0.0.1:$TLS" "$PGAL" resend bob
echo "1..$n"
[ "$nfail" -eq 0 ]
