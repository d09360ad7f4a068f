# Loopback peers (peers.sh) and the AWS environment that points at them, for
# the scripts that test against them. Source it after ../cli/lib.sh (or
# ../ssh/lib.sh), then call setup_home, peers_init and peer_start.
PEERS_SH="$(cd "$(dirname "$0")/../integration" && pwd)/peers.sh"

# peers_init [CLEANUP]: the peers directory $P below $T; the peers are ours
# (PEERS_OWNER: peers.sh stops them should this shell die) and stopped on
# exit, after the shell command CLEANUP if given.
peers_init() {
	P="$T/peers"
	export PEERS_OWNER=$$
	trap "${1:+$1; }"'sh "$PEERS_SH" stop "$P"' EXIT
}

# peer_start VAR LABEL KIND [ARGS...]: "peers.sh start KIND $P ARGS..."; the
# peer's port into VAR. A peer that does not start fails the run, naming
# LABEL.
peer_start() {
	pvar=$1 plabel=$2 pkind=$3
	shift 3
	pport=$(sh "$PEERS_SH" start "$pkind" "$P" "$@") ||
	    { echo "not ok 1 - $plabel did not start"; exit 1; }
	eval "$pvar=\$pport"
}

# aws_env KEY_ID SECRET [REGION]: credentials for the peers (us-east-1 by
# default); no session token, profile, global endpoint or instance metadata
# of the machine running the tests.
aws_env() {
	export AWS_ACCESS_KEY_ID="$1" AWS_SECRET_ACCESS_KEY="$2" AWS_REGION="${3:-us-east-1}"
	unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL
	export AWS_EC2_METADATA_DISABLED=true
	# dynalite and s3rver have no point-in-time recovery, deletion
	# protection, TTL or lifecycle calls: pgal init asks for none of them
	# here (test-init-aws-settings.sh turns them on through
	# aws-settings-proxy.py, which has them)
	export PGAL_DYNAMODB_PITR=no PGAL_DYNAMODB_DELETION_PROTECTION=no PGAL_DYNAMODB_TTL=no
	export PGAL_S3_ABORT_INCOMPLETE_UPLOADS=no
}
