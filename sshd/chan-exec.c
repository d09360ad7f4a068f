/* The exec channel kind: the command line is split like a shell would
 * (words.c), then run in a child whose stdin, stdout and stderr are the
 * channel: a gallery command through the shared command table (remote:
 * local-only commands are not offered), or scp -t / -f (scp.c). The relay
 * (chan-relay.c) serves its pipes. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "conn.h"
#include "sanitize.h"
#include "validate.h"

/* init is local only: over SSH every command opens in use mode */
static int
open_gallery(pgal_cmd_ctx *ctx, int init, pgal_err *e)
{
	ctx->g = sshd_gallery_get(ctx->arg, e);
	return ctx->g != NULL ? PGAL_OK : e->code;
}

/* Whether the command waits for this user's uploads still being stored
 * on this host: the table says so for gallery commands; an scp source
 * (scp -f) reads photos, a sink (scp -t) adds uploads (parallel scp
 * uploads must not wait for each other). */
static int
waits_for_uploads(const pgal_cmd_entry *cmd, int argc, char **argv)
{
	int i;

	if (strcmp(argv[0], "scp") == 0) {
		for (i = 1; i < argc && argv[i][0] == '-'; i++)
			if (strchr(argv[i], 'f') != NULL)
				return 1;
		return 0;
	}
	return cmd != NULL && (cmd->flags & PGAL_CMD_AFTER_UPLOADS);
}

/* Writes word to f as a POSIX shell reads it back: as is when plain,
 * else in single quotes; what a terminal would act on is not written. */
