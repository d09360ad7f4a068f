/* AWS credentials in the SDKs' order: config keys, AWS_* variables, the
 * shared credentials file, the EC2 instance role over IMDSv2. Secrets are
 * copied into fixed buffers and never printed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "aws/aws.h"
#include "crypto.h"

#define IMDS_DEFAULT "http://169.254.169.254"
#define IMDS_MAX_BODY 16384
#define PROFILE_LINE_MAX 8192

void
pgal_aws_creds_wipe(pgal_aws_creds *c)
{
	pgal_wipe(c->secret_access_key, sizeof c->secret_access_key);
	pgal_wipe(c->session_token, sizeof c->session_token);
}

/* Copies a credential field; refuses control characters and values too
 * long for the field. */
static int
set_field(char *dst, size_t dstsz, const char *v, const char *what,
    const char *where, pgal_err *e)
{
	size_t i, n = strlen(v);

	if (n == 0 || n >= dstsz)
		return pgal_fail(e, PGAL_EINPUT, "%s: %s is empty or too long",
		    where, what);
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] <= 0x20 || v[i] == 0x7f)
			return pgal_fail(e, PGAL_EINPUT,
			    "%s: %s holds spaces or control characters", where, what);
	memcpy(dst, v, n + 1);
	return PGAL_OK;
}

static int
set_all(pgal_aws_creds *out, const char *id, const char *secret,
    const char *token, const char *source, pgal_err *e)
{
	int rc;

	memset(out, 0, sizeof *out);
	snprintf(out->source, sizeof out->source, "%s", source);
	if ((rc = set_field(out->access_key_id, sizeof out->access_key_id, id,
	    "the access key id", source, e)) != PGAL_OK ||
	    (rc = set_field(out->secret_access_key, sizeof out->secret_access_key,
	    secret, "the secret access key", source, e)) != PGAL_OK)
		goto fail;
	if (token != NULL && *token != '\0' &&
	    (rc = set_field(out->session_token, sizeof out->session_token, token,
	    "the session token", source, e)) != PGAL_OK)
		goto fail;
	return PGAL_OK;
fail:
	pgal_aws_creds_wipe(out);
	return rc;
}

static int
from_config(const pgal_config *cfg, pgal_aws_creds *out, pgal_err *e)
{
	int id, secret;

	if (cfg == NULL)
		return PGAL_ENOTFOUND;
	id = cfg->aws_access_key_id[0] != '\0';
	secret = cfg->aws_secret_access_key[0] != '\0';
	if (!id && !secret)
		return PGAL_ENOTFOUND;
	if (id != secret)
		return pgal_fail(e, PGAL_EINPUT, "config: aws_access_key_id and "
		    "aws_secret_access_key must be set together");
	return set_all(out, cfg->aws_access_key_id, cfg->aws_secret_access_key,
	    cfg->aws_session_token, "config", e);
}

static int
from_env(pgal_aws_creds *out, pgal_err *e)
{
	const char *id = getenv("AWS_ACCESS_KEY_ID");
	const char *secret = getenv("AWS_SECRET_ACCESS_KEY");
	int hid = id != NULL && *id != '\0', hsecret = secret != NULL && *secret != '\0';

	if (!hid && !hsecret)
		return PGAL_ENOTFOUND;
	if (hid != hsecret)
		return pgal_fail(e, PGAL_EINPUT, "environment: AWS_ACCESS_KEY_ID "
		    "and AWS_SECRET_ACCESS_KEY must be set together");
	return set_all(out, id, secret, getenv("AWS_SESSION_TOKEN"),
	    "environment", e);
}

static char *
trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
	    end[-1] == '\n'))
		*--end = '\0';
	return s;
}

