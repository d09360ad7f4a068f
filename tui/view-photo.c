/* One photo: the preview fills the free space, title, description, tags
 * and EXIF beside it; next/previous walk the list it was opened from. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "screens.h"
#include "preview.h"

struct photo_view {
	tui_source *src;
	size_t i;
	pgal_photo cur;
	int have;
};

/* Loads row i of the source and re-reads it, so edits show at once. */
static void
photo_load(tui *t, struct photo_view *pv)
{
	const pgal_photo *p;
	pgal_err e;

	if ((p = pv->src->ops->get(pv->src, pv->i, &e)) == NULL) {
		pv->have = 0;
		tui_fail(t, "cannot read the photo", &e);
		return;
	}
	if (pgal_photo_get(t->g, t->token, p->album, p->name, &pv->cur, &e) != PGAL_OK) {
		pv->cur = *p;
		if (e.code != PGAL_ENOTFOUND)
			tui_fail(t, "cannot read the photo", &e);
	}
	pv->have = 1;
	pv->src->shown = pv->i;
	pv->src->has_shown = 1;
}

static int
info_line(int y, int x, int w, const char *label, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return 0;
	tui_text(y, x, 9, label, TS_LABEL);
	tui_text(y, x + 10, w - 10, value, TS_NORMAL);
	return 1;
}

static void
photo_info(tui *t, struct photo_view *pv, int y, int x, int w, int h)
{
	const pgal_photo *p = &pv->cur;
	pgal_photo_facts pf;
	char buf[256];
	int y1 = y + h, n;

	pgal_fmt_photo_facts(p, &pf);
	n = tui_wrap(y, x, w, 2, p->title[0] != '\0' ? p->title : p->name, TS_HEAD);
	y += n + 1;
	if (p->description[0] != '\0' && y < y1)
		y += tui_wrap(y, x, w, 4, p->description, TS_NORMAL) + 1;
	y += info_line(y, x, w, "Name", p->name);
	y += info_line(y, x, w, "Album", p->album);
	y += info_line(y, x, w, "Tags", p->tags[0] != '\0' ? p->tags : "-");
	snprintf(buf, sizeof buf, "%s, %s", pf.pixels, pf.size);
	y += info_line(y, x, w, "Size", buf);
	y++;
	y += info_line(y, x, w, "Camera", pf.camera);
	y += info_line(y, x, w, "Lens", p->exif.lens);
	y += info_line(y, x, w, "Exposure", pf.exposure);
	y += info_line(y, x, w, "Aperture", pf.aperture);
	y += info_line(y, x, w, "ISO", pf.iso);
	y += info_line(y, x, w, "Focal", pf.focal);
	y += info_line(y, x, w, "Taken", pf.taken);
	y += info_line(y, x, w, "GPS", pf.gps);
	y += info_line(y, x, w, "Added", pf.added);
	snprintf(buf, sizeof buf, "%zu of %zu", pv->i + 1, pv->src->ops->count(pv->src));
	if (y < y1)
		tui_text(y1 - 1, x, w, buf, TS_DIM);
}

static void
photo_draw(tui *t, tui_view *v, int y0, int h)
{
	struct photo_view *pv = v->data;
	int sw = COLS / 3;

	if (sw < 30)
		sw = 30;
	if (sw > 44)
		sw = 44;
	if (!pv->have)
		return;
	tui_preview_draw(t, &pv->cur, PGAL_BLOB_PREVIEW, y0, 0, h, COLS - sw - 1);
	photo_info(t, pv, y0, COLS - sw + 1, sw - 2, h);
}

static void
go(tui *t, struct photo_view *pv, size_t to)
{
	size_t n = pv->src->ops->count(pv->src);

	if (n == 0 || to >= n)
		return;
	pv->i = to;
	photo_load(t, pv);
}

static int
photo_next(tui *t, tui_view *v, int key)
{
	struct photo_view *pv = v->data;

	if (pv->i + 1 < pv->src->ops->count(pv->src))
		go(t, pv, pv->i + 1);
	else
		tui_msg(t, 0, "this is the last photo");
	return 1;
}

static int
photo_previous(tui *t, tui_view *v, int key)
{
	struct photo_view *pv = v->data;

	if (pv->i > 0)
		go(t, pv, pv->i - 1);
	else
		tui_msg(t, 0, "this is the first photo");
	return 1;
}

static int
photo_first(tui *t, tui_view *v, int key)
{
	go(t, v->data, 0);
	return 1;
}

