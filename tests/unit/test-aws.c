/* The AWS layer around the signer: the credential chain (config, AWS_*
 * variables, shared credentials file, IMDSv2 against a fake instance
 * metadata service started here, refreshed before expiry), region and
 * endpoint resolution, and the readers of error bodies and XML. */
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
#include <curl/curl.h>
#include <jansson.h>

#include "aws/aws.h"
#include "aws/s3.h"
#include "testlib.h"
#include "testpeers.h"

static char scratch[PATH_MAX];
static int imds_port, ddb_port, ddb_proxy_port;

static void
clear_env(void)
{
	static const char *vars[] = {
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_REGION",
		"AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
		"AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SES",
		"AWS_ENDPOINT_URL_SESV2", "AWS_EC2_METADATA_SERVICE_ENDPOINT",
	};
	size_t i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	/* never read the real ~/.aws of whoever runs the tests */
	setenv("HOME", scratch, 1);
}

static int
setup(void **state)
{
	char args[PATH_MAX + 64];

	/* scratch is HOME (clear_env) and the peers directory */
	pgal_peers_init(scratch);
	snprintf(args, sizeof args, "imds '%s'", scratch);
	if ((imds_port = pgal_peer_start(scratch, args, "imds")) <= 0) {
		print_error("the fake instance metadata service did not start\n");
		return -1;
	}
	snprintf(args, sizeof args, "dynalite '%s'", scratch);
	if ((ddb_port = pgal_peer_start(scratch, args, "dynalite")) <= 0) {
		print_error("dynalite did not start\n");
		return -1;
	}
	snprintf(args, sizeof args, "proxy '%s' ddbproxy %d", scratch, ddb_port);
	if ((ddb_proxy_port = pgal_peer_start(scratch, args, "ddbproxy")) <= 0) {
		print_error("the fault proxy did not start\n");
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	if (pgal_peers_stop(scratch) != 0)
		print_error("stopping the fake IMDS failed\n");
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_chain_order(void **state)
{
	pgal_config	c;
	pgal_aws_creds	cr;
	pgal_err	e;
	char		path[PATH_MAX + 32], dir[PATH_MAX + 16];

	clear_env();
	pgal_config_defaults(&c);
	/* nothing anywhere: one message naming every source */
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_EBACKEND);
	assert_non_null(strstr(e.msg, "no AWS credentials"));
	assert_non_null(strstr(e.msg, "~/.aws/credentials"));

	/* ~/.aws/credentials, profile default, then AWS_PROFILE */
	snprintf(dir, sizeof dir, "%s/.aws", scratch);
	mkdir(dir, 0700);
	snprintf(path, sizeof path, "%s/credentials", dir);
	write_file(path, "# a comment\n[default]\naws_access_key_id = AKIDFILE\n"
	    "aws_secret_access_key=file-secret\n\n[other]\n"
	    "aws_access_key_id=AKIDOTHER\naws_secret_access_key = other-secret\n"
	    "aws_session_token = other-token\n");
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_OK);
	assert_string_equal(cr.access_key_id, "AKIDFILE");
	assert_string_equal(cr.secret_access_key, "file-secret");
	assert_string_equal(cr.session_token, "");
	assert_string_equal(cr.source, "profile default");
	setenv("AWS_PROFILE", "other", 1);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_OK);
	assert_string_equal(cr.access_key_id, "AKIDOTHER");
	assert_string_equal(cr.session_token, "other-token");
	setenv("AWS_PROFILE", "missing", 1);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_ENOTFOUND);
	assert_non_null(strstr(e.msg, "no credentials for profile 'missing'"));
	unsetenv("AWS_PROFILE");

	/* the environment wins over the file */
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);
	setenv("AWS_SESSION_TOKEN", "env-token", 1);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_OK);
	assert_string_equal(cr.access_key_id, "AKIDENV");
	assert_string_equal(cr.session_token, "env-token");
	assert_string_equal(cr.source, "environment");
	/* half a pair is an error, not a silent fall-through */
	unsetenv("AWS_SECRET_ACCESS_KEY");
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_EINPUT);
	assert_null(strstr(e.msg, "env-token"));
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);

	/* and the config wins over everything */
	snprintf(c.aws_access_key_id, sizeof c.aws_access_key_id, "AKIDCONF");
	snprintf(c.aws_secret_access_key, sizeof c.aws_secret_access_key, "conf-secret");
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_OK);
	assert_string_equal(cr.access_key_id, "AKIDCONF");
	assert_string_equal(cr.secret_access_key, "conf-secret");
	assert_string_equal(cr.session_token, "");
	assert_string_equal(cr.source, "config");
	pgal_aws_creds_wipe(&cr);
	assert_string_equal(cr.secret_access_key, "");
	unlink(path);
	rmdir(dir);
	clear_env();
}

