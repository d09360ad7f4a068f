/* ssh_proxy_trusted: the load balancers whose PROXY headers are believed,
 * as a list of CIDR blocks ("10.0.0.0/8, 2001:db8::/32, 127.0.0.1"; an
 * address alone is that one address). An IPv4 client of a dual-stack
 * listener (::ffff:a.b.c.d) is matched as the IPv4 address it is. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "sshd.h"

/* the longest entry: a full IPv6 address and "/128" */
#define ENTRY_MAX (INET6_ADDRSTRLEN + 4)

static int
parse_one(const char *s, size_t len, struct sshd_cidr *c)
{
	char buf[ENTRY_MAX + 1], *slash, *end;
	long bits;
	int max;

	if (len == 0 || len > ENTRY_MAX)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(c, 0, sizeof *c);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, c->addr) == 1) {
		c->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, c->addr) == 1) {
		c->family = AF_INET6;
		max = 128;
	} else
		return -1;
	c->bits = max;
	if (slash != NULL) {
		/* decimal, no sign, no leading zero */
		if (slash[1] < '0' || slash[1] > '9' || (slash[1] == '0' && slash[2] != '\0'))
			return -1;
		bits = strtol(slash + 1, &end, 10);
		if (*end != '\0' || bits > max)
			return -1;
		c->bits = (int)bits;
	}
	return 0;
}

int
sshd_cidrs_parse(const char *list, struct sshd_cidrs *out, pgal_err *e)
{
	const char *p = list;
	char shown[ENTRY_MAX + 8];
	size_t len;

	memset(out, 0, sizeof *out);
	for (;;) {
		p += strspn(p, ", \t");
		if (*p == '\0')
			return PGAL_OK;
		len = strcspn(p, ", \t");
		if (out->n == SSHD_CIDRS_MAX)
			return pgal_fail(e, PGAL_EINPUT, "ssh_proxy_trusted: more than %d entries",
			    SSHD_CIDRS_MAX);
		if (parse_one(p, len, &out->c[out->n]) == -1) {
			char raw[ENTRY_MAX + 8];

			snprintf(raw, sizeof raw, "%.*s", (int)(len > ENTRY_MAX ? ENTRY_MAX : len), p);
			pgal_sanitize(shown, sizeof shown, raw, 0);
			return pgal_fail(e, PGAL_EINPUT,
			    "ssh_proxy_trusted: not an address or address/bits: '%s%s'", shown,
			    len > ENTRY_MAX ? "..." : "");
		}
		out->n++;
		p += len;
	}
}

/* the first bits of a and b agree */
static int
prefix_equal(const unsigned char *a, const unsigned char *b, int bits)
{
	int whole = bits / 8, rest = bits % 8;
	unsigned char mask;

	if (memcmp(a, b, (size_t)whole) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (unsigned char)(0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

int
sshd_cidrs_match(const struct sshd_cidrs *l, const struct sockaddr_storage *ss)
{
	const unsigned char *a;
	int family = ss->ss_family;
	size_t i;

	if (family == AF_INET)
		a = (const unsigned char *)&((const struct sockaddr_in *)(const void *)ss)->sin_addr;
	else if (family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)(const void *)ss;

		a = s6->sin6_addr.s6_addr;
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			a += 12;
			family = AF_INET;
		}
	} else
		return 0;
	for (i = 0; i < l->n; i++)
		if (l->c[i].family == family && prefix_equal(a, l->c[i].addr, l->c[i].bits))
			return 1;
	return 0;
}
