/* Schema migrations compiled into the binary (see tools/embed-sql.sh). Each
 * backend applies, in order, those with a version above the stored one. */
#ifndef PGAL_MIGRATIONS_H
#define PGAL_MIGRATIONS_H

#include <stddef.h> /* NULL in the generated table */

typedef struct pgal_migration {
	int version;       /* from the file name: 001_init.sql is 1 */
	const char *file;
	const char *sql;
} pgal_migration;

/* terminated by { 0, NULL, NULL } */
extern const pgal_migration pgal_migrations_sqlite[];
extern const pgal_migration pgal_migrations_mysql[];

/* The newest version in a table (0 if empty): what open brings a schema to. */
int pgal_migrations_newest(const pgal_migration *m);

#endif
