/* Metadata store on MySQL 8 / RDS / MariaDB: one connection per handle,
 * utf8mb4, TLS with a CA file, compiled-in migrations applied under a
 * server-wide lock, every data statement prepared once per connection and
 * bound. The operations live in accounts.c and photos.c, the statement
 * layer in stmt.c; this file holds the statements' text, connects,
 * migrates, and wraps each operation so that a connection the server
 * dropped (restart, failover, idle timeout) is reopened and the call run
 * again once, unless it had already changed something inside a
 * transaction: that is reported, never replayed blindly. */

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <mysql.h>

#include "sanitize.h"
#include "store/migrations.h"
#include "store/mysql/mysql-int.h"
#include "store/store.h"

const char *const my_sql[MS_COUNT] = {
	[MS_USER_INSERT] = "INSERT INTO users (name, email, pwhash, confirmed, "
	    "created_at, code_hash, code_expires_at, code_tries, failed_logins, "
	    "locked_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[MS_USER_BY_NAME] = "SELECT " PGAL_SQL_USER_COLS " FROM users WHERE name = ?",
	[MS_USER_BY_ID] = "SELECT " PGAL_SQL_USER_COLS " FROM users WHERE id = ?",
	[MS_USER_UPDATE] = "UPDATE users SET email = ?, pwhash = ?, confirmed = ?, "
	    "code_hash = ?, code_expires_at = ?, code_tries = ?, "
	    "failed_logins = ?, locked_until = ? WHERE id = ?",
	/* the foreign keys cascade to sessions, albums, photos, tags, keys */
	[MS_USER_DELETE] = "DELETE FROM users WHERE id = ?",

	[MS_SESSION_INSERT] = "INSERT INTO sessions (token_hash, user_id, "
	    "created_at, last_seen) VALUES (?, ?, ?, ?)",
	[MS_SESSION_GET] = "SELECT token_hash, user_id, created_at, last_seen "
	    "FROM sessions WHERE token_hash = ?",
	[MS_SESSION_TOUCH] = "UPDATE sessions SET last_seen = ? WHERE token_hash = ?",
	[MS_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?",
	[MS_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id = ?",
	[MS_SESSION_DELETE_USER_KEEP] = "DELETE FROM sessions WHERE user_id = ? "
	    "AND token_hash <> ?",

	[MS_ALBUM_INSERT] = "INSERT INTO albums (user_id, name, title, "
	    "description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
	[MS_ALBUM_GET] = "SELECT " PGAL_SQL_ALBUM_COLS " FROM albums "
	    "WHERE user_id = ? AND name = ?",
	[MS_ALBUM_LIST] = "SELECT " PGAL_SQL_ALBUM_COLS " FROM albums "
	    "WHERE user_id = ? ORDER BY name",
	[MS_ALBUM_UPDATE] = "UPDATE albums SET name = ?, title = ?, "
	    "description = ?, updated_at = ? WHERE id = ?",
	/* photos, tags cascade */
	[MS_ALBUM_DELETE] = "DELETE FROM albums WHERE id = ?",
	[MS_ALBUM_TOUCH] = "UPDATE albums SET updated_at = ? WHERE id = ?",
	[MS_ALBUM_ADD] = "UPDATE albums SET photo_count = photo_count + ?, "
	    "bytes = bytes + ?, updated_at = ? WHERE id = ?",

	[MS_PHOTO_INSERT] = "INSERT INTO photos (album_id, user_id, name, "
	    "title, description, tags, mime, width, height, bytes, sha256, "
	    "blob_id, added_at, sort_taken, exif_make, exif_model, exif_lens, "
	    "exif_exposure_time, exif_f_number, exif_iso, exif_focal_length, "
	    "exif_orientation, exif_taken_at, gps_present, gps_lat, gps_lon, "
	    "gps_alt, md5, sha1, mtime) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[MS_PHOTO_GET] = "SELECT " PGAL_SQL_PHOTO_COLS MY_PHOTO_FROM
	    "WHERE p.album_id = ? AND p.name = ?",
	[MS_PHOTO_LOCK] = "SELECT album_id, bytes FROM photos WHERE id = ? FOR UPDATE",
	[MS_PHOTO_UPDATE] = "UPDATE photos SET name = ?, album_id = ?, "
	    "title = ?, description = ?, tags = ?, mtime = ? WHERE id = ?",
	[MS_PHOTO_DELETE] = "DELETE FROM photos WHERE id = ?",
	[MS_PHOTO_SET_DIGESTS] = "UPDATE photos SET md5 = ?, sha1 = ? WHERE id = ?",
	[MS_PHOTO_SHA] = "SELECT " PGAL_SQL_PHOTO_COLS MY_PHOTO_FROM
	    "WHERE p.user_id = ? AND p.sha256 = ? ORDER BY p.id LIMIT 1",

	[MS_TAGS_CLEAR] = "DELETE FROM photo_tags WHERE photo_id = ?",
	/* not INSERT IGNORE: that would also swallow real errors */
	[MS_TAG_INSERT] = "INSERT INTO photo_tags (photo_id, tag) VALUES (?, ?) "
	    "ON DUPLICATE KEY UPDATE tag = tag",

	[MS_BLOBS_USER] = "SELECT blob_id FROM photos WHERE user_id = ?",
	[MS_BLOBS_ALBUM] = "SELECT blob_id FROM photos WHERE album_id = ?",
	[MS_BLOB_USED] = "SELECT 1 FROM photos WHERE blob_id = ? LIMIT 1",

	[MS_KEY_INSERT] = "INSERT INTO ssh_keys (user_id, algo, key_base64, "
	    "comment, fingerprint, created_at) VALUES (?, ?, ?, ?, ?, ?)",
	[MS_KEY_LIST] = "SELECT " PGAL_SQL_KEY_COLS " FROM ssh_keys WHERE user_id = ? "
	    "ORDER BY created_at, id",
	[MS_KEY_FIND] = "SELECT " PGAL_SQL_KEY_COLS " FROM ssh_keys "
	    "WHERE user_id = ? AND fingerprint = ?",
	[MS_KEY_DELETE] = "DELETE FROM ssh_keys WHERE user_id = ? AND fingerprint = ?",

	[MS_USERS_UNCONFIRMED] = "SELECT id FROM users WHERE confirmed = 0 "
	    "AND created_at < ? ORDER BY id",
	[MS_MARK_GET] = "SELECT until_at FROM marks WHERE name = ? AND until_at > ?",
	/* the row stays locked until the transaction's MS_MARK_READ */
	[MS_MARK_ADD] = "INSERT INTO marks (name, until_at) VALUES (?, ? + ?) "
	    "ON DUPLICATE KEY UPDATE until_at = GREATEST(until_at, ?) + ?",
	[MS_MARK_READ] = "SELECT until_at FROM marks WHERE name = ?",
	[MS_MARK_INSERT] = "INSERT IGNORE INTO marks (name, until_at) VALUES (?, ?)",
	[MS_MARK_TAKE] = "UPDATE marks SET until_at = ? WHERE name = ? AND until_at <= ?",
	[MS_MARK_DELETE] = "DELETE FROM marks WHERE name = ?",
	[MS_MARK_PRUNE] = "DELETE FROM marks WHERE until_at <= ?",
	[MS_UPLOAD_PUT] = "INSERT INTO uploads (user_id, album, name, holder, bytes, queued_at, "
	    "mtime, sha256, until_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
	    "ON DUPLICATE KEY UPDATE bytes = VALUES(bytes), queued_at = VALUES(queued_at), "
	    "mtime = VALUES(mtime), sha256 = VALUES(sha256), until_at = VALUES(until_at)",
	[MS_UPLOAD_TOUCH] = "UPDATE uploads SET until_at = ? WHERE user_id = ? AND holder = ?",
	[MS_UPLOAD_DELETE] = "DELETE FROM uploads WHERE user_id = ? AND "
	    "((album = ? AND name = ? AND holder = ?) OR until_at <= ?)",
	[MS_UPLOAD_LIST] = "SELECT " PGAL_SQL_UPLOAD_COLS " FROM uploads WHERE user_id = ? "
	    "AND (? IS NULL OR album = ?) AND until_at > ? ORDER BY album, name, holder",
	[MS_PREF_LIST] = "SELECT name, value FROM user_prefs WHERE user_id = ? ORDER BY name",
	[MS_PREF_SET] = "INSERT INTO user_prefs (user_id, name, value) VALUES (?, ?, ?) "
	    "ON DUPLICATE KEY UPDATE value = VALUES(value)",
};

/* ---- connecting ---- */

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

static void
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
static int
server_is_local(const pgal_config *c)
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
	if (c->mysql_ssl_ca[0] == '\0' && c->mysql_tls && !server_is_local(c))
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

/* ---- migrations ---- */

/* A constant query returning one integer (NULL: -1). */
static int
my_scalar(struct my *q, const char *sql, long long *v, pgal_err *e)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	if (mysql_query(q->db, sql) != 0)
		return my_fail_db(q, e);
	if ((res = mysql_store_result(q->db)) == NULL)
		return my_fail_db(q, e);
	row = mysql_fetch_row(res);
	*v = row != NULL && row[0] != NULL ? strtoll(row[0], NULL, 10) : -1;
	mysql_free_result(res);
	return PGAL_OK;
}

/* 1 if text holds only blanks and "--" comment lines. */
static int
sql_is_blank(const char *p, const char *end)
{
	while (p < end) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
		} else if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
			while (p < end && *p != '\n')
				p++;
		} else
			return 0;
	}
	return 1;
}

