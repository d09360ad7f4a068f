/* Where AWS credentials and the region come from beyond keys and
 * variables: the shared config and credentials files read as the SDKs read
 * them (one INI reader), the region of the profile and of the instance
 * (IMDSv2), role profiles through STS AssumeRole (against fake-sts.py,
 * which checks each request is signed with the source's key), chained and
 * sourced from the instance or the container, credential_process run
 * without a shell, and the container credentials endpoint. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "aws/aws.h"
#include "testlib.h"
#include "testpeers.h"

static char scratch[PATH_MAX], config[PATH_MAX + 16], creds[PATH_MAX + 16];
static int imds_port, sts_port;

static void
clear_env(void)
{
	static const char *vars[] = {
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS",
		"AWS_EC2_METADATA_SERVICE_ENDPOINT",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
	};
	size_t i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	/* never the real ~/.aws of whoever runs the tests */
	setenv("HOME", scratch, 1);
	setenv("AWS_CONFIG_FILE", config, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", creds, 1);
	unlink(config);
	unlink(creds);
}

static void
write_file(const char *path, const char *text, int mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, (mode_t)mode);
}

static void
ctl(int port, const char *what)
{
	char cmd[512];

	snprintf(cmd, sizeof cmd, "curl -s -f -X POST 'http://127.0.0.1:%d%s' "
	    "> /dev/null", port, what);
	assert_int_equal(system(cmd), 0);
}

/* fake-sts's record of what it was asked: {"assume", "ecs", "calls"} */
static json_t *
sts_stats(void)
{
	char cmd[256], buf[65536];
	size_t n;
	FILE *f;
	json_t *j;

	snprintf(cmd, sizeof cmd, "curl -s 'http://127.0.0.1:%d/__sts/stats'", sts_port);
	assert_non_null(f = popen(cmd, "r"));
	n = fread(buf, 1, sizeof buf - 1, f);
	pclose(f);
	buf[n] = '\0';
	assert_non_null(j = json_loads(buf, 0, NULL));
	return j;
}

static long
sts_count(const char *what)
{
	json_t *j = sts_stats();
	long v = (long)json_integer_value(json_object_get(j, what));

	json_decref(j);
	return v;
}

/* The field of the newest call fake-sts answered ("" when absent). */
static void
last_call(const char *field, char *out, size_t outsz)
{
	json_t *j = sts_stats(), *calls = json_object_get(j, "calls");
	const char *v = json_string_value(json_object_get(json_array_get(calls,
	    json_array_size(calls) - 1), field));

	snprintf(out, outsz, "%s", v != NULL ? v : "");
	json_decref(j);
}

static int
setup(void **state)
{
	char args[PATH_MAX + 64];

	pgal_peers_init(scratch);
	snprintf(config, sizeof config, "%s/config", scratch);
	snprintf(creds, sizeof creds, "%s/credentials", scratch);
	snprintf(args, sizeof args, "imds '%s'", scratch);
	if ((imds_port = pgal_peer_start(scratch, args, "imds")) <= 0) {
		print_error("the fake instance metadata service did not start\n");
		return -1;
	}
	snprintf(args, sizeof args, "sts '%s'", scratch);
	if ((sts_port = pgal_peer_start(scratch, args, "sts")) <= 0) {
		print_error("the fake STS did not start\n");
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	if (pgal_peers_stop(scratch) != 0)
		print_error("stopping the peers failed\n");
	return 0;
}

static void
imds_on(void)
{
	char url[64];

	snprintf(url, sizeof url, "http://127.0.0.1:%d/", imds_port);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
	unsetenv("AWS_EC2_METADATA_DISABLED");
}

/* The region in the AWS CLI's order, each source over the next. */
static void
test_region_order(void **state)
{
	pgal_config c;
	pgal_err    e;
	char	    region[PGAL_AWS_REGION_MAX];

	clear_env();
	pgal_config_defaults(&c);
	write_file(config, "[default]\nregion = eu-west-3\n\n[profile west]\n"
	    "region=us-west-2\n[east]\nregion = us-east-2\n", 0600);
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_OK);
	assert_string_equal(region, "eu-west-3");
	setenv("AWS_PROFILE", "west", 1);
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_OK);
	assert_string_equal(region, "us-west-2");
	/* the config file spells every other profile [profile NAME] */
	setenv("AWS_PROFILE", "east", 1);
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_EUSAGE);
	assert_non_null(strstr(e.msg, "no AWS region"));
	setenv("AWS_PROFILE", "west", 1);
	setenv("AWS_DEFAULT_REGION", "ca-central-1", 1);
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_OK);
	assert_string_equal(region, "ca-central-1");
	setenv("AWS_REGION", "sa-east-1", 1);
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_OK);
	assert_string_equal(region, "sa-east-1");
	snprintf(c.aws_region, sizeof c.aws_region, "ap-south-1");
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_OK);
	assert_string_equal(region, "ap-south-1");

	/* a hostile region in the file is refused, naming the profile */
	clear_env();
	pgal_config_defaults(&c);
	write_file(config, "[default]\nregion = us-east-1/../../x\n", 0600);
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "region of profile 'default'"));
	clear_env();
}

