/* The account: who, what it holds; change the password, SSH keys, the
 * preferences (Enter steps through the values; they follow the user to
 * every host), cancel the account (password again and the user name
 * typed out). */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "screens.h"
#include "prefs.h"

struct account {
	pgal_whoami who;
	int have;
	tui_list list;
	pgal_pref prefs[PGAL_PREFS_MAX];
	size_t nprefs;
};

static void
account_load(tui *t, struct account *a)
{
	pgal_err e;

	a->have = pgal_session_check(t->g, t->token, &a->who, &e) == PGAL_OK;
	if (!a->have) {
		tui_fail(t, "cannot read the account", &e);
		return;
	}
	if (pgal_prefs_get(t->g, t->token, a->prefs, &a->nprefs, &e) != PGAL_OK) {
		a->nprefs = 0;
		tui_fail(t, "cannot read the preferences", &e);
	}
}

static int
passwd_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	pgal_err e;

	if (tui_form_new_password(t, f, 1) != 0)
		return -1;
	if (pgal_passwd(t->g, t->token, f->f[0].buf, f->f[1].buf, &e) != PGAL_OK) {
		/* before tui_fail, which may close the form */
		tui_form_fault(f, e.code == PGAL_EINPUT ? 1 : 0);
		tui_fail(t, "the password was not changed", &e);
		return -1;
	}
	tui_pop(t);
	tui_msg(t, 0, "password changed; your other sessions were ended");
	return 0;
}

static int
cancel_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	pgal_err e;

	if (strcmp(f->f[1].buf, t->user) != 0) {
		tui_msg(t, 1, "type your user name '%s' exactly to cancel the account", t->user);
		tui_form_fault(f, 1);
		return -1;
	}
	tui_busy(t, "deleting the account…");
	if (pgal_cancel_account(t->g, t->token, f->f[0].buf, &e) != PGAL_OK) {
		tui_form_fault(f, 0);
		tui_fail(t, "the account was not cancelled", &e);
		return -1;
	}
	tui_logged_out(t, "account cancelled: everything in it was deleted");
	return 0;
}

/* ---- the menu: each item is also a key ---- */

static int
account_password(tui *t, tui_view *v, int key)
{
	tui_form_spec spec = {
		.title = "change password",
		.intro = "Your other sessions (other terminals, SSH) end when the "
			 "password changes.",
		.submit = passwd_submit,
	};
	tui_form *f;

	if ((f = tui_form_view(t, &spec)) != NULL) {
		tui_form_add(f, "Current password", 256, 1);
		tui_form_add(f, "New password", 256, 1);
		tui_form_add(f, "New password again", 256, 1);
	}
	return 1;
}

static int
account_ssh_keys(tui *t, tui_view *v, int key)
{
	tui_view_keys(t);
	return 1;
}

static int
account_cancel(tui *t, tui_view *v, int key)
{
	struct account *a = v->data;
	tui_form_spec spec = {
		.title = "cancel account",
		.submit = cancel_submit,
	};
	char intro[512], size[32];
	tui_form *f;

	pgal_fmt_size(size, a->who.bytes);
	snprintf(intro, sizeof intro, "This deletes the account '%s' with its %lld "
	    "album%s and %lld photo%s (%s), and ends every session. It cannot be "
	    "undone. Enter your password and type your user name to confirm.",
	    t->user, (long long)a->who.albums, a->who.albums == 1 ? "" : "s",
	    (long long)a->who.photos, a->who.photos == 1 ? "" : "s", size);
	spec.intro = intro; /* copied by the form view */
	if ((f = tui_form_view(t, &spec)) != NULL) {
		tui_form_add(f, "Password", 256, 1);
		tui_form_add(f, "Type your user name", PGAL_USER_MAX, 0);
	}
	return 1;
}

/* What a preference gives here and now (a preference may ask for more
 * than this terminal can show) */
static const char *
pref_effect(tui *t, const char *name)
{
	static const char *const gfx[] = { "symbols", "sixel", "kitty" };

	if (strcmp(name, "colors") == 0)
		return tui_colour_name(t->colour);
	if (strcmp(name, "graphics") == 0 && t->graphics >= 0 && t->graphics < 3)
		return gfx[t->graphics];
	return NULL;
}

/* The preference's next value, saved, and the screen made to match. */
static void
pref_step(tui *t, struct account *a, size_t i)
{
	const pgal_pref_def *d = pgal_pref_find(a->prefs[i].name);
	const char *next, *now;
	pgal_err e;
	size_t k;

	if (d == NULL)
		return;
	for (k = 0; d->values[k] != NULL && strcmp(d->values[k], a->prefs[i].value) != 0; k++)
		;
	next = d->values[k] != NULL && d->values[k + 1] != NULL ? d->values[k + 1] : d->values[0];
	if (pgal_pref_set(t->g, t->token, d->name, next, &e) != PGAL_OK) {
		tui_fail(t, "the preference was not saved", &e);
		return;
	}
	tui_copy(a->prefs[i].value, sizeof a->prefs[i].value, next);
	tui_display_apply(t);
	now = pref_effect(t, d->name);
	if (t->display_why != NULL && strcmp(d->name, "colors") == 0)
		tui_msg(t, 1, "%s=%s saved, but %s; showing %s", d->name, next, t->display_why,
		    now != NULL ? now : "what it can");
	else
		tui_msg(t, 0, "%s=%s saved for every host%s%s", d->name, next,
		    now != NULL ? "; showing " : "", now != NULL ? now : "");
}