/* Runs a migration file statement by statement: each ends with ';' at the
 * end of a line (sql/mysql/ is written that way). */
static int
my_run_file(struct my *q, const pgal_migration *m, pgal_err *e)
{
	const char *p = m->sql, *end, *stop;

	while (*p != '\0') {
		end = p;
		for (;;) {
			stop = strchr(end, '\n');
			if (stop == NULL) {
				stop = end + strlen(end);
				break;
			}
			if (stop > p && stop[-1] == ';')
				break;
			end = stop + 1;
		}
		if (!sql_is_blank(p, stop) &&
		    mysql_real_query(q->db, p, (unsigned long)(stop - p)) != 0)
			return pgal_fail(e, PGAL_EBACKEND, "MySQL migration %s: %s",
			    m->file, mysql_error(q->db));
		p = *stop != '\0' ? stop + 1 : stop;
	}
	return PGAL_OK;
}

static int
my_record(struct my *q, const pgal_migration *m, pgal_err *e)
{
	static const char sql[] = "INSERT INTO schema_migrations "
	    "(version, file, applied_at) VALUES (?, ?, ?)";
	MYSQL_STMT *st;
	struct my_args a;
	int rc;

	if ((st = my_prepare(q, sql, e)) == NULL)
		return e->code;
	my_args_init(&a);
	arg_i64(&a, m->version);
	arg_text(&a, m->file, 255);
	arg_i64(&a, (int64_t)time(NULL));
	rc = my_exec_st(q, st, &a, e, NULL, NULL);
	mysql_stmt_close(st);
	return rc;
}

