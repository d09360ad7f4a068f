/* The payload hash of S3 uploads. A caller that knows the body's SHA-256
 * (ingest does) passes it down and it is what goes out; a wrong one is
 * refused the way S3 refuses it and nothing is stored; over https with no
 * hash known PUTs are signed UNSIGNED-PAYLOAD; over plain http the body is
 * hashed. The wire is watched by s3-verify-proxy.py in front of a real
 * s3rver (which checks no hash itself); expected hashes come from
 * sha256sum and md5sum, not from the code under test. */
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "aws/aws.h"
#include "aws/s3.h"
#include "blobs/blobs.h"
#include "crypto.h"
#include "testlib.h"
#include "testpeers.h"

#define ID1 "0123456789abcdef0123456789abcdef"
#define ID2 "ffeeddccbbaa99887766554433221100"
#define ID3 "00112233445566778899aabbccddeeff"
/* SHA-256 of no bytes (FIPS 180-2): a well-formed hash of other content */
#define SHA_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static char peers[PATH_MAX], scratch[PATH_MAX];
static int s3_port, verify_port;
static pgal_config cfg;
static char prefix[64];

static int
setup(void **state)
{
	char args[PATH_MAX + 64], rnd[9];

	pgal_peers_init(peers);
	pgal_test_mkdtemp(scratch);
	snprintf(args, sizeof args, "s3rver '%s'", peers);
	if ((s3_port = pgal_peer_start(peers, args, "s3rver")) <= 0) {
		print_error("s3rver could not be started (see above)\n");
		return -1;
	}
	snprintf(args, sizeof args, "verify '%s' verify %d", peers, s3_port);
	if ((verify_port = pgal_peer_start(peers, args, "verify")) <= 0) {
		print_error("s3-verify-proxy.py could not be started (see above)\n");
		return -1;
	}
	pgal_test_aws_env("S3RVER", "pgal-test-secret-Pq8");
	pgal_test_config(&cfg);
	pgal_random_hex(rnd, 4, NULL);
	snprintf(prefix, sizeof prefix, "pay-%s/", rnd);
	snprintf(cfg.s3_bucket, sizeof cfg.s3_bucket, "pgal-test");
	snprintf(cfg.s3_prefix, sizeof cfg.s3_prefix, "%s", prefix);
	cfg.s3_path_style = 1;
	/* the smallest threshold the config allows: multipart with 6 MiB */
	cfg.s3_multipart_threshold = 5 * 1024 * 1024;
	return 0;
}

static int
teardown(void **state)
{
	if (pgal_peers_stop(peers) != 0)
		print_error("stopping the peers failed\n");
	pgal_test_rmdir(scratch);
	pgal_test_rmdir(cfg.home);
	return 0;
}

/* The S3 backend through the verifying proxy, or straight to s3rver. */
static pgal_blobs *
open_s3(int via_proxy)
{
	pgal_blobs *b = NULL;
	pgal_err e;

	pgal_test_endpoint("AWS_ENDPOINT_URL_S3", via_proxy ? verify_port : s3_port);
	pgal_err_clear(&e);
	if (pgal_blobs_s3.open(&b, &cfg, &e) != PGAL_OK)
		fail_msg("open: %s", e.msg);
	return b;
}

/* The first word a shell command prints (a hash from sha256sum/md5sum). */
static void
run_word(char *out, size_t size, const char *fmt, ...)
{
	char	 cmd[PATH_MAX * 2];
	va_list	 ap;
	FILE	*p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	assert_non_null(p = popen(cmd, "r"));
	out[0] = '\0';
	if (fscanf(p, "%127s", out) != 1)
		out[0] = '\0';
	assert_int_equal(pclose(p), 0);
	assert_true(strlen(out) < size);
}

/* A file of n random bytes at path; fd at offset 0; sha from sha256sum. */
static int
random_file(const char *name, size_t n, char *path, char sha[128])
{
	char	*buf = malloc(n);
	int	 fd;

	assert_non_null(buf);
	assert_int_equal(pgal_random_bytes(buf, n, NULL), PGAL_OK);
	assert_true(snprintf(path, PATH_MAX, "%s/%s", scratch, name) < PATH_MAX);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, n), (ssize_t)n);
	free(buf);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	run_word(sha, 128, "sha256sum '%s'", path);
	assert_int_equal(strlen(sha), 64);
	return fd;
}

