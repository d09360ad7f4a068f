/* One album: its photos a page at a time (any size of album), with the
 * selected photo's thumbnail beside the list. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "screens.h"
#include "pager.h"
#include "preview.h"

struct album_view {
	char album[PGAL_ALBUM_MAX + 1];
	char title[PGAL_TITLE_MAX + 1];
	char desc[PGAL_DESC_MAX + 1];
	pgal_sort sort;
	tui_source *src;
	tui_list list;
	int page;
};

static const char *sort_names[] = { "taken", "added", "title" };

static void
album_reload(tui *t, struct album_view *a)
{
	pgal_album al;
	pgal_err e;

	if (pgal_album_get(t->g, t->token, a->album, &al, &e) != PGAL_OK) {
		tui_fail(t, "cannot read the album", &e);
		return;
	}
	tui_copy(a->title, sizeof a->title, al.title);
	tui_copy(a->desc, sizeof a->desc, al.description);
	if (a->src != NULL)
		tui_source_unref(a->src);
	a->src = tui_pager_new(t, a->album, a->sort, al.photo_count);
	a->list.n = a->src != NULL ? a->src->ops->count(a->src) : 0;
	tui_list_fit(&a->list, a->page > 0 ? a->page : 1);
}

static int
thumb_width(void)
{
	return COLS >= 140 ? 44 : COLS >= 110 ? 34 : 24;
}

static void
album_draw(tui *t, tui_view *v, int y0, int h)
{
	struct album_view *a = v->data;
	const pgal_photo *p, *sel = NULL;
	char line[256], when[32], size[32];
	pgal_photo_facts pf;
	int tw = thumb_width(), lw = COLS - tw - 1, nw, tiw, tgw, x, i, y, th;
	size_t r;
	pgal_err e;

	a->page = h - 3;
	if (a->src == NULL)
		return;
	a->list.n = a->src->ops->count(a->src);
	tui_list_fit(&a->list, a->page);
	/* the description after the counts, cut to the line (an ellipsis says so) */
	snprintf(line, sizeof line, "%zu photo%s, by %s%s%.200s", a->list.n,
	    a->list.n == 1 ? "" : "s", sort_names[a->sort], a->desc[0] != '\0' ? "  ·  " : "",
	    a->desc);
	x = tui_text(y0, 1, lw / 2, a->title[0] != '\0' ? a->title : a->album, TS_HEAD);
	tui_text(y0, x + 3, lw - x - 3, line, TS_DIM);
	nw = lw * 28 / 100;
	tiw = (lw - nw - 10 - 7 - 5) * 55 / 100;
	tgw = lw - nw - 10 - 7 - 5 - tiw;
	y = y0 + 1;
	x = 1;
	tui_text(y, x, nw, "NAME", TS_HEAD);
	tui_text(y, x + nw + 1, tiw, "TITLE", TS_HEAD);
	tui_text(y, x + nw + tiw + 2, 10, "TAKEN", TS_HEAD);
	tui_text_right(y, x + nw + tiw + 13, 7, "SIZE", TS_HEAD);
	tui_text(y, x + nw + tiw + 21, tgw, "TAGS", TS_HEAD);
	if (a->list.n == 0)
		tui_text(y0 + 3, 1, lw - 2, "No photos yet: press a to add some.", TS_DIM);
	for (i = 0, r = a->list.top; i < a->page && r < a->list.n; i++, r++) {
		int st = r == a->list.sel ? TS_SELECT : TS_NORMAL;

		y = y0 + 2 + i;
		if ((p = a->src->ops->get(a->src, r, &e)) == NULL) {
			tui_text(y, 1, lw - 2, e.msg, TS_ERROR);
			break;
		}
		if (r == a->list.sel) {
			sel = p;
			tui_fill(y, 0, lw, st);
		}
		pgal_fmt_taken(when, p->sort_taken);
		when[10] = '\0';
		pgal_fmt_size(size, p->bytes);
		tui_text(y, x, nw, p->name, st);
		tui_text(y, x + nw + 1, tiw, p->title, st);
		tui_text(y, x + nw + tiw + 2, 10, when, st);
		tui_text_right(y, x + nw + tiw + 13, 7, size, st);
		tui_text(y, x + nw + tiw + 21, tgw, p->tags, st);
	}
	if (a->list.n > (size_t)a->page) {
		snprintf(line, sizeof line, "%zu/%zu", a->list.sel + 1, a->list.n);
		tui_text_right(y0 + h - 1, lw - 20, 19, line, TS_DIM);
	}
	/* the thumbnail beside the list (get() may have moved pages) */
	if (a->list.n > 0 && (sel = a->src->ops->get(a->src, a->list.sel, &e)) != NULL) {
		th = tw / 2 + 1;
		if (th > h - 6)
			th = h - 6;
		tui_preview_draw(t, sel, PGAL_BLOB_THUMB, y0 + 1, lw + 1, th, tw - 1);
		y = y0 + 2 + th;
		tui_text(y++, lw + 1, tw - 1, sel->name, TS_LABEL);
		if (sel->title[0] != '\0')
			tui_text(y++, lw + 1, tw - 1, sel->title, TS_NORMAL);
		pgal_fmt_photo_facts(sel, &pf);
		snprintf(line, sizeof line, "%s  %s", pf.pixels, sel->mime);
		tui_text(y++, lw + 1, tw - 1, line, TS_DIM);
		if (sel->exif.model[0] != '\0')
			tui_text(y++, lw + 1, tw - 1, sel->exif.model, TS_DIM);
	}
}

