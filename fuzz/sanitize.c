/* The sanitizer: every title, description, tag, EXIF string and file name
 * passes through it before a terminal sees it. Checks what it promises:
 * the output is clean text, fits, and sanitizing it again changes nothing. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const uint8_t *data, size_t size, size_t dstsz, int keep_newlines)
{
	char *dst = malloc(dstsz), *again = malloc(dstsz);
	size_t n, m;

	if (dst == NULL || again == NULL)
		abort();
	n = pgal_sanitize_n(dst, dstsz, (const char *)data, size, keep_newlines);
	if (n >= dstsz || strlen(dst) != n || !pgal_text_is_clean(dst, keep_newlines))
		abort();
	m = pgal_sanitize(again, dstsz, dst, keep_newlines);
	if (m != n || memcmp(dst, again, n) != 0)
		abort();
	pgal_text_width(dst);
	free(dst);
	free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a destination of every size near the input's: the cut at the end */
	check(data, size, size + 1, 0);
	check(data, size, size + 1, 1);
	check(data, size, size / 2 + 1, 0);
	check(data, size, 8, 1);
	return 0;
}