static long
imds_stat(const char *what)
{
	char url[128], buf[512] = "";
	FILE *f;
	json_t *j;
	long v;
	char cmd[256];

	snprintf(url, sizeof url, "http://127.0.0.1:%d/__imds/stats", imds_port);
	snprintf(cmd, sizeof cmd, "curl -s '%s'", url);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof buf, f));
	pclose(f);
	j = json_loads(buf, 0, NULL);
	assert_non_null(j);
	v = (long)json_integer_value(json_object_get(j, what));
	json_decref(j);
	return v;
}

static void
imds_expires(int secs)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "curl -s -X POST "
	    "'http://127.0.0.1:%d/__imds/expires?secs=%d' > /dev/null", imds_port, secs);
	assert_int_equal(system(cmd), 0);
}

static void
test_imds(void **state)
{
	pgal_config	 c;
	pgal_aws_creds	 cr;
	pgal_aws_client	*cl;
	pgal_err	 e;
	char		 url[64];
	long		 creds0;

	clear_env();
	pgal_config_defaults(&c);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", imds_port);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
	/* disabled means disabled */
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_EBACKEND);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	imds_expires(3600);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_OK);
	assert_true(strncmp(cr.access_key_id, "ASIAIMDS", 8) == 0);
	assert_true(strncmp(cr.secret_access_key, "imds-secret-", 12) == 0);
	assert_true(strncmp(cr.session_token, "imds-token-", 11) == 0);
	assert_string_equal(cr.source, "instance role");
	assert_true(cr.expires > time(NULL) + 3500 && cr.expires < time(NULL) + 3700);
	/* IMDSv2: every metadata read carried the session token */
	assert_int_equal(imds_stat("rejected"), 0);
	assert_true(imds_stat("tokens") >= 1);

	/* a client keeps credentials until 5 minutes before they expire */
	setenv("AWS_REGION", "us-east-1", 1);
	assert_int_equal(pgal_aws_client_open(&cl, &c, "s3", NULL, &e), PGAL_OK);
	creds0 = imds_stat("creds");
	assert_int_equal(pgal_aws_client_creds(cl, &cr, &e), PGAL_OK);
	assert_int_equal(pgal_aws_client_creds(cl, &cr, &e), PGAL_OK);
	assert_int_equal(imds_stat("creds"), creds0 + 1);
	pgal_aws_client_close(cl);
	/* ... and fetches new ones when they are about to expire */
	imds_expires(120);
	assert_int_equal(pgal_aws_client_open(&cl, &c, "s3", NULL, &e), PGAL_OK);
	creds0 = imds_stat("creds");
	assert_int_equal(pgal_aws_client_creds(cl, &cr, &e), PGAL_OK);
	{
		char first[PGAL_AWS_KEY_ID_MAX];

		snprintf(first, sizeof first, "%s", cr.access_key_id);
		assert_int_equal(pgal_aws_client_creds(cl, &cr, &e), PGAL_OK);
		assert_string_not_equal(cr.access_key_id, first);
	}
	assert_int_equal(imds_stat("creds"), creds0 + 2);
	pgal_aws_client_close(cl);

	/* nothing listening: the chain ends with a clear message, quickly */
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1", 1);
	assert_int_equal(pgal_aws_creds_resolve(&c, &cr, &e), PGAL_EBACKEND);
	assert_non_null(strstr(e.msg, "instance metadata at http://127.0.0.1:1"));
	clear_env();
}

