/* MySQL store: schema migrations. The compiled-in files of sql/mysql/
 * are applied under a server-wide named lock so hosts starting together
 * apply each once; tables another application made are never taken over,
 * and a migration that fails half way takes back the tables it made. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysql.h>

#include "store/migrations.h"
#include "store/mysql/mysql-int.h"
#include "store/store.h"

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
int
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
