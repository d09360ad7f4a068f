#!/bin/sh
# Creates pgal's two DynamoDB tables with the AWS CLI from the definitions
# pgal itself uses (sql/dynamodb/*.json), then waits until they are ACTIVE.
# `pgal init` does the same on its own; this is for accounts where the
# instance role may not create tables (drop PgalInitCreatesTables from
# contrib/iam-policy.json then).
#   usage: sh contrib/dynamodb/create-tables.sh [GALLERY_TABLE [USERS_TABLE]]
# Defaults: PhotoGallery and PhotoGalleryUsers (pgal.conf's dynamodb_table and
# dynamodb_users_table). Region and credentials as the AWS CLI finds them;
# AWS_ENDPOINT_URL_DYNAMODB, if set, is used as the endpoint.
set -eu
defs=$(cd "$(dirname "$0")/../../sql/dynamodb" && pwd)
gallery=${1:-PhotoGallery}
users=${2:-PhotoGalleryUsers}
# AWS CLI v1 reads AWS_DEFAULT_REGION only
if [ -n "${AWS_REGION:-}" ] && [ -z "${AWS_DEFAULT_REGION:-}" ]; then
	AWS_DEFAULT_REGION=$AWS_REGION
	export AWS_DEFAULT_REGION
fi
command -v aws > /dev/null 2>&1 || { echo "create-tables.sh: the AWS CLI (aws) is not installed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

aws_ddb() {
	if [ -n "${AWS_ENDPOINT_URL_DYNAMODB:-}" ]; then
		aws dynamodb --endpoint-url "$AWS_ENDPOINT_URL_DYNAMODB" "$@"
	else
		aws dynamodb "$@"
	fi
}

# create DEFINITION NAME
create() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
d["TableName"] = sys.argv[2]
json.dump(d, open(sys.argv[3], "w"))' "$1" "$2" "$tmp/$2.json"
	made=0
	if aws_ddb describe-table --table-name "$2" > /dev/null 2>&1; then
		echo "table $2 exists already (pgal init checks its keys and indexes)"
	else
		aws_ddb create-table --cli-input-json "file://$tmp/$2.json" > /dev/null
		echo "table $2 created"
		made=1
	fi
	aws_ddb wait table-exists --table-name "$2"
}

create "$defs/PhotoGalleryUsers.json" "$users"
create "$defs/PhotoGallery.json" "$gallery"
# a new gallery table holds no photo from before refs: its layout item says
# so (what pgal's own CreateTable does; an existing table is left to pgal
# init, which gives older photos their refs first)
if [ "$made" = 1 ]; then
	aws_ddb put-item --table-name "$gallery" --item \
	    '{"albumID": {"S": "#LAYOUT"}, "photoID": {"S": "#"}, "v": {"N": "2"}}' > /dev/null
fi
# the users table's marks (login throttles, mail limits, live codes) carry
# their end in `expires`: DynamoDB's TTL removes them once past
ttl=$(aws_ddb describe-time-to-live --table-name "$users" \
    --query TimeToLiveDescription.TimeToLiveStatus --output text 2>/dev/null || true)
if [ "$ttl" = ENABLED ] || [ "$ttl" = ENABLING ] ||
    aws_ddb update-time-to-live --table-name "$users" \
    --time-to-live-specification Enabled=true,AttributeName=expires > /dev/null 2>&1; then
	echo "table $users: expired marks are removed (TTL on expires)"
else
	echo "table $users: enable TTL on the attribute expires by hand" \
	    "(old marks are harmless but stay)"
fi
echo "ready: $gallery and $users"
