/* The S3 blob backend and the AWS HTTP layer against a real s3rver started
 * here on loopback (tests/integration/peers.sh), and against a fault proxy
 * in front of it: round trips, multipart, caps, hostile keys, listing with
 * pagination, presigned links, path and virtual-hosted addressing, retries
 * (idempotent calls retried, others never, a clear error at the cap). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>

#include "aws/aws.h"
#include "aws/s3.h"
#include "blobs/blobs.h"
#include "crypto.h"
#include "testlib.h"
#include "testpeers.h"

#define ID1 "0123456789abcdef0123456789abcdef"
#define ID2 "ffeeddccbbaa99887766554433221100"
#define SECRET "pgal-test-secret-Zq7Xw"

static char peers[PATH_MAX];
static int s3_port, proxy_port;
static pgal_config cfg;
static char prefix[64];

static int
setup(void **state)
{
	char args[PATH_MAX + 64], rnd[9];

	pgal_peers_init(peers);
	snprintf(args, sizeof args, "s3rver '%s'", peers);
	if ((s3_port = pgal_peer_start(peers, args, "s3rver")) <= 0) {
		print_error("s3rver could not be started (see above)\n");
		return -1;
	}
	snprintf(args, sizeof args, "proxy '%s' proxy %d", peers, s3_port);
	if ((proxy_port = pgal_peer_start(peers, args, "proxy")) <= 0) {
		print_error("the fault proxy could not be started (see above)\n");
		return -1;
	}
	/* s3rver knows the key id S3RVER; the secret is ours to check leaks */
	pgal_test_aws_env("S3RVER", SECRET);
	pgal_test_endpoint("AWS_ENDPOINT_URL_S3", s3_port);
	pgal_test_config(&cfg);
	pgal_random_hex(rnd, 4, NULL);
	snprintf(prefix, sizeof prefix, "run-%s/", rnd);
	snprintf(cfg.s3_bucket, sizeof cfg.s3_bucket, "pgal-test");
	snprintf(cfg.s3_prefix, sizeof cfg.s3_prefix, "%s", prefix);
	cfg.s3_path_style = 1;
	/* small enough that the multipart tests need no huge files */
	cfg.s3_multipart_threshold = PGAL_S3_SINGLE_MAX;
	return 0;
}

static int
teardown(void **state)
{
	if (pgal_peers_stop(peers) != 0)
		print_error("stopping the peers failed\n");
	pgal_test_rmdir(cfg.home);
	return 0;
}

static pgal_blobs *
open_s3(const pgal_config *c)
{
	pgal_blobs *b = NULL;
	pgal_err e;

	pgal_err_clear(&e);
	if (pgal_blobs_s3.open(&b, c, &e) != PGAL_OK)
		fail_msg("open: %s", e.msg);
	return b;
}