static void
test_region_endpoint(void **state)
{
	pgal_config	  c;
	pgal_aws_endpoint ep;
	pgal_err	  e;
	char		  region[PGAL_AWS_REGION_MAX];

	clear_env();
	pgal_config_defaults(&c);
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_EUSAGE);
	setenv("AWS_DEFAULT_REGION", "eu-west-1", 1);
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_OK);
	assert_string_equal(region, "eu-west-1");
	setenv("AWS_REGION", "eu-central-1", 1);
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_OK);
	assert_string_equal(region, "eu-central-1");
	snprintf(c.aws_region, sizeof c.aws_region, "ap-south-1");
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_OK);
	assert_string_equal(region, "ap-south-1");
	snprintf(c.aws_region, sizeof c.aws_region, "us-east-1/../x");
	assert_int_equal(pgal_aws_region(&c, region, &e), PGAL_EINPUT);

	/* the public endpoints: SES answers at email.<region> */
	assert_int_equal(pgal_aws_endpoint_resolve("s3", "eu-west-3", &ep, &e), PGAL_OK);
	assert_true(ep.tls);
	assert_string_equal(ep.host, "s3.eu-west-3.amazonaws.com");
	assert_string_equal(ep.connect, "s3.eu-west-3.amazonaws.com:443");
	assert_int_equal(pgal_aws_endpoint_resolve("dynamodb", "us-east-2", &ep, &e), PGAL_OK);
	assert_string_equal(ep.host, "dynamodb.us-east-2.amazonaws.com");
	assert_int_equal(pgal_aws_endpoint_resolve("ses", "us-east-2", &ep, &e), PGAL_OK);
	assert_string_equal(ep.host, "email.us-east-2.amazonaws.com");
	assert_int_equal(ep.overridden, 0);
	assert_int_equal(pgal_aws_endpoint_resolve("sqs", "us-east-2", &ep, &e), PGAL_EUSAGE);

	/* overrides: per service, then the general one */
	setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9000/base/", 1);
	assert_int_equal(pgal_aws_endpoint_resolve("dynamodb", "x", &ep, &e), PGAL_OK);
	assert_false(ep.tls);
	assert_string_equal(ep.host, "127.0.0.1:9000");
	assert_string_equal(ep.base_path, "/base");
	assert_true(ep.overridden);
	setenv("AWS_ENDPOINT_URL_DYNAMODB", "https://ddb.example:443", 1);
	assert_int_equal(pgal_aws_endpoint_resolve("dynamodb", "x", &ep, &e), PGAL_OK);
	assert_string_equal(ep.host, "ddb.example");	/* default port left out */
	assert_string_equal(ep.connect, "ddb.example:443");
	setenv("AWS_ENDPOINT_URL_SESV2", "http://[::1]:4566", 1);
	assert_int_equal(pgal_aws_endpoint_resolve("ses", "x", &ep, &e), PGAL_OK);
	assert_string_equal(ep.host, "[::1]:4566");
	setenv("AWS_ENDPOINT_URL_SES", "http://localhost:8005", 1);
	assert_int_equal(pgal_aws_endpoint_resolve("ses", "x", &ep, &e), PGAL_OK);
	assert_string_equal(ep.host, "localhost:8005");
	/* hostile endpoints are refused, naming the variable */
	setenv("AWS_ENDPOINT_URL_S3", "http://user:pw@host/", 1);
	assert_int_equal(pgal_aws_endpoint_resolve("s3", "x", &ep, &e), PGAL_EINPUT);
	assert_true(strncmp(e.msg, "AWS_ENDPOINT_URL_S3: ", 21) == 0);
	setenv("AWS_ENDPOINT_URL_S3", "ftp://host", 1);
	assert_int_equal(pgal_aws_endpoint_resolve("s3", "x", &ep, &e), PGAL_EINPUT);
	setenv("AWS_ENDPOINT_URL_S3", "http://host:99999", 1);
	assert_int_equal(pgal_aws_endpoint_resolve("s3", "x", &ep, &e), PGAL_EINPUT);
	setenv("AWS_ENDPOINT_URL_S3", "http://ho st", 1);
	assert_int_equal(pgal_aws_endpoint_resolve("s3", "x", &ep, &e), PGAL_EINPUT);
	setenv("AWS_ENDPOINT_URL_S3", "http://host/?a=b", 1);
	assert_int_equal(pgal_aws_endpoint_resolve("s3", "x", &ep, &e), PGAL_EINPUT);
	clear_env();
}

