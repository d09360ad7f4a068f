/* Configuration: defaults, then pgal.conf, then PGAL_* variables, then paths
 * derived from home. Every key is one line in the table below. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "reader.h"
#include "sanitize.h"

#define LINE_MAX_BYTES 4096

enum ctype {
	C_STR,	/* char[] of the field's size */
	C_INT,	/* int, decimal */
	C_I64,	/* int64_t, decimal */
	C_SIZE,	/* int64_t, decimal with optional k/M/G (binary) suffix */
	C_BOOL,	/* int: yes/no, true/false, on/off, 1/0 */
	C_STARTUPS, /* ssh_max_startups: start:rate:full or one number */
};

struct ckey {
	const char	*name;
	enum ctype	 type;
	size_t		 off;
	size_t		 size;	/* C_STR: the buffer size */
	int64_t		 min, max;
};

#define STR(k) #k, C_STR, offsetof(pgal_config, k), sizeof(((pgal_config *)0)->k), 0, 0
#define NUM(k, t, lo, hi) #k, t, offsetof(pgal_config, k), 0, lo, hi

#define DAY 86400
static const struct ckey keys[] = {
	{ STR(home) },
	{ STR(store) },
	{ STR(blobs) },
	{ STR(mail) },
	{ STR(mail_from) },
	{ STR(sqlite_path) },
	{ STR(blobs_dir) },
	{ STR(outbox_dir) },
	{ NUM(max_upload_bytes, C_SIZE, 1024, INT64_C(1) << 40) },
	{ NUM(max_pixels, C_I64, 1, INT64_C(1000000000)) },
	{ NUM(thumb_px, C_INT, 16, 1024) },
	{ NUM(preview_px, C_INT, 64, 8192) },
	{ NUM(decode_sandbox, C_BOOL, 0, 1) },
	{ NUM(decode_memory_max, C_SIZE, 0, INT64_C(1) << 40) },
	{ NUM(decoders_max, C_INT, 0, 1024) },
	{ NUM(session_idle_secs, C_INT, 60, 365 * DAY) },
	{ NUM(session_max_secs, C_INT, 60, 10 * 365 * DAY) },
	{ NUM(code_ttl_secs, C_INT, 60, 30 * DAY) },
	{ NUM(code_tries, C_INT, 1, 100) },
	{ NUM(mail_cooldown_secs, C_INT, 0, 3600) },
	{ STR(aws_region) },
	{ STR(aws_access_key_id) },
	{ STR(aws_secret_access_key) },
	{ STR(aws_session_token) },
	{ STR(s3_bucket) },
	{ STR(s3_prefix) },
	{ NUM(s3_path_style, C_BOOL, 0, 1) },
	{ NUM(s3_multipart_threshold, C_SIZE, INT64_C(5) << 20, INT64_C(5) << 30) },
	{ NUM(s3_abort_incomplete_uploads, C_BOOL, 0, 1) },
	{ STR(smtp_url) },
	{ STR(smtp_user) },
	{ STR(smtp_password) },
	{ STR(smtp_ca_file) },
	{ STR(mysql_host) },
	{ NUM(mysql_port, C_INT, 0, 65535) },
	{ STR(mysql_user) },
	{ STR(mysql_password) },
	{ STR(mysql_database) },
	{ STR(mysql_ssl_ca) },
	{ STR(mysql_socket) },
	{ NUM(mysql_tls, C_BOOL, 0, 1) },
	{ STR(dynamodb_table) },
	{ STR(dynamodb_users_table) },
	{ NUM(dynamodb_pitr, C_BOOL, 0, 1) },
	{ NUM(dynamodb_deletion_protection, C_BOOL, 0, 1) },
	{ NUM(dynamodb_ttl, C_BOOL, 0, 1) },
	{ NUM(quota_bytes, C_SIZE, 0, INT64_C(1) << 50) },
	{ STR(ssh_listen) },
	{ NUM(ssh_port, C_INT, 1, 65535) },
	{ STR(ssh_guest) },
	{ NUM(ssh_login_grace_secs, C_INT, 1, 3600) },
	{ NUM(ssh_max_startups, C_STARTUPS, 1, 100000) },
	{ NUM(ssh_kex_grace_secs, C_INT, 1, 3600) },
	{ NUM(ssh_per_addr_max, C_INT, 1, 100000) },
	{ NUM(ssh_max_sessions, C_INT, 1, 100000) },
	{ NUM(ssh_max_guests, C_INT, 1, 100000) },
	{ NUM(ssh_guest_open_secs, C_INT, 1, 3600) },
	{ NUM(ssh_guest_idle_secs, C_INT, 0, 30 * DAY) },
	/* pgal-sshd holds at most 8 channels per connection */
	{ NUM(ssh_max_channels, C_INT, 1, 8) },
	{ NUM(ssh_idle_secs, C_INT, 0, 30 * DAY) },
	{ NUM(ssh_syslog, C_BOOL, 0, 1) },
	{ STR(ssh_syslog_socket) },
	{ NUM(ssh_rmdir_nonempty, C_BOOL, 0, 1) },
	{ NUM(ssh_spool_max, C_SIZE, INT64_C(1) << 20, INT64_C(1) << 50) },
	{ NUM(ssh_ingest_nice, C_INT, 0, 19) },
	{ NUM(ssh_ingest_timeout_secs, C_INT, 1, DAY) },
	{ NUM(ssh_upload_marker_secs, C_INT, 3, DAY) },
	{ NUM(ssh_ingest_workers, C_INT, 1, 8) },
	{ STR(ssh_host_key) },
	{ NUM(ssh_proxy_protocol, C_BOOL, 0, 1) },
	{ STR(ssh_proxy_trusted) },
	{ NUM(ssh_health_port, C_INT, 0, 65535) },
};
#define NKEYS (sizeof keys / sizeof keys[0])

