/* The PROXY protocol header parser (sshd/proxy-header.c) and the trusted
 * list (sshd/proxy-trusted.c), compiled in here: the unit tests link the
 * core library only. The vectors are built from HAProxy's
 * proxy-protocol.txt: its v1 examples and worst cases, and v2 headers put
 * together field by field from its layout (12-byte signature, version and
 * command, family and transport, big-endian length, addresses, TLVs). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../sshd/proxy-header.c"
#include "../../sshd/proxy-trusted.c"

#define SIG "\r\n\r\n\0\r\nQUIT\n"

static int
parse(const char *s, size_t n, struct sshd_proxy_hdr *h)
{
	return sshd_proxy_parse(s, n, h);
}

static void
src_is(const struct sshd_proxy_hdr *h, const char *want, unsigned port)
{
	char got[SSHD_ADDR_MAX];
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)(const void *)&h->src;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)(const void *)&h->src;

	if (h->src.ss_family == AF_INET) {
		inet_ntop(AF_INET, &s4->sin_addr, got, sizeof got);
		assert_int_equal(ntohs(s4->sin_port), port);
	} else {
		assert_int_equal(h->src.ss_family, AF_INET6);
		inet_ntop(AF_INET6, &s6->sin6_addr, got, sizeof got);
		assert_int_equal(ntohs(s6->sin6_port), port);
	}
	assert_string_equal(got, want);
}

static void
v1_examples(void **state)
{
	struct sshd_proxy_hdr h;
	const char *l = "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\nSSH-2.0-x\r\n";

	assert_int_equal(parse(l, strlen(l), &h), SSHD_PROXY_DONE);
	assert_int_equal(h.version, 1);
	assert_int_equal(h.len, strlen("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"));
	assert_false(h.local);
	src_is(&h, "192.168.0.1", 56324);

	l = "PROXY TCP6 2001:db8::1 2001:db8::2 65535 22\r\n";
	assert_int_equal(parse(l, strlen(l), &h), SSHD_PROXY_DONE);
	src_is(&h, "2001:db8::1", 65535);

	l = "PROXY UNKNOWN\r\n";
	assert_int_equal(parse(l, strlen(l), &h), SSHD_PROXY_DONE);
	assert_true(h.local);
	assert_int_equal(h.len, 15);
}

static void
v1_worst_case_length(void **state)
{
	struct sshd_proxy_hdr h;
	/* the spec's longest line: 107 bytes with its CRLF */
	const char *l = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
			"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
	char longer[200];

	assert_int_equal(strlen(l), 107);
	assert_int_equal(parse(l, strlen(l), &h), SSHD_PROXY_DONE);
	assert_int_equal(h.len, 107);
	/* one byte more is no header, whatever follows */
	snprintf(longer, sizeof longer, "PROXY UNKNOWN f%s", l + 14);
	assert_int_equal(strlen(longer), 108);
	assert_int_equal(parse(longer, strlen(longer), &h), SSHD_PROXY_BAD);
	/* 107 bytes and still no LF: it will never be a header */
	memset(longer, 'a', 120);
	memcpy(longer, "PROXY ", 6);
	assert_int_equal(parse(longer, 107, &h), SSHD_PROXY_BAD);
	assert_int_equal(parse(longer, 106, &h), SSHD_PROXY_MORE);
}

static void
v1_partial(void **state)
{
	const char *l = "PROXY TCP4 10.1.2.3 10.0.0.1 1234 22\r\n";
	struct sshd_proxy_hdr h;
	size_t i;

	/* every prefix could still become the header */
	for (i = 0; i < strlen(l); i++)
		assert_int_equal(parse(l, i, &h), SSHD_PROXY_MORE);
	assert_int_equal(parse(l, strlen(l), &h), SSHD_PROXY_DONE);
	src_is(&h, "10.1.2.3", 1234);
}

