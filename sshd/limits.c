/* Per source address counters in the listener: connections at once,
 * unauthenticated ones (MaxStartups-like), and failed logins, which earn
 * that address a growing delay before every failure reply. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sshd.h"

#define PENALTY_STEP_MS 400
#define PENALTY_MAX_MS 8000
#define FAIL_HALFLIFE_SECS 120

struct addr_entry {
	char addr[64];
	int active;
	int unauth;
	int fails;
	time_t last_fail;
	struct addr_entry *next;
};

static struct addr_entry *addrs;
static int total_active, total_unauth;

static struct addr_entry *
lookup(const char *addr, int create)
{
	struct addr_entry *a;

	for (a = addrs; a != NULL; a = a->next)
		if (strcmp(a->addr, addr) == 0)
			return a;
	if (!create || (a = calloc(1, sizeof *a)) == NULL)
		return NULL;
	strncpy(a->addr, addr, sizeof a->addr - 1);
	a->next = addrs;
	addrs = a;
	return a;
}

/* Failures fade: an address that stopped failing is forgiven over time. */
static void
decay(struct addr_entry *a, time_t now)
{
	while (a->fails > 0 && now - a->last_fail >= FAIL_HALFLIFE_SECS) {
		a->fails /= 2;
		a->last_fail += FAIL_HALFLIFE_SECS;
	}
}

static void
forget_idle(void)
{
	struct addr_entry **pp = &addrs, *a;

	while ((a = *pp) != NULL) {
		if (a->active == 0 && a->fails == 0) {
			*pp = a->next;
			free(a);
		} else
			pp = &a->next;
	}
}

int
sshd_limits_admit(const struct sshd_limits *l, const char *addr, int *penalty_ms,
    const char **reason)
{
	struct addr_entry *a;
	long ms;

	*penalty_ms = 0;
	if (total_active >= l->max_sessions) {
		*reason = "too many connections";
		return -1;
	}
	if (total_unauth >= l->max_startups) {
		*reason = "too many unauthenticated connections";
		return -1;
	}
	if ((a = lookup(addr, 1)) == NULL) {
		*reason = "out of memory";
		return -1;
	}
	decay(a, time(NULL));
	if (a->active >= l->per_addr) {
		*reason = "too many connections from this address";
		return -1;
	}
	ms = (long)a->fails * PENALTY_STEP_MS;
	*penalty_ms = ms > PENALTY_MAX_MS ? PENALTY_MAX_MS : (int)ms;
	a->active++;
	a->unauth++;
	total_active++;
	total_unauth++;
	return 0;
}

void
sshd_limits_authed(const char *addr)
{
	struct addr_entry *a = lookup(addr, 0);

	if (a != NULL && a->unauth > 0) {
		a->unauth--;
		total_unauth--;
	}
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
sshd_limits_gone(const char *addr, int authed)
{
	struct addr_entry *a = lookup(addr, 0);

	if (a == NULL)
		return;
	if (!authed && a->unauth > 0) {
		a->unauth--;
		total_unauth--;
	}
	if (a->active > 0) {
		a->active--;
		total_active--;
	}
	decay(a, time(NULL));
	forget_idle();
}
