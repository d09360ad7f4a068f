/* Key tables: the keys every view shares, the actions several views bind,
 * the walk that finds a key's row in a table, and the names of keys. A key
 * goes first to the shared rows marked TUI_KEY_ALWAYS, then to the view's
 * own table, then to the other shared rows (app.c); help.c and keybar.c
 * draw the same tables, naming each row's keys from its key codes. */
#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "app.h"

/* q, Esc, h and Left go back; q on the first screen quits. */
int
tui_key_back(tui *t, tui_view *v, int key)
{
	if (t->depth > 1)
		tui_pop(t);
	else if (key == 'q')
		t->quit = 1;
	return 1;
}

int
tui_key_quit(tui *t, tui_view *v, int key)
{
	t->quit = 1;
	return 1;
}

/* L in the albums and account views */
int
tui_key_logout(tui *t, tui_view *v, int key)
{
	tui_logged_out(t, "logged out");
	return 1;
}

static int
key_help(tui *t, tui_view *v, int key)
{
	t->help = 1;
	return 1;
}

static int
key_redraw(tui *t, tui_view *v, int key)
{
	clearok(curscr, TRUE);
	return 1;
}

const tui_binding tui_shared_keys[] = {
	{ { 'q', TK_ESC, 'h', TK(KEY_LEFT) }, tui_key_back, NULL,
	  "back (q on the first screen quits)", 0 },
	{ { 'Q' }, tui_key_quit, NULL, "quit", 0 },
	/* in a text field ? is text: help shows F1 alone there */
	{ { '?', TK(KEY_F(1)) }, key_help, NULL, "this help", 0 },
	{ { TK_CTRL('l') }, key_redraw, NULL, "redraw the screen", TUI_KEY_ALWAYS },
	{ { TK_CTRL('c') }, tui_key_quit, NULL, NULL, TUI_KEY_ALWAYS },
	TUI_KEYS_END,
};

static int
binds(int bound, int key)
{
	return bound == key || bound == TUI_KEY_ANY ||
	    (bound == TUI_KEY_TEXT && tui_key_is_text(key));
}

/* The first row of keys that binds key; with any 0 rows of TUI_KEY_ANY
 * are passed over. */
static const tui_binding *
find(const tui_binding *keys, int key, int any)
{
	const tui_binding *b;
	const int *k;

	for (b = keys; b != NULL && b->run != NULL; b++) {
		for (k = b->keys; k < b->keys + TUI_KEYS_MAX && *k != 0; k++) {
			if (binds(*k, key) && (any || *k != TUI_KEY_ANY))
				return b;
		}
	}
	return NULL;
}

const tui_binding *
tui_binding_find(const tui_binding *keys, int key)
{
	return find(keys, key, 1);
}

/* The row the dispatch (app.c) gives key to first on a view with table
 * view. A row of TUI_KEY_ANY takes what no row names and may pass it on,
 * so it hides no key of the rows after it. */
static const tui_binding *
dispatched_to(const tui_binding *view, int key)
{
	const tui_binding *shared = find(tui_shared_keys, key, 0), *own;

	if (shared != NULL && (shared->flags & TUI_KEY_ALWAYS))
		return shared;
	own = find(view, key, 0);
	return own != NULL ? own : shared;
}

/* Names of the function keys and the control keys with a key of their
 * own; the other control keys are Ctrl- and their letter. */
static const struct {
	int key;
	const char *name;
} key_names[] = {
	{ TK(KEY_DOWN), "↓" }, { TK(KEY_UP), "↑" }, { TK(KEY_LEFT), "←" },
	{ TK(KEY_RIGHT), "→" }, { TK(KEY_NPAGE), "PgDn" }, { TK(KEY_PPAGE), "PgUp" },
	{ TK(KEY_HOME), "Home" }, { TK(KEY_END), "End" }, { TK(KEY_DC), "Delete" },
	{ TK(KEY_IC), "Insert" }, { TK(KEY_BACKSPACE), "Backspace" },
	{ TK(KEY_BTAB), "Shift-Tab" }, { TK_ENTER, "Enter" }, { '\t', "Tab" },
	{ TK_ESC, "Esc" }, { ' ', "Space" }, { TUI_KEY_ANY, "any key" },
	{ TUI_KEY_TEXT, "text" },
};

const char *
tui_key_name(int key, char *buf, size_t sz)
{
	char mb[MB_LEN_MAX + 1];
	mbstate_t st;
	size_t i, n;

	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		if (key_names[i].key == key) {
			snprintf(buf, sz, "%s", key_names[i].name);
			return buf;
		}
	}
	if (key >= TK(KEY_F(1)) && key <= TK(KEY_F(63))) {
		snprintf(buf, sz, "F%d", key - TK(KEY_F(0)));
		return buf;
	}
	if (key > 0 && key < 0x20) {
		snprintf(buf, sz, "Ctrl-%c", key + '@');
		return buf;
	}
	/* a key that types a character is that character */
	memset(&st, 0, sizeof st);
	if (tui_key_is_text(key) && (n = wcrtomb(mb, (wchar_t)key, &st)) != (size_t)-1) {
		mb[n] = '\0';
		snprintf(buf, sz, "%s", mb);
	} else
		snprintf(buf, sz, "key %#x", (unsigned)key);
	return buf;
}

const char *
tui_binding_text(const tui_binding *b, const tui_binding *view, int most, char *buf,
    size_t sz)
{
	char name[32];
	size_t len = 0;
	int i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < TUI_KEYS_MAX && b->keys[i] != 0 && len + 1 < sz; i++) {
		if (most > 0 && n == most)
			break;
		if (view != NULL && dispatched_to(view, b->keys[i]) != b)
			continue;
		if (b->label != NULL) { /* a key reaches b: shown in b's words */
			tui_copy(buf, sz, b->label);
			return buf;
		}
		tui_key_name(b->keys[i], name, sizeof name);
		/* a name that does not fit whole is left out, never cut */
		if (len + (len > 0) + strlen(name) >= sz)
			break;
		n++;
		len += (size_t)snprintf(buf + len, sz - len, "%s%s", len > 0 ? " " : "", name);
	}
	return buf;
}

int
tui_view_key(tui *t, tui_view *v, int key)
{
	const tui_binding *b = tui_binding_find(v->keys, key);

	return b != NULL && b->run(t, v, key);
}

int
tui_key_is_text(int key)
{
	return key >= 0x20 && key < TK_FN && key != 0x7f && (key < 0x80 || key >= 0xa0);
}
