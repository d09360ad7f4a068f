/* Metadata store on MySQL 8 / RDS / MariaDB: one connection per handle,
 * utf8mb4, TLS with a CA file, compiled-in migrations applied under a
 * server-wide lock, every data statement prepared once per connection and
 * bound. This file opens, describes and closes a handle; the rest lives
 * one concept a file:
 *   sql.c       the statements' text
 *   stmt.c      running them: parameters, result columns, errors
 *   connect.c   connecting (TLS, session settings) and reconnecting
 *   migrate.c   the schema migrations
 *   ops.c       the operations table, each call retried once on a fresh
 *               connection when the server dropped it (restart,
 *               failover, idle timeout), unless it had already changed
 *               something inside a transaction: that is reported, never
 *               replayed blindly
 *   accounts.c, albums.c, photos.c, marks.c, uploads.c, prefs.c
 *               the operations' bodies */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include "sanitize.h"
#include "store/migrations.h"
#include "store/mysql/mysql-int.h"
#include "store/store.h"

void
my_close(pgal_store *s)
{
	struct my *q = my_of(s);

	if (q == NULL)
		return;
	my_disconnect(q);
	pgal_sql_reads_free(&my_read_ops, q, &q->reads);
	/* the copy holds the password (and any other secret of the config) */
	explicit_bzero(&q->cfg, sizeof q->cfg);
	free(q);
}

int
my_open(pgal_store **out, const pgal_config *cfg, pgal_store_mode mode, pgal_err *e)
{
	struct my *q;
	int rc;

	*out = NULL;
	if ((q = calloc(1, sizeof *q)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	q->base.ops = &pgal_store_mysql;
	q->cfg = *cfg;
	if ((rc = my_connect(q, e)) != PGAL_OK || (rc = my_migrate(q, mode, e)) != PGAL_OK) {
		my_close(&q->base);
		return rc;
	}
	*out = &q->base;
	return PGAL_OK;
}

/* open has migrated the schema; "TLS verified" only with a CA to check
 * the server against */
void
my_describe(pgal_store *s, const pgal_config *cfg, char *out, size_t size)
{
	char where[600];

	if (cfg->mysql_host[0] != '\0')
		snprintf(where, sizeof where, "%s:%d", cfg->mysql_host,
		    cfg->mysql_port != 0 ? cfg->mysql_port : 3306);
	else
		pgal_sanitize(where, sizeof where, cfg->mysql_socket[0] != '\0' ?
		    cfg->mysql_socket : "the local socket", 0);
	snprintf(out, size, "ok (schema version %d, database '%s' on %s%s)",
	    pgal_migrations_newest(pgal_migrations_mysql),
	    cfg->mysql_database[0] != '\0' ? cfg->mysql_database : "pgal", where,
	    cfg->mysql_ssl_ca[0] != '\0' ? ", TLS verified" :
	    my_server_is_local(cfg) ? "" : ", PLAINTEXT over the network (mysql_tls = off)");
}
