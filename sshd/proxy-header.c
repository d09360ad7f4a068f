/* The PROXY protocol header a load balancer puts before a connection's
 * first byte (HAProxy's proxy-protocol.txt, versions 1 and 2): the
 * client's address, as the balancer saw it. A pure function on the bytes
 * received so far, so the listener can call it on what it peeked and a
 * fuzzer on anything: it says "a whole header of N bytes", "not enough
 * yet" or "this is no header". It is strict: what the spec allows is
 * taken, nothing else (no leading zeros in ports, single spaces, the
 * version 2 length covering at least the addresses it announces). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "reader.h"
#include "sshd.h"

static const unsigned char v2_sig[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
};
static const char v1_sig[] = "PROXY ";

/* 1 when the n bytes at p could still start sig (len bytes) */
static int
starts_like(const unsigned char *p, size_t n, const void *sig, size_t len)
{
	return memcmp(p, sig, n < len ? n : len) == 0;
}

/* A decimal port of the v1 line: 0 to 65535, no sign, no leading zero. */
static int
v1_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;
	size_t i, n = strlen(s);

	if (n == 0 || n > 5 || (n > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* h->src from an address in network order and a port. */
static void
set_src(struct sshd_proxy_hdr *h, int family, const unsigned char *addr, uint16_t port)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)(void *)&h->src;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)(void *)&h->src;

	if (family == AF_INET) {
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, addr, 4);
		s4->sin_port = htons(port);
	} else {
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, addr, 16);
		s6->sin6_port = htons(port);
	}
}

/* "PROXY TCP4 SRC DST SPORT DPORT" (CRLF already taken off), or
 * "PROXY UNKNOWN" with anything after it, which the spec says to ignore. */
static int
v1_line(char *line, struct sshd_proxy_hdr *h)
{
	char *f[5], *p = line + sizeof v1_sig - 1, *sp;
	unsigned char src[16], dst[16];
	uint16_t sport, dport;
	int i, family;

	if (strncmp(p, "UNKNOWN", 7) == 0 && (p[7] == '\0' || p[7] == ' ')) {
		h->local = 1;
		return 0;
	}
	/* exactly five fields after "PROXY ", one space between each */
	for (i = 0; i < 5; i++) {
		f[i] = p;
		sp = strchr(p, ' ');
		if (i < 4) {
			if (sp == NULL)
				return -1;
			*sp = '\0';
			p = sp + 1;
		} else if (sp != NULL)
			return -1;
		if (*f[i] == '\0')
			return -1;
	}
	family = strcmp(f[0], "TCP4") == 0 ? AF_INET : strcmp(f[0], "TCP6") == 0 ? AF_INET6 : 0;
	if (family == 0 || inet_pton(family, f[1], src) != 1 || inet_pton(family, f[2], dst) != 1 ||
	    v1_port(f[3], &sport) == -1 || v1_port(f[4], &dport) == -1)
		return -1;
	set_src(h, family, src, sport);
	return 0;
}

static int
parse_v1(const unsigned char *p, size_t n, struct sshd_proxy_hdr *h)
{
	char line[SSHD_PROXY_V1_MAX + 1];
	pgal_reader r;
	size_t i, len;

	/* the line is printable US-ASCII up to its CRLF, within 107 bytes */
	for (i = 0; i < n && i < SSHD_PROXY_V1_MAX; i++) {
		if (p[i] == '\n')
			break;
		if (p[i] == '\r') {
			if (i + 1 < n && p[i + 1] != '\n')
				return SSHD_PROXY_BAD;
			continue;
		}
		if (p[i] < 0x20 || p[i] > 0x7e)
			return SSHD_PROXY_BAD;
	}
	if (i == n)
		return n < SSHD_PROXY_V1_MAX ? SSHD_PROXY_MORE : SSHD_PROXY_BAD;
	if (i == SSHD_PROXY_V1_MAX || i == 0 || p[i - 1] != '\r')
		return SSHD_PROXY_BAD;
	len = i + 1;
	pgal_reader_init(&r, p, len);
	if (pgal_read_line(&r, line, SSHD_PROXY_V1_MAX) != 1)
		return SSHD_PROXY_BAD;
	line[strlen(line) - 1] = '\0'; /* the CR */
	if (v1_line(line, h) == -1)
		return SSHD_PROXY_BAD;
	h->version = 1;
	h->len = len;
	return SSHD_PROXY_DONE;
}

