/* The host key, held in the listener's memory and handed to each
 * connection process: ssh_host_key (a file, or an s3:// object every host
 * of a fleet shares), else PGAL_HOME/ssh_host_ed25519_key, made on first
 * start. It is read at start and on SIGHUP in a probe (probe.c: S3 means
 * libcurl and OpenSSL, which the listener never initializes), checked
 * there with libssh, and passed up its pipe: it never touches the disk. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* The default key's path, made if missing. */
static int
default_key(const pgal_config *cfg, char *path, size_t size, pgal_err *e)
{
	struct stat st;

	if ((size_t)snprintf(path, size, "%s/ssh_host_ed25519_key", cfg->home) >= size)
		return pgal_fail(e, PGAL_EINPUT, "host key: PGAL_HOME is too long");
	if (stat(path, &st) == 0)
		return PGAL_OK;
	if (errno != ENOENT)
		return pgal_fail(e, PGAL_EBACKEND, "host key %s: %s", path, strerror(errno));
	if (pgal_fs_mkdirs(cfg->home, e) != PGAL_OK)
		return e->code;
	if (generate(path) == -1)
		return pgal_fail(e, PGAL_EBACKEND, "cannot create host key %s", path);
	sshd_log("created host key %s", path);
	return PGAL_OK;
}

/* The probe: reads and checks the key, into out. */
static int
fetch(const void *arg, char *out, size_t size, size_t *len, pgal_err *e)
{
	const pgal_config *cfg = arg;
	char path[PATH_MAX + 64];
	const char *where = cfg->ssh_host_key;
	ssh_key key = NULL;
	char *pem;
	size_t n;
	int ok;

	if (where[0] == '\0') {
		if (default_key(cfg, path, sizeof path, e) != PGAL_OK)
			return e->code;
		where = path;
	}
	if (pgal_hostkey_read(cfg, where, &pem, &n, e) != PGAL_OK)
		return e->code;
	ok = ssh_pki_import_privkey_base64(pem, NULL, NULL, NULL, &key) == SSH_OK;
	ssh_key_free(key);
	if (ok && n > 0 && n <= size)
		memcpy(out, pem, n);
	explicit_bzero(pem, n);
	free(pem);
	if (!ok)
		return pgal_fail(e, PGAL_EINPUT, "host key %s: not a private key libssh can read",
		    where);
	if (n == 0 || n > size)
		return pgal_fail(e, PGAL_EINPUT, "host key %s: %zu bytes, not 1 to %zu", where,
		    n, size);
	*len = n;
	return PGAL_OK;
}

int
sshd_hostkey_load(const pgal_config *cfg, char **out)
{
	char *pem;
	size_t len;
	pgal_err e;

	*out = NULL;
	if ((pem = malloc(PGAL_HOSTKEY_MAX + 1)) == NULL) {
		sshd_log("host key: out of memory");
		return -1;
	}
	pgal_err_clear(&e);
	if (sshd_probe_run("host key", fetch, cfg, LOAD_SECS, pem, PGAL_HOSTKEY_MAX, &len,
	    &e) != PGAL_OK) {
		sshd_log("%s", e.msg);
		free(pem); /* wiped by the probe */
		return -1;
	}
	pem[len] = '\0';
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