/* Whether table `name` exists in the connection's database: 1, 0, or -1
 * with e set. */
static int
table_exists(struct my *q, MYSQL_STMT *st, const char *name, pgal_err *e)
{
	struct my_args a;
	struct my_cols c;
	int64_t n = 0;
	int got;

	my_args_init(&a);
	arg_text(&a, name, 64);
	my_cols_init(&c);
	col_i64(&c, &n);
	if (my_query_st(q, st, &a, &c, e) != PGAL_OK)
		return -1;
	got = my_fetch(q, st, &c, e);
	if (got == 1)
		my_done(st);
	return got == -1 ? -1 : n > 0;
}

/* The next table a migration's text creates, from *p on: 1 with its name,
 * 0 when there is none left. */
static int
next_created_table(const char **p, char name[65])
{
	static const char create[] = "CREATE TABLE IF NOT EXISTS ";
	size_t n;

	while ((*p = strstr(*p, create)) != NULL) {
		*p += sizeof create - 1;
		n = strspn(*p, "abcdefghijklmnopqrstuvwxyz_0123456789");
		if (n == 0 || n >= 65)
			continue;
		memcpy(name, *p, n);
		name[n] = '\0';
		return 1;
	}
	return 0;
}

/* Before migration m creates its tables: none of them may be there
 * already, made by someone else (the old gallery's `albums` and `photos`,
 * say). CREATE TABLE IF NOT EXISTS would keep theirs and the migration
 * would stop half way on a foreign key, leaving the database half changed
 * for good; so nothing is changed and the tables in the way are named. */