/* Where an installed pgal keeps its data when nothing says otherwise: the
 * XDG data folder ($XDG_DATA_HOME, else ~/.local/share) and pgal in it,
 * never a folder of whatever directory it was started in (make run and
 * make serve set PGAL_HOME to ./var themselves). ./var only when neither
 * variable gives an absolute path. */
static void
default_home(char *home, size_t size)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *h = getenv("HOME");

	/* the XDG spec: a relative XDG_DATA_HOME is to be ignored */
	if (xdg != NULL && xdg[0] == '/' &&
	    (size_t)snprintf(home, size, "%s/pgal", xdg) < size)
		return;
	if (h != NULL && h[0] == '/' &&
	    (size_t)snprintf(home, size, "%s/.local/share/pgal", h) < size)
		return;
	snprintf(home, size, "./var");
}

/* Defaults, with the derived paths left empty so load can tell them unset. */
static void base_defaults(pgal_config *c);

int
pgal_config_key_at(size_t i, pgal_config_key_desc *d)
{
	static const char *const kinds[] = {
		[C_STR] = "text", [C_INT] = "number", [C_I64] = "number",
		[C_SIZE] = "size", [C_BOOL] = "yes or no",
		[C_STARTUPS] = "start:rate:full",
	};
	const struct ckey *k;
	pgal_config c;
	const char *f;

	if (i >= NKEYS)
		return -1;
	k = &keys[i];
	base_defaults(&c);
	f = (const char *)&c + k->off;
	memset(d, 0, sizeof *d);
	d->name = k->name;
	d->kind = kinds[k->type];
	d->min = k->min;
	d->max = k->max;
	switch (k->type) {
	case C_STR:
		snprintf(d->def, sizeof d->def, "%s", f);
		break;
	case C_INT:
		snprintf(d->def, sizeof d->def, "%d", *(const int *)(const void *)f);
		break;
	case C_I64:
	case C_SIZE:
		snprintf(d->def, sizeof d->def, "%lld",
		    (long long)*(const int64_t *)(const void *)f);
		break;
	case C_BOOL:
		snprintf(d->def, sizeof d->def, "%s",
		    *(const int *)(const void *)f ? "yes" : "no");
		break;
	case C_STARTUPS:
		snprintf(d->def, sizeof d->def, "%d:%d:%d", c.ssh_max_startups,
		    c.ssh_max_startups_rate, c.ssh_max_startups_full);
		break;
	}
	return 0;
}

