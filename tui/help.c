/* The help overlay: the rows of the top view's key table, then the keys
 * every view shares (keys.c), each with the keys the dispatch gives it
 * there, named from the table (tui_binding_text). Any key closes it. */
#include <curses.h>

#include "app.h"
#include "sanitize.h"


/* The keys of row b as help lists them on view's screen; empty when it
 * is not listed (no help text, or every key taken before it). */
static const char *
row_text(const tui_binding *b, const tui_binding *view, char *buf)
{
	if (b->help == NULL) {
		buf[0] = '\0';
		return buf;
	}
	return tui_binding_text(b, view, 0, buf, TUI_KEYS_TEXT);
}

/* How many rows of keys help lists, and the widest keys text. */
static int
count_rows(const tui_binding *keys, const tui_binding *view, int *widest)
{
	const tui_binding *b;
	char text[TUI_KEYS_TEXT];
	int n = 0, w;

	for (b = keys; b != NULL && b->run != NULL; b++) {
		if (row_text(b, view, text)[0] == '\0')
			continue;
		n++;
		if ((w = pgal_text_width(text)) > *widest)
			*widest = w;
	}
	return n;
}

/* Rows of keys help lists from row on, below y_end; returns the next row. */
static int
draw_rows(const tui_binding *keys, const tui_binding *view, int row, int y_end, int x,
    int kw, int w, int style)
{
	const tui_binding *b;
	char text[TUI_KEYS_TEXT];

	for (b = keys; b != NULL && b->run != NULL && row < y_end; b++) {
		if (row_text(b, view, text)[0] == '\0')
			continue;
		tui_text(row, x + 2, kw, text, TS_LABEL);
		tui_text(row, x + 4 + kw, w - kw - 6, b->help, style);
		row++;
	}
	return row;
}

void
tui_help_draw(tui *t)
{
	tui_view *v = tui_top(t);
	const tui_binding *keys = v != NULL ? v->keys : NULL;
	int kw = 0, own, shared, gap, h, w, y, x, row;

	own = count_rows(keys, keys, &kw);
	shared = count_rows(tui_shared_keys, keys, &kw);
	w = COLS > 70 ? 66 : COLS - 4;
	if (kw > w / 2)
		kw = w / 2;
	/* a blank row between the view's keys and the shared ones, if it fits */
	gap = own + shared + 3 <= LINES - 2;
	h = own + gap + shared + 2;
	if (h > LINES - 2)
		h = LINES - 2;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	tui_frame(y, x, h, w, v != NULL ? v->title : "help");
	row = draw_rows(keys, keys, y + 1, y + h - 1, x, kw, w, TS_NORMAL);
	draw_rows(tui_shared_keys, keys, row + gap, y + h - 1, x, kw, w, TS_DIM);
}