static int
check_tables_free(struct my *q, const pgal_migration *m, pgal_err *e)
{
	char name[65], in_way[512] = "";
	const char *p = m->sql;
	MYSQL_STMT *st;
	size_t n, used = 0;
	int rc = PGAL_OK, r;

	if ((st = my_prepare(q, "SELECT COUNT(*) FROM information_schema.tables "
	    "WHERE table_schema = DATABASE() AND table_name = ?", e)) == NULL)
		return e->code;
	while (next_created_table(&p, name)) {
		n = strlen(name);
		if ((r = table_exists(q, st, name, e)) == -1) {
			rc = e->code;
			break;
		}
		if (r == 1 && used + n + 3 < sizeof in_way)
			used += (size_t)snprintf(in_way + used, sizeof in_way - used,
			    "%s%s", used > 0 ? ", " : "", name);
	}
	mysql_stmt_close(st);
	if (rc == PGAL_OK && used > 0)
		rc = pgal_fail(e, PGAL_EBACKEND, "MySQL: the database already has "
		    "tables named like pgal's (%s), made by another application or "
		    "by a pgal init that stopped half way; nothing was changed. Give "
		    "pgal a database of its own (mysql_database), or drop those "
		    "tables if they are pgal's", in_way);
	return rc;
}

/* A migration that failed half way (a privilege missing for one table,
 * the server gone) takes back the tables it made: check_tables_free saw
 * none of them before, so they are its own, and a next init finds the
 * way free. The later tables reference the earlier ones: dropped last
 * first. On a database that had no pgal schema at all, the migrations
 * applied before it and schema_migrations go too: the database is as it
 * was. The error already in e is kept; one the drops meet is added. */
static void
undo_created(struct my *q, const pgal_migration *from, const pgal_migration *to,
    int fresh, pgal_err *e)
{
	char names[32][65], sql[96];
	const pgal_migration *m;
	const char *p;
	size_t n = 0, failed = 0;

	for (m = from; m <= to; m++)
		for (p = m->sql; n < 32 && next_created_table(&p, names[n]); )
			n++;
	if (fresh && n < 32)
		snprintf(names[n++], sizeof names[0], "schema_migrations");
	while (n > 0) {
		snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS `%s`", names[--n]);
		if (mysql_query(q->db, sql) != 0)
			failed++;
	}
	if (failed > 0 && strlen(e->msg) + 80 < sizeof e->msg)
		strcat(e->msg, "; taking back the tables it made failed too: "
		    "drop them by hand");
}

