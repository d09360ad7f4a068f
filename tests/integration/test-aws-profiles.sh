#!/bin/sh
# Where pgal finds AWS credentials and its region, as an operator sets them
# up: `pgal init` with blobs = s3 against s3rver works with a role profile
# (STS AssumeRole at fake-sts.py, which checks each call is signed with the
# source profile's key), with credential_process, with the container
# credentials endpoint and with the instance role and region (fake-imds.py);
# the region a link is signed for comes from the profile. Each is checked
# against Debian's AWS CLI v2 on the same files: the same region, the same
# AssumeRole call, the same words handed to the credential helper.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_home
peers_init
peer_start S3 s3rver s3rver
peer_start STS "the fake STS" sts
peer_start IMDS "the fake instance metadata service" imds
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE \
    AWS_REGION AWS_DEFAULT_REGION AWS_ENDPOINT_URL AWS_EC2_METADATA_SERVICE_ENDPOINT \
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_CREDENTIALS_FULL_URI \
    AWS_CONTAINER_AUTHORIZATION_TOKEN AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
export AWS_EC2_METADATA_DISABLED=true
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$S3" AWS_ENDPOINT_URL_STS="http://127.0.0.1:$STS"
export PGAL_BLOBS=s3 PGAL_S3_BUCKET=pgal-test PGAL_S3_PREFIX=profiles/ PGAL_S3_PATH_STYLE=yes
# s3rver has no lifecycle calls (test-init-aws-settings.sh covers them)
export PGAL_S3_ABORT_INCOMPLETE_UPLOADS=no
A="$T/aws"
mkdir -p "$A/data/sts/2011-06-15"
export AWS_CONFIG_FILE="$A/config" AWS_SHARED_CREDENTIALS_FILE="$A/credentials"
NIKON="$FIX/nikon-d2h-gps.jpg"
PHOTO=trip/nikon-d2h-gps.jpg

# Debian's AWS CLI (2.9) reads no AWS_ENDPOINT_URL_STS: an endpoint rule
# set of our own in AWS_DATA_PATH sends its STS calls to the fake
printf '{"version": "1.0", "parameters": {"Region": {"builtIn": "AWS::Region", "required": false, "documentation": "r", "type": "String"}}, "rules": [{"conditions": [], "endpoint": {"url": "http://127.0.0.1:%s", "properties": {}, "headers": {}}, "type": "endpoint"}]}\n' \
    "$STS" > "$A/data/sts/2011-06-15/endpoint-rule-set-1.json"
awscli() {
	AWS_DATA_PATH="$A/data" HOME="$A" /usr/bin/aws "$@"
}
[ -x /usr/bin/aws ] || { echo "not ok 1 - Debian's AWS CLI (/usr/bin/aws) is not installed (tools/deps.sh)"; exit 1; }
stspost() {
	curl -s -f -X POST "http://127.0.0.1:$STS$1" > /dev/null
}
# the fields of fake-sts's AssumeRole calls, one line each, oldest first
assume_calls() {
	curl -s "http://127.0.0.1:$STS/__sts/stats" | python3 -c 'import json, sys
for c in json.load(sys.stdin)["calls"]:
    if c["Action"] == "AssumeRole":
        print(" ".join("%s=%s" % (k, c.get(k, "-")) for k in ("KeyId", "Region", "RoleArn", "RoleSessionName", "ExternalId", "DurationSeconds")))'
}
# the value of query parameter NAME in URL
qparam() {
	python3 -c 'import sys, urllib.parse
q = urllib.parse.parse_qs(urllib.parse.urlsplit(sys.argv[1]).query)
print(q.get(sys.argv[2], [""])[0])' "$1" "$2"
}
# the region the link of the last `pgal share` is signed for
link_region() {
	qparam "$(head -n 1 "$T/out")" X-Amz-Credential | cut -d/ -f3
}

# s3rver checks only the access key id: every source hands out S3RVER
stspost "/__sts/keyid?id=S3RVER"
curl -s -f -X POST "http://127.0.0.1:$IMDS/__imds/keyid?id=S3RVER" > /dev/null
stspost "/__sts/source?id=AKIDSOURCE&secret=source-secret-Zr8"
cat > "$A/helper" <<'SH'
#!/bin/sh
# a credential helper: records the words it was given, prints credentials
printf '%s|' "$@" >> "$0.args"; echo >> "$0.args"
case ${1:-} in
fail) echo 'helper diagnostics' >&2; exit 3 ;;
esac
printf '{"Version": 1, "AccessKeyId": "S3RVER", "SecretAccessKey": "proc-secret-Qw4", "Expiration": "2099-01-01T00:00:00Z"}\n'
SH
chmod 700 "$A/helper"
cat > "$A/config" <<EOF2
[default]
region = eu-west-3

[profile app]
role_arn = arn:aws:iam::123456789012:role/pgal-app
source_profile = base
role_session_name = pgal-ops
external_id = ext id&7
duration_seconds = 1800
region = eu-west-2

[profile proc]
credential_process = "$A/helper" 'two words' \$HOME a\\ b
region = us-west-1

[profile procfail]
credential_process = $A/helper fail
region = us-west-1

[profile west]
region = us-west-2

[east]
region = us-east-2
EOF2
cat > "$A/credentials" <<'EOF2'
[base]
aws_access_key_id = AKIDSOURCE
aws_secret_access_key = source-secret-Zr8

[credonly]
region = ap-south-1
EOF2

