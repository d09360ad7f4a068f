/* The albums of the user: counts and last change; create, rename, edit
 * the description, delete (the question says what is lost). */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "screens.h"

struct albums {
	pgal_album *rows;
	tui_list list;
	int page;
};

static void
albums_load(tui *t, struct albums *a)
{
	pgal_err e;
	size_t n = 0;

	free(a->rows);
	a->rows = NULL;
	if (pgal_album_list(t->g, t->token, &a->rows, &n, &e) != PGAL_OK) {
		a->list.n = 0;
		tui_fail(t, "cannot list the albums", &e);
		return;
	}
	a->list.n = n;
	tui_list_fit(&a->list, a->page > 0 ? a->page : 1);
}

static void
albums_draw(tui *t, tui_view *v, int y0, int h)
{
	struct albums *a = v->data;
	char count[32], when[32];
	int y, i, wname, wtitle;
	size_t r;

	a->page = h - 2;
	tui_list_fit(&a->list, a->page);
	wname = COLS > 100 ? 28 : 22;
	wtitle = COLS - wname - 8 - 18 - 6;
	tui_text(y0, 1, wname, "ALBUM", TS_HEAD);
	tui_text(y0, 2 + wname, wtitle, "TITLE", TS_HEAD);
	tui_text_right(y0, 3 + wname + wtitle, 8, "PHOTOS", TS_HEAD);
	tui_text(y0, 13 + wname + wtitle, 18, "LAST CHANGE", TS_HEAD);
	if (a->list.n == 0) {
		tui_text(y0 + 2, 1, COLS - 2, "No albums yet: press n to create one.", TS_DIM);
		return;
	}
	for (i = 0, r = a->list.top; i < a->page && r < a->list.n; i++, r++) {
		const pgal_album *al = &a->rows[r];
		int st = r == a->list.sel ? TS_SELECT : TS_NORMAL;

		y = y0 + 1 + i;
		if (st == TS_SELECT)
			tui_fill(y, 0, COLS, st);
		snprintf(count, sizeof count, "%lld", (long long)al->photo_count);
		pgal_fmt_local(when, al->updated_at);
		tui_text(y, 1, wname, al->name, st);
		tui_text(y, 2 + wname, wtitle, al->title, st);
		tui_text_right(y, 3 + wname + wtitle, 8, count, st);
		tui_text(y, 13 + wname + wtitle, 18, when, st);
	}
	if (a->list.n > (size_t)a->page) {
		snprintf(count, sizeof count, "%zu/%zu", a->list.sel + 1, a->list.n);
		tui_text_right(y0 + h - 1, COLS - 16, 15, count, TS_DIM);
	}
}

static const pgal_album *
selected(struct albums *a)
{
	return a->list.n > 0 ? &a->rows[a->list.sel] : NULL;
}

/* ---- new / rename / edit ---- */

static const tui_view_ops albums_ops;

/* After a create or rename: the cursor on that album, in the list the
 * albums view (on top again) has just read. */
static void
select_album(tui *t, const char *name)
{
	tui_view *top = tui_top(t);
	struct albums *a;
	size_t i;

	if (top == NULL || top->ops != &albums_ops)
		return;
	a = top->data;
	for (i = 0; i < a->list.n; i++)
		if (strcmp(a->rows[i].name, name) == 0) {
			a->list.sel = i;
			tui_list_fit(&a->list, a->page > 0 ? a->page : 1);
			return;
		}
}

static int
create_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	pgal_album out;
	pgal_err e;

	if (pgal_album_create(t->g, t->token, f->f[0].buf, f->f[1].buf, f->f[2].buf,
	    &out, &e) != PGAL_OK) {
		tui_fail(t, "cannot create the album", &e);
		return -1;
	}
	tui_pop(t);
	select_album(t, out.name);
	tui_msg(t, 0, "album '%s' created", out.name);
	return 0;
}

static int
rename_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	pgal_album out;
	pgal_err e;

	if (pgal_album_update(t->g, t->token, (const char *)arg, f->f[0].buf, NULL, NULL,
	    &out, &e) != PGAL_OK) {
		tui_fail(t, "cannot rename the album", &e);
		return -1;
	}
	tui_pop(t);
	select_album(t, out.name);
	tui_msg(t, 0, "album renamed to '%s'", out.name);
	return 0;
}

static int
edit_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	pgal_album out;
	pgal_err e;

	if (pgal_album_update(t->g, t->token, (const char *)arg, NULL, f->f[0].buf,
	    f->f[1].buf, &out, &e) != PGAL_OK) {
		tui_fail(t, "cannot change the album", &e);
		return -1;
	}
	tui_pop(t);
	tui_msg(t, 0, "album '%s' changed", out.name);
	return 0;
}

