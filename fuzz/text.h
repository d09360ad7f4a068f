/* Shared by the harnesses of text parsers: the input as a C string. */
#ifndef PGAL_FUZZ_TEXT_H
#define PGAL_FUZZ_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A NUL-terminated copy of the input (a NUL inside it ends the text, as
 * it would for the parser's caller); free() it. */
static inline char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
