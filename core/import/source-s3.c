/* An import from S3: the objects under s3://BUCKET/PREFIX, listed with
 * ListObjectsV2 (every page) and fetched one at a time with GetObject
 * into one private temporary file, never more than max_upload_bytes.
 * Credentials, region, endpoint and addressing style are the blobs'
 * settings, so the host's role reads the old bucket if allowed to. */
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/aws.h"
#include "aws/s3.h"
#include "import/import.h"
#include "sanitize.h"

struct s3_source {
	pgal_import_source base;
	pgal_aws_client *c;
	pgal_s3_bucket bucket;
	char name[64];
	char prefix[PGAL_S3_KEY_MAX + 1];	/* "" or ending in '/' */
	int64_t max_bytes;
	char tmpdir[4096];	/* mkdtemp'd, 0700: the fetched object lives here */
	char tmpfile[4096 + 16];
	pgal_import_list *out;	/* while listing */
	int list_rc;
	pgal_err *list_err;
};

static int
list_one(void *arg, const pgal_s3_object *o)
{
	struct s3_source *s = arg;
	size_t plen = strlen(s->prefix);

	/* the listing is of the prefix: anything else is the server's error */
	if (!o->unreadable && strncmp(o->key, s->prefix, plen) != 0)
		return 0;
	s->list_rc = pgal_import_list_add(s->out, o->unreadable ? o->key : o->key + plen,
					  o->bytes, o->unreadable, s->list_err);
	return s->list_rc != PGAL_OK;
}

static int
s3_list(pgal_import_source *base, pgal_import_list *out, pgal_err *e)
{
	struct s3_source *s = (struct s3_source *)base;
	const char *lp = getenv("PGAL_S3_LIST_PAGE");
	int rc;

	s->out = out;
	s->list_rc = PGAL_OK;
	s->list_err = e;
	/* the test knob of the blobs' listing: pages of a few keys */
	rc = pgal_s3_list_objects(&s->bucket, s->prefix, lp != NULL ? atoi(lp) : 0, list_one, s,
				  e);
	return rc != PGAL_OK ? rc : s->list_rc;
}

static int
s3_fetch(pgal_import_source *base, const pgal_import_item *it, char *path, size_t size,
	 pgal_err *e)
{
	struct s3_source *s = (struct s3_source *)base;
	char key[2 * PGAL_S3_KEY_MAX + 2];
	int fd, rc;

	if ((size_t)snprintf(key, sizeof key, "%s%s", s->prefix, it->path) >= sizeof key)
		return pgal_fail(e, PGAL_EINPUT, "key too long");
	if ((size_t)snprintf(path, size, "%s", s->tmpfile) >= size)
		return pgal_fail(e, PGAL_EINPUT, "path too long");
	if ((fd = open(s->tmpfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600)) ==
	    -1)
		return pgal_fail(e, PGAL_EBACKEND, "cannot write %s: %s", s->tmpfile,
				 strerror(errno));
	rc = pgal_s3_get_object(&s->bucket, key, fd, (size_t)s->max_bytes, e);
	if (close(fd) != 0 && rc == PGAL_OK)
		rc = pgal_fail(e, PGAL_EBACKEND, "cannot write %s: %s", s->tmpfile,
			       strerror(errno));
	if (rc == PGAL_EINPUT)
		rc = pgal_fail(e, PGAL_EINPUT, "too big (the limit is %lld bytes, "
			       "max_upload_bytes)", (long long)s->max_bytes);
	return rc;
}

static void
s3_close(pgal_import_source *base)
{
	struct s3_source *s = (struct s3_source *)base;

	if (s == NULL)
		return;
	if (s->tmpdir[0] != '\0') {
		unlink(s->tmpfile);
		rmdir(s->tmpdir);
	}
	pgal_aws_client_close(s->c);
	free(s);
}

static const pgal_import_source_ops s3_ops = {
	.list = s3_list,
	.fetch = s3_fetch,
	.close = s3_close,
};

/* "BUCKET[/PREFIX]" after "s3://" into s: a bucket name S3 accepts, a
 * prefix of at most a key's length with no control character. */
static int
parse_url(struct s3_source *s, const char *url, pgal_err *e)
{
	const char *b, *last, *end;
	char shown[sizeof s->name + sizeof s->prefix + 8];
	size_t plen;

	switch (pgal_s3_url_split(url, s->name, &b)) {
	case PGAL_S3_URL_OK:
		break;
	case PGAL_S3_URL_LONG_BUCKET:
		return pgal_fail(e, PGAL_EUSAGE, "s3://BUCKET/PREFIX: the bucket name is too long");
	case PGAL_S3_URL_NOT_S3:
	case PGAL_S3_URL_BAD_BUCKET:
		return pgal_fail(e, PGAL_EUSAGE, "s3://BUCKET/PREFIX: not a bucket name (3 to 63 "
				 "of a-z 0-9 . -)");
	}
	plen = strlen(b);
	if (plen + 1 > PGAL_S3_KEY_MAX || !pgal_text_is_clean(b, 0))
		return pgal_fail(e, PGAL_EUSAGE, "s3://BUCKET/PREFIX: the prefix is too long or "
				 "holds control characters");
	/* "photos" and "photos/" are the same folder */
	snprintf(s->prefix, sizeof s->prefix, "%s%s", b, plen > 0 && b[plen - 1] != '/' ? "/" : "");
	/* the album of objects right under the prefix: its last part, or the bucket */
	end = s->prefix + strlen(s->prefix);
	if (end > s->prefix)
		end--;
	for (last = end; last > s->prefix && last[-1] != '/'; last--)
		;
	if (end > last)
		snprintf(s->base.root_name, sizeof s->base.root_name, "%.*s", (int)(end - last), last);
	else
		snprintf(s->base.root_name, sizeof s->base.root_name, "%s", s->name);
	snprintf(shown, sizeof shown, "s3://%s/%s", s->name, s->prefix);
	pgal_sanitize(s->base.shown, sizeof s->base.shown, shown, 0);
	return PGAL_OK;
}

static int
make_tmpdir(struct s3_source *s, pgal_err *e)
{
	const char *t = getenv("TMPDIR");

	if (t == NULL || t[0] != '/')
		t = "/tmp";
	if ((size_t)snprintf(s->tmpdir, sizeof s->tmpdir, "%s/pgal-import-XXXXXX", t) >=
	    sizeof s->tmpdir - 16)
		return pgal_fail(e, PGAL_EBACKEND, "TMPDIR path too long");
	if (mkdtemp(s->tmpdir) == NULL) {
		int err = errno;

		s->tmpdir[0] = '\0';
		return pgal_fail(e, PGAL_EBACKEND, "cannot make a temporary folder in %s: %s", t,
				 strerror(err));
	}
	snprintf(s->tmpfile, sizeof s->tmpfile, "%s/object", s->tmpdir);
	return PGAL_OK;
}

int
pgal_import_s3_open(pgal_import_source **out, const pgal_config *cfg, const char *url,
		    pgal_err *e)
{
	struct s3_source *s;
	int rc;

	*out = NULL;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	s->base.ops = &s3_ops;
	s->max_bytes = cfg->max_upload_bytes;
	if ((rc = parse_url(s, url, e)) != PGAL_OK ||
	    (rc = pgal_aws_client_open(&s->c, cfg, "s3", NULL, e)) != PGAL_OK ||
	    (rc = make_tmpdir(s, e)) != PGAL_OK) {
		s3_close(&s->base);
		return rc;
	}
	s->bucket = (pgal_s3_bucket){ s->c, s->name, cfg->s3_path_style };
	*out = &s->base;
	return PGAL_OK;
}
