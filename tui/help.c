/* The help overlay: the rows of the top view's key table, then the keys
 * every view shares (keys.c); the tables that run the keys. Any key closes
 * it. */
#include <curses.h>

#include "app.h"

static int
shown_rows(const tui_binding *keys)
{
	const tui_binding *b;
	int n = 0;

	for (b = keys; b != NULL && b->run != NULL; b++)
		n += b->label != NULL;
	return n;
}

/* Rows of keys with a label from row on, below y_end; returns the next row. */
static int
draw_rows(const tui_binding *keys, int row, int y_end, int x, int w, int style)
{
	const tui_binding *b;

	for (b = keys; b != NULL && b->run != NULL && row < y_end; b++) {
		if (b->label == NULL)
			continue;
		tui_text(row, x + 2, 14, b->label, TS_LABEL);
		tui_text(row, x + 17, w - 19, b->help, style);
		row++;
	}
	return row;
}

void
tui_help_draw(tui *t)
{
	tui_view *v = tui_top(t);
	const tui_binding *keys = v != NULL ? v->keys : NULL;
	int h, w, y, x, row;

	h = shown_rows(keys) + 1 + shown_rows(tui_shared_keys) + 2;
	if (h > LINES - 2)
		h = LINES - 2;
	w = COLS > 70 ? 66 : COLS - 4;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	tui_frame(y, x, h, w, v != NULL ? v->title : "help");
	row = draw_rows(keys, y + 1, y + h - 1, x, w, TS_NORMAL);
	draw_rows(tui_shared_keys, row + 1, y + h - 1, x, w, TS_DIM);
}
