/* Preferences of an account: how the user wants things done wherever
 * they log in (kept in the store with the account, so they follow the
 * user to every host). One table knows every preference and its values;
 * adding one is a line there. */
#ifndef PGAL_PREFS_H
#define PGAL_PREFS_H

#include <stddef.h>

#include "err.h"
#include "gallery.h"
#include "records.h"

#define PGAL_PREF_VALUES_MAX 8

typedef struct pgal_pref_def {
	const char *name;
	const char *summary;                      /* one line, for lists and help */
	const char *values[PGAL_PREF_VALUES_MAX]; /* the first is the default; NULL ends */
} pgal_pref_def;

/* The table, NULL-terminated (core/prefs.c). */
extern const pgal_pref_def pgal_pref_table[];
/* How many preferences there are: the room pgal_prefs_get needs. */
#define PGAL_PREFS_MAX 8

const pgal_pref_def *pgal_pref_find(const char *name);
/* PGAL_OK if name is a preference and value one of its values; else
 * PGAL_EUSAGE with a message naming the preferences or the values. */
int pgal_pref_check(const char *name, const char *value, pgal_err *e);
/* The value of name in a list as pgal_prefs_get fills it, or NULL. */
const char *pgal_pref_value(const pgal_pref *list, size_t n, const char *name);

/* Every preference of the session's user in table order, each with its
 * stored value or its default (out has room for PGAL_PREFS_MAX). */
int pgal_prefs_get(pgal *g, const char *token, pgal_pref *out, size_t *n, pgal_err *e);
/* Sets one, after pgal_pref_check. */
int pgal_pref_set(pgal *g, const char *token, const char *name, const char *value,
		  pgal_err *e);

#endif
