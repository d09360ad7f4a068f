/* A forgotten password: Ctrl-R mails a code to the account's address,
 * the code and a new password (twice) set it and end every session. */

#include "app.h"

static int
reset_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	char user[PGAL_USER_MAX + 1];
	pgal_err e;

	if (f->f[0].len == 0 || f->f[1].len == 0) {
		tui_form_fault(f, f->f[0].len == 0 ? 0 : 1);
		tui_msg(t, 1, "enter the user name and the code from the mail (Ctrl-R mails one)");
		return -1;
	}
	if (tui_form_new_password(t, f, 2) != 0)
		return -1;
	tui_busy(t, "setting the new password…");
	if (pgal_reset_password(t->g, f->f[0].buf, f->f[1].buf, f->f[2].buf, &e) != PGAL_OK) {
		/* the password passed the rules: what is refused is the name or the code */
		tui_form_fault(f, e.code == PGAL_ENOTFOUND ? 0 : 1);
		tui_msg(t, 1, "%s", e.msg);
		return -1;
	}
	tui_copy(user, sizeof user, f->f[0].buf);
	tui_pop_to(t, &tui_welcome_ops);
	tui_view_login(t, user);
	tui_msg(t, 0, "password changed and every session ended; log in with the new one");
	return 0;
}

/* mails a code to the account named in the form */
static void
reset_mail(tui *t, tui_form *f)
{
	char who[PGAL_USER_MAX + 32];
	pgal_err e;

	if (f->f[0].len == 0) {
		tui_msg(t, 1, "enter the user name first");
		f->focus = 0;
		return;
	}
	tui_busy(t, "mailing a reset code…");
	if (pgal_reset_request(t->g, f->f[0].buf, &e) != PGAL_OK) {
		tui_msg(t, 1, "%s", e.msg);
		f->focus = 0;
		return;
	}
	snprintf(who, sizeof who, "the address of %.*s", PGAL_USER_MAX, f->f[0].buf);
	tui_msg_mailed(t, who);
	f->focus = 1;
}

static int
reset_key_mail(tui *t, tui_view *v, int key)
{
	reset_mail(t, tui_form_of(v));
	return 1;
}

static const tui_binding reset_keys[] = {
	{ { TK_ENTER }, tui_form_edit_key, "Enter", "next field / submit", TUI_KEY_BAR },
	{ { TK_CTRL('r') }, reset_key_mail, "Ctrl-R", "mail a code", TUI_KEY_BAR },
	{ { TK_ESC }, tui_form_cancel, "Esc", "cancel", TUI_KEY_BAR },
	{ { TUI_KEY_ANY }, tui_form_edit_key, NULL, NULL, 0 },
	TUI_KEYS_END,
};

int
tui_view_reset(tui *t, const char *user)
{
	tui_form_spec spec = {
		.title = "reset password",
		.intro = "Forgot your password? Ctrl-R mails a code to the account's "
			 "address; enter it with a new password. Every session of the "
			 "account ends.",
		.submit = reset_submit,
		.keys = reset_keys,
	};
	tui_form *f;
	tui_field *u;

	if ((f = tui_form_view(t, &spec)) == NULL)
		return -1;
	u = tui_form_add(f, "User name", PGAL_USER_MAX, 0);
	tui_form_add(f, "Code", 32, 0);
	tui_form_add(f, "New password", 256, 1);
	tui_form_add(f, "New password again", 256, 1);
	if (user != NULL && user[0] != '\0') {
		/* the name is known: the code is what the user came for */
		tui_field_set(u, user);
		reset_mail(t, f);
	} else {
		tui_msg(t, 0, "enter your user name, then Ctrl-R mails a code");
	}
	return 0;
}