/* ---- the keys: none is used while the album could not be read ---- */

static struct album_view *
ready(tui_view *v)
{
	struct album_view *a = v->data;

	return a->src != NULL ? a : NULL;
}

/* the selected photo, or NULL */
static const pgal_photo *
selected(struct album_view *a)
{
	pgal_err e;

	return a->list.n > 0 ? a->src->ops->get(a->src, a->list.sel, &e) : NULL;
}

static int
album_move(tui *t, tui_view *v, int motion)
{
	struct album_view *a = ready(v);
	pgal_err e;

	if (a == NULL)
		return 0;
	tui_list_move(&a->list, motion, a->page);
	if (motion == TUI_LAST) {
		/* the last page is one reverse read (pager.c); reading it may
		 * correct the count, so select its last row */
		(void)a->src->ops->get(a->src, a->list.sel, &e);
		a->list.n = a->src->ops->count(a->src);
		a->list.sel = a->list.n > 0 ? a->list.n - 1 : 0;
		tui_list_fit(&a->list, a->page > 0 ? a->page : 1);
	}
	return 1;
}

static int
album_open(tui *t, tui_view *v, int key)
{
	struct album_view *a = ready(v);

	if (a == NULL)
		return 0;
	if (selected(a) != NULL)
		tui_view_photo(t, a->src, a->list.sel);
	return 1;
}

static int
album_add(tui *t, tui_view *v, int key)
{
	struct album_view *a = ready(v);

	if (a == NULL)
		return 0;
	tui_view_add(t, a->album);
	return 1;
}

static int
album_edit(tui *t, tui_view *v, int key)
{
	struct album_view *a = ready(v);
	const pgal_photo *p;

	if (a == NULL)
		return 0;
	if ((p = selected(a)) != NULL)
		tui_photo_edit(t, p);
	return 1;
}

static int
album_move_photo(tui *t, tui_view *v, int key)
{
	struct album_view *a = ready(v);
	const pgal_photo *p;

	if (a == NULL)
		return 0;
	if ((p = selected(a)) != NULL)
		tui_photo_move(t, p);
	return 1;
}

static int
album_delete(tui *t, tui_view *v, int key)
{
	struct album_view *a = ready(v);
	const pgal_photo *p;

	if (a == NULL)
		return 0;
	if ((p = selected(a)) != NULL)
		tui_photo_delete_ask(t, p);
	return 1;
}

static int
album_sort(tui *t, tui_view *v, int key)
{
	struct album_view *a = ready(v);

	if (a == NULL)
		return 0;
	a->sort = (a->sort + 1) % 3;
	a->list.sel = a->list.top = 0;
	album_reload(t, a);
	tui_msg(t, 0, "sorted by %s", sort_names[a->sort]);
	return 1;
}

static int
album_search(tui *t, tui_view *v, int key)
{
	struct album_view *a = ready(v);

	if (a == NULL)
		return 0;
	tui_view_search_prompt(t, a->album);
	return 1;
}

static int
album_reload_key(tui *t, tui_view *v, int key)
{
	struct album_view *a = ready(v);

	if (a == NULL)
		return 0;
	album_reload(t, a);
	return 1;
}

const tui_binding tui_album_keys[] = {
	{ { TK_ENTER, TK(KEY_RIGHT), 'l' }, album_open, NULL, "open", TUI_KEY_BAR },
	{ { 'a' }, album_add, NULL, "add photos", TUI_KEY_BAR },
	{ { 'e' }, album_edit, NULL, "edit", TUI_KEY_BAR },
	{ { 'm' }, album_move_photo, NULL, "move/rename", TUI_KEY_BAR },
	{ { 'd', TK(KEY_DC) }, album_delete, NULL, "delete", TUI_KEY_BAR },
	{ { 's' }, album_sort, NULL, "sort", TUI_KEY_BAR },
	{ { '/' }, album_search, NULL, "search", TUI_KEY_BAR },
	{ { 'r' }, album_reload_key, NULL, "reload", 0 },
	TUI_LIST_ROWS,
	TUI_KEYS_END,
};

static void
album_enter(tui *t, tui_view *v)
{
	struct album_view *a = v->data;
	size_t shown = 0;
	int has = 0;

	/* back from the photo view: the cursor goes to the photo last shown */
	if (a->src != NULL && a->src->has_shown) {
		shown = a->src->shown;
		has = 1;
	}
	album_reload(t, a);
	if (has && a->list.n > 0) {
		a->list.sel = shown < a->list.n ? shown : a->list.n - 1;
		tui_list_fit(&a->list, a->page > 0 ? a->page : 1);
	}
}

static void
album_free(tui_view *v)
{
	struct album_view *a = v->data;

	tui_source_unref(a->src);
	free(a);
}

static const tui_view_ops album_ops = {
	.draw = album_draw,
	.enter = album_enter,
	.list_move = album_move,
	.free = album_free,
};

int
tui_view_album(tui *t, const char *album)
{
	struct album_view *a = calloc(1, sizeof *a);
	char title[160];

	if (a == NULL)
		return -1;
	tui_copy(a->album, sizeof a->album, album);
	snprintf(title, sizeof title, "album %s", a->album);
	if (tui_push(t, &album_ops, tui_album_keys, a, title) != 0)
		return -1;
	album_reload(t, a);
	return 0;
}
