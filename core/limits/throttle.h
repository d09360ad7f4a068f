/* The password throttle: every password check of every door (SSH password
 * auth, the TUI's login form, login, passwd, cancel) counts against its
 * source address and against the pair (name, source), in marks of the
 * store, so every process and host of the gallery sees the same counts.
 *
 * - a source (an IPv4 address, an IPv6 /64) or a pair over its rate is
 *   refused without judging the password ("too many failed logins"),
 *   the same answer for an account and an unknown name;
 * - failures on one name from everywhere never refuse anything: they
 *   slow every check of that name by PGAL_THROTTLE_SLOW_MS and mail the
 *   owner once a day, so strangers cannot lock the owner out.
 *
 * Each rate is a GCRA (generic cell rate algorithm): a mark holds the
 * moment the counted failures would have drained at one per interval;
 * an event fits while that moment stays within burst intervals of now. */
#ifndef PGAL_THROTTLE_H
#define PGAL_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

#include "gallery.h"

/* ---- who is calling (set by the door once it has opened the gallery) ---- */

#define PGAL_SOURCE_MAX 64

/* Where each password check is logged: one line, no newline. */
typedef void (*pgal_log_fn)(void *arg, const char *line);

typedef struct pgal_client {
	char addr[PGAL_SOURCE_MAX];   /* as logged: "203.0.113.7", "local" */
	char source[PGAL_SOURCE_MAX]; /* as throttled: the address or its /64 */
	char door[16];                /* "ssh", "tui", "exec", "cli" */
	pgal_log_fn log;
	void *log_arg;
} pgal_client;

/* A log_fn for local doors (pgal, pgal-tui): syslog, facility auth. */
void pgal_log_syslog(void *arg, const char *line);

/* The calls on g come from addr (NULL or not an IP address: "local")
 * through door; log (may be NULL) gets each password check's line. */
void pgal_set_client(pgal *g, const char *addr, const char *door, pgal_log_fn log, void *arg);

/* The throttle's source of an address: an IPv4 address (also written as
 * ::ffff:a.b.c.d) as itself, an IPv6 address as its /64 ("2001:db8:1:2::/64"),
 * anything else as "local". */
void pgal_source_of(const char *addr, char out[PGAL_SOURCE_MAX]);

/* ---- the arithmetic ---- */

typedef struct pgal_rate {
	int burst;        /* events allowed at once */
	int64_t interval; /* seconds after which one more is allowed */
} pgal_rate;

/* 1 source: 10 failures at once, then one per 2 minutes (30 an hour) */
extern const pgal_rate pgal_rate_source;
/* 1 name from 1 source: 5 at once, then one per 10 minutes (6 an hour) */
extern const pgal_rate pgal_rate_pair;
/* 1 name from everywhere: beyond 20 at once and one a minute, checks of
 * that name are slowed and its owner is mailed */
extern const pgal_rate pgal_rate_account;
#define PGAL_THROTTLE_SLOW_MS 2000
#define PGAL_THROTTLE_ALERT_SECS 86400 /* at most one mail a day */

/* `until` is a rate's mark just after counting one more event: seconds
 * until that event would fit, 0 if it fits now. */
int64_t pgal_rate_wait(const pgal_rate *r, int64_t until, int64_t now);
/* The most events a key of rate r lets through in `secs` from rest. */
int64_t pgal_rate_most(const pgal_rate *r, int64_t secs);

/* ---- inside the core ---- */

/* Counts one event on the rate r kept in mark `name`: *wait the seconds
 * until it would have fitted, 0 when it fits. One that does not fit is
 * taken back at once, so hammering a closed door does not keep it closed. */
int pgal_rate_take(pgal *g, const char *name, const pgal_rate *r, int64_t now, int64_t *wait,
		   pgal_err *e);
/* Takes back one event counted by pgal_rate_take (best effort). */
void pgal_rate_give_back(pgal *g, const char *name, const pgal_rate *r, int64_t now);

/* ---- one password check ---- */

typedef struct pgal_pwcheck {
	const char *what; /* "login", "passwd", "cancel" */
	char user[40];    /* as logged (sanitized, cut) */
	char name_hash[33];
	int judged;       /* begin let it through */
} pgal_pwcheck;

/* Before judging a password typed for `user`: PGAL_EDENIED "too many
 * failed logins; try again in N s" (logged) when the failures of the
 * caller's source or of the (user, source) pair have used up their rate,
 * then nothing may be judged. Otherwise waits the name's slow-down, if
 * any. Nothing is counted yet: a right password costs no room. */
int pgal_pwcheck_begin(pgal *g, pgal_pwcheck *t, const char *what, const char *user,
		       pgal_err *e);
/* The caller proved it is user's owner another way (a mailed reset code):
 * the failures of user from this source are forgotten, as a right password
 * forgets them. */
void pgal_pwcheck_forgive(pgal *g, const char *user);

/* After judging, outcome 1 (right password) clears the pair's failures;
 * 0 (wrong) counts a failure against the source, the pair and the name
 * and may mail the owner u (NULL: no such account); PGAL_PWCHECK_ERROR:
 * nothing could be judged (the store failed). Logs it. Checks of one
 * source running at once are all judged before any of their failures
 * count: the overshoot is bounded by its connections (ssh_per_addr_max),
 * and the counted failures then keep it out that much longer. */
#define PGAL_PWCHECK_ERROR (-1)
void pgal_pwcheck_end(pgal *g, pgal_pwcheck *t, int outcome, const pgal_user *u);

#endif