/* A scratch file of n pseudo-random bytes; returns an fd at offset 0. */
static int
random_file(size_t n, char sha[65])
{
	char	 path[PATH_MAX];
	char	*buf = malloc(n ? n : 1);
	int	 fd;

	assert_non_null(buf);
	assert_int_equal(pgal_random_bytes(buf, n, NULL), PGAL_OK);
	pgal_test_mkdtemp(path);
	strcat(path, "/f");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	assert_int_equal(write(fd, buf, n), (ssize_t)n);
	pgal_sha256_hex(buf, n, sha);
	free(buf);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static int
scratch_fd(void)
{
	char path[PATH_MAX];
	int fd;

	pgal_test_mkdtemp(path);
	strcat(path, "/o");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	return fd;
}

static void
check_fd_sha(int fd, const char *want)
{
	char got[65];
	pgal_err e;

	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(pgal_sha256_fd(fd, got, &e), PGAL_OK);
	assert_string_equal(got, want);
}

static void
test_roundtrip(void **state)
{
	pgal_blobs *b = open_s3(&cfg);
	char	    key[PGAL_BLOB_KEY_MAX], sha[65];
	void	   *data;
	size_t	    len;
	pgal_err    e;
	int	    fd, out;

	pgal_blob_key(key, ID1, PGAL_BLOB_THUMB);
	assert_int_equal(b->ops->put_mem(b, key, "hello, s3", 9, &e), PGAL_OK);
	assert_int_equal(b->ops->get_mem(b, key, 100, &data, &len, &e), PGAL_OK);
	assert_int_equal(len, 9);
	assert_memory_equal(data, "hello, s3", 9);
	free(data);
	/* an empty object is an object */
	pgal_blob_key(key, ID2, PGAL_BLOB_THUMB);
	assert_int_equal(b->ops->put_mem(b, key, "", 0, &e), PGAL_OK);
	assert_int_equal(b->ops->get_mem(b, key, 100, &data, &len, &e), PGAL_OK);
	assert_int_equal(len, 0);
	free(data);
	/* put_fd from the current offset to EOF, then get_fd */
	pgal_blob_key(key, ID1, PGAL_BLOB_ORIG);
	fd = random_file(3 * 1024 * 1024 + 17, sha);
	assert_int_equal(b->ops->put_fd(b, key, fd, &e), PGAL_OK);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 3 * 1024 * 1024 + 17);
	out = scratch_fd();
	assert_int_equal(b->ops->get_fd(b, key, out, &e), PGAL_OK);
	check_fd_sha(out, sha);
	close(out);
	/* from an offset: the tail only */
	assert_int_equal(lseek(fd, 1000, SEEK_SET), 1000);
	assert_int_equal(b->ops->put_fd(b, key, fd, &e), PGAL_OK);
	assert_int_equal(b->ops->get_mem(b, key, 8 * 1024 * 1024, &data, &len, &e), PGAL_OK);
	assert_int_equal(len, 3 * 1024 * 1024 + 17 - 1000);
	free(data);
	close(fd);
	b->ops->close(b);
}

static void
test_multipart(void **state)
{
	pgal_blobs *b = open_s3(&cfg);
	char	    key[PGAL_BLOB_KEY_MAX], sha[65], got[65];
	pgal_err    e;
	int	    fd, out, p[2];
	pid_t	    pid;
	size_t	    n = PGAL_S3_SINGLE_MAX + 3 * 1024 * 1024 + 5;

	/* a regular file over the single-PUT limit: parts by pread */
	pgal_blob_key(key, ID2, PGAL_BLOB_ORIG);
	fd = random_file(n, sha);
	assert_int_equal(b->ops->put_fd(b, key, fd, &e), PGAL_OK);
	out = scratch_fd();
	assert_int_equal(b->ops->get_fd(b, key, out, &e), PGAL_OK);
	check_fd_sha(out, sha);
	close(out);

	/* the same bytes through a pipe: parts read one at a time */
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char buf[65536];
		ssize_t r;

		close(p[0]);
		lseek(fd, 0, SEEK_SET);
		while ((r = read(fd, buf, sizeof buf)) > 0)
			if (write(p[1], buf, (size_t)r) != r)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	pgal_blob_key(key, ID2, PGAL_BLOB_PREVIEW);
	assert_int_equal(b->ops->put_fd(b, key, p[0], &e), PGAL_OK);
	close(p[0]);
	waitpid(pid, NULL, 0);
	out = scratch_fd();
	assert_int_equal(b->ops->get_fd(b, key, out, &e), PGAL_OK);
	assert_int_equal(lseek(out, 0, SEEK_SET), 0);
	assert_int_equal(pgal_sha256_fd(out, got, &e), PGAL_OK);
	assert_string_equal(got, sha);
	close(out);
	close(fd);
	b->ops->close(b);
}

static void
test_get_mem_cap(void **state)
{
	pgal_blobs *b = open_s3(&cfg);
	char	    key[PGAL_BLOB_KEY_MAX], buf[1000];
	void	   *data = (void *)1;
	size_t	    len = 1;
	pgal_err    e;

	memset(buf, 'x', sizeof buf);
	pgal_blob_key(key, ID1, PGAL_BLOB_PREVIEW);
	assert_int_equal(b->ops->put_mem(b, key, buf, sizeof buf, &e), PGAL_OK);
	assert_int_equal(b->ops->get_mem(b, key, 999, &data, &len, &e), PGAL_EINPUT);
	assert_null(data);
	assert_int_equal(len, 0);
	assert_int_equal(b->ops->get_mem(b, key, 1000, &data, &len, &e), PGAL_OK);
	assert_int_equal(len, 1000);
	free(data);
	b->ops->close(b);
}