static const struct {
	const char *label;
	int (*run)(tui *t, tui_view *v, int key);
} items[] = {
	{ "Change password", account_password },
	{ "SSH keys", account_ssh_keys },
	{ "Cancel account", account_cancel },
	{ "Log out", tui_key_logout },
};
#define NITEMS 4
/* the preferences come after the first FIXED_BEFORE items */
#define FIXED_BEFORE 2

static size_t
item_count(const struct account *a)
{
	return NITEMS + a->nprefs;
}

/* the preference at list row i, or -1 for one of items[] (*fixed) */
static int
item_at(const struct account *a, size_t i, size_t *fixed)
{
	if (i < FIXED_BEFORE) {
		*fixed = i;
		return -1;
	}
	if (i < FIXED_BEFORE + a->nprefs)
		return (int)(i - FIXED_BEFORE);
	*fixed = i - a->nprefs;
	return -1;
}

static void
account_draw(tui *t, tui_view *v, int y0, int h)
{
	struct account *a = v->data;
	char buf[128];
	int x = 4, y = y0 + 1, i;

	if (a->have) {
		tui_text(y, x, 12, "User", TS_LABEL);
		tui_text(y++, x + 12, COLS - x - 14, a->who.user, TS_NORMAL);
		tui_text(y, x, 12, "Email", TS_LABEL);
		tui_text(y++, x + 12, COLS - x - 14, a->who.email, TS_NORMAL);
		pgal_fmt_local(buf, a->who.created_at);
		tui_text(y, x, 12, "Since", TS_LABEL);
		tui_text(y++, x + 12, COLS - x - 14, buf, TS_NORMAL);
		pgal_fmt_size(buf, a->who.bytes);
		tui_text(y, x, 12, "Holds", TS_LABEL);
		{
			char line[160];
			snprintf(line, sizeof line, "%lld album%s, %lld photo%s, %s",
			    (long long)a->who.albums, a->who.albums == 1 ? "" : "s",
			    (long long)a->who.photos, a->who.photos == 1 ? "" : "s", buf);
			tui_text(y++, x + 12, COLS - x - 14, line, TS_NORMAL);
		}
	}
	y += 2;
	for (i = 0; (size_t)i < item_count(a) && y < y0 + h; i++, y += 2) {
		int sel = (size_t)i == a->list.sel, p;
		size_t fixed = 0;
		const char *now;

		tui_fill(y, x - 2, 40, sel ? TS_SELECT : TS_NORMAL);
		if ((p = item_at(a, (size_t)i, &fixed)) < 0) {
			tui_text(y, x, 36, items[fixed].label, sel ? TS_SELECT : TS_NORMAL);
			continue;
		}
		snprintf(buf, sizeof buf, "%-9s %s", a->prefs[p].name, a->prefs[p].value);
		tui_text(y, x, 36, buf, sel ? TS_SELECT : TS_NORMAL);
		if ((now = pref_effect(t, a->prefs[p].name)) != NULL) {
			snprintf(buf, sizeof buf, "now %s", now);
			tui_text(y, x + 40, COLS - x - 42, buf, TS_DIM);
		}
	}
}

static int
account_move(tui *t, tui_view *v, int motion)
{
	struct account *a = v->data;

	a->list.n = item_count(a);
	tui_list_move(&a->list, motion, (int)a->list.n);
	return 1;
}

static int
account_choose(tui *t, tui_view *v, int key)
{
	struct account *a = v->data;
	size_t fixed = 0;
	int p = item_at(a, a->list.sel, &fixed);

	if (p >= 0) {
		pref_step(t, a, (size_t)p);
		return 1;
	}
	return items[fixed].run(t, v, key);
}

const tui_binding tui_account_keys[] = {
	{ { TK_ENTER, 'l', TK(KEY_RIGHT) }, account_choose, NULL, "choose/change", TUI_KEY_BAR },
	{ { 'p' }, account_password, NULL, "password", TUI_KEY_BAR },
	{ { 'K' }, account_ssh_keys, NULL, "SSH keys", TUI_KEY_BAR },
	{ { 'C' }, account_cancel, NULL, "cancel account", TUI_KEY_BAR },
	{ { 'L' }, tui_key_logout, NULL, "log out", TUI_KEY_BAR },
	TUI_LIST_ROWS,
	TUI_KEYS_END,
};

static void
account_enter(tui *t, tui_view *v)
{
	account_load(t, v->data);
}

static void
account_free(tui_view *v)
{
	free(v->data);
}

static const tui_view_ops account_ops = {
	.draw = account_draw,
	.enter = account_enter,
	.list_move = account_move,
	.free = account_free,
};

int
tui_view_account(tui *t)
{
	struct account *a = calloc(1, sizeof *a);

	if (a == NULL)
		return -1;
	if (tui_push(t, &account_ops, tui_account_keys, a, "account") != 0)
		return -1;
	account_load(t, a);
	a->list.n = item_count(a);
	return 0;
}
