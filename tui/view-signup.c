/* Sign up: user name, email and the password twice (no echo), then the
 * confirmation code screen. */
#include <string.h>

#include "app.h"

static int
signup_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	char user[PGAL_USER_MAX + 1], email[PGAL_EMAIL_MAX + 1];
	pgal_err e;

	if (f->f[0].len == 0 || f->f[1].len == 0 || f->f[2].len == 0) {
		tui_msg(t, 1, "every field is needed");
		return -1;
	}
	if (strcmp(f->f[2].buf, f->f[3].buf) != 0) {
		tui_msg(t, 1, "the two passwords differ; type them again");
		explicit_bzero(f->f[2].buf, sizeof f->f[2].buf);
		explicit_bzero(f->f[3].buf, sizeof f->f[3].buf);
		f->f[2].len = f->f[2].cur = f->f[3].len = f->f[3].cur = 0;
		f->focus = 2;
		return -1;
	}
	tui_busy(t, "creating the account…");
	if (pgal_signup(t->g, f->f[0].buf, f->f[1].buf, f->f[2].buf, &e) != PGAL_OK) {
		tui_msg(t, 1, "%s", e.msg);
		return -1;
	}
	tui_copy(user, sizeof user, f->f[0].buf);
	tui_copy(email, sizeof email, f->f[1].buf);
	tui_pop(t);
	tui_view_confirm(t, user);
	tui_msg(t, 0, "a code was mailed to %s", email);
	return 0;
}

int
tui_view_signup(tui *t)
{
	tui_form_spec spec = {
		.title = "sign up",
		.intro = "Choose a user name (a-z, 0-9, _ and -, starting with a letter), "
			 "give an email address for the confirmation code, and a password.",
		.submit = signup_submit,
	};
	tui_form *f;

	if ((f = tui_form_view(t, &spec)) == NULL)
		return -1;
	tui_form_add(f, "User name", PGAL_USER_MAX, 0);
	tui_form_add(f, "Email", PGAL_EMAIL_MAX, 0);
	tui_form_add(f, "Password", 256, 1);
	tui_form_add(f, "Password again", 256, 1);
	return 0;
}
