/* The TUI's main loop: the terminal, the stack of views, the frame around
 * them (title, status line, key bar) and the keys every screen shares. */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "preview.h"
#include "sanitize.h"
#include "session-file.h"

void
tui_copy(char *dst, size_t sz, const char *src)
{
	pgal_utf8_copy(dst, sz, src, strlen(src));
}

int
tui_push(tui *t, const tui_view_ops *ops, const tui_binding *keys, void *data,
    const char *title)
{
	tui_view *v;

	if (t->depth >= TUI_STACK_MAX || (v = calloc(1, sizeof *v)) == NULL) {
		if (ops->free != NULL) {
			tui_view tmp = { .ops = ops, .data = data };
			ops->free(&tmp);
		}
		tui_msg(t, 1, "too many screens open");
		return -1;
	}
	v->ops = ops;
	v->keys = keys;
	v->data = data;
	snprintf(v->title, sizeof v->title, "%s", title);
	t->stack[t->depth++] = v;
	return 0;
}

static void
view_free(tui *t, tui_view *v)
{
	t->views_freed++;
	if (v->ops->free != NULL)
		v->ops->free(v);
	free(v);
}

/* Frees the top view; returns the one below, now on top (or NULL). */
static tui_view *
drop_top(tui *t)
{
	view_free(t, t->stack[--t->depth]);
	t->gfx_dirty |= t->graphics != TUI_GFX_SYMBOLS; /* cells need no repaint */
	return tui_top(t);
}

/* the view on top again: its data may have changed meanwhile */
static void
enter(tui *t, tui_view *top)
{
	if (top != NULL && top->ops->enter != NULL)
		top->ops->enter(t, top);
}

void
tui_pop(tui *t)
{
	if (t->depth > 0)
		enter(t, drop_top(t));
}

void
tui_pop_run(tui *t, tui_confirm_cb cb, void *arg)
{
	tui_view *top;

	if (t->depth == 0)
		return;
	top = drop_top(t);
	cb(t, arg);
	/* refresh what is below unless cb already changed the screens */
	if (tui_top(t) == top)
		enter(t, top);
}

void
tui_pop_to(tui *t, const tui_view_ops *ops)
{
	while (t->depth > 0 && t->stack[t->depth - 1]->ops != ops)
		view_free(t, t->stack[--t->depth]);
	t->gfx_dirty |= t->graphics != TUI_GFX_SYMBOLS; /* cells need no repaint */
	enter(t, tui_top(t));
}

static void
pop_all(tui *t)
{
	while (t->depth > 0)
		view_free(t, t->stack[--t->depth]);
}

tui_view *
tui_top(tui *t)
{
	return t->depth > 0 ? t->stack[t->depth - 1] : NULL;
}

void
tui_msg(tui *t, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_error = error;
}

static void
draw_status(tui *t)
{
	int y = LINES - 2;

	tui_fill(y, 0, COLS, TS_NORMAL);
	if (t->msg[0] != '\0')
		tui_text(y, 1, COLS - 2, t->msg, t->msg_error ? TS_ERROR : TS_OK);
}

void
tui_busy(tui *t, const char *what)
{
	tui_msg(t, 0, "%s %s", tui_spinner(t->ticks++), what);
	if (COLS >= TUI_MIN_COLS && LINES >= TUI_MIN_ROWS) {
		draw_status(t);
		refresh();
	}
}

void
tui_logged_in(tui *t, const char *token)
{
	pgal_whoami w;
	pgal_err e;

	snprintf(t->token, sizeof t->token, "%s", token);
	if (pgal_session_check(t->g, t->token, &w, &e) == PGAL_OK)
		snprintf(t->user, sizeof t->user, "%s", w.user);
	if (t->env->persist_session && pgal_session_file_write(t->token, &e) != PGAL_OK)
		tui_msg(t, 1, "logged in, but the session was not saved: %s", e.msg);
	pop_all(t);
	tui_display_apply(t); /* the user's preferences */
	tui_view_albums(t);
}

void
tui_logged_out(tui *t, const char *why)
{
	pgal_err e;

	if (t->token[0] != '\0')
		pgal_logout(t->g, t->token, &e); /* may be gone already */
	if (t->env->persist_session)
		pgal_session_file_clear(&e);
	memset(t->token, 0, sizeof t->token);
	t->user[0] = '\0';
	pop_all(t);
	tui_display_apply(t); /* back to what the terminal says */
	tui_view_welcome(t);
	if (why != NULL)
		tui_msg(t, 0, "%s", why);
}

void
tui_fail(tui *t, const char *what, const pgal_err *e)
{
	pgal_err e2;

	if (e->code == PGAL_EDENIED && t->token[0] != '\0' &&
	    pgal_session_check(t->g, t->token, NULL, &e2) != PGAL_OK) {
		/* logged out elsewhere, expired or cancelled */
		memset(t->token, 0, sizeof t->token);
		tui_logged_out(t, NULL);
		tui_msg(t, 1, "the session has ended: %s", e2.msg);
		return;
	}
	tui_msg(t, 1, "%s: %s", what, e->msg);
}

static void
draw_title(tui *t)
{
	tui_view *v = tui_top(t);
	char right[128];
	int used;

	tui_fill(0, 0, COLS, TS_TITLE);
	used = tui_text(0, 1, 6, "pgal", TS_TITLE);
	if (v != NULL)
		tui_text(0, 2 + used, COLS / 2 + 10, v->title, TS_TITLE);
	if (t->token[0] != '\0')
		snprintf(right, sizeof right, "%s%s", t->user,
		    t->env->remote ? " (ssh)" : "");
	else
		snprintf(right, sizeof right, "not logged in");
	tui_text_right(0, COLS / 2 + 14, COLS / 2 - 15, right, TS_TITLE);
}