static void
v1_malformed(void **state)
{
	static const char *const bad[] = {
		"PROXY TCP4 10.1.2.3 10.0.0.1 1234 22\n",       /* LF alone */
		"PROXY TCP4 10.1.2.3 10.0.0.1 1234 22\rx",      /* CR then not LF */
		"PROXY TCP4  10.1.2.3 10.0.0.1 1234 22\r\n",    /* two spaces */
		"PROXY TCP4 10.1.2.3 10.0.0.1 1234 22 \r\n",    /* trailing space */
		"PROXY TCP4 10.1.2.3 10.0.0.1 01234 22\r\n",    /* leading zero */
		"PROXY TCP4 10.1.2.3 10.0.0.1 65536 22\r\n",    /* port too big */
		"PROXY TCP4 10.1.2.3 10.0.0.1 -1 22\r\n",
		"PROXY TCP4 10.1.2.3 10.0.0.1 1234\r\n",        /* a field short */
		"PROXY TCP4 2001:db8::1 10.0.0.1 1234 22\r\n",  /* family mismatch */
		"PROXY TCP6 10.1.2.3 2001:db8::2 1234 22\r\n",
		"PROXY TCP4 10.1.2.300 10.0.0.1 1234 22\r\n",
		"PROXY UDP4 10.1.2.3 10.0.0.1 1234 22\r\n",
		"PROXY tcp4 10.1.2.3 10.0.0.1 1234 22\r\n",
		"PROXY UNKNOWNX\r\n",
		"PROXY \r\n",
		"PROXY TCP4 10.1.2.3\t10.0.0.1 1234 22\r\n",     /* a control byte */
		"proxy TCP4 10.1.2.3 10.0.0.1 1234 22\r\n",
		"SSH-2.0-OpenSSH_9.2\r\n",                     /* a plain SSH client */
	};
	struct sshd_proxy_hdr h;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		print_message("%s\n", bad[i]);
		assert_int_equal(parse(bad[i], strlen(bad[i]), &h), SSHD_PROXY_BAD);
	}
	/* a NUL inside the line */
	assert_int_equal(parse("PROXY TCP4 1.2.3.4\0 5.6.7.8 1 2\r\n", 33, &h), SSHD_PROXY_BAD);
}

/* a v2 header: signature, ver_cmd, fam, then the body */
static size_t
v2(unsigned char *out, int ver_cmd, int fam, const void *body, size_t len)
{
	memcpy(out, SIG, 12);
	out[12] = (unsigned char)ver_cmd;
	out[13] = (unsigned char)fam;
	out[14] = (unsigned char)(len >> 8);
	out[15] = (unsigned char)len;
	memcpy(out + 16, body, len);
	return 16 + len;
}

static void
v2_inet(void **state)
{
	/* 127.0.5.5:40000 -> 127.0.0.1:22 */
	static const unsigned char a4[12] = { 127, 0, 5, 5, 127, 0, 0, 1, 0x9c, 0x40, 0, 22 };
	unsigned char buf[600], body[64];
	struct sshd_proxy_hdr h;
	size_t n, i;

	n = v2(buf, 0x21, 0x11, a4, sizeof a4);
	memcpy(buf + n, "SSH-2.0-x\r\n", 11);
	assert_int_equal(sshd_proxy_parse(buf, n + 11, &h), SSHD_PROXY_DONE);
	assert_int_equal(h.version, 2);
	assert_int_equal(h.len, 28);
	assert_false(h.local);
	assert_false(h.unspec);
	src_is(&h, "127.0.5.5", 40000);
	for (i = 0; i < n; i++)
		assert_int_equal(sshd_proxy_parse(buf, i, &h), SSHD_PROXY_MORE);

	/* TLVs after the addresses are part of the header, and skipped */
	memcpy(body, a4, 12);
	memcpy(body + 12, "\x05\x00\x04uniq", 7);
	n = v2(buf, 0x21, 0x11, body, 19);
	assert_int_equal(sshd_proxy_parse(buf, n, &h), SSHD_PROXY_DONE);
	assert_int_equal(h.len, 35);
	src_is(&h, "127.0.5.5", 40000);
}

