/* The shared config and credentials files, read as the SDKs read them: one
 * INI reader for both (through the bounded reader), sections "[profile
 * NAME]" or "[default]" in the config file and "[NAME]" in the credentials
 * file, keys lower-cased, indented lines continuing a nested value (ignored
 * here), "#" and ";" comments on lines of their own. A profile is the
 * config file's section with the credentials file's keys over it, as
 * botocore's full_config merges them. Values may be secrets: every copy is
 * wiped when freed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/aws.h"
#include "aws/aws-int.h"
#include "buf.h"
#include "crypto.h"
#include "fsutil.h"
#include "reader.h"
#include "validate.h"

#define FILE_MAX (1024 * 1024)
#define LINE_MAX_LEN 8192

static void
profile_path(char *out, size_t outsz, const char *env, const char *dflt)
{
	const char *v = getenv(env), *home = getenv("HOME");

	out[0] = '\0';
	if (v != NULL && *v != '\0') {
		/* the SDKs expand a leading ~ */
		if (strncmp(v, "~/", 2) == 0 && home != NULL)
			snprintf(out, outsz, "%s/%s", home, v + 2);
		else
			snprintf(out, outsz, "%s", v);
	} else if (home != NULL && *home != '\0')
		snprintf(out, outsz, "%s/%s", home, dflt);
}

const char *
pgal_aws_profile_name(int *explicit)
{
	const char *p = getenv("AWS_PROFILE");

	*explicit = p != NULL && *p != '\0';
	return *explicit ? p : "default";
}

/* The whole file in memory, ending in a newline; a missing file is
 * PGAL_ENOTFOUND without a message. */
static int
slurp(const char *path, pgal_buf *b, pgal_err *e)
{
	char *text;
	size_t len;

	switch (pgal_fs_read_small(path, FILE_MAX, 0, &text, &len)) {
	case PGAL_FS_SMALL_OK:
		break;
	case PGAL_FS_SMALL_OPEN:
		if (errno == ENOENT || errno == ENOTDIR)
			return PGAL_ENOTFOUND;
		/* FALLTHROUGH */
	case PGAL_FS_SMALL_READ:
		return pgal_fail(e, PGAL_EBACKEND, "%.200s: %s", path, strerror(errno));
	case PGAL_FS_SMALL_NOT_FILE:
	case PGAL_FS_SMALL_SHARED:
	case PGAL_FS_SMALL_TOO_BIG:
		return pgal_fail(e, PGAL_EINPUT, "%.200s: not a regular file of at "
		    "most 1 MiB", path);
	case PGAL_FS_SMALL_NOMEM:
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	pgal_buf_add(b, text, len);
	explicit_bzero(text, len);
	free(text);
	if (b->len > 0 && b->p[b->len - 1] != '\n')
		pgal_buf_addc(b, '\n');
	return b->failed ? pgal_fail(e, PGAL_EBACKEND, "out of memory") : PGAL_OK;
}

static char *
trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* Does section header text s (between the brackets) name the profile? */
static int
section_is(const char *s, const char *name, int config_file)
{
	if (!config_file)
		return strcmp(s, name) == 0;
	if (strcmp(name, "default") == 0 && strcmp(s, "default") == 0)
		return 1;
	if (strncmp(s, "profile", 7) != 0 || (s[7] != ' ' && s[7] != '\t'))
		return 0;
	s += 7;
	while (*s == ' ' || *s == '\t')
		s++;
	return strcmp(s, name) == 0;
}

static int
set_kv(pgal_aws_profile *p, const char *k, const char *v, int from_creds,
    pgal_err *e)
{
	size_t i;
	char *nk = NULL, *nv;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->kv[i].key, k) == 0)
			break;
	if (i == p->n && p->n == PGAL_AWS_PROFILE_KEYS)
		return pgal_fail(e, PGAL_EINPUT, "profile '%.64s': more than %d "
		    "keys", p->name, PGAL_AWS_PROFILE_KEYS);
	if ((nv = strdup(v)) == NULL || (i == p->n && (nk = strdup(k)) == NULL)) {
		free(nv);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	if (i == p->n) {
		p->kv[i].key = nk;
		p->n++;
	} else {
		pgal_wipe(p->kv[i].value, strlen(p->kv[i].value));
		free(p->kv[i].value);
	}
	p->kv[i].value = nv;
	p->kv[i].from_creds = from_creds;
	return PGAL_OK;
}

