/* Per source counters in the listener: connections at once, unauthenticated
 * ones (MaxStartups, like OpenSSH, except that a source holding none is
 * never dropped at random and at full the listener evicts instead of
 * refusing), guests (a pool of their own, so they never take a user's
 * slot), and failed logins, which earn that source a growing delay before
 * every further attempt until one succeeds. A source is an IPv4 address,
 * or an IPv6 /64: one host or subscriber usually owns a whole /64, so
 * counting single IPv6 addresses would let it take as many slots as it
 * likes. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sshd.h"

#define PENALTY_STEP_MS 400
#define PENALTY_MAX_MS 8000
#define FAIL_HALFLIFE_SECS 120

struct addr_entry {
	char addr[SSHD_ADDR_MAX];
	int active; /* connections not (yet) known as guests */
	int unauth;
	int guests;
	int fails;
	time_t last_fail;
	struct addr_entry *next;
};

static struct addr_entry *addrs;
static int total_active, total_unauth, total_guests;

void
sshd_limits_key(const struct sockaddr_storage *ss, char *buf, size_t size)
{
	const struct sockaddr_in6 *s6;
	struct in6_addr net;
	char tmp[INET6_ADDRSTRLEN];

	if (ss->ss_family != AF_INET6) {
		sshd_log_addr(ss, buf, size);
		return;
	}
	s6 = (const struct sockaddr_in6 *)(const void *)ss;
	if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		/* an IPv4 client of a dual-stack listener is an IPv4 source */
		sshd_log_addr(ss, buf, size);
		return;
	}
	net = s6->sin6_addr;
	memset(net.s6_addr + 8, 0, 8);
	if (inet_ntop(AF_INET6, &net, tmp, sizeof tmp) == NULL)
		snprintf(buf, size, "?");
	else
		snprintf(buf, size, "%s/64", tmp);
}

static struct addr_entry *
lookup(const char *addr, int create)
{
	struct addr_entry *a;

	for (a = addrs; a != NULL; a = a->next)
		if (strcmp(a->addr, addr) == 0)
			return a;
	if (!create || (a = calloc(1, sizeof *a)) == NULL)
		return NULL;
	snprintf(a->addr, sizeof a->addr, "%s", addr);
	a->next = addrs;
	addrs = a;
	return a;
}

/* Failures fade: a source that stopped failing is forgiven over time. */
static void
decay(struct addr_entry *a, time_t now)
{
	while (a->fails > 0 && now - a->last_fail >= FAIL_HALFLIFE_SECS) {
		a->fails /= 2;
		a->last_fail += FAIL_HALFLIFE_SECS;
	}
}

/* Sources with nothing open and their failures forgiven are dropped, so
 * the table holds what is live plus recent offenders. */
static void
forget_idle(time_t now)
{
	struct addr_entry **pp = &addrs, *a;

	while ((a = *pp) != NULL) {
		decay(a, now);
		if (a->active == 0 && a->guests == 0 && a->fails == 0) {
			*pp = a->next;
			free(a);
		} else
			pp = &a->next;
	}
}

/* Random early drop: below start everyone gets in, from full on nobody, in
 * between a new connection is dropped with a probability rising linearly
 * from rate % to 100 %. Only a source that already holds an
 * unauthenticated connection is at risk: a client making its one
 * connection is not dropped at random for what others do. */
static int
early_drop(const struct sshd_limits *l, const struct addr_entry *a)
{
	int span, p;

	if (total_unauth < l->max_startups || a == NULL || a->unauth == 0)
		return 0;
	if (total_unauth >= l->startups_full)
		return 1;
	span = l->startups_full - l->max_startups;
	p = l->startups_rate + (100 - l->startups_rate) * (total_unauth - l->max_startups) /
	    span;
	return (int)arc4random_uniform(100) < p;
}

int
sshd_limits_full(const struct sshd_limits *l, const char *addr)
{
	struct addr_entry *a = lookup(addr, 0);

	/* refused whatever is evicted: too many from this source, or it
	 * already waits on an unauthenticated connection (early drop) */
	if (a != NULL && (a->active >= l->per_addr || a->unauth > 0))
		return 0;
	return total_active >= l->max_sessions || total_unauth >= l->startups_full;
}

int
sshd_limits_pressure(const struct sshd_limits *l)
{
	return total_unauth >= l->max_startups;
}

int
sshd_limits_unauth_of(const char *addr)
{
	struct addr_entry *a = lookup(addr, 0);

	return a != NULL ? a->unauth : 0;
}

int
sshd_limits_admit(const struct sshd_limits *l, const char *addr, int *penalty_ms, pgal_err *e)
{
	struct addr_entry *a;
	long ms;

	*penalty_ms = 0;
	if (total_active >= l->max_sessions)
		return pgal_fail(e, PGAL_EDENIED, "too many connections");
	if ((a = lookup(addr, 0)) != NULL && a->active >= l->per_addr)
		return pgal_fail(e, PGAL_EDENIED, "too many connections from this address");
	if (total_unauth >= l->startups_full)
		return pgal_fail(e, PGAL_EDENIED, "too many unauthenticated connections");
	if (early_drop(l, a))
		return pgal_fail(e, PGAL_EDENIED,
		    "too many unauthenticated connections (random early drop)");
	if (a == NULL && (a = lookup(addr, 1)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	decay(a, time(NULL));
	ms = (long)a->fails * PENALTY_STEP_MS;
	*penalty_ms = ms > PENALTY_MAX_MS ? PENALTY_MAX_MS : (int)ms;
	a->active++;
	a->unauth++;
	total_active++;
	total_unauth++;
	return PGAL_OK;
}

static void
unauth_done(struct addr_entry *a)
{
	if (a->unauth > 0) {
		a->unauth--;
		total_unauth--;
	}
}

static void
active_done(struct addr_entry *a)
{
	if (a->active > 0) {
		a->active--;
		total_active--;
	}
}

void
sshd_limits_user(const char *addr)
{
	struct addr_entry *a = lookup(addr, 0);

	if (a == NULL)
		return;
	unauth_done(a);
	/* whoever logs in from here knows a password or holds a key: the
	 * failures before were typos, not an attack worth a delay */
	a->fails = 0;
}

int
sshd_limits_guest(const struct sshd_limits *l, const char *addr, pgal_err *e)
{
	struct addr_entry *a = lookup(addr, 0);

	if (a == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "unknown source");
	unauth_done(a);
	active_done(a);
	a->guests++;
	total_guests++;
	if (total_guests > l->max_guests)
		return pgal_fail(e, PGAL_EDENIED, "too many guests");
	if (a->guests > l->per_addr)
		return pgal_fail(e, PGAL_EDENIED, "too many guests from this address");
	return PGAL_OK;
}

void
sshd_limits_failed(const char *addr)
{
	struct addr_entry *a = lookup(addr, 0);
	time_t now = time(NULL);

	if (a == NULL)
		return;
	decay(a, now);
	if (a->fails < 1000)
		a->fails++;
	a->last_fail = now;
}

void
sshd_limits_gone(const char *addr, enum sshd_conn_state state)
{
	struct addr_entry *a = lookup(addr, 0);

	if (a == NULL)
		return;
	if (state == SSHD_CONN_GUEST) {
		if (a->guests > 0) {
			a->guests--;
			total_guests--;
		}
	} else {
		if (state == SSHD_CONN_UNAUTH)
			unauth_done(a);
		active_done(a);
	}
	forget_idle(time(NULL));
}
