/* Feedback for work that takes a while: a progress bar and a spinner. */
#include <curses.h>
#include <stdio.h>

#include "app.h"

void
tui_progress_bar(int y, int x, int w, int64_t done, int64_t total)
{
	char pct[16];
	int fill, i;

	if (w < 10)
		return;
	snprintf(pct, sizeof pct, " %3d%%", total > 0 ? (int)(done * 100 / total) : 0);
	/* "[", the bar, "]" and " 100%" fit in w */
	w -= 7;
	fill = total > 0 ? (int)((int64_t)w * done / total) : 0;
	if (fill > w)
		fill = w;
	tui_text(y, x, 1, "[", TS_NORMAL);
	for (i = 0; i < w; i++)
		tui_text(y, x + 1 + i, 1, i < fill ? "#" : "-", i < fill ? TS_OK : TS_DIM);
	tui_text(y, x + 1 + w, 1, "]", TS_NORMAL);
	tui_text(y, x + 2 + w, 5, pct, TS_NORMAL);
}

const char *
tui_spinner(unsigned tick)
{
	static const char *frames[] = { "|", "/", "-", "\\" };

	return frames[tick % 4];
}