/* The shared credentials file, INI style: [profile] then key = value. */
static int
from_profile(pgal_aws_creds *out, pgal_err *e)
{
	const char *file = getenv("AWS_SHARED_CREDENTIALS_FILE");
	const char *profile = getenv("AWS_PROFILE");
	char	    path[4096], line[PROFILE_LINE_MAX], source[48];
	char	    id[PGAL_AWS_KEY_ID_MAX] = "", secret[PGAL_AWS_SECRET_MAX] = "";
	char	    token[PGAL_AWS_TOKEN_MAX] = "";
	int	    explicit = profile != NULL && *profile != '\0';
	int	    in = 0, found = 0, rc;
	size_t	    lineno = 0;
	FILE	   *f;

	if (!explicit)
		profile = "default";
	if (file == NULL || *file == '\0') {
		const char *home = getenv("HOME");

		if (home == NULL || *home == '\0')
			return PGAL_ENOTFOUND;
		snprintf(path, sizeof path, "%s/.aws/credentials", home);
	} else
		snprintf(path, sizeof path, "%s", file);
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT && !explicit)
			return PGAL_ENOTFOUND;
		if (errno == ENOENT)
			return pgal_fail(e, PGAL_ENOTFOUND, "AWS_PROFILE=%.64s but "
			    "no credentials file %.200s", profile, path);
		return pgal_fail(e, PGAL_EBACKEND, "%.200s: %s", path, strerror(errno));
	}
	while (fgets(line, sizeof line, f) != NULL) {
		char *p, *eq, *k, *v;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			fclose(f);
			return pgal_fail(e, PGAL_EINPUT, "%.200s:%zu: line too long",
			    path, lineno);
		}
		p = trim(line);
		if (*p == '\0' || *p == '#' || *p == ';')
			continue;
		if (*p == '[') {
			char *end = strchr(p, ']');

			if (end == NULL)
				continue;
			*end = '\0';
			p = trim(p + 1);
			/* "profile x" is the config file's spelling; accept it */
			if (strncmp(p, "profile ", 8) == 0)
				p = trim(p + 8);
			in = strcmp(p, profile) == 0;
			found |= in;
			continue;
		}
		if (!in || (eq = strchr(p, '=')) == NULL)
			continue;
		*eq = '\0';
		k = trim(p);
		v = trim(eq + 1);
		if (strcasecmp(k, "aws_access_key_id") == 0)
			snprintf(id, sizeof id, "%s", v);
		else if (strcasecmp(k, "aws_secret_access_key") == 0)
			snprintf(secret, sizeof secret, "%s", v);
		else if (strcasecmp(k, "aws_session_token") == 0)
			snprintf(token, sizeof token, "%s", v);
	}
	fclose(f);
	pgal_wipe(line, sizeof line);
	if (!found || (id[0] == '\0' && secret[0] == '\0')) {
		if (explicit)
			return pgal_fail(e, PGAL_ENOTFOUND,
			    "%.200s: no credentials for profile '%.64s'", path, profile);
		return PGAL_ENOTFOUND;
	}
	snprintf(source, sizeof source, "profile %.38s", profile);
	if (id[0] == '\0' || secret[0] == '\0')
		rc = pgal_fail(e, PGAL_EINPUT, "%.200s: profile '%.64s' needs both "
		    "aws_access_key_id and aws_secret_access_key", path, profile);
	else
		rc = set_all(out, id, secret, token, source, e);
	pgal_wipe(secret, sizeof secret);
	pgal_wipe(token, sizeof token);
	return rc;
}

struct membuf {
	char	buf[IMDS_MAX_BODY];
	size_t	len;
	int	overflow;
};

static size_t
mem_write(char *p, size_t size, size_t n, void *arg)
{
	struct membuf *m = arg;
	size_t len = size * n;

	if (len > sizeof m->buf - 1 - m->len) {
		m->overflow = 1;
		return 0;
	}
	memcpy(m->buf + m->len, p, len);
	m->len += len;
	m->buf[m->len] = '\0';
	return len;
}

