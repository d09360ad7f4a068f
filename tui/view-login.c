/* Log in: user name and password. An unconfirmed account goes on to the
 * code screen; wrong password and lock-out say so in the core's words. */
#include <curses.h>
#include <string.h>

#include "app.h"
#include "screens.h"

static int
login_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	char token[PGAL_TOKEN_HEX + 1], user[PGAL_USER_MAX + 1];
	pgal_err e;

	if (f->f[0].len == 0 || f->f[1].len == 0) {
		tui_msg(t, 1, "enter your user name and password");
		tui_form_fault(f, f->f[0].len == 0 ? 0 : 1);
		return -1;
	}
	tui_busy(t, "logging in…");
	if (pgal_login(t->g, f->f[0].buf, f->f[1].buf, token, &e) != PGAL_OK) {
		tui_form_empty_secrets(f);
		tui_msg(t, 1, "%s", e.msg);
		if (strstr(e.msg, "not confirmed") != NULL) {
			tui_copy(user, sizeof user, f->f[0].buf);
			tui_pop(t);
			tui_view_confirm(t, user);
			tui_msg(t, 1, "%s", e.msg);
			return 0;
		}
		tui_form_fault(f, 1);
		return -1;
	}
	tui_logged_in(t, token);
	explicit_bzero(token, sizeof token);
	tui_msg(t, 0, "welcome, %s", t->user);
	return 0;
}

/* Ctrl-R: forgot the password */
static int
login_forgot(tui *t, tui_view *v, int key)
{
	char user[PGAL_USER_MAX + 1];

	tui_copy(user, sizeof user, tui_form_of(v)->f[0].buf);
	tui_view_reset(t, user);
	return 1;
}

const tui_binding tui_login_keys[] = {
	TUI_FORM_ENTER("next field / log in"),
	{ { TK_CTRL('r') }, login_forgot, NULL, "forgot password", TUI_KEY_BAR },
	TUI_FORM_ROWS,
	TUI_KEYS_END,
};

int
tui_view_login(tui *t, const char *user)
{
	tui_form_spec spec = {
		.title = "log in",
		.intro = "Log in with your user name and password. Forgot the "
			 "password? Ctrl-R mails a code to reset it.",
		.submit = login_submit,
		.keys = tui_login_keys,
	};
	tui_form *f;
	tui_field *u;

	if ((f = tui_form_view(t, &spec)) == NULL)
		return -1;
	u = tui_form_add(f, "User name", PGAL_USER_MAX, 0);
	tui_form_add(f, "Password", 256, 1);
	if (user != NULL && user[0] != '\0') {
		tui_field_set(u, user);
		f->focus = 1;
	}
	return 0;
}
