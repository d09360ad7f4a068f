/* The bounded reader (see reader.h). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "reader.h"

void
reader_init(struct reader *r, int fd)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
}

static int
fill(struct reader *r)
{
	ssize_t n;

	if (r->eof)
		return -1;
	do
		n = read(r->fd, r->buf, sizeof r->buf);
	while (n == -1 && errno == EINTR);
	if (n <= 0) {
		r->eof = 1;
		return -1;
	}
	r->pos = 0;
	r->len = (size_t)n;
	return 0;
}

int
reader_byte(struct reader *r)
{
	if (r->pos == r->len && fill(r) == -1)
		return -1;
	return r->buf[r->pos++];
}

int
reader_line(struct reader *r, char *out, size_t max)
{
	size_t n = 0;
	int ch;

	for (;;) {
		if ((ch = reader_byte(r)) == -1)
			return n == 0 ? 0 : -1;
		if (ch == '\n')
			break;
		if (ch == '\0' || n == max)
			return -1;
		out[n++] = (char)ch;
	}
	out[n] = '\0';
	return 1;
}

int
reader_copy(struct reader *r, uint64_t n, int out_fd, int *short_read)
{
	size_t chunk;
	int failed = 0;

	*short_read = 0;
	while (n > 0) {
		if (r->pos == r->len && fill(r) == -1) {
			*short_read = 1;
			return -1;
		}
		chunk = r->len - r->pos;
		if (chunk > n)
			chunk = (size_t)n;
		/* after a write error keep reading so the stream stays in step */
		if (!failed && out_fd != -1 &&
		    pgal_fs_write_all(out_fd, r->buf + r->pos, chunk) != 0)
			failed = 1;
		r->pos += chunk;
		n -= chunk;
	}
	return failed ? -2 : 0;
}
