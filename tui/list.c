/* The selection in a list, and the movement keys every list shares
 * (TUI_LIST_ROWS): arrows and vi keys, pages, ends. */
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

/* How many rows a motion moves: one, half a page or a page (page rows
 * on screen; at least one). */
static size_t
rows_of(int motion, int page)
{
	switch (motion) {
	case TUI_DOWN:
	case TUI_UP:
		return 1;
	case TUI_HALF_DOWN:
	case TUI_HALF_UP:
		return page > 2 ? (size_t)page / 2 : 1;
	default:
		return page > 0 ? (size_t)page : 1;
	}
}

void
tui_list_move(tui_list *l, int motion, int page)
{
	size_t step = rows_of(motion, page);

	switch (motion) {
	case TUI_DOWN:
	case TUI_PAGE_DOWN:
	case TUI_HALF_DOWN:
		l->sel += step;
		break;
	case TUI_UP:
	case TUI_PAGE_UP:
	case TUI_HALF_UP:
		l->sel = l->sel > step ? l->sel - step : 0;
		break;
	case TUI_FIRST:
		l->sel = 0;
		break;
	case TUI_LAST:
		l->sel = l->n > 0 ? l->n - 1 : 0;
		break;
	}
	if (l->n > 0 && l->sel >= l->n)
		l->sel = l->n - 1;
	tui_list_fit(l, page);
}

/* each row of TUI_LIST_ROWS: its motion, by the view's own list_move */
#define MOVE_KEY(name, motion) \
	int name(tui *t, tui_view *v, int key) \
	{ \
		return v->ops->list_move != NULL && v->ops->list_move(t, v, motion); \
	}
MOVE_KEY(tui_list_down, TUI_DOWN)
MOVE_KEY(tui_list_up, TUI_UP)
MOVE_KEY(tui_list_page_down, TUI_PAGE_DOWN)
MOVE_KEY(tui_list_page_up, TUI_PAGE_UP)
MOVE_KEY(tui_list_half_down, TUI_HALF_DOWN)
MOVE_KEY(tui_list_half_up, TUI_HALF_UP)
MOVE_KEY(tui_list_first, TUI_FIRST)
MOVE_KEY(tui_list_last, TUI_LAST)
