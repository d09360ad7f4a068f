/* help [COMMAND], and `pgal --help`: both generated from the table. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "sanitize.h"

void
pgal_cmd_usage(pgal_cmd_ctx *ctx, FILE *f)
{
	const pgal_cmd_entry *const *c;
	char head[128];

	fputs("usage: pgal ", f);
	if (!ctx->remote)
		fputs("[-f CONFIG] ", f);
	fputs("COMMAND [ARGUMENTS] [OPTIONS]\n\ncommands:\n", f);
	for (c = pgal_cmd_table; *c != NULL; c++) {
		if (ctx->remote && ((*c)->flags & PGAL_CMD_LOCAL_ONLY))
			continue;
		snprintf(head, sizeof head, "%s %s", (*c)->name, (*c)->usage);
		if (strlen(head) > 36)
			fprintf(f, "  %s\n  %-36s  %s\n", head, "", (*c)->summary);
		else
			fprintf(f, "  %-36s  %s\n", head, (*c)->summary);
	}
	fputs("\nRead commands take --json. Run 'pgal help COMMAND' for details.\n"
	      "Exit status: 0 ok, 1 usage, 2 not found, 3 denied or not logged in,\n"
	      "4 backend failure, 5 bad input.\n", f);
	if (!ctx->remote)
		fputs("Environment: PGAL_CONFIG, PGAL_HOME, PGAL_TOKEN, PGAL_PASSWORD,\n"
		      "PGAL_NEW_PASSWORD and PGAL_<KEY> for any configuration key.\n", f);
}

const char *
pgal_cmd_json_usage(const pgal_cmd_entry *c)
{
	return (c->flags & PGAL_CMD_JSON) ? " [--json]" : "";
}

static int
cmd_help_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const pgal_cmd_entry *c;
	char shown[64];

	if (a->argc == 0) {
		pgal_cmd_usage(ctx, ctx->out);
		return PGAL_OK;
	}
	c = pgal_cmd_find(a->argv[0]);
	if (c == NULL || (ctx->remote && (c->flags & PGAL_CMD_LOCAL_ONLY))) {
		pgal_sanitize_n(shown, sizeof shown, a->argv[0], strnlen(a->argv[0], 40), 0);
		return pgal_cmd_error(ctx, PGAL_EUSAGE, "help: no command '%s'; see 'pgal --help'",
				      shown);
	}
	fprintf(ctx->out, "usage: pgal %s %s%s\n\n%s\n", c->name, c->usage,
		pgal_cmd_json_usage(c), c->summary);
	if (c->help != NULL)
		fprintf(ctx->out, "\n%s\n", c->help);
	if (c->flags & PGAL_CMD_JSON)
		fputs("\n--json writes the result as JSON.\n", ctx->out);
	if (c->flags & PGAL_CMD_NEEDS_SESSION && !ctx->remote)
		fputs("Needs a session: run 'pgal login USER' first.\n", ctx->out);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_help_entry = {
	.name = "help",
	.usage = "[COMMAND]",
	.summary = "show the commands, or how to use one",
	.min_args = 0,
	.max_args = 1,
	.options = "",
	.flags = PGAL_CMD_NO_GALLERY,
	.exec = cmd_help_exec,
};