static int
photo_last(tui *t, tui_view *v, int key)
{
	struct photo_view *pv = v->data;
	size_t n = pv->src->ops->count(pv->src);

	go(t, pv, n > 0 ? n - 1 : 0);
	return 1;
}

static int
photo_edit(tui *t, tui_view *v, int key)
{
	struct photo_view *pv = v->data;

	if (pv->have)
		tui_photo_edit(t, &pv->cur);
	return 1;
}

static int
photo_move(tui *t, tui_view *v, int key)
{
	struct photo_view *pv = v->data;

	if (pv->have)
		tui_photo_move(t, &pv->cur);
	return 1;
}

static int
photo_delete(tui *t, tui_view *v, int key)
{
	struct photo_view *pv = v->data;

	if (pv->have)
		tui_photo_delete_ask(t, &pv->cur);
	return 1;
}

const tui_binding tui_photo_keys[] = {
	/* ← and → step here (elsewhere ← goes back): the photo is a page */
	{ { 'n', 'j', TK(KEY_RIGHT) }, photo_next, NULL, "next", TUI_KEY_BAR },
	{ { 'p', 'k', TK(KEY_LEFT) }, photo_previous, NULL, "previous", TUI_KEY_BAR },
	{ { 'e' }, photo_edit, NULL, "edit", TUI_KEY_BAR },
	{ { 'm' }, photo_move, NULL, "move/rename", TUI_KEY_BAR },
	{ { 'd', TK(KEY_DC) }, photo_delete, NULL, "delete", TUI_KEY_BAR },
	{ { 'q' }, tui_key_back, NULL, "back", TUI_KEY_BAR },
	{ { ' ', TK(KEY_DOWN), TK(KEY_NPAGE) }, photo_next, NULL, "next photo", 0 },
	{ { TK(KEY_BACKSPACE), TK(KEY_UP), TK(KEY_PPAGE) }, photo_previous, NULL,
	  "previous photo", 0 },
	{ { 'g' }, photo_first, NULL, "first photo", 0 },
	{ { 'G' }, photo_last, NULL, "last photo", 0 },
	TUI_KEYS_END,
};

static void
photo_enter(tui *t, tui_view *v)
{
	struct photo_view *pv = v->data;

	pv->src->ops->reload(pv->src);
	photo_load(t, pv);
}

static void
photo_free(tui_view *v)
{
	struct photo_view *pv = v->data;

	tui_source_unref(pv->src);
	free(pv);
}

static const tui_view_ops photo_ops = {
	.draw = photo_draw,
	.enter = photo_enter,
	.free = photo_free,
};

int
tui_view_photo(tui *t, tui_source *src, size_t i)
{
	struct photo_view *pv = calloc(1, sizeof *pv);

	if (pv == NULL)
		return -1;
	tui_source_ref(src);
	pv->src = src;
	pv->i = i;
	if (tui_push(t, &photo_ops, tui_photo_keys, pv, "photo") != 0)
		return -1;
	photo_load(t, pv);
	return 0;
}

/* ---- edit, move and delete, shared with the album view ---- */

struct photo_ref {
	char album[PGAL_ALBUM_MAX + 1];
	char name[PGAL_PHOTO_NAME_MAX + 1];
};

static struct photo_ref *
ref_of(const pgal_photo *p)
{
	struct photo_ref *r = calloc(1, sizeof *r);

	if (r != NULL) {
		tui_copy(r->album, sizeof r->album, p->album);
		tui_copy(r->name, sizeof r->name, p->name);
	}
	return r;
}

static int
edit_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	struct photo_ref *r = arg;
	pgal_photo out;
	pgal_err e;

	if (pgal_photo_update(t->g, t->token, r->album, r->name, f->f[0].buf, f->f[1].buf,
	    f->f[2].buf, &out, &e) != PGAL_OK) {
		tui_fail(t, "cannot change the photo", &e);
		return -1;
	}
	tui_pop(t);
	tui_msg(t, 0, "photo '%s' changed", out.name);
	return 0;
}

int
tui_photo_edit(tui *t, const pgal_photo *p)
{
	tui_form_spec spec = {
		.intro = "Tags are separated by commas; they replace the photo's tags.",
		.submit = edit_submit,
		.own_arg = 1,
	};
	char title[PGAL_ALBUM_MAX + PGAL_PHOTO_NAME_MAX + 16];
	tui_form *f;

	/* the form names what it edits (the view's title is copied) */
	snprintf(title, sizeof title, "edit photo %s/%s", p->album, p->name);
	spec.title = title;
	if ((spec.arg = ref_of(p)) == NULL)
		return -1;
	if ((f = tui_form_view(t, &spec)) == NULL)
		return -1;
	tui_field_set(tui_form_add(f, "Title", PGAL_TITLE_MAX, 0), p->title);
	tui_field_set(tui_form_add(f, "Description", PGAL_DESC_MAX, 0), p->description);
	tui_field_set(tui_form_add(f, "Tags", PGAL_TAGS_MAX, 0), p->tags);
	return 0;
}

