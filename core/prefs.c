/* Preferences of an account: the table of names and values, and reading
 * and setting them for a session. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gallery-int.h"
#include "prefs.h"
#include "sanitize.h"

const pgal_pref_def pgal_pref_table[] = {
	{ "colors", "colours of photo previews (auto: as the terminal says)",
	  { "auto", "truecolor", "256", "16", NULL } },
	{ "graphics", "how previews are drawn (auto: as the terminal says)",
	  { "auto", "symbols", "sixel", "kitty", NULL } },
	{ NULL, NULL, { NULL } },
};

const pgal_pref_def *
pgal_pref_find(const char *name)
{
	const pgal_pref_def *d;

	for (d = pgal_pref_table; d->name != NULL; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

/* adds ", word" (or the first word) to the list in buf */
static void
list_add(char *buf, size_t size, const char *word)
{
	size_t used = strlen(buf);

	if (used < size)
		snprintf(buf + used, size - used, "%s%s", used > 0 ? ", " : "", word);
}

int
pgal_pref_check(const char *name, const char *value, pgal_err *e)
{
	const pgal_pref_def *d = pgal_pref_find(name);
	char list[256] = "", shown[PGAL_PREF_VALUE_MAX + 8];
	size_t i;

	/* what was typed goes back to a terminal: no escapes, bounded */
	pgal_sanitize_n(shown, sizeof shown, d == NULL ? name : value,
	    strnlen(d == NULL ? name : value, PGAL_PREF_VALUE_MAX), 0);
	if (d == NULL) {
		for (d = pgal_pref_table; d->name != NULL; d++)
			list_add(list, sizeof list, d->name);
		return pgal_fail(e, PGAL_EUSAGE, "no preference '%s'; there are %s", shown, list);
	}
	for (i = 0; d->values[i] != NULL; i++)
		if (strcmp(d->values[i], value) == 0)
			return PGAL_OK;
	for (i = 0; d->values[i] != NULL; i++)
		list_add(list, sizeof list, d->values[i]);
	return pgal_fail(e, PGAL_EUSAGE, "%s is one of %s, not '%s'", d->name, list, shown);
}

const char *
pgal_pref_value(const pgal_pref *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i].name, name) == 0)
			return list[i].value;
	return NULL;
}

int
pgal_prefs_get(pgal *g, const char *token, pgal_pref *out, size_t *n, pgal_err *e)
{
	const pgal_pref_def *d;
	pgal_pref *stored = NULL;
	const char *v;
	size_t nstored = 0;
	pgal_user u;
	int rc;

	*n = 0;
	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK ||
	    (rc = g->store->ops->pref_list(g->store, u.id, &stored, &nstored, e)) != PGAL_OK)
		return rc;
	for (d = pgal_pref_table; d->name != NULL && *n < PGAL_PREFS_MAX; d++) {
		v = pgal_pref_value(stored, nstored, d->name);
		/* a value this version does not know counts as the default */
		if (v == NULL || pgal_pref_check(d->name, v, NULL) != PGAL_OK)
			v = d->values[0];
		memset(&out[*n], 0, sizeof out[*n]);
		snprintf(out[*n].name, sizeof out[*n].name, "%s", d->name);
		snprintf(out[*n].value, sizeof out[*n].value, "%s", v);
		(*n)++;
	}
	free(stored);
	return PGAL_OK;
}

int
pgal_pref_set(pgal *g, const char *token, const char *name, const char *value, pgal_err *e)
{
	pgal_user u;
	int rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK ||
	    (rc = pgal_pref_check(name, value, e)) != PGAL_OK)
		return rc;
	return g->store->ops->pref_set(g->store, u.id, name, value, e);
}
