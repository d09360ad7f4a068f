/* The growing buffer (see buf.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Makes room for n more bytes and the NUL after them: at least double the
 * capacity, so appending is linear, and exactly what is asked when that is
 * more, so one large reservation takes no more than it needs. */
void *
pgal_buf_room(pgal_buf *b, size_t n)
{
	size_t	 need, ncap;
	char	*np;

	if (b->failed)
		return NULL;
	if (n > SIZE_MAX / 2 - b->len) {
		b->failed = 1;
		return NULL;
	}
	need = b->len + n + 1;
	if (need > b->cap) {
		ncap = b->cap < 128 ? 256 : b->cap * 2;
		if (ncap < need)
			ncap = need;
		if ((np = realloc(b->p, ncap)) == NULL) {
			b->failed = 1;
			return NULL;
		}
		b->p = np;
		b->cap = ncap;
	}
	return b->p + b->len;
}

void
pgal_buf_used(pgal_buf *b, size_t n)
{
	if (b->failed || b->p == NULL || n > b->cap - b->len - 1)
		return;
	b->len += n;
	b->p[b->len] = '\0';
}

void
pgal_buf_add(pgal_buf *b, const void *data, size_t n)
{
	void *at;

	if ((at = pgal_buf_room(b, n)) == NULL)
		return;
	if (n > 0)
		memcpy(at, data, n);
	pgal_buf_used(b, n);
}

void
pgal_buf_adds(pgal_buf *b, const char *s)
{
	if (s == NULL)
		b->failed = 1;
	else
		pgal_buf_add(b, s, strlen(s));
}

void
pgal_buf_addc(pgal_buf *b, char c)
{
	pgal_buf_add(b, &c, 1);
}

static void
u32be(unsigned char out[4], uint32_t v)
{
	out[0] = (unsigned char)(v >> 24);
	out[1] = (unsigned char)(v >> 16);
	out[2] = (unsigned char)(v >> 8);
	out[3] = (unsigned char)v;
}

void
pgal_buf_add_u32be(pgal_buf *b, uint32_t v)
{
	unsigned char be[4];

	u32be(be, v);
	pgal_buf_add(b, be, sizeof be);
}

void
pgal_buf_add_u64be(pgal_buf *b, uint64_t v)
{
	pgal_buf_add_u32be(b, (uint32_t)(v >> 32));
	pgal_buf_add_u32be(b, (uint32_t)v);
}

void
pgal_buf_add_sshstr(pgal_buf *b, const void *p, size_t n)
{
	if (n > UINT32_MAX) {
		b->failed = 1;
		return;
	}
	pgal_buf_add_u32be(b, (uint32_t)n);
	pgal_buf_add(b, p, n);
}

void
pgal_buf_set_u32be(pgal_buf *b, size_t at, uint32_t v)
{
	if (b->failed || at > b->len || b->len - at < 4) {
		b->failed = 1;
		return;
	}
	u32be((unsigned char *)b->p + at, v);
}

void
pgal_buf_addf(pgal_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*at;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((at = pgal_buf_room(b, (size_t)n)) == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(at, (size_t)n + 1, fmt, ap);
	va_end(ap);
	pgal_buf_used(b, (size_t)n);
}

void
pgal_buf_clear(pgal_buf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

char *
pgal_buf_take(pgal_buf *b)
{
	char *p;

	if (b->failed) {
		pgal_buf_free(b);
		return NULL;
	}
	if (b->p == NULL)
		return strdup("");
	p = b->p;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void
pgal_buf_free(pgal_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}
