/* The help overlay: every key of the top view, then the keys every view
 * shares. Any key closes it. */
#include <curses.h>
#include <string.h>

#include "app.h"

static const tui_keyhelp global_keys[] = {
	{ "q Esc h", "back (q on the first screen quits)", 0 },
	{ "Q", "quit", 0 },
	{ "? F1", "this help", 0 },
	{ "Ctrl-L", "redraw the screen", 0 },
	{ NULL, NULL, 0 },
};

void
tui_help_draw(tui *t)
{
	tui_view *v = tui_top(t);
	const tui_keyhelp *k;
	int n = 0, h, w, y, x, row;

	if (v != NULL && v->ops->keys != NULL)
		for (k = v->ops->keys; k->key != NULL; k++)
			n++;
	n += 5;
	h = n + 2;
	if (h > LINES - 2)
		h = LINES - 2;
	w = COLS > 70 ? 66 : COLS - 4;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	tui_frame(y, x, h, w, v != NULL ? v->title : "help");
	row = y + 1;
	if (v != NULL && v->ops->keys != NULL) {
		for (k = v->ops->keys; k->key != NULL && row < y + h - 1; k++, row++) {
			tui_text(row, x + 2, 14, k->key, TS_LABEL);
			tui_text(row, x + 17, w - 19, k->what, TS_NORMAL);
		}
	}
	row++;
	for (k = global_keys; k->key != NULL && row < y + h - 1; k++, row++) {
		tui_text(row, x + 2, 14, k->key, TS_LABEL);
		tui_text(row, x + 17, w - 19, k->what, TS_DIM);
	}
}
