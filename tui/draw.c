/* Text into cells. Every string goes through the core sanitizer here, at
 * display time, even though the core stores clean text: a bug or an old
 * row must never put a control sequence on someone's terminal. Widths are
 * wcwidth columns, so wide scripts and emoji clip correctly. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "app.h"
#include "sanitize.h"

#define TEXT_MAX 4096

/* Sanitized s as wide characters fitting maxw columns, ending in an
 * ellipsis when it had to be cut; returns columns. */
static int
to_cells(const char *s, int maxw, wchar_t *out, size_t outn, size_t *nout)
{
	char clean[TEXT_MAX];
	mbstate_t st;
	const char *p;
	size_t len, r, n = 0;
	wchar_t wc;
	int w = 0, cw;

	*nout = 0;
	if (s == NULL || maxw <= 0)
		return 0;
	len = pgal_sanitize(clean, sizeof clean, s, 0);
	memset(&st, 0, sizeof st);
	for (p = clean; len > 0 && n + 1 < outn;) {
		r = mbrtowc(&wc, p, len, &st);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0)
			break; /* cannot happen after sanitize: stop, never guess */
		cw = wcwidth(wc);
		if (cw < 0)
			cw = 0, wc = L'?';
		if (w + cw > maxw) {
			/* cut: the last column shows that there is more */
			while (n > 0 && w + 1 > maxw)
				w -= wcwidth(out[--n]);
			if (w + 1 <= maxw) {
				out[n++] = L'\u2026';
				w++;
			}
			break;
		}
		out[n++] = wc;
		w += cw;
		p += r;
		len -= r;
	}
	out[n] = L'\0';
	*nout = n;
	return w;
}

/* s in at most maxw cells from column x, flush left or flush right */
static int
text_at(int y, int x, int maxw, const char *s, int style, int right)
{
	wchar_t buf[TEXT_MAX];
	size_t n;
	int w;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return 0;
	if (x + maxw > COLS)
		maxw = COLS - x;
	w = to_cells(s, maxw, buf, TEXT_MAX, &n);
	if (n > 0) {
		attrset(tui_style(style));
		mvaddnwstr(y, right ? x + maxw - w : x, buf, (int)n);
		attrset(A_NORMAL);
	}
	return w;
}

int
tui_text(int y, int x, int maxw, const char *s, int style)
{
	return text_at(y, x, maxw, s, style, 0);
}

int
tui_text_right(int y, int x, int maxw, const char *s, int style)
{
	return text_at(y, x, maxw, s, style, 1);
}

void
tui_fill(int y, int x, int w, int style)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS || w <= 0)
		return;
	if (x + w > COLS)
		w = COLS - x;
	attrset(tui_style(style));
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

void
tui_frame(int y, int x, int h, int w, const char *title)
{
	int i;

	if (h < 2 || w < 2)
		return;
	attrset(tui_style(TS_FRAME));
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attrset(A_NORMAL);
	for (i = 1; i < h - 1; i++)
		tui_fill(y + i, x + 1, w - 2, TS_NORMAL);
	if (title != NULL && title[0] != '\0') {
		tui_fill(y, x + 2, 1, TS_FRAME);
		i = tui_text(y, x + 3, w - 6, title, TS_HEAD);
		tui_fill(y, x + 3 + i, 1, TS_FRAME);
	}
}

int
tui_wrap(int y, int x, int w, int maxlines, const char *s, int style)
{
	char clean[TEXT_MAX], line[TEXT_MAX];
	const char *p, *brk;
	mbstate_t st;
	wchar_t wc;
	size_t r, len;
	int lines = 0, cw, lw;

	if (s == NULL || w <= 0)
		return 0;
	pgal_sanitize(clean, sizeof clean, s, 1);
	p = clean;
	while (*p != '\0' && lines < maxlines) {
		const char *q = p;

		memset(&st, 0, sizeof st);
		lw = 0;
		brk = NULL;
		while (*q != '\0' && *q != '\n') {
			r = mbrtowc(&wc, q, strlen(q), &st);
			if (r == (size_t)-1 || r == (size_t)-2 || r == 0)
				break;
			cw = wcwidth(wc);
			if (cw < 0)
				cw = 0;
			if (lw + cw > w)
				break;
			if (wc == L' ')
				brk = q;
			lw += cw;
			q += r;
		}
		if (*q != '\0' && *q != '\n' && brk != NULL && brk > p)
			q = brk; /* break at the last space */
		len = (size_t)(q - p);
		if (len >= sizeof line)
			len = sizeof line - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		tui_text(y + lines, x, w, line, style);
		lines++;
		if (q == p)
			q += (*q != '\0'); /* a character wider than w: skip it */
		p = q;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	return lines;
}
