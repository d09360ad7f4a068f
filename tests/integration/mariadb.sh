#!/bin/sh
# A throwaway MariaDB for the tests, in DIR, on a free loopback port, with a
# real account (user pgal, a random password; all rights on the databases
# named pgal_*, nothing else) so that authentication is exercised:
#   mariadb.sh start DIR     installs DIR/data on first use, starts mariadbd,
#                            prints the port; writes DIR/mariadb.env (the
#                            PGAL_MYSQL_* variables, to be sourced)
#   mariadb.sh kill DIR      SIGKILL, as a crash or a lost host would
#   mariadb.sh restart DIR   kill, then start again on the same port and data
#   mariadb.sh stop DIR      a clean shutdown
#   mariadb.sh sql DIR SQL   runs SQL as root (for test checks)
#   mariadb.sh ctl DIR ACTION  the same as "ACTION DIR": the shape the store
#                            contract's PGAL_TEST_PEER_CTL wants (it appends
#                            the action)
# A server that cannot start is a loud failure (exit 1 with its log), never
# a skip. With PEERS_OWNER set (a pid), the server goes when that process does.
# With MARIADB_CACHE set (a directory), the empty data directory is made
# once there and copied for each server.
# With MARIADB_TLS_DIR set (ca.pem, server.pem, server-key.pem in it), start
# serves TLS with that certificate and refuses connections without it.
# MARIADB_BIND: the address to listen on (127.0.0.1 by default).
set -u
here=$(cd "$(dirname "$0")" && pwd)
tests=$(dirname "$here")
. "$tests/lib/wait.sh"

die() {
	echo "mariadb.sh: $*" >&2
	exit 1
}

cmd=${1:-}
dir=${2:-}
if [ "$cmd" = ctl ]; then
	# the caller speaks TAP on stdout
	cmd=${3:-}
	exec > /dev/null
fi
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: mariadb.sh start|stop|kill|restart|sql DIR [SQL]"
command -v mariadbd > /dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] ||
    die "mariadbd is not installed (apt-get install mariadb-server; see tools/deps.sh)"
PATH=$PATH:/usr/sbin
sock=$dir/mariadb.sock

root_sql() {
	mariadb --no-defaults -uroot -S "$sock" --batch --skip-column-names -e "$1"
}

# running, not a zombie (whoever reaps it may take its time; its port and
# files are free already)
alive() {
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ]
}

# gone PID: exited (or a zombie)
gone() {
	! alive "$1"
}

# waits for the pid to exit (up to 10 s)
wait_gone() {
	wait_until 10 gone "$1" >&2
}

# answers_or_gone PID: the server answers as root, or has exited (no use
# waiting any longer)
answers_or_gone() {
	! alive "$1" || root_sql "SELECT 1"
}

# install_db DATADIR: the system tables of an empty server (small InnoDB
# files; this is most of the start-up time)
install_db() {
	# its bootstrap server too keeps temporary tables in this server's
	# own folder: a MariaDB starting beside it deletes every #sql* file in
	# its tmpdir, and in a shared /tmp that was the bootstrap's ("Unknown
	# table 'mysql.tmp_proxies_priv'", install failed)
	mkdir -p "$dir/tmp" || die "cannot make $dir/tmp"
	mariadb-install-db --no-defaults --user=root --datadir="$1" --tmpdir="$dir/tmp" \
	    --auth-root-authentication-method=normal --skip-test-db \
	    --skip-name-resolve --innodb-log-file-size=4M \
	    --innodb-buffer-pool-size=16M > "$dir/install.log" 2>&1 ||
	    { tail -n 30 "$dir/install.log" >&2; die "mariadb-install-db failed in $dir"; }
}