static void
base_defaults(pgal_config *c)
{
	memset(c, 0, sizeof *c);
	default_home(c->home, sizeof c->home);
	strcpy(c->store, "sqlite");
	strcpy(c->blobs, "fs");
	strcpy(c->mail, "outbox");
	strcpy(c->mail_from, "pgal <noreply@localhost>");
	c->mysql_tls = 1;
	strcpy(c->dynamodb_table, "PhotoGallery");
	strcpy(c->dynamodb_users_table, "PhotoGalleryUsers");
	c->dynamodb_pitr = c->dynamodb_deletion_protection = c->dynamodb_ttl = 1;
	c->s3_abort_incomplete_uploads = 1;
	c->max_upload_bytes = INT64_C(200) * 1024 * 1024;
	/* above max_upload_bytes: a photo is always one streamed PUT, which
	 * is as fast as curl's; parts are for the rare bigger object */
	c->s3_multipart_threshold = INT64_C(256) * 1024 * 1024;
	c->max_pixels = 100000000;
	c->thumb_px = 256;
	c->preview_px = 1600;
	c->decode_sandbox = 1;
	c->session_idle_secs = 30 * DAY;
	c->session_max_secs = 90 * DAY;
	c->code_ttl_secs = DAY;
	c->code_tries = 5;
	c->mail_cooldown_secs = 60;
	strcpy(c->ssh_listen, "127.0.0.1");
	c->ssh_port = 2222;
	strcpy(c->ssh_guest, "gallery");
	c->ssh_login_grace_secs = 60;
	c->ssh_max_startups = 10;
	c->ssh_max_startups_rate = 30;
	c->ssh_max_startups_full = 100;
	c->ssh_kex_grace_secs = 10;
	c->ssh_per_addr_max = 10;
	c->ssh_max_sessions = 1000;
	c->ssh_max_guests = 100;
	c->ssh_guest_open_secs = 20;
	c->ssh_guest_idle_secs = 900;
	c->ssh_max_channels = 8;
	strcpy(c->ssh_syslog_socket, "/dev/log");
	c->ssh_idle_secs = 3600;
	/* a whole bulk upload (hundreds of camera photos) waits in the spool
	 * while ingest catches up, instead of the client waiting */
	c->ssh_spool_max = INT64_C(4) << 30;
	c->ssh_ingest_nice = 10;
	/* a 100-megapixel photo takes seconds; minutes mean a hung decoder */
	c->ssh_ingest_timeout_secs = 120;
	c->ssh_upload_marker_secs = 30;
	/* a bulk upload decodes on two cores once the transfer is done */
	c->ssh_ingest_workers = 2;
}

int64_t
pgal_config_decode_memory_default(int64_t max_pixels)
{
	/* what the decoder maps before the first pixel, with its threads */
	const int64_t base = INT64_C(128) << 20;

	return max_pixels * 4 + base;
}

/* A copy of hostile text that is safe to put in an error message, cut on a
 * character boundary and marked with "..." when longer than sz. */
static const char *
shown(const char *s, char *buf, size_t sz)
{
	char	 tmp[8192];
	size_t	 n;

	n = pgal_sanitize(tmp, sizeof tmp, s, 0);
	if (n < sz) {
		memcpy(buf, tmp, n + 1);
		return buf;
	}
	n = pgal_utf8_cut(tmp, n, sz - 4);
	memcpy(buf, tmp, n);
	strcpy(buf + n, "...");
	return buf;
}

