/* Text fields: UTF-8 editing by whole characters, masked fields for
 * passwords, Tab completion for local paths and album names. The value lives in the
 * field, so redrawing (e.g. on resize) never loses what was typed. */
#include <curses.h>
#include <string.h>
#include <wchar.h>

#include "app.h"
#include "password.h"
#include "sanitize.h"

tui_field *
tui_form_add(tui_form *f, const char *label, size_t max, int secret)
{
	tui_field *fl;

	if (f->n >= TUI_FORM_FIELDS)
		return NULL;
	fl = &f->f[f->n++];
	memset(fl, 0, sizeof *fl);
	snprintf(fl->label, sizeof fl->label, "%s", label);
	fl->max = max < TUI_FIELD_MAX - 1 ? max : TUI_FIELD_MAX - 1;
	fl->secret = secret;
	return fl;
}

void
tui_field_set(tui_field *fl, const char *value)
{
	/* fl->max < sizeof fl->buf (tui_form_add) */
	fl->len = fl->cur = pgal_utf8_copy(fl->buf, fl->max + 1, value, strlen(value));
}

void
tui_form_empty_secrets(tui_form *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->f[i].secret) {
			explicit_bzero(f->f[i].buf, sizeof f->f[i].buf);
			f->f[i].len = f->f[i].cur = 0;
		}
}

void
tui_form_fault(tui_form *f, int field)
{
	int i;

	/* a password field before it was emptied: it needs typing again first */
	for (i = 0; i < field && i < f->n; i++)
		if (f->f[i].secret)
			break;
	if (i < f->n)
		f->focus = i;
}

int
tui_form_new_password(tui *t, tui_form *f, int first)
{
	pgal_err e;

	if (pgal_password_rules(f->f[first].buf, &e) != PGAL_OK) {
		tui_form_fault(f, first);
		tui_msg(t, 1, "%s", e.msg);
		return -1;
	}
	if (strcmp(f->f[first].buf, f->f[first + 1].buf) != 0) {
		tui_form_fault(f, first);
		tui_msg(t, 1, "the two passwords differ; type them again");
		return -1;
	}
	return 0;
}

static void
insert(tui_field *fl, int wc)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof st);
	n = wcrtomb(mb, (wchar_t)wc, &st);
	if (n == (size_t)-1 || n == 0 || fl->len + n > fl->max)
		return;
	memmove(fl->buf + fl->cur + n, fl->buf + fl->cur, fl->len - fl->cur + 1);
	memcpy(fl->buf + fl->cur, mb, n);
	fl->len += n;
	fl->cur += n;
}

static size_t
prev_char(const tui_field *fl, size_t at)
{
	/* where the character before at starts: the cut just short of at */
	return at == 0 ? 0 : pgal_utf8_cut(fl->buf, fl->len, at - 1);
}

static size_t
next_char(const tui_field *fl, size_t at)
{
	if (at >= fl->len)
		return fl->len;
	at++;
	while (at < fl->len && ((unsigned char)fl->buf[at] & 0xc0) == 0x80)
		at++;
	return at;
}

static void
cut(tui_field *fl, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(fl->buf + from, fl->buf + to, fl->len - to + 1);
	fl->len -= to - from;
	fl->cur = from;
}

void
tui_form_step(tui_form *f, int step)
{
	if (f->n > 0)
		f->focus = (f->focus + f->n + step) % f->n;
}

int
tui_form_complete(tui *t, tui_form *f)
{
	tui_field *fl;

	if (f->n == 0 || (fl = &f->f[f->focus])->complete == TUI_COMPLETE_NONE)
		return 0;
	if (fl->complete == TUI_COMPLETE_ALBUM)
		tui_complete_album(t, fl->buf, fl->max + 1, &fl->len, t->msg, sizeof t->msg);
	else
		tui_complete_path(fl->buf, fl->max + 1, &fl->len, t->msg, sizeof t->msg);
	t->msg_error = 0;
	fl->cur = fl->len;
	return 1;
}

void
tui_form_type(tui_form *f, int ch)
{
	if (f->n > 0)
		insert(&f->f[f->focus], ch);
}