/* Nothing else names one: the instance's placement region, read with an
 * IMDSv2 session token. */
static void
test_region_imds(void **state)
{
	pgal_config c;
	pgal_err    e;
	char	    region[PGAL_AWS_REGION_MAX];

	clear_env();
	pgal_config_defaults(&c);
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_EUSAGE);
	imds_on();
	ctl(imds_port, "/__imds/region?r=ap-southeast-2");
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_OK);
	assert_string_equal(region, "ap-southeast-2");
	/* the profile's region comes before the instance's */
	write_file(config, "[default]\nregion = eu-south-1\n", 0600);
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_OK);
	assert_string_equal(region, "eu-south-1");
	unlink(config);
	/* an instance that names none: no region, saying why */
	ctl(imds_port, "/__imds/region?r=");
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_EUSAGE);
	assert_non_null(strstr(e.msg, "no placement region"));
	ctl(imds_port, "/__imds/region?r=eu-north-1");
	clear_env();
}

/* One INI reader for both files, with botocore's rules. */
static void
test_ini_rules(void **state)
{
	pgal_config    c;
	pgal_aws_creds cr;
	pgal_err       e;
	char	       longline[9000];

	clear_env();
	pgal_config_defaults(&c);
	/* comments, "key: value", upper-case keys, a nested block, CRLF, no
	 * newline at the end */
	write_file(config, "# top\n[profile other]\naws_access_key_id = NOPE\n"
	    "[default]\r\n; comment\r\nS3 =\r\n  addressing_style = path\r\n"
	    "AWS_ACCESS_KEY_ID: AKIDCONFIGFILE\r\n"
	    "aws_secret_access_key = config-secret", 0600);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_OK);
	assert_string_equal(cr.access_key_id, "AKIDCONFIGFILE");
	assert_string_equal(cr.secret_access_key, "config-secret");
	/* the old name of the session token, as botocore reads it */
	write_file(creds, "[default]\naws_access_key_id = AKIDOLDTOKEN\n"
	    "aws_secret_access_key = creds-secret\naws_security_token = old-token\n", 0600);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_OK);
	assert_string_equal(cr.session_token, "old-token");
	/* the credentials file's keys over the config file's */
	write_file(creds, "[default]\naws_access_key_id = AKIDCREDSFILE\n"
	    "aws_secret_access_key = creds-secret\n", 0600);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_OK);
	assert_string_equal(cr.access_key_id, "AKIDCREDSFILE");
	/* in the credentials file "[profile x]" is a profile named so, not x */
	write_file(creds, "[profile x]\naws_access_key_id = AKIDPX\n"
	    "aws_secret_access_key = px-secret\n", 0600);
	setenv("AWS_PROFILE", "x", 1);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_ENOTFOUND);
	assert_non_null(strstr(e.msg, "no credentials for profile 'x'"));
	setenv("AWS_PROFILE", "profile x", 1);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_OK);
	assert_string_equal(cr.access_key_id, "AKIDPX");
	unsetenv("AWS_PROFILE");
	/* hostile files: a line too long, a broken header, not key = value */
	memset(longline, 'a', sizeof longline - 1);
	longline[sizeof longline - 1] = '\0';
	write_file(creds, "[default]\nx = ", 0600);
	{
		FILE *f = fopen(creds, "a");

		fputs(longline, f);
		fputs("\n", f);
		fclose(f);
	}
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "line too long"));
	write_file(creds, "[default\naws_access_key_id = A\n", 0600);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_EINPUT);
	write_file(creds, "[default]\naws_secret_access_key\n", 0600);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "credentials:2: neither"));
	pgal_aws_creds_wipe(&cr);
	clear_env();
}

