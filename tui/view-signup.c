/* Sign up: user name, email and the password twice (no echo), then the
 * confirmation code screen. */
#include <string.h>

#include "app.h"
#include "validate.h"

/* The first of the name and email fields the core would refuse, checked
 * with its own rules so the cursor can go there; -1 if all pass (e says
 * why otherwise). */
static int
first_bad_field(tui_form *f, pgal_err *e)
{
	int i;

	for (i = 0; i < 3; i++)
		if (f->f[i].len == 0) {
			pgal_fail(e, PGAL_EINPUT, "every field is needed");
			return i;
		}
	if (pgal_valid_username(f->f[0].buf, e) != PGAL_OK)
		return 0;
	if (pgal_valid_email(f->f[1].buf, e) != PGAL_OK)
		return 1;
	return -1;
}

static int
signup_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	char user[PGAL_USER_MAX + 1], email[PGAL_EMAIL_MAX + 1];
	pgal_err e;
	int bad;

	if ((bad = first_bad_field(f, &e)) >= 0) {
		tui_form_fault(f, bad);
		tui_msg(t, 1, "%s", e.msg);
		return -1;
	}
	if (tui_form_new_password(t, f, 2) != 0)
		return -1;
	tui_busy(t, "creating the account…");
	if (pgal_signup(t->g, f->f[0].buf, f->f[1].buf, f->f[2].buf, &e) != PGAL_OK) {
		/* the fields passed the rules: refused input is a taken name */
		tui_form_fault(f, e.code == PGAL_EINPUT ? 0 : 2);
		tui_msg(t, 1, "%s", e.msg);
		return -1;
	}
	tui_copy(user, sizeof user, f->f[0].buf);
	tui_copy(email, sizeof email, f->f[1].buf);
	tui_pop(t);
	tui_view_confirm(t, user);
	tui_msg_mailed(t, email);
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
