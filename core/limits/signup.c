/* Limits on mailed codes, live codes and the removal of accounts that
 * never confirmed (limits/signup.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "gallery-int.h"
#include "signup.h"
#include "throttle.h"
#include "validate.h"

#define SOURCE_RATE { 10, 360 }
#define GC_EVERY_SECS 3600

struct limit {
	char name[PGAL_MARK_NAME_MAX + 1];
	pgal_rate rate;
	const char *what; /* for the refusal: "to this account" */
};

/* The limits of one mail, at most five. */
static size_t
limits_of(pgal *g, int which, pgal_id uid, const char *email, struct limit l[5])
{
	const pgal_rate cooldown = { 1, g->cfg.mail_cooldown_secs }, source = SOURCE_RATE;
	pgal_rate day = { PGAL_MAIL_DAY_BURST, g->cfg.code_ttl_secs / PGAL_MAIL_DAY_BURST };
	char lower[PGAL_EMAIL_MAX + 1], hash[PGAL_SHA256_HEX + 1];
	size_t n = 0;

	if (day.interval < cooldown.interval)
		day.interval = cooldown.interval;
	if (which & PGAL_MAIL_ACCOUNT) {
		if (cooldown.interval > 0) {
			snprintf(l[n].name, sizeof l[n].name, "mail-acct:%lld",
			    (long long)uid);
			l[n].rate = cooldown;
			l[n++].what = "to this account";
		}
		snprintf(l[n].name, sizeof l[n].name, "mail-acct-day:%lld", (long long)uid);
		l[n].rate = day;
		l[n++].what = "to this account";
	}
	if ((which & PGAL_MAIL_ADDRESS) && email != NULL) {
		/* one inbox whatever the case of its letters */
		snprintf(lower, sizeof lower, "%s", email);
		pgal_ascii_lower(lower);
		pgal_sha256_hex(lower, strlen(lower), hash);
		if (cooldown.interval > 0) {
			snprintf(l[n].name, sizeof l[n].name, "mail-addr:%.32s", hash);
			l[n].rate = cooldown;
			l[n++].what = "to this mail address";
		}
		snprintf(l[n].name, sizeof l[n].name, "mail-addr-day:%.32s", hash);
		l[n].rate = day;
		l[n++].what = "to this mail address";
	}
	if (which & PGAL_MAIL_SOURCE) {
		snprintf(l[n].name, sizeof l[n].name, "mail-src:%s", g->client.source);
		l[n].rate = source;
		l[n++].what = "from your address";
	}
	return n;
}

int
pgal_mail_limits_take(pgal *g, int which, pgal_id uid, const char *email, pgal_err *e)
{
	struct limit l[5];
	int64_t now = pgal_now(g), wait = 0;
	size_t n = limits_of(g, which, uid, email, l), i, j;
	int rc;

	for (i = 0; i < n; i++) {
		if ((rc = pgal_rate_take(g, l[i].name, &l[i].rate, now, &wait, e)) != PGAL_OK ||
		    wait > 0)
			break;
	}
	if (i == n)
		return PGAL_OK;
	for (j = 0; j < i; j++)
		pgal_rate_give_back(g, l[j].name, &l[j].rate, now);
	if (rc != PGAL_OK)
		return rc;
	return pgal_fail(e, PGAL_EDENIED, "no mail sent: codes were mailed %s a short while "
			 "ago; the next can be sent in %lld s", l[i].what, (long long)wait);
}

void
pgal_mail_limits_give_back(pgal *g, int which, pgal_id uid, const char *email)
{
	struct limit l[5];
	size_t n = limits_of(g, which, uid, email, l), i;

	for (i = 0; i < n; i++)
		pgal_rate_give_back(g, l[i].name, &l[i].rate, pgal_now(g));
}

static void
code_mark(char out[PGAL_MARK_NAME_MAX + 1], const char *purpose, pgal_id uid, const char *hash)
{
	snprintf(out, PGAL_MARK_NAME_MAX + 1, "code-%s:%lld:%.64s", purpose, (long long)uid, hash);
}

int
pgal_code_remember(pgal *g, const char *purpose, pgal_id uid, const char *hash, int64_t until,
		   pgal_err *e)
{
	char name[PGAL_MARK_NAME_MAX + 1];
	int claimed;

	code_mark(name, purpose, uid, hash);
	return g->store->ops->mark_claim(g->store, name, pgal_now(g), until, &claimed, e);
}

