/* The key bar on the last line: the top view's main keys, then help. */
#include <curses.h>
#include <string.h>

#include "app.h"

void
tui_keybar_draw(tui *t, int y)
{
	tui_view *v = tui_top(t);
	const tui_keyhelp *k;
	int x = 0, kw, ww;

	tui_fill(y, 0, COLS, TS_BAR);
	if (v == NULL || v->ops->keys == NULL)
		return;
	for (k = v->ops->keys; k->key != NULL; k++) {
		if (!k->bar)
			continue;
		kw = (int)strlen(k->key);
		ww = (int)strlen(k->what);
		if (x + kw + ww + 2 > COLS - 7)
			break;
		tui_text(y, x, kw, k->key, TS_BARKEY);
		tui_text(y, x + kw, ww + 1, " ", TS_BAR);
		tui_text(y, x + kw + 1, ww, k->what, TS_BAR);
		x += kw + ww + 2;
	}
	tui_text(y, COLS - 6, 1, "?", TS_BARKEY);
	tui_text(y, COLS - 4, 4, "help", TS_BAR);
}
