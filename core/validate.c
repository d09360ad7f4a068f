/* Syntax of the names users choose. Strict on purpose: these strings end up
 * in file listings, SQL rows, mail headers and terminals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "validate.h"

/* room left for "-NNNNNN" when a name needs a variant */
#define NAME_FROM_FILE_MAX (PGAL_PHOTO_NAME_MAX - 8)
/* an extension longer than this is part of the name, not a type */
#define EXT_MAX 16
/* a raw tag longer than this cannot sanitize down to PGAL_TAG_MAX */
#define TAG_RAW_MAX (PGAL_TAG_MAX * 8)
/* a tag list longer than this is refused before any work */
#define TAGS_RAW_MAX (PGAL_TAGS_MAX * 16)

static int
is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(int c)
{
	return is_lower(c) || is_digit(c) || (c >= 'A' && c <= 'Z');
}

int
pgal_valid_username(const char *s, pgal_err *e)
{
	size_t i;

	if (s == NULL || !is_lower((unsigned char)s[0]))
		goto bad;
	for (i = 1; s[i] != '\0'; i++) {
		int c = (unsigned char)s[i];

		if (i >= PGAL_USER_MAX)
			goto bad;
		if (!is_lower(c) && !is_digit(c) && c != '_' && c != '-')
			goto bad;
	}
	if (i < 2)
		goto bad;
	return PGAL_OK;
bad:
	return pgal_fail(e, PGAL_EINPUT, "user name must be 2 to %d characters: "
	    "a lower case letter, then a-z, 0-9, '_' or '-'", PGAL_USER_MAX);
}

/* RFC 5322 atext: the characters of a dot-atom, without the dot */
static int
is_atext(int c)
{
	return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

int
pgal_valid_email(const char *s, pgal_err *e)
{
	const char *at, *p, *label;
	size_t len, labels = 0;

	if (s == NULL)
		goto bad;
	len = strlen(s);
	if (len > PGAL_EMAIL_MAX || (at = strchr(s, '@')) == NULL ||
	    strchr(at + 1, '@') != NULL)
		goto bad;
	/*
	 * Local part: a dot-atom (atext separated by single dots), at most 64
	 * bytes. No quotes, spaces, angle brackets, commas or controls: the
	 * address goes into a To: header verbatim.
	 */
	if (at == s || at - s > 64 || s[0] == '.' || at[-1] == '.')
		goto bad;
	for (p = s; p < at; p++) {
		if (*p == '.' && p[1] == '.')
			goto bad;
		if (*p != '.' && !is_atext((unsigned char)*p))
			goto bad;
	}
	/* domain: at least two labels of [A-Za-z0-9-], 1..63, no edge '-' */
	label = at + 1;
	for (p = label;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || p - label > 63 || label[0] == '-' ||
			    p[-1] == '-')
				goto bad;
			labels++;
			if (*p == '\0')
				break;
			label = p + 1;
		} else if (!is_alnum((unsigned char)*p) && *p != '-')
			goto bad;
	}
	if (labels < 2)
		goto bad;
	return PGAL_OK;
bad:
	return pgal_fail(e, PGAL_EINPUT, "not a valid email address "
	    "(expected name@example.org, at most %d characters)", PGAL_EMAIL_MAX);
}

int
pgal_valid_album_name(const char *s, pgal_err *e)
{
	size_t i;

	if (s == NULL || !is_alnum((unsigned char)s[0]))
		goto bad;
	for (i = 1; s[i] != '\0'; i++) {
		int c = (unsigned char)s[i];

		if (i >= PGAL_ALBUM_MAX)
			goto bad;
		if (!is_alnum(c) && c != '.' && c != '_' && c != ' ' && c != '-')
			goto bad;
	}
	return PGAL_OK;
bad:
	return pgal_fail(e, PGAL_EINPUT, "album name must be 1 to %d characters: "
	    "a letter or digit, then letters, digits, '.', '_', '-' or spaces",
	    PGAL_ALBUM_MAX);
}

