/* The hex encoder (see hex.h). */
#include "hex.h"

static void
encode(const unsigned char *in, size_t n, char *out, const char digits[16])
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void
pgal_hex(const void *in, size_t n, char *out)
{
	encode(in, n, out, "0123456789abcdef");
}

void
pgal_hex_upper(const void *in, size_t n, char *out)
{
	encode(in, n, out, "0123456789ABCDEF");
}

int
pgal_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