static void
v2_inet6(void **state)
{
	unsigned char buf[600], body[36];
	struct sshd_proxy_hdr h;
	size_t n;

	memset(body, 0, sizeof body);
	inet_pton(AF_INET6, "2001:db8:1:2::5", body);
	inet_pton(AF_INET6, "2001:db8::1", body + 16);
	body[32] = 0x01; /* port 256 */
	body[35] = 22;
	n = v2(buf, 0x21, 0x21, body, 36);
	assert_int_equal(sshd_proxy_parse(buf, n, &h), SSHD_PROXY_DONE);
	src_is(&h, "2001:db8:1:2::5", 256);
	/* the length must cover the addresses of the family */
	n = v2(buf, 0x21, 0x21, body, 35);
	assert_int_equal(sshd_proxy_parse(buf, n, &h), SSHD_PROXY_BAD);
	n = v2(buf, 0x21, 0x11, body, 11);
	assert_int_equal(sshd_proxy_parse(buf, n, &h), SSHD_PROXY_BAD);
}

static void
v2_local_and_unspec(void **state)
{
	static const unsigned char a4[12] = { 10, 0, 0, 9, 10, 0, 0, 1, 0, 1, 0, 22 };
	unsigned char buf[600], unix_body[216];
	struct sshd_proxy_hdr h;
	size_t n;

	/* LOCAL, no addresses: the balancer's own health check */
	n = v2(buf, 0x20, 0x00, "", 0);
	assert_int_equal(sshd_proxy_parse(buf, n, &h), SSHD_PROXY_DONE);
	assert_true(h.local);
	assert_int_equal(h.len, 16);
	/* LOCAL with addresses: they are ignored */
	n = v2(buf, 0x20, 0x11, a4, sizeof a4);
	assert_int_equal(sshd_proxy_parse(buf, n, &h), SSHD_PROXY_DONE);
	assert_true(h.local);
	assert_int_equal(h.src.ss_family, 0);
	/* PROXY with UNSPEC, UNIX or DGRAM: no client address to use */
	n = v2(buf, 0x21, 0x00, "", 0);
	assert_int_equal(sshd_proxy_parse(buf, n, &h), SSHD_PROXY_DONE);
	assert_true(h.unspec);
	memset(unix_body, 0, sizeof unix_body);
	n = v2(buf, 0x21, 0x31, unix_body, sizeof unix_body);
	assert_int_equal(sshd_proxy_parse(buf, n, &h), SSHD_PROXY_DONE);
	assert_true(h.unspec);
	n = v2(buf, 0x21, 0x12, a4, sizeof a4);
	assert_int_equal(sshd_proxy_parse(buf, n, &h), SSHD_PROXY_DONE);
	assert_true(h.unspec);
}

static void
v2_malformed(void **state)
{
	static const unsigned char a4[12] = { 10, 0, 0, 9, 10, 0, 0, 1, 0, 1, 0, 22 };
	unsigned char buf[SSHD_PROXY_V2_MAX + 64];
	struct sshd_proxy_hdr h;
	size_t n;

	n = v2(buf, 0x11, 0x11, a4, sizeof a4); /* version 1 in a v2 header */
	assert_int_equal(sshd_proxy_parse(buf, n, &h), SSHD_PROXY_BAD);
	n = v2(buf, 0x22, 0x11, a4, sizeof a4); /* command 2 */
	assert_int_equal(sshd_proxy_parse(buf, n, &h), SSHD_PROXY_BAD);
	n = v2(buf, 0x21, 0x41, a4, sizeof a4); /* family 4 */
	assert_int_equal(sshd_proxy_parse(buf, n, &h), SSHD_PROXY_BAD);
	n = v2(buf, 0x21, 0x13, a4, sizeof a4); /* transport 3 */
	assert_int_equal(sshd_proxy_parse(buf, n, &h), SSHD_PROXY_BAD);
	/* a signature off by one byte */
	n = v2(buf, 0x21, 0x11, a4, sizeof a4);
	buf[11] = 'X';
	assert_int_equal(sshd_proxy_parse(buf, n, &h), SSHD_PROXY_BAD);
	/* a length past what this server takes is refused at once, before
	 * its bytes are waited for */
	memcpy(buf, SIG, 12);
	buf[12] = 0x21;
	buf[13] = 0x11;
	buf[14] = 0xff;
	buf[15] = 0xff;
	assert_int_equal(sshd_proxy_parse(buf, 16, &h), SSHD_PROXY_BAD);
	buf[14] = (SSHD_PROXY_V2_MAX - 16) >> 8;
	buf[15] = (SSHD_PROXY_V2_MAX - 16) & 0xff;
	memset(buf + 16, 0, SSHD_PROXY_V2_MAX - 16);
	assert_int_equal(sshd_proxy_parse(buf, 16, &h), SSHD_PROXY_MORE);
	assert_int_equal(sshd_proxy_parse(buf, SSHD_PROXY_V2_MAX, &h), SSHD_PROXY_DONE);
}

