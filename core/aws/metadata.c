/* The local metadata endpoints credentials and region come from: EC2's
 * instance metadata service (IMDSv2: a session token first, then every read
 * with it) and the container credentials endpoint of ECS and EKS Pod
 * Identity. Small answers into a fixed buffer; secrets in them are wiped. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "aws/aws.h"
#include "aws/aws-int.h"
#include "crypto.h"
#include "fsutil.h"

#define IMDS_DEFAULT "http://169.254.169.254"
#define ECS_HOST "169.254.170.2"

static size_t
meta_write(char *p, size_t size, size_t n, void *arg)
{
	pgal_aws_meta *m = arg;
	size_t len = size * n;

	if (len > sizeof m->body - 1 - m->len) {
		snprintf(m->err, sizeof m->err, "answer larger than %zu bytes",
		    sizeof m->body - 1);
		return 0;
	}
	memcpy(m->body + m->len, p, len);
	m->len += len;
	m->body[m->len] = '\0';
	return len;
}

pgal_aws_meta *
pgal_aws_meta_new(void)
{
	return calloc(1, sizeof(pgal_aws_meta));
}

void
pgal_aws_meta_free(pgal_aws_meta *m)
{
	if (m == NULL)
		return;
	pgal_wipe(m, sizeof *m);
	free(m);
}

long
pgal_aws_meta_call(const char *method, const char *url, const char *header,
    pgal_aws_meta *m)
{
	struct curl_slist *h = NULL;
	char		   errbuf[CURL_ERROR_SIZE] = "";
	long		   status = -1;
	CURL		  *curl;
	CURLcode	   cc;

	m->len = 0;
	m->body[0] = '\0';
	m->err[0] = '\0';
	if ((curl = curl_easy_init()) == NULL) {
		snprintf(m->err, sizeof m->err, "out of memory");
		return -1;
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 1000L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 3000L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, meta_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, m);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	/* never through a proxy: these addresses are the host's own */
	curl_easy_setopt(curl, CURLOPT_PROXY, "");
	if (strcmp(method, "PUT") == 0) {
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, 0L);
	}
	if (header != NULL)
		h = curl_slist_append(h, header);
	h = curl_slist_append(h, "Content-Type:");
	h = curl_slist_append(h, "Accept: application/json");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	cc = curl_easy_perform(curl);
	curl_slist_free_all(h);
	if (cc != CURLE_OK) {
		if (m->err[0] == '\0')
			snprintf(m->err, sizeof m->err, "%s", errbuf[0] ? errbuf :
			    curl_easy_strerror(cc));
	} else
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(curl);
	return status;
}

static char *
trim_nl(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
	return s;
}

int
pgal_aws_imds_open(pgal_aws_imds *s, pgal_aws_meta *m, pgal_err *e)
{
	const char *base = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	const char *dis = getenv("AWS_EC2_METADATA_DISABLED");
	char url[320];
	size_t n;
	long st;

	memset(s, 0, sizeof *s);
	if (dis != NULL && strcasecmp(dis, "true") == 0)
		return pgal_fail(e, PGAL_ENOTFOUND, "instance metadata: disabled");
	if (base == NULL || *base == '\0')
		base = IMDS_DEFAULT;
	snprintf(s->base, sizeof s->base, "%s", base);
	n = strlen(s->base);
	while (n > 0 && s->base[n - 1] == '/')
		s->base[--n] = '\0';
	if (strncmp(s->base, "http://", 7) != 0 && strncmp(s->base, "https://", 8) != 0)
		return pgal_fail(e, PGAL_EINPUT,
		    "AWS_EC2_METADATA_SERVICE_ENDPOINT: not an http(s) URL");
	snprintf(url, sizeof url, "%s/latest/api/token", s->base);
	st = pgal_aws_meta_call("PUT", url,
	    "X-aws-ec2-metadata-token-ttl-seconds: 21600", m);
	if (st != 200 || m->len == 0 || m->len >= 1024 ||
	    strpbrk(trim_nl(m->body), "\r\n") != NULL) {
		pgal_wipe(m->body, sizeof m->body);
		return pgal_fail(e, PGAL_ENOTFOUND, "instance metadata at %.100s: %s",
		    s->base, st == -1 ? m->err : "no session token");
	}
	/* checked above: under 1024 bytes */
	memcpy(s->token_header, "X-aws-ec2-metadata-token: ", 26);
	memcpy(s->token_header + 26, m->body, m->len + 1);
	pgal_wipe(m->body, sizeof m->body);
	return PGAL_OK;
}

long
pgal_aws_imds_get(pgal_aws_imds *s, const char *path, pgal_aws_meta *m)
{
	char url[768];

	snprintf(url, sizeof url, "%s%s", s->base, path);
	return pgal_aws_meta_call("GET", url, s->token_header, m);
}

void
pgal_aws_imds_close(pgal_aws_imds *s)
{
	pgal_wipe(s->token_header, sizeof s->token_header);
}