static int
parse_v2(const unsigned char *p, size_t n, struct sshd_proxy_hdr *h)
{
	unsigned char src[16];
	uint16_t body, port;
	pgal_reader r;
	int ver_cmd, fam, cmd, family, transport;
	size_t need;

	if (n < SSHD_PROXY_V2_FIXED)
		return SSHD_PROXY_MORE;
	pgal_reader_init(&r, p, n);
	pgal_read_skip(&r, sizeof v2_sig);
	ver_cmd = pgal_read_byte(&r);
	fam = pgal_read_byte(&r);
	if (pgal_read_u16be(&r, &body) == -1)
		return SSHD_PROXY_BAD;
	cmd = ver_cmd & 0x0f;
	family = fam >> 4;
	transport = fam & 0x0f;
	if ((ver_cmd >> 4) != 2 || cmd > 1)
		return SSHD_PROXY_BAD;
	if (SSHD_PROXY_V2_FIXED + (size_t)body > SSHD_PROXY_V2_MAX)
		return SSHD_PROXY_BAD;
	/* the addresses the family announces must fit in the length */
	need = family == 1 ? 12 : family == 2 ? 36 : family == 3 ? 216 : 0;
	if (family > 3 || transport > 2 || body < need)
		return SSHD_PROXY_BAD;
	if (n < SSHD_PROXY_V2_FIXED + (size_t)body)
		return SSHD_PROXY_MORE;
	h->version = 2;
	h->len = SSHD_PROXY_V2_FIXED + body;
	/* LOCAL: the balancer speaking for itself (health checks); the
	 * addresses, if any, are to be ignored. A family or transport this
	 * server does not serve (UNSPEC, UNIX, DGRAM) says nothing about a TCP
	 * client either: the spec says to use the connection's own. */
	if (cmd == 0 || family == 0 || family == 3 || transport != 1) {
		h->local = cmd == 0;
		h->unspec = cmd != 0;
		return SSHD_PROXY_DONE;
	}
	/* source and destination addresses, then their ports */
	pgal_read_bytes(&r, src, family == 1 ? 4 : 16);
	pgal_read_skip(&r, family == 1 ? 4 : 16);
	pgal_read_u16be(&r, &port);
	set_src(h, family == 1 ? AF_INET : AF_INET6, src, port);
	/* the rest of the length is TLVs (unique id, TLS facts): not used */
	return r.failed ? SSHD_PROXY_BAD : SSHD_PROXY_DONE;
}

int
sshd_proxy_parse(const void *data, size_t n, struct sshd_proxy_hdr *h)
{
	const unsigned char *p = data;

	memset(h, 0, sizeof *h);
	if (n == 0)
		return SSHD_PROXY_MORE;
	if (starts_like(p, n, v2_sig, sizeof v2_sig)) {
		if (n < sizeof v2_sig)
			return SSHD_PROXY_MORE;
		return parse_v2(p, n, h);
	}
	if (starts_like(p, n, v1_sig, sizeof v1_sig - 1)) {
		if (n < sizeof v1_sig - 1)
			return SSHD_PROXY_MORE;
		return parse_v1(p, n, h);
	}
	return SSHD_PROXY_BAD;
}

int
sshd_proxy_looks_like(const void *data, size_t n)
{
	const unsigned char *p = data;

	if (n == 0)
		return 0;
	return starts_like(p, n, v2_sig, sizeof v2_sig) ||
	    starts_like(p, n, v1_sig, sizeof v1_sig - 1);
}
