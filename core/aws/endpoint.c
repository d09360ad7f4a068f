/* Region and service endpoints. The region in the AWS CLI's order:
 * pgal.conf's aws_region (pgal's own, first), AWS_REGION,
 * AWS_DEFAULT_REGION, the profile's region, IMDSv2's placement region.
 * Endpoints: the AWS_ENDPOINT_URL* variables, then the public
 * https://<service>.<region>.amazonaws.com. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/aws.h"
#include "aws/aws-int.h"

static int
region_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= PGAL_AWS_REGION_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-'))
			return 0;
	return 1;
}

static int
region_set(char out[PGAL_AWS_REGION_MAX], const char *v, const char *where,
    pgal_err *e)
{
	char shown[80];

	if (!region_ok(v)) {
		pgal_aws_printable(shown, sizeof shown, v, strlen(v));
		return pgal_fail(e, PGAL_EINPUT, "%s: not an AWS region: '%s'",
		    where, shown);
	}
	snprintf(out, PGAL_AWS_REGION_MAX, "%s", v);
	return PGAL_OK;
}

/* The region of the profile (AWS_PROFILE or default) in the shared
 * files; PGAL_ENOTFOUND when it names none. */
static int
region_profile(char out[PGAL_AWS_REGION_MAX], pgal_err *e)
{
	pgal_aws_profile p;
	const char *v;
	char where[200];
	int explicit, rc;

	if ((rc = pgal_aws_profile_load(pgal_aws_profile_name(&explicit), &p, e)) !=
	    PGAL_OK)
		return rc;
	v = pgal_aws_profile_get(&p, "region", PGAL_AWS_IN_ANY);
	snprintf(where, sizeof where, "region of profile '%.64s'", p.name);
	rc = v != NULL && *v != '\0' ? region_set(out, v, where, e) : PGAL_ENOTFOUND;
	pgal_aws_profile_free(&p);
	return rc;
}