static void
looks_like(void **state)
{
	assert_true(sshd_proxy_looks_like("PROXY TCP4", 10));
	assert_true(sshd_proxy_looks_like("PRO", 3));
	assert_true(sshd_proxy_looks_like(SIG, 12));
	assert_true(sshd_proxy_looks_like("\r\n\r", 3));
	assert_false(sshd_proxy_looks_like("SSH-2.0-", 8));
	assert_false(sshd_proxy_looks_like("", 0));
}

static int
match(const struct sshd_cidrs *l, const char *addr)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof ss);
	if (inet_pton(AF_INET, addr, &((struct sockaddr_in *)(void *)&ss)->sin_addr) == 1)
		ss.ss_family = AF_INET;
	else {
		assert_int_equal(inet_pton(AF_INET6, addr,
		    &((struct sockaddr_in6 *)(void *)&ss)->sin6_addr), 1);
		ss.ss_family = AF_INET6;
	}
	return sshd_cidrs_match(l, &ss);
}

static void
trusted_list(void **state)
{
	struct sshd_cidrs l;
	pgal_err e;

	assert_int_equal(sshd_cidrs_parse("10.0.0.0/8, 127.0.0.1 2001:db8:ab::/48,192.168.1.128/25",
	    &l, &e), PGAL_OK);
	assert_int_equal(l.n, 4);
	assert_true(match(&l, "10.255.1.2"));
	assert_false(match(&l, "11.0.0.1"));
	assert_true(match(&l, "127.0.0.1"));
	assert_false(match(&l, "127.0.0.2"));
	assert_true(match(&l, "::ffff:127.0.0.1")); /* a dual-stack listener's IPv4 */
	assert_true(match(&l, "2001:db8:ab:ffff::1"));
	assert_false(match(&l, "2001:db8:ac::1"));
	assert_true(match(&l, "192.168.1.200"));
	assert_false(match(&l, "192.168.1.127"));
	assert_int_equal(sshd_cidrs_parse("0.0.0.0/0", &l, &e), PGAL_OK);
	assert_true(match(&l, "8.8.8.8"));
	assert_false(match(&l, "::1"));
	assert_int_equal(sshd_cidrs_parse("", &l, &e), PGAL_OK);
	assert_int_equal(l.n, 0);
	assert_false(match(&l, "127.0.0.1"));
}

static void
trusted_list_malformed(void **state)
{
	static const char *const bad[] = {
		"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/08", "10.0.0.0/-1",
		"10.0.0/8", "example.org", "10.0.0.0/8/8", "10.0.0.0/8x",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
	};
	struct sshd_cidrs l;
	pgal_err e;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		print_message("%s\n", bad[i]);
		assert_int_equal(sshd_cidrs_parse(bad[i], &l, &e), PGAL_EINPUT);
		assert_non_null(strstr(e.msg, "ssh_proxy_trusted"));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(v1_examples),
		cmocka_unit_test(v1_worst_case_length),
		cmocka_unit_test(v1_partial),
		cmocka_unit_test(v1_malformed),
		cmocka_unit_test(v2_inet),
		cmocka_unit_test(v2_inet6),
		cmocka_unit_test(v2_local_and_unspec),
		cmocka_unit_test(v2_malformed),
		cmocka_unit_test(looks_like),
		cmocka_unit_test(trusted_list),
		cmocka_unit_test(trusted_list_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