static int
valid_text(const char *what, const char *s, size_t max, int newlines, pgal_err *e)
{
	if (s == NULL)
		return pgal_fail(e, PGAL_EINPUT, "%s is missing", what);
	if (strlen(s) > max)
		return pgal_fail(e, PGAL_EINPUT, "%s is too long (at most %zu bytes)",
		    what, max);
	if (!pgal_text_is_clean(s, newlines))
		return pgal_fail(e, PGAL_EINPUT, "%s contains control characters "
		    "or invalid UTF-8", what);
	return PGAL_OK;
}

int
pgal_valid_title(const char *s, pgal_err *e)
{
	return valid_text("title", s, PGAL_TITLE_MAX, 0, e);
}

int
pgal_valid_description(const char *s, pgal_err *e)
{
	return valid_text("description", s, PGAL_DESC_MAX, 1, e);
}

/* Where the extension of a name starts ('.' included), or len for none. A
 * leading dot is not an extension; neither is a long tail. */
static size_t
ext_start(const char *s, size_t len)
{
	const char *dot = NULL, *p;

	for (p = s; p < s + len; p++)
		if (*p == '.')
			dot = p;
	if (dot == NULL || dot == s || (size_t)(s + len - dot) > EXT_MAX)
		return len;
	return dot - s;
}

/* Writes stem[0..stemlen) + mid + ext into out (max bytes), cutting the stem
 * on a character boundary so the extension always survives. */
static void
join_name(char *out, size_t max, const char *s, size_t stemlen,
    const char *mid, const char *ext, size_t extlen)
{
	size_t midlen = strlen(mid), room;

	room = max - midlen - extlen;
	stemlen = pgal_utf8_cut(s, stemlen, room);
	memmove(out, s, stemlen);
	memcpy(out + stemlen, mid, midlen);
	memmove(out + stemlen + midlen, ext, extlen);
	out[stemlen + midlen + extlen] = '\0';
}