time_t
pgal_aws_parse_time(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof tm);
	if ((end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return (time_t)-1;
	if (*end == '.')
		end += 1 + strspn(end + 1, "0123456789");
	if (*end != '\0' && strcmp(end, "Z") != 0 && strcmp(end, "+00:00") != 0)
		return (time_t)-1;
	return timegm(&tm);
}

static void
wipe_json_string(json_t *j, const char *key)
{
	json_t *s = json_object_get(j, key);

	if (json_is_string(s))
		pgal_wipe((void *)json_string_value(s), json_string_length(s));
}

int
pgal_aws_creds_from_json(const char *json, size_t len, const char *token_key,
    const char *source, pgal_aws_creds *out, pgal_err *e)
{
	json_t	    *j;
	json_error_t jerr;
	const char  *id, *secret, *tok, *exp;
	int	     rc;

	memset(out, 0, sizeof *out);
	if ((j = json_loadb(json, len, 0, &jerr)) == NULL || !json_is_object(j)) {
		json_decref(j);
		return pgal_fail(e, PGAL_EBACKEND, "%s: the answer is not a JSON "
		    "object", source);
	}
	id = json_string_value(json_object_get(j, "AccessKeyId"));
	secret = json_string_value(json_object_get(j, "SecretAccessKey"));
	tok = json_string_value(json_object_get(j, token_key));
	exp = json_string_value(json_object_get(j, "Expiration"));
	if (id == NULL || secret == NULL)
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: the answer lacks AccessKeyId "
		    "or SecretAccessKey", source);
	else if (json_object_get(j, "Expiration") != NULL &&
	    (exp == NULL || pgal_aws_parse_time(exp) == (time_t)-1))
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: bad Expiration", source);
	else if ((rc = pgal_aws_creds_set(out, id, secret, tok, source, e)) == PGAL_OK)
		out->expires = exp != NULL ? pgal_aws_parse_time(exp) : 0;
	wipe_json_string(j, "SecretAccessKey");
	wipe_json_string(j, token_key);
	json_decref(j);
	return rc;
}