void
tui_form_edit(tui_form *f, int what)
{
	tui_field *fl;
	size_t p;

	if (f->n == 0)
		return;
	fl = &f->f[f->focus];
	switch (what) {
	case TUI_EDIT_LEFT:
		fl->cur = prev_char(fl, fl->cur);
		break;
	case TUI_EDIT_RIGHT:
		fl->cur = next_char(fl, fl->cur);
		break;
	case TUI_EDIT_START:
		fl->cur = 0;
		break;
	case TUI_EDIT_END:
		fl->cur = fl->len;
		break;
	case TUI_EDIT_BACKSPACE:
		cut(fl, prev_char(fl, fl->cur), fl->cur);
		break;
	case TUI_EDIT_DELETE:
		cut(fl, fl->cur, next_char(fl, fl->cur));
		break;
	case TUI_EDIT_KILL_START:
		cut(fl, 0, fl->cur);
		break;
	case TUI_EDIT_KILL_END:
		cut(fl, fl->cur, fl->len);
		break;
	case TUI_EDIT_KILL_WORD:
		p = fl->cur;
		while (p > 0 && fl->buf[p - 1] == ' ')
			p--;
		while (p > 0 && fl->buf[p - 1] != ' ')
			p--;
		cut(fl, p, fl->cur);
		break;
	}
}

/* Characters (not bytes) in fl->buf[0..to). */
static size_t
chars_before(const tui_field *fl, size_t to)
{
	size_t i, n = 0;

	for (i = 0; i < to; i++)
		if (((unsigned char)fl->buf[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* A password field: one mask character per character typed, so the
 * user sees each key land and where the cursor is, never what it was. */
static void
draw_secret(tui *t, const tui_field *fl, int y, int x, int fw, int focus)
{
	char mask[TUI_FIELD_MAX];
	size_t n = chars_before(fl, fl->len), c = chars_before(fl, fl->cur), start = 0;

	if (c > (size_t)fw - 1)
		start = c - ((size_t)fw - 1);
	n -= start;
	if (n > (size_t)fw)
		n = (size_t)fw;
	memset(mask, '*', n);
	mask[n] = '\0';
	tui_text(y, x, fw, mask, focus ? TS_FOCUS : TS_FIELD);
	if (focus) {
		t->cury = y;
		t->curx = x + (int)(c - start);
	}
}

/* Columns of fl->buf[from..to) once sanitized. */
static int
span_width(const tui_field *fl, size_t from, size_t to)
{
	char tmp[TUI_FIELD_MAX];
	char clean[TUI_FIELD_MAX];

	memcpy(tmp, fl->buf + from, to - from);
	tmp[to - from] = '\0';
	pgal_sanitize(clean, sizeof clean, tmp, 0);
	return pgal_text_width(clean);
}

int
tui_form_draw(tui *t, tui_form *f, int y, int x, int w)
{
	int i, lw = 0, fw;
	size_t start;

	for (i = 0; i < f->n; i++) {
		int l = pgal_text_width(f->f[i].label);
		if (l > lw)
			lw = l;
	}
	fw = w - lw - 2;
	if (fw < 4)
		fw = 4;
	for (i = 0; i < f->n; i++) {
		tui_field *fl = &f->f[i];
		int focus = i == f->focus;
		int yy = y + i * 2;

		tui_text(yy, x, lw, fl->label, TS_LABEL);
		tui_fill(yy, x + lw + 2, fw, focus ? TS_FOCUS : TS_FIELD);
		if (fl->secret) {
			draw_secret(t, fl, yy, x + lw + 2, fw, focus);
			continue;
		}
		/* scroll so the cursor stays inside the field */
		start = 0;
		while (start < fl->cur && span_width(fl, start, fl->cur) > fw - 1)
			start = next_char(fl, start);
		tui_text(yy, x + lw + 2, fw, fl->buf + start, focus ? TS_FOCUS : TS_FIELD);
		if (focus) {
			t->cury = yy;
			t->curx = x + lw + 2 + span_width(fl, start, fl->cur);
		}
	}
	return f->n * 2;
}
