#!/bin/sh
# What `pgal init` turns on at AWS, seen as an operator sees it, with the
# AWS CLI (and boto3 where the CLI is too old: /usr/bin/aws 2.9 drops
# DescribeTable's DeletionProtectionEnabled, which came after it):
# point-in-time recovery and deletion protection of both DynamoDB
# tables, TTL on `expires` of the users table (sessions and marks carry it),
# and a bucket lifecycle rule that aborts unfinished multipart uploads after
# a day, added beside the rules already there. A second init changes nothing
# and says so; each setting can be turned off. dynalite and s3rver have none
# of these calls: aws-settings-proxy.py, in front of each, answers them with
# AWS's shapes and passes the rest through.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_home
peers_init
peer_start DDB0 dynalite dynalite
peer_start S30 s3rver s3rver
peer_start DDB "settings proxy (dynamodb)" settings ddb-settings "$DDB0"
peer_start S3 "settings proxy (s3)" settings s3-settings "$S30"
aws_env S3RVER settings-secret-Kq7
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$DDB" AWS_ENDPOINT_URL_S3="http://127.0.0.1:$S3"
export PGAL_STORE=dynamodb PGAL_BLOBS=s3 PGAL_S3_BUCKET=pgal-test PGAL_S3_PREFIX=photos/ PGAL_S3_PATH_STYLE=yes

ddbc() {
	PATH=/usr/bin:$PATH aws --endpoint-url "$AWS_ENDPOINT_URL_DYNAMODB" dynamodb "$@" --output text
}
s3c() {
	PATH=/usr/bin:$PATH aws --endpoint-url "$AWS_ENDPOINT_URL_S3" s3api "$@"
}
# DeletionProtectionEnabled of a table, as boto3 reads it
protection() {
	python3 -c 'import boto3, os, sys
c = boto3.client("dynamodb", endpoint_url=os.environ["AWS_ENDPOINT_URL_DYNAMODB"], region_name=os.environ["AWS_REGION"])
print(c.describe_table(TableName=sys.argv[1])["Table"]["DeletionProtectionEnabled"])' "$1"
}
changes() {
	curl -s "http://127.0.0.1:$DDB/__settings/stats"; curl -s "http://127.0.0.1:$S3/__settings/stats"
}

# the operator's own rule on the bucket, which must survive
cat > "$T/rule.json" <<'EOF'
{"Rules": [{"ID": "logs-expire", "Filter": {"Prefix": "logs/"}, "Status": "Enabled",
  "Expiration": {"Days": 30}}]}
EOF
export PGAL_DYNAMODB_PITR=yes PGAL_DYNAMODB_DELETION_PROTECTION=yes PGAL_DYNAMODB_TTL=yes PGAL_S3_ABORT_INCOMPLETE_UPLOADS=yes
ok "an existing lifecycle rule (aws s3api)" s3c put-bucket-lifecycle-configuration --bucket pgal-test --lifecycle-configuration "file://$T/rule.json"

ok "pgal init" "$PGAL" init
cp "$T/out" "$T/init1"
for t in PhotoGallery PhotoGalleryUsers; do
	check "$t: point-in-time recovery ENABLED (describe-continuous-backups)" \
	    '[ "$(ddbc describe-continuous-backups --table-name $t --query ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus)" = ENABLED ]'
	check "$t: deletion protection on (boto3 describe_table)" '[ "$(protection $t)" = True ]'
done
check "PhotoGalleryUsers: TTL ENABLED on expires (describe-time-to-live)" \
    '[ "$(ddbc describe-time-to-live --table-name PhotoGalleryUsers --query "TimeToLiveDescription.[TimeToLiveStatus,AttributeName]" | tr "\t" " ")" = "ENABLED expires" ]'
s3c get-bucket-lifecycle-configuration --bucket pgal-test > "$T/lc.json" 2> "$T/lc.err"
check "the bucket's lifecycle aborts unfinished uploads under the prefix after 1 day (get-bucket-lifecycle-configuration)" \
    'python3 -c "import json, sys