/* credential_process, in botocore's place: after the credentials file's
 * keys, before the config file's. */
static void
test_credential_process(void **state)
{
	pgal_config    c;
	pgal_aws_creds cr;
	pgal_err       e;
	char	       script[PATH_MAX + 32], text[PATH_MAX * 2 + 512];

	clear_env();
	pgal_config_defaults(&c);
	snprintf(script, sizeof script, "%s/creds-helper", scratch);
	/* prints its first argument as the key id; "fail", "junk", "v2" and
	 * "noexp" are the ways it goes wrong or differs */
	write_file(script, "#!/bin/sh\ncase $1 in\n"
	    "fail) echo 'helper-stderr' >&2; exit 3 ;;\n"
	    "junk) echo 'not json proc-secret-9'; exit 0 ;;\n"
	    "v2) echo '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"proc-secret-9\"}' ;;\n"
	    "noexp) echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDNOEXP\", \"SecretAccessKey\": \"proc-secret-9\"}' ;;\n"
	    "*) printf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": "
	    "\"proc-secret-9\", \"SessionToken\": \"proc-token\", \"Expiration\": "
	    "\"2099-01-02T03:04:05Z\"}' \"$1\" ;;\nesac\n", 0700);
	/* quoted words reach it whole; no shell: $HOME stays as written */
	snprintf(text, sizeof text, "[default]\ncredential_process = \"%s\" "
	    "'AKID $HOME'\naws_access_key_id = AKIDCONFIGKEYS\n"
	    "aws_secret_access_key = config-secret\n", script);
	write_file(config, text, 0600);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_EINPUT);
	/* ... the id has a space: refused by the key checks, so the quoting
	 * held; now a plain one */
	snprintf(text, sizeof text, "[default]\ncredential_process = %s "
	    "AKID\\$HOME\naws_access_key_id = AKIDCONFIGKEYS\n"
	    "aws_secret_access_key = config-secret\n", script);
	write_file(config, text, 0600);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_OK);
	assert_string_equal(cr.access_key_id, "AKID$HOME");
	assert_string_equal(cr.secret_access_key, "proc-secret-9");
	assert_string_equal(cr.session_token, "proc-token");
	{
		struct tm tm = { .tm_year = 199, .tm_mon = 0, .tm_mday = 2,
		    .tm_hour = 3, .tm_min = 4, .tm_sec = 5 };

		assert_int_equal((long long)cr.expires, (long long)timegm(&tm));
	}
	/* the credentials file's keys come first */
	write_file(creds, "[default]\naws_access_key_id = AKIDCREDSFILE\n"
	    "aws_secret_access_key = creds-secret\n", 0600);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_OK);
	assert_string_equal(cr.access_key_id, "AKIDCREDSFILE");
	unlink(creds);
	/* without Expiration they never expire */
	snprintf(text, sizeof text, "[default]\ncredential_process = %s noexp\n", script);
	write_file(config, text, 0600);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_OK);
	assert_int_equal((long long)cr.expires, 0);
	/* failures are clear and never show what it printed */
	{
		static const char *bad[][2] = {
			{ "fail", "exited with status 3" },
			{ "junk", "not a JSON object" },
			{ "v2", "Version is not 1" },
			{ "'unbalanced", "unbalanced quotes" },
		};
		size_t i;

		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			snprintf(text, sizeof text, "[default]\ncredential_process "
			    "= %s %s\n", script, bad[i][0]);
			write_file(config, text, 0600);
			assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e) == PGAL_OK, 0);
			if (strstr(e.msg, bad[i][1]) == NULL)
				fail_msg("%s: %s", bad[i][0], e.msg);
			assert_non_null(strstr(e.msg, "credential_process of profile 'default'"));
			assert_null(strstr(e.msg, "proc-secret-9"));
			assert_null(strstr(e.msg, "helper-stderr"));
		}
	}
	write_file(config, "[default]\ncredential_process = /nonexistent/helper\n", 0600);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_EBACKEND);
	assert_non_null(strstr(e.msg, "cannot run /nonexistent/helper"));
	pgal_aws_creds_wipe(&cr);
	clear_env();
}

