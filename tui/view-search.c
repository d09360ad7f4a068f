/* Search: "#tag" or "tag:x" picks a tag, the other words must all appear
 * in the title, description, tags or name (pgal_search_text, as in the
 * CLI). Within one album or across all. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "screens.h"

#define SEARCH_LIMIT 500

struct search_view {
	char album[PGAL_ALBUM_MAX + 1]; /* empty: every album */
	char query[256];
	tui_source *src;
	tui_list list;
	int page;
};

static int
run(tui *t, struct search_view *s)
{
	pgal_photo *rows = NULL;
	size_t n = 0;
	pgal_err e;

	tui_busy(t, "searching…");
	/* within an album the store searches that album alone, so matches
	 * elsewhere never crowd its own out of the first SEARCH_LIMIT */
	if (pgal_search_text(t->g, t->token, s->album[0] != '\0' ? s->album : NULL, s->query,
	    NULL, SEARCH_LIMIT, &rows, &n, &e) != PGAL_OK) {
		tui_fail(t, "search failed", &e);
		return -1;
	}
	if (s->src != NULL)
		tui_source_unref(s->src);
	s->src = tui_source_array(rows, n);
	free(rows);
	s->list.n = s->src != NULL ? n : 0;
	tui_list_fit(&s->list, s->page > 0 ? s->page : 1);
	if (n == 0)
		tui_msg(t, 0, "no photos found");
	else
		tui_msg(t, 0, "%zu photo%s found%s", n, n == 1 ? "" : "s",
		    n == SEARCH_LIMIT ? " (the first ones only)" : "");
	return 0;
}

static void
search_draw(tui *t, tui_view *v, int y0, int h)
{
	struct search_view *s = v->data;
	const pgal_photo *p;
	char line[400];
	int aw = 16, nw = 22, tw, gw, i, y;
	size_t r;
	pgal_err e;

	s->page = h - 2;
	tui_list_fit(&s->list, s->page);
	snprintf(line, sizeof line, "search %s%s: %s", s->album[0] ? "in " : "every album",
	    s->album, s->query);
	tui_text(y0, 1, COLS - 2, line, TS_HEAD);
	tw = (COLS - aw - nw - 5) / 2;
	gw = COLS - aw - nw - tw - 5;
	y = y0 + 1;
	tui_text(y, 1, aw, "ALBUM", TS_HEAD);
	tui_text(y, 2 + aw, nw, "NAME", TS_HEAD);
	tui_text(y, 3 + aw + nw, tw, "TITLE", TS_HEAD);
	tui_text(y, 4 + aw + nw + tw, gw, "TAGS", TS_HEAD);
	if (s->list.n == 0)
		tui_text(y0 + 3, 1, COLS - 2, "Nothing found.", TS_DIM);
	for (i = 0, r = s->list.top; s->src != NULL && i < s->page && r < s->list.n; i++, r++) {
		int st = r == s->list.sel ? TS_SELECT : TS_NORMAL;

		if ((p = s->src->ops->get(s->src, r, &e)) == NULL)
			break;
		y = y0 + 2 + i;
		if (st == TS_SELECT)
			tui_fill(y, 0, COLS, st);
		tui_text(y, 1, aw, p->album, st);
		tui_text(y, 2 + aw, nw, p->name, st);
		tui_text(y, 3 + aw + nw, tw, p->title, st);
		tui_text(y, 4 + aw + nw + tw, gw, p->tags, st);
	}
}

static int
search_move(tui *t, tui_view *v, int motion)
{
	struct search_view *s = v->data;

	tui_list_move(&s->list, motion, s->page);
	return 1;
}

static int
search_open(tui *t, tui_view *v, int key)
{
	struct search_view *s = v->data;

	if (s->src != NULL && s->list.n > 0)
		tui_view_photo(t, s->src, s->list.sel);
	return 1;
}

static int
search_again(tui *t, tui_view *v, int key)
{
	struct search_view *s = v->data;

	tui_view_search_prompt(t, s->album[0] ? s->album : NULL);
	return 1;
}

const tui_binding tui_search_keys[] = {
	{ { TK_ENTER, 'l', TK(KEY_RIGHT) }, search_open, NULL, "open", TUI_KEY_BAR },
	{ { '/' }, search_again, NULL, "new search", TUI_KEY_BAR },
	{ { 'q' }, tui_key_back, NULL, "back", TUI_KEY_BAR },
	TUI_LIST_ROWS,
	TUI_KEYS_END,
};

static void
search_enter(tui *t, tui_view *v)
{
	run(t, v->data); /* a photo may have been changed or deleted */
}

static void
search_free(tui_view *v)
{
	struct search_view *s = v->data;

	tui_source_unref(s->src);
	free(s);
}

static const tui_view_ops search_ops = {
	.draw = search_draw,
	.enter = search_enter,
	.list_move = search_move,
	.free = search_free,
};

int
tui_view_search(tui *t, const char *album, const char *query)
{
	struct search_view *s = calloc(1, sizeof *s);

	if (s == NULL)
		return -1;
	if (album != NULL)
		tui_copy(s->album, sizeof s->album, album);
	tui_copy(s->query, sizeof s->query, query);
	if (tui_push(t, &search_ops, tui_search_keys, s, "search results") != 0)
		return -1;
	run(t, s);
	return 0;
}

static int
prompt_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	char album[PGAL_ALBUM_MAX + 1], query[256];
	tui_view *top;

	if (f->f[0].len == 0) {
		tui_msg(t, 1, "type words or #tag");
		return -1;
	}
	album[0] = '\0';
	if (arg != NULL)
		tui_copy(album, sizeof album, arg);
	tui_copy(query, sizeof query, f->f[0].buf);
	tui_pop(t);
	/* a new search replaces the results it was started from */
	top = tui_top(t);
	if (top != NULL && top->ops == &search_ops)
		tui_pop(t);
	tui_view_search(t, album[0] ? album : NULL, query);
	return 0;
}

int
tui_view_search_prompt(tui *t, const char *album)
{
	tui_form_spec spec = {
		.title = album != NULL ? "search in album" : "search every album",
		.intro = "Words must all appear in the title, description, tags or "
			 "name; #tag (or tag:name) picks photos with that tag.",
		.submit = prompt_submit,
		.arg = album != NULL ? strdup(album) : NULL,
		.own_arg = 1,
	};
	tui_form *f;

	if ((f = tui_form_view(t, &spec)) == NULL)
		return -1;
	tui_form_add(f, "Search", 200, 0);
	return 0;
}
