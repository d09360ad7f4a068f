/* The bounded reader (see reader.h). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "reader.h"

void
pgal_reader_init(pgal_reader *r, const void *p, size_t len)
{
	memset(r, 0, sizeof *r);
	r->p = p;
	r->len = p != NULL ? len : 0;
	r->fd = -1;
}

void
pgal_reader_init_fd(pgal_reader *r, int fd, void *buf, size_t bufsize)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
	r->buf = buf;
	r->bufsize = buf != NULL ? bufsize : 0;
	r->p = r->buf;
}

static int
fail(pgal_reader *r)
{
	r->failed = 1;
	return -1;
}

/* At least n bytes in hand, a stream refilled behind what is left of them;
 * 0, or -1 with the reader failed. */
static int
need(pgal_reader *r, size_t n)
{
	ssize_t got;

	if (r->failed)
		return -1;
	if (r->len - r->off >= n)
		return 0;
	if (r->fd == -1) {
		r->eof = 1; /* memory holds all there is */
		return fail(r);
	}
	if (n > r->bufsize)
		return fail(r);
	memmove(r->buf, r->buf + r->off, r->len - r->off);
	r->len -= r->off;
	r->off = 0;
	while (r->len < n) {
		if (r->eof)
			return fail(r);
		do
			got = read(r->fd, r->buf + r->len, r->bufsize - r->len);
		while (got == -1 && errno == EINTR);
		if (got <= 0) {
			r->eof = 1;
			return fail(r);
		}
		r->len += (size_t)got;
	}
	return 0;
}

size_t
pgal_reader_left(const pgal_reader *r)
{
	return r->failed ? 0 : r->len - r->off;
}

int
pgal_reader_seek(pgal_reader *r, size_t off)
{
	if (r->failed || r->fd != -1 || off > r->len)
		return fail(r);
	r->off = off;
	return 0;
}

int
pgal_read_view(pgal_reader *r, const unsigned char **p, size_t n)
{
	if (need(r, n) == -1) {
		*p = NULL;
		return -1;
	}
	*p = r->p + r->off;
	r->off += n;
	return 0;
}

int
pgal_read_bytes(pgal_reader *r, void *out, size_t n)
{
	const unsigned char *p;

	if (pgal_read_view(r, &p, n) == -1) {
		memset(out, 0, n);
		return -1;
	}
	memcpy(out, p, n);
	return 0;
}

int
pgal_read_skip(pgal_reader *r, size_t n)
{
	const unsigned char *p;

	/* a stream skips what it holds at a time */
	while (r->fd != -1 && n > r->bufsize) {
		if (pgal_read_view(r, &p, r->bufsize) == -1)
			return -1;
		n -= r->bufsize;
	}
	return pgal_read_view(r, &p, n);
}

/* n bytes (at most 4) as a number, most significant first or last. */
static int
read_uint(pgal_reader *r, size_t n, int big, uint32_t *v)
{
	const unsigned char *p;
	size_t i;

	*v = 0;
	if (pgal_read_view(r, &p, n) == -1)
		return -1;
	for (i = 0; i < n; i++)
		*v = *v << 8 | p[big ? i : n - 1 - i];
	return 0;
}

int
pgal_read_u16be(pgal_reader *r, uint16_t *v)
{
	uint32_t x;
	int rc = read_uint(r, 2, 1, &x);

	*v = (uint16_t)x;
	return rc;
}

int
pgal_read_u16le(pgal_reader *r, uint16_t *v)
{
	uint32_t x;
	int rc = read_uint(r, 2, 0, &x);

	*v = (uint16_t)x;
	return rc;
}

int
pgal_read_u24le(pgal_reader *r, uint32_t *v)
{
	return read_uint(r, 3, 0, v);
}

int
pgal_read_u32be(pgal_reader *r, uint32_t *v)
{
	return read_uint(r, 4, 1, v);
}

int
pgal_read_u32le(pgal_reader *r, uint32_t *v)
{
	return read_uint(r, 4, 0, v);
}

int
pgal_read_string(pgal_reader *r, const unsigned char **s, size_t *len)
{
	uint32_t n;

	*s = NULL;
	*len = 0;
	if (pgal_read_u32be(r, &n) == -1 || pgal_read_view(r, s, n) == -1)
		return -1;
	*len = n;
	return 0;
}

int
pgal_read_byte(pgal_reader *r)
{
	const unsigned char *p;

	return pgal_read_view(r, &p, 1) == -1 ? -1 : p[0];
}

/* One line into out (max bytes at most): 1 a line, 0 the end before any
 * byte, -1 too long or the end inside the line (unless last_ok: then the
 * last line needs no newline), -2 a NUL inside. */
static int
read_line(pgal_reader *r, char *out, size_t max, int last_ok)
{
	size_t n = 0;
	int ch;

	out[0] = '\0';
	if (r->failed)
		return r->eof && r->off == r->len ? 0 : -1;
	for (;;) {
		if ((ch = pgal_read_byte(r)) == -1) {
			if (n > 0 && r->eof && r->off == r->len && last_ok)
				break;
			out[0] = '\0';
			return n == 0 && r->eof ? 0 : -1;
		}
		if (ch == '\n')
			break;
		if (ch == '\0' || n == max) {
			out[0] = '\0';
			fail(r);
			return ch == '\0' ? -2 : -1;
		}
		out[n++] = (char)ch;
	}
	out[n] = '\0';
	return 1;
}

int
pgal_read_line(pgal_reader *r, char *out, size_t max)
{
	int rc = read_line(r, out, max, 0);

	return rc == -2 ? -1 : rc;
}

int
pgal_read_text_line(pgal_reader *r, char *out, size_t max)
{
	int rc = read_line(r, out, max, 1);
	size_t n;

	/* CRLF files are fine */
	if (rc == 1 && (n = strlen(out)) > 0 && out[n - 1] == '\r')
		out[n - 1] = '\0';
	return rc;
}

int
pgal_read_copy(pgal_reader *r, uint64_t n, int out_fd, int *short_read)
{
	size_t chunk;
	int failed = 0;

	*short_read = 0;
	while (n > 0) {
		if (need(r, 1) == -1) {
			*short_read = 1;
			return -1;
		}
		chunk = r->len - r->off;
		if (chunk > n)
			chunk = (size_t)n;
		/* after a write error keep reading so the stream stays in step */
		if (!failed && out_fd != -1 &&
		    pgal_fs_write_all(out_fd, r->p + r->off, chunk) != 0)
			failed = 1;
		r->off += chunk;
		n -= chunk;
	}
	return failed ? -2 : 0;
}