static void
test_missing_and_delete(void **state)
{
	pgal_blobs *b = open_s3(&cfg);
	char	    key[PGAL_BLOB_KEY_MAX];
	void	   *data;
	size_t	    len;
	pgal_err    e;
	int	    out = scratch_fd();

	pgal_blob_key(key, "abababababababababababababababab", PGAL_BLOB_ORIG);
	assert_int_equal(b->ops->get_mem(b, key, 100, &data, &len, &e), PGAL_ENOTFOUND);
	assert_int_equal(b->ops->get_fd(b, key, out, &e), PGAL_ENOTFOUND);
	/* nothing of the error body landed in the output */
	assert_int_equal(lseek(out, 0, SEEK_END), 0);
	close(out);
	assert_int_equal(b->ops->del(b, key, &e), PGAL_OK);
	assert_int_equal(b->ops->put_mem(b, key, "x", 1, &e), PGAL_OK);
	assert_int_equal(b->ops->del(b, key, &e), PGAL_OK);
	assert_int_equal(b->ops->get_mem(b, key, 100, &data, &len, &e), PGAL_ENOTFOUND);
	assert_int_equal(b->ops->del(b, key, &e), PGAL_OK);
	b->ops->close(b);
}

static void
test_bad_keys(void **state)
{
	static const char *bad[] = {
		"", "../etc/passwd", "orig/01/../../../etc/passwd",
		"orig/01/0123456789abcdef0123456789abcde",
		"orig/01/0123456789ABCDEF0123456789abcdef",
		"orig/02/0123456789abcdef0123456789abcdef",
		"/orig/01/0123456789abcdef0123456789abcdef",
		"orig/01/0123456789abcdef0123456789abcdef?x=1",
		"orig/01/0123456789abcdef0123456789abcdef\n",
		"orig/01/0123456789abcdef0123456789abcdef#",
	};
	pgal_blobs *b = open_s3(&cfg);
	void	   *data;
	size_t	    len, i;
	pgal_err    e;
	char	   *url = NULL;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(b->ops->put_mem(b, bad[i], "x", 1, &e), PGAL_EINPUT);
		assert_int_equal(b->ops->get_mem(b, bad[i], 10, &data, &len, &e), PGAL_EINPUT);
		assert_int_equal(b->ops->get_fd(b, bad[i], 1, &e), PGAL_EINPUT);
		assert_int_equal(b->ops->del(b, bad[i], &e), PGAL_EINPUT);
		assert_int_equal(pgal_s3_presign_get(b, bad[i], NULL, 60, &url, NULL, &e), PGAL_EINPUT);
		assert_null(url);
	}
	b->ops->close(b);
}

struct seen {
	char	 keys[32][PGAL_BLOB_KEY_MAX];
	int64_t	 bytes[32];
	int64_t	 mtime[32];
	int	 n;
};

static int
visit(void *arg, const char *key, int64_t mtime, int64_t bytes)
{
	struct seen *s = arg;

	assert_true(s->n < 32);
	snprintf(s->keys[s->n], PGAL_BLOB_KEY_MAX, "%s", key);
	s->bytes[s->n] = bytes;
	s->mtime[s->n++] = mtime;
	return 0;
}

