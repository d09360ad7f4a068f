/* The first screen without a session: log in, sign up or quit. */
#include <curses.h>
#include <stdlib.h>

#include "app.h"
#include "banner.h"

static const char *items[] = { "Log in", "Sign up", "Quit" };
#define NITEMS 3

static const tui_keyhelp welcome_keys[] = {
	{ "l", "log in", 1 },
	{ "s", "sign up", 1 },
	{ "c", "enter a mailed code", 1 },
	{ "Enter", "choose", 0 },
	{ "j/k", "move", 0 },
	{ "q", "quit", 1 },
	{ NULL, NULL, 0 },
};

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
		tui_text(y, x, 20, items[i], sel ? TS_SELECT : TS_NORMAL);
	}
}

static void
choose(tui *t, size_t i)
{
	switch (i) {
	case 0:
		tui_view_login(t, NULL);
		break;
	case 1:
		tui_view_signup(t);
		break;
	default:
		t->quit = 1;
	}
}

static int
welcome_key(tui *t, tui_view *v, int key)
{
	tui_list *l = v->data;

	if (tui_list_key(l, key, NITEMS))
		return 1;
	switch (key) {
	case TK_ENTER:
	case TK(KEY_RIGHT):
		choose(t, l->sel);
		return 1;
	case 'l':
		choose(t, 0);
		return 1;
	case 's':
		choose(t, 1);
		return 1;
	case 'c':
		tui_view_confirm(t, NULL);
		return 1;
	}
	return 0;
}

static void
welcome_free(tui_view *v)
{
	free(v->data);
}

static const tui_view_ops welcome_ops = {
	.name = "welcome",
	.draw = welcome_draw,
	.key = welcome_key,
	.free = welcome_free,
	.keys = welcome_keys,
};

int
tui_view_welcome(tui *t)
{
	tui_list *l = calloc(1, sizeof *l);

	if (l == NULL)
		return -1;
	l->n = NITEMS;
	return tui_push(t, &welcome_ops, l, "welcome");
}