static void
sts_on(void)
{
	char url[64];

	snprintf(url, sizeof url, "http://127.0.0.1:%d", sts_port);
	setenv("AWS_ENDPOINT_URL_STS", url, 1);
	setenv("AWS_REGION", "eu-west-1", 1);
	ctl(sts_port, "/__sts/source?id=AKIDSOURCE&secret=source-secret-7");
}

/* role_arn with source_profile: AssumeRole signed by the source's key,
 * with the profile's session name, external id and duration. */
static void
test_assume_role(void **state)
{
	pgal_config    c;
	pgal_aws_creds cr;
	pgal_err       e;
	char	       v[256];
	long	       n0;

	clear_env();
	pgal_config_defaults(&c);
	sts_on();
	write_file(config, "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/pgal\n"
	    "source_profile = base\nrole_session_name = pgal-host-1\n"
	    "external_id = ext id&1\nduration_seconds = 1800\n\n"
	    "[profile chained]\nrole_arn = arn:aws:iam::123456789012:role/second\n"
	    "source_profile = app\n\n"
	    "[profile loop1]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = loop2\n"
	    "[profile loop2]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = loop1\n"
	    "[profile both]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = base\n"
	    "credential_source = Environment\n"
	    "[profile neither]\nrole_arn = arn:aws:iam::1:role/a\n"
	    "[profile badsrc]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = wrong\n"
	    "[profile missing]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = nowhere\n"
	    "[profile mfa]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = base\n"
	    "mfa_serial = arn:aws:iam::1:mfa/u\n", 0600);
	write_file(creds, "[base]\naws_access_key_id = AKIDSOURCE\n"
	    "aws_secret_access_key = source-secret-7\n"
	    "[wrong]\naws_access_key_id = AKIDSOURCE\n"
	    "aws_secret_access_key = not-the-secret\n", 0600);
	setenv("AWS_PROFILE", "app", 1);
	n0 = sts_count("assume");
	if (pgal_aws_creds_resolve(&c, &cr, &e) != PGAL_OK)
		fail_msg("%s", e.msg);
	assert_int_equal(sts_count("assume"), n0 + 1);
	assert_true(strncmp(cr.access_key_id, "ASIASTS", 7) == 0);
	assert_true(strncmp(cr.secret_access_key, "sts-secret-", 11) == 0);
	assert_true(strncmp(cr.session_token, "sts-token-", 10) == 0);
	assert_true(cr.expires > time(NULL) + 1700 && cr.expires <= time(NULL) + 1800);
	last_call("KeyId", v, sizeof v);
	assert_string_equal(v, "AKIDSOURCE");
	last_call("Region", v, sizeof v);
	assert_string_equal(v, "eu-west-1");
	last_call("RoleArn", v, sizeof v);
	assert_string_equal(v, "arn:aws:iam::123456789012:role/pgal");
	last_call("RoleSessionName", v, sizeof v);
	assert_string_equal(v, "pgal-host-1");
	last_call("ExternalId", v, sizeof v);
	assert_string_equal(v, "ext id&1");
	last_call("DurationSeconds", v, sizeof v);
	assert_string_equal(v, "1800");

	/* a role sourcing a role: two calls, the second signed by the first's
	 * key; no session name given: one of STS's rules is made */
	setenv("AWS_PROFILE", "chained", 1);
	n0 = sts_count("assume");
	if (pgal_aws_creds_resolve(&c, &cr, &e) != PGAL_OK)
		fail_msg("%s", e.msg);
	assert_int_equal(sts_count("assume"), n0 + 2);
	last_call("KeyId", v, sizeof v);
	assert_true(strncmp(v, "ASIASTS", 7) == 0);
	last_call("RoleSessionName", v, sizeof v);
	assert_true(strncmp(v, "pgal-", 5) == 0);
	last_call("DurationSeconds", v, sizeof v);
	assert_string_equal(v, "");

	/* what cannot work says so, and no secret is in it */
	{
		static const char *bad[][2] = {
			{ "loop1", "a loop?" },
			{ "both", "both source_profile and credential_source" },
			{ "neither", "neither source_profile nor credential_source" },
			{ "missing", "source_profile 'nowhere' does not exist" },
			{ "badsrc", "STS AssumeRole: SignatureDoesNotMatch" },
			{ "mfa", "mfa_serial" },
		};
		size_t i;

		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			setenv("AWS_PROFILE", bad[i][0], 1);
			assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e) == PGAL_OK, 0);
			if (strstr(e.msg, bad[i][1]) == NULL)
				fail_msg("%s: %s", bad[i][0], e.msg);
			assert_null(strstr(e.msg, "secret"));
		}
	}
	pgal_aws_creds_wipe(&cr);
	clear_env();
}

