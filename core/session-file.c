#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "session-file.h"

/* pgal writes the token and a newline; a file far larger is something else */
#define SESSION_FILE_MAX 4096

/* The directory and file path; PGAL_EUSAGE if there is no home to put it in. */
static int
session_paths(char dir[PATH_MAX], char file[PATH_MAX], pgal_err *e)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	if (xdg != NULL && xdg[0] == '/')
		n = snprintf(dir, PATH_MAX, "%s/pgal", xdg);
	else if (home != NULL && home[0] == '/')
		n = snprintf(dir, PATH_MAX, "%s/.config/pgal", home);
	else
		return pgal_fail(e, PGAL_EUSAGE, "no HOME or XDG_CONFIG_HOME to keep the session in");
	if (n < 0 || n >= PATH_MAX - 16)
		return pgal_fail(e, PGAL_EUSAGE, "config directory path too long");
	snprintf(file, PATH_MAX, "%.*s/session", PATH_MAX - 16, dir);
	return PGAL_OK;
}

static int
well_formed(const char *t)
{
	size_t n = strspn(t, "0123456789abcdef");

	return n == PGAL_TOKEN_HEX && t[n] == '\0';
}

int
pgal_session_file_read(char tok[PGAL_TOKEN_HEX + 1], pgal_err *e)
{
	char dir[PATH_MAX], file[PATH_MAX], *buf;
	const char *env = getenv("PGAL_TOKEN");
	size_t len;
	int rc;

	tok[0] = '\0';
	if (env != NULL && env[0] != '\0') {
		if (!well_formed(env))
			return pgal_fail(e, PGAL_EDENIED, "PGAL_TOKEN is not a session token");
		memcpy(tok, env, PGAL_TOKEN_HEX + 1);
		return PGAL_OK;
	}
	if ((rc = session_paths(dir, file, e)) != PGAL_OK)
		return rc;
	switch (pgal_fs_read_small(file, SESSION_FILE_MAX, PGAL_FS_PRIVATE | PGAL_FS_OWN |
	    PGAL_FS_NOFOLLOW, &buf, &len)) {
	case PGAL_FS_SMALL_OK:
		break;
	case PGAL_FS_SMALL_OPEN:
	case PGAL_FS_SMALL_TOO_BIG:	/* not what pgal writes */
		return pgal_fail(e, PGAL_ENOTFOUND, "not logged in");
	case PGAL_FS_SMALL_NOT_FILE:
	case PGAL_FS_SMALL_SHARED:
		return pgal_fail(e, PGAL_EDENIED, "%s: must be a file only you can read (chmod 600)", file);
	case PGAL_FS_SMALL_READ:
		return pgal_fail(e, PGAL_EBACKEND, "%s: %s", file, strerror(errno));
	case PGAL_FS_SMALL_NOMEM:
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	buf[strcspn(buf, "\n")] = '\0';
	rc = well_formed(buf) ? PGAL_OK : pgal_fail(e, PGAL_ENOTFOUND, "not logged in");
	if (rc == PGAL_OK)
		memcpy(tok, buf, PGAL_TOKEN_HEX + 1);
	explicit_bzero(buf, len);
	free(buf);
	return rc;
}

int
pgal_session_file_write(const char *tok, pgal_err *e)
{
	char dir[PATH_MAX], file[PATH_MAX], tmp[PATH_MAX + 16], parent[PATH_MAX];
	char *slash;
	int fd, rc, ok;

	if (!well_formed(tok))
		return pgal_fail(e, PGAL_EUSAGE, "not a session token");
	if ((rc = session_paths(dir, file, e)) != PGAL_OK)
		return rc;
	/* ~/.config may not exist yet either */
	snprintf(parent, sizeof parent, "%s", dir);
	if ((slash = strrchr(parent, '/')) != NULL && slash != parent) {
		*slash = '\0';
		(void)mkdir(parent, 0700);
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return pgal_fail(e, PGAL_EBACKEND, "%s: %s", dir, strerror(errno));
	snprintf(tmp, sizeof tmp, "%s.%ld", file, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
		return pgal_fail(e, PGAL_EBACKEND, "%s: %s", tmp, strerror(errno));
	ok = write(fd, tok, PGAL_TOKEN_HEX) == PGAL_TOKEN_HEX && write(fd, "\n", 1) == 1 &&
	     fsync(fd) == 0;
	if (close(fd) != 0 || !ok || rename(tmp, file) != 0) {
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: %s", file, strerror(errno));
		unlink(tmp);
		return rc;
	}
	return PGAL_OK;
}

int
pgal_session_file_clear(pgal_err *e)
{
	char dir[PATH_MAX], file[PATH_MAX];
	int rc;

	if ((rc = session_paths(dir, file, e)) != PGAL_OK)
		return rc;
	if (unlink(file) != 0 && errno != ENOENT)
		return pgal_fail(e, PGAL_EBACKEND, "%s: %s", file, strerror(errno));
	return PGAL_OK;
}
