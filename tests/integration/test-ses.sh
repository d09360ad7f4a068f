#!/bin/sh
# Mail through SES (mail = ses) against aws-ses-v2-local on loopback: the
# confirmation mail of `pgal signup` arrives (GET /store shows to, subject,
# body) and its code confirms the account; through the fault proxy a
# failing SendEmail is reported clearly and never sent twice (POST is not
# idempotent); an unreachable endpoint is a clear error; the secret key
# never shows.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_home
peers_init
peer_start SES aws-ses-v2-local ses
peer_start PROXY "the fault proxy" proxy proxy "$SES"
SECRET=ses-secret-k9Qv2
aws_env AKIDPGALTEST "$SECRET" eu-west-1
export AWS_ENDPOINT_URL_SES="http://127.0.0.1:$SES"
export PGAL_MAIL=ses PGAL_MAIL_FROM="Photo Gallery <photos@example.org>"

store() {
	curl -s "http://127.0.0.1:$SES/store" > "$T/store.json"
}
# sjcheck DESCRIPTION PYTHON-EXPR: with m = the newest mail in the store
sjcheck() {
	cp "$T/store.json" "$T/out"
	jcheck "$1" "len(j['emails']) > 0 and (lambda m: $2)(j['emails'][-1])"
}

ok "signup mails its code through SES" env PGAL_PASSWORD=alice-password-1 "$PGAL" signup alice alice@example.org
store
cp "$T/store.json" "$T/out"
jcheck "exactly one mail in the store" "len(j['emails']) == 1"
sjcheck "to the new user" "m['destination']['to'] == ['alice@example.org'] and m['destination']['cc'] == []"
sjcheck "from mail_from" "m['from'] == 'Photo Gallery <photos@example.org>'"
sjcheck "subject" "m['subject'] == 'Your pgal confirmation code'"
sjcheck "a plain text body with the code on a line of its own" "any(__import__('re').fullmatch(r'[A-Z2-9]{10}', l) for l in m['body']['text'].split('\n'))"
code=$(python3 -c 'import json, re, sys
m = json.load(open(sys.argv[1]))["emails"][-1]
print([l for l in m["body"]["text"].split("\n") if re.fullmatch(r"[A-Z2-9]{10}", l)][0])' "$T/store.json")
ok "the mailed code confirms the account" "$PGAL" confirm alice "$code"
ok "and alice logs in" env PGAL_PASSWORD=alice-password-1 "$PGAL" login alice

# ---- through the fault proxy: SendEmail is never repeated ----
export AWS_ENDPOINT_URL_SES="http://127.0.0.1:$PROXY"
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/reset" > /dev/null
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/fail?n=1&status=503&format=json" > /dev/null
expect_rc 4 "a 503 on SendEmail fails the signup as a backend error" env PGAL_PASSWORD=bob-password-12 "$PGAL" signup bob bob@example.org
# core/accounts.c wraps the mail error into itself and cuts its head (see
# the report); what survives is the service's message and the status
check "the error carries the service's message and status" 'grep -q "injected by the fault proxy (HTTP 503, request id FAULTPROXY" "$T/err"'
check "the secret key is not in the message" '! grep -q "$SECRET" "$T/out" "$T/err"'
curl -s "http://127.0.0.1:$PROXY/__fault/stats" > "$T/out"
jcheck "the POST was sent once, not retried" "j['requests'] == 1 and j['methods'] == {'POST': 1}"
store
cp "$T/store.json" "$T/out"
jcheck "no mail went out" "len(j['emails']) == 1"
ok "without faults the proxy passes SendEmail through" "$PGAL" resend bob
curl -s "http://127.0.0.1:$PROXY/__fault/stats" > "$T/out"
jcheck "one more POST" "j['methods'].get('POST') == 2"
store
cp "$T/store.json" "$T/out"
jcheck "bob's mail is in the store" "j['emails'][-1]['destination']['to'] == ['bob@example.org']"

# ---- nothing listening ----
# (each case mails a fresh account: bob's next code waits for its cool-down)
export AWS_ENDPOINT_URL_SES="http://127.0.0.1:1"
expect_rc 4 "an unreachable SES is a backend error" env PGAL_PASSWORD=carol-password-1 "$PGAL" signup carol carol@example.org
check "saying why" 'grep -q "Failed to connect to 127.0.0.1 port 1" "$T/err"'
unset AWS_ENDPOINT_URL_SES
export AWS_ENDPOINT_URL="http://127.0.0.1:$SES"
ok "AWS_ENDPOINT_URL serves when there is no per-service one" "$PGAL" resend carol
unset AWS_ENDPOINT_URL
export AWS_ENDPOINT_URL_SES="http://127.0.0.1:$SES"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
export AWS_SHARED_CREDENTIALS_FILE="$T/none" HOME="$T"
expect_rc 4 "no credentials anywhere fails the mail" env PGAL_PASSWORD=dave-password-1 "$PGAL" signup dave dave@example.org
check "saying where credentials come from" 'grep -q "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials, or run with an EC2 instance role" "$T/err"'
echo "1..$n"
[ "$nfail" -eq 0 ]
