/* SFTP paths as clients send them: the virtual tree's parser and the
 * lexical REALPATH. Checks that a path parsed holds no "..", no '/' in a
 * name, and that the canonical form of a path parses to the same place. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sshd.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_names(const struct sshd_vpath *v)
{
	if (strcmp(v->album, "..") == 0 || strcmp(v->photo, "..") == 0 ||
	    strchr(v->album, '/') != NULL || strchr(v->photo, '/') != NULL ||
	    (v->depth >= 1 && v->album[0] == '\0') || (v->depth == 2 && v->photo[0] == '\0'))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_text(data, size), real[4096];
	struct sshd_vpath v, w;
	pgal_err e;

	pgal_err_clear(&e);
	if (sshd_vpath_parse(in, &v, &e) == PGAL_OK)
		check_names(&v);
	if (sshd_vpath_real(in, real, sizeof real) == 0) {
		if (real[0] != '/')
			abort();
		pgal_err_clear(&e);
		if (sshd_vpath_parse(real, &w, &e) == PGAL_OK)
			check_names(&w);
	}
	/* a small buffer: the canonical form must be cut or refused, never overrun */
	sshd_vpath_real(in, real, 8);
	free(in);
	return 0;
}