int
pgal_code_live(pgal *g, const char *purpose, pgal_id uid, const char *hash)
{
	char name[PGAL_MARK_NAME_MAX + 1];
	int64_t until;
	pgal_err ig;

	code_mark(name, purpose, uid, hash);
	return g->store->ops->mark_get(g->store, name, pgal_now(g), &until, &ig) == PGAL_OK;
}

static void
tries_mark(pgal *g, pgal_id uid, char out[PGAL_MARK_NAME_MAX + 1])
{
	snprintf(out, PGAL_MARK_NAME_MAX + 1, "code-tries:%lld:%s", (long long)uid,
		 g->client.source);
}

/* Tries used: the mark runs code_ttl_secs ahead per wrong code. */
static int
tries_used(pgal *g, int64_t until, int64_t now)
{
	int64_t ttl = g->cfg.code_ttl_secs;

	return until > now ? (int)((until - now + ttl - 1) / ttl) : 0;
}

int
pgal_code_tries_left(pgal *g, pgal_id uid)
{
	char name[PGAL_MARK_NAME_MAX + 1];
	int64_t now = pgal_now(g), until = 0;
	int left;
	pgal_err ig;

	tries_mark(g, uid, name);
	if (g->store->ops->mark_get(g->store, name, now, &until, &ig) != PGAL_OK)
		until = 0;
	left = g->cfg.code_tries - tries_used(g, until, now);
	return left > 0 ? left : 0;
}

int
pgal_code_wrong(pgal *g, pgal_id uid)
{
	char name[PGAL_MARK_NAME_MAX + 1];
	int64_t now = pgal_now(g), until;
	int left;
	pgal_err ig;

	tries_mark(g, uid, name);
	if (g->store->ops->mark_add(g->store, name, now, g->cfg.code_ttl_secs, &until,
				    &ig) != PGAL_OK)
		return 0;
	left = g->cfg.code_tries - tries_used(g, until, now);
	return left > 0 ? left : 0;
}

void
pgal_code_tries_reset(pgal *g, pgal_id uid)
{
	char name[PGAL_MARK_NAME_MAX + 1];
	pgal_err ig;

	tries_mark(g, uid, name);
	(void)g->store->ops->mark_delete(g->store, name, &ig);
}

/* The account id if it expired unconfirmed (read again: a list may be
 * stale), removed. */
static int
remove_if_expired(pgal *g, pgal_id id, pgal_err *e)
{
	pgal_user u;
	int rc;

	if ((rc = g->store->ops->user_get(g->store, id, &u, e)) != PGAL_OK)
		return rc == PGAL_ENOTFOUND ? 0 : -rc;
	if (u.confirmed || u.created_at + g->cfg.code_ttl_secs >= pgal_now(g))
		return 0;
	/* it never logged in, so it holds no albums, photos or keys */
	if ((rc = g->store->ops->user_delete(g->store, id, e)) != PGAL_OK)
		return rc == PGAL_ENOTFOUND ? 0 : -rc;
	return 1;
}

int
pgal_signup_gc(pgal *g, int64_t *accounts, int64_t *marks, pgal_err *e)
{
	int64_t now = pgal_now(g), removed = 0;
	pgal_id *ids = NULL;
	size_t n = 0, i;
	int rc = PGAL_OK, r;

	if ((rc = g->store->ops->user_ids_unconfirmed(g->store, now - g->cfg.code_ttl_secs,
						      &ids, &n, e)) != PGAL_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if ((r = remove_if_expired(g, ids[i], e)) < 0) {
			rc = -r;
			break;
		}
		removed += r;
	}
	free(ids);
	if (accounts != NULL)
		*accounts = removed;
	if (rc != PGAL_OK)
		return rc;
	return g->store->ops->mark_prune(g->store, now, marks, e);
}

void
pgal_signup_gc_now_and_then(pgal *g)
{
	int64_t now = pgal_now(g);
	int claimed = 0;
	pgal_err ig;

	if (g->store->ops->mark_claim(g->store, "gc-signups", now, now + GC_EVERY_SECS, &claimed,
				      &ig) == PGAL_OK && claimed)
		(void)pgal_signup_gc(g, NULL, NULL, &ig);
}

int
pgal_signup_reclaim(pgal *g, const char *user)
{
	pgal_user u;
	pgal_err ig;

	if (g->store->ops->user_get_by_name(g->store, user, &u, &ig) != PGAL_OK)
		return 0;
	return remove_if_expired(g, u.id, &ig) == 1;
}
