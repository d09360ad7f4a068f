#!/bin/sh
# Test peers on loopback, each in a throwaway directory, on a free port:
#   peers.sh start s3rver DIR            s3rver (data in DIR/s3), bucket "pgal-test"
#   peers.sh start dynalite DIR          dynalite (in memory)
#   peers.sh start ses DIR [NAME]        aws-ses-v2-local (GetAccount: AWS_SES_ACCOUNT)
#   peers.sh start proxy DIR NAME PORT   fault-proxy.py in front of 127.0.0.1:PORT
#   peers.sh start settings DIR NAME PORT  aws-settings-proxy.py (PITR, TTL,
#                                        deletion protection, bucket lifecycle)
#   peers.sh start verify DIR NAME PORT  s3-verify-proxy.py (checks payload hashes
#                                        as S3 does) in front of s3rver on PORT
#   peers.sh start dynalite-gsi DIR      dynalite that can also add a global index
#                                        to a table (dynalite-gsi.js)
#   peers.sh start s3keys DIR PORT       s3-keys-proxy.py (listings as S3 writes
#                                        them, keys s3rver cannot hold) in front
#                                        of s3rver on PORT
#   peers.sh start imds DIR              fake-imds.py (EC2 instance metadata)
#   peers.sh start sts DIR               fake-sts.py (STS AssumeRole and the
#                                        container credentials endpoint)
#   peers.sh start smtp DIR NAME CERT KEY USER PASSWORD [notls]
#                                        fake-smtp.py (STARTTLS, AUTH); mail in DIR/NAME.mail
#   peers.sh stop DIR                    stops every peer started in DIR
# "start" prints the port and records DIR/<name>.pid and DIR/<name>.port. A
# peer that does not answer within 20 s is a loud failure (exit 1, with its
# log), never a skip. Used by tests/integration/test-*.sh and the C tests.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tests=$(dirname "$here")
. "$tests/lib/wait.sh"

die() {
	echo "peers.sh: $*" >&2
	exit 1
}

# answers_http PORT: something answers HTTP on the port
answers_http() {
	curl -s -o /dev/null -m 2 "http://127.0.0.1:$1/"
}

# answers_tcp PORT: the port accepts a connection (non-HTTP peers)
answers_tcp() {
	python3 -c 'import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$1"
}

# up_or_gone PROBE PORT PID: the peer answers PROBE, or has exited (no use
# waiting any longer)
up_or_gone() {
	! kill -0 "$3" 2>/dev/null || "$1" "$2"
}

# wait_peer NAME PORT PID: until the peer answers its probe ($probe); a peer
# that exits first or does not answer within 20 s is a loud failure, with
# its log
wait_peer() {
	if ! wait_until 20 up_or_gone "$probe" "$2" "$3" >&2; then
		echo "peers.sh: $1 did not answer on 127.0.0.1:$2 within 20 s; its log:" >&2
		tail -n 30 "$dir/$1.log" >&2
		kill "$3" 2>/dev/null
		exit 1
	fi
	if ! kill -0 "$3" 2>/dev/null; then
		echo "peers.sh: $1 exited while starting; its log:" >&2
		tail -n 30 "$dir/$1.log" >&2
		exit 1
	fi
}

# free_port: sets port to a free one below the ephemeral range, this test
# job's own (tests/lib/free-port.py)
free_port() {
	port=$(python3 "$tests/lib/free-port.py") || die "no free port for a peer"
}

# launch NAME PORT COMMAND...: in the background, in its own process group
launch() {
	name=$1; port=$2; shift 2
	setsid "$@" > "$dir/$name.log" 2>&1 < /dev/null &
	pid=$!
	echo "$pid" > "$dir/$name.pid"
	# a safety net: when the test that owns the peer dies without
	# stopping it (a crash, kill -9), the peer goes too
	if [ -n "${PEERS_OWNER:-}" ]; then
		stop_with_owner "$PEERS_OWNER" "$pid" -TERM "-$pid"
	fi
	echo "$port" > "$dir/$name.port"
	wait_peer "$name" "$port" "$pid"
	echo "$port"
}