/* ---- move and rename: one form, as a file manager's F6 ---- */

/* Enter in the last field moves; Tab there completes the album */
const tui_binding tui_photo_move_keys[] = {
	TUI_FORM_ENTER("next field / move"),
	{ { '\t' }, tui_form_tab, NULL, "next field / complete album", TUI_KEY_BAR },
	TUI_FORM_ROWS,
	TUI_KEYS_END,
};

enum { MOVE_NAME, MOVE_ALBUM };

static int
move_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	struct photo_ref *r = arg;
	const char *name = f->f[MOVE_NAME].buf, *album = f->f[MOVE_ALBUM].buf;
	char from[PGAL_ALBUM_MAX + PGAL_PHOTO_NAME_MAX + 2];
	tui_view *below;
	pgal_photo out;
	pgal_err e;
	int moved;

	if (name[0] == '\0' || album[0] == '\0') {
		tui_form_fault(f, name[0] == '\0' ? MOVE_NAME : MOVE_ALBUM);
		tui_msg(t, 1, "type the photo's name and the album it goes to");
		return -1;
	}
	if (strcmp(name, r->name) == 0 && strcmp(album, r->album) == 0) {
		tui_form_fault(f, MOVE_NAME);
		tui_msg(t, 1, "nothing to change: type a new name or another album");
		return -1;
	}
	if (pgal_photo_move(t->g, t->token, r->album, r->name, album, name, &out, &e) !=
	    PGAL_OK) {
		/* the album field when that album is not there, else the name */
		tui_form_fault(f, e.code == PGAL_ENOTFOUND ? MOVE_ALBUM : MOVE_NAME);
		tui_fail(t, "cannot move the photo", &e);
		return -1;
	}
	snprintf(from, sizeof from, "%s/%s", r->album, r->name);
	moved = strcmp(out.album, r->album) != 0;
	tui_pop(t); /* r is gone with the form */
	/* a photo view below shows a list the photo has left: back to it */
	below = tui_top(t);
	if (below != NULL && below->ops == &photo_ops && moved)
		tui_pop(t);
	if (!moved)
		tui_msg(t, 0, "renamed %s to %s", from, out.name);
	else
		tui_msg(t, 0, "moved %s to %s/%s", from, out.album, out.name);
	return 0;
}

int
tui_photo_move(tui *t, const pgal_photo *p)
{
	tui_form_spec spec = {
		.intro = "A new name, another album (Tab completes it), or both.",
		.submit = move_submit,
		.own_arg = 1,
		.keys = tui_photo_move_keys,
	};
	char title[PGAL_ALBUM_MAX + PGAL_PHOTO_NAME_MAX + 32];
	tui_field *fl;
	tui_form *f;

	snprintf(title, sizeof title, "move or rename photo %s/%s", p->album, p->name);
	spec.title = title;
	if ((spec.arg = ref_of(p)) == NULL)
		return -1;
	if ((f = tui_form_view(t, &spec)) == NULL)
		return -1;
	tui_field_set(tui_form_add(f, "Name", PGAL_PHOTO_NAME_MAX, 0), p->name);
	if ((fl = tui_form_add(f, "Album", PGAL_ALBUM_MAX, 0)) != NULL) {
		tui_field_set(fl, p->album);
		fl->complete = TUI_COMPLETE_ALBUM;
	}
	return 0;
}

static void
delete_yes(tui *t, void *arg)
{
	struct photo_ref *r = arg;
	tui_view *top = tui_top(t);
	pgal_err e;

	if (pgal_photo_delete(t->g, t->token, r->album, r->name, &e) != PGAL_OK) {
		tui_fail(t, "cannot delete the photo", &e);
		return;
	}
	/* the photo view has nothing left to show: back to the list */
	if (top != NULL && top->ops == &photo_ops)
		tui_pop(t);
	tui_msg(t, 0, "photo '%s' deleted", r->name);
}

int
tui_photo_delete_ask(tui *t, const pgal_photo *p)
{
	char q[400];

	snprintf(q, sizeof q, "delete photo '%s' from album '%s'? The original and its "
	    "previews are removed.", p->name, p->album);
	return tui_confirm(t, q, delete_yes, ref_of(p));
}
