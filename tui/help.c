/* The help overlay: the rows of the top view's key table, then the keys
 * every view shares (keys.c); the tables that run the keys. Any key closes
 * it. */
#include <curses.h>

#include "app.h"

/* Whether help lists row b: it has a label and, when typing goes into a
 * text field (in_text), none of its keys is one that types there. */
static int
listed(const tui_binding *b, int in_text)
{
	int i;

	if (b->label == NULL)
		return 0;
	for (i = 0; in_text && i < TUI_KEYS_MAX && b->keys[i] != 0; i++)
		if (tui_key_is_text(b->keys[i]))
			return 0;
	return 1;
}

static int
shown_rows(const tui_binding *keys, int in_text)
{
	const tui_binding *b;
	int n = 0;

	for (b = keys; b != NULL && b->run != NULL; b++)
		n += listed(b, in_text);
	return n;
}

/* Rows of keys help lists from row on, below y_end; returns the next row. */
static int
draw_rows(const tui_binding *keys, int in_text, int row, int y_end, int x, int w, int style)
{
	const tui_binding *b;

	for (b = keys; b != NULL && b->run != NULL && row < y_end; b++) {
		if (!listed(b, in_text))
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
	/* in a form the shared letter keys type text: not listed there */
	int in_text = v != NULL && v->ops->text_input, h, w, y, x, row;

	h = shown_rows(keys, 0) + 1 + shown_rows(tui_shared_keys, in_text) + 2;
	if (h > LINES - 2)
		h = LINES - 2;
	w = COLS > 70 ? 66 : COLS - 4;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	tui_frame(y, x, h, w, v != NULL ? v->title : "help");
	row = draw_rows(keys, 0, y + 1, y + h - 1, x, w, TS_NORMAL);
	draw_rows(tui_shared_keys, in_text, row + 1, y + h - 1, x, w, TS_DIM);
}
