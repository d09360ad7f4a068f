/* MySQL store: connecting. utf8mb4, timeouts, no LOCAL INFILE, TLS
 * with a CA file (plaintext only to this host unless the operator says
 * so), strict mode and READ COMMITTED per session. A reconnect drops every
 * prepared statement: they are prepared again on use. */

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mysql.h>

#include "store/mysql/mysql-int.h"
#include "store/store.h"

static void
my_drop_statements(struct my *q)
{
	size_t i;

	for (i = 0; i < MS_COUNT; i++) {
		if (q->st[i] != NULL)
			mysql_stmt_close(q->st[i]);
		q->st[i] = NULL;
	}
	pgal_sql_reads_release(&my_read_ops, q, &q->reads);
}

void
my_disconnect(struct my *q)
{
	my_drop_statements(q);
	if (q->db != NULL)
		mysql_close(q->db);
	q->db = NULL;
	q->in_tx = 0;
}

/* Where we connect, for messages: never the password. */
static void
my_where(const struct my *q, char *buf, size_t len)
{
	const pgal_config *c = &q->cfg;

	if (c->mysql_host[0] != '\0')
		snprintf(buf, len, "%.64s@%.128s:%d", c->mysql_user, c->mysql_host,
		    c->mysql_port != 0 ? c->mysql_port : 3306);
	else
		snprintf(buf, len, "%.64s@%.200s", c->mysql_user,
		    c->mysql_socket[0] != '\0' ? c->mysql_socket : "localhost");
}

/* The server is on this host: a socket, or a name whose every address is a
 * loopback one. Only there may the password and the photos' metadata go
 * in plaintext without the operator saying so (mysql_tls = off). */
int
my_server_is_local(const pgal_config *c)
{
	struct addrinfo hints, *res, *ai;
	int local = 1;

	if (c->mysql_host[0] == '\0' || strcmp(c->mysql_host, "localhost") == 0)
		return 1;	/* libmariadb uses the socket for these */
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(c->mysql_host, NULL, &hints, &res) != 0)
		return 0;
	for (ai = res; ai != NULL && local; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			local = (ntohl(((struct sockaddr_in *)(void *)ai->ai_addr)->
			    sin_addr.s_addr) >> 24) == 127;
		else if (ai->ai_family == AF_INET6)
			local = IN6_IS_ADDR_LOOPBACK(
			    &((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr);
		else
			local = 0;
	}
	freeaddrinfo(res);
	return local;
}

/* Statements run once per connection: strict mode (a value that does not
 * fit is an error, not silently cut) and READ COMMITTED (fewer gap locks
 * between hosts writing to the same album). */
static const char *const session_sql[] = {
	"SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
	    "NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'",
	"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
};

int
my_connect(struct my *q, pgal_err *e)
{
	const pgal_config *c = &q->cfg;
	unsigned int timeout = 10, io_timeout = 60;
	my_bool yes = 1;
	unsigned int no = 0;
	char where[512];
	size_t i;
	int rc;

	my_disconnect(q);
	my_where(q, where, sizeof where);
	if (c->mysql_ssl_ca[0] == '\0' && c->mysql_tls && !my_server_is_local(c))
		return pgal_fail(e, PGAL_EBACKEND, "MySQL %s: not sending the "
		    "password in plaintext to another host: set mysql_ssl_ca to the "
		    "CA that signed the server's certificate (for RDS, Amazon's "
		    "global bundle), or mysql_tls = off to allow plaintext", where);
	if ((q->db = mysql_init(NULL)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "MySQL: out of memory");
	mysql_options(q->db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(q->db, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(q->db, MYSQL_OPT_READ_TIMEOUT, &io_timeout);
	mysql_options(q->db, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout);
	/* a hostile server must not make us read local files */
	mysql_options(q->db, MYSQL_OPT_LOCAL_INFILE, &no);
	if (c->mysql_ssl_ca[0] != '\0') {
		if (access(c->mysql_ssl_ca, R_OK) != 0) {
			int saved = errno;

			my_disconnect(q);
			return pgal_fail(e, PGAL_EBACKEND, "MySQL: mysql_ssl_ca %s: %s",
			    c->mysql_ssl_ca, strerror(saved));
		}
		mysql_options(q->db, MYSQL_OPT_SSL_CA, c->mysql_ssl_ca);
		mysql_options(q->db, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &yes);
		mysql_options(q->db, MYSQL_OPT_SSL_ENFORCE, &yes);
	}
	if (mysql_real_connect(q->db,
	    c->mysql_host[0] != '\0' ? c->mysql_host : NULL,
	    c->mysql_user[0] != '\0' ? c->mysql_user : NULL,
	    c->mysql_password,
	    c->mysql_database[0] != '\0' ? c->mysql_database : "pgal",
	    (unsigned int)c->mysql_port,
	    c->mysql_socket[0] != '\0' ? c->mysql_socket : NULL,
	    CLIENT_FOUND_ROWS) == NULL) {
		rc = pgal_fail(e, PGAL_EBACKEND, "MySQL %s: cannot connect: %s", where,
		    mysql_error(q->db));
		my_disconnect(q);
		return rc;
	}
	for (i = 0; i < sizeof session_sql / sizeof session_sql[0]; i++) {
		if (mysql_query(q->db, session_sql[i]) != 0) {
			rc = pgal_fail(e, PGAL_EBACKEND, "MySQL %s: %s", where,
			    mysql_error(q->db));
			my_disconnect(q);
			return rc;
		}
	}
	return PGAL_OK;
}
