/* AWS credentials in the SDKs' order (botocore's chain): pgal.conf's keys
 * first (pgal's own), the AWS_* variables, the profile (role_arn through STS,
 * static keys of the credentials file, credential_process, static keys of
 * the config file), the container endpoint, the EC2 instance role. Secrets
 * are copied into fixed buffers, wiped after use and never printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/aws.h"
#include "aws/aws-int.h"
#include "crypto.h"

/* role profiles sourcing role profiles: at most this deep */
#define ROLE_CHAIN_MAX 8

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

int
pgal_aws_creds_set(pgal_aws_creds *out, const char *id, const char *secret,
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
	return pgal_aws_creds_set(out, cfg->aws_access_key_id, cfg->aws_secret_access_key,
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
	return pgal_aws_creds_set(out, id, secret, getenv("AWS_SESSION_TOKEN"),
	    "environment", e);
}

/* A pair of static keys of the profile out of one file; PGAL_ENOTFOUND
 * when neither is there. */
static int
profile_static(const pgal_aws_profile *p, int where, pgal_aws_creds *out,
    pgal_err *e)
{
	const char *id = pgal_aws_profile_get(p, "aws_access_key_id", where);
	const char *secret = pgal_aws_profile_get(p, "aws_secret_access_key", where);
	const char *token;
	char source[48];

	if (id == NULL && secret == NULL)
		return PGAL_ENOTFOUND;
	if (id == NULL || secret == NULL)
		return pgal_fail(e, PGAL_EINPUT, "%.200s: profile '%.64s' needs both "
		    "aws_access_key_id and aws_secret_access_key",
		    where == PGAL_AWS_IN_CREDS ? p->creds_path : p->config_path, p->name);
	/* botocore reads the old name aws_security_token first */
	if ((token = pgal_aws_profile_get(p, "aws_security_token", where)) == NULL)
		token = pgal_aws_profile_get(p, "aws_session_token", where);
	snprintf(source, sizeof source, "profile %.38s", p->name);
	return pgal_aws_creds_set(out, id, secret, token, source, e);
}

/* What a profile without role_arn gives, in botocore's order: the
 * credentials file's keys, credential_process, the config file's keys. */
static int
profile_plain(const pgal_aws_profile *p, pgal_aws_creds *out, pgal_err *e)
{
	const char *cmd = pgal_aws_profile_get(p, "credential_process", PGAL_AWS_IN_ANY);
	int rc;

	if ((rc = profile_static(p, PGAL_AWS_IN_CREDS, out, e)) != PGAL_ENOTFOUND)
		return rc;
	if (cmd != NULL && *cmd != '\0')
		return pgal_aws_creds_process(cmd, p->name, out, e);
	return profile_static(p, PGAL_AWS_IN_CONFIG, out, e);
}

static int profile_role(const pgal_config *cfg, const pgal_aws_profile *p,
    int depth, pgal_aws_creds *out, pgal_err *e);

/* The credentials a role profile signs its AssumeRole with. */
static int
role_source(const pgal_config *cfg, const pgal_aws_profile *p, int depth,
    pgal_aws_creds *out, pgal_err *e)
{
	const char *sp = pgal_aws_profile_get(p, "source_profile", PGAL_AWS_IN_ANY);
	const char *cs = pgal_aws_profile_get(p, "credential_source", PGAL_AWS_IN_ANY);
	pgal_aws_profile src;
	int rc;

	if (sp != NULL && cs != NULL)
		return pgal_fail(e, PGAL_EINPUT, "profile '%.64s' has both "
		    "source_profile and credential_source", p->name);
	if (cs != NULL) {
		if (strcmp(cs, "Environment") == 0)
			rc = from_env(out, e);
		else if (strcmp(cs, "Ec2InstanceMetadata") == 0)
			rc = pgal_aws_creds_imds(out, e);
		else if (strcmp(cs, "EcsContainer") == 0)
			rc = pgal_aws_creds_container(out, e);
		else
			return pgal_fail(e, PGAL_EINPUT, "profile '%.64s': credential_"
			    "source must be Environment, Ec2InstanceMetadata or "
			    "EcsContainer", p->name);
		if (rc == PGAL_ENOTFOUND)
			rc = pgal_fail(e, PGAL_ENOTFOUND, "profile '%.64s': no "
			    "credentials in its credential_source %s", p->name, cs);
		return rc;
	}
	if (sp == NULL)
		return pgal_fail(e, PGAL_EINPUT, "profile '%.64s' has role_arn but "
		    "neither source_profile nor credential_source", p->name);
	/* a profile may source itself for its own static keys */
	if (strcmp(sp, p->name) == 0) {
		if ((rc = profile_plain(p, out, e)) == PGAL_ENOTFOUND)
			rc = pgal_fail(e, PGAL_EINPUT, "profile '%.64s' is its own "
			    "source_profile but holds no keys", p->name);
		return rc;
	}
	if (depth >= ROLE_CHAIN_MAX)
		return pgal_fail(e, PGAL_EINPUT, "profile '%.64s': source_profile "
		    "chain longer than %d (a loop?)", p->name, ROLE_CHAIN_MAX);
	if ((rc = pgal_aws_profile_load(sp, &src, e)) != PGAL_OK)
		return rc;
	if (!src.found)
		rc = pgal_fail(e, PGAL_EINPUT, "profile '%.64s': its source_profile "
		    "'%.64s' does not exist", p->name, sp);
	else if (pgal_aws_profile_get(&src, "role_arn", PGAL_AWS_IN_ANY) != NULL &&
	    profile_static(&src, PGAL_AWS_IN_ANY, out, e) == PGAL_ENOTFOUND)
		rc = profile_role(cfg, &src, depth + 1, out, e);
	else if ((rc = profile_plain(&src, out, e)) == PGAL_ENOTFOUND)
		rc = pgal_fail(e, PGAL_EINPUT, "profile '%.64s': its source_profile "
		    "'%.64s' holds no credentials", p->name, sp);
	pgal_aws_profile_free(&src);
	return rc;
}

/* role_arn: AssumeRole with the source's credentials. */
static int
profile_role(const pgal_config *cfg, const pgal_aws_profile *p, int depth,
    pgal_aws_creds *out, pgal_err *e)
{
	const char *dur = pgal_aws_profile_get(p, "duration_seconds", PGAL_AWS_IN_ANY);
	pgal_aws_assume a = {
		.role_arn = pgal_aws_profile_get(p, "role_arn", PGAL_AWS_IN_ANY),
		.session_name = pgal_aws_profile_get(p, "role_session_name", PGAL_AWS_IN_ANY),
		.external_id = pgal_aws_profile_get(p, "external_id", PGAL_AWS_IN_ANY),
		.profile = p->name,
	};
	pgal_aws_creds source;
	pgal_err ignore;
	char region[PGAL_AWS_REGION_MAX];
	int rc;

	memset(out, 0, sizeof *out);
	if (dur != NULL) {
		char *end;
		long v = strtol(dur, &end, 10);

		/* STS's bounds: 15 minutes to 12 hours */
		if (*dur == '\0' || *end != '\0' || v < 900 || v > 43200)
			return pgal_fail(e, PGAL_EINPUT, "profile '%.64s': "
			    "duration_seconds must be 900 to 43200", p->name);
		a.duration_secs = (int)v;
	}
	if (pgal_aws_profile_get(p, "mfa_serial", PGAL_AWS_IN_ANY) != NULL)
		return pgal_fail(e, PGAL_EUSAGE, "profile '%.64s': mfa_serial needs "
		    "a code typed in; a server cannot: use a role without MFA",
		    p->name);
	if ((rc = role_source(cfg, p, depth, &source, e)) != PGAL_OK)
		return rc;
	/* STS of the region pgal runs in, as the SDKs' regional endpoints */
	pgal_err_clear(&ignore);
	a.region = pgal_aws_region(cfg, region, &ignore) == PGAL_OK ? region : NULL;
	rc = pgal_aws_sts_assume_role(&a, &source, out, e);
	pgal_aws_creds_wipe(&source);
	return rc;
}

/* The profile's credentials; PGAL_ENOTFOUND when it gives none. */
static int
from_profile(const pgal_config *cfg, pgal_aws_creds *out, int *missing,
    pgal_err *e)
{
	pgal_aws_profile p;
	const char *name;
	int explicit, rc;

	name = pgal_aws_profile_name(&explicit);
	if ((rc = pgal_aws_profile_load(name, &p, e)) != PGAL_OK)
		return rc;
	if ((*missing = !p.found && explicit))
		rc = pgal_fail(e, PGAL_ENOTFOUND, "AWS_PROFILE: no credentials for "
		    "profile '%.64s': no such profile in %.200s or %.200s", name,
		    p.config_path, p.creds_path);
	else if (pgal_aws_profile_get(&p, "role_arn", PGAL_AWS_IN_ANY) != NULL)
		rc = profile_role(cfg, &p, 0, out, e);
	else
		rc = profile_plain(&p, out, e);
	pgal_aws_profile_free(&p);
	return rc;
}
int
pgal_aws_creds_resolve(const pgal_config *cfg, pgal_aws_creds *out, pgal_err *e)
{
	pgal_err ie;
	char	 imds[256] = "";
	int	 rc, missing = 0;

	memset(out, 0, sizeof *out);
	if ((rc = from_config(cfg, out, e)) != PGAL_ENOTFOUND)
		return rc;
	if ((rc = from_env(out, e)) != PGAL_ENOTFOUND)
		return rc;
	/* an explicit AWS_PROFILE that does not exist is an error of its own */
	if ((rc = from_profile(cfg, out, &missing, e)) != PGAL_ENOTFOUND || missing)
		return rc;
	if ((rc = pgal_aws_creds_container(out, e)) != PGAL_ENOTFOUND)
		return rc;
	pgal_err_clear(&ie);
	if ((rc = pgal_aws_creds_imds(out, &ie)) == PGAL_OK)
		return PGAL_OK;
	snprintf(imds, sizeof imds, "%.200s", ie.msg[0] ? ie.msg : "disabled");
	return pgal_fail(e, PGAL_EBACKEND, "no AWS credentials: set aws_access_key_id "
	    "and aws_secret_access_key, or AWS_ACCESS_KEY_ID and "
	    "AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials, or run "
	    "with an EC2 instance role or a container task role; a profile in "
	    "~/.aws/config may also name a role_arn or a credential_process (%s)",
	    imds);
}
