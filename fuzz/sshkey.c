/* SSH public key lines, as `pgal key add` and the TUI take them from a
 * user, and the key a client offers (type and base64 blob). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sshkey.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pgal_sshkey_parsed *k = malloc(sizeof *k);
	char *line = fuzz_text(data, size), fp[64], *space;
	pgal_err e;

	if (k == NULL)
		abort();
	pgal_err_clear(&e);
	pgal_sshkey_parse(line, k, &e);
	/* "TYPE BASE64" as the server hands a client's key over */
	if ((space = strchr(line, ' ')) != NULL) {
		*space = '\0';
		pgal_err_clear(&e);
		pgal_sshkey_fingerprint(line, space + 1, fp, &e);
	}
	free(line);
	free(k);
	return 0;
}