/* USE mode: the schema must be there and current; nothing is changed */
static int
check_current(struct my *q, long long found, long long have, pgal_err *e)
{
	const pgal_migration *m;
	const char *db = q->cfg.mysql_database[0] != '\0' ? q->cfg.mysql_database : "pgal";

	if (found == 0)
		return pgal_fail(e, PGAL_EBACKEND, "MySQL database '%.64s': table "
		    "schema_migrations does not exist; run pgal init", db);
	for (m = pgal_migrations_mysql; m->sql != NULL; m++)
		if (m->version > have)
			return pgal_fail(e, PGAL_EBACKEND, "MySQL database '%.64s' needs "
			    "migration %d (%s); run pgal init", db, m->version, m->file);
	return PGAL_OK;
}

/* INIT: applies each compiled-in migration above the recorded version,
 * holding a named lock so that hosts starting together apply each exactly
 * once: the version is read again once the lock is held. USE: only checks
 * that there is nothing to apply. */
static int
my_migrate(struct my *q, pgal_store_mode mode, pgal_err *e)
{
	const pgal_migration *m, *first = NULL;
	long long got, found, have;
	int newest = pgal_migrations_newest(pgal_migrations_mysql), rc;
	int locked = 0;

	if (mode == PGAL_STORE_INIT) {
		if ((rc = my_scalar(q, "SELECT GET_LOCK(CONCAT('pgal-migrate:', "
		    "LEFT(DATABASE(), 48)), 60)", &got, e)) != PGAL_OK)
			return rc;
		if (got != 1)
			return pgal_fail(e, PGAL_EBACKEND, "MySQL: another host has been "
			    "migrating the schema for 60 s; try again");
		locked = 1;
	}
	if ((rc = my_scalar(q, "SELECT COUNT(*) FROM information_schema.tables "
	    "WHERE table_schema = DATABASE() AND table_name = 'schema_migrations'",
	    &found, e)) != PGAL_OK)
		goto out;
	have = 0;
	if (found > 0 && (rc = my_scalar(q, "SELECT COALESCE(MAX(version), 0) "
	    "FROM schema_migrations", &have, e)) != PGAL_OK)
		goto out;
	if (have > newest) {
		rc = pgal_fail(e, PGAL_EBACKEND, "database schema version %lld is "
		    "newer than this pgal knows (%d)", have, newest);
		goto out;
	}
	if (mode == PGAL_STORE_USE) {
		rc = check_current(q, found, have, e);
		goto out;
	}
	/* every pending migration's tables checked before anything changes */
	for (m = pgal_migrations_mysql; m->sql != NULL; m++)
		if (m->version > have && (rc = check_tables_free(q, m, e)) != PGAL_OK)
			goto out;
	if (have < newest && mysql_query(q->db, "CREATE TABLE IF NOT EXISTS "
	    "schema_migrations (version INT NOT NULL PRIMARY KEY, file "
	    "VARCHAR(255) NOT NULL, applied_at BIGINT NOT NULL) ENGINE=InnoDB") != 0) {
		rc = my_fail_db(q, e);
		goto out;
	}
	for (m = pgal_migrations_mysql; m->sql != NULL; m++) {
		if (m->version <= have)
			continue;
		if (first == NULL)
			first = m;
		if ((rc = my_run_file(q, m, e)) != PGAL_OK ||
		    (rc = my_record(q, m, e)) != PGAL_OK) {
			if (q->db != NULL)
				undo_created(q, found == 0 ? first : m, m, found == 0, e);
			goto out;
		}
	}
out:
	if (locked && q->db != NULL)
		mysql_query(q->db, "DO RELEASE_LOCK(CONCAT('pgal-migrate:', "
		    "LEFT(DATABASE(), 48)))");
	return rc;
}

/* ---- open, close ---- */

static void
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

static int
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
static void
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
	    server_is_local(cfg) ? "" : ", PLAINTEXT over the network (mysql_tls = off)");
}

/* ---- the retry around every operation ---- */

