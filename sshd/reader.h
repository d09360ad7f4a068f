/* A bounded reader over a file descriptor for the formats parsed by hand
 * (scp headers): it never reads past what it was asked for, lines have a
 * hard limit, and every error is reported instead of guessed around. */
#ifndef PGAL_SSHD_READER_H
#define PGAL_SSHD_READER_H

#include <stddef.h>
#include <stdint.h>

struct reader {
	int fd;
	unsigned char buf[16384];
	size_t pos, len;
	int eof;
};

void reader_init(struct reader *r, int fd);
/* One byte: 0..255, or -1 at EOF or error. */
int reader_byte(struct reader *r);
/* A line up to max bytes (newline excluded, NUL-terminated in out, which
 * holds max + 1). 1 ok, 0 EOF before any byte, -1 too long, NUL inside,
 * or EOF inside the line. */
int reader_line(struct reader *r, char *out, size_t max);
/* Exactly n bytes to the writer (to an fd); 0 ok, -1 EOF/error (*short_read
 * set when the peer ended early), -2 write error. */
int reader_copy(struct reader *r, uint64_t n, int out_fd, int *short_read);

#endif
