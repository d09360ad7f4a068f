/* A yes/no question over the current screen, for anything that deletes. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "sanitize.h"

struct dialog {
	char question[512];
	tui_confirm_cb cb;
	void *arg;
};

static const tui_keyhelp dialog_keys[] = {
	{ "y", "yes, do it", 1 },
	{ "n Esc", "no, keep it", 1 },
	{ NULL, NULL, 0 },
};

static void
dialog_draw(tui *t, tui_view *v, int y0, int h)
{
	struct dialog *d = v->data;
	int w = COLS - 10 < 70 ? COLS - 10 : 70;
	int dh = 8, y = y0 + (h - dh) / 2, x = (COLS - w) / 2;

	tui_frame(y, x, dh, w, "confirm");
	tui_wrap(y + 2, x + 3, w - 6, 3, d->question, TS_NORMAL);
	tui_text(y + dh - 2, x + 3, w - 6, "y: yes    n: no", TS_DIM);
}

static int
dialog_key(tui *t, tui_view *v, int key)
{
	struct dialog *d = v->data;
	tui_confirm_cb cb;
	void *arg;

	switch (key) {
	case 'y':
	case 'Y':
		cb = d->cb;
		arg = d->arg;
		d->arg = NULL;
		tui_pop_run(t, cb, arg);
		free(arg);
		return 1;
	case 'n':
	case 'N':
	case 'q':
	case TK_ESC:
		tui_pop(t);
		tui_msg(t, 0, "nothing deleted");
		return 1;
	}
	return 1; /* nothing else reaches the screen below */
}

static void
dialog_free(tui_view *v)
{
	struct dialog *d = v->data;

	free(d->arg);
	free(d);
}

static const tui_view_ops dialog_ops = {
	.name = "confirm",
	.draw = dialog_draw,
	.key = dialog_key,
	.free = dialog_free,
	.keys = dialog_keys,
	.overlay = 1,
};

int
tui_confirm(tui *t, const char *question, tui_confirm_cb cb, void *arg)
{
	struct dialog *d;

	if ((d = calloc(1, sizeof *d)) == NULL) {
		free(arg);
		return -1;
	}
	pgal_sanitize(d->question, sizeof d->question, question, 0);
	d->cb = cb;
	d->arg = arg;
	return tui_push(t, &dialog_ops, d, "confirm");
}
