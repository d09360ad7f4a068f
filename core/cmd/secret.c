/* Passwords for signup, login, passwd and cancel: from the environment for
 * scripts, else from the front end's no-echo prompt. Copies are wiped. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

void
pgal_secret_free(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

char *
pgal_secret_get(pgal_cmd_ctx *ctx, const char *var, const char *prompt, int confirm, int *code)
{
	const char *v = ctx->env != NULL ? ctx->env(ctx, var) : NULL;
	char *s, *again;

	*code = PGAL_OK;
	if (v != NULL) {
		if ((s = strdup(v)) == NULL)
			*code = pgal_cmd_error(ctx, PGAL_EBACKEND, "out of memory");
		return s;
	}
	if (ctx->ask_secret == NULL) {
		if (ctx->env == NULL)
			*code = pgal_cmd_error(ctx, PGAL_EUSAGE, "no terminal to ask for a password");
		else
			*code = pgal_cmd_error(ctx, PGAL_EUSAGE,
					       "no terminal to ask for a password; set %s", var);
		return NULL;
	}
	if ((s = ctx->ask_secret(ctx, prompt)) == NULL) {
		*code = pgal_cmd_error(ctx, PGAL_EUSAGE, "no password given");
		return NULL;
	}
	if (!confirm)
		return s;
	if ((again = ctx->ask_secret(ctx, "Same password again: ")) == NULL) {
		pgal_secret_free(s);
		*code = pgal_cmd_error(ctx, PGAL_EUSAGE, "no password given");
		return NULL;
	}
	if (strcmp(s, again) != 0) {
		pgal_secret_free(s);
		pgal_secret_free(again);
		*code = pgal_cmd_error(ctx, PGAL_EINPUT, "the passwords do not match");
		return NULL;
	}
	pgal_secret_free(again);
	return s;
}
