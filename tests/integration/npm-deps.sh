#!/bin/sh
# Installs the pinned npm packages of tests/ (s3rver, dynalite,
# aws-ses-v2-local, the SigV4 oracle and test suite) with `npm ci` when
# tests/node_modules is missing or was made from another package-lock.json.
# Safe to call from several tests at once. Fails loudly.
set -eu
cd "$(dirname "$0")/.."
stamp=node_modules/.pgal-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && exit 0
command -v npm > /dev/null 2>&1 || {
	echo "npm-deps: npm is not installed (apt-get install npm)" >&2
	exit 1
}
(
	flock 9
	# someone else may have finished while we waited
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
		exit 0
	fi
	echo "npm-deps: npm ci in $(pwd)" >&2
	if ! npm ci --no-audit --no-fund --loglevel=error >&2; then
		echo "npm-deps: npm ci failed in $(pwd)" >&2
		exit 1
	fi
	echo "$want" > "$stamp"
) 9< package-lock.json
