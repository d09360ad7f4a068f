/* A preview's cells as ncurses rows and as terminal bytes. ncurses
 * writes every changed cell of a photo with a fresh foreground and
 * background (a terminfo string interpreted per colour) through a buffer
 * of one screenful: at 200x60 in true colour that is 20 000 parameter
 * expansions and some 30 writes per frame. The bytes here are made once
 * per rendered preview, each row on its own (it starts and ends in the
 * default colours), and go out in one write; curscr is then told what the
 * terminal shows, so ncurses' idea of the screen stays exact. */
#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>
#include <wchar.h>

#include "buf.h"
#include "preview-blit.h"

struct tui_blit {
	unsigned epoch; /* of the pair numbers in cc */
	int have_cc;
	cchar_t *cc;    /* w*h cells as stdscr takes them */
	int bytes_ok;   /* 0: the terminal cannot be written to directly */
	char *bytes;    /* row r is bytes[off[r]] .. bytes[off[r + 1]] */
	size_t *off;
};

/* a terminfo string capability, or NULL when the terminal has none */
static const char *
cap(const char *name)
{
	char *s = tigetstr(name);

	return s == NULL || s == (char *)-1 ? NULL : s;
}

void
tui_blit_free(tui_cells *c)
{
	struct tui_blit *b = c->blit;

	if (b == NULL)
		return;
	free(b->cc);
	free(b->bytes);
	free(b->off);
	free(b);
	c->blit = NULL;
}

/* The cells as ncurses cells with this epoch's pairs. A recycling of the
 * pairs while they are looked up voids the ones taken before it: start
 * again, once (a preview needs far fewer pairs than a fresh table has). */
static int
make_cc(tui *t, const tui_cells *c, struct tui_blit *b)
{
	wchar_t ws[2];
	size_t i, n = (size_t)c->w * (size_t)c->h;
	int pair, tries;

	if (b->cc == NULL && (b->cc = calloc(n, sizeof *b->cc)) == NULL)
		return -1;
	ws[1] = L'\0';
	for (tries = 0; tries < 2; tries++) {
		b->epoch = tui_pair_epoch();
		for (i = 0; i < n; i++) {
			ws[0] = (wchar_t)c->ch[i];
			pair = tui_cell_pair(t, c->fg[i], c->bg[i]);
			/* ncurses 6: opts carries the extended pair number */
			setcchar(&b->cc[i], ws, A_NORMAL, 0, &pair);
		}
		if (b->epoch == tui_pair_epoch())
			break;
	}
	b->epoch = tui_pair_epoch();
	b->have_cc = 1;
	return 0;
}

/* the parameters of an SGR sequence (ESC [ digits : ; m), or NULL */
static const char *
sgr_params(const char *s, size_t *n)
{
	size_t len;

	if (s == NULL || s[0] != '\033' || s[1] != '[')
		return NULL;
	len = strlen(s);
	if (len < 4 || s[len - 1] != 'm' || strspn(s + 2, "0123456789:;") != len - 3)
		return NULL;
	*n = len - 3;
	return s + 2;
}

/* Sets the foreground (fg >= 0), the background (bg >= 0) or both; both
 * in one sequence when the terminal's strings are plain SGRs, which take
 * any number of parameters. */
static void
sgr_colours(pgal_buf *o, const char *setaf, const char *setab, int32_t fg, int32_t bg)
{
	char af[64], *ab;
	const char *pa, *pb;
	size_t na, nb;

	if ((fg >= 0 && setaf == NULL) || (bg >= 0 && setab == NULL)) {
		o->failed = 1;
		return;
	}
	if (fg < 0 || bg < 0) {
		pgal_buf_adds(o, fg >= 0 ? tiparm(setaf, (int)fg) : tiparm(setab, (int)bg));
		return;
	}
	/* tiparm's result lives until its next call */
	snprintf(af, sizeof af, "%s", tiparm(setaf, (int)fg));
	ab = tiparm(setab, (int)bg);
	pa = sgr_params(af, &na);
	pb = sgr_params(ab, &nb);
	if (pa == NULL || pb == NULL || strlen(af) >= sizeof af - 1) {
		pgal_buf_adds(o, tiparm(setaf, (int)fg));
		pgal_buf_adds(o, tiparm(setab, (int)bg));
		return;
	}
	pgal_buf_add(o, "\033[", 2);
	pgal_buf_add(o, pa, na);
	pgal_buf_add(o, ";", 1);
	pgal_buf_add(o, pb, nb);
	pgal_buf_add(o, "m", 1);
}

/* The rows as terminal output: each starts in the default colours, sets
 * a colour only where it changes and ends back in the defaults. */