/* What the proxy saw: its log as JSON. */
static json_t *
proxy_log(void)
{
	char	      cmd[256], *buf;
	FILE	     *p;
	size_t	      len = 0;
	json_t	     *j;
	json_error_t  jerr;

	snprintf(cmd, sizeof cmd, "curl -s -f http://127.0.0.1:%d/__verify/log",
	    verify_port);
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(buf = malloc(1 << 20));
	len = fread(buf, 1, (1 << 20) - 1, p);
	buf[len] = '\0';
	assert_int_equal(pclose(p), 0);
	j = json_loads(buf, 0, &jerr);
	free(buf);
	assert_non_null(j);
	return j;
}

static void
proxy_reset(void)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "curl -s -f -X POST -o /dev/null "
	    "http://127.0.0.1:%d/__verify/reset", verify_port);
	assert_int_equal(system(cmd), 0);
}

/* The log entries for PUTs of key, in order. */
static size_t
puts_of(json_t *log, const char *key, json_t **out, size_t max)
{
	char	 path[256];
	json_t	*x;
	size_t	 i, n = 0;

	snprintf(path, sizeof path, "/pgal-test/%s%s", prefix, key);
	json_array_foreach(log, i, x)
		if (strcmp(json_string_value(json_object_get(x, "method")), "PUT") == 0 &&
		    strcmp(json_string_value(json_object_get(x, "path")), path) == 0 &&
		    n < max)
			out[n++] = x;
	return n;
}

static const char *
jstr(json_t *x, const char *k)
{
	return json_string_value(json_object_get(x, k));
}

/* The object as s3rver has it: its SHA-256 and MD5 (sha256sum, md5sum on
 * a copy fetched with curl), and the ETag s3rver gives. */
static void
stored(const char *key, char sha[128], char md5[128], char etag[128])
{
	char url[512], copy[PATH_MAX + 8];

	snprintf(url, sizeof url, "http://127.0.0.1:%d/pgal-test/%s%s", s3_port,
	    prefix, key);
	snprintf(copy, sizeof copy, "%s/copy", scratch);
	run_word(sha, 128, "curl -s -f -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "
	    "-o '%s' '%s' && sha256sum '%s'", copy, url, copy);
	run_word(md5, 128, "md5sum '%s'", copy);
	run_word(etag, 128, "curl -s -f -I -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "
	    "'%s' | tr -d '\\r\"' | awk 'tolower($1) == \"etag:\" { print $2 }'", url);
	unlink(copy);
}

/* Request building: which hash an S3 PUT is signed with, and what the
 * signer makes of it (canonical request, headers to send). */
static void
test_payload_choice(void **state)
{
	pgal_aws_kv	    h[2] = { { "host", "pgal-test.s3.us-east-1.amazonaws.com" },
				     { "Content-Type", "application/octet-stream" } };
	pgal_sigv4_request  sr;
	pgal_sigv4_result   res;
	pgal_aws_creds	    creds;
	const char	   *cr;
	pgal_err	    e;
	size_t		    i;
	int		    found = 0;

	assert_string_equal(pgal_s3_put_payload_hash(1, NULL), "UNSIGNED-PAYLOAD");
	assert_null(pgal_s3_put_payload_hash(0, NULL));
	assert_string_equal(pgal_s3_put_payload_hash(0, SHA_EMPTY), SHA_EMPTY);
	assert_string_equal(pgal_s3_put_payload_hash(1, SHA_EMPTY), SHA_EMPTY);

	/* an https PUT with no hash known, signed as pgal_aws_do signs it */
	memset(&creds, 0, sizeof creds);
	snprintf(creds.access_key_id, sizeof creds.access_key_id, "AKIDEXAMPLE");
	snprintf(creds.secret_access_key, sizeof creds.secret_access_key, "secret");
	memset(&sr, 0, sizeof sr);
	sr.method = "PUT";
	sr.path = "/orig/01/" ID1;
	sr.s3 = 1;
	sr.headers = h;
	sr.nheaders = 2;
	sr.payload_hash = pgal_s3_put_payload_hash(1, NULL);
	sr.content_sha256_header = 1;
	sr.service = "s3";
	sr.region = "us-east-1";
	sr.when = 1700000000;
	assert_int_equal(pgal_sigv4_sign(&sr, &creds, &res, &e), PGAL_OK);
	cr = res.canonical_request;
	/* the canonical request ends with the payload hash line */
	assert_true(strlen(cr) > 17);
	assert_string_equal(cr + strlen(cr) - 17, "\nUNSIGNED-PAYLOAD");
	assert_non_null(strstr(cr, "\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n"));
	assert_non_null(strstr(res.authorization, "x-amz-content-sha256"));
	for (i = 0; i < res.nadd; i++)
		if (strcasecmp(res.add[i].name, "x-amz-content-sha256") == 0) {
			assert_string_equal(res.add[i].value, "UNSIGNED-PAYLOAD");
			found = 1;
		}
	assert_true(found);
	pgal_sigv4_result_free(&res);
}