static void
my_op_start(struct my *q)
{
	q->lost = 0;
	q->deadlock = 0;
	q->tx_work = 0;
}

/* After a failed attempt: 1 if the operation is to run once more. A lost
 * connection is reopened (statements are prepared again on use). */
static int
my_again(struct my *q, int rc, pgal_err *e)
{
	pgal_err ce;
	char first[sizeof e->msg];
	int tx_work = q->tx_work;

	if (rc == PGAL_OK)
		return 0;
	if (q->deadlock && !q->lost) {
		/* InnoDB rolled the whole transaction back: safe to rerun */
		my_rollback(q);
		return 1;
	}
	if (!q->lost)
		return 0;
	q->reconnects++;
	if (my_connect(q, &ce) != PGAL_OK) {
		memcpy(first, e->msg, sizeof first);
		pgal_fail(e, PGAL_EBACKEND, "%.200s; reconnecting failed: %.280s", first, ce.msg);
		return 0;
	}
	if (tx_work) {
		pgal_fail(e, PGAL_EBACKEND, "MySQL: the connection was lost in the "
		    "middle of a change, which may not have been saved; it was not "
		    "retried (reconnected for the next call)");
		return 0;
	}
	return 1;
}

#define MY_CALL(s, call) do {						\
	struct my *q_ = my_of(s);					\
	int rc_;							\
	my_op_start(q_);						\
	rc_ = (call);							\
	if (my_again(q_, rc_, e)) {					\
		my_op_start(q_);					\
		rc_ = (call);						\
	}								\
	return rc_;							\
} while (0)

static int
w_user_create(pgal_store *s, pgal_user *u, pgal_err *e)
{
	MY_CALL(s, my_user_create(q_, u, e));
}

static int
w_user_get_by_name(pgal_store *s, const char *name, pgal_user *u, pgal_err *e)
{
	MY_CALL(s, my_user_get_by_name(q_, name, u, e));
}

static int
w_user_get(pgal_store *s, pgal_id id, pgal_user *u, pgal_err *e)
{
	MY_CALL(s, my_user_get(q_, id, u, e));
}

static int
w_user_update(pgal_store *s, const pgal_user *u, pgal_err *e)
{
	MY_CALL(s, my_user_update(q_, u, e));
}

static int
w_user_delete(pgal_store *s, pgal_id id, pgal_err *e)
{
	MY_CALL(s, my_user_delete(q_, id, e));
}

static int
w_session_create(pgal_store *s, const pgal_session_row *r, pgal_err *e)
{
	MY_CALL(s, my_session_create(q_, r, e));
}

static int
w_session_get(pgal_store *s, const char *h, pgal_session_row *r, pgal_err *e)
{
	MY_CALL(s, my_session_get(q_, h, r, e));
}

static int
w_session_touch(pgal_store *s, const char *h, int64_t now, pgal_err *e)
{
	MY_CALL(s, my_session_touch(q_, h, now, e));
}

static int
w_session_delete(pgal_store *s, const char *h, pgal_err *e)
{
	MY_CALL(s, my_session_delete(q_, h, e));
}

static int
w_session_delete_user(pgal_store *s, pgal_id user_id, const char *keep, pgal_err *e)
{
	MY_CALL(s, my_session_delete_user(q_, user_id, keep, e));
}

static int
w_album_create(pgal_store *s, pgal_album *a, pgal_err *e)
{
	MY_CALL(s, my_album_create(q_, a, e));
}

static int
w_album_get(pgal_store *s, pgal_id user_id, const char *name, pgal_album *a, pgal_err *e)
{
	MY_CALL(s, my_album_get(q_, user_id, name, a, e));
}

static int
w_album_list(pgal_store *s, pgal_id user_id, pgal_album **out, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_album_list(q_, user_id, out, n, e));
}

static int
w_album_update(pgal_store *s, const pgal_album *a, pgal_err *e)
{
	MY_CALL(s, my_album_update(q_, a, e));
}

