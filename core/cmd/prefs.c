/* prefs: the account's preferences, which follow the user to every host.
 *   prefs                      lists them
 *   prefs colors=truecolor ... sets them (all checked before any is set)
 *   prefs colors ...           shows those */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "prefs.h"

static int
prefs_show(pgal_cmd_ctx *ctx, const pgal_args *a, const pgal_pref *p, size_t n)
{
	const pgal_pref_def *d;
	json_t *obj;
	size_t i;
	int k;

	for (k = 0; k < a->argc; k++) {
		pgal_err e;

		/* an unknown name: the check says which there are */
		if (pgal_pref_find(a->argv[k]) == NULL) {
			pgal_pref_check(a->argv[k], "", &e);
			return pgal_cmd_fail(ctx, &e);
		}
	}
	if (pgal_args_has(a, "json")) {
		obj = json_object();
		for (i = 0; i < n; i++)
			json_object_set_new(obj, p[i].name, json_string(p[i].value));
		return pgal_json_print(ctx, obj);
	}
	for (i = 0; i < n; i++) {
		int wanted = a->argc == 0;

		for (k = 0; k < a->argc && !wanted; k++)
			wanted = strcmp(a->argv[k], p[i].name) == 0;
		if (!wanted)
			continue;
		d = pgal_pref_find(p[i].name);
		fprintf(ctx->out, "%-10s %-10s", p[i].name, p[i].value);
		if (d != NULL) {
			int v;

			fputs(" (", ctx->out);
			for (v = 0; d->values[v] != NULL; v++)
				fprintf(ctx->out, "%s%s", v > 0 ? ", " : "", d->values[v]);
			fprintf(ctx->out, ") %s", d->summary);
		}
		fputc('\n', ctx->out);
	}
	return PGAL_OK;
}

static int
cmd_prefs_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	pgal_pref p[PGAL_PREFS_MAX];
	char name[PGAL_PREF_NAME_MAX + 1];
	const char *eq;
	size_t n;
	pgal_err e;
	int k, assigns = 0;

	for (k = 0; k < a->argc; k++)
		assigns += strchr(a->argv[k], '=') != NULL;
	if (assigns > 0 && assigns < a->argc)
		return pgal_cmd_error(ctx, PGAL_EUSAGE,
				      "prefs: either NAME=VALUE words to set or NAME words to show");
	/* every word checked before anything changes */
	for (k = 0; k < assigns; k++) {
		eq = strchr(a->argv[k], '=');
		/* a longer name is cut, and then still no preference's */
		snprintf(name, sizeof name, "%.*s", (int)(eq - a->argv[k]), a->argv[k]);
		if (pgal_pref_check(name, eq + 1, &e) != PGAL_OK)
			return pgal_cmd_fail(ctx, &e);
	}
	for (k = 0; k < assigns; k++) {
		eq = strchr(a->argv[k], '=');
		snprintf(name, sizeof name, "%.*s", (int)(eq - a->argv[k]), a->argv[k]);
		if (pgal_pref_set(ctx->g, ctx->token, name, eq + 1, &e) != PGAL_OK)
			return pgal_cmd_fail(ctx, &e);
		if (!pgal_args_has(a, "json"))
			fprintf(ctx->out, "%s=%s\n", name, eq + 1);
	}
	if (assigns > 0 && !pgal_args_has(a, "json"))
		return PGAL_OK;
	if (pgal_prefs_get(ctx->g, ctx->token, p, &n, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	return prefs_show(ctx, assigns > 0 ? &(pgal_args){ 0 } : a, p, n);
}

const pgal_cmd_entry pgal_cmd_prefs_entry = {
	.name = "prefs",
	.usage = "[NAME=VALUE...] | [NAME...]",
	.summary = "list or set your preferences (they follow you to every host)",
	.help = "  prefs                        lists them with their values\n"
		"  prefs colors=truecolor       previews in 24-bit colour (auto, truecolor, 256, 16)\n"
		"  prefs graphics=sixel         previews as images (auto, symbols, sixel, kitty)\n",
	.min_args = 0,
	.max_args = 16,
	.options = "",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_JSON,
	.exec = cmd_prefs_exec,
};
