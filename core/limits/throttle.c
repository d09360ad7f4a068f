/* The password throttle (throttle.h): rates kept in the store's marks. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "clock.h"
#include "crypto.h"
#include "gallery-int.h"
#include "sanitize.h"
#include "throttle.h"

const pgal_rate pgal_rate_source = { 10, 120 };
const pgal_rate pgal_rate_pair = { 5, 600 };
const pgal_rate pgal_rate_account = { 20, 60 };

int64_t
pgal_rate_wait(const pgal_rate *r, int64_t until, int64_t now)
{
	int64_t over = until - now - (int64_t)r->burst * r->interval;

	return over > 0 ? over : 0;
}

int64_t
pgal_rate_most(const pgal_rate *r, int64_t secs)
{
	return r->burst + secs / r->interval;
}

void
pgal_source_of(const char *addr, char out[PGAL_SOURCE_MAX])
{
	struct in6_addr a6;
	struct in_addr a4;
	char tmp[INET6_ADDRSTRLEN];

	if (addr != NULL && inet_pton(AF_INET, addr, &a4) == 1) {
		snprintf(out, PGAL_SOURCE_MAX, "%s", inet_ntop(AF_INET, &a4, tmp, sizeof tmp));
		return;
	}
	if (addr == NULL || inet_pton(AF_INET6, addr, &a6) != 1) {
		snprintf(out, PGAL_SOURCE_MAX, "local");
		return;
	}
	if (IN6_IS_ADDR_V4MAPPED(&a6)) {
		/* an IPv4 client of a dual-stack listener is an IPv4 source */
		inet_ntop(AF_INET, a6.s6_addr + 12, tmp, sizeof tmp);
		snprintf(out, PGAL_SOURCE_MAX, "%s", tmp);
		return;
	}
	/* one host or subscriber usually holds a whole /64 */
	memset(a6.s6_addr + 8, 0, 8);
	inet_ntop(AF_INET6, &a6, tmp, sizeof tmp);
	snprintf(out, PGAL_SOURCE_MAX, "%s/64", tmp);
}

void
pgal_set_client(pgal *g, const char *addr, const char *door, pgal_log_fn log, void *arg)
{
	pgal_client *c = &g->client;

	pgal_source_of(addr, c->source);
	/* the address itself when it is one, for the log */
	if (strcmp(c->source, "local") == 0)
		snprintf(c->addr, sizeof c->addr, "local");
	else
		snprintf(c->addr, sizeof c->addr, "%s", addr);
	pgal_sanitize(c->door, sizeof c->door, door != NULL ? door : "?", 0);
	c->log = log;
	c->log_arg = arg;
}

void
pgal_log_syslog(void *arg, const char *line)
{
	syslog(LOG_AUTH | LOG_INFO, "%s", line);
}

