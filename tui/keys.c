/* Key tables: the keys every view shares, the actions several views bind,
 * and the walk that finds a key's row in a table. A key goes first to the
 * shared rows marked TUI_KEY_ALWAYS, then to the view's own table, then to
 * the other shared rows (app.c); help.c and keybar.c draw the same tables. */
#include <curses.h>

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
	{ { 'q', TK_ESC, 'h', TK(KEY_LEFT) }, tui_key_back, "q Esc h",
	  "back (q on the first screen quits)", 0 },
	{ { 'Q' }, tui_key_quit, "Q", "quit", 0 },
	/* two rows: in a text field ? is text, and help lists F1 alone */
	{ { '?' }, key_help, "?", "this help", 0 },
	{ { TK(KEY_F(1)) }, key_help, "F1", "this help", 0 },
	{ { TK_CTRL('l') }, key_redraw, "Ctrl-L", "redraw the screen", TUI_KEY_ALWAYS },
	{ { TK_CTRL('c') }, tui_key_quit, NULL, NULL, TUI_KEY_ALWAYS },
	TUI_KEYS_END,
};

const tui_binding *
tui_binding_find(const tui_binding *keys, int key)
{
	const tui_binding *b;
	const int *k;

	for (b = keys; b != NULL && b->run != NULL; b++) {
		for (k = b->keys; k < b->keys + TUI_KEYS_MAX && *k != 0; k++) {
			if (*k == key || *k == TUI_KEY_ANY)
				return b;
		}
	}
	return NULL;
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
