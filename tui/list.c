/* The selection in a list: arrows and vi keys, pages, ends. */
#include <curses.h>

#include "app.h"

void
tui_list_fit(tui_list *l, int page)
{
	if (page < 1)
		page = 1;
	if (l->n == 0) {
		l->sel = l->top = 0;
		return;
	}
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + (size_t)page)
		l->top = l->sel - (size_t)page + 1;
	if (l->top + (size_t)page > l->n)
		l->top = l->n > (size_t)page ? l->n - (size_t)page : 0;
}

int
tui_list_key(tui_list *l, int key, int page)
{
	size_t half = page > 2 ? (size_t)page / 2 : 1;

	switch (key) {
	case TK(KEY_DOWN):
	case 'j':
		if (l->sel + 1 < l->n)
			l->sel++;
		break;
	case TK(KEY_UP):
	case 'k':
		if (l->sel > 0)
			l->sel--;
		break;
	case TK(KEY_NPAGE):
	case TK_CTRL('f'):
		l->sel += (size_t)page;
		break;
	case TK(KEY_PPAGE):
	case TK_CTRL('b'):
		l->sel = l->sel > (size_t)page ? l->sel - (size_t)page : 0;
		break;
	case TK_CTRL('d'):
		l->sel += half;
		break;
	case TK_CTRL('u'):
		l->sel = l->sel > half ? l->sel - half : 0;
		break;
	case TK(KEY_HOME):
	case 'g':
		l->sel = 0;
		break;
	case TK(KEY_END):
	case 'G':
		l->sel = l->n > 0 ? l->n - 1 : 0;
		break;
	default:
		return 0;
	}
	if (l->n > 0 && l->sel >= l->n)
		l->sel = l->n - 1;
	tui_list_fit(l, page);
	return 1;
}
