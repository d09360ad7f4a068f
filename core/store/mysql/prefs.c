/* MySQL store: an account's preferences (one row each in user_prefs). */
#include <stdint.h>

#include "store/mysql/mysql-int.h"

static void
pref_cols(struct my_cols *c, void *row)
{
	pgal_pref *p = row;

	memset(p, 0, sizeof *p);
	COL_FIELD(c, p->name);
	COL_FIELD(c, p->value);
}

int
my_pref_list(struct my *q, pgal_id user_id, pgal_pref **out, size_t *n, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_i64(&a, user_id);
	return my_collect(q, MS_PREF_LIST, &a, sizeof **out, pref_cols, (void **)out, n, e);
}

/* one upsert: two hosts setting the same preference leave one row */
int
my_pref_set(struct my *q, pgal_id user_id, const char *name, const char *value, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_i64(&a, user_id);
	arg_text(&a, name, PGAL_PREF_NAME_MAX + 1);
	arg_text(&a, value, PGAL_PREF_VALUE_MAX + 1);
	return my_exec(q, MS_PREF_SET, &a, e, NULL, "user");
}