static void
test_list(void **state)
{
	pgal_config	  c = cfg;
	pgal_blobs	 *b;
	pgal_aws_client	 *cl;
	pgal_aws_request  r;
	char		  key[PGAL_BLOB_KEY_MAX], id[33], path[256];
	struct seen	  s;
	pgal_err	  e;
	time_t		  t0 = time(NULL);
	int		  i, j, found;

	/* a prefix of its own, so only this test's objects are there */
	snprintf(c.s3_prefix, sizeof c.s3_prefix, "%slist/", prefix);
	setenv("PGAL_S3_LIST_PAGE", "3", 1);
	b = open_s3(&c);
	for (i = 0; i < 7; i++) {
		snprintf(id, sizeof id, "%032x", i + 1);
		pgal_blob_key(key, id, (pgal_blob_kind)(i % 3));
		assert_int_equal(b->ops->put_mem(b, key, "0123456789", (size_t)i + 1, &e),
		    PGAL_OK);
	}
	/* something under the prefix that pgal did not put: not listed */
	assert_int_equal(pgal_aws_client_open(&cl, &c, "s3", NULL, &e), PGAL_OK);
	snprintf(path, sizeof path, "/pgal-test/%slist/notes/readme.txt", prefix);
	pgal_aws_request_init(&r, "PutObject", "PUT", path);
	r.body = "hi";
	r.body_len = 2;
	if (pgal_aws_do(cl, &r, NULL, &e) != PGAL_OK)
		fail_msg("foreign object: %s", e.msg);
	pgal_aws_client_close(cl);

	memset(&s, 0, sizeof s);
	if (b->ops->list(b, visit, &s, &e) != PGAL_OK)
		fail_msg("list: %s", e.msg);
	assert_int_equal(s.n, 7);
	for (i = 0; i < 7; i++) {
		snprintf(id, sizeof id, "%032x", i + 1);
		pgal_blob_key(key, id, (pgal_blob_kind)(i % 3));
		for (found = 0, j = 0; j < s.n; j++)
			if (strcmp(s.keys[j], key) == 0) {
				found++;
				assert_int_equal(s.bytes[j], i + 1);
				assert_true(s.mtime[j] >= t0 - 5 && s.mtime[j] <= time(NULL) + 5);
			}
		assert_int_equal(found, 1);
	}
	unsetenv("PGAL_S3_LIST_PAGE");
	b->ops->close(b);
}

struct mem {
	char	buf[4096];
	size_t	len;
};

static size_t
to_mem(char *p, size_t size, size_t n, void *arg)
{
	struct mem *m = arg;
	size_t len = size * n;

	if (len > sizeof m->buf - 1 - m->len)
		len = sizeof m->buf - 1 - m->len;
	memcpy(m->buf + m->len, p, len);
	m->len += len;
	m->buf[m->len] = '\0';
	return size * n;
}

/* A plain GET or POST (no signature) with libcurl; returns the status. */
static long
http(const char *method, const char *url, struct mem *m)
{
	CURL *c = curl_easy_init();
	long st = 0;

	assert_non_null(c);
	m->len = 0;
	m->buf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, to_mem);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, m);
	if (strcmp(method, "POST") == 0)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st);
	curl_easy_cleanup(c);
	return st;
}

static void
test_presign(void **state)
{
	pgal_blobs *b = open_s3(&cfg), *fs = NULL;
	char	    key[PGAL_BLOB_KEY_MAX], *url = NULL;
	struct mem  m;
	pgal_err    e;

	pgal_blob_key(key, ID1, PGAL_BLOB_PREVIEW);
	assert_int_equal(b->ops->put_mem(b, key, "shared bytes", 12, &e), PGAL_OK);
	assert_int_equal(pgal_s3_presign_get(b, key, NULL, 60, &url, NULL, &e), PGAL_OK);
	assert_non_null(strstr(url, "X-Amz-Expires=60&"));
	assert_null(strstr(url, SECRET));
	/* anyone with the link reads the object, with no credentials */
	assert_int_equal(http("GET", url, &m), 200);
	assert_int_equal(m.len, 12);
	assert_memory_equal(m.buf, "shared bytes", 12);
	free(url);
	/* a name beyond ASCII: an ASCII fallback and the bytes as %XX (RFC 5987),
	 * the whole URI-encoded once more as a query value */
	assert_int_equal(pgal_s3_presign_get(b, key, "caf\xc3\xa9 \"1\".jpg", 60, &url, NULL, &e),
	    PGAL_OK);
	assert_non_null(strstr(url, "response-content-disposition=inline%3B%20filename%3D%22"
	    "caf__%20_1_.jpg%22%3B%20filename%2A%3DUTF-8%27%27caf%25C3%25A9%2520%25221%2522.jpg&"));
	free(url);
	assert_int_equal(pgal_s3_presign_get(b, key, NULL, 0, &url, NULL, &e), PGAL_EINPUT);
	assert_int_equal(pgal_s3_presign_get(b, key, NULL, 8 * 86400, &url, NULL, &e), PGAL_EINPUT);
	assert_int_equal(pgal_blobs_fs.open(&fs, &cfg, &e), PGAL_OK);
	assert_int_equal(pgal_s3_presign_get(fs, key, NULL, 60, &url, NULL, &e), PGAL_EUSAGE);
	fs->ops->close(fs);
	b->ops->close(b);
}

