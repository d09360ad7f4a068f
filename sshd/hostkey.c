/* The host key: ed25519, made once under PGAL_HOME and reused, so clients
 * see the same key across restarts (and across a fleet sharing the file).
 * Made in a short-lived child so the listener holds no crypto state. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "fsutil.h"
#include "sshd.h"

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

int
sshd_hostkey_ensure(const pgal_config *cfg, char *path, size_t size)
{
	struct stat st;
	pgal_err e;
	pid_t pid;
	int status;

	if ((size_t)snprintf(path, size, "%s/ssh_host_ed25519_key", cfg->home) >= size)
		return -1;
	if (stat(path, &st) == 0) {
		if ((st.st_mode & 077) != 0) {
			sshd_log("host key %s is readable by others; chmod 600 it", path);
			return -1;
		}
		return 0;
	}
	if (errno != ENOENT) {
		sshd_log("host key %s: %s", path, strerror(errno));
		return -1;
	}
	if (pgal_fs_mkdirs(cfg->home, &e) != PGAL_OK) {
		sshd_log("%s", e.msg);
		return -1;
	}
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0)
		_exit(generate(path) == 0 ? 0 : 1);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		sshd_log("cannot create host key %s", path);
		return -1;
	}
	sshd_log("created host key %s", path);
	return 0;
}
