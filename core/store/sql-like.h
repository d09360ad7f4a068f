/* LIKE patterns for the SQL stores (SQLite and MySQL search). */
#ifndef PGAL_SQL_LIKE_H
#define PGAL_SQL_LIKE_H

/* "%word%" with the wildcards '%' and '_' and the escape character itself
 * escaped by `esc` (the query says ESCAPE 'esc'); malloc'd, NULL if out of
 * memory. */
char *pgal_sql_like_pattern(const char *word, char esc);

#endif
