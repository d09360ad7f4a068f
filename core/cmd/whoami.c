/* whoami: the session's user and what the account holds. */
#include <stdio.h>

#include <jansson.h>

#include "cmd.h"

static int
cmd_whoami_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const pgal_whoami *w = &ctx->who;
	char created[32], size[16];

	if (pgal_args_has(a, "json")) {
		pgal_fmt_iso(created, w->created_at, 1);
		return pgal_json_print(ctx, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}",
						      "user", w->user,
						      "email", w->email,
						      "created_at", created,
						      "albums", (json_int_t)w->albums,
						      "photos", (json_int_t)w->photos,
						      "bytes", (json_int_t)w->bytes));
	}
	pgal_fmt_local(created, w->created_at);
	pgal_fmt_size(size, w->bytes);
	fprintf(ctx->out, "%s <%s>\n%lld album%s, %lld photo%s, %s; since %s\n", w->user, w->email,
		(long long)w->albums, w->albums == 1 ? "" : "s",
		(long long)w->photos, w->photos == 1 ? "" : "s", size, created);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_whoami_entry = {
	.name = "whoami",
	.usage = "",
	.summary = "show the logged-in user",
	.min_args = 0,
	.max_args = 0,
	.options = "",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_JSON,
	.exec = cmd_whoami_exec,
};