static void
test_errors_xml(void **state)
{
	static const char s3err[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<Error><Code>NoSuchKey</Code><Message>The key &lt;x&gt; &amp; "
	    "caf&#233; &#x1F600;</Message><Key>k</Key>"
	    "<RequestId>4442587FB7D0A2F9</RequestId></Error>";
	static const char list[] = "<ListBucketResult><KeyCount>2</KeyCount>"
	    "<Contents><Key>a</Key><Size>1</Size></Contents><Contents >"
	    "<Key>b&amp;c</Key><Size>22</Size></Contents><Empty/></ListBucketResult>";
	static const char ddb[] = "{\"__type\":\"com.amazonaws.dynamodb."
	    "v20120810#ResourceNotFoundException\",\"message\":\"Requested resource "
	    "not found\"}";
	static const char rest[] = "{\"code\":\"NotFoundException:http://x\","
	    "\"Message\":\"no\"}";
	char		code[64], msg[128], rid[64], out[32];
	const char     *in;
	size_t		inlen, pos = 0;

	pgal_aws_parse_error(PGAL_AWS_ERR_XML, s3err, sizeof s3err - 1, code,
	    sizeof code, msg, sizeof msg, rid, sizeof rid);
	assert_string_equal(code, "NoSuchKey");
	/* entities and character references decoded, U+00E9 and U+1F600 */
	assert_string_equal(msg, "The key <x> & caf\xc3\xa9 \xf0\x9f\x98\x80");
	assert_string_equal(rid, "4442587FB7D0A2F9");
	/* DynamoDB's JSON errors: the type after '#' */
	pgal_aws_parse_error(PGAL_AWS_ERR_JSON, ddb, strlen(ddb), code, sizeof code, msg, sizeof msg, rid, sizeof rid);
	assert_string_equal(code, "ResourceNotFoundException");
	assert_string_equal(msg, "Requested resource not found");
	/* REST-JSON style, with a URL after ':' and Message capitalized */
	pgal_aws_parse_error(PGAL_AWS_ERR_JSON, rest, strlen(rest), code, sizeof code, msg, sizeof msg, rid, sizeof rid);
	assert_string_equal(code, "NotFoundException");
	assert_string_equal(msg, "no");
	/* garbage in, empty out; control characters never come through */
	pgal_aws_parse_error(PGAL_AWS_ERR_JSON, "{not json", 9, code, sizeof code,
	    msg, sizeof msg, rid, sizeof rid);
	assert_string_equal(code, "");
	pgal_aws_parse_error(PGAL_AWS_ERR_XML, "<Code>A\x1b[2JB</Code>", 19, code,
	    sizeof code, msg, sizeof msg, rid, sizeof rid);
	/* the escape sequence goes whole, as pgal_sanitize drops it */
	assert_string_equal(code, "AB");
	/* walking repeated elements; <KeyCount> is not <Key> */
	assert_int_equal(pgal_aws_xml_find(list, sizeof list - 1, "Contents", &pos,
	    &in, &inlen), 1);
	assert_int_equal(pgal_aws_xml_text(in, inlen, "Key", out, sizeof out), 1);
	assert_string_equal(out, "a");
	assert_int_equal(pgal_aws_xml_find(list, sizeof list - 1, "Contents", &pos,
	    &in, &inlen), 1);
	assert_int_equal(pgal_aws_xml_text(in, inlen, "Key", out, sizeof out), 1);
	assert_string_equal(out, "b&c");
	assert_int_equal(pgal_aws_xml_find(list, sizeof list - 1, "Contents", &pos,
	    &in, &inlen), 0);
	assert_int_equal(pgal_aws_xml_text(list, sizeof list - 1, "KeyCount", out,
	    sizeof out), 1);
	assert_string_equal(out, "2");
	assert_int_equal(pgal_aws_xml_text(list, sizeof list - 1, "Empty", out,
	    sizeof out), 1);
	assert_string_equal(out, "");
	/* too long, unterminated, bad references: refused, never overrun */
	assert_int_equal(pgal_aws_xml_text("<A>0123456789</A>", 17, "A", out, 5), -1);
	assert_int_equal(pgal_aws_xml_text("<A>0123", 7, "A", out, sizeof out), 0);
	assert_int_equal(pgal_aws_xml_text("<A>&#0;</A>", 11, "A", out, sizeof out), -1);
	assert_int_equal(pgal_aws_xml_text("<A>&#xD800;</A>", 15, "A", out, sizeof out), -1);
	assert_int_equal(pgal_aws_xml_text("<A>&bogus;</A>", 14, "A", out, sizeof out), -1);
	assert_int_equal(pgal_aws_xml_text("<A><B>x</B></A>", 15, "A", out, sizeof out), -1);
}

/* The message of a JSON error body, in a buffer of msgsz bytes. */
static const char *
json_message(const char *body, char *msg, size_t msgsz)
{
	char code[16], rid[16];

	pgal_aws_parse_error(PGAL_AWS_ERR_JSON, body, strlen(body), code, sizeof code,
	    msg, msgsz, rid, sizeof rid);
	return msg;
}

/* A message cut to its buffer keeps every whole character before the cut
 * (pgal_utf8_cut), a 2- or 4-byte one ending right at it too, and never
 * half of one. */
static void
test_errors_cut(void **state)
{
	static const char two[] = "{\"message\":\"ab\\u00e9cd\"}";
	static const char four[] = "{\"message\":\"a\\ud83d\\ude00bc\"}";
	char msg[6];

	/* "ab" + U+00E9 fills 4 of 5 bytes: kept whole; with 4, it goes */
	assert_string_equal(json_message(two, msg, 5), "ab\xc3\xa9");
	assert_string_equal(json_message(two, msg, 4), "ab");
	/* "a" + U+1F600 fills 5 of 6 bytes: kept whole; with 5, only "a" */
	assert_string_equal(json_message(four, msg, 6), "a\xf0\x9f\x98\x80");
	assert_string_equal(json_message(four, msg, 5), "a");
}

static void
proxy_ctl(const char *what)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "curl -s -X POST 'http://127.0.0.1:%d/__fault/%s' "
	    "> /dev/null", ddb_proxy_port, what);
	assert_int_equal(system(cmd), 0);
}