cmd=${1:-}
[ $# -ge 2 ] || die "usage: peers.sh start KIND DIR [...] | stop DIR"
case $cmd in
start)
	kind=$2
	dir=${3:?peers.sh: start needs a directory}
	mkdir -p "$dir" || die "cannot make $dir"
	case $2 in s3rver|dynalite|dynalite-gsi|ses)
		command -v node > /dev/null 2>&1 ||
		    die "node is not installed (apt-get install nodejs npm)"
		sh "$here/npm-deps.sh" ||
		    die "npm packages of tests/ are missing and npm ci failed"
		;;
	esac
	bin=$tests/node_modules/.bin
	probe=answers_http
	case $kind in
	s3rver)
		free_port
		mkdir -p "$dir/s3"
		# s3rver makes ListObjectsV2 continuation tokens with DES, which
		# OpenSSL 3 keeps in its legacy provider
		launch s3rver "$port" env NODE_OPTIONS=--openssl-legacy-provider \
		    "$bin/s3rver" -d "$dir/s3" -a 127.0.0.1 \
		    -p "$port" --service-endpoint localhost \
		    --configure-bucket pgal-test
		;;
	dynalite)
		free_port
		launch dynalite "$port" "$bin/dynalite" --port "$port" --host 127.0.0.1 \
		    --createTableMs 0 --deleteTableMs 0 --updateTableMs 0
		;;
	dynalite-gsi)
		free_port
		launch dynalite-gsi "$port" node "$here/dynalite-gsi.js" "$port"
		;;
	ses)
		# GetAccount answers what AWS_SES_ACCOUNT says: by default a new
		# account, sending enabled, still in the sandbox
		[ -n "${AWS_SES_ACCOUNT:-}" ] ||
		    AWS_SES_ACCOUNT='{"DedicatedIpAutoWarmupEnabled":false,"Details":{"AdditionalContactEmailAddresses":[],"ContactLanguage":"EN","MailType":"TRANSACTIONAL","ReviewDetails":{"CaseId":"","Status":"PENDING"},"UseCaseDescription":"","WebsiteURL":""},"EnforcementStatus":"HEALTHY","ProductionAccessEnabled":false,"SendingEnabled":true,"SendQuota":{"Max24HourSend":200,"MaxSendRate":1,"SentLast24Hours":0},"SuppressionAttributes":{"SuppressedReasons":[]}}'
		export AWS_SES_ACCOUNT
		free_port
		launch "${4:-ses}" "$port" "$bin/aws-ses-v2-local" --port "$port" --host 127.0.0.1
		;;
	proxy|verify|settings)
		name=${4:?peers.sh: start $kind DIR NAME TARGET_PORT}
		target=${5:?peers.sh: start $kind DIR NAME TARGET_PORT}
		case $kind in
		proxy) script=fault-proxy.py ;;
		verify) script=s3-verify-proxy.py ;;
		*) script=aws-settings-proxy.py ;;
		esac
		free_port
		launch "$name" "$port" python3 "$here/$script" "$port" \
		    "$target" "$dir/$name.ready"
		;;
	s3keys)
		target=${4:?peers.sh: start s3keys DIR TARGET_PORT}
		free_port
		launch s3keys "$port" python3 "$here/s3-keys-proxy.py" "$port" \
		    "$target" "$dir/s3keys.ready"
		;;
	smtp)
		# start smtp DIR NAME CERT KEY USER PASSWORD [notls]
		name=${4:?peers.sh: start smtp DIR NAME CERT KEY USER PASSWORD [notls]}
		free_port
		probe=answers_tcp
		launch "$name" "$port" python3 "$here/fake-smtp.py" "$port" \
		    "$dir/$name.mail" "$5" "$6" "$7" "$8" ${9:-}
		;;
	imds)
		free_port
		launch imds "$port" python3 "$here/fake-imds.py" "$port"
		;;
	sts)
		free_port
		launch sts "$port" python3 "$here/fake-sts.py" "$port"
		;;
	*)
		die "unknown peer '$kind'"
		;;
	esac
	;;
stop)
	dir=$2
	for f in "$dir"/*.pid; do
		[ -f "$f" ] || continue
		pid=$(cat "$f")
		# each peer leads its own process group (setsid)
		kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
		rm -f "$f"
	done
	;;
*)
	die "usage: peers.sh start KIND DIR [...] | stop DIR"
	;;
esac
