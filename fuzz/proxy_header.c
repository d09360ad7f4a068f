/* The PROXY protocol header (v1 text, v2 binary) as a balancer, or a
 * client lying about being one, sends it before the SSH version string;
 * and the same bytes as an ssh_proxy_trusted list. A whole header must
 * stay whole on its own bytes and be incomplete one byte short of them. */
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sshd.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sshd_proxy_hdr h, again;
	struct sshd_cidrs *l;
	pgal_err e;
	char *text;
	int rc;

	rc = sshd_proxy_parse(data, size, &h);
	if (rc == SSHD_PROXY_DONE) {
		if (h.len > size || h.len < 15 || (h.version == 1 && h.len > SSHD_PROXY_V1_MAX) ||
		    (h.version == 2 && h.len > SSHD_PROXY_V2_MAX))
			abort();
		if (!h.local && !h.unspec && h.src.ss_family != AF_INET &&
		    h.src.ss_family != AF_INET6)
			abort();
		if (sshd_proxy_parse(data, h.len, &again) != SSHD_PROXY_DONE || again.len != h.len)
			abort();
		if (sshd_proxy_parse(data, h.len - 1, &again) != SSHD_PROXY_MORE)
			abort();
	}
	if (rc != SSHD_PROXY_BAD && size > 0 && !sshd_proxy_looks_like(data, size))
		abort();

	if ((l = malloc(sizeof *l)) == NULL)
		abort();
	text = fuzz_text(data, size);
	pgal_err_clear(&e);
	if (sshd_cidrs_parse(text, l, &e) == PGAL_OK && l->n > SSHD_CIDRS_MAX)
		abort();
	if (rc == SSHD_PROXY_DONE && !h.local && !h.unspec)
		(void)sshd_cidrs_match(l, &h.src);
	free(text);
	free(l);
	return 0;
}