static void
note(pgal *g, const pgal_pwcheck *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The one line of a check: what, who, from where, the outcome. */
static void
note(pgal *g, const pgal_pwcheck *t, const char *fmt, ...)
{
	const pgal_client *c = &g->client;
	char outcome[200], line[400];
	va_list ap;

	if (c->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(outcome, sizeof outcome, fmt, ap);
	va_end(ap);
	snprintf(line, sizeof line, "password %s: user %s from %s (%s): %s", t->what, t->user,
		 c->addr, c->door[0] != '\0' ? c->door : "?", outcome);
	c->log(c->log_arg, line);
}

/* "pw-<kind>:<name hash>:<source>", either part may be left out. */
static void
mark_name(char out[PGAL_MARK_NAME_MAX + 1], const char *kind, const char *name_hash,
	  const char *source)
{
	snprintf(out, PGAL_MARK_NAME_MAX + 1, "pw-%s:%s%s%s", kind,
		 name_hash != NULL ? name_hash : "",
		 name_hash != NULL && source != NULL ? ":" : "",
		 source != NULL ? source : "");
}

/* Any bytes a client sends as a user name become a fixed-size key. */
static void
name_hash_of(const char *user, char out[33])
{
	char hash[PGAL_SHA256_HEX + 1];

	pgal_sha256_hex(user, strlen(user), hash);
	snprintf(out, 33, "%.32s", hash);
}

int
pgal_rate_take(pgal *g, const char *name, const pgal_rate *r, int64_t now, int64_t *wait,
	       pgal_err *e)
{
	int64_t until;
	int rc;

	if ((rc = g->store->ops->mark_add(g->store, name, now, r->interval, &until, e)) != PGAL_OK)
		return rc;
	*wait = pgal_rate_wait(r, until, now);
	if (*wait > 0)
		pgal_rate_give_back(g, name, r, now);
	return PGAL_OK;
}

void
pgal_rate_give_back(pgal *g, const char *name, const pgal_rate *r, int64_t now)
{
	pgal_err ig; /* a failed give-back only errs on the strict side */
	int64_t until;

	(void)g->store->ops->mark_add(g->store, name, now, -r->interval, &until, &ig);
}

/* *wait: seconds until one more failure fits the rate kept in `name`
 * (0: it fits now). Only failures are counted, and only once judged: a
 * right password never uses up a source's room, however many
 * connections of one client log in at once. */
static int
rate_peek(pgal *g, const char *name, const pgal_rate *r, int64_t now, int64_t *wait, pgal_err *e)
{
	int64_t until;
	int rc;

	*wait = 0;
	rc = g->store->ops->mark_get(g->store, name, now, &until, e);
	if (rc == PGAL_ENOTFOUND)
		return PGAL_OK;
	if (rc == PGAL_OK)
		*wait = pgal_rate_wait(r, until + r->interval, now);
	return rc;
}

int
pgal_pwcheck_begin(pgal *g, pgal_pwcheck *t, const char *what, const char *user,
		   pgal_err *e)
{
	char src[PGAL_MARK_NAME_MAX + 1], pair[PGAL_MARK_NAME_MAX + 1];
	char acct[PGAL_MARK_NAME_MAX + 1];
	int64_t now = pgal_now(g), wait_src, wait_pair, wait_acct;
	const pgal_client *c = &g->client;
	pgal_err ig;
	int rc;

	memset(t, 0, sizeof *t);
	t->what = what;
	pgal_sanitize_n(t->user, sizeof t->user, user, strnlen(user, PGAL_USER_MAX), 0);
	name_hash_of(user, t->name_hash);
	mark_name(src, "src", NULL, c->source);
	mark_name(pair, "pair", t->name_hash, c->source);
	mark_name(acct, "acct", t->name_hash, NULL);

	if ((rc = rate_peek(g, src, &pgal_rate_source, now, &wait_src, e)) != PGAL_OK ||
	    (rc = rate_peek(g, pair, &pgal_rate_pair, now, &wait_pair, e)) != PGAL_OK)
		return rc;
	if (wait_src > 0 || wait_pair > 0) {
		note(g, t, "refused: throttled (too many failures from this %s)",
		     wait_src > 0 ? "address" : "address for this user");
		/* the same words whether the name exists or not */
		return pgal_fail(e, PGAL_EDENIED, "too many failed logins; try again in %lld s",
				 (long long)(wait_src > wait_pair ? wait_src : wait_pair));
	}
	t->judged = 1;
	/* a name failing from everywhere is slowed for everyone, never closed */
	if (rate_peek(g, acct, &pgal_rate_account, now, &wait_acct, &ig) == PGAL_OK &&
	    wait_acct > 0 && g->fixed_now == 0)
		pgal_sleep_ms(PGAL_THROTTLE_SLOW_MS);
	return PGAL_OK;
}

/* Tells the owner once a day that someone is guessing. */
static void
alert_owner(pgal *g, const pgal_user *u, int64_t now)
{
	char name[PGAL_MARK_NAME_MAX + 1], body[1024];
	pgal_err ig;
	int claimed = 0;

	snprintf(name, sizeof name, "pw-alert:%lld", (long long)u->id);
	if (g->store->ops->mark_claim(g->store, name, now, now + PGAL_THROTTLE_ALERT_SECS,
				      &claimed, &ig) != PGAL_OK || !claimed)
		return;
	snprintf(body, sizeof body,
		 "Hello %s,\n"
		 "\n"
		 "someone has tried many wrong passwords for your pgal account\n"
		 "'%s' in the last minutes. Logins stay open for you: each check\n"
		 "of your name is only slowed down while this goes on.\n"
		 "\n"
		 "If it was not you, consider a longer password (passwd) or an SSH\n"
		 "key (key add). You get this mail at most once a day.\n",
		 u->name, u->name);
	(void)g->mail->ops->send(g->mail, u->email, "pgal: failed logins on your account",
				 body, &ig);
}

/* Counts a failure against a rate's mark; the new mark in *until. */
static int
count_failure(pgal *g, const char *name, const pgal_rate *r, int64_t now, int64_t *until)
{
	pgal_err ig; /* bookkeeping after the answer is known: best effort */

	return g->store->ops->mark_add(g->store, name, now, r->interval, until, &ig);
}

void
pgal_pwcheck_forgive(pgal *g, const char *user)
{
	char name[PGAL_MARK_NAME_MAX + 1], hash[33];
	pgal_err ig;

	name_hash_of(user, hash);
	mark_name(name, "pair", hash, g->client.source);
	(void)g->store->ops->mark_delete(g->store, name, &ig);
}

void
pgal_pwcheck_end(pgal *g, pgal_pwcheck *t, int outcome, const pgal_user *u)
{
	char name[PGAL_MARK_NAME_MAX + 1];
	int64_t now = pgal_now(g), until;
	pgal_err ig;

	if (!t->judged)
		return;
	if (outcome == PGAL_PWCHECK_ERROR) {
		note(g, t, "not judged (the store failed)");
		return;
	}
	if (outcome) {
		/* the owner's own typos from here are forgiven */
		mark_name(name, "pair", t->name_hash, g->client.source);
		(void)g->store->ops->mark_delete(g->store, name, &ig);
		note(g, t, "right password");
		return;
	}
	note(g, t, "refused: wrong password");
	mark_name(name, "src", NULL, g->client.source);
	(void)count_failure(g, name, &pgal_rate_source, now, &until);
	mark_name(name, "pair", t->name_hash, g->client.source);
	(void)count_failure(g, name, &pgal_rate_pair, now, &until);
	mark_name(name, "acct", t->name_hash, NULL);
	if (count_failure(g, name, &pgal_rate_account, now, &until) == PGAL_OK &&
	    pgal_rate_wait(&pgal_rate_account, until, now) > 0 && u != NULL)
		alert_owner(g, u, now);
}
