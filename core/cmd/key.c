/* key: SSH public keys that log this account in over SSH without a password.
 *   key list            key add TYPE BASE64 [COMMENT]            key rm FINGERPRINT|N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"

/* The words after "add" joined by single spaces: a pasted key line may
 * arrive as one argument or, unquoted, as several. */
static char *
join_words(const pgal_args *a, int from)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = from; i < a->argc; i++)
		len += strlen(a->argv[i]) + 1;
	if ((s = calloc(1, len)) == NULL)
		return NULL;
	for (i = from; i < a->argc; i++) {
		if (i > from)
			strcat(s, " ");
		strcat(s, a->argv[i]);
	}
	return s;
}

static json_t *
key_json(const pgal_ssh_key *k, size_t pos)
{
	char created[32];

	pgal_fmt_iso(created, k->created_at, 1);
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "n", (json_int_t)pos, "type", k->algo,
			 "fingerprint", k->fingerprint, "comment", k->comment, "added_at", created);
}

static int
key_list(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	pgal_ssh_key *keys = NULL;
	char created[32];
	size_t n = 0, i;
	pgal_err e;
	json_t *arr;

	if (pgal_key_list(ctx->g, ctx->token, &keys, &n, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (pgal_args_has(a, "json")) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, key_json(&keys[i], i + 1));
		free(keys);
		return pgal_json_print(ctx, arr);
	}
	if (n == 0)
		fprintf(ctx->out, "no SSH keys; add one with: key add \"$(cat ~/.ssh/id_ed25519.pub)\"\n");
	for (i = 0; i < n; i++) {
		pgal_fmt_local(created, keys[i].created_at);
		fprintf(ctx->out, "%2zu  %-20s %s  %s  %s\n", i + 1, keys[i].algo, keys[i].fingerprint,
			created, keys[i].comment);
	}
	free(keys);
	return PGAL_OK;
}

static int
cmd_key_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const char *sub = a->argv[0];
	pgal_ssh_key k;
	pgal_err e;
	char *line;
	int rc;

	if (strcmp(sub, "list") == 0 || strcmp(sub, "ls") == 0) {
		if (a->argc != 1)
			return pgal_cmd_error(ctx, PGAL_EUSAGE, "usage: key list");
		return key_list(ctx, a);
	}
	if (strcmp(sub, "add") == 0) {
		/* one quoted line or its words: the parser checks the rest */
		if (a->argc < 2)
			return pgal_cmd_error(ctx, PGAL_EUSAGE, "usage: key add TYPE BASE64 [COMMENT] "
					      "(one line of ~/.ssh/id_ed25519.pub)");
		if ((line = join_words(a, 1)) == NULL)
			return pgal_cmd_error(ctx, PGAL_EBACKEND, "out of memory");
		rc = pgal_key_add(ctx->g, ctx->token, line, &k, &e);
		free(line);
		if (rc != PGAL_OK)
			return pgal_cmd_fail(ctx, &e);
		if (pgal_args_has(a, "json"))
			return pgal_json_print(ctx, key_json(&k, 0));
		fprintf(ctx->out, "added %s key %s %s\n", k.algo, k.fingerprint, k.comment);
		return PGAL_OK;
	}
	if (strcmp(sub, "rm") == 0 || strcmp(sub, "remove") == 0) {
		if (a->argc != 2)
			return pgal_cmd_error(ctx, PGAL_EUSAGE, "usage: key rm FINGERPRINT|N");
		if (pgal_key_remove(ctx->g, ctx->token, a->argv[1], &e) != PGAL_OK)
			return pgal_cmd_fail(ctx, &e);
		fprintf(ctx->out, "removed key %s\n", a->argv[1]);
		return PGAL_OK;
	}
	return pgal_cmd_error(ctx, PGAL_EUSAGE, "key: unknown subcommand '%s' (list, add, rm)", sub);
}

const pgal_cmd_entry pgal_cmd_key_entry = {
	.name = "key",
	.usage = "list | add TYPE BASE64 [COMMENT] | rm FINGERPRINT|N",
	.summary = "list, add or remove SSH public keys for logging in over SSH",
	.help = "  key add \"$(cat ~/.ssh/id_ed25519.pub)\"   registers a key\n"
		"  key list                               numbers them\n"
		"  key rm 2                               removes the second\n",
	.min_args = 1,
	.max_args = 64,
	.options = "",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_JSON,
	.exec = cmd_key_exec,
};