static void
test_virtual_hosted(void **state)
{
	pgal_config c = cfg;
	pgal_blobs *b;
	char	    key[PGAL_BLOB_KEY_MAX], url[64], *purl = NULL;
	void	   *data;
	size_t	    len;
	struct mem  m;
	pgal_err    e;

	/* s3rver serves <bucket>.s3.localhost (its service endpoint is
	 * "localhost"); curl resolves *.localhost to loopback */
	snprintf(url, sizeof url, "http://s3.localhost:%d", s3_port);
	setenv("AWS_ENDPOINT_URL_S3", url, 1);
	c.s3_path_style = 0;
	b = open_s3(&c);
	pgal_blob_key(key, ID2, PGAL_BLOB_THUMB);
	assert_int_equal(b->ops->put_mem(b, key, "vhost", 5, &e), PGAL_OK);
	assert_int_equal(b->ops->get_mem(b, key, 10, &data, &len, &e), PGAL_OK);
	assert_int_equal(len, 5);
	assert_memory_equal(data, "vhost", 5);
	free(data);
	assert_int_equal(pgal_s3_presign_get(b, key, NULL, 30, &purl, NULL, &e), PGAL_OK);
	assert_non_null(strstr(purl, "://pgal-test.s3.localhost:"));
	assert_int_equal(http("GET", purl, &m), 200);
	assert_string_equal(m.buf, "vhost");
	free(purl);
	b->ops->close(b);
	pgal_test_endpoint("AWS_ENDPOINT_URL_S3", s3_port);
	/* and the path-style backend sees the same object */
	b = open_s3(&cfg);
	assert_int_equal(b->ops->get_mem(b, key, 10, &data, &len, &e), PGAL_OK);
	assert_memory_equal(data, "vhost", 5);
	free(data);
	b->ops->close(b);
}

/* The fault proxy's control: POST /__fault/<what>?<args>. */
static void
fault(const char *what)
{
	char url[256];
	struct mem m;

	snprintf(url, sizeof url, "http://127.0.0.1:%d/__fault/%s", proxy_port, what);
	assert_int_equal(http("POST", url, &m), 200);
}

static int
proxy_requests(void)
{
	char url[128];
	struct mem m;
	json_t *j;
	int n;

	snprintf(url, sizeof url, "http://127.0.0.1:%d/__fault/stats", proxy_port);
	assert_int_equal(http("GET", url, &m), 200);
	j = json_loads(m.buf, 0, NULL);
	assert_non_null(j);
	n = (int)json_integer_value(json_object_get(j, "requests"));
	json_decref(j);
	return n;
}