/* A client keeps the role's credentials until shortly before they
 * expire, then assumes the role again. */
static void
test_assume_role_refresh(void **state)
{
	pgal_config	 c;
	pgal_aws_client *cl;
	pgal_aws_creds	 cr;
	pgal_err	 e;
	char		 first[PGAL_AWS_KEY_ID_MAX];
	long		 n0;

	clear_env();
	pgal_config_defaults(&c);
	sts_on();
	write_file(config, "[default]\nrole_arn = arn:aws:iam::123456789012:role/pgal\n"
	    "source_profile = default\naws_access_key_id = AKIDSOURCE\n"
	    "aws_secret_access_key = source-secret-7\n", 0600);
	/* a profile may be its own source for its static keys */
	ctl(sts_port, "/__sts/expires?secs=3600");
	assert_int_equal(pgal_aws_client_open(&cl, &c, "s3", NULL, &e), PGAL_OK);
	n0 = sts_count("assume");
	assert_int_equal(pgal_aws_client_creds(cl, &cr, &e), PGAL_OK);
	assert_int_equal(pgal_aws_client_creds(cl, &cr, &e), PGAL_OK);
	assert_int_equal(sts_count("assume"), n0 + 1);
	pgal_aws_client_close(cl);
	/* credentials that end within the margin are renewed on every use */
	ctl(sts_port, "/__sts/expires?secs=120");
	assert_int_equal(pgal_aws_client_open(&cl, &c, "s3", NULL, &e), PGAL_OK);
	n0 = sts_count("assume");
	assert_int_equal(pgal_aws_client_creds(cl, &cr, &e), PGAL_OK);
	snprintf(first, sizeof first, "%s", cr.access_key_id);
	assert_int_equal(pgal_aws_client_creds(cl, &cr, &e), PGAL_OK);
	assert_string_not_equal(cr.access_key_id, first);
	assert_int_equal(sts_count("assume"), n0 + 2);
	pgal_aws_client_close(cl);
	ctl(sts_port, "/__sts/expires?secs=3600");
	pgal_aws_creds_wipe(&cr);
	clear_env();
}

/* credential_source: the instance role or the container signs the
 * AssumeRole. */