start() {
	mkdir -p "$dir" || die "cannot make $dir"
	fresh=0
	if [ ! -d "$dir/data/mysql" ]; then
		fresh=1
		if [ -n "${MARIADB_CACHE:-}" ]; then
			# a pristine data directory per server version, copied: a
			# copy takes 0.1 s where an install takes 1 to 2
			tpl="$MARIADB_CACHE/data-$(mariadbd --version | cksum | cut -d' ' -f1)"
			if [ ! -d "$tpl/mysql" ]; then
				mkdir -p "$MARIADB_CACHE" || die "cannot make $MARIADB_CACHE"
				new=$(mktemp -d "$MARIADB_CACHE/new.XXXXXX") || die "mktemp in $MARIADB_CACHE"
				install_db "$new/data"
				# another test may have made it meanwhile: theirs is as good
				mv -T "$new/data" "$tpl" 2>/dev/null
				rm -rf "$new"
			fi
			cp -a "$tpl" "$dir/data" || die "cannot copy $tpl"
		else
			install_db "$dir/data"
		fi
	fi
	if [ -f "$dir/mariadb.port" ]; then
		port=$(cat "$dir/mariadb.port")
	else
		# below the ephemeral range, this test job's own
		port=$(python3 "$tests/lib/free-port.py") || die "no free port for mariadbd"
		echo "$port" > "$dir/mariadb.port"
	fi
	rm -f "$sock"
	# temporary tables in a folder of this server's own: in a shared /tmp
	# one got removed under a running query ("Error on delete of
	# '/tmp/#sql-temptable-...MAI'") while other servers ran beside it
	mkdir -p "$dir/tmp" || die "cannot make $dir/tmp"
	tls=""
	if [ -n "${MARIADB_TLS_DIR:-}" ]; then
		tls="--ssl-ca=$MARIADB_TLS_DIR/ca.pem --ssl-cert=$MARIADB_TLS_DIR/server.pem"
		tls="$tls --ssl-key=$MARIADB_TLS_DIR/server-key.pem --require-secure-transport=ON"
	fi
	# shellcheck disable=SC2086 # $tls is several words on purpose
	setsid mariadbd --no-defaults --user=root --datadir="$dir/data" \
	    --socket="$sock" --port="$port" --bind-address="${MARIADB_BIND:-127.0.0.1}" \
	    --pid-file="$dir/mariadb.pidfile" --log-error="$dir/mariadb.log" \
	    --tmpdir="$dir/tmp" --skip-name-resolve --innodb-log-file-size=4M \
	    --innodb-buffer-pool-size=32M --innodb-flush-log-at-trx-commit=2 \
	    --max-connections=200 $tls > /dev/null 2>&1 < /dev/null &
	pid=$!
	echo "$pid" > "$dir/mariadb.pid"
	if [ -n "${PEERS_OWNER:-}" ]; then
		stop_with_owner "$PEERS_OWNER" "$pid" -KILL "$pid"
	fi
	if ! wait_until 20 answers_or_gone "$pid" >&2; then
		tail -n 30 "$dir/mariadb.log" >&2
		kill -KILL "$pid" 2>/dev/null
		die "mariadbd did not answer within 20 s on 127.0.0.1:$port (log above, $dir/mariadb.log)"
	fi
	if ! alive "$pid"; then
		tail -n 30 "$dir/mariadb.log" >&2
		die "mariadbd exited while starting (log above, $dir/mariadb.log)"
	fi
	if [ "$fresh" = 1 ]; then
		password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
		echo "$password" > "$dir/mariadb.password"
		root_sql "CREATE USER 'pgal'@'%' IDENTIFIED BY '$password';
		    CREATE USER 'pgal'@'localhost' IDENTIFIED BY '$password';
		    GRANT ALL PRIVILEGES ON \`pgal\\_%\`.* TO 'pgal'@'%';
		    GRANT ALL PRIVILEGES ON \`pgal\\_%\`.* TO 'pgal'@'localhost';
		    CREATE DATABASE pgal_test CHARACTER SET utf8mb4;" ||
		    die "cannot create the test account"
		cat > "$dir/mariadb.env" <<EOF
PGAL_MYSQL_HOST=127.0.0.1
PGAL_MYSQL_PORT=$port
PGAL_MYSQL_USER=pgal
PGAL_MYSQL_PASSWORD=$password
PGAL_MYSQL_DATABASE=pgal_test
export PGAL_MYSQL_HOST PGAL_MYSQL_PORT PGAL_MYSQL_USER PGAL_MYSQL_PASSWORD PGAL_MYSQL_DATABASE
EOF
	fi
	echo "$port"
}

kill_server() {
	[ -f "$dir/mariadb.pid" ] || return 0
	pid=$(cat "$dir/mariadb.pid")
	kill "-$1" "$pid" 2>/dev/null
	wait_gone "$pid" || { kill -KILL "$pid" 2>/dev/null; wait_gone "$pid"; }
	rm -f "$dir/mariadb.pid"
}

case $cmd in
start)
	start
	;;
kill)
	kill_server KILL
	;;
restart)
	kill_server KILL
	start > /dev/null
	;;
stop)
	kill_server TERM
	;;
sql)
	root_sql "${3:?mariadb.sh sql DIR SQL}"
	;;
*)
	die "unknown command '$cmd'"
	;;
esac