static void
delete_yes(tui *t, void *arg)
{
	int64_t gone = 0;
	pgal_err e;

	tui_busy(t, "deleting…");
	if (pgal_album_delete(t->g, t->token, (const char *)arg, &gone, &e) != PGAL_OK) {
		tui_fail(t, "cannot delete the album", &e);
		return;
	}
	tui_msg(t, 0, "album '%s' deleted with %lld photo%s", (const char *)arg,
	    (long long)gone, gone == 1 ? "" : "s");
}

/* ---- the keys ---- */

static int
albums_move(tui *t, tui_view *v, int motion)
{
	struct albums *a = v->data;

	tui_list_move(&a->list, motion, a->page);
	return 1;
}

static int
albums_open(tui *t, tui_view *v, int key)
{
	const pgal_album *al = selected(v->data);

	if (al != NULL)
		tui_view_album(t, al->name);
	return 1;
}

static int
albums_new(tui *t, tui_view *v, int key)
{
	tui_form_spec spec = {
		.title = "new album",
		.intro = "The name is how the album is known (letters, digits, '.', '_', "
			 "'-' and spaces); the title and description are free text.",
		.submit = create_submit,
	};
	tui_form *f;

	if ((f = tui_form_view(t, &spec)) != NULL) {
		tui_form_add(f, "Name", PGAL_ALBUM_MAX, 0);
		tui_form_add(f, "Title", PGAL_TITLE_MAX, 0);
		tui_form_add(f, "Description", PGAL_DESC_MAX, 0);
	}
	return 1;
}

/* A form about album al, which goes to submit by its name. */
static tui_form *
album_form(tui *t, const pgal_album *al, const char *title, tui_form_submit submit)
{
	tui_form_spec spec = { .title = title, .submit = submit, .own_arg = 1 };

	if ((spec.arg = strdup(al->name)) == NULL)
		return NULL;
	return tui_form_view(t, &spec);
}

static int
albums_rename(tui *t, tui_view *v, int key)
{
	const pgal_album *al = selected(v->data);
	tui_form *f;

	if (al != NULL && (f = album_form(t, al, "rename album", rename_submit)) != NULL)
		tui_field_set(tui_form_add(f, "New name", PGAL_ALBUM_MAX, 0), al->name);
	return 1;
}

static int
albums_edit(tui *t, tui_view *v, int key)
{
	const pgal_album *al = selected(v->data);
	tui_form *f;

	if (al != NULL && (f = album_form(t, al, "edit album", edit_submit)) != NULL) {
		tui_field_set(tui_form_add(f, "Title", PGAL_TITLE_MAX, 0), al->title);
		tui_field_set(tui_form_add(f, "Description", PGAL_DESC_MAX, 0),
		    al->description);
	}
	return 1;
}

static int
albums_delete(tui *t, tui_view *v, int key)
{
	const pgal_album *al = selected(v->data);
	char q[256];

	if (al == NULL)
		return 1;
	snprintf(q, sizeof q, "delete album '%s' and its %lld photo%s?", al->name,
	    (long long)al->photo_count, al->photo_count == 1 ? "" : "s");
	tui_confirm(t, q, delete_yes, strdup(al->name));
	return 1;
}

static int
albums_search(tui *t, tui_view *v, int key)
{
	tui_view_search_prompt(t, NULL);
	return 1;
}

static int
albums_account(tui *t, tui_view *v, int key)
{
	tui_view_account(t);
	return 1;
}

const tui_binding tui_albums_keys[] = {
	{ { TK_ENTER, TK(KEY_RIGHT), 'l' }, albums_open, NULL, "open", TUI_KEY_BAR },
	{ { 'n' }, albums_new, NULL, "new album", TUI_KEY_BAR },
	{ { 'r' }, albums_rename, NULL, "rename", TUI_KEY_BAR },
	{ { 'e' }, albums_edit, NULL, "edit title/description", TUI_KEY_BAR },
	{ { 'd', TK(KEY_DC) }, albums_delete, NULL, "delete", TUI_KEY_BAR },
	{ { '/' }, albums_search, NULL, "search all albums", TUI_KEY_BAR },
	{ { 'a' }, albums_account, NULL, "account", TUI_KEY_BAR },
	{ { 'L' }, tui_key_logout, NULL, "log out", 0 },
	TUI_LIST_ROWS,
	TUI_KEYS_END,
};

static void
albums_enter(tui *t, tui_view *v)
{
	albums_load(t, v->data);
}

static void
albums_free(tui_view *v)
{
	struct albums *a = v->data;

	free(a->rows);
	free(a);
}

static const tui_view_ops albums_ops = {
	.draw = albums_draw,
	.enter = albums_enter,
	.list_move = albums_move,
	.free = albums_free,
};

int
tui_view_albums(tui *t)
{
	struct albums *a = calloc(1, sizeof *a);

	if (a == NULL)
		return -1;
	if (tui_push(t, &albums_ops, tui_albums_keys, a, "albums") != 0)
		return -1;
	albums_load(t, a);
	return 0;
}