/* The instance's region from IMDSv2; PGAL_ENOTFOUND with the reason in e. */
static int
region_imds(char out[PGAL_AWS_REGION_MAX], pgal_err *e)
{
	pgal_aws_meta *m;
	pgal_aws_imds s;
	long st;
	int rc;

	if ((m = pgal_aws_meta_new()) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	if ((rc = pgal_aws_imds_open(&s, m, e)) != PGAL_OK) {
		pgal_aws_meta_free(m);
		return rc == PGAL_EINPUT ? rc : PGAL_ENOTFOUND;
	}
	st = pgal_aws_imds_get(&s, "/latest/meta-data/placement/region", m);
	pgal_aws_imds_close(&s);
	if (st != 200)
		rc = pgal_fail(e, PGAL_ENOTFOUND, "instance metadata: %s",
		    st == -1 ? m->err : "no placement region");
	else {
		m->body[strcspn(m->body, "\r\n")] = '\0';
		rc = region_set(out, m->body, "instance metadata placement region", e);
	}
	pgal_aws_meta_free(m);
	return rc;
}

int
pgal_aws_region(const pgal_config *cfg, char out[PGAL_AWS_REGION_MAX], pgal_err *e)
{
	const char *src[3][2] = {
		{ cfg != NULL ? cfg->aws_region : "", "aws_region" },
		{ getenv("AWS_REGION"), "AWS_REGION" },
		{ getenv("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION" },
	};
	pgal_err ie;
	size_t i;
	int rc;

	for (i = 0; i < 3; i++) {
		const char *v = src[i][0];

		if (v != NULL && *v != '\0')
			return region_set(out, v, src[i][1], e);
	}
	if ((rc = region_profile(out, e)) != PGAL_ENOTFOUND)
		return rc;
	pgal_err_clear(&ie);
	if ((rc = region_imds(out, &ie)) != PGAL_ENOTFOUND) {
		if (rc != PGAL_OK && e != NULL)
			*e = ie;
		return rc;
	}
	return pgal_fail(e, PGAL_EUSAGE, "no AWS region: set aws_region in "
	    "pgal.conf, AWS_REGION, or region in the profile of ~/.aws/config, "
	    "or run on EC2 (%.120s)", ie.msg[0] ? ie.msg : "instance metadata: disabled");
}

int
pgal_aws_endpoint_parse(const char *url, pgal_aws_endpoint *out, pgal_err *e)
{
	const char *p, *hend, *port = NULL;
	char	    shown[128], host[200];
	size_t	    n, hn;

	memset(out, 0, sizeof *out);
	pgal_aws_printable(shown, sizeof shown, url, strlen(url));
	if (strncasecmp(url, "https://", 8) == 0) {
		out->tls = 1;
		p = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else
		return pgal_fail(e, PGAL_EINPUT, "endpoint '%s': not an http(s) URL", shown);
	n = strcspn(p, "/?#");
	if (p[n] == '?' || p[n] == '#' || strchr(p, '?') || strchr(p, '#') ||
	    memchr(p, '@', n) != NULL)
		return pgal_fail(e, PGAL_EINPUT,
		    "endpoint '%s': no user, query or fragment allowed", shown);
	if (n == 0 || n >= sizeof host)
		return pgal_fail(e, PGAL_EINPUT, "endpoint '%s': bad host", shown);
	/* host, [v6] or host:port */
	if (p[0] == '[') {
		hend = memchr(p, ']', n);
		if (hend == NULL)
			return pgal_fail(e, PGAL_EINPUT, "endpoint '%s': bad host", shown);
		hend++;
	} else {
		hend = memchr(p, ':', n);
		if (hend == NULL)
			hend = p + n;
	}
	hn = (size_t)(hend - p);
	if (hend < p + n) {
		if (*hend != ':')
			return pgal_fail(e, PGAL_EINPUT, "endpoint '%s': bad host", shown);
		port = hend + 1;
		if (port == p + n || (size_t)(p + n - port) > 5 ||
		    strspn(port, "0123456789") < (size_t)(p + n - port))
			return pgal_fail(e, PGAL_EINPUT, "endpoint '%s': bad port", shown);
	}
	if (hn >= sizeof host)
		return pgal_fail(e, PGAL_EINPUT, "endpoint '%s': bad host", shown);
	memcpy(host, p, hn);
	host[hn] = '\0';
	if (hn == 0 || strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789.-[]:") != hn)
		return pgal_fail(e, PGAL_EINPUT, "endpoint '%s': bad host", shown);
	{
		long pn = port ? strtol(port, NULL, 10) : (out->tls ? 443 : 80);
		int  dflt = port == NULL || (out->tls ? pn == 443 : pn == 80);

		if (pn < 1 || pn > 65535)
			return pgal_fail(e, PGAL_EINPUT, "endpoint '%s': bad port", shown);
		/* Host: leaves out the default port, as every client does */
		if (dflt)
			snprintf(out->host, sizeof out->host, "%s", host);
		else
			snprintf(out->host, sizeof out->host, "%s:%ld", host, pn);
		snprintf(out->connect, sizeof out->connect, "%s:%ld", host, pn);
	}
	p += n;
	n = strlen(p);
	while (n > 0 && p[n - 1] == '/')
		n--;
	if (n >= sizeof out->base_path)
		return pgal_fail(e, PGAL_EINPUT, "endpoint '%s': path too long", shown);
	memcpy(out->base_path, p, n);
	out->base_path[n] = '\0';
	return PGAL_OK;
}

int
pgal_aws_endpoint_resolve(const char *service, const char *region,
    pgal_aws_endpoint *out, pgal_err *e)
{
	static const struct {
		const char *service, *env, *env2, *host;
	} svc[] = {
		{ "s3", "AWS_ENDPOINT_URL_S3", NULL, "s3" },
		{ "dynamodb", "AWS_ENDPOINT_URL_DYNAMODB", NULL, "dynamodb" },
		/* SES answers at email.<region>; SESv2's SDK id is "SESv2" */
		{ "ses", "AWS_ENDPOINT_URL_SES", "AWS_ENDPOINT_URL_SESV2", "email" },
		/* AssumeRole for role profiles; regional, as the SDKs now do */
		{ "sts", "AWS_ENDPOINT_URL_STS", NULL, "sts" },
	};
	const char *v, *name;
	char	    url[512];
	size_t	    i;
	int	    rc;

	for (i = 0; i < sizeof svc / sizeof svc[0]; i++)
		if (strcmp(svc[i].service, service) == 0)
			break;
	if (i == sizeof svc / sizeof svc[0])
		return pgal_fail(e, PGAL_EUSAGE, "unknown AWS service '%s'", service);
	name = svc[i].env;
	if ((v = getenv(name)) == NULL || *v == '\0') {
		name = svc[i].env2;
		v = name ? getenv(name) : NULL;
	}
	if (v == NULL || *v == '\0') {
		name = "AWS_ENDPOINT_URL";
		v = getenv(name);
	}
	if (v != NULL && *v != '\0') {
		if ((rc = pgal_aws_endpoint_parse(v, out, e)) != PGAL_OK) {
			char msg[sizeof e->msg];

			if (e == NULL)
				return rc;
			snprintf(msg, sizeof msg, "%s", e->msg);
			return pgal_fail(e, rc, "%s: %s", name, msg);
		}
		out->overridden = 1;
		return PGAL_OK;
	}
	if (region == NULL || *region == '\0')
		return pgal_fail(e, PGAL_EUSAGE, "no AWS region for %s", service);
	snprintf(url, sizeof url, "https://%s.%s.amazonaws.com", svc[i].host, region);
	return pgal_aws_endpoint_parse(url, out, e);
}