/* One IMDS call; the answer lands in m. Returns the HTTP status or -1. */
static long
imds_call(CURL *curl, const char *base, const char *method, const char *path,
    const char *header, struct membuf *m, char *err, size_t errsz)
{
	struct curl_slist *h = NULL;
	char		   url[1024], errbuf[CURL_ERROR_SIZE] = "";
	long		   status = -1;
	CURLcode	   cc;

	snprintf(url, sizeof url, "%s%s", base, path);
	m->len = 0;
	m->buf[0] = '\0';
	m->overflow = 0;
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 1000L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 3000L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, mem_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, m);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_PROXY, "");
	if (strcmp(method, "PUT") == 0) {
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, 0L);
	}
	if (header != NULL)
		h = curl_slist_append(h, header);
	h = curl_slist_append(h, "Content-Type:");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	cc = curl_easy_perform(curl);
	curl_slist_free_all(h);
	if (cc != CURLE_OK)
		snprintf(err, errsz, "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
	else
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

static time_t
parse_time(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof tm);
	if ((end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return (time_t)-1;
	return timegm(&tm);
}

static int
from_imds(pgal_aws_creds *out, pgal_err *e)
{
	const char	*base = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	const char	*dis = getenv("AWS_EC2_METADATA_DISABLED");
	static struct membuf m;	/* 16 KiB: keep it off the stack */
	char		 token[1024], tokhdr[1100], role[256], path[512], err[256] = "";
	char		 b[256];
	CURL		*curl;
	json_t		*j = NULL;
	json_error_t	 jerr;
	long		 st;
	int		 rc;
	size_t		 n;

	if (dis != NULL && strcasecmp(dis, "true") == 0)
		return PGAL_ENOTFOUND;
	if (base == NULL || *base == '\0')
		base = IMDS_DEFAULT;
	snprintf(b, sizeof b, "%s", base);
	n = strlen(b);
	while (n > 0 && b[n - 1] == '/')
		b[--n] = '\0';
	if (strncmp(b, "http://", 7) != 0 && strncmp(b, "https://", 8) != 0)
		return pgal_fail(e, PGAL_EINPUT,
		    "AWS_EC2_METADATA_SERVICE_ENDPOINT: not an http(s) URL");
	if ((curl = curl_easy_init()) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "instance metadata: out of memory");
	st = imds_call(curl, b, "PUT", "/latest/api/token",
	    "X-aws-ec2-metadata-token-ttl-seconds: 21600", &m, err, sizeof err);
	if (st != 200 || m.len == 0 || m.len >= sizeof token) {
		rc = pgal_fail(e, PGAL_ENOTFOUND, "instance metadata at %.100s: %s",
		    b, st == -1 ? err : "no session token");
		goto out;
	}
	memcpy(token, m.buf, m.len + 1);
	snprintf(tokhdr, sizeof tokhdr, "X-aws-ec2-metadata-token: %s", trim(token));
	st = imds_call(curl, b, "GET", "/latest/meta-data/iam/security-credentials/",
	    tokhdr, &m, err, sizeof err);
	if (st != 200) {
		rc = pgal_fail(e, PGAL_ENOTFOUND, "instance metadata at %.100s: %s",
		    b, st == -1 ? err : "no instance role");
		goto out;
	}
	/* the first line names the role */
	n = strcspn(m.buf, "\r\n");
	if (n == 0 || n >= sizeof role ||
	    strspn(m.buf, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789+=,.@_-") < n) {
		rc = pgal_fail(e, PGAL_EBACKEND, "instance metadata: bad role name");
		goto out;
	}
	memcpy(role, m.buf, n);
	role[n] = '\0';
	snprintf(path, sizeof path, "/latest/meta-data/iam/security-credentials/%s", role);
	st = imds_call(curl, b, "GET", path, tokhdr, &m, err, sizeof err);
	if (st != 200) {
		rc = pgal_fail(e, PGAL_EBACKEND, "instance metadata: credentials of "
		    "role %s: %s", role, st == -1 ? err : "not available");
		goto out;
	}
	if ((j = json_loadb(m.buf, m.len, 0, &jerr)) == NULL || !json_is_object(j)) {
		rc = pgal_fail(e, PGAL_EBACKEND, "instance metadata: credentials of "
		    "role %s are not JSON", role);
		goto out;
	}
	{
		const char *code = json_string_value(json_object_get(j, "Code"));
		const char *id = json_string_value(json_object_get(j, "AccessKeyId"));
		const char *secret = json_string_value(json_object_get(j, "SecretAccessKey"));
		const char *tok = json_string_value(json_object_get(j, "Token"));
		const char *exp = json_string_value(json_object_get(j, "Expiration"));

		if (code != NULL && strcmp(code, "Success") != 0) {
			rc = pgal_fail(e, PGAL_EBACKEND, "instance metadata: role %s: "
			    "code %.64s", role, code);
			goto out;
		}
		if (id == NULL || secret == NULL) {
			rc = pgal_fail(e, PGAL_EBACKEND, "instance metadata: role %s: "
			    "incomplete credentials", role);
			goto out;
		}
		if ((rc = set_all(out, id, secret, tok, "instance role", e)) != PGAL_OK)
			goto out;
		out->expires = exp ? parse_time(exp) : 0;
		if (out->expires == (time_t)-1) {
			pgal_aws_creds_wipe(out);
			rc = pgal_fail(e, PGAL_EBACKEND, "instance metadata: role %s: "
			    "bad Expiration", role);
			goto out;
		}
	}
	rc = PGAL_OK;
out:
	pgal_wipe(m.buf, sizeof m.buf);
	pgal_wipe(token, sizeof token);
	pgal_wipe(tokhdr, sizeof tokhdr);
	if (j != NULL) {
		/* jansson keeps its copy of the secret; wipe before freeing */
		json_t *s = json_object_get(j, "SecretAccessKey");

		if (json_is_string(s))
			pgal_wipe((void *)json_string_value(s), json_string_length(s));
		s = json_object_get(j, "Token");
		if (json_is_string(s))
			pgal_wipe((void *)json_string_value(s), json_string_length(s));
		json_decref(j);
	}
	curl_easy_cleanup(curl);
	return rc;
}

int
pgal_aws_creds_resolve(const pgal_config *cfg, pgal_aws_creds *out, pgal_err *e)
{
	char imds[256] = "";
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = from_config(cfg, out, e)) != PGAL_ENOTFOUND)
		return rc;
	if ((rc = from_env(out, e)) != PGAL_ENOTFOUND)
		return rc;
	/* an explicit AWS_PROFILE that is missing is an error of its own */
	if ((rc = from_profile(out, e)) != PGAL_ENOTFOUND ||
	    (getenv("AWS_PROFILE") != NULL && *getenv("AWS_PROFILE") != '\0'))
		return rc;
	{
		pgal_err ie;

		pgal_err_clear(&ie);
		if ((rc = from_imds(out, &ie)) == PGAL_OK)
			return PGAL_OK;
		snprintf(imds, sizeof imds, "%.200s", ie.msg[0] ? ie.msg : "disabled");
	}
	return pgal_fail(e, PGAL_EBACKEND, "no AWS credentials: set aws_access_key_id "
	    "and aws_secret_access_key, or AWS_ACCESS_KEY_ID and "
	    "AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials, or run "
	    "with an EC2 instance role (%s)", imds);
}
