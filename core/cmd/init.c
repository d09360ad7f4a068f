/* init: makes the backends ready (the SQL schema migrated, the DynamoDB
 * tables created, the bucket reached: opening the gallery in init mode
 * does it, the one command that does) and says so, one line per backend.
 * A backend that cannot be reached fails the open, and the error names
 * it. With --host-key it first makes the SSH host key ssh_host_key names
 * (a file or an s3:// object), once: one that exists is never replaced. */
#include <stdio.h>

#include "cmd.h"
#include "hostkey.h"

static void
print_line(void *arg, const char *line)
{
	pgal_cmd_ctx *ctx = arg;

	fprintf(ctx->out, "%s\n", line);
}

static int
make_host_key(pgal_cmd_ctx *ctx)
{
	const pgal_config *cfg = pgal_get_config(ctx->g);
	char where[PATH_MAX + 64];
	pgal_err e;

	if (cfg->ssh_host_key[0] != '\0')
		snprintf(where, sizeof where, "%s", cfg->ssh_host_key);
	else
		snprintf(where, sizeof where, "%s/ssh_host_ed25519_key", cfg->home);
	pgal_err_clear(&e);
	if (pgal_hostkey_create(cfg, where, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	fprintf(ctx->out, "host key %s: created\n", where);
	return PGAL_OK;
}

static int
cmd_init_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	pgal_err e;
	int rc;

	if (pgal_args_has(a, "host-key") && (rc = make_host_key(ctx)) != PGAL_OK)
		return rc;
	pgal_err_clear(&e);
	if (pgal_backend_status(ctx->g, print_line, ctx, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_init_entry = {
	.name = "init",
	.usage = "[--host-key]",
	.summary = "create missing tables, check every backend (administrator)",
	.help = "Runs the SQL migrations, creates missing DynamoDB tables, checks that the\n"
		"S3 bucket answers and the folders are writable, then prints one line per\n"
		"backend. Exits 4 naming the backend that cannot be reached. The only\n"
		"command that creates or changes MySQL or DynamoDB tables; an init that\n"
		"fails takes back the tables it made. On AWS it also turns on DynamoDB\n"
		"point-in-time recovery, deletion protection and TTL, and a bucket rule\n"
		"aborting unfinished uploads (keys dynamodb_pitr, dynamodb_deletion_protection,\n"
		"dynamodb_ttl, s3_abort_incomplete_uploads), saying what it turned on, what\n"
		"was already on and what failed; run again, it changes nothing.\n"
		"--host-key first makes the SSH host key of pgal-sshd where ssh_host_key\n"
		"says (a file, or s3://BUCKET/KEY for a fleet; by default\n"
		"PGAL_HOME/ssh_host_ed25519_key); an existing key is never replaced (exit 5).",
	.min_args = 0,
	.max_args = 0,
	.options = "host-key",
	.flags = PGAL_CMD_LOCAL_ONLY | PGAL_CMD_INIT,
	.exec = cmd_init_exec,
};
