/* Storage quota: the sum of a user's originals against quota_bytes. */
#include <string.h>

#include "fmt.h"
#include "quota.h"

int
pgal_quota_check(pgal *g, const char *token, int64_t incoming, pgal_err *e)
{
	const pgal_config *cfg = pgal_get_config(g);
	pgal_whoami who;
	char used[16], limit[16];
	int rc;

	if ((rc = pgal_session_check(g, token, &who, e)) != PGAL_OK)
		return rc;
	if (cfg->quota_bytes <= 0 || incoming < 0)
		return PGAL_OK;
	if (who.bytes > cfg->quota_bytes - incoming) {
		pgal_fmt_size(used, who.bytes);
		pgal_fmt_size(limit, cfg->quota_bytes);
		return pgal_fail(e, PGAL_EINPUT,
		    "storage quota exceeded: %s used of %s", used, limit);
	}
	return PGAL_OK;
}

int
pgal_quota_usage_get(pgal *g, const char *token, pgal_quota_usage *u, pgal_err *e)
{
	const pgal_config *cfg = pgal_get_config(g);
	pgal_whoami who;
	int rc;

	memset(u, 0, sizeof *u);
	if ((rc = pgal_session_check(g, token, &who, e)) != PGAL_OK)
		return rc;
	u->used = who.bytes > 0 ? who.bytes : 0;
	u->photos = who.photos;
	if (cfg->quota_bytes > 0)
		u->size = cfg->quota_bytes;
	else
		u->size = u->used < INT64_MAX - PGAL_QUOTA_NONE_FREE ?
		    u->used + PGAL_QUOTA_NONE_FREE : INT64_MAX;
	u->free = u->size > u->used ? u->size - u->used : 0;
	return PGAL_OK;
}
