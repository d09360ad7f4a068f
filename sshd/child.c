/* Every process the connection forks (the TUI on its pty, a command on
 * its pipes, an ingest worker) starts the same way: the gallery closed
 * before the fork (each process opens its own), and in the child exactly
 * the descriptors it is given, the server log on 3 and nothing else (no
 * client connection or other channel's pipe stays open in it), the
 * signals the connection handles back to their defaults and no alarm.
 * The connection process runs no thread of its own (libvips starts only
 * in the ingest workers, ingest-queue.c), so it may fork at any time:
 * commands run on a connection that has SFTP open too. The listener's
 * short-lived helpers (probe.c) start with the same signals. */
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <utmp.h>

#include "sshd.h"

/* Where the sources wait while 0..4 are filled: above every target. */
#define PARKED_MIN (SSHD_CHILD_EXTRA_FD + 1)

static void
close_from(int first)
{
	int fd;

	if (close_range((unsigned)first, ~0U, 0) == -1) {
		for (fd = first; fd < 1024; fd++)
			close(fd);
	}
}

void
sshd_keep_fd_only(int *fd)
{
	if (*fd != 3) {
		if (dup2(*fd, 3) == -1)
			_exit(1);
		*fd = 3;
	}
	close_from(4);
}

static void
setup(const struct sshd_child_fds *f)
{
	int src[] = { f->in, f->out, f->err, sshd_log_fd(), f->extra };
	int i, null = -1;

	/* each source out of the way first: one may sit where another goes */
	for (i = 0; i < (int)(sizeof src / sizeof src[0]); i++) {
		if (src[i] == -1 && i <= STDERR_FILENO) {
			if (null == -1 && (null = open("/dev/null", O_RDWR)) == -1)
				_exit(1);
			src[i] = null;
		}
		if (src[i] != -1 && (src[i] = fcntl(src[i], F_DUPFD, PARKED_MIN)) == -1)
			_exit(1);
	}
	if (f->tty) {
		/* a new session with the pty as its terminal, on 0, 1 and 2 */
		if (login_tty(src[0]) == -1)
			_exit(1);
	} else {
		for (i = 0; i <= STDERR_FILENO; i++)
			if (dup2(src[i], i) == -1)
				_exit(1);
	}
	if (dup2(src[3], SSHD_CHILD_LOG_FD) == -1 ||
	    (src[4] != -1 && dup2(src[4], SSHD_CHILD_EXTRA_FD) == -1))
		_exit(1);
	close_from(src[4] != -1 ? SSHD_CHILD_EXTRA_FD + 1 : SSHD_CHILD_LOG_FD + 1);
	sshd_log_set_fd(SSHD_CHILD_LOG_FD);
}

void
sshd_child_signals(int detached)
{
	void (*end)(int) = detached ? SIG_IGN : SIG_DFL;
	sigset_t usr1;

	signal(SIGHUP, end);
	signal(SIGTERM, end);
	signal(SIGPIPE, end);
	if (detached)
		signal(SIGINT, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL); /* conn.c blocks it */
	alarm(0);
}

pid_t
sshd_child_fork(struct sshd_gallery *sg, const struct sshd_child_fds *fds)
{
	pid_t pid;

	/* SQLite handles must not cross a fork */
	sshd_gallery_close(sg);
	if ((pid = fork()) != 0)
		return pid;
	sshd_child_signals(fds->detached);
	setup(fds);
	return 0;
}