static int
w_album_delete(pgal_store *s, pgal_id album_id, pgal_err *e)
{
	MY_CALL(s, my_album_delete(q_, album_id, e));
}

static int
w_photo_insert(pgal_store *s, pgal_photo *p, pgal_err *e)
{
	MY_CALL(s, my_photo_insert(q_, p, e));
}

static int
w_photo_get(pgal_store *s, pgal_id album_id, const char *name, pgal_photo *p, pgal_err *e)
{
	MY_CALL(s, my_photo_get(q_, album_id, name, p, e));
}

static int
w_photo_update(pgal_store *s, const pgal_photo *p, pgal_err *e)
{
	MY_CALL(s, my_photo_update(q_, p, e));
}

static int
w_photo_delete(pgal_store *s, pgal_id photo_id, pgal_err *e)
{
	MY_CALL(s, my_photo_delete(q_, photo_id, e));
}

static int
w_photo_set_digests(pgal_store *s, pgal_id photo_id, const char *md5, const char *sha1,
    pgal_err *e)
{
	MY_CALL(s, my_photo_set_digests(q_, photo_id, md5, sha1, e));
}

static int
w_photo_find_sha(pgal_store *s, pgal_id user_id, const char *sha, pgal_photo *p, pgal_err *e)
{
	MY_CALL(s, my_photo_find_sha(q_, user_id, sha, p, e));
}

static int
w_photo_list(pgal_store *s, pgal_id album_id, pgal_sort sort, const pgal_cursor *after,
    size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_photo_list(q_, album_id, sort, after, limit, out, n, e));
}

static int
w_photo_list_before(pgal_store *s, pgal_id album_id, pgal_sort sort, const pgal_cursor *before,
    size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_photo_list_before(q_, album_id, sort, before, limit, out, n, e));
}

static int
w_photo_search(pgal_store *s, pgal_id user_id, pgal_id album_id, const char *const *words,
    size_t nwords, const char *tag, size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_photo_search(q_, user_id, album_id, words, nwords, tag, limit, out, n, e));
}

static int
w_blob_ids_user(pgal_store *s, pgal_id user_id, char ***ids, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_blob_ids(q_, MS_BLOBS_USER, user_id, ids, n, e));
}

static int
w_blob_ids_album(pgal_store *s, pgal_id album_id, char ***ids, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_blob_ids(q_, MS_BLOBS_ALBUM, album_id, ids, n, e));
}

static int
w_blob_id_used(pgal_store *s, const char *blob_id, int *used, pgal_err *e)
{
	MY_CALL(s, my_blob_id_used(q_, blob_id, used, e));
}

static int
w_key_add(pgal_store *s, pgal_id user_id, pgal_ssh_key *k, const char *b64, pgal_err *e)
{
	MY_CALL(s, my_key_add(q_, user_id, k, b64, e));
}

static int
w_key_list(pgal_store *s, pgal_id user_id, pgal_ssh_key **out, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_key_list(q_, user_id, out, n, e));
}

static int
w_key_find(pgal_store *s, pgal_id user_id, const char *fp, pgal_ssh_key *k, pgal_err *e)
{
	MY_CALL(s, my_key_find(q_, user_id, fp, k, e));
}

static int
w_key_delete(pgal_store *s, pgal_id user_id, const char *fp, pgal_err *e)
{
	MY_CALL(s, my_key_delete(q_, user_id, fp, e));
}

static int
w_user_ids_unconfirmed(pgal_store *s, int64_t before, pgal_id **ids, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_user_ids_unconfirmed(q_, before, ids, n, e));
}

static int
w_mark_get(pgal_store *s, const char *name, int64_t now, int64_t *until, pgal_err *e)
{
	MY_CALL(s, my_mark_get(q_, name, now, until, e));
}