# ---- a role profile: AssumeRole with the source profile's key ----
ok "init with AWS_PROFILE=app (role_arn, source_profile)" env AWS_PROFILE=app "$PGAL" init
check "blobs s3 is ok" 'grep -q "^blobs s3: " "$T/out"'
# the role's credentials for what follows, but where another source is tried
export AWS_PROFILE=app
login_user alice alice-password-1 || echo "# login_user failed"
ok "mkalbum" "$PGAL" mkalbum trip
ok "put with the role's credentials" env AWS_PROFILE=app "$PGAL" put trip "$NIKON"
ok "share with them" env AWS_PROFILE=app "$PGAL" share "$PHOTO"
URL=$(head -n 1 "$T/out")
check "the link is signed with the role's session, in the profile's region" \
	'case $(qparam "$URL" X-Amz-Security-Token) in sts-token-*) true ;; *) false ;; esac && [ "$(link_region)" = eu-west-2 ]'
PGALCALL=$(assume_calls | tail -n 1)
check "AssumeRole was signed by the source profile's key, with the profile's session name, external id and duration" \
	'[ "$PGALCALL" = "KeyId=AKIDSOURCE Region=eu-west-2 RoleArn=arn:aws:iam::123456789012:role/pgal-app RoleSessionName=pgal-ops ExternalId=ext id&7 DurationSeconds=1800" ]'
ok "the AWS CLI assumes the same role on the same files" awscli sts get-caller-identity --profile app
check "its AssumeRole call is the same as pgal's" '[ "$(assume_calls | tail -n 1)" = "$PGALCALL" ]'
check "and it got the role's session" 'grep -q "assumed-role/pgal-app/pgal-ops" "$T/out"'

# ---- credential_process: the words as botocore splits them, no shell ----
: > "$A/helper.args"
ok "init with AWS_PROFILE=proc (credential_process)" env AWS_PROFILE=proc "$PGAL" init
ok "share with its credentials" env AWS_PROFILE=proc "$PGAL" share "$PHOTO"
check "signed with the helper's key, no session token, the profile's region" \
	'[ "$(qparam "$(head -n 1 "$T/out")" X-Amz-Security-Token)" = "" ] && [ "$(link_region)" = us-west-1 ]'
stspost "/__sts/source?id=S3RVER&secret=proc-secret-Qw4"
PGALARGS=$(head -n 1 "$A/helper.args")
: > "$A/helper.args"
ok "the AWS CLI runs the same helper" awscli sts get-caller-identity --profile proc
check "handing it the same words (quotes kept together, \$HOME as written)" \
	'[ "$(head -n 1 "$A/helper.args")" = "$PGALARGS" ] && [ "$PGALARGS" = "two words|\$HOME|a b|" ]'
expect_rc 4 "a failing helper fails init" env AWS_PROFILE=procfail "$PGAL" init
check "saying which profile's helper and how it ended, nothing it printed" \
	'grep -q "credential_process of profile .procfail.: exited with status 3" "$T/err" && ! grep -q "helper diagnostics" "$T/out"'

# ---- region: the profile's, as the AWS CLI reads it ----
# [profile west] of the config file, [credonly] of the credentials file
for p in west credonly; do
	ok "share with AWS_PROFILE=$p (keys from the environment)" env AWS_PROFILE=$p \
	    AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=x "$PGAL" share "$PHOTO"
	R=$(link_region)
	check "signed for the region 'aws configure get region --profile $p' says" \
		'[ -n "$R" ] && [ "$R" = "$(awscli configure get region --profile $p)" ]'
done
env AWS_PROFILE=east AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=x "$PGAL" share "$PHOTO" > "$T/out" 2> "$T/err"
check "[east] is no profile of the config file: no region" 'grep -q "no AWS region" "$T/err"'
check "the AWS CLI does not find it either" '! awscli configure get region --profile east > /dev/null 2>&1'

# ---- the container credentials endpoint ----
stspost "/__ecs/token?t=ecs-auth-Ty6"
cont() (
	unset AWS_PROFILE
	export AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:$STS/ecs/creds" \
	    AWS_CONTAINER_AUTHORIZATION_TOKEN=ecs-auth-Ty6 AWS_REGION=us-east-1
	"$@"
)
ok "init with the container's credentials" cont "$PGAL" init
ok "share with them" cont "$PGAL" share "$PHOTO"
check "signed with the container's session" 'case $(qparam "$(head -n 1 "$T/out")" X-Amz-Security-Token) in ecs-token-*) true ;; *) false ;; esac'
ok "the AWS CLI takes its credentials from there too" cont awscli sts get-caller-identity
check "as S3RVER" 'grep -q "\"UserId\": \"S3RVER\"" "$T/out"'
expect_rc 4 "plain http to another host is refused" env -u AWS_PROFILE \
    AWS_CONTAINER_CREDENTIALS_FULL_URI="http://192.0.2.1/creds" AWS_REGION=us-east-1 "$PGAL" init
check "saying where it may go" 'grep -q "http only to this host" "$T/err"'

# ---- on EC2: the instance role and the instance's region ----
curl -s -f -X POST "http://127.0.0.1:$IMDS/__imds/region?r=ap-northeast-3" > /dev/null
ec2() (
	unset AWS_PROFILE
	export AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
	    AWS_EC2_METADATA_DISABLED=false \
	    AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:$IMDS/"
	"$@"
)
ok "init with nothing but the instance" ec2 "$PGAL" init
ok "share" ec2 "$PGAL" share "$PHOTO"
check "signed with the instance role, for the instance's region" \
	'case $(qparam "$(head -n 1 "$T/out")" X-Amz-Security-Token) in imds-token-*) true ;; *) false ;; esac && [ "$(link_region)" = ap-northeast-3 ]'
check "no secret reached any output" '! grep -rq -e source-secret-Zr8 -e proc-secret-Qw4 -e "secret-[0-9]" "$T/out" "$T/err"'
done_testing
