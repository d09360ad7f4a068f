/* The hex encoder: n bytes as 2n hex digits and a NUL, for digests, tokens,
 * signatures and percent-encoding; and the value of a digit, for decoding. */
#ifndef PGAL_HEX_H
#define PGAL_HEX_H

#include <stddef.h>

/* Lower-case digits into out (2n + 1 bytes). */
void pgal_hex(const void *in, size_t n, char *out);
/* Upper-case digits, as percent-encoding wants them. */
void pgal_hex_upper(const void *in, size_t n, char *out);
/* The value of one hex digit (either case), -1 if c is none. */
int pgal_hex_digit(int c);

#endif
