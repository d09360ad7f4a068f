/* pgal: the command line front end. Everything else is in core/cmd/; this
 * file connects it to a terminal, the environment and the session file. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd/cmd.h"
#include "config.h"
#include "gallery.h"
#include "session-file.h"
#include "limits/throttle.h"

struct cli {
	const char *config_path; /* -f FILE, or NULL */
	char token[PGAL_TOKEN_HEX + 1];
};

static int
open_gallery(pgal_cmd_ctx *ctx, int init, pgal_err *e)
{
	struct cli *cli = ctx->arg;
	pgal_config cfg;

	if (pgal_config_load(&cfg, cli->config_path, e) != PGAL_OK ||
	    (init ? pgal_open_init : pgal_open)(&ctx->g, &cfg, e) != PGAL_OK)
		return e->code;
	pgal_set_client(ctx->g, NULL, "cli", pgal_log_syslog, NULL);
	return PGAL_OK;
}

static const char *
env(pgal_cmd_ctx *ctx, const char *name)
{
	return getenv(name);
}

static char *
ask_secret(pgal_cmd_ctx *ctx, const char *prompt)
{
	return cli_ask_secret(prompt);
}

static int
ask_line(pgal_cmd_ctx *ctx, const char *prompt, char *buf, size_t size)
{
	return cli_ask_line(prompt, buf, size);
}

static int
ask_yes_no(pgal_cmd_ctx *ctx, const char *question)
{
	return cli_ask_yes_no(question);
}

static int
save_token(pgal_cmd_ctx *ctx, const char *token, pgal_err *e)
{
	if (getenv("PGAL_TOKEN") != NULL)
		fprintf(stderr, "pgal: warning: PGAL_TOKEN is set and overrides the saved session\n");
	return pgal_session_file_write(token, e);
}

static int
clear_token(pgal_cmd_ctx *ctx, pgal_err *e)
{
	const char *t = getenv("PGAL_TOKEN");

	/* the saved session may be another one than PGAL_TOKEN's */
	if (t != NULL && t[0] != '\0')
		return PGAL_OK;
	return pgal_session_file_clear(e);
}

static void
progress(pgal_cmd_ctx *ctx, size_t done, size_t total, const char *name)
{
	cli_progress(done, total, name);
}

int
main(int argc, char **argv)
{
	struct cli cli;
	pgal_cmd_ctx ctx;
	pgal_err e;
	int i = 1, rc;

	setlocale(LC_ALL, "");
	memset(&cli, 0, sizeof cli);
	/* global options come before the command */
	while (i < argc) {
		if ((strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--config") == 0)) {
			if (i + 1 == argc) {
				fprintf(stderr, "pgal: %s needs a file; see 'pgal --help'\n", argv[i]);
				return PGAL_EUSAGE;
			}
			cli.config_path = argv[i + 1];
			i += 2;
		} else if (strncmp(argv[i], "--config=", 9) == 0) {
			cli.config_path = argv[i] + 9;
			i++;
		} else
			break;
	}

	memset(&ctx, 0, sizeof ctx);
	ctx.out = stdout;
	ctx.err = stderr;
	ctx.out_fd = STDOUT_FILENO;
	ctx.out_is_tty = isatty(STDOUT_FILENO);
	ctx.arg = &cli;
	ctx.open_gallery = open_gallery;
	ctx.env = env;
	ctx.save_token = save_token;
	ctx.clear_token = clear_token;
	/* prompts only when someone is typing: scripts get an error instead */
	if (isatty(STDIN_FILENO)) {
		ctx.ask_secret = ask_secret;
		ctx.ask_line = ask_line;
		ctx.ask_yes_no = ask_yes_no;
	}
	if (isatty(STDERR_FILENO))
		ctx.progress = progress;

	/* PGAL_TOKEN, else the saved session; an unsafe file is not used */
	if (i < argc) {
		pgal_err_clear(&e);
		if (pgal_session_file_read(cli.token, &e) == PGAL_OK)
			ctx.token = cli.token;
		else if (e.code != PGAL_ENOTFOUND)
			fprintf(stderr, "pgal: warning: %s\n", e.msg);
	}

	rc = pgal_cmd_exec(&ctx, argc - i, argv + i);
	if (ctx.g != NULL)
		pgal_close(ctx.g);
	explicit_bzero(cli.token, sizeof cli.token);
	if (fflush(stdout) != 0 && rc == PGAL_OK) {
		fprintf(stderr, "pgal: cannot write output\n");
		rc = PGAL_EBACKEND;
	}
	return rc;
}
