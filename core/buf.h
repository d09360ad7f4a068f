/* The growing buffer: text or bytes appended at the end, for messages,
 * requests, URLs and wire formats pgal writes. It stays NUL-terminated, so
 * text in it is a C string. A failure (out of memory, or a caller marking
 * it) is remembered and makes every later add a no-op, so a caller adds
 * freely and checks `failed` once at the end. Zero-initialized is empty. */
#ifndef PGAL_BUF_H
#define PGAL_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct pgal_buf {
	char	*p;	/* NULL until the first add */
	size_t	 len, cap;
	int	 failed;
} pgal_buf;

void pgal_buf_add(pgal_buf *b, const void *data, size_t n);
/* A NULL s (what a failed formatter returns) fails the buffer. */
void pgal_buf_adds(pgal_buf *b, const char *s);
void pgal_buf_addc(pgal_buf *b, char c);
void pgal_buf_addf(pgal_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The SSH wire format (RFC 4251), as the SFTP server and the host key's
 * OpenSSH file write it: a big-endian u32; a string, its length as such a
 * u32 and then its n bytes; and a u32 written over 4 bytes already in the
 * buffer at offset at (a length known once the body is in), failing the
 * buffer if they are not there. */
void pgal_buf_add_u32be(pgal_buf *b, uint32_t v);
void pgal_buf_add_u64be(pgal_buf *b, uint64_t v);
void pgal_buf_add_sshstr(pgal_buf *b, const void *p, size_t n);
void pgal_buf_set_u32be(pgal_buf *b, size_t at, uint32_t v);

/* Room for n more bytes at p + len, to fill in place (a read(2)), then
 * pgal_buf_used with what was filled. NULL once the buffer has failed. */
void *pgal_buf_room(pgal_buf *b, size_t n);
void pgal_buf_used(pgal_buf *b, size_t n);

/* Empties it, keeping its memory for the next use. */
void pgal_buf_clear(pgal_buf *b);
/* The contents (malloc'd, caller frees; "" when nothing was added), or NULL
 * when the buffer failed. The buffer is empty afterwards either way. */
char *pgal_buf_take(pgal_buf *b);
void pgal_buf_free(pgal_buf *b);

#endif
