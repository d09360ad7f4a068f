/* The one sanitizer for text that reaches a terminal or a listing: titles,
 * descriptions, tags, EXIF strings, file names. */
#ifndef PGAL_SANITIZE_H
#define PGAL_SANITIZE_H

#include <stddef.h>
#include <stdint.h>

/* Copies src into dst (size dstsz, always NUL-terminated) keeping valid UTF-8
 * only: drops C0 and C1 control characters (tab and newline become a space,
 * unless keep_newlines, for descriptions), DEL, whole ESC sequences (CSI, OSC,
 * DCS... with their payload), invisible characters (format characters, the
 * line and paragraph separators: sanitize.c's table), invalid or overlong
 * UTF-8, and never cuts a character in half at the end. Returns the length
 * written. */
size_t pgal_sanitize(char *dst, size_t dstsz, const char *src, int keep_newlines);

/* Same, for a buffer that is not NUL-terminated. */
size_t pgal_sanitize_n(char *dst, size_t dstsz, const char *src, size_t srclen, int keep_newlines);

/* 1 if s is valid UTF-8 with no control characters (what pgal_sanitize would keep unchanged). */
int pgal_text_is_clean(const char *s, int allow_newlines);

/* The length of the longest prefix of s (len bytes of valid UTF-8) that is
 * at most max bytes and does not end inside a character: where text is
 * cut to fit a field. Reads no byte past s[max], so a buffer a client
 * library filled with the first max + 1 bytes of a longer value can be cut
 * in place. In invalid UTF-8 a run of stray continuation bytes at the cut
 * goes with the character before it. */
size_t pgal_utf8_cut(const char *s, size_t len, size_t max);

/* Copies src[0..srclen), up to a NUL in it, into dst (dstsz bytes with the
 * NUL; nothing is written when dstsz is 0), cut with pgal_utf8_cut to fit:
 * text read from a store, a form or a reply kept in a fixed field. src may
 * be NULL (empty). Returns the length copied, strlen(dst). */
size_t pgal_utf8_copy(char *dst, size_t dstsz, const char *src, size_t srclen);

/* Decodes the strict UTF-8 character at s (len bytes available): its
 * length, with *cp set; 0 for an invalid or cut sequence. */
size_t pgal_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Display width in terminal columns (wcwidth), for UTF-8 text already sanitized. */
int pgal_text_width(const char *s);

#endif