int
pgal_aws_creds_imds(pgal_aws_creds *out, pgal_err *e)
{
	pgal_aws_meta	    *m;
	pgal_aws_imds	     s;
	const char	    *code;
	char		     role[256], path[512];
	json_t		    *j;
	long		     st;
	size_t		     n;
	int		     rc;

	memset(out, 0, sizeof *out);
	if ((m = pgal_aws_meta_new()) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	if ((rc = pgal_aws_imds_open(&s, m, e)) != PGAL_OK) {
		pgal_aws_meta_free(m);
		return rc;
	}
	st = pgal_aws_imds_get(&s, "/latest/meta-data/iam/security-credentials/", m);
	if (st != 200) {
		rc = pgal_fail(e, PGAL_ENOTFOUND, "instance metadata at %.100s: %s",
		    s.base, st == -1 ? m->err : "no instance role");
		goto out;
	}
	/* the first line names the role */
	n = strcspn(m->body, "\r\n");
	if (n == 0 || n >= sizeof role ||
	    strspn(m->body, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789+=,.@_-") < n) {
		rc = pgal_fail(e, PGAL_EBACKEND, "instance metadata: bad role name");
		goto out;
	}
	memcpy(role, m->body, n);
	role[n] = '\0';
	snprintf(path, sizeof path, "/latest/meta-data/iam/security-credentials/%s", role);
	st = pgal_aws_imds_get(&s, path, m);
	if (st != 200) {
		rc = pgal_fail(e, PGAL_EBACKEND, "instance metadata: credentials of "
		    "role %s: %s", role, st == -1 ? m->err : "not available");
		goto out;
	}
	/* a Code other than Success says why there are none */
	if ((j = json_loadb(m->body, m->len, 0, NULL)) != NULL) {
		code = json_string_value(json_object_get(j, "Code"));
		if (code != NULL && strcmp(code, "Success") != 0) {
			char shown[65];

			pgal_aws_printable(shown, sizeof shown, code, strlen(code));
			rc = pgal_fail(e, PGAL_EBACKEND, "instance metadata: role %s: "
			    "code %s", role, shown);
		}
		wipe_json_string(j, "SecretAccessKey");
		wipe_json_string(j, "Token");
		json_decref(j);
		if (rc != PGAL_OK)
			goto out;
	}
	rc = pgal_aws_creds_from_json(m->body, m->len, "Token", "instance role", out, e);
out:
	pgal_aws_meta_free(m);
	pgal_aws_imds_close(&s);
	return rc;
}

/* http:// only to the host itself or the ECS/EKS agent addresses, as the
 * SDKs allow; https:// anywhere. */
static int
container_url_ok(const char *url)
{
	CURLU	*u = curl_url();
	char	*scheme = NULL, *host = NULL;
	int	 ok = 0;
	unsigned char a[16];

	if (u == NULL || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto out;
	if (strcasecmp(scheme, "https") == 0) {
		ok = 1;
		goto out;
	}
	if (strcasecmp(scheme, "http") != 0)
		goto out;
	if (strcmp(host, ECS_HOST) == 0 || strcmp(host, "169.254.170.23") == 0 ||
	    strcasecmp(host, "[fd00:ec2::23]") == 0 || strcasecmp(host, "localhost") == 0)
		ok = 1;
	else if (inet_pton(AF_INET, host, a) == 1)
		ok = a[0] == 127;
	else if (host[0] == '[') {
		char v6[64];
		size_t n = strlen(host);

		if (n > 2 && n - 2 < sizeof v6) {
			memcpy(v6, host + 1, n - 2);
			v6[n - 2] = '\0';
			ok = inet_pton(AF_INET6, v6, a) == 1 &&
			    memcmp(a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16) == 0;
		}
	}
out:
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

/* The authorization token: _TOKEN_FILE (re-read each time: the agent
 * rotates it) before _TOKEN. */
static int
container_token(char *out, size_t outsz, pgal_err *e)
{
	const char *file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *tok = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	char *text;
	size_t len;

	out[0] = '\0';
	if (file != NULL && *file != '\0') {
		switch (pgal_fs_read_small(file, outsz - 2, 0, &text, &len)) {
		case PGAL_FS_SMALL_OK:
			break;
		case PGAL_FS_SMALL_OPEN:
			return pgal_fail(e, PGAL_EBACKEND, "container credentials: "
			    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %.200s: %s", file,
			    strerror(errno));
		case PGAL_FS_SMALL_NOMEM:
			return pgal_fail(e, PGAL_EBACKEND, "out of memory");
		default:
			return pgal_fail(e, PGAL_EINPUT, "container credentials: "
			    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: unreadable or "
			    "longer than %zu bytes", outsz - 2);
		}
		memcpy(out, text, len + 1);
		pgal_wipe(text, len);
		free(text);
		trim_nl(out);
	} else if (tok != NULL) {
		if (strlen(tok) >= outsz)
			return pgal_fail(e, PGAL_EINPUT, "container credentials: "
			    "AWS_CONTAINER_AUTHORIZATION_TOKEN is too long");
		snprintf(out, outsz, "%s", tok);
	}
	/* one header line: no line breaks may ride in it */
	if (strpbrk(out, "\r\n") != NULL) {
		pgal_wipe(out, outsz);
		return pgal_fail(e, PGAL_EINPUT, "container credentials: the "
		    "authorization token holds a line break");
	}
	return PGAL_OK;
}

int
pgal_aws_creds_container(pgal_aws_creds *out, pgal_err *e)
{
	pgal_aws_meta *m;
	const char *rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	char	    url[2048], shown[128], token[4096], hdr[4200];
	long	    st;
	int	    rc, have_token;

	memset(out, 0, sizeof *out);
	if (rel != NULL && *rel != '\0') {
		if (rel[0] != '/')
			return pgal_fail(e, PGAL_EINPUT, "AWS_CONTAINER_CREDENTIALS_"
			    "RELATIVE_URI: not a path");
		snprintf(url, sizeof url, "http://" ECS_HOST "%s", rel);
	} else if (full != NULL && *full != '\0') {
		snprintf(url, sizeof url, "%s", full);
		if (!container_url_ok(url)) {
			pgal_aws_printable(shown, sizeof shown, full, strlen(full));
			return pgal_fail(e, PGAL_EINPUT, "AWS_CONTAINER_CREDENTIALS_"
			    "FULL_URI '%s': http only to this host (loopback) or the "
			    "container agent (169.254.170.2, 169.254.170.23, "
			    "fd00:ec2::23); https anywhere", shown);
		}
	} else
		return PGAL_ENOTFOUND;
	if ((rc = container_token(token, sizeof token, e)) != PGAL_OK)
		return rc;
	if ((m = pgal_aws_meta_new()) == NULL) {
		pgal_wipe(token, sizeof token);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	have_token = token[0] != '\0';
	snprintf(hdr, sizeof hdr, "Authorization: %s", token);
	pgal_wipe(token, sizeof token);
	pgal_aws_printable(shown, sizeof shown, url, strcspn(url, "?"));
	st = pgal_aws_meta_call("GET", url, have_token ? hdr : NULL, m);
	pgal_wipe(hdr, sizeof hdr);
	if (st != 200)
		rc = pgal_fail(e, PGAL_EBACKEND, "container credentials at %s: %s",
		    shown, st == -1 ? m->err : st == 401 || st == 403 ?
		    "the authorization token was refused" : "no credentials");
	else
		rc = pgal_aws_creds_from_json(m->body, m->len, "Token",
		    "container credentials", out, e);
	pgal_aws_meta_free(m);
	return rc;
}
