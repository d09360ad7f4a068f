/* The bounded reader: every format that comes from outside (SFTP packets,
 * scp headers, SSH key blobs, image headers, the decoder's answer) is read
 * through it, like OpenSSH reads through sshbuf. A reader is a cursor over
 * bytes in memory, or over a descriptor refilled into a buffer the caller
 * owns; either way it never reads past its end and never reads from the
 * descriptor more than it holds.
 *
 * A field is taken whole or not at all: a get that cannot be satisfied
 * (too few bytes, the stream ended, a line too long) returns -1, leaves
 * zeros in its output and marks the reader failed. The failure sticks, so
 * a run of gets can be checked once at its end. */
#ifndef PGAL_READER_H
#define PGAL_READER_H

#include <stddef.h>
#include <stdint.h>

typedef struct pgal_reader {
	const unsigned char *p;	/* the bytes in hand: p[off] .. p[len - 1] */
	size_t	 len, off;
	int	 failed;
	int	 fd;		/* a stream: refilled from fd; -1 for memory */
	unsigned char *buf;	/* a stream's buffer (p points into it) */
	size_t	 bufsize;
	int	 eof;		/* no more bytes will come */
} pgal_reader;

/* Over len bytes at p, which must stay as they are while it is read. */
void pgal_reader_init(pgal_reader *r, const void *p, size_t len);
/* Over what fd delivers, through buf (bufsize bytes, the longest field
 * or line that can be read in one piece). */
void pgal_reader_init_fd(pgal_reader *r, int fd, void *buf, size_t bufsize);

/* Bytes not yet read (of a stream: those in hand). */
size_t pgal_reader_left(const pgal_reader *r);
/* Moves to offset off of the bytes (memory readers only). */
int pgal_reader_seek(pgal_reader *r, size_t off);

/* Fixed-width unsigned numbers, big- or little-endian; 0 or -1. */
int pgal_read_u16be(pgal_reader *r, uint16_t *v);
int pgal_read_u16le(pgal_reader *r, uint16_t *v);
int pgal_read_u24le(pgal_reader *r, uint32_t *v);
int pgal_read_u32be(pgal_reader *r, uint32_t *v);
int pgal_read_u32le(pgal_reader *r, uint32_t *v);
/* n bytes copied out. */
int pgal_read_bytes(pgal_reader *r, void *out, size_t n);
/* n bytes passed over. */
int pgal_read_skip(pgal_reader *r, size_t n);
/* n bytes where they are: *p is valid until the next read (of a stream)
 * or as long as the bytes (in memory). */
int pgal_read_view(pgal_reader *r, const unsigned char **p, size_t n);
/* An SSH string (RFC 4251): a u32be length, then that many bytes, in place
 * as with pgal_read_view. */
int pgal_read_string(pgal_reader *r, const unsigned char **s, size_t *len);

/* One byte, 0..255, or -1 at the end (like getc). */
int pgal_read_byte(pgal_reader *r);
/* A line up to max bytes (newline excluded, NUL-terminated in out, which
 * holds max + 1): 1 ok, 0 the end before any byte, -1 too long, a NUL
 * inside, or the end inside the line. */
int pgal_read_line(pgal_reader *r, char *out, size_t max);
/* A line of a text file (a configuration, a profile): as pgal_read_line,
 * but the last line needs no newline and a CR before the newline is
 * dropped; 1 a line, 0 the end, -1 a line over max bytes (or a read
 * error), -2 a NUL inside. */
int pgal_read_text_line(pgal_reader *r, char *out, size_t max);
/* Exactly n bytes passed on to out_fd (-1: dropped), however long: 0 ok;
 * -1 the end came first (*short_read set); -2 writing failed (the bytes
 * are still read, so the stream stays in step). */
int pgal_read_copy(pgal_reader *r, uint64_t n, int out_fd, int *short_read);

#endif