struct table_wait {
	pgal_aws_client *cl;
	const char *describe;	/* DescribeTable's body */
	char status[32];	/* the last TableStatus seen */
};

/* DescribeTable says ACTIVE. dynalite (like DynamoDB) answers CreateTable
 * with CREATING and flips the table to ACTIVE later, in a timer of its own
 * (even with --createTableMs 0); until then every item call on the table
 * is a ResourceNotFoundException. */
static int
table_active(void *arg)
{
	struct table_wait *w = arg;
	pgal_aws_response resp;
	pgal_err e;
	const char *st;
	json_t *j;

	if (pgal_aws_json_call(w->cl, "DynamoDB_20120810.DescribeTable", w->describe,
	    strlen(w->describe), 1, &resp, &e) != PGAL_OK) {
		print_error("ERROR: DescribeTable: %s\n", e.msg);
		pgal_aws_response_free(&resp);
		return -1;
	}
	j = json_loadb(resp.body, resp.body_len, 0, NULL);
	pgal_aws_response_free(&resp);
	st = json_string_value(json_object_get(json_object_get(j, "Table"), "TableStatus"));
	snprintf(w->status, sizeof w->status, "%s", st != NULL ? st : "(none)");
	json_decref(j);
	if (strcmp(w->status, "ACTIVE") == 0)
		return 1;
	if (strcmp(w->status, "CREATING") == 0)
		return 0;
	print_error("ERROR: DescribeTable: TableStatus %s, not CREATING or ACTIVE\n",
	    w->status);
	return -1;
}

/* The JSON 1.0 protocol call the DynamoDB store builds on, against
 * dynalite, and its retries on throttling and 5xx through the proxy. */