static void
put_shell_word(FILE *f, const char *word)
{
	char clean[256];
	const char *p;

	pgal_sanitize(clean, sizeof clean, word, 0);
	if (clean[0] != '\0' && strspn(clean, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._/-+:@,=") == strlen(clean)) {
		fputs(clean, f);
		return;
	}
	fputc('\'', f);
	for (p = clean; *p != '\0'; p++) {
		if (*p == '\'')
			fputs("'\\''", f);
		else
			fputc(*p, f);
	}
	fputc('\'', f);
}

/* A command of ALBUM PATH... on the user's computer (put), over SSH: the
 * server cannot read them; says the scp (and sftp) command that sends
 * them, with the files and album given when they were. */
static int
client_files_hint(const pgal_config *cfg, const char *user, int argc, char **argv)
{
	struct sshd_reach r;
	int i;

	sshd_reach(cfg, &r);
	fprintf(stderr, "pgal: %s reads files on your computer; send them from there with "
	    "scp: scp ", argv[0]);
	if (r.port != NULL)
		fprintf(stderr, "-P %s ", r.port);
	if (argc > 2) {
		for (i = 2; i < argc; i++) {
			put_shell_word(stderr, argv[i]);
			fputc(' ', stderr);
		}
	} else {
		fputs("FILE... ", stderr);
	}
	fprintf(stderr, "%s@%s:", user, r.host);
	if (argc > 1 && pgal_valid_album_name(argv[1], NULL) == PGAL_OK)
		put_shell_word(stderr, argv[1]);
	else
		fputs("ALBUM", stderr);
	fprintf(stderr, "/ (or sftp %s%s%s%s@%s)\n", r.port != NULL ? "-P " : "",
	    r.port != NULL ? r.port : "", r.port != NULL ? " " : "", user, r.host);
	return PGAL_EUSAGE;
}

/* In the child: runs the words; returns the exit status. */
static int
exec_run(struct sshd_gallery *sg, const char *token, const char *user, int argc, char **argv)
{
	const pgal_config *cfg = sg->cfg;
	const pgal_cmd_entry *cmd;
	pgal_cmd_ctx ctx;
	int rc;

	sg->door = "exec";

	/* "ssh host pgal ls" reads as well as "ssh host ls" */
	if (argc > 0 && strcmp(argv[0], "pgal") == 0) {
		argc--;
		argv++;
	}
	/* the command's entry, NULL for scp and for what is no command */
	cmd = argc > 0 ? pgal_cmd_find(argv[0]) : NULL;
	/* uploads of this user still being stored on any host come first,
	 * so a script's scp then ls sees what it sent; a sink (scp -t) adds
	 * uploads and does not wait */
	if (argc > 0 && waits_for_uploads(cmd, argc, argv) &&
	    sshd_pending_wait(sg, token, cfg->ssh_ingest_timeout_secs * 1000) == -1)
		fprintf(stderr, "pgal: uploads are still being stored; showing what is "
		    "stored so far\n");
	if (argc > 0 && strcmp(argv[0], "scp") == 0) {
		rc = sshd_scp(sg, token, user, argc, argv);
		sshd_gallery_close(sg);
		return rc;
	}
	if (cmd != NULL && (cmd->flags & PGAL_CMD_CLIENT_FILES)) {
		rc = client_files_hint(cfg, user, argc, argv);
		sshd_gallery_close(sg);
		return rc;
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.arg = sg;
	ctx.token = token;
	ctx.out = stdout;
	ctx.err = stderr;
	ctx.out_fd = STDOUT_FILENO;
	ctx.out_is_tty = 0;
	ctx.remote = 1;
	ctx.open_gallery = open_gallery;
	rc = pgal_cmd_exec(&ctx, argc, argv);
	fflush(stdout);
	fflush(stderr);
	sshd_gallery_close(sg);
	return rc;
}

static int
chan_exec_start(struct conn *c, struct chan *k, pgal_err *e)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, errp[2] = { -1, -1 };
	struct sshd_child_fds fds = { .extra = -1 };
	char **argv = NULL;
	int argc;
	pid_t pid;

	/* the guest's request was taken so that it hears why it gets nothing */
	if (c->guest) {
		struct sshd_reach r;

		sshd_reach(c->cfg, &r);
		return pgal_fail(e, PGAL_EDENIED, "commands need an account; '%s' opens the "
		    "gallery's screens only: ssh -t %s%s%s%s@%s (sign up or log in there), then "
		    "ssh USER@%s COMMAND", c->cfg->ssh_guest, r.port != NULL ? "-p " : "",
		    r.port != NULL ? r.port : "", r.port != NULL ? " " : "", c->cfg->ssh_guest,
		    r.host, r.host);
	}
	argc = sshd_words_split(k->cmd, &argv, e);
	free(k->cmd);
	k->cmd = NULL;
	if (argc == -1)
		return e->code;
	if (argc == 0) {
		sshd_words_free(argv);
		return pgal_fail(e, PGAL_EUSAGE, "empty command; try 'help'");
	}
	if (pipe(in) == -1 || pipe(out) == -1 || pipe(errp) == -1) {
		pgal_fail(e, PGAL_EBACKEND, "server busy, try again");
		goto fail;
	}
	fds.in = in[0];
	fds.out = out[1];
	fds.err = errp[1];
	if ((pid = sshd_child_fork(&c->gallery, &fds)) == -1) {
		pgal_fail(e, PGAL_EBACKEND, "server busy, try again");
		goto fail;
	}
	if (pid == 0) {
		int rc = exec_run(&c->gallery, c->token, c->user, argc, argv);
		fflush(stdout);
		fflush(stderr);
		_exit(rc);
	}
	sshd_words_free(argv);
	close(in[0]);
	close(out[1]);
	close(errp[1]);
	fcntl(in[1], F_SETFD, FD_CLOEXEC);
	/* a child that does not read its stdin must not stop this process */
	fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
	fcntl(out[0], F_SETFD, FD_CLOEXEC);
	fcntl(errp[0], F_SETFD, FD_CLOEXEC);
	k->pid = pid;
	k->in_fd = in[1];
	k->out_fd = out[0];
	k->err_fd = errp[0];
	chan_relay_start(c, k);
	return PGAL_OK;
fail:
	sshd_words_free(argv);
	if (in[0] != -1) { close(in[0]); close(in[1]); }
	if (out[0] != -1) { close(out[0]); close(out[1]); }
	if (errp[0] != -1) { close(errp[0]); close(errp[1]); }
	return e->code;
}

static void
chan_exec_release(struct conn *c, struct chan *k)
{
	chan_relay_release(c, k);
	free(k->cmd);
	k->cmd = NULL;
}

const struct chan_ops chan_exec_ops = {
	.name = "exec",
	.start = chan_exec_start,
	.input = chan_relay_input,
	.service = chan_relay_service,
	.release = chan_exec_release,
};
