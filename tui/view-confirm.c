/* The mailed confirmation code; Ctrl-R mails a new one. */
#include <string.h>

#include "app.h"

static int
confirm_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	char user[PGAL_USER_MAX + 1];
	pgal_err e;

	if (f->f[0].len == 0 || f->f[1].len == 0) {
		tui_msg(t, 1, "enter the user name and the code from the mail");
		return -1;
	}
	if (pgal_confirm(t->g, f->f[0].buf, f->f[1].buf, &e) != PGAL_OK) {
		tui_msg(t, 1, "%s", e.msg);
		return -1;
	}
	tui_copy(user, sizeof user, f->f[0].buf);
	tui_pop_to(t, &tui_welcome_ops);
	tui_view_login(t, user);
	tui_msg(t, 0, "account confirmed; log in");
	return 0;
}

void
tui_msg_mailed(tui *t, const char *to)
{
	char kept[512];

	/* over SSH the server's folders are none of the user's business */
	if (!t->env->remote && pgal_mail_where_kept(t->g, kept, sizeof kept))
		tui_msg(t, 0, "a code was mailed to %s (%s)", to, kept);
	else
		tui_msg(t, 0, "a code was mailed to %s", to);
}

/* Ctrl-R: mails a new code to the user named in the form */
static int
confirm_resend(tui *t, tui_view *v, int key)
{
	tui_form *f = tui_form_of(v);
	pgal_err e;

	if (f->f[0].len == 0) {
		tui_msg(t, 1, "enter the user name first");
		f->focus = 0;
		return 1;
	}
	tui_busy(t, "mailing a new code…");
	if (pgal_resend_code(t->g, f->f[0].buf, &e) != PGAL_OK) {
		tui_msg(t, 1, "%s", e.msg);
		return 1;
	}
	tui_msg(t, 0, "a new code was mailed (an earlier one works too until it expires)");
	return 1;
}

static const tui_binding confirm_keys[] = {
	{ { TK_ENTER }, tui_form_edit_key, "Enter", "next field / submit", TUI_KEY_BAR },
	{ { TK_CTRL('r') }, confirm_resend, "Ctrl-R", "mail a new code", TUI_KEY_BAR },
	{ { TK_ESC }, tui_form_cancel, "Esc", "cancel", TUI_KEY_BAR },
	{ { TUI_KEY_ANY }, tui_form_edit_key, NULL, NULL, 0 },
	TUI_KEYS_END,
};

int
tui_view_confirm(tui *t, const char *user)
{
	tui_form_spec spec = {
		.title = "confirm email",
		.intro = "Enter the 10-character code from the confirmation mail. "
			 "Ctrl-R mails a new code.",
		.submit = confirm_submit,
		.keys = confirm_keys,
	};
	tui_form *f;
	tui_field *u;

	if ((f = tui_form_view(t, &spec)) == NULL)
		return -1;
	u = tui_form_add(f, "User name", PGAL_USER_MAX, 0);
	tui_form_add(f, "Code", 32, 0);
	if (user != NULL && user[0] != '\0') {
		tui_field_set(u, user);
		f->focus = 1;
	}
	return 0;
}
