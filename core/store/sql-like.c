#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/sql-like.h"

char *
pgal_sql_like_pattern(const char *w, char esc)
{
	size_t len = strlen(w), i, o = 0;
	char *pat;

	if (len > (SIZE_MAX - 3) / 2 || (pat = malloc(2 * len + 3)) == NULL)
		return NULL;
	pat[o++] = '%';
	for (i = 0; i < len; i++) {
		if (w[i] == '%' || w[i] == '_' || w[i] == esc)
			pat[o++] = esc;
		pat[o++] = w[i];
	}
	pat[o++] = '%';
	pat[o] = '\0';
	return pat;
}