void
pgal_photo_name_from_file(const char *filename, char out[PGAL_PHOTO_NAME_MAX + 1])
{
	char buf[4 * PGAL_PHOTO_NAME_MAX], ext[EXT_MAX + 1];
	const char *base, *p;
	size_t len, start, end, e;

	if (filename == NULL)
		filename = "";
	/* base name: after the last '/' or '\\' (names from Windows too) */
	base = filename;
	for (p = filename; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	/* a longer name is cut here, a second time below on the result */
	pgal_sanitize(buf, sizeof buf, base, 0);
	len = strlen(buf);
	/* leading dots and spaces (hidden files, "..") and trailing spaces go */
	for (start = 0; start < len && (buf[start] == '.' || buf[start] == ' '); start++)
		;
	for (end = len; end > start && buf[end - 1] == ' '; end--)
		;
	len = end - start;
	memmove(buf, buf + start, len);
	buf[len] = '\0';
	if (len == 0) {
		strcpy(out, "photo");
		return;
	}
	e = ext_start(buf, len);
	memcpy(ext, buf + e, len - e);
	join_name(out, NAME_FROM_FILE_MAX, buf, e, "", ext, len - e);
	/* cutting a name without extension may leave a trailing space */
	len = strlen(out);
	while (len > 0 && out[len - 1] == ' ')
		out[--len] = '\0';
	if (len == 0)
		strcpy(out, "photo");
}

void
pgal_photo_name_variant(const char *name, int n, char out[PGAL_PHOTO_NAME_MAX + 1])
{
	char mid[16], ext[EXT_MAX + 1];
	size_t len, e;

	len = strlen(name);
	if (len > PGAL_PHOTO_NAME_MAX)
		len = pgal_utf8_cut(name, len, PGAL_PHOTO_NAME_MAX);
	if (n <= 1) {
		memmove(out, name, len);
		out[len] = '\0';
		return;
	}
	snprintf(mid, sizeof mid, "-%d", n);
	e = ext_start(name, len);
	memcpy(ext, name + e, len - e);
	join_name(out, PGAL_PHOTO_NAME_MAX, name, e, mid, ext, len - e);
}

int
pgal_valid_photo_name(const char *s, pgal_err *e)
{
	size_t len;

	if (s == NULL || (len = strlen(s)) == 0)
		return pgal_fail(e, PGAL_EINPUT, "photo name is empty");
	if (len > PGAL_PHOTO_NAME_MAX)
		return pgal_fail(e, PGAL_EINPUT,
		    "photo name is too long (at most %d bytes)", PGAL_PHOTO_NAME_MAX);
	if (strchr(s, '/') != NULL || strchr(s, '\\') != NULL)
		return pgal_fail(e, PGAL_EINPUT, "photo name contains '/' or '\\'");
	if (!pgal_text_is_clean(s, 0))
		return pgal_fail(e, PGAL_EINPUT,
		    "photo name contains control characters or invalid UTF-8");
	/* covers "." and ".." too */
	if (s[0] == '.' || s[0] == ' ' || s[len - 1] == ' ')
		return pgal_fail(e, PGAL_EINPUT,
		    "photo name must not start with '.' or a space, nor end with a space");
	return PGAL_OK;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The most distinct tags that can fit: one byte each plus a comma. */
#define TAGS_COUNT_MAX ((PGAL_TAGS_MAX + 1) / 2)

int
pgal_tags_normalize(const char *in, char out[PGAL_TAGS_MAX + 1], pgal_err *e)
{
	char	 tags[TAGS_COUNT_MAX][PGAL_TAG_MAX + 1];
	char	*sorted[TAGS_COUNT_MAX];
	char	 clean[TAG_RAW_MAX + 1];
	const char *p, *q;
	size_t	 ntags = 0, i, j, len, total;

	out[0] = '\0';
	if (in == NULL)
		return PGAL_OK;
	if (strlen(in) > TAGS_RAW_MAX)
		goto too_long;
	for (p = in;; p = q + 1) {
		const char *a, *b;

		q = strchr(p, ',');
		if (q == NULL)
			q = p + strlen(p);
		/* trim, sanitize (controls become spaces), trim again */
		for (a = p; a < q && is_blank((unsigned char)*a); a++)
			;
		for (b = q; b > a && is_blank((unsigned char)b[-1]); b--)
			;
		if ((size_t)(b - a) > TAG_RAW_MAX)
			return pgal_fail(e, PGAL_EINPUT,
			    "tag is too long (at most %d bytes)", PGAL_TAG_MAX);
		pgal_sanitize_n(clean, sizeof clean, a, b - a, 0);
		len = strlen(clean);
		for (i = 0; i < len && clean[i] == ' '; i++)
			;
		while (len > i && clean[len - 1] == ' ')
			len--;
		if (len - i > PGAL_TAG_MAX)
			return pgal_fail(e, PGAL_EINPUT,
			    "tag is too long (at most %d bytes)", PGAL_TAG_MAX);
		if (len > i) {
			char *t;

			if (ntags == TAGS_COUNT_MAX)
				goto too_long;
			t = tags[ntags];
			memcpy(t, clean + i, len - i);
			t[len - i] = '\0';
			/* lower case ASCII only: other scripts stay as typed */
			pgal_ascii_lower(t);
			for (j = 0; j < ntags; j++)
				if (strcmp(tags[j], t) == 0)
					break;
			if (j == ntags)
				ntags++;
		}
		if (*q == '\0')
			break;
	}
	for (i = 0; i < ntags; i++)
		sorted[i] = tags[i];
	qsort(sorted, ntags, sizeof sorted[0], cmp_str);
	total = 0;
	for (i = 0; i < ntags; i++) {
		len = strlen(sorted[i]);
		if (total + (i > 0) + len > PGAL_TAGS_MAX)
			goto too_long;
		if (i > 0)
			out[total++] = ',';
		memcpy(out + total, sorted[i], len);
		total += len;
		out[total] = '\0';
	}
	return PGAL_OK;
too_long:
	out[0] = '\0';
	return pgal_fail(e, PGAL_EINPUT, "too many tags (at most %d bytes in all)",
	    PGAL_TAGS_MAX);
}

int
pgal_tags_next(const char **p, const char *end, const char **tag, size_t *len)
{
	const char *comma;

	while (*p < end) {
		if ((comma = memchr(*p, ',', (size_t)(end - *p))) == NULL)
			comma = end;
		*tag = *p;
		*len = (size_t)(comma - *p);
		*p = comma < end ? comma + 1 : end;
		if (*len > 0)
			return 1;
	}
	return 0;
}

void
pgal_ascii_lower(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}
