/* The first screen without a session: log in, sign up or quit. */
#include <curses.h>
#include <stdlib.h>

#include "app.h"
#include "screens.h"
#include "banner.h"

/* ---- the menu: each item is also a key ---- */

static int
welcome_login(tui *t, tui_view *v, int key)
{
	tui_view_login(t, NULL);
	return 1;
}

static int
welcome_signup(tui *t, tui_view *v, int key)
{
	tui_view_signup(t);
	return 1;
}

static const struct {
	const char *label;
	int (*run)(tui *t, tui_view *v, int key);
} items[] = {
	{ "Log in", welcome_login },
	{ "Sign up", welcome_signup },
	{ "Quit", tui_key_quit },
};
#define NITEMS 3

static void
welcome_draw(tui *t, tui_view *v, int y0, int h)
{
	tui_list *l = v->data;
	int i, y = y0 + 1, x = (COLS - 24) / 2;

	for (i = 0; tui_banner[i] != NULL; i++)
		tui_text(y++, x, 24, tui_banner[i], TS_HEAD);
	y++;
	tui_text(y++, (COLS - 36) / 2, 36, tui_banner_tagline, TS_DIM);
	y += 2;
	for (i = 0; i < NITEMS; i++, y += 2) {
		int sel = (size_t)i == l->sel;
		tui_fill(y, x - 2, 24, sel ? TS_SELECT : TS_NORMAL);
		tui_text(y, x, 20, items[i].label, sel ? TS_SELECT : TS_NORMAL);
	}
}

static int
welcome_move(tui *t, tui_view *v, int motion)
{
	tui_list_move(v->data, motion, NITEMS);
	return 1;
}

static int
welcome_choose(tui *t, tui_view *v, int key)
{
	tui_list *l = v->data;

	return items[l->sel].run(t, v, key);
}

static int
welcome_code(tui *t, tui_view *v, int key)
{
	tui_view_confirm(t, NULL);
	return 1;
}

const tui_binding tui_welcome_keys[] = {
	{ { 'l' }, welcome_login, NULL, "log in", TUI_KEY_BAR },
	{ { 's' }, welcome_signup, NULL, "sign up", TUI_KEY_BAR },
	{ { 'c' }, welcome_code, NULL, "enter a mailed code", TUI_KEY_BAR },
	{ { TK_ENTER, TK(KEY_RIGHT) }, welcome_choose, NULL, "choose", 0 },
	/* the shared back: q on the first screen quits */
	{ { 'q' }, tui_key_back, NULL, "quit", TUI_KEY_BAR },
	TUI_LIST_ROWS,
	TUI_KEYS_END,
};

static void
welcome_free(tui_view *v)
{
	free(v->data);
}

const tui_view_ops tui_welcome_ops = {
	.draw = welcome_draw,
	.list_move = welcome_move,
	.free = welcome_free,
};

int
tui_view_welcome(tui *t)
{
	tui_list *l = calloc(1, sizeof *l);

	if (l == NULL)
		return -1;
	l->n = NITEMS;
	return tui_push(t, &tui_welcome_ops, tui_welcome_keys, l, "welcome");
}
