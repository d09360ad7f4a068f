/* The account's SSH public keys: list, add a pasted line (validated by
 * the core), remove with a question. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "screens.h"

struct keys_view {
	pgal_ssh_key *rows;
	tui_list list;
	int page;
};

static void
keys_load(tui *t, struct keys_view *k)
{
	pgal_err e;
	size_t n = 0;

	free(k->rows);
	k->rows = NULL;
	if (pgal_key_list(t->g, t->token, &k->rows, &n, &e) != PGAL_OK) {
		k->list.n = 0;
		tui_fail(t, "cannot list the keys", &e);
		return;
	}
	k->list.n = n;
	tui_list_fit(&k->list, k->page > 0 ? k->page : 1);
}

static void
keys_draw(tui *t, tui_view *v, int y0, int h)
{
	struct keys_view *k = v->data;
	char when[32];
	int i, y, fw = 52, aw = 20, cw;
	size_t r;

	k->page = h - 3;
	tui_list_fit(&k->list, k->page);
	cw = COLS - aw - fw - 18 - 5;
	tui_text(y0, 1, aw, "TYPE", TS_HEAD);
	tui_text(y0, 2 + aw, fw, "FINGERPRINT", TS_HEAD);
	tui_text(y0, 3 + aw + fw, cw, "COMMENT", TS_HEAD);
	tui_text(y0, 4 + aw + fw + cw, 17, "ADDED", TS_HEAD);
	if (k->list.n == 0)
		tui_wrap(y0 + 2, 1, COLS - 2, 3, "No keys yet. Press a and paste a public key line "
		    "(e.g. the contents of ~/.ssh/id_ed25519.pub) to log in over SSH without "
		    "a password.", TS_DIM);
	for (i = 0, r = k->list.top; i < k->page && r < k->list.n; i++, r++) {
		const pgal_ssh_key *key = &k->rows[r];
		int st = r == k->list.sel ? TS_SELECT : TS_NORMAL;

		y = y0 + 1 + i;
		if (st == TS_SELECT)
			tui_fill(y, 0, COLS, st);
		pgal_fmt_local(when, key->created_at);
		tui_text(y, 1, aw, key->algo, st);
		tui_text(y, 2 + aw, fw, key->fingerprint, st);
		tui_text(y, 3 + aw + fw, cw, key->comment, st);
		tui_text(y, 4 + aw + fw + cw, 17, when, st);
	}
}

static int
add_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	pgal_ssh_key out;
	pgal_err e;

	if (pgal_key_add(t->g, t->token, f->f[0].buf, &out, &e) != PGAL_OK) {
		tui_fail(t, "the key was not added", &e);
		return -1;
	}
	tui_pop(t);
	tui_msg(t, 0, "key %s added", out.fingerprint);
	return 0;
}

static void
remove_yes(tui *t, void *arg)
{
	pgal_err e;

	if (pgal_key_remove(t->g, t->token, (const char *)arg, &e) != PGAL_OK) {
		tui_fail(t, "the key was not removed", &e);
		return;
	}
	tui_msg(t, 0, "key %s removed", (const char *)arg);
}

static int
keys_move(tui *t, tui_view *v, int motion)
{
	struct keys_view *k = v->data;

	tui_list_move(&k->list, motion, k->page);
	return 1;
}

static int
keys_add(tui *t, tui_view *v, int key)
{
	tui_form_spec spec = {
		.title = "add SSH key",
		.intro = "Paste one public key line: type, base64 key and an optional "
			 "comment, as in ~/.ssh/id_ed25519.pub.",
		.submit = add_submit,
	};
	tui_form *f;

	if ((f = tui_form_view(t, &spec)) != NULL)
		tui_form_add(f, "Public key", TUI_FIELD_MAX - 1, 0);
	return 1;
}

static int
keys_remove(tui *t, tui_view *v, int key)
{
	struct keys_view *k = v->data;
	const pgal_ssh_key *sel;
	char q[300];

	if (k->list.n == 0)
		return 1;
	sel = &k->rows[k->list.sel];
	snprintf(q, sizeof q, "remove the key %s (%s)? It can no longer log in.",
	    sel->fingerprint, sel->comment);
	tui_confirm(t, q, remove_yes, strdup(sel->fingerprint));
	return 1;
}

const tui_binding tui_ssh_keys_keys[] = {
	{ { 'a' }, keys_add, NULL, "add a key", TUI_KEY_BAR },
	{ { 'd', TK(KEY_DC) }, keys_remove, NULL, "remove", TUI_KEY_BAR },
	{ { 'q' }, tui_key_back, NULL, "back", TUI_KEY_BAR },
	TUI_LIST_ROWS,
	TUI_KEYS_END,
};

static void
keys_enter(tui *t, tui_view *v)
{
	keys_load(t, v->data);
}

static void
keys_free(tui_view *v)
{
	struct keys_view *k = v->data;

	free(k->rows);
	free(k);
}

static const tui_view_ops keys_ops = {
	.draw = keys_draw,
	.enter = keys_enter,
	.list_move = keys_move,
	.free = keys_free,
};

int
tui_view_keys(tui *t)
{
	struct keys_view *k = calloc(1, sizeof *k);

	if (k == NULL)
		return -1;
	if (tui_push(t, &keys_ops, tui_ssh_keys_keys, k, "SSH keys") != 0)
		return -1;
	keys_load(t, k);
	return 0;
}
