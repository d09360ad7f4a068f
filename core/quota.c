/* Storage quota: the sum of a user's originals against quota_bytes. */
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