r = {x[\"ID\"]: x for x in json.load(open(sys.argv[1]))[\"Rules\"]}
p = r[\"pgal-abort-incomplete-uploads\"]
assert p[\"Status\"] == \"Enabled\" and p[\"Filter\"] == {\"Prefix\": \"photos/\"}, p
assert p[\"AbortIncompleteMultipartUpload\"] == {\"DaysAfterInitiation\": 1}, p
assert r[\"logs-expire\"][\"Expiration\"] == {\"Days\": 30}, r
assert len(r) == 2, r" "$T/lc.json"'
check "the report says what it turned on" \
    'grep -q "^store dynamodb: ok (tables .PhotoGallery. and .PhotoGalleryUsers. active; created PhotoGalleryUsers, PhotoGallery; point-in-time recovery: turned on for PhotoGallery, PhotoGalleryUsers; deletion protection: turned on for PhotoGallery, PhotoGalleryUsers; TTL on .expires. (expired sessions and marks): turned on for PhotoGalleryUsers)$" "$T/init1" &&
     grep -q "^blobs s3: bucket .pgal-test. reachable (prefix .photos/.); lifecycle rule aborting unfinished multipart uploads after 1 day: added (1 other rule kept)$" "$T/init1"'

changes > "$T/changes1"
ok "pgal init again" "$PGAL" init
changes > "$T/changes2"
check "changes nothing the second time (no Update* or Put* call)" 'cmp -s "$T/changes1" "$T/changes2"'
check "and says so" \
    'grep -q "point-in-time recovery: already on for PhotoGallery, PhotoGalleryUsers; deletion protection: already on for PhotoGallery, PhotoGalleryUsers; TTL on .expires. (expired sessions and marks): already on for PhotoGalleryUsers; nothing changed)$" "$T/out" &&
     grep -q "lifecycle rule aborting unfinished multipart uploads after 1 day: already there, nothing changed$" "$T/out"'

# sessions and marks carry expires, in epoch seconds
ok "sign up and confirm a user" signup_user alice alice-password-1
ok "log in (a session)" env PGAL_PASSWORD=alice-password-1 "$PGAL" login alice
PATH=/usr/bin:$PATH aws --endpoint-url "$AWS_ENDPOINT_URL_DYNAMODB" dynamodb scan --table-name PhotoGalleryUsers --output json > "$T/users.json"
check "the session items (and their index entry) have expires, in the future, as a number" 'python3 -c "import json, sys, time
items = json.load(open(sys.argv[1]))[\"Items\"]
s = [i for i in items if i[\"pk\"][\"S\"].startswith(\"S#\") or i.get(\"sk\", {}).get(\"S\", \"\").startswith(\"S#\")]
assert len(s) == 2, s
for i in s:
    assert time.time() < int(i[\"expires\"][\"N\"]) < time.time() + 91 * 86400, i" "$T/users.json"'
check "the marks have expires too" 'python3 -c "import json, sys
m = [i for i in json.load(open(sys.argv[1]))[\"Items\"] if i[\"pk\"][\"S\"].startswith(\"M#\")]
assert m and all(\"N\" in i[\"expires\"] and i[\"expires\"][\"N\"] == i[\"until\"][\"N\"] for i in m), m" "$T/users.json"'

# ---- a setting that cannot be made: said, the others still done ----
ok "tables of another release (pgal init, settings off)" env PGAL_DYNAMODB_TABLE=Busy PGAL_DYNAMODB_USERS_TABLE=BusyUsers \
    PGAL_DYNAMODB_PITR=no PGAL_DYNAMODB_DELETION_PROTECTION=no PGAL_DYNAMODB_TTL=no "$PGAL" init
ok "someone gives BusyUsers a TTL on another attribute (aws dynamodb)" ddbc update-time-to-live --table-name BusyUsers \
    --time-to-live-specification Enabled=true,AttributeName=ttl
expect_rc 4 "pgal init then fails" env PGAL_DYNAMODB_TABLE=Busy PGAL_DYNAMODB_USERS_TABLE=BusyUsers "$PGAL" init
check "saying which setting, on which table, and why" \
    'grep -q "TTL on .expires. (expired sessions and marks): FAILED for BusyUsers (TTL is on for attribute .ttl., pgal.s is .expires.)" "$T/err"'
check "and what it did turn on" 'grep -q "point-in-time recovery: turned on for Busy, BusyUsers; deletion protection: turned on for Busy, BusyUsers" "$T/err"'
check "the other attribute is left as it was" \
    '[ "$(ddbc describe-time-to-live --table-name BusyUsers --query TimeToLiveDescription.AttributeName)" = ttl ]'

# ---- each can be turned off ----
ok "init of new tables with every setting off" env PGAL_DYNAMODB_TABLE=Off PGAL_DYNAMODB_USERS_TABLE=OffUsers \
    PGAL_DYNAMODB_PITR=no PGAL_DYNAMODB_DELETION_PROTECTION=no PGAL_DYNAMODB_TTL=no PGAL_S3_BUCKET=pgal-test \
    PGAL_S3_PREFIX=other/ PGAL_S3_ABORT_INCOMPLETE_UPLOADS=no "$PGAL" init
check "says so" 'grep -q "point-in-time recovery: not asked (dynamodb_pitr = no); deletion protection: not asked (dynamodb_deletion_protection = no); TTL: not asked (dynamodb_ttl = no)" "$T/out" &&
    grep -q "lifecycle rule for unfinished uploads: not asked (s3_abort_incomplete_uploads = no)" "$T/out"'
check "PITR stays DISABLED" '[ "$(ddbc describe-continuous-backups --table-name Off --query ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus)" = DISABLED ]'
check "deletion protection stays off" '[ "$(protection OffUsers)" = False ]'
check "TTL stays DISABLED" '[ "$(ddbc describe-time-to-live --table-name OffUsers --query TimeToLiveDescription.TimeToLiveStatus)" = DISABLED ]'
check "no rule for the other prefix" '! s3c get-bucket-lifecycle-configuration --bucket pgal-test | grep -q "other/"'
done_testing