static void
test_credential_source(void **state)
{
	pgal_config    c;
	pgal_aws_creds cr;
	pgal_err       e;
	char	       url[128], v[128];

	clear_env();
	pgal_config_defaults(&c);
	sts_on();
	write_file(config, "[profile ec2]\nrole_arn = arn:aws:iam::123456789012:role/pgal\n"
	    "credential_source = Ec2InstanceMetadata\n"
	    "[profile ecs]\nrole_arn = arn:aws:iam::123456789012:role/pgal\n"
	    "credential_source = EcsContainer\n"
	    "[profile odd]\nrole_arn = arn:aws:iam::123456789012:role/pgal\n"
	    "credential_source = Somewhere\n", 0600);
	setenv("AWS_PROFILE", "ec2", 1);
	imds_on();
	if (pgal_aws_creds_resolve(&c, &cr, &e) != PGAL_OK)
		fail_msg("%s", e.msg);
	assert_true(strncmp(cr.access_key_id, "ASIASTS", 7) == 0);
	last_call("KeyId", v, sizeof v);
	assert_true(strncmp(v, "ASIAIMDS", 8) == 0);
	setenv("AWS_PROFILE", "ecs", 1);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/ecs/creds", sts_port);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	if (pgal_aws_creds_resolve(&c, &cr, &e) != PGAL_OK)
		fail_msg("%s", e.msg);
	last_call("KeyId", v, sizeof v);
	assert_true(strncmp(v, "ASIAECS", 7) == 0);
	setenv("AWS_PROFILE", "odd", 1);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "credential_source must be"));
	pgal_aws_creds_wipe(&cr);
	clear_env();
}

/* The container endpoint: after the profile, before the instance role;
 * its token from the file before the variable; http only to the host
 * itself or the agent's addresses. */
static void
test_container(void **state)
{
	pgal_config    c;
	pgal_aws_creds cr;
	pgal_err       e;
	char	       url[128], tokfile[PATH_MAX + 16];
	long	       n0;

	clear_env();
	pgal_config_defaults(&c);
	imds_on();
	snprintf(url, sizeof url, "http://127.0.0.1:%d/ecs/v2/creds?id=1", sts_port);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	ctl(sts_port, "/__ecs/token?t=ecs-auth-token-5");
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ecs-auth-token-5", 1);
	n0 = sts_count("ecs");
	if (pgal_aws_creds_resolve(&c, &cr, &e) != PGAL_OK)
		fail_msg("%s", e.msg);
	assert_int_equal(sts_count("ecs"), n0 + 1);
	assert_true(strncmp(cr.access_key_id, "ASIAECS", 7) == 0);
	assert_true(strncmp(cr.session_token, "ecs-token-", 10) == 0);
	assert_string_equal(cr.source, "container credentials");
	assert_true(cr.expires > time(NULL) + 3000);
	/* the token file wins over the variable */
	snprintf(tokfile, sizeof tokfile, "%s/ecs-token", scratch);
	write_file(tokfile, "wrong-token-6\n", 0600);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokfile, 1);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_EBACKEND);
	assert_non_null(strstr(e.msg, "the authorization token was refused"));
	assert_null(strstr(e.msg, "wrong-token-6"));
	write_file(tokfile, "ecs-auth-token-5\n", 0600);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_OK);
	unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	/* a token with a line break would add a header: refused */
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "a\r\nX-Evil: 1", 1);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_EINPUT);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ecs-auth-token-5", 1);
	/* the profile's keys come first */
	write_file(creds, "[default]\naws_access_key_id = AKIDCREDSFILE\n"
	    "aws_secret_access_key = creds-secret\n", 0600);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_OK);
	assert_string_equal(cr.access_key_id, "AKIDCREDSFILE");
	unlink(creds);
	/* plain http elsewhere is refused before any connection */
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.1/creds", 1);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "http only to this host"));
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "file:///etc/passwd", 1);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_EINPUT);
	/* the relative form goes to the ECS agent's address */
	setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "no-slash", 1);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_EINPUT);
	/* none set: on to the instance role */
	unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_OK);
	assert_string_equal(cr.source, "instance role");
	ctl(sts_port, "/__ecs/token?t=");
	pgal_aws_creds_wipe(&cr);
	clear_env();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_region_order),
		cmocka_unit_test(test_region_imds),
		cmocka_unit_test(test_ini_rules),
		cmocka_unit_test(test_credential_process),
		cmocka_unit_test(test_assume_role),
		cmocka_unit_test(test_assume_role_refresh),
		cmocka_unit_test(test_credential_source),
		cmocka_unit_test(test_container),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