/* Reads the profile's keys out of one file into p. */
static int
read_file(pgal_aws_profile *p, const char *path, int config_file, pgal_err *e)
{
	pgal_buf     b = { 0 };
	pgal_reader  r;
	char	     line[LINE_MAX_LEN + 1];
	size_t	     lineno = 0;
	int	     in = 0, rc, got;

	if ((rc = slurp(path, &b, e)) != PGAL_OK)
		goto out;
	pgal_reader_init(&r, b.p, b.len);
	while ((got = pgal_read_line(&r, line, LINE_MAX_LEN)) == 1) {
		char *s, *eq, *k;
		size_t n;

		lineno++;
		/* an indented line continues a nested value (s3 =, ...) */
		if (line[0] == ' ' || line[0] == '\t')
			continue;
		s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *end = strrchr(s, ']');

			if (end == NULL) {
				rc = pgal_fail(e, PGAL_EINPUT, "%.200s:%zu: a section "
				    "header without ']'", path, lineno);
				goto out;
			}
			*end = '\0';
			in = section_is(trim(s + 1), p->name, config_file);
			p->found |= in;
			continue;
		}
		if (!in)
			continue;
		/* key = value or key: value, split at the first of them */
		n = strcspn(s, "=:");
		if (s[n] == '\0') {
			rc = pgal_fail(e, PGAL_EINPUT, "%.200s:%zu: neither a section "
			    "nor key = value", path, lineno);
			goto out;
		}
		eq = s + n;
		*eq = '\0';
		k = trim(s);
		pgal_ascii_lower(k);
		if ((rc = set_kv(p, k, trim(eq + 1), !config_file, e)) != PGAL_OK)
			goto out;
	}
	rc = got == 0 ? PGAL_OK : pgal_fail(e, PGAL_EINPUT, "%.200s:%zu: line too "
	    "long or holding a NUL", path, lineno + 1);
out:
	pgal_wipe(line, sizeof line);
	if (b.p != NULL)
		pgal_wipe(b.p, b.cap);
	pgal_buf_free(&b);
	return rc;
}

int
pgal_aws_profile_load(const char *name, pgal_aws_profile *p, pgal_err *e)
{
	int rc;

	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", name);
	if (strlen(name) >= sizeof p->name)
		return pgal_fail(e, PGAL_EINPUT, "AWS profile name too long");
	profile_path(p->config_path, sizeof p->config_path, "AWS_CONFIG_FILE",
	    ".aws/config");
	profile_path(p->creds_path, sizeof p->creds_path,
	    "AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
	if (p->config_path[0] != '\0' &&
	    (rc = read_file(p, p->config_path, 1, e)) != PGAL_OK &&
	    rc != PGAL_ENOTFOUND)
		goto fail;
	if (p->creds_path[0] != '\0' &&
	    (rc = read_file(p, p->creds_path, 0, e)) != PGAL_OK &&
	    rc != PGAL_ENOTFOUND)
		goto fail;
	return PGAL_OK;
fail:
	pgal_aws_profile_free(p);
	return rc;
}

const char *
pgal_aws_profile_get(const pgal_aws_profile *p, const char *key, int where)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->kv[i].key, key) == 0) {
			if ((where == PGAL_AWS_IN_CREDS && !p->kv[i].from_creds) ||
			    (where == PGAL_AWS_IN_CONFIG && p->kv[i].from_creds))
				return NULL;
			return p->kv[i].value;
		}
	return NULL;
}

void
pgal_aws_profile_free(pgal_aws_profile *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		pgal_wipe(p->kv[i].value, strlen(p->kv[i].value));
		free(p->kv[i].value);
		free(p->kv[i].key);
	}
	p->n = 0;
}