static void
test_dynamodb_json(void **state)
{
	static const char create[] = "{\"TableName\":\"PgalLayerTest\","
	    "\"AttributeDefinitions\":[{\"AttributeName\":\"albumID\","
	    "\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":"
	    "\"albumID\",\"KeyType\":\"HASH\"}],\"BillingMode\":"
	    "\"PAY_PER_REQUEST\"}";
	static const char put[] = "{\"TableName\":\"PgalLayerTest\",\"Item\":"
	    "{\"albumID\":{\"S\":\"caf\u00e9 \\\"1\\\"\"}}}";
	static const char get[] = "{\"TableName\":\"PgalLayerTest\",\"Key\":"
	    "{\"albumID\":{\"S\":\"caf\u00e9 \\\"1\\\"\"}}}";
	static const char missing[] = "{\"TableName\":\"NoSuchTable\"}";
	static const char describe[] = "{\"TableName\":\"PgalLayerTest\"}";
	struct table_wait w = { .describe = describe };
	pgal_config	  c;
	pgal_aws_client	 *cl;
	pgal_aws_response resp;
	pgal_aws_client_opts o = { .max_attempts = 3, .backoff_base_ms = 5,
	    .backoff_cap_ms = 20 };
	pgal_err	  e;
	char		  url[64];
	json_t		 *j;

	clear_env();
	pgal_config_defaults(&c);
	setenv("AWS_REGION", "us-east-1", 1);
	setenv("AWS_ACCESS_KEY_ID", "AKIDDDB", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "ddb-secret-zz1", 1);
	snprintf(url, sizeof url, "http://127.0.0.1:%d", ddb_port);
	setenv("AWS_ENDPOINT_URL_DYNAMODB", url, 1);
	assert_int_equal(pgal_aws_client_open(&cl, &c, "dynamodb", &o, &e), PGAL_OK);
	if (pgal_aws_json_call(cl, "DynamoDB_20120810.CreateTable", create,
	    strlen(create), 0, &resp, &e) != PGAL_OK)
		fail_msg("CreateTable: %s", e.msg);
	j = json_loadb(resp.body, resp.body_len, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j,
	    "TableDescription"), "TableName")), "PgalLayerTest");
	json_decref(j);
	pgal_aws_response_free(&resp);
	w.cl = cl;
	if (pgal_test_wait(10, "DescribeTable to say PgalLayerTest is ACTIVE",
	    table_active, &w) != 0)
		fail_msg("table PgalLayerTest: the last TableStatus seen was %s",
		    w.status[0] != '\0' ? w.status : "none");
	if (pgal_aws_json_call(cl, "DynamoDB_20120810.PutItem", put,
	    strlen(put), 1, &resp, &e) != PGAL_OK)
		fail_msg("PutItem: %s", e.msg);
	pgal_aws_response_free(&resp);
	if (pgal_aws_json_call(cl, "DynamoDB_20120810.GetItem", get,
	    strlen(get), 1, &resp, &e) != PGAL_OK)
		fail_msg("GetItem: %s", e.msg);
	j = json_loadb(resp.body, resp.body_len, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_object_get(j, "Item"), "albumID"), "S")), "caf\xc3\xa9 \"1\"");
	json_decref(j);
	pgal_aws_response_free(&resp);
	/* a service error in one line: service, operation, type, message */
	assert_int_equal(pgal_aws_json_call(cl, "DynamoDB_20120810.DescribeTable",
	    missing, strlen(missing), 1, &resp, &e), PGAL_EBACKEND);
	assert_int_equal(resp.status, 400);
	assert_int_equal(resp.attempts, 1);
	assert_string_equal(resp.error_code, "ResourceNotFoundException");
	{
		static const char want[] = "DynamoDB DescribeTable: "
		    "ResourceNotFoundException: ";

		if (strncmp(e.msg, want, strlen(want)) != 0)
			fail_msg("message: %s", e.msg);
	}
	assert_null(strstr(e.msg, "ddb-secret-zz1"));
	pgal_aws_response_free(&resp);
	pgal_aws_client_close(cl);

	/* through the proxy: a throttled read is retried, a write that is not
	 * safe to repeat is not */
	snprintf(url, sizeof url, "http://127.0.0.1:%d", ddb_proxy_port);
	setenv("AWS_ENDPOINT_URL_DYNAMODB", url, 1);
	assert_int_equal(pgal_aws_client_open(&cl, &c, "dynamodb", &o, &e), PGAL_OK);
	proxy_ctl("reset");
	proxy_ctl("fail?n=2&status=500&format=json");
	assert_int_equal(pgal_aws_json_call(cl, "DynamoDB_20120810.GetItem", get,
	    strlen(get), 1, &resp, &e), PGAL_OK);
	assert_int_equal(resp.attempts, 3);
	pgal_aws_response_free(&resp);
	proxy_ctl("fail?n=1&status=503&format=json");
	assert_int_equal(pgal_aws_json_call(cl, "DynamoDB_20120810.PutItem", put,
	    strlen(put), 0, &resp, &e), PGAL_EBACKEND);
	assert_int_equal(resp.attempts, 1);
	assert_non_null(strstr(e.msg, "DynamoDB PutItem: ServiceUnavailableException"));
	pgal_aws_response_free(&resp);
	proxy_ctl("fail?n=5&status=503&format=json");
	assert_int_equal(pgal_aws_json_call(cl, "DynamoDB_20120810.GetItem", get,
	    strlen(get), 1, &resp, &e), PGAL_EBACKEND);
	assert_int_equal(resp.attempts, 3);
	assert_non_null(strstr(e.msg, "gave up after retries"));
	pgal_aws_response_free(&resp);
	proxy_ctl("reset");
	pgal_aws_client_close(cl);
	clear_env();
}

