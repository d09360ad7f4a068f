/* credential_process: a command of the profile that prints credentials as
 * JSON (Version 1: AccessKeyId, SecretAccessKey, SessionToken, Expiration).
 * botocore splits the command into words with shlex (POSIX rules) and runs
 * it without a shell; so do we. Its stdout holds secrets: it is read into a
 * bounded buffer, wiped, and never shown; its stderr is its own to write
 * (inherited), and a failure names only the exit status. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "aws/aws.h"
#include "aws/aws-int.h"
#include "crypto.h"

#define MAX_WORDS 64
#define OUT_MAX 65536
#define RUN_SECS 60

extern char **environ;

/* Splits s into words in buf (same size as s plus one per word) as
 * Python's shlex.split does: blanks separate, '...' keeps everything,
 * "..." lets a backslash escape only " and \, a bare backslash escapes
 * the next character. Returns the number of words or -1. */
static int
split_words(const char *s, char *buf, char **argv, int max)
{
	int	n = 0, in_word = 0;
	char	q = 0;

	for (; *s != '\0'; s++) {
		char c = *s;

		if (q == '\'') {
			if (c == '\'')
				q = 0;
			else
				*buf++ = c;
			continue;
		}
		if (q == '"') {
			if (c == '"')
				q = 0;
			else if (c == '\\' && (s[1] == '"' || s[1] == '\\'))
				*buf++ = *++s;
			else
				*buf++ = c;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (in_word) {
				*buf++ = '\0';
				in_word = 0;
			}
			continue;
		}
		if (!in_word) {
			if (n == max)
				return -1;
			argv[n++] = buf;
			in_word = 1;
		}
		if (c == '\'' || c == '"')
			q = c;
		else if (c == '\\') {
			if (s[1] == '\0')
				return -1;
			*buf++ = *++s;
		} else
			*buf++ = c;
	}
	if (q != 0)
		return -1;
	if (in_word)
		*buf++ = '\0';
	argv[n] = NULL;
	return n;
}

/* Reads the child's stdout until it closes, at most OUT_MAX bytes and
 * RUN_SECS seconds; 0 ok, -1 too much, -2 too slow, -3 a read error. */
static int
read_all(int fd, char *out, size_t *len)
{
	time_t end = time(NULL) + RUN_SECS;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	*len = 0;
	for (;;) {
		int left = (int)(end - time(NULL)), r;
		ssize_t got;

		if (left <= 0)
			return -2;
		if ((r = poll(&p, 1, left * 1000)) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return r == 0 ? -2 : -3;
		do
			got = read(fd, out + *len, OUT_MAX - *len);
		while (got == -1 && errno == EINTR);
		if (got < 0)
			return -3;
		if (got == 0)
			return 0;
		*len += (size_t)got;
		if (*len == OUT_MAX)
			return -1;
	}
}

int
pgal_aws_creds_process(const char *command, const char *profile,
    pgal_aws_creds *out, pgal_err *e)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t    none, dflt;
	char	   *words = NULL, *argv[MAX_WORDS + 1], source[112], *outbuf;
	json_t	   *j = NULL;
	size_t	    len = 0;
	pid_t	    pid;
	int	    fds[2] = { -1, -1 }, status = 0, rc, rd, rd_errno, reaped;

	memset(out, 0, sizeof *out);
	snprintf(source, sizeof source, "credential_process of profile '%.64s'",
	    profile);
	if ((words = malloc(strlen(command) + MAX_WORDS + 1)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	if (split_words(command, words, argv, MAX_WORDS) <= 0) {
		free(words);
		return pgal_fail(e, PGAL_EINPUT, "%s: empty, unbalanced quotes or "
		    "more than %d words", source, MAX_WORDS);
	}
	if ((outbuf = malloc(OUT_MAX + 1)) == NULL) {
		free(words);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	if (pipe2(fds, O_CLOEXEC) == -1) {
		free(words);
		free(outbuf);
		return pgal_fail(e, PGAL_EBACKEND, "%s: pipe: %s", source, strerror(errno));
	}
	/* the helper starts with no signal blocked or ignored (a server
	 * ignores SIGPIPE; an exec'd program would inherit that) */
	sigemptyset(&none);
	sigfillset(&dflt);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dflt);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	/* nothing else of ours (database, sockets) reaches the helper */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(fds[1]);
	if (rc != 0) {
		char shown[80];

		pgal_aws_printable(shown, sizeof shown, argv[0], strlen(argv[0]));
		close(fds[0]);
		free(words);
		free(outbuf);
		return pgal_fail(e, PGAL_EBACKEND, "%s: cannot run %s: %s", source,
		    shown, strerror(rc));
	}
	free(words);
	rd = read_all(fds[0], outbuf, &len);
	rd_errno = errno;
	close(fds[0]);
	if (rd != 0)
		kill(pid, SIGKILL);
	/* a server's own SIGCHLD handler may reap it first (ECHILD): then
	 * its output alone decides */
	while ((reaped = waitpid(pid, &status, 0)) == -1 && errno == EINTR)
		;
	if (reaped == -1)
		status = 0;
	outbuf[len] = '\0';
	if (rd == -1)
		rc = pgal_fail(e, PGAL_EINPUT, "%s: printed more than %d bytes",
		    source, OUT_MAX);
	else if (rd == -2)
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: no answer within %d s",
		    source, RUN_SECS);
	else if (rd != 0)
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: reading its output: %s",
		    source, strerror(rd_errno));
	else if (WIFSIGNALED(status))
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: killed by signal %d", source,
		    WTERMSIG(status));
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: exited with status %d", source,
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	else if ((j = json_loadb(outbuf, len, 0, NULL)) == NULL || !json_is_object(j))
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: its output is not a JSON "
		    "object", source);
	else if (json_integer_value(json_object_get(j, "Version")) != 1 ||
	    !json_is_integer(json_object_get(j, "Version")))
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: Version is not 1 (the only "
		    "version there is)", source);
	else
		rc = pgal_aws_creds_from_json(outbuf, len, "SessionToken", source,
		    out, e);
	if (j != NULL) {
		json_t *s = json_object_get(j, "SecretAccessKey");

		if (json_is_string(s))
			pgal_wipe((void *)json_string_value(s), json_string_length(s));
		s = json_object_get(j, "SessionToken");
		if (json_is_string(s))
			pgal_wipe((void *)json_string_value(s), json_string_length(s));
		json_decref(j);
	}
	pgal_wipe(outbuf, OUT_MAX + 1);
	free(outbuf);
	return rc;
}
