#!/bin/sh
# pgal init on a PhotoGallery table that exists but lacks global indexes
# pgal needs (a table from an older pgal, or made by hand): it adds each one
# with UpdateTable (GlobalSecondaryIndexUpdates Create), waits until
# DynamoDB says ACTIVE, says so, and is quiet about it the next time; the
# items already there are found through the new index; the gallery then
# works (albums, search). Also for a PROVISIONED table (the index gets the
# table's capacity). The peer is dynalite behind dynalite-gsi.js, which adds
# the index creation dynalite 4 lacks (it answers CREATING for a while, as
# DynamoDB does while it backfills).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
setup_home
peers_init
peer_start S3 s3rver s3rver
peer_start DDB dynalite-gsi dynalite-gsi
aws_env S3RVER gsi-secret-W2
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$S3" AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$DDB"
export PGAL_STORE=dynamodb PGAL_BLOBS=s3 PGAL_S3_BUCKET=pgal-test PGAL_S3_PREFIX=gsi/ PGAL_S3_PATH_STYLE=yes
NIKON="$FIX/nikon-d2h-gps.jpg"

# ddb OP JSON: one DynamoDB call, signed by curl; the answer in $T/ddb
ddb() {
	curl -s -o "$T/ddb" -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:dynamodb" \
	    --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
	    -H "x-amz-target: DynamoDB_20120810.$1" -H "content-type: application/x-amz-json-1.0" \
	    --data-binary "$2" "http://127.0.0.1:$DDB/"
}
# ctl OP JSON: a test control of dynalite-gsi.js (Backfill, Stale, Log)
ctl() {
	curl -s -o "$T/ctl" -w '%{http_code}' -H "x-amz-target: PgalTest.$1" \
	    -H "content-type: application/x-amz-json-1.0" --data-binary "$2" "http://127.0.0.1:$DDB/"
}
# secs COMMAND...: runs it like ok/expect_rc would, prints whole seconds taken
secs() {
	s0=$(date +%s)
	"$@" > "$T/out" 2> "$T/err" < /dev/null
	echo $? > "$T/rc"
	echo $(( $(date +%s) - s0 ))
}
# the repository's table definition without the global indexes named
# (and the attributes only they used), as table NAME, billing MODE
old_table() {
	python3 - "$top/sql/dynamodb/PhotoGallery.json" "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
name, mode, drop = sys.argv[2], sys.argv[3], sys.argv[4:]
d["TableName"] = name
d["GlobalSecondaryIndexes"] = [g for g in d["GlobalSecondaryIndexes"] if g["IndexName"] not in drop]
used = {k["AttributeName"] for x in [d] + d["LocalSecondaryIndexes"] + d["GlobalSecondaryIndexes"]
        for k in x["KeySchema"]}
d["AttributeDefinitions"] = [a for a in d["AttributeDefinitions"] if a["AttributeName"] in used]
if mode == "PROVISIONED":
    del d["BillingMode"]
    d["ProvisionedThroughput"] = {"ReadCapacityUnits": 7, "WriteCapacityUnits": 3}
    for g in d["GlobalSecondaryIndexes"]:
        g["ProvisionedThroughput"] = {"ReadCapacityUnits": 7, "WriteCapacityUnits": 3}
print(json.dumps(d))
PY
}
# gsis TABLE: "name:status" of each global index, sorted, one line
gsis() {
	ddb DescribeTable "{\"TableName\": \"$1\"}" > /dev/null
	python3 -c 'import json, sys
t = json.load(open(sys.argv[1]))["Table"]
print(" ".join(sorted("%s:%s" % (g["IndexName"], g["IndexStatus"]) for g in t.get("GlobalSecondaryIndexes", []))))' "$T/ddb"
}
WANT=$(python3 -c 'import json, sys
print(" ".join(sorted(g["IndexName"] + ":ACTIVE" for g in json.load(open(sys.argv[1]))["GlobalSecondaryIndexes"])))' "$top/sql/dynamodb/PhotoGallery.json")

# table_active TABLE: DescribeTable says ACTIVE (CreateTable answers while
# the table is still CREATING, and item calls on it fail until then)
table_active() {
	ddb DescribeTable "{\"TableName\": \"$1\"}" > /dev/null && python3 -c 'import json, sys
sys.exit(0 if json.load(open(sys.argv[1]))["Table"]["TableStatus"] == "ACTIVE" else 1)' "$T/ddb"
}

# ---- an on-demand table lacking by-user and by-blob ----
check "made by hand without by-user and by-blob" \
	'[ "$(ddb CreateTable "$(old_table PhotoGallery PAY_PER_REQUEST by-user by-blob)")" = 200 ] &&
	wait_until 10 table_active PhotoGallery'
check "DescribeTable lists by-sha only" '[ "$(gsis PhotoGallery)" = "by-sha:ACTIVE" ]'
# an item already in the table, which the new by-user index must hold
check "an item already there" \
	'[ "$(ddb PutItem "{\"TableName\": \"PhotoGallery\", \"Item\": {\"albumID\": {\"S\": \"X#old\"}, \"photoID\": {\"S\": \"#old\"}, \"owner\": {\"N\": \"424242\"}, \"ks_added\": {\"S\": \"k1\"}}}")" = 200 ]'
# before pgal init: commands neither add nor wait for an index
t=$(secs "$PGAL" albums)
check "a command before pgal init does not wait (exit $(cat "$T/rc"), ${t}s)" \
	'[ "$t" -lt 10 ] && grep -q "not logged in\|session" "$T/err"'
check "and adds no index" '[ "$(gsis PhotoGallery)" = "by-sha:ACTIVE" ]'
ok "pgal init" "$PGAL" init
sed 's/^/# /' "$T/out"
check "says it added both indexes and that they are ACTIVE" \
	'grep "^store dynamodb: ok" "$T/out" | grep -q "added missing global index by-user, by-blob, now ACTIVE"'
check "DescribeTable: every index of sql/dynamodb/ is there and ACTIVE" '[ "$(gsis PhotoGallery)" = "$WANT" ]'
check "the item already there is found through the new index" \
	'[ "$(ddb Query "{\"TableName\": \"PhotoGallery\", \"IndexName\": \"by-user\", \"KeyConditionExpression\": \"#o = :o\", \"ExpressionAttributeNames\": {\"#o\": \"owner\"}, \"ExpressionAttributeValues\": {\":o\": {\"N\": \"424242\"}}}")" = 200 ] && python3 -c "import json, sys; j = json.load(open(sys.argv[1])); sys.exit(0 if j[\"Count\"] == 1 and j[\"Items\"][0][\"albumID\"][\"S\"] == \"X#old\" else 1)" "$T/ddb"'
ok "pgal init again" "$PGAL" init
check "adds nothing the second time" 'grep -q "^store dynamodb: ok" "$T/out" && ! grep -q "added" "$T/out"'

# the gallery works on it: albums (by-user) and search
login_user alice alice-password-1 || echo "# login_user failed"
ok "mkalbum" "$PGAL" mkalbum trip
ok "put with tags" "$PGAL" put trip "$NIKON" --tags beijing,night
ok "albums --json" "$PGAL" albums --json
jcheck "lists the album with its photo" "[a['name'] for a in j] == ['trip'] and j[0]['photos'] == 1"
ok "search --tag" "$PGAL" search --tag beijing --json
jcheck "finds the photo" "[p['name'] for p in j] == ['nikon-d2h-gps.jpg']"
ok "the same photo again is found stored (the duplicate check reads the index)" "$PGAL" put trip "$NIKON"
check "and not stored again" 'grep -q "^1 already stored" "$T/out"'
check "init gave the table its layout item (every photo has refs)" \
	'[ "$(ddb GetItem "{\"TableName\": \"PhotoGallery\", \"ConsistentRead\": true, \"Key\": {\"albumID\": {\"S\": \"#LAYOUT\"}, \"photoID\": {\"S\": \"#\"}}}")" = 200 ] && grep -q "\"v\":{\"N\":\"2\"}" "$T/ddb"'

# ---- an index still filling (DynamoDB backfills for a long while on a big
# table): commands do not wait; what needs the index fails at once naming
# it; pgal init waits for it ----
check "by-user says CREATING from now on" \
	'[ "$(ctl Backfill "{\"TableName\": \"PhotoGallery\", \"IndexName\": \"by-user\", \"Calls\": 100000}")" = 200 ] && [ "$(gsis PhotoGallery)" != "$WANT" ]'
t=$(secs "$PGAL" albums --json)
check "albums works at once while by-user fills (exit $(cat "$T/rc"), ${t}s)" \
	'[ "$(cat "$T/rc")" = 0 ] && [ "$t" -lt 10 ] && grep -q trip "$T/out"'
t=$(secs "$PGAL" ls trip)
check "ls works at once (exit $(cat "$T/rc"), ${t}s)" '[ "$(cat "$T/rc")" = 0 ] && [ "$t" -lt 10 ]'
t=$(secs "$PGAL" search --tag beijing)
check "search fails at once with exit 4 (${t}s)" '[ "$(cat "$T/rc")" = 4 ] && [ "$t" -lt 10 ]'
sed 's/^/# /' "$T/err"
check "naming the index, its state and what to do" \
	'grep -q "by-user" "$T/err" && grep -q CREATING "$T/err" && grep -q "pgal init" "$T/err"'
ok "the duplicate check still works (no index needed)" "$PGAL" put trip "$NIKON"
check "it finds the photo stored" 'grep -q "^1 already stored" "$T/out"'
check "a few more DescribeTable calls, then ACTIVE" \
	'[ "$(ctl Backfill "{\"TableName\": \"PhotoGallery\", \"IndexName\": \"by-user\", \"Calls\": 4}")" = 200 ]'
ok "pgal init waits until it is ACTIVE" "$PGAL" init
check "DescribeTable: every index ACTIVE again" '[ "$(gsis PhotoGallery)" = "$WANT" ]'
ok "search works again" "$PGAL" search --tag beijing --json
jcheck "and finds the photo" "[p['name'] for p in j] == ['nikon-d2h-gps.jpg']"

# ---- a PROVISIONED table lacking by-blob: the index gets capacity ----
check "a provisioned table made by hand without by-blob" \
	'[ "$(ddb CreateTable "$(old_table Gallery2 PROVISIONED by-blob)")" = 200 ]'
ok "pgal init on it" env PGAL_DYNAMODB_TABLE=Gallery2 PGAL_DYNAMODB_USERS_TABLE=Gallery2Users "$PGAL" init
check "says it added by-blob" 'grep -q "added missing global index by-blob, now ACTIVE" "$T/out"'
check "DescribeTable: every index ACTIVE" '[ "$(gsis Gallery2)" = "$WANT" ]'
check "by-blob has the table's capacity" \
	'ddb DescribeTable "{\"TableName\": \"Gallery2\"}" > /dev/null && python3 -c "import json, sys
g = {x[\"IndexName\"]: x for x in json.load(open(sys.argv[1]))[\"Table\"][\"GlobalSecondaryIndexes\"]}[\"by-blob\"]
sys.exit(0 if g[\"ProvisionedThroughput\"][\"ReadCapacityUnits\"] == 7 and g[\"ProvisionedThroughput\"][\"WriteCapacityUnits\"] == 3 else 1)" "$T/ddb"'

# ---- a missing local index cannot be added: a clear error, exit 4, and
# no global index is added to a table that will be refused anyway ----
python3 - "$top/sql/dynamodb/PhotoGallery.json" > "$T/nolsi.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["TableName"] = "Gallery3"
d["LocalSecondaryIndexes"] = [x for x in d["LocalSecondaryIndexes"] if x["IndexName"] != "by-title"]
d["GlobalSecondaryIndexes"] = [x for x in d["GlobalSecondaryIndexes"] if x["IndexName"] != "by-blob"]
d["AttributeDefinitions"] = [a for a in d["AttributeDefinitions"] if a["AttributeName"] not in ("ks_title", "blob_id")]
print(json.dumps(d))
PY
check "a table made by hand without the local index by-title (nor by-blob)" '[ "$(ddb CreateTable "$(cat "$T/nolsi.json")")" = 200 ]'
expect_rc 4 "pgal init fails" env PGAL_DYNAMODB_TABLE=Gallery3 PGAL_DYNAMODB_USERS_TABLE=Gallery3Users "$PGAL" init
check "saying which index and why" 'grep -q "lacks index by-title" "$T/err" && grep -q "local indexes cannot be added" "$T/err"'
check "and adding no global index to it" '[ "$(gsis Gallery3)" = "by-sha:ACTIVE by-user:ACTIVE" ]'
done_testing
