/* exec channels: the command line is split like a shell would (quotes and
 * backslashes, no expansion), then run in a child whose stdin, stdout and
 * stderr are the channel: a gallery command through the shared command
 * table (remote: local-only commands are not offered), or scp -t / -f. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "conn.h"

#define WORDS_MAX 4096

void
sshd_free_words(char **argv)
{
	char **p;

	if (argv == NULL)
		return;
	for (p = argv; *p != NULL; p++)
		free(*p);
	free(argv);
}

int
sshd_split_words(const char *line, char ***out, char *err, size_t errsz)
{
	size_t len = strlen(line), n = 0, cap = 8, wl;
	char **argv, *w;
	const char *p = line;
	int quote;

	*out = NULL;
	if ((argv = calloc(cap + 1, sizeof *argv)) == NULL)
		goto nomem;
	if ((w = malloc(len + 1)) == NULL) {
		free(argv);
		goto nomem;
	}
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		wl = 0;
		quote = 0;
		while (*p != '\0') {
			char ch = *p;

			if (quote == 0 && (ch == ' ' || ch == '\t' || ch == '\n'))
				break;
			if (quote == 0 && (ch == '\'' || ch == '"')) {
				quote = ch;
				p++;
			} else if (quote != 0 && ch == quote) {
				quote = 0;
				p++;
			} else if (ch == '\\' && quote != '\'' && p[1] != '\0') {
				/* inside "..." a backslash only escapes these */
				if (quote == '"' && strchr("\\\"$`", p[1]) == NULL)
					w[wl++] = ch;
				w[wl++] = p[1];
				p += 2;
			} else if (quote == 0 && strchr("|&;<>()$`", ch) != NULL) {
				snprintf(err, errsz, "pgal: '%c' is not supported: commands run "
				    "without a shell", ch);
				goto fail;
			} else {
				w[wl++] = ch;
				p++;
			}
		}
		if (quote != 0) {
			snprintf(err, errsz, "pgal: unmatched %c in command", quote);
			goto fail;
		}
		if (n == WORDS_MAX) {
			snprintf(err, errsz, "pgal: too many words in command");
			goto fail;
		}
		if (n == cap) {
			char **na = realloc(argv, (cap * 2 + 1) * sizeof *argv);

			if (na == NULL)
				goto fail;
			argv = na;
			cap *= 2;
		}
		if ((argv[n] = strndup(w, wl)) == NULL)
			goto fail;
		argv[++n] = NULL;
	}
	free(w);
	*out = argv;
	return (int)n;
fail:
	free(w);
	sshd_free_words(argv);
	return -1;
nomem:
	snprintf(err, errsz, "pgal: out of memory");
	return -1;
}

static int
open_gallery(pgal_cmd_ctx *ctx, pgal_err *e)
{
	ctx->g = sshd_gallery_get(ctx->arg, e);
	return ctx->g != NULL ? PGAL_OK : e->code;
}

/* Whether the command waits for this user's uploads still being stored
 * on this host: the table says so for gallery commands; an scp source
 * (scp -f) reads photos, a sink (scp -t) adds uploads (parallel scp
 * uploads must not wait for each other). */
static int
waits_for_uploads(int argc, char **argv)
{
	const pgal_cmd_entry *cmd;
	int i;

	if (strcmp(argv[0], "scp") == 0) {
		for (i = 1; i < argc && argv[i][0] == '-'; i++)
			if (strchr(argv[i], 'f') != NULL)
				return 1;
		return 0;
	}
	cmd = pgal_cmd_find(argv[0]);
	return cmd != NULL && (cmd->flags & PGAL_CMD_AFTER_UPLOADS);
}

int
sshd_exec_child(struct sshd_gallery *sg, const char *token, const char *user, int argc,
    char **argv)
{
	const pgal_config *cfg = sg->cfg;
	pgal_cmd_ctx ctx;
	int rc;

	/* "ssh host pgal ls" reads as well as "ssh host ls" */
	if (argc > 0 && strcmp(argv[0], "pgal") == 0) {
		argc--;
		argv++;
	}
	/* uploads of this user still being stored on this host come first,
	 * so a script's scp then ls sees what it sent; a sink (scp -t) adds
	 * uploads and does not wait */
	if (argc > 0 && waits_for_uploads(argc, argv) &&
	    sshd_pending_wait(cfg, user, cfg->ssh_ingest_timeout_secs * 1000) == -1)
		fprintf(stderr, "pgal: uploads are still being stored; showing what is "
		    "stored so far\n");
	if (argc > 0 && strcmp(argv[0], "scp") == 0) {
		rc = sshd_scp(sg, token, user, argc, argv);
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

int
sshd_exec_spawn(struct conn *c, struct chan *k, char *err, size_t errsz)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, errp[2] = { -1, -1 };
	struct sshd_child_fds fds = { .extra = -1 };
	char **argv = NULL;
	int argc;
	pid_t pid;

	if ((argc = sshd_split_words(k->cmd, &argv, err, errsz)) == -1)
		return -1;
	if (argc == 0) {
		sshd_free_words(argv);
		snprintf(err, errsz, "pgal: empty command; try 'help'");
		return -1;
	}
	if (pipe(in) == -1 || pipe(out) == -1 || pipe(errp) == -1) {
		snprintf(err, errsz, "pgal: server busy, try again");
		goto fail;
	}
	fds.in = in[0];
	fds.out = out[1];
	fds.err = errp[1];
	if ((pid = sshd_child_fork(&c->gallery, &fds)) == -1) {
		snprintf(err, errsz, "pgal: server busy, try again");
		goto fail;
	}
	if (pid == 0) {
		int rc = sshd_exec_child(&c->gallery, c->token, c->user, argc, argv);
		fflush(stdout);
		fflush(stderr);
		_exit(rc);
	}
	sshd_free_words(argv);
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
	return 0;
fail:
	sshd_free_words(argv);
	if (in[0] != -1) { close(in[0]); close(in[1]); }
	if (out[0] != -1) { close(out[0]); close(out[1]); }
	if (errp[0] != -1) { close(errp[0]); close(errp[1]); }
	return -1;
}
