/* `pgal init`'s report: pgal_open has already created what was missing
 * (SQL migrations, DynamoDB tables) and reached every backend; this says,
 * one line per backend, what is there, and checks what open does not
 * (folders writable). No secret is ever part of a line. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gallery-int.h"
#include "sanitize.h"
#include "store/migrations.h"

/* the newest migration compiled in: open has brought the schema to it */
static int
schema_version(const pgal_migration *m)
{
	int v = 0;

	for (; m->sql != NULL; m++)
		if (m->version > v)
			v = m->version;
	return v;
}

/* host[:port] of a URL, without any user:password@ */
static void
url_host(char *out, size_t size, const char *url)
{
	const char *p = strstr(url, "://"), *end, *at;

	p = p != NULL ? p + 3 : url;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	if (at != NULL)
		p = at + 1;
	pgal_sanitize_n(out, size, p, (size_t)(end - p), 0);
}

static int
writable_dir(const char *what, const char *dir, pgal_err *e)
{
	if (access(dir, W_OK | X_OK) != 0)
		return pgal_fail(e, PGAL_EBACKEND, "%s: %s is not writable", what, dir);
	return PGAL_OK;
}

static int
store_line(pgal *g, char *line, size_t size, pgal_err *e)
{
	const pgal_config *c = &g->cfg;
	const char *name = g->store->ops->name;
	char where[600];

	if (strcmp(name, "sqlite") == 0) {
		pgal_sanitize(where, sizeof where, c->sqlite_path, 0);
		snprintf(line, size, "store sqlite: ok (schema version %d, %s)",
			 schema_version(pgal_migrations_sqlite), where);
	} else if (strcmp(name, "mysql") == 0) {
		if (c->mysql_host[0] != '\0')
			snprintf(where, sizeof where, "%s:%d", c->mysql_host,
				 c->mysql_port != 0 ? c->mysql_port : 3306);
		else
			pgal_sanitize(where, sizeof where, c->mysql_socket[0] != '\0' ?
				      c->mysql_socket : "the local socket", 0);
		snprintf(line, size, "store mysql: ok (schema version %d, database '%s' on %s%s)",
			 schema_version(pgal_migrations_mysql),
			 c->mysql_database[0] != '\0' ? c->mysql_database : "pgal", where,
			 c->mysql_ssl_ca[0] != '\0' ? ", TLS verified" : "");
	} else if (strcmp(name, "dynamodb") == 0) {
		const char *added = pgal_store_dynamodb_added(g->store);

		snprintf(line, size, "store dynamodb: ok (tables '%s' and '%s' active%s%s%s)",
			 c->dynamodb_table, c->dynamodb_users_table,
			 added[0] != '\0' ? "; added missing global index " : "", added,
			 added[0] != '\0' ? ", now ACTIVE" : "");
	}
	else
		snprintf(line, size, "store %s: ok", name);
	return PGAL_OK;
}

static int
blobs_line(pgal *g, char *line, size_t size, pgal_err *e)
{
	const pgal_config *c = &g->cfg;
	const char *name = g->blobs->ops->name;
	int rc;

	if (strcmp(name, "fs") == 0) {
		if ((rc = writable_dir("blobs fs", c->blobs_dir, e)) != PGAL_OK)
			return rc;
		snprintf(line, size, "blobs fs: folder %s writable", c->blobs_dir);
	} else if (strcmp(name, "s3") == 0)
		/* s3's open made a HeadBucket: it answered */
		snprintf(line, size, "blobs s3: bucket '%s' reachable%s%s%s", c->s3_bucket,
			 c->s3_prefix[0] != '\0' ? " (prefix '" : "", c->s3_prefix,
			 c->s3_prefix[0] != '\0' ? "')" : "");
	else
		snprintf(line, size, "blobs %s: ok", name);
	return PGAL_OK;
}

static int
mail_line(pgal *g, char *line, size_t size, pgal_err *e)
{
	const pgal_config *c = &g->cfg;
	const char *name = g->mail->ops->name;
	char from[300], host[300];
	int rc;

	pgal_sanitize(from, sizeof from, c->mail_from, 0);
	if (strcmp(name, "outbox") == 0) {
		if ((rc = writable_dir("mail outbox", c->outbox_dir, e)) != PGAL_OK)
			return rc;
		snprintf(line, size, "mail outbox: folder %s writable (mail is kept, "
			 "not sent)", c->outbox_dir);
	} else if (strcmp(name, "smtp") == 0) {
		url_host(host, sizeof host, c->smtp_url);
		snprintf(line, size, "mail smtp: configured (server %s, from %s%s; "
			 "contacted when mail is sent)", host, from,
			 c->smtp_user[0] != '\0' ? ", with a login" : "");
	} else if (strcmp(name, "ses") == 0)
		snprintf(line, size, "mail ses: configured (from %s, region %s; the address "
			 "must be verified in SES)", from,
			 c->aws_region[0] != '\0' ? c->aws_region : "from the environment");
	else
		snprintf(line, size, "mail %s: configured (from %s)", name, from);
	return PGAL_OK;
}

int
pgal_backend_status(pgal *g, pgal_status_fn fn, void *arg, pgal_err *e)
{
	int (*const lines[])(pgal *, char *, size_t, pgal_err *) = {
		store_line, blobs_line, mail_line,
	};
	char line[1200], msg[sizeof e->msg];
	size_t i;
	int rc;

	/* what only init does: open must stay quick for every command */
	if ((rc = pgal_store_dynamodb_prepare(g->store, e)) != PGAL_OK) {
		memcpy(msg, e->msg, sizeof msg);
		return pgal_fail(e, rc, "store %s: %s", g->store->ops->name, msg);
	}
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		if ((rc = lines[i](g, line, sizeof line, e)) != PGAL_OK)
			return rc;
		fn(arg, line);
	}
	return PGAL_OK;
}