static void
draw_too_small(void)
{
	char line[96];
	int y = LINES / 2;

	snprintf(line, sizeof line, "terminal too small: %dx%d, need %dx%d", COLS, LINES,
	    TUI_MIN_COLS, TUI_MIN_ROWS);
	if (y > 0)
		y--;
	tui_text(y, 0, COLS, line, TS_ERROR);
	if (y + 1 < LINES)
		tui_text(y + 1, 0, COLS, "enlarge the window (Q quits)", TS_NORMAL);
}

static void
draw_frame(tui *t)
{
	int i, base;

	t->cury = t->curx = -1;
	if (t->gfx_dirty) {
		/* graphics are outside ncurses' knowledge: repaint it all */
		clearok(curscr, TRUE);
		t->gfx_dirty = 0;
	}
	erase();
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_ROWS) {
		draw_too_small();
		curs_set(0);
		refresh();
		return;
	}
	draw_title(t);
	/* overlays show the first full view below them */
	base = t->depth - 1;
	while (base > 0 && t->stack[base]->ops->overlay)
		base--;
	for (i = base; i < t->depth; i++) {
		if (t->stack[i]->ops->draw != NULL)
			t->stack[i]->ops->draw(t, t->stack[i], 1, LINES - 3);
	}
	draw_status(t);
	tui_keybar_draw(t, LINES - 1);
	if (t->help)
		tui_help_draw(t);
	if (t->cury >= 0 && !t->help) {
		move(t->cury, t->curx);
		curs_set(1);
	} else
		curs_set(0);
	refresh();
	tui_preview_flush_graphics(t);
	t->ticks++;
}

static int
read_key(int wait_ms)
{
	wint_t wc;
	int r;

	timeout(wait_ms);
	r = wget_wch(stdscr, &wc);
	if (r == ERR)
		return -1;
	if (r == KEY_CODE_YES) {
		if (wc == KEY_ENTER)
			return TK_ENTER;
		return TK((int)wc);
	}
	if (wc == '\n')
		return TK_ENTER;
	if (wc == 127 || wc == 8)
		return TK(KEY_BACKSPACE);
	return (int)wc;
}

/* A key goes to the shared keys no view may take, then to the top view's
 * table, then to the other shared keys (a form's table takes the text
 * keys, so the shared letters never see them there). */
static void
handle_key(tui *t, int key)
{
	tui_view *v = tui_top(t);
	const tui_binding *shared;

	if (key == TK(KEY_RESIZE))
		return; /* ncurses resized stdscr; the next frame fits it */
	shared = tui_binding_find(tui_shared_keys, key);
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_ROWS) {
		/* nothing is visible: take no input but the shared quit keys */
		if (shared != NULL && shared->run == tui_key_quit)
			shared->run(t, v, key);
		return;
	}
	if (t->help) {
		t->help = 0;
		return;
	}
	if (shared != NULL && (shared->flags & TUI_KEY_ALWAYS)) {
		shared->run(t, v, key);
		return;
	}
	t->msg[0] = '\0';
	if (v != NULL && tui_view_key(t, v, key))
		return;
	if (shared != NULL)
		shared->run(t, v, key);
}

static const char *
pick_env(const char *given, const char *name)
{
	return given != NULL ? given : getenv(name);
}

int
pgal_tui_run(pgal *g, const pgal_tui_env *env)
{
	tui t;
	const char *term;
	FILE *in = env->in != NULL ? env->in : stdin;
	FILE *out = env->out != NULL ? env->out : stdout;
	tui_view *v, *idle = NULL;
	pgal_whoami w;
	pgal_err e;
	int key;

	memset(&t, 0, sizeof t);
	t.g = g;
	t.env = env;
	t.out = out;
	t.colorterm = pick_env(env->colorterm, "COLORTERM");
	t.no_color = pick_env(env->no_color, "NO_COLOR");
	term = pick_env(env->term, "TERM");
	if (term == NULL || term[0] == '\0')
		term = "vt100";
	if (tui_display_open(&t, term, out, in) != 0) {
		tui_display_close(&t);
		return -1;
	}
	t.cache = tui_preview_cache_new();

	if (env->token != NULL && env->token[0] != '\0' &&
	    pgal_session_check(g, env->token, &w, &e) == PGAL_OK) {
		snprintf(t.token, sizeof t.token, "%s", env->token);
		snprintf(t.user, sizeof t.user, "%s", w.user);
		tui_view_albums(&t);
	} else
		tui_view_welcome(&t);

	while (!t.quit && t.depth > 0) {
		draw_frame(&t);
		v = tui_top(&t);
		/* a view with work to do gets a step per frame, keys between;
		 * once it has none, one more frame shows the result */
		if (v != NULL && v->ops->tick != NULL && v != idle) {
			if (v->ops->tick(&t, v)) {
				key = read_key(0);
			} else {
				idle = v;
				continue;
			}
		} else
			key = read_key(-1);
		if (key != -1 && tui_display_late_answer(&t, key))
			key = -1;
		if (key != -1)
			idle = NULL;
		if (key != -1)
			handle_key(&t, key);
	}
	pop_all(&t);
	tui_preview_cache_free(t.cache);
	erase();
	refresh();
	tui_display_close(&t);
	return 0;
}