/* pgal_s3_url_split: the one reading of s3://BUCKET[/REST], with bucket
 * names as S3 makes them (3 to 63 of a-z 0-9 . -, not starting or ending
 * with . or -). */
static void
test_s3_url(void **state)
{
	char bucket[64], long_name[80];
	const char *rest;

	(void)state;
	assert_int_equal(pgal_s3_url_split("s3://my-bucket.x/a/b.key", bucket, &rest),
	    PGAL_S3_URL_OK);
	assert_string_equal(bucket, "my-bucket.x");
	assert_string_equal(rest, "a/b.key");
	assert_int_equal(pgal_s3_url_split("s3://abc", bucket, &rest), PGAL_S3_URL_OK);
	assert_string_equal(bucket, "abc");
	assert_string_equal(rest, "");
	assert_int_equal(pgal_s3_url_split("s3://abc/", bucket, &rest), PGAL_S3_URL_OK);
	assert_string_equal(rest, "");
	assert_int_equal(pgal_s3_url_split("https://abc/x", bucket, &rest), PGAL_S3_URL_NOT_S3);
	assert_int_equal(pgal_s3_url_split("s3://Bad_Bucket/x", bucket, &rest),
	    PGAL_S3_URL_BAD_BUCKET);
	assert_int_equal(pgal_s3_url_split("s3://-abc/x", bucket, &rest), PGAL_S3_URL_BAD_BUCKET);
	assert_int_equal(pgal_s3_url_split("s3://abc./x", bucket, &rest), PGAL_S3_URL_BAD_BUCKET);
	assert_int_equal(pgal_s3_url_split("s3://ab/x", bucket, &rest), PGAL_S3_URL_BAD_BUCKET);
	assert_int_equal(pgal_s3_url_split("s3:///x", bucket, &rest), PGAL_S3_URL_BAD_BUCKET);
	/* 63 bytes is the longest name */
	snprintf(long_name, sizeof long_name, "s3://%.63s/k", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_int_equal(pgal_s3_url_split(long_name, bucket, &rest), PGAL_S3_URL_OK);
	assert_int_equal(strlen(bucket), 63);
	snprintf(long_name, sizeof long_name, "s3://%.64s/k", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_int_equal(pgal_s3_url_split(long_name, bucket, &rest), PGAL_S3_URL_LONG_BUCKET);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_order),
		cmocka_unit_test(test_imds),
		cmocka_unit_test(test_region_endpoint),
		cmocka_unit_test(test_errors_xml),
		cmocka_unit_test(test_errors_cut),
		cmocka_unit_test(test_dynamodb_json),
		cmocka_unit_test(test_s3_url),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
