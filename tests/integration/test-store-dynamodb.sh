#!/bin/sh
# The store contract (build/tests/test-store-contract) against the DynamoDB
# store on a dynalite started here on loopback (tests/node_modules, pinned
# in tests/package-lock.json): same calls, same results, same errors as
# SQLite and MySQL. Then the backend's own checks: the tables the store
# creates match sql/dynamodb/*.json, and a stopped peer is a clear error.
# A peer that cannot start fails the run. The peer is dynalite behind
# dynalite-gsi.js with the by-sha and by-blob indexes never answering (an
# index that has not caught up, as DynamoDB's eventually consistent ones
# may): the duplicate check and gc's "blob used" must not need them.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$(dirname "$here")")
PGAL_BUILD=${PGAL_BUILD:-$top/build}
PGAL_FIXTURES=${PGAL_FIXTURES:-$top/build/fixtures}
# check and done_testing: a failed check makes the exit status non-zero
. "$here/../cli/lib.sh"
B=$PGAL_BUILD
P="$T/peers"
export PEERS_OWNER=$$
trap 'sh "$here/peers.sh" stop "$P"' EXIT
PORT=$(PGAL_TEST_STALE_GSI=by-sha,by-blob sh "$here/peers.sh" start dynalite-gsi "$P") || {
	echo "1..1"
	echo "not ok 1 - dynalite-gsi did not start (see above)"
	exit 1
}
SECRET=ddb-secret-Wq93k
export AWS_ACCESS_KEY_ID=AKIDDYNALITE AWS_SECRET_ACCESS_KEY=$SECRET AWS_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL PGAL_CONFIG
export AWS_EC2_METADATA_DISABLED=true
# dynalite has no PITR, deletion protection or TTL calls (see lib.sh's aws_env)
export PGAL_DYNAMODB_PITR=no PGAL_DYNAMODB_DELETION_PROTECTION=no PGAL_DYNAMODB_TTL=no
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$PORT"
export PGAL_HOME="$T/home"
mkdir -p "$PGAL_HOME"

# the contract: its own TAP plan and lines, numbered apart from ours
PGAL_TEST_STORE=dynamodb PGAL_TEST_NPAGE=${PGAL_TEST_NPAGE:-400} \
    CMOCKA_MESSAGE_OUTPUT=TAP "$B/tests/test-store-contract" > "$T/contract" 2>&1
rc=$?
sed 's/^1\.\.[0-9]*$/# contract: &/' "$T/contract"
check "the contract suite passed (exit $rc)" '[ "$rc" -eq 0 ]'

# raw DynamoDB calls for the checks below (dynalite does not check signatures)
ddb() {
	curl -s -X POST -H "Content-Type: application/x-amz-json-1.0" \
	    -H "X-Amz-Target: DynamoDB_20120810.$1" -H "X-Amz-Date: 20200101T000000Z" \
	    -H "Authorization: AWS4-HMAC-SHA256 Credential=AKIDDYNALITE/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00" \
	    --data-binary "$2" "$AWS_ENDPOINT_URL_DYNAMODB/"
}

# pgal init makes the default tables; a command then opens the store: here
# a session check with a token nobody has
export PGAL_TOKEN=$(python3 -c 'print("ab" * 32)')
PGAL_STORE=dynamodb "$PGAL" init > "$T/out" 2> "$T/err"
rc=$?
check "pgal init on an empty dynalite creates the tables (exit $rc)" '[ "$rc" -eq 0 ]'
PGAL_STORE=dynamodb "$PGAL" albums > "$T/out" 2> "$T/err"
rc=$?
check "a command then: not logged in (exit 3)" \
    '[ "$rc" -eq 3 ] && grep -q "session ended" "$T/err"'
ddb DescribeTable '{"TableName":"PhotoGallery"}' > "$T/g.json"
ddb DescribeTable '{"TableName":"PhotoGalleryUsers"}' > "$T/u.json"
check "PhotoGallery has the keys and indexes of sql/dynamodb/PhotoGallery.json" \
    'python3 - "$top/sql/dynamodb/PhotoGallery.json" "$T/g.json" <<PY
import json, sys
want = json.load(open(sys.argv[1])); have = json.load(open(sys.argv[2]))["Table"]
assert have["TableStatus"] == "ACTIVE"
assert have["KeySchema"] == want["KeySchema"]
for kind in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes"):
    w = {i["IndexName"]: (i["KeySchema"], i["Projection"]["ProjectionType"]) for i in want[kind]}
    h = {i["IndexName"]: (i["KeySchema"], i["Projection"]["ProjectionType"]) for i in have[kind]}
    assert w == h, (kind, w, h)
PY'
check "PhotoGalleryUsers has the keys of its definition" \
    'python3 -c "import json, sys; w = json.load(open(sys.argv[1])); h = json.load(open(sys.argv[2]))[\"Table\"]; sys.exit(0 if h[\"KeySchema\"] == w[\"KeySchema\"] else 1)" "$top/sql/dynamodb/PhotoGalleryUsers.json" "$T/u.json"'
check "dynamodb_table and dynamodb_users_table name the tables" \
    'PGAL_STORE=dynamodb PGAL_DYNAMODB_TABLE=Other PGAL_DYNAMODB_USERS_TABLE=OtherUsers "$PGAL" init > /dev/null 2>&1; ddb DescribeTable "{\"TableName\":\"OtherUsers\"}" | grep -q ACTIVE'

# DynamoDB rules as dynalite 4 applies them (the store never writes an
# empty string, so both answers are fine; recorded for the report)
ddb PutItem '{"TableName":"PhotoGalleryUsers","Item":{"pk":{"S":"probe"},"sk":{"S":"#"},"e":{"S":""}}}' > "$T/empty"
if grep -q ValidationException "$T/empty"; then
	echo "# dynalite 4 refuses empty strings in non-key attributes"
else
	echo "# dynalite 4 accepts empty strings in non-key attributes (as AWS does since 2020)"
fi
ddb PutItem '{"TableName":"PhotoGalleryUsers","Item":{"pk":{"S":""},"sk":{"S":"#"}}}' > "$T/emptykey"
check "an empty key string is refused (why the store never writes one)" 'grep -q ValidationException "$T/emptykey"'
ddb TransactWriteItems '{"TransactItems":[]}' > "$T/tx"
check "dynalite 4 has no TransactWriteItems (why the store orders single writes)" \
    'grep -q UnknownOperationException "$T/tx"'

# a stopped peer: a clear backend error naming the service, no secret
sh "$here/peers.sh" stop "$P"
PGAL_STORE=dynamodb "$PGAL" albums > "$T/out" 2> "$T/err"
rc=$?
check "dynalite stopped: exit 4" '[ "$rc" -eq 4 ]'
check "the message names DynamoDB and the endpoint" \
    'grep -q "DynamoDB DescribeTable: http://127.0.0.1:$PORT unreachable" "$T/err"'
check "the secret key is not in it" '! grep -q "$SECRET" "$T/out" "$T/err"'
done_testing