static void
make_bytes(const tui_cells *c, struct tui_blit *b)
{
	const char *setaf = cap("setaf"), *setab = cap("setab"), *op = cap("op");
	pgal_buf o = { 0 };
	mbstate_t mbs;
	char mb[MB_LEN_MAX];
	int32_t cf, cb;
	size_t i, n;
	int r, x;

	b->bytes_ok = 0;
	if ((b->off = calloc((size_t)c->h + 1, sizeof *b->off)) == NULL)
		return;
	for (r = 0, i = 0; r < c->h && !o.failed; r++) {
		b->off[r] = o.len;
		cf = cb = -1;
		for (x = 0; x < c->w; x++, i++) {
			if ((c->fg[i] < 0 && cf >= 0) || (c->bg[i] < 0 && cb >= 0)) {
				pgal_buf_adds(&o, op);
				cf = cb = -1;
			}
			if (c->fg[i] != cf || c->bg[i] != cb)
				sgr_colours(&o, setaf, setab, c->fg[i] != cf ? c->fg[i] : -1,
				    c->bg[i] != cb ? c->bg[i] : -1);
			cf = c->fg[i];
			cb = c->bg[i];
			memset(&mbs, 0, sizeof mbs);
			n = wcrtomb(mb, (wchar_t)c->ch[i], &mbs);
			if (n == (size_t)-1 || n == 0)
				o.failed = 1; /* the locale cannot say it: ncurses draws it */
			else
				pgal_buf_add(&o, mb, n);
		}
		if (cf >= 0 || cb >= 0)
			pgal_buf_adds(&o, op);
	}
	b->off[c->h] = o.len;
	if (o.failed) {
		pgal_buf_free(&o);
		return;
	}
	b->bytes = o.p;
	b->bytes_ok = 1;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
		} else if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue; /* as ncurses does with its own output */
		else
			return -1;
	}
	return 0;
}

/* Writes the rows the terminal does not show yet (as curscr says) in one
 * write, between saving and restoring the cursor, then enters them in
 * curscr. Returns without writing when it cannot be done exactly. */
static void
blit(tui *t, const tui_cells *c, struct tui_blit *b, int y, int x)
{
	const char *cup = cap("cup"), *sc = cap("sc"), *rc = cap("rc");
	pgal_buf o = { 0 };
	cchar_t *want = NULL, *have = NULL;
	unsigned char *dirty = NULL;
	int r, rows = c->h, cy, cx, any = 0;

	if (t->out == NULL || fileno(t->out) < 0 || cup == NULL || sc == NULL || rc == NULL)
		return;
	/* a full repaint is coming: ncurses draws everything anyway */
	if (is_cleared(curscr) || is_cleared(stdscr))
		return;
	if (y < 0 || x < 0 || y + c->h > LINES || x + c->w > COLS)
		return;
	/* the last cell of the screen scrolls a terminal that wraps at
	 * once; ncurses knows how to fill it */
	if (y + c->h == LINES && x + c->w == COLS && tigetflag("am") == 1 &&
	    tigetflag("xenl") != 1)
		rows--;
	want = malloc(((size_t)c->w + 1) * sizeof *want);
	have = malloc(((size_t)c->w + 1) * sizeof *have);
	dirty = calloc((size_t)c->h + 1, 1);
	if (want == NULL || have == NULL || dirty == NULL)
		goto out;
	getyx(curscr, cy, cx);
	pgal_buf_adds(&o, sc);
	for (r = 0; r < rows; r++) {
		mvwin_wchnstr(stdscr, y + r, x, want, c->w);
		mvwin_wchnstr(curscr, y + r, x, have, c->w);
		if (memcmp(want, have, (size_t)c->w * sizeof *want) == 0)
			continue;
		dirty[r] = 1;
		any = 1;
		pgal_buf_adds(&o, tiparm(cup, y + r, x));
		pgal_buf_add(&o, b->bytes + b->off[r], b->off[r + 1] - b->off[r]);
	}
	pgal_buf_adds(&o, rc);
	if (!any || o.failed)
		goto out;
	/* whatever ncurses still holds goes first */
	delay_output(0);
	fflush(t->out);
	if (write_all(fileno(t->out), o.p, o.len) != 0)
		goto out;
	for (r = 0; r < rows; r++) {
		if (!dirty[r])
			continue;
		mvwin_wchnstr(stdscr, y + r, x, want, c->w);
		mvwadd_wchnstr(curscr, y + r, x, want, c->w);
	}
	wmove(curscr, cy, cx);
out:
	pgal_buf_free(&o);
	free(want);
	free(have);
	free(dirty);
}

void
tui_blit_draw(tui *t, tui_cells *c, int y, int x)
{
	struct tui_blit *b = c->blit;
	int r;

	if (c->w < 1 || c->h < 1 || c->ch == NULL)
		return;
	if (b == NULL) {
		if ((b = calloc(1, sizeof *b)) == NULL)
			return;
		c->blit = b;
		make_bytes(c, b);
	}
	if ((!b->have_cc || b->epoch != tui_pair_epoch()) && make_cc(t, c, b) != 0)
		return;
	for (r = 0; r < c->h; r++)
		mvwadd_wchnstr(stdscr, y + r, x, b->cc + (size_t)r * (size_t)c->w, c->w);
	if (b->bytes_ok)
		blit(t, c, b, y, x);
}
