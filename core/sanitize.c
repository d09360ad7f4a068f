/* The one sanitizer: every string from users, files or EXIF passes here
 * before it reaches a terminal. A small state machine over bytes: strict
 * UTF-8 decoding, escape sequences dropped whole, controls and invisible
 * characters dropped. */
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "sanitize.h"

#define ESC 0x1b
#define BEL 0x07
#define CAN 0x18
#define SUB 0x1a

/* What the byte (or C1 character) at the cursor starts. */
enum seq {
	SEQ_NONE,
	SEQ_CSI,	/* ESC [ or C1 0x9b: params, intermediates, final 0x40-0x7e */
	SEQ_OSC,	/* ESC ] or C1 0x9d: payload to BEL or ST */
	SEQ_STR,	/* ESC P/X/^/_ or C1 0x90/0x98/0x9e/0x9f: payload to ST */
};

struct scan {
	const unsigned char *p;
	const unsigned char *end;
};

/*
 * Decodes one strict UTF-8 character at s->p. Returns its length and sets
 * *cp, or 0 for an invalid lead byte or sequence (overlong, surrogate,
 * above U+10FFFF, truncated); the caller then drops one byte and resyncs.
 */
static size_t
utf8_decode(const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
	size_t	 avail = end - p, n, i;
	uint32_t c;
	unsigned char lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
		if (p[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return 0;	/* continuation byte, C0/C1 overlong, F5-FF */
	if (avail < n)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	c = (c << 6) | (p[1] & 0x3f);
	for (i = 2; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	*cp = c;
	return n;
}

/*
 * Characters that draw nothing yet change what a reader sees: every format
 * character (Unicode category Cf: zero-width spaces and joiners, bidi marks,
 * embeddings, overrides and isolates that reorder what follows, the soft
 * hyphen, the byte order mark, the tag characters), the line and paragraph
 * separators (Zl, Zp) and U+034F COMBINING GRAPHEME JOINER. A name that
 * looks like another, or text that hides some of itself, comes from these.
 * Unicode 14.0 (Python's unicodedata checks it, tests/unit/test-sanitize.c);
 * the whole tag block, its unassigned U+E0000 too. Sorted, not overlapping.
 */
static const struct cp_range {
	uint32_t lo, hi;
} invisible[] = {
	{ 0x00ad, 0x00ad },	/* soft hyphen */
	{ 0x034f, 0x034f },	/* combining grapheme joiner */
	{ 0x0600, 0x0605 },	/* arabic number sign .. arabic number mark above */
	{ 0x061c, 0x061c },	/* arabic letter mark */
	{ 0x06dd, 0x06dd },	/* arabic end of ayah */
	{ 0x070f, 0x070f },	/* syriac abbreviation mark */
	{ 0x0890, 0x0891 },	/* arabic pound mark above .. arabic piastre mark above */
	{ 0x08e2, 0x08e2 },	/* arabic disputed end of ayah */
	{ 0x180e, 0x180e },	/* mongolian vowel separator */
	{ 0x200b, 0x200f },	/* zero width space .. right-to-left mark */
	{ 0x2028, 0x202e },	/* line separator .. right-to-left override */
	{ 0x2060, 0x2064 },	/* word joiner .. invisible plus */
	{ 0x2066, 0x206f },	/* left-to-right isolate .. nominal digit shapes */
	{ 0xfeff, 0xfeff },	/* zero width no-break space */
	{ 0xfff9, 0xfffb },	/* interlinear annotation anchor .. interlinear annotation terminator */
	{ 0x110bd, 0x110bd },	/* kaithi number sign */
	{ 0x110cd, 0x110cd },	/* kaithi number sign above */
	{ 0x13430, 0x13438 },	/* egyptian hieroglyph vertical joiner .. egyptian hieroglyph end segment */
	{ 0x1bca0, 0x1bca3 },	/* shorthand format letter overlap .. shorthand format up step */
	{ 0x1d173, 0x1d17a },	/* musical symbol begin beam .. musical symbol end phrase */
	{ 0xe0000, 0xe007f },	/* the tag block: language tag, tag space .. cancel tag */
};

static int
is_invisible(uint32_t cp)
{
	size_t lo = 0, hi = sizeof invisible / sizeof invisible[0], mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp < invisible[mid].lo)
			hi = mid;
		else if (cp > invisible[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* Which sequence a C1 control character starts. */
static enum seq
c1_seq(uint32_t c)
{
	switch (c) {
	case 0x9b:
		return SEQ_CSI;
	case 0x9d:
		return SEQ_OSC;
	case 0x90:
	case 0x98:
	case 0x9e:
	case 0x9f:
		return SEQ_STR;
	}
	return SEQ_NONE;
}

/* Skips a CSI body: parameter and intermediate bytes up to a final byte.
 * Anything else (a control, ESC, a non-ASCII byte) ends it unfinished and is
 * left to the main loop, as a terminal would. */
static void
skip_csi(struct scan *s)
{
	while (s->p < s->end) {
		unsigned char c = *s->p;

		if (c >= 0x40 && c <= 0x7e) {
			s->p++;
			return;
		}
		if (c < 0x20 || c > 0x3f)
			return;
		s->p++;
	}
}

/* Skips a string payload (OSC, DCS, SOS, PM, APC) through its terminator:
 * ST as ESC \ or as the character U+009C (not a raw 0x9c: that is also a
 * continuation byte of UTF-8 text in the payload), BEL for OSC only. CAN and
 * SUB cancel it; an ESC not followed by \ ends it and starts a new sequence. */
static void
skip_string(struct scan *s, int bel_ends)
{
	while (s->p < s->end) {
		unsigned char c = *s->p;

		if (c == ESC) {
			if (s->p + 1 < s->end && s->p[1] == '\\')
				s->p += 2;
			return;
		}
		if (c == CAN || c == SUB) {
			s->p++;
			return;
		}
		if (c == BEL && bel_ends) {
			s->p++;
			return;
		}
		if (c == 0xc2 && s->p + 1 < s->end && s->p[1] == 0x9c) {
			s->p += 2;
			return;
		}
		s->p++;
	}
}

static void
skip_seq(struct scan *s, enum seq kind)
{
	switch (kind) {
	case SEQ_CSI:
		skip_csi(s);
		break;
	case SEQ_OSC:
		skip_string(s, 1);
		break;
	case SEQ_STR:
		skip_string(s, 0);
		break;
	case SEQ_NONE:
		break;
	}
}

/* Skips ESC and the sequence it starts; s->p is on the ESC. */
static void
skip_escape(struct scan *s)
{
	unsigned char c;

	s->p++;
	if (s->p >= s->end)
		return;
	c = *s->p;
	switch (c) {
	case '[':
		s->p++;
		skip_csi(s);
		return;
	case ']':
		s->p++;
		skip_string(s, 1);
		return;
	case 'P':
	case 'X':
	case '^':
	case '_':
		s->p++;
		skip_string(s, 0);
		return;
	}
	/* nF: intermediates 0x20-0x2f then a final byte; or a two-byte ESC x */
	while (s->p < s->end && *s->p >= 0x20 && *s->p <= 0x2f)
		s->p++;
	if (s->p < s->end && *s->p >= 0x30 && *s->p <= 0x7e)
		s->p++;
	/* anything else: the lone ESC is dropped, the byte is read normally */
}

/*
 * The scanner shared by pgal_sanitize_n and pgal_text_is_clean. Writes to
 * dst if not NULL; sets *changed (if not NULL) when the output would differ
 * from the input.
 */
static size_t
sanitize(char *dst, size_t dstsz, const char *src, size_t srclen,
    int keep_newlines, int *changed)
{
	struct scan	 s;
	size_t		 len = 0, n;
	uint32_t	 cp;
	const char	*out;
	size_t		 outlen;

	if (dst != NULL && dstsz == 0)
		return 0;
	s.p = (const unsigned char *)src;
	s.end = s.p + srclen;
	while (s.p < s.end) {
		unsigned char c = *s.p;

		out = NULL;
		outlen = 0;
		if (c == ESC) {
			skip_escape(&s);
			goto dropped;
		}
		if (c == '\r' || c == '\n' || c == '\t') {
			s.p++;
			if (keep_newlines && c == '\n')
				out = "\n";
			else if (keep_newlines && c == '\r')
				goto dropped;	/* a CRLF keeps its LF */
			else {
				/* CRLF is one line break, hence one space */
				if (c == '\r' && s.p < s.end && *s.p == '\n')
					s.p++;
				out = " ";
				if (changed != NULL)
					*changed = 1;
			}
			outlen = 1;
		} else if (c < 0x20 || c == 0x7f) {
			s.p++;
			goto dropped;
		} else if ((n = utf8_decode(s.p, s.end, &cp)) == 0) {
			/* invalid: drop one byte and resync. A raw C1 byte
			 * (0x9b...) goes alone: a UTF-8 terminal does not act
			 * on it, and legacy 8-bit text (cp1252) is full of them */
			s.p++;
			goto dropped;
		} else if (cp >= 0x80 && cp <= 0x9f) {
			s.p += n;
			skip_seq(&s, c1_seq(cp));
			goto dropped;
		} else if (is_invisible(cp)) {
			s.p += n;
			goto dropped;
		} else {
			out = (const char *)s.p;
			outlen = n;
			s.p += n;
		}

		if (dst != NULL) {
			/* never cut a character: stop when it does not fit */
			if (outlen > dstsz - 1 - len)
				break;
			memcpy(dst + len, out, outlen);
		}
		len += outlen;
		continue;
dropped:
		if (changed != NULL)
			*changed = 1;
	}
	if (dst != NULL)
		dst[len] = '\0';
	return len;
}

size_t
pgal_sanitize_n(char *dst, size_t dstsz, const char *src, size_t srclen,
    int keep_newlines)
{
	if (dstsz == 0)
		return 0;
	if (src == NULL) {
		dst[0] = '\0';
		return 0;
	}
	return sanitize(dst, dstsz, src, srclen, keep_newlines, NULL);
}

size_t
pgal_sanitize(char *dst, size_t dstsz, const char *src, int keep_newlines)
{
	return pgal_sanitize_n(dst, dstsz, src, src != NULL ? strlen(src) : 0,
	    keep_newlines);
}

int
pgal_text_is_clean(const char *s, int allow_newlines)
{
	int changed = 0;

	if (s == NULL)
		return 0;
	sanitize(NULL, 0, s, strlen(s), allow_newlines, &changed);
	return !changed;
}

int
pgal_text_width(const char *s)
{
	const unsigned char *p, *end;
	uint32_t	 cp;
	size_t		 n;
	int		 w, total = 0;

	if (s == NULL)
		return 0;
	p = (const unsigned char *)s;
	end = p + strlen(s);
	while (p < end) {
		if ((n = utf8_decode(p, end, &cp)) == 0) {
			p++;
			continue;
		}
		p += n;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			continue;
		/* glibc's wchar_t is UCS-4; outside a UTF-8 locale wcwidth
		 * says -1 for non-ASCII, and a terminal shows one cell */
		w = wcwidth((wchar_t)cp);
		total += w < 0 ? 1 : w;
	}
	return total;
}

size_t
pgal_utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	/* back over continuation bytes to the start of the cut character */
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

size_t
pgal_utf8_copy(char *dst, size_t dstsz, const char *src, size_t srclen)
{
	size_t n;

	if (dstsz == 0)
		return 0;
	n = src != NULL ? strnlen(src, srclen) : 0;
	n = pgal_utf8_cut(src, n, dstsz - 1);
	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
	return n;
}

size_t
pgal_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;

	return len == 0 ? 0 : utf8_decode(p, p + len, cp);
}