static int
w_mark_add(pgal_store *s, const char *name, int64_t now, int64_t step, int64_t *until,
    pgal_err *e)
{
	MY_CALL(s, my_mark_add(q_, name, now, step, until, e));
}

static int
w_mark_claim(pgal_store *s, const char *name, int64_t now, int64_t until, int *claimed,
    pgal_err *e)
{
	MY_CALL(s, my_mark_claim(q_, name, now, until, claimed, e));
}

static int
w_mark_delete(pgal_store *s, const char *name, pgal_err *e)
{
	MY_CALL(s, my_mark_delete(q_, name, e));
}

static int
w_mark_prune(pgal_store *s, int64_t now, int64_t *removed, pgal_err *e)
{
	MY_CALL(s, my_mark_prune(q_, now, removed, e));
}

static int
w_upload_put(pgal_store *s, pgal_id user_id, const pgal_upload *u, pgal_err *e)
{
	MY_CALL(s, my_upload_put(q_, user_id, u, e));
}

static int
w_upload_touch(pgal_store *s, pgal_id user_id, const char *holder, int64_t until, pgal_err *e)
{
	MY_CALL(s, my_upload_touch(q_, user_id, holder, until, e));
}

static int
w_upload_delete(pgal_store *s, pgal_id user_id, const char *album, const char *name,
    const char *holder, int64_t now, pgal_err *e)
{
	MY_CALL(s, my_upload_delete(q_, user_id, album, name, holder, now, e));
}

static int
w_upload_list(pgal_store *s, pgal_id user_id, const char *album, int64_t now,
    pgal_upload **out, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_upload_list(q_, user_id, album, now, out, n, e));
}

static int
w_pref_list(pgal_store *s, pgal_id user_id, pgal_pref **out, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_pref_list(q_, user_id, out, n, e));
}

static int
w_pref_set(pgal_store *s, pgal_id user_id, const char *name, const char *value, pgal_err *e)
{
	MY_CALL(s, my_pref_set(q_, user_id, name, value, e));
}

const pgal_store_ops pgal_store_mysql = {
	.name = "mysql",
	.describe = my_describe,
	.open = my_open,
	.close = my_close,
	.user_create = w_user_create,
	.user_get_by_name = w_user_get_by_name,
	.user_get = w_user_get,
	.user_update = w_user_update,
	.user_delete = w_user_delete,
	.session_create = w_session_create,
	.session_get = w_session_get,
	.session_touch = w_session_touch,
	.session_delete = w_session_delete,
	.session_delete_user = w_session_delete_user,
	.album_create = w_album_create,
	.album_get = w_album_get,
	.album_list = w_album_list,
	.album_update = w_album_update,
	.album_delete = w_album_delete,
	.photo_insert = w_photo_insert,
	.photo_get = w_photo_get,
	.photo_update = w_photo_update,
	.photo_delete = w_photo_delete,
	.photo_find_sha = w_photo_find_sha,
	.photo_set_digests = w_photo_set_digests,
	.photo_list = w_photo_list,
	.photo_list_before = w_photo_list_before,
	.photo_search = w_photo_search,
	.blob_ids_user = w_blob_ids_user,
	.blob_ids_album = w_blob_ids_album,
	.blob_id_used = w_blob_id_used,
	.key_add = w_key_add,
	.key_list = w_key_list,
	.key_find = w_key_find,
	.key_delete = w_key_delete,
	.user_ids_unconfirmed = w_user_ids_unconfirmed,
	.mark_get = w_mark_get,
	.mark_add = w_mark_add,
	.mark_claim = w_mark_claim,
	.mark_delete = w_mark_delete,
	.mark_prune = w_mark_prune,
	.upload_put = w_upload_put,
	.upload_touch = w_upload_touch,
	.upload_delete = w_upload_delete,
	.upload_list = w_upload_list,
	.pref_list = w_pref_list,
	.pref_set = w_pref_set,
};