static void
test_retries(void **state)
{
	pgal_aws_client_opts o = { .max_attempts = 4, .backoff_base_ms = 10,
	    .backoff_cap_ms = 40, .timeout_ms = 800 };
	pgal_aws_kv	     uploads[1] = { { "uploads", "" } };
	pgal_aws_client	    *cl;
	pgal_aws_request     r;
	pgal_aws_response    resp;
	pgal_blobs	    *b;
	char		     key[PGAL_BLOB_KEY_MAX], path[256];
	void		    *data;
	size_t		     len;
	pgal_err	     e;

	b = open_s3(&cfg);
	pgal_blob_key(key, ID1, PGAL_BLOB_THUMB);
	assert_int_equal(b->ops->put_mem(b, key, "retry me", 8, &e), PGAL_OK);
	b->ops->close(b);
	snprintf(path, sizeof path, "/pgal-test/%s%s", prefix, key);

	pgal_test_endpoint("AWS_ENDPOINT_URL_S3", proxy_port);
	assert_int_equal(pgal_aws_client_open(&cl, &cfg, "s3", &o, &e), PGAL_OK);

	/* two 503s, then the real answer: an idempotent GET gets through */
	fault("reset");
	fault("fail?n=2&status=503");
	pgal_aws_request_init(&r, "GetObject", "GET", path);
	assert_int_equal(pgal_aws_do(cl, &r, &resp, &e), PGAL_OK);
	assert_int_equal(resp.attempts, 3);
	assert_int_equal(resp.body_len, 8);
	assert_memory_equal(resp.body, "retry me", 8);
	pgal_aws_response_free(&resp);
	assert_int_equal(proxy_requests(), 3);

	/* more failures than attempts: a clear error after exactly the cap */
	fault("reset");
	fault("fail?n=10&status=503");
	assert_int_equal(pgal_aws_do(cl, &r, &resp, &e), PGAL_EBACKEND);
	assert_int_equal(resp.attempts, 4);
	pgal_aws_response_free(&resp);
	assert_int_equal(proxy_requests(), 4);
	assert_non_null(strstr(e.msg, "S3 GetObject: SlowDown"));
	assert_non_null(strstr(e.msg, "HTTP 503"));
	assert_non_null(strstr(e.msg, "gave up after retries"));
	assert_null(strstr(e.msg, SECRET));

	/* a non-idempotent POST is never repeated */
	fault("reset");
	fault("fail?n=1&status=503");
	pgal_aws_request_init(&r, "CreateMultipartUpload", "POST", path);
	r.query = uploads;
	r.nquery = 1;
	assert_int_equal(pgal_aws_do(cl, &r, &resp, &e), PGAL_EBACKEND);
	assert_int_equal(resp.attempts, 1);
	pgal_aws_response_free(&resp);
	assert_int_equal(proxy_requests(), 1);
	/* ... unless the caller says it is safe */
	fault("reset");
	fault("fail?n=1&status=500");
	r.retry = PGAL_AWS_RETRY_SAFE;
	assert_int_equal(pgal_aws_do(cl, &r, &resp, &e), PGAL_OK);
	assert_int_equal(resp.attempts, 2);
	pgal_aws_response_free(&resp);

	/* a 4xx that is not throttling is final at once */
	fault("reset");
	fault("fail?n=1&status=403");
	pgal_aws_request_init(&r, "GetObject", "GET", path);
	assert_int_equal(pgal_aws_do(cl, &r, &resp, &e), PGAL_EBACKEND);
	assert_int_equal(resp.attempts, 1);
	pgal_aws_response_free(&resp);

	/* a slow answer times out and the GET is tried again */
	fault("reset");
	fault("delay?n=1&ms=2000");
	assert_int_equal(pgal_aws_do(cl, &r, &resp, &e), PGAL_OK);
	assert_int_equal(resp.attempts, 2);
	pgal_aws_response_free(&resp);
	pgal_aws_client_close(cl);

	/* the blob backend through the proxy: PUT and GET ride out 503s */
	b = open_s3(&cfg);
	fault("reset");
	fault("fail?n=2&status=503");
	assert_int_equal(b->ops->put_mem(b, key, "again", 5, &e), PGAL_OK);
	fault("fail?n=2&status=503");
	assert_int_equal(b->ops->get_mem(b, key, 10, &data, &len, &e), PGAL_OK);
	assert_memory_equal(data, "again", 5);
	free(data);
	/* a multipart upload whose start fails: reported, not retried */
	{
		char sha[65];
		int fd = random_file(PGAL_S3_SINGLE_MAX + 1, sha);

		fault("reset");
		fault("fail?n=1&status=503");
		pgal_blob_key(key, ID2, PGAL_BLOB_THUMB);
		assert_int_equal(b->ops->put_fd(b, key, fd, &e), PGAL_EBACKEND);
		assert_non_null(strstr(e.msg, "CreateMultipartUpload"));
		assert_int_equal(proxy_requests(), 1);
		close(fd);
	}
	/* the store fails for good in the middle of a multipart upload: the
	 * upload is aborted and the key stays absent, never half there */
	{
		char sha[65];
		int fd = random_file(PGAL_S3_SINGLE_MAX + PGAL_S3_PART_SIZE + 1, sha);

		fault("reset");
		/* CreateMultipartUpload and part 1 pass, then nothing does */
		fault("fail?n=100&status=503&after=2");
		pgal_blob_key(key, "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd", PGAL_BLOB_ORIG);
		assert_int_equal(b->ops->put_fd(b, key, fd, &e), PGAL_EBACKEND);
		assert_non_null(strstr(e.msg, "S3 UploadPart: SlowDown"));
		close(fd);
		/* 2 passed, 4 tries of part 2, then 4 of the abort (a DELETE,
		 * so retried too) */
		assert_int_equal(proxy_requests(), 10);
		fault("reset");
		assert_int_equal(b->ops->get_mem(b, key, 100, &data, &len, &e),
		    PGAL_ENOTFOUND);
	}
	b->ops->close(b);
	pgal_test_endpoint("AWS_ENDPOINT_URL_S3", s3_port);
}

