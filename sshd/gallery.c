/* The connection's gallery, opened when first needed. SQLite handles must
 * not cross a fork, so it is closed before every fork (child.c), and each
 * process of the connection (the connection process, a command or the TUI,
 * an ingest worker) opens its own through the same object when it needs it. */
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sshd.h"
#include "limits/throttle.h"

static void
log_line(void *arg, const char *line)
{
	sshd_log("%s", line);
}

/* a mail kept on this host (the outbox): the log says where, so whoever
 * runs the server finds a user's code */
static void
mail_note(void *arg, const char *user, const char *where)
{
	sshd_log("mail for %s: %s", user, where);
}

pgal *
sshd_gallery_get(struct sshd_gallery *sg, pgal_err *e)
{
	if (sg->g == NULL && pgal_open(&sg->g, sg->cfg, e) == PGAL_OK) {
		pgal_set_client(sg->g, sg->peer, sg->door, log_line, NULL);
		pgal_set_mail_note(sg->g, mail_note, NULL);
	}
	return sg->g; /* NULL when it could not be opened */
}

pgal *
sshd_gallery_need(struct sshd_gallery *sg, const char *door)
{
	pgal_err e;

	pgal_err_clear(&e);
	if (sshd_gallery_get(sg, &e) == NULL) {
		sshd_log("%s: gallery: %s", door, e.msg);
		_exit(PGAL_EBACKEND);
	}
	return sg->g;
}

void
sshd_gallery_close(struct sshd_gallery *sg)
{
	if (sg->g != NULL)
		pgal_close(sg->g);
	sg->g = NULL;
}

int
sshd_gallery_check(const pgal_config *cfg)
{
	pgal *g;
	pgal_err e;
	pid_t pid;
	int status;

	if ((pid = fork()) == -1) {
		perror("pgal-sshd: fork");
		return PGAL_EBACKEND;
	}
	if (pid == 0) {
		pgal_err_clear(&e);
		if (pgal_open(&g, cfg, &e) != PGAL_OK) {
			fprintf(stderr, "pgal-sshd: %s\n", e.msg);
			_exit(e.code);
		}
		pgal_close(g);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return PGAL_EBACKEND;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return PGAL_EBACKEND;
}
