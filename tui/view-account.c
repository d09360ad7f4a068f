/* The account: who, what it holds; change the password, SSH keys, cancel
 * the account (password again and the user name typed out). */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

static const char *items[] = { "Change password", "SSH keys", "Cancel account", "Log out" };
#define NITEMS 4

struct account {
	pgal_whoami who;
	int have;
	tui_list list;
};

static const tui_keyhelp account_keys[] = {
	{ "Enter", "choose", 1 },
	{ "p", "password", 1 },
	{ "K", "SSH keys", 1 },
	{ "C", "cancel account", 1 },
	{ "L", "log out", 1 },
	{ NULL, NULL, 0 },
};

static void
account_load(tui *t, struct account *a)
{
	pgal_err e;

	a->have = pgal_session_check(t->g, t->token, &a->who, &e) == PGAL_OK;
	if (!a->have)
		tui_fail(t, "cannot read the account", &e);
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
	for (i = 0; i < NITEMS; i++, y += 2) {
		int sel = (size_t)i == a->list.sel;
		tui_fill(y, x - 2, 30, sel ? TS_SELECT : TS_NORMAL);
		tui_text(y, x, 26, items[i], sel ? TS_SELECT : TS_NORMAL);
	}
}

static int
passwd_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	pgal_err e;

	if (strcmp(f->f[1].buf, f->f[2].buf) != 0) {
		tui_msg(t, 1, "the two new passwords differ");
		f->focus = 1;
		return -1;
	}
	if (pgal_passwd(t->g, t->token, f->f[0].buf, f->f[1].buf, &e) != PGAL_OK) {
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
		f->focus = 1;
		return -1;
	}
	tui_busy(t, "deleting the account…");
	if (pgal_cancel_account(t->g, t->token, f->f[0].buf, &e) != PGAL_OK) {
		tui_fail(t, "the account was not cancelled", &e);
		return -1;
	}
	tui_logged_out(t, "account cancelled: everything in it was deleted");
	return 0;
}

static void
choose(tui *t, struct account *a, size_t i)
{
	tui_form_spec spec;
	tui_form *f;
	char intro[512], size[32];

	memset(&spec, 0, sizeof spec);
	switch (i) {
	case 0:
		spec.title = "change password";
		spec.intro = "Your other sessions (other terminals, SSH) end when the "
			     "password changes.";
		spec.submit = passwd_submit;
		if ((f = tui_form_view(t, &spec)) != NULL) {
			tui_form_add(f, "Current password", 256, 1);
			tui_form_add(f, "New password", 256, 1);
			tui_form_add(f, "New password again", 256, 1);
		}
		break;
	case 1:
		tui_view_keys(t);
		break;
	case 2:
		pgal_fmt_size(size, a->who.bytes);
		snprintf(intro, sizeof intro, "This deletes the account '%s' with its %lld "
		    "album%s and %lld photo%s (%s), and ends every session. It cannot be "
		    "undone. Enter your password and type your user name to confirm.",
		    t->user, (long long)a->who.albums, a->who.albums == 1 ? "" : "s",
		    (long long)a->who.photos, a->who.photos == 1 ? "" : "s", size);
		spec.title = "cancel account";
		spec.intro = intro; /* copied by the form view */
		spec.submit = cancel_submit;
		if ((f = tui_form_view(t, &spec)) != NULL) {
			tui_form_add(f, "Password", 256, 1);
			tui_form_add(f, "Type your user name", PGAL_USER_MAX, 0);
		}
		break;
	case 3:
		tui_logged_out(t, "logged out");
		break;
	}
}

static int
account_key(tui *t, tui_view *v, int key)
{
	struct account *a = v->data;

	if (tui_list_key(&a->list, key, NITEMS))
		return 1;
	switch (key) {
	case TK_ENTER:
	case 'l':
	case TK(KEY_RIGHT):
		choose(t, a, a->list.sel);
		return 1;
	case 'p':
		choose(t, a, 0);
		return 1;
	case 'K':
		choose(t, a, 1);
		return 1;
	case 'C':
		choose(t, a, 2);
		return 1;
	case 'L':
		choose(t, a, 3);
		return 1;
	}
	return 0;
}

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
	.name = "account",
	.draw = account_draw,
	.key = account_key,
	.enter = account_enter,
	.free = account_free,
	.keys = account_keys,
};

int
tui_view_account(tui *t)
{
	struct account *a = calloc(1, sizeof *a);

	if (a == NULL)
		return -1;
	a->list.n = NITEMS;
	if (tui_push(t, &account_ops, a, "account") != 0)
		return -1;
	account_load(t, a);
	return 0;
}
