#!/bin/sh
# SSH public keys of an account: added as a pasted line (quoted or as words),
# fingerprints as ssh-keygen prints them, hostile lines refused, removal.
. "$(dirname "$0")/lib.sh"
setup_home
PW=correct-horse-battery
signup_user alice "$PW"
PGAL_PASSWORD=$PW "$PGAL" login alice >/dev/null 2>&1
ssh-keygen -q -t ed25519 -N '' -C 'alice@laptop' -f "$T/ed"
ssh-keygen -q -t ecdsa -b 256 -N '' -C 'alice@phone' -f "$T/ec"
ssh-keygen -q -t rsa -b 1024 -N '' -f "$T/rsa1024" 2>/dev/null || ssh-keygen -q -t rsa -b 2048 -N '' -f "$T/rsa1024"
ed_fp=$(ssh-keygen -lf "$T/ed.pub" | cut -d' ' -f2)
ec_fp=$(ssh-keygen -lf "$T/ec.pub" | cut -d' ' -f2)

expect_rc 0 "add a key as one quoted line" "$PGAL" key add "$(cat "$T/ed.pub")"
check "the fingerprint is ssh-keygen's" 'grep -qF "$ed_fp" "$T/out"'
expect_rc 0 "add a key as words" "$PGAL" key add $(cat "$T/ec.pub")
expect_rc 5 "the same key twice" "$PGAL" key add "$(cat "$T/ed.pub")"
expect_rc 0 "list as JSON" "$PGAL" key list --json
check "both keys, in order, with ssh-keygen's fingerprints and the comments" \
	'/usr/bin/python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(not ([k[\"fingerprint\"] for k in j]==[sys.argv[2],sys.argv[3]] and j[0][\"comment\"]==\"alice@laptop\" and j[1][\"type\"]==\"ecdsa-sha2-nistp256\"))" "$T/out" "$ed_fp" "$ec_fp"'

# hostile or wrong lines
blob=$(cut -d' ' -f2 "$T/ed.pub")
expect_rc 5 "a DSA key type" "$PGAL" key add "ssh-dss $blob"
expect_rc 5 "a type that does not match the blob" "$PGAL" key add "ecdsa-sha2-nistp256 $blob"
expect_rc 5 "broken base64" "$PGAL" key add "ssh-ed25519 AAAA!!!!"
expect_rc 5 "a truncated blob" "$PGAL" key add "ssh-ed25519 $(echo "$blob" | cut -c1-40)"
expect_rc 5 "authorized_keys options in front" "$PGAL" key add "command=\"/bin/sh\" $(cat "$T/ed.pub")"
if [ "$(ssh-keygen -lf "$T/rsa1024.pub" | cut -d' ' -f1)" -lt 2048 ]; then
	expect_rc 5 "an RSA key under 2048 bits" "$PGAL" key add "$(cat "$T/rsa1024.pub")"
fi
ssh-keygen -q -t ed25519 -N '' -f "$T/ed2"
expect_rc 0 "a comment with escape sequences is accepted" \
	"$PGAL" key add "$(cut -d' ' -f1,2 "$T/ed2.pub") $(printf 'evil\033]0;pwned\007name')"
"$PGAL" key list > "$T/list" 2>&1
check "and cleaned: no escape byte reaches a listing" '! grep -q "$(printf "\033")" "$T/list" && grep -q "evil.*name" "$T/list"'

# removal by number and by fingerprint
expect_rc 2 "removing a key that is not there" "$PGAL" key rm 9
expect_rc 0 "remove by number" "$PGAL" key rm 1
expect_rc 0 "remove by fingerprint" "$PGAL" key rm "$ec_fp"
"$PGAL" key list --json > "$T/left"
check "the two pasted keys are gone" '! grep -qF "$ed_fp" "$T/left" && ! grep -qF "$ec_fp" "$T/left"'

# the SSH guest name can never be an account
expect_rc 5 "signing up as the SSH guest name" env PGAL_PASSWORD=$PW "$PGAL" signup gallery g@example.org
done_testing
