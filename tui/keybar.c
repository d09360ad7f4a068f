/* The key bar on the last line: the top view's rows marked TUI_KEY_BAR,
 * from its key table, each with the first of its keys (named as help names
 * them: room is short here), then the way to the help. */
#include <curses.h>

#include "app.h"
#include "sanitize.h"

void
tui_keybar_draw(tui *t, int y)
{
	tui_view *v = tui_top(t);
	const tui_binding *b;
	char text[96];
	int x = 0, kw, ww;

	tui_fill(y, 0, COLS, TS_BAR);
	if (v == NULL || v->keys == NULL)
		return;
	for (b = v->keys; b->run != NULL; b++) {
		if (!(b->flags & TUI_KEY_BAR) || b->help == NULL ||
		    tui_binding_text(b, v->keys, 1, text, sizeof text)[0] == '\0')
			continue;
		kw = pgal_text_width(text);
		ww = pgal_text_width(b->help);
		if (x + kw + ww + 2 > COLS - 7)
			break;
		tui_text(y, x, kw, text, TS_BARKEY);
		tui_text(y, x + kw, ww + 1, " ", TS_BAR);
		tui_text(y, x + kw + 1, ww, b->help, TS_BAR);
		x += kw + ww + 2;
	}
	tui_text(y, COLS - 6, 1, "?", TS_BARKEY);
	tui_text(y, COLS - 4, 4, "help", TS_BAR);
}
