/* The host key, held in the listener's memory and handed to each
 * connection process: ssh_host_key (a file, or an s3:// object every host
 * of a fleet shares), else PGAL_HOME/ssh_host_ed25519_key, made on first
 * start. It is read at start and on SIGHUP in a short-lived child (S3
 * means libcurl and OpenSSL, which the listener never initializes), checked
 * there with libssh, and passed up a pipe: it never touches the disk. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "fsutil.h"
#include "hostkey.h"
#include "sshd.h"

/* the most a read (an S3 GET with its retries) may take */
#define LOAD_SECS 30

static int
generate(const char *path)
{
	char tmp[PATH_MAX + 16];
	ssh_key key = NULL;
	int rc;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.new", path) >= sizeof tmp)
		return -1;
	umask(077);
	unlink(tmp);
	if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK)
		return -1;
	rc = ssh_pki_export_privkey_file(key, NULL, NULL, NULL, tmp);
	ssh_key_free(key);
	if (rc != SSH_OK || chmod(tmp, 0600) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* The default key's path, made if missing; -1 after logging why. */
static int
default_key(const pgal_config *cfg, char *path, size_t size)
{
	struct stat st;
	pgal_err e;

	if ((size_t)snprintf(path, size, "%s/ssh_host_ed25519_key", cfg->home) >= size)
		return -1;
	if (stat(path, &st) == 0)
		return 0;
	if (errno != ENOENT) {
		sshd_log("host key %s: %s", path, strerror(errno));
		return -1;
	}
	if (pgal_fs_mkdirs(cfg->home, &e) != PGAL_OK) {
		sshd_log("%s", e.msg);
		return -1;
	}
	if (generate(path) == -1) {
		sshd_log("cannot create host key %s", path);
		return -1;
	}
	sshd_log("created host key %s", path);
	return 0;
}

/* The child: reads and checks the key, writes it to fd. */
static int
fetch(const pgal_config *cfg, int fd)
{
	char path[PATH_MAX + 64];
	const char *where = cfg->ssh_host_key;
	ssh_key key = NULL;
	char *pem;
	size_t len, off;
	ssize_t n;
	pgal_err e;
	int ok;

	if (where[0] == '\0') {
		if (default_key(cfg, path, sizeof path) == -1)
			return -1;
		where = path;
	}
	pgal_err_clear(&e);
	if (pgal_hostkey_read(cfg, where, &pem, &len, &e) != PGAL_OK) {
		sshd_log("%s", e.msg);
		return -1;
	}
	ok = ssh_pki_import_privkey_base64(pem, NULL, NULL, NULL, &key) == SSH_OK;
	ssh_key_free(key);
	if (!ok)
		sshd_log("host key %s: not a private key libssh can read", where);
	for (off = 0; ok && off < len; off += (size_t)n)
		if ((n = write(fd, pem + off, len - off)) <= 0)
			ok = 0;
	explicit_bzero(pem, len);
	free(pem);
	return ok ? 0 : -1;
}

int
sshd_hostkey_load(const pgal_config *cfg, char **out)
{
	struct pollfd p;
	int64_t t0;
	char *pem;
	size_t got = 0;
	ssize_t n;
	int fds[2], status, left;
	pid_t pid;

	*out = NULL;
	if ((pem = malloc(PGAL_HOSTKEY_MAX + 1)) == NULL || pipe2(fds, O_CLOEXEC) == -1) {
		free(pem);
		return -1;
	}
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		free(pem);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		sshd_keep_fd_only(&fds[1]);
		_exit(fetch(cfg, fds[1]) == 0 ? 0 : 1);
	}
	close(fds[1]);
	t0 = pgal_now_ms();
	p.fd = fds[0];
	p.events = POLLIN;
	for (;;) {
		left = LOAD_SECS * 1000 - (int)(pgal_now_ms() - t0);
		if (left <= 0 || got > PGAL_HOSTKEY_MAX) {
			kill(pid, SIGKILL);
			got = 0;
			break;
		}
		if (poll(&p, 1, left) <= 0)
			continue;
		n = read(fds[0], pem + got, PGAL_HOSTKEY_MAX + 1 - got);
		if (n == 0)
			break;
		if (n > 0)
			got += (size_t)n;
		else if (errno != EINTR && errno != EAGAIN)
			break;
	}
	close(fds[0]);
	status = -1;
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (status == -1 || got == 0 || got > PGAL_HOSTKEY_MAX || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		if (got == 0 && WIFSIGNALED(status))
			sshd_log("host key: no answer within %d s", LOAD_SECS);
		explicit_bzero(pem, PGAL_HOSTKEY_MAX + 1);
		free(pem);
		return -1;
	}
	pem[got] = '\0';
	*out = pem;
	return 0;
}

void
sshd_hostkey_free(char *pem)
{
	if (pem == NULL)
		return;
	explicit_bzero(pem, strlen(pem));
	free(pem);
}