static const struct ckey *
find_key(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* Decimal integer with an optional sign, no spaces, no overflow. */
static int
parse_int(const char *s, int64_t *out, const char **rest)
{
	int64_t v = 0;
	int neg = 0, digits = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		int d = *s - '0';

		if (v > (INT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (digits == 0)
		return -1;
	*out = neg ? -v : v;
	*rest = s;
	return 0;
}

static int
parse_bool(const char *s, int *out)
{
	static const char *yes[] = { "1", "yes", "true", "on" };
	static const char *no[] = { "0", "no", "false", "off" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* ssh_max_startups: "start:rate:full" like OpenSSH's MaxStartups, or one
 * number N for a hard limit (N:100:N). */
static int
parse_startups(pgal_config *c, const struct ckey *k, const char *value,
    const char *where, pgal_err *e)
{
	int64_t	 v[3];
	const char *p = value, *rest;
	char	 vbuf[80];
	int	 n;

	for (n = 0; n < 3; n++) {
		if (*p == '-' || parse_int(p, &v[n], &rest) == -1)
			goto bad;
		p = rest;
		if (*p != ':')
			break;
		p++;
	}
	if (*p != '\0' || (n != 0 && n != 2))
		goto bad;
	if (n == 0) {
		v[1] = 100;
		v[2] = v[0];
	}
	if (v[0] < k->min || v[0] > k->max || v[2] < k->min || v[2] > k->max)
		return pgal_fail(e, PGAL_EINPUT,
		    "%s: %s: out of range (start and full %lld to %lld): '%s'",
		    where, k->name, (long long)k->min, (long long)k->max,
		    shown(value, vbuf, sizeof vbuf));
	if (v[1] < 1 || v[1] > 100)
		return pgal_fail(e, PGAL_EINPUT,
		    "%s: %s: rate is a percentage (1 to 100): '%s'", where,
		    k->name, shown(value, vbuf, sizeof vbuf));
	if (v[2] < v[0])
		return pgal_fail(e, PGAL_EINPUT,
		    "%s: %s: full is below start: '%s'", where, k->name,
		    shown(value, vbuf, sizeof vbuf));
	c->ssh_max_startups = (int)v[0];
	c->ssh_max_startups_rate = (int)v[1];
	c->ssh_max_startups_full = (int)v[2];
	return PGAL_OK;
bad:
	return pgal_fail(e, PGAL_EINPUT,
	    "%s: %s: not start:rate:full nor a number: '%s'", where, k->name,
	    shown(value, vbuf, sizeof vbuf));
}

int
pgal_config_set(pgal_config *c, const char *key, const char *value,
    const char *where, pgal_err *e)
{
	const struct ckey *k;
	char	 kbuf[80], vbuf[80];
	char	*field;
	const char *rest;
	int64_t	 v;
	size_t	 len;

	if (key == NULL || value == NULL)
		return pgal_fail(e, PGAL_EUSAGE, "%s: missing key or value", where);
	if ((k = find_key(key)) == NULL)
		return pgal_fail(e, PGAL_EINPUT, "%s: unknown key '%s'", where,
		    shown(key, kbuf, sizeof kbuf));
	field = (char *)c + k->off;
	/* no value has a use for control characters or broken UTF-8 */
	if (!pgal_text_is_clean(value, 0))
		return pgal_fail(e, PGAL_EINPUT,
		    "%s: %s: control characters or invalid UTF-8 in value", where,
		    k->name);
	switch (k->type) {
	case C_STR:
		len = strlen(value);
		if (len == 0)
			return pgal_fail(e, PGAL_EINPUT, "%s: %s: empty value",
			    where, k->name);
		if (len >= k->size)
			return pgal_fail(e, PGAL_EINPUT,
			    "%s: %s: value too long (at most %zu bytes)", where,
			    k->name, k->size - 1);
		memcpy(field, value, len + 1);
		return PGAL_OK;
	case C_BOOL:
		if (parse_bool(value, (int *)(void *)field) == -1)
			return pgal_fail(e, PGAL_EINPUT,
			    "%s: %s: not yes or no: '%s'", where, k->name,
			    shown(value, vbuf, sizeof vbuf));
		return PGAL_OK;
	case C_STARTUPS:
		return parse_startups(c, k, value, where, e);
	case C_INT:
	case C_I64:
	case C_SIZE:
		break;
	}
	if (parse_int(value, &v, &rest) == -1)
		return pgal_fail(e, PGAL_EINPUT, "%s: %s: not a number: '%s'",
		    where, k->name, shown(value, vbuf, sizeof vbuf));
	if (k->type == C_SIZE && *rest != '\0') {
		int shift;

		switch (*rest) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		default: shift = -1; break;
		}
		if (shift == -1 || rest[1] != '\0')
			return pgal_fail(e, PGAL_EINPUT,
			    "%s: %s: not a size (a number with k, M or G): '%s'",
			    where, k->name, shown(value, vbuf, sizeof vbuf));
		if (v > (INT64_MAX >> shift) || v < -(INT64_MAX >> shift))
			goto range;
		v *= INT64_C(1) << shift;
		rest++;
	}
	if (*rest != '\0')
		return pgal_fail(e, PGAL_EINPUT, "%s: %s: not a number: '%s'",
		    where, k->name, shown(value, vbuf, sizeof vbuf));
	if (v < k->min || v > k->max)
		goto range;
	if (k->type == C_INT)
		*(int *)(void *)field = (int)v;
	else
		*(int64_t *)(void *)field = v;
	return PGAL_OK;
range:
	return pgal_fail(e, PGAL_EINPUT,
	    "%s: %s: out of range (%lld to %lld): '%s'", where, k->name,
	    (long long)k->min, (long long)k->max, shown(value, vbuf, sizeof vbuf));
}

static int
is_space(int ch)
{
	return ch == ' ' || ch == '\t';
}

static int
read_file(pgal_config *c, const char *path, pgal_err *e)
{
	char	 line[LINE_MAX_BYTES + 1], where[PATH_MAX + 32], pbuf[PATH_MAX];
	char	 buf[LINE_MAX_BYTES + 1];
	pgal_reader rd;
	struct stat st;
	size_t	 len, lineno = 0;
	int	 fd, r, rc = PGAL_OK;

	shown(path, pbuf, sizeof pbuf);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return pgal_fail(e, errno == ENOENT ? PGAL_ENOTFOUND : PGAL_EBACKEND,
		    "%s: %s", pbuf, strerror(errno));
	/* a folder reads as no bytes at all: say what it is */
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return pgal_fail(e, PGAL_EBACKEND, "%s: %s", pbuf, strerror(EISDIR));
	}
	pgal_reader_init_fd(&rd, fd, buf, sizeof buf);
	while ((r = pgal_read_text_line(&rd, line, LINE_MAX_BYTES)) != 0) {
		char *p, *key, *eq, *val, *end;

		lineno++;
		snprintf(where, sizeof where, "%s:%zu", pbuf, lineno);
		if (r == -1) {
			rc = pgal_fail(e, PGAL_EINPUT,
			    "%s: line too long (at most %d bytes)", where,
			    LINE_MAX_BYTES);
			break;
		}
		if (r == -2) {
			rc = pgal_fail(e, PGAL_EINPUT, "%s: NUL byte in line", where);
			break;
		}
		for (p = line; is_space(*p); p++)
			;
		if (*p == '\0' || *p == '#')
			continue;
		if ((eq = strchr(p, '=')) == NULL) {
			rc = pgal_fail(e, PGAL_EINPUT,
			    "%s: expected 'key = value'", where);
			break;
		}
		key = p;
		for (end = eq; end > key && is_space(end[-1]); end--)
			;
		*end = '\0';
		if (*key == '\0') {
			rc = pgal_fail(e, PGAL_EINPUT, "%s: missing key before '='", where);
			break;
		}
		for (val = eq + 1; is_space(*val); val++)
			;
		for (end = val + strlen(val); end > val && is_space(end[-1]); end--)
			;
		*end = '\0';
		/* optional quotes keep leading or trailing spaces */
		len = strlen(val);
		if (len >= 2 && (val[0] == '"' || val[0] == '\'') &&
		    val[len - 1] == val[0]) {
			val[len - 1] = '\0';
			val++;
		}
		if ((rc = pgal_config_set(c, key, val, where, e)) != PGAL_OK)
			break;
	}
	close(fd);
	return rc;
}

/* PGAL_<KEY> for every key; set-but-empty variables count as unset. */
static int
read_env(pgal_config *c, pgal_err *e)
{
	char	 name[64];
	const char *v;
	size_t	 i, j;
	int	 rc;

	for (i = 0; i < NKEYS; i++) {
		strcpy(name, "PGAL_");
		for (j = 0; keys[i].name[j] != '\0'; j++)
			name[5 + j] = (char)(keys[i].name[j] >= 'a' &&
			    keys[i].name[j] <= 'z' ? keys[i].name[j] - 32 :
			    keys[i].name[j]);
		name[5 + j] = '\0';
		if ((v = getenv(name)) == NULL || *v == '\0')
			continue;
		if ((rc = pgal_config_set(c, keys[i].name, v, name, e)) != PGAL_OK)
			return rc;
	}
	return PGAL_OK;
}

/* Makes a relative path absolute against the working directory. */
static int
absolute(char *path, size_t size, const char *what, pgal_err *e)
{
	char	 cwd[PATH_MAX], out[PATH_MAX];
	const char *p = path;
	int	 n;

	if (path[0] == '/')
		return PGAL_OK;
	if (getcwd(cwd, sizeof cwd) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "%s: cannot get the working "
		    "directory: %s", what, strerror(errno));
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	while (*p == '/')
		p++;
	if (strcmp(p, ".") == 0 || *p == '\0')
		n = snprintf(out, sizeof out, "%s", cwd);
	else
		n = snprintf(out, sizeof out, "%s%s%s", cwd,
		    strcmp(cwd, "/") == 0 ? "" : "/", p);
	if (n < 0 || (size_t)n >= size || (size_t)n >= sizeof out)
		return pgal_fail(e, PGAL_EINPUT, "%s: path too long", what);
	memcpy(path, out, n + 1);
	return PGAL_OK;
}

/* Completes derived paths from home and makes every path absolute. */
static int
finish(pgal_config *c, pgal_err *e)
{
	static const struct {
		size_t off;
		const char *name, *leaf;
	} derived[] = {
		{ offsetof(pgal_config, sqlite_path), "sqlite_path", "pgal.db" },
		{ offsetof(pgal_config, blobs_dir), "blobs_dir", "blobs" },
		{ offsetof(pgal_config, outbox_dir), "outbox_dir", "outbox" },
	};
	size_t	 i;
	int	 rc, n;

	if ((rc = absolute(c->home, sizeof c->home, "home", e)) != PGAL_OK)
		return rc;
	for (i = 0; i < sizeof derived / sizeof derived[0]; i++) {
		char *p = (char *)c + derived[i].off;

		if (*p == '\0') {
			char tmp[PATH_MAX];

			n = snprintf(tmp, sizeof tmp, "%s/%s", c->home, derived[i].leaf);
			if (n < 0 || n >= PATH_MAX)
				return pgal_fail(e, PGAL_EINPUT, "%s: path too long",
				    derived[i].name);
			memcpy(p, tmp, n + 1);
		} else if ((rc = absolute(p, PATH_MAX, derived[i].name, e)) != PGAL_OK)
			return rc;
	}
	if (c->thumb_px > c->preview_px)
		return pgal_fail(e, PGAL_EINPUT,
		    "thumb_px (%d) is larger than preview_px (%d)",
		    c->thumb_px, c->preview_px);
	if (c->decode_memory_max == 0)
		c->decode_memory_max = pgal_config_decode_memory_default(c->max_pixels);
	if (c->decoders_max == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		c->decoders_max = cpus < 1 ? 1 : cpus > 1024 ? 1024 : (int)cpus;
	}
	if (c->session_idle_secs > c->session_max_secs)
		return pgal_fail(e, PGAL_EINPUT,
		    "session_idle_secs (%d) is longer than session_max_secs (%d)",
		    c->session_idle_secs, c->session_max_secs);
	return PGAL_OK;
}

void
pgal_config_defaults(pgal_config *c)
{
	base_defaults(c);
	/* only fails without a working directory or with a huge one */
	if (finish(c, NULL) != PGAL_OK) {
		strcpy(c->home, "/tmp/pgal");
		strcpy(c->sqlite_path, "/tmp/pgal/pgal.db");
		strcpy(c->blobs_dir, "/tmp/pgal/blobs");
		strcpy(c->outbox_dir, "/tmp/pgal/outbox");
	}
}

/* A process that loads the configuration holds its secrets (the database
 * password, AWS keys): a core file of it would write them to disk. */
static void
no_core_files(void)
{
	struct rlimit none = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &none);
}

int
pgal_config_load(pgal_config *c, const char *path, pgal_err *e)
{
	const char *envpath;
	int rc;

	no_core_files();
	base_defaults(c);
	if (path == NULL && (envpath = getenv("PGAL_CONFIG")) != NULL &&
	    *envpath != '\0')
		path = envpath;
	if (path != NULL && (rc = read_file(c, path, e)) != PGAL_OK)
		return rc;
	if ((rc = read_env(c, e)) != PGAL_OK)
		return rc;
	return finish(c, e);
}
