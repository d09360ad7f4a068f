/* gc [--min-age SECONDS]: removes blobs no photo refers to (left by a crash
 * or a failed ingest). Young orphans are kept: an ingest may be running. */
#include <stdio.h>

#include "cmd.h"

/* "1 blob", "0 blobs" */
#define PLURAL(n) ((n) == 1 ? "" : "s")

static int
cmd_gc_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	pgal_gc_stats st = { 0 };
	int64_t min_age;
	char size[16];
	pgal_err e;

	pgal_err_clear(&e);
	if (pgal_args_get_int(a, "min-age", 3600, &min_age, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (pgal_gc(ctx->g, min_age, &st, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	pgal_fmt_size(size, st.bytes_removed);
	fprintf(ctx->out, "scanned %lld blob%s, removed %lld orphan%s (%s) and %lld unfinished "
		"write%s, kept %lld younger than %llds\n",
		(long long)st.scanned, PLURAL(st.scanned), (long long)st.removed,
		PLURAL(st.removed), size, (long long)st.removed_partial,
		PLURAL(st.removed_partial), (long long)st.kept_young, (long long)min_age);
	fprintf(ctx->out, "removed %lld account%s not confirmed in time and %lld expired "
		"throttle mark%s\n", (long long)st.unconfirmed_removed,
		PLURAL(st.unconfirmed_removed), (long long)st.marks_removed,
		PLURAL(st.marks_removed));
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_gc_entry = {
	.name = "gc",
	.usage = "[--min-age SECONDS]",
	.summary = "remove orphan blobs and expired sign-ups (administrator)",
	.help = "Orphans younger than --min-age (default 3600 s) are kept, since an upload\n"
		"may still be writing them. Accounts not confirmed within code_ttl_secs\n"
		"are removed, which frees their names.",
	.min_args = 0,
	.max_args = 0,
	.options = "min-age=",
	.flags = PGAL_CMD_LOCAL_ONLY,
	.exec = cmd_gc_exec,
};