/* put_fd_sha256: the given hash is the one sent, the object is whole. */
static void
test_known_hash_sent(void **state)
{
	pgal_blobs *b = open_s3(1);
	char	    key[PGAL_BLOB_KEY_MAX], path[PATH_MAX], sha[128], md5[128];
	char	    gsha[128], gmd5[128], etag[128];
	json_t	   *log, *p[4];
	pgal_err    e;
	int	    fd;

	fd = random_file("known", 3 * 1024 * 1024 + 5, path, sha);
	run_word(md5, sizeof md5, "md5sum '%s'", path);
	pgal_blob_key(key, ID1, PGAL_BLOB_ORIG);
	proxy_reset();
	assert_int_equal(b->ops->put_fd_sha256(b, key, fd, sha, &e), PGAL_OK);
	/* as put_fd: the file is read to its end */
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 3 * 1024 * 1024 + 5);
	log = proxy_log();
	assert_int_equal(puts_of(log, key, p, 4), 1);
	assert_string_equal(jstr(p[0], "sha256"), sha);
	assert_string_equal(jstr(p[0], "body_sha256"), sha);
	assert_int_equal(json_integer_value(json_object_get(p[0], "length")),
	    3 * 1024 * 1024 + 5);
	/* Content-Length, not chunked */
	assert_true(json_is_false(json_object_get(p[0], "chunked")));
	json_decref(log);
	stored(key, gsha, gmd5, etag);
	assert_string_equal(gsha, sha);
	assert_string_equal(gmd5, md5);
	assert_string_equal(etag, md5);
	close(fd);
	b->ops->close(b);
}

/* A wrong hash: refused like S3 refuses it, nothing stored, nothing
 * overwritten; a malformed one never leaves the process. */
static void
test_wrong_hash(void **state)
{
	pgal_blobs *b = open_s3(1), *direct;
	char	    key[PGAL_BLOB_KEY_MAX], path[PATH_MAX], sha[128], upper[65];
	char	    gsha[128], gmd5[128], etag[128], md5[128];
	const char *bad[] = { "", "abc", SHA_EMPTY "0", upper, upper + 1 };
	void	   *data;
	size_t	    len, i;
	json_t	   *log;
	pgal_err    e;
	int	    fd;

	fd = random_file("wrong", 100000, path, sha);
	run_word(md5, sizeof md5, "md5sum '%s'", path);
	pgal_blob_key(key, ID2, PGAL_BLOB_ORIG);
	proxy_reset();
	pgal_err_clear(&e);
	assert_int_equal(b->ops->put_fd_sha256(b, key, fd, SHA_EMPTY, &e), PGAL_EBACKEND);
	assert_non_null(strstr(e.msg, "XAmzContentSHA256Mismatch"));
	/* a 400 is not retried: one request */
	log = proxy_log();
	assert_int_equal(json_array_size(log), 1);
	assert_string_equal(jstr(json_array_get(log, 0), "sha256"), SHA_EMPTY);
	assert_string_equal(jstr(json_array_get(log, 0), "body_sha256"), sha);
	json_decref(log);
	direct = open_s3(0);
	assert_int_equal(direct->ops->get_mem(direct, key, 1 << 20, &data, &len, &e),
	    PGAL_ENOTFOUND);
	/* an object already at the key stays as it was */
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(b->ops->put_fd_sha256(b, key, fd, sha, &e), PGAL_OK);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(b->ops->put_fd_sha256(b, key, fd, SHA_EMPTY, &e), PGAL_EBACKEND);
	stored(key, gsha, gmd5, etag);
	assert_string_equal(gsha, sha);
	assert_string_equal(etag, md5);
	/* malformed: refused before any request */
	for (i = 0; i < 64; i++)
		upper[i] = sha[i] >= 'a' && sha[i] <= 'f' ? sha[i] - 'a' + 'A' : sha[i];
	upper[64] = '\0';
	if (strcmp(upper, sha) == 0)
		upper[0] = 'G';	/* no letter in the hash: make one bad */
	proxy_reset();
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
		assert_int_equal(b->ops->put_fd_sha256(b, key, fd, bad[i], &e), PGAL_EINPUT);
	}
	assert_int_equal(b->ops->put_fd_sha256(b, key, fd, NULL, &e), PGAL_EINPUT);
	log = proxy_log();
	assert_int_equal(json_array_size(log), 0);
	json_decref(log);
	close(fd);
	direct->ops->close(direct);
	b->ops->close(b);
}