static void
test_errors(void **state)
{
	pgal_aws_client	 *cl;
	pgal_aws_request  r;
	pgal_aws_response resp;
	pgal_config	  c = cfg;
	pgal_blobs	 *b = NULL;
	pgal_err	  e;
	char		  url[64];
	time_t		  t0;

	assert_int_equal(pgal_aws_client_open(&cl, &cfg, "s3", NULL, &e), PGAL_OK);
	pgal_aws_request_init(&r, "GetObject", "GET", "/no-such-bucket-pgal/x");
	assert_int_equal(pgal_aws_do(cl, &r, &resp, &e), PGAL_ENOTFOUND);
	assert_int_equal(resp.status, 404);
	assert_string_equal(resp.error_code, "NoSuchBucket");
	assert_true(strncmp(e.msg, "S3 GetObject: NoSuchBucket: ", 28) == 0);
	assert_non_null(strstr(e.msg, "(HTTP 404"));
	assert_null(strstr(e.msg, SECRET));
	pgal_aws_response_free(&resp);
	pgal_aws_client_close(cl);

	/* a missing bucket is said at open */
	snprintf(c.s3_bucket, sizeof c.s3_bucket, "no-such-bucket-pgal");
	assert_int_equal(pgal_blobs_s3.open(&b, &c, &e), PGAL_EBACKEND);
	assert_string_equal(e.msg, "S3 bucket no-such-bucket-pgal does not exist");
	/* bad settings are refused before any request */
	snprintf(c.s3_bucket, sizeof c.s3_bucket, "Bad_Bucket");
	assert_int_equal(pgal_blobs_s3.open(&b, &c, &e), PGAL_EINPUT);
	c = cfg;
	snprintf(c.s3_prefix, sizeof c.s3_prefix, "a/../b/");
	assert_int_equal(pgal_blobs_s3.open(&b, &c, &e), PGAL_EINPUT);
	c = cfg;
	c.s3_bucket[0] = '\0';
	assert_int_equal(pgal_blobs_s3.open(&b, &c, &e), PGAL_EUSAGE);

	/* nobody listening: a clear, quick failure */
	snprintf(url, sizeof url, "http://127.0.0.1:1");
	setenv("AWS_ENDPOINT_URL_S3", url, 1);
	t0 = time(NULL);
	assert_int_equal(pgal_blobs_s3.open(&b, &cfg, &e), PGAL_EBACKEND);
	assert_non_null(strstr(e.msg, "S3 HeadBucket: http://127.0.0.1:1 unreachable"));
	assert_true(time(NULL) - t0 < 10);
	pgal_test_endpoint("AWS_ENDPOINT_URL_S3", s3_port);
	assert_null(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_multipart),
		cmocka_unit_test(test_get_mem_cap),
		cmocka_unit_test(test_missing_and_delete),
		cmocka_unit_test(test_bad_keys),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_presign),
		cmocka_unit_test(test_virtual_hosted),
		cmocka_unit_test(test_retries),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
