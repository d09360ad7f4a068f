/* The account: who, what it holds; change the password, SSH keys, cancel
 * the account (password again and the user name typed out). */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

struct account {
	pgal_whoami who;
	int have;
	tui_list list;
};

static void
account_load(tui *t, struct account *a)
{
	pgal_err e;

	a->have = pgal_session_check(t->g, t->token, &a->who, &e) == PGAL_OK;
	if (!a->have)
		tui_fail(t, "cannot read the account", &e);
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
	for (i = 0; i < NITEMS; i++, y += 2) {
		int sel = (size_t)i == a->list.sel;
		tui_fill(y, x - 2, 30, sel ? TS_SELECT : TS_NORMAL);
		tui_text(y, x, 26, items[i].label, sel ? TS_SELECT : TS_NORMAL);
	}
}

static int
account_move(tui *t, tui_view *v, int key)
{
	struct account *a = v->data;

	return tui_list_key(&a->list, key, NITEMS);
}

static int
account_choose(tui *t, tui_view *v, int key)
{
	struct account *a = v->data;

	return items[a->list.sel].run(t, v, key);
}

static const tui_binding account_keys[] = {
	{ { TK_ENTER, 'l', TK(KEY_RIGHT) }, account_choose, "Enter", "choose", TUI_KEY_BAR },
	{ { 'p' }, account_password, "p", "password", TUI_KEY_BAR },
	{ { 'K' }, account_ssh_keys, "K", "SSH keys", TUI_KEY_BAR },
	{ { 'C' }, account_cancel, "C", "cancel account", TUI_KEY_BAR },
	{ { 'L' }, tui_key_logout, "L", "log out", TUI_KEY_BAR },
	{ { TUI_LIST_STEP_KEYS, TUI_LIST_ENDS_KEYS, TUI_LIST_HALF_KEYS, TUI_LIST_PAGE_KEYS },
	  account_move, NULL, NULL, 0 },
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
	.free = account_free,
};

int
tui_view_account(tui *t)
{
	struct account *a = calloc(1, sizeof *a);

	if (a == NULL)
		return -1;
	a->list.n = NITEMS;
	if (tui_push(t, &account_ops, account_keys, a, "account") != 0)
		return -1;
	account_load(t, a);
	return 0;
}
