/* The dispatcher: finds the command, parses and checks its arguments, opens
 * the gallery and checks the session when the command needs them, resolves
 * its target, then runs it. Usage errors never touch the gallery. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "sanitize.h"

#ifndef PGAL_VERSION
#define PGAL_VERSION "unknown"
#endif

static int
offered(const pgal_cmd_ctx *ctx, const pgal_cmd_entry *c)
{
	return !(ctx->remote && (c->flags & PGAL_CMD_LOCAL_ONLY));
}

/* Edits (insert, delete, change, swap two neighbours) from a to b; both
 * short (names are cut to 32 bytes), more than `most` counts as most + 1. */
static size_t
distance(const char *a, const char *b, size_t most)
{
	size_t d[33][33], la = strnlen(a, 32), lb = strnlen(b, 32), i, j, best;

	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb] > most ? most + 1 : d[la][lb];
}

/* The command meant, for the hint: the one command that starts with what
 * was typed, else the one nearest it by a slip or two of the fingers. */
static const pgal_cmd_entry *
guess(const pgal_cmd_ctx *ctx, const char *name)
{
	const pgal_cmd_entry *const *c, *found = NULL;
	size_t len = strlen(name), most, dist, best;
	int ties = 0;

	if (len == 0 || len > 32)
		return NULL;
	for (c = pgal_cmd_table; *c != NULL; c++) {
		if (!offered(ctx, *c) || strncmp((*c)->name, name, len) != 0)
			continue;
		if (found != NULL)
			return NULL;
		found = *c;
	}
	if (found != NULL)
		return found;
	/* a two-letter slip in a three-letter word is another word */
	most = len <= 3 ? 1 : 2;
	best = most + 1;
	for (c = pgal_cmd_table; *c != NULL; c++) {
		if (!offered(ctx, *c))
			continue;
		dist = distance(name, (*c)->name, most);
		if (dist < best) {
			best = dist;
			found = *c;
			ties = 0;
		} else if (dist == best) {
			ties++;
		}
	}
	return best <= most && ties == 0 ? found : NULL;
}

static int
unknown_command(pgal_cmd_ctx *ctx, const char *name)
{
	const pgal_cmd_entry *g = guess(ctx, name);
	char shown[64];

	pgal_sanitize_n(shown, sizeof shown, name, strnlen(name, 40), 0);
	if (g != NULL)
		return pgal_cmd_error(ctx, PGAL_EUSAGE, "unknown command '%s'; did you mean '%s'?",
				      shown, g->name);
	/* over SSH the list is "ssh HOST help": there is no pgal to run */
	return pgal_cmd_error(ctx, PGAL_EUSAGE, "unknown command '%s'; see '%s'", shown,
			      ctx->remote ? "help" : "pgal --help");
}

static int
check_session(pgal_cmd_ctx *ctx)
{
	pgal_err e;

	pgal_err_clear(&e);
	memset(&ctx->who, 0, sizeof ctx->who);
	if (ctx->token == NULL || ctx->token[0] == '\0') {
		if (ctx->remote)
			return pgal_cmd_error(ctx, PGAL_EDENIED, "not logged in");
		return pgal_cmd_error(ctx, PGAL_EDENIED, "not logged in; run 'pgal login USER'");
	}
	if (pgal_session_check(ctx->g, ctx->token, &ctx->who, &e) == PGAL_OK)
		return PGAL_OK;
	if (e.code == PGAL_EDENIED && !ctx->remote)
		return pgal_cmd_error(ctx, PGAL_EDENIED, "not logged in (%s); run 'pgal login USER'", e.msg);
	return pgal_cmd_fail(ctx, &e);
}

int
pgal_cmd_exec(pgal_cmd_ctx *ctx, int argc, char **argv)
{
	const pgal_cmd_entry *c;
	pgal_args a;
	pgal_err e;
	char spec[256];
	const char *name;
	int rc;

	pgal_err_clear(&e);
	if (argc < 1)
		return pgal_cmd_error(ctx, PGAL_EUSAGE, "no command given; see 'pgal --help'");
	name = argv[0];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		pgal_cmd_usage(ctx, ctx->out);
		return PGAL_OK;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		fprintf(ctx->out, "pgal %s\n", PGAL_VERSION);
		return PGAL_OK;
	}
	c = pgal_cmd_find(name);
	if (c == NULL || !offered(ctx, c))
		return unknown_command(ctx, name);

	snprintf(spec, sizeof spec, "%s%s%s", c->options != NULL ? c->options : "",
		 (c->flags & PGAL_CMD_JSON) ? ",json" : "", ",help");
	if (pgal_args_parse(&a, spec, argc - 1, argv + 1, &e) != PGAL_OK) {
		return pgal_cmd_error(ctx, e.code, "%s: %s; see 'pgal help %s'", c->name, e.msg,
				      c->name);
	}
	if (pgal_args_has(&a, "help")) {
		char *help_argv[] = { (char *)"help", (char *)c->name, NULL };

		pgal_args_free(&a);
		return pgal_cmd_exec(ctx, 2, help_argv);
	}
	if (a.argc < c->min_args || (c->max_args >= 0 && a.argc > c->max_args)) {
		rc = pgal_cmd_error(ctx, PGAL_EUSAGE, "%s: %s; usage: pgal %s %s%s", c->name,
				    a.argc < c->min_args ? "missing argument" : "too many arguments",
				    c->name, c->usage, pgal_cmd_json_usage(c));
		pgal_args_free(&a);
		return rc;
	}

	/* a missing token needs no gallery to be reported */
	if ((c->flags & PGAL_CMD_NEEDS_SESSION) && (ctx->token == NULL || ctx->token[0] == '\0')) {
		pgal_args_free(&a);
		return check_session(ctx);
	}
	if (!(c->flags & PGAL_CMD_NO_GALLERY) && ctx->g == NULL) {
		if (ctx->open_gallery == NULL)
			rc = pgal_cmd_error(ctx, PGAL_EBACKEND, "no gallery");
		else if ((rc = ctx->open_gallery(ctx, (c->flags & PGAL_CMD_INIT) != 0,
		    &e)) != PGAL_OK)
			rc = pgal_cmd_fail(ctx, &e);
		if (ctx->g == NULL) {
			pgal_args_free(&a);
			return rc != PGAL_OK ? rc : PGAL_EBACKEND;
		}
	}
	if ((c->flags & PGAL_CMD_NEEDS_SESSION) && (rc = check_session(ctx)) != PGAL_OK) {
		pgal_args_free(&a);
		return rc;
	}

	if ((rc = pgal_cmd_targets(c, &a, &ctx->target, &ctx->ntargets, &e)) != PGAL_OK) {
		pgal_args_free(&a);
		return pgal_cmd_fail(ctx, &e);
	}

	rc = c->exec(ctx, &a);
	free(ctx->target);
	ctx->target = NULL;
	ctx->ntargets = 0;
	pgal_args_free(&a);
	if (fflush(ctx->out) != 0 && rc == PGAL_OK)
		rc = pgal_cmd_error(ctx, PGAL_EBACKEND, "cannot write output");
	return rc;
}
