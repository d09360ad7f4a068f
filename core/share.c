/* Sharing: a time-limited link to a photo's original that needs no
 * account. Only a blob backend that can sign URLs (S3) makes them; the
 * session and ownership are checked here like for every other read. */
#include "gallery-int.h"

int
pgal_share(pgal *g, const char *token, const char *album, const char *name,
	   int64_t ttl_secs, char **url, int64_t *expires, pgal_err *e)
{
	char key[PGAL_BLOB_KEY_MAX];
	pgal_album a;
	pgal_photo p;
	pgal_user u;
	int64_t until = 0;
	int rc;

	*url = NULL;
	if (ttl_secs < 1 || ttl_secs > PGAL_SHARE_TTL_MAX)
		return pgal_fail(e, PGAL_EUSAGE, "a link lasts 1 second to 7 days");
	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK)
		return rc;
	if (g->blobs->ops->share_url == NULL)
		return pgal_fail(e, PGAL_EUSAGE, "sharing links need the S3 blob backend "
			"(blobs = s3); this gallery uses blobs = %s", g->blobs->ops->name);
	if ((rc = pgal_own_photo(g, &u, album, name, &a, &p, e)) != PGAL_OK)
		return rc;
	pgal_blob_key(key, p.blob_id, PGAL_BLOB_ORIG);
	if (key[0] == '\0')
		return pgal_fail(e, PGAL_EBACKEND, "photo '%s/%s' has a malformed blob id",
				 a.name, p.name);
	/* the backend says when the link really ends (sooner than asked
	 * when the credentials signing it expire first) */
	if ((rc = g->blobs->ops->share_url(g->blobs, key, p.name, ttl_secs, url,
	    &until, e)) != PGAL_OK)
		return rc;
	if (expires != NULL)
		*expires = until;
	return PGAL_OK;
}

int
pgal_share_parse_ttl(const char *s, int64_t *secs, pgal_err *e)
{
	int64_t v = 0, unit = 1;
	const char *p = s;

	if (s == NULL || *s < '0' || *s > '9')
		goto bad;
	/* at most 7 digits: no overflow before the range check */
	for (; *p >= '0' && *p <= '9'; p++) {
		if (p - s >= 7)
			goto bad;
		v = v * 10 + (*p - '0');
	}
	switch (*p) {
	case '\0':
	case 's':
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	default:
		goto bad;
	}
	if (*p != '\0' && p[1] != '\0')
		goto bad;
	v *= unit;
	if (v < 1 || v > PGAL_SHARE_TTL_MAX)
		return pgal_fail(e, PGAL_EUSAGE, "a link lasts 1 second to 7 days (7d, 168h)");
	*secs = v;
	return PGAL_OK;
bad:
	return pgal_fail(e, PGAL_EUSAGE, "not a duration: use a number with s, m, h or d "
			 "(90s, 30m, 1h, 7d)");
}