/* Plain http, no hash known: the body is hashed, and that is what is sent
 * (put_fd and put_mem). */
static void
test_http_hashes(void **state)
{
	pgal_blobs *b = open_s3(1);
	char	    key[PGAL_BLOB_KEY_MAX], path[PATH_MAX], sha[128], msha[128];
	char	    gsha[128], gmd5[128], etag[128];
	json_t	   *log, *p[4];
	pgal_err    e;
	int	    fd;

	fd = random_file("nohash", 777777, path, sha);
	pgal_blob_key(key, ID3, PGAL_BLOB_ORIG);
	proxy_reset();
	assert_int_equal(b->ops->put_fd(b, key, fd, &e), PGAL_OK);
	pgal_blob_key(key, ID3, PGAL_BLOB_THUMB);
	assert_int_equal(b->ops->put_mem(b, key, "thumbnail bytes", 15, &e), PGAL_OK);
	log = proxy_log();
	pgal_blob_key(key, ID3, PGAL_BLOB_ORIG);
	assert_int_equal(puts_of(log, key, p, 4), 1);
	assert_string_equal(jstr(p[0], "sha256"), sha);
	pgal_blob_key(key, ID3, PGAL_BLOB_THUMB);
	assert_int_equal(puts_of(log, key, p, 4), 1);
	run_word(msha, sizeof msha, "printf 'thumbnail bytes' | sha256sum");
	assert_string_equal(jstr(p[0], "sha256"), msha);
	json_decref(log);
	pgal_blob_key(key, ID3, PGAL_BLOB_ORIG);
	stored(key, gsha, gmd5, etag);
	assert_string_equal(gsha, sha);
	close(fd);
	b->ops->close(b);
}

/* Above the multipart threshold a whole-file hash fits no part: each part
 * goes with its own, and the object is whole. */
static void
test_multipart_known_hash(void **state)
{
	pgal_blobs *b = open_s3(1);
	char	    key[PGAL_BLOB_KEY_MAX], path[PATH_MAX], sha[128];
	char	    gsha[128], gmd5[128], etag[128];
	json_t	   *log, *p[4];
	pgal_err    e;
	size_t	    n, i;
	int	    fd;

	fd = random_file("multi", 9 * 1024 * 1024 + 3, path, sha);
	pgal_blob_key(key, ID1, PGAL_BLOB_PREVIEW);
	proxy_reset();
	assert_int_equal(b->ops->put_fd_sha256(b, key, fd, sha, &e), PGAL_OK);
	log = proxy_log();
	n = puts_of(log, key, p, 4);
	assert_int_equal(n, 2);	/* 8 MiB parts */
	for (i = 0; i < n; i++) {
		assert_string_equal(jstr(p[i], "sha256"), jstr(p[i], "body_sha256"));
		assert_string_not_equal(jstr(p[i], "sha256"), sha);
	}
	json_decref(log);
	stored(key, gsha, gmd5, etag);
	assert_string_equal(gsha, sha);
	close(fd);
	b->ops->close(b);
}

/* The fs backend has no put_fd_sha256: callers fall back to put_fd. */
static void
test_fs_optional(void **state)
{
	assert_null(pgal_blobs_fs.put_fd_sha256);
	assert_non_null(pgal_blobs_s3.put_fd_sha256);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload_choice),
		cmocka_unit_test(test_known_hash_sent),
		cmocka_unit_test(test_wrong_hash),
		cmocka_unit_test(test_http_hashes),
		cmocka_unit_test(test_multipart_known_hash),
		cmocka_unit_test(test_fs_optional),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
