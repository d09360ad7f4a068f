/* The form for a code mailed to an account's address, for two purposes:
 * confirming a sign-up, and setting a forgotten password (the code and a
 * new password typed twice; every session of the account ends). A purpose
 * says what the form is titled and says, what the code does, what Ctrl-R
 * mails and what is said then; both end on the login screen with the name
 * filled in. */
#include <stdio.h>

#include "app.h"
#include "screens.h"

struct code_purpose {
	const char *title, *intro;
	const tui_binding *keys;
	/* said when the name or the code is missing */
	const char *missing;
	/* a new password, typed twice, comes with the code */
	int new_password;
	/* said while the code is used; NULL: nothing */
	const char *using;
	/* what the code does (password: the new one, or NULL) */
	int (*use)(pgal *g, const char *user, const char *code, const char *password,
		   pgal_err *e);
	/* said on the login screen once the code was taken */
	const char *done;
	/* Ctrl-R: said while mailing, the mail, and what is said once it is
	 * mailed (NULL: to which address, and where mail is kept) */
	const char *mailing;
	int (*mail)(pgal *g, const char *user, pgal_err *e);
	const char *mailed;
	/* opened with the name a code is mailed at once; without, ask_name is
	 * said */
	int mails_at_open;
	const char *ask_name;
	/* after a refused submit or a mail the cursor goes to the field to
	 * fix or to fill next; 0: it stays where it is */
	int guides_cursor;
};

static int code_key_mail(tui *t, tui_view *v, int key);

/* a code form's keys; mail_help is how help and the key bar name Ctrl-R */
#define CODE_KEYS(mail_help) {						\
	TUI_FORM_ENTER("next field / submit"),					\
	{ { TK_CTRL('r') }, code_key_mail, NULL, mail_help, TUI_KEY_BAR },	\
	TUI_FORM_ROWS,								\
	TUI_KEYS_END,								\
}

const tui_binding tui_confirm_code_keys[] = CODE_KEYS("mail a new code");
const tui_binding tui_reset_code_keys[] = CODE_KEYS("mail a code");

/* the sign-up's code confirms the account; no password comes with it */
static int
confirm_use(pgal *g, const char *user, const char *code, const char *password, pgal_err *e)
{
	return pgal_confirm(g, user, code, e);
}

static const struct code_purpose confirm = {
	.title = "confirm email",
	.intro = "Enter the 10-character code from the confirmation mail. "
		 "Ctrl-R mails a new code.",
	.keys = tui_confirm_code_keys,
	.missing = "enter the user name and the code from the mail",
	.use = confirm_use,
	.done = "account confirmed; log in",
	.mailing = "mailing a new code…",
	.mail = pgal_resend_code,
	.mailed = "a new code was mailed (an earlier one works too until it expires)",
};

static const struct code_purpose reset = {
	.title = "reset password",
	.intro = "Forgot your password? Ctrl-R mails a code to the account's "
		 "address; enter it with a new password. Every session of the "
		 "account ends.",
	.keys = tui_reset_code_keys,
	.missing = "enter the user name and the code from the mail (Ctrl-R mails one)",
	.new_password = 1,
	.using = "setting the new password…",
	.use = pgal_reset_password,
	.done = "password changed and every session ended; log in with the new one",
	.mailing = "mailing a reset code…",
	.mail = pgal_reset_request,
	.mails_at_open = 1,
	.ask_name = "enter your user name, then Ctrl-R mails a code",
	.guides_cursor = 1,
};

static int
code_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	const struct code_purpose *p = arg;
	char user[PGAL_USER_MAX + 1];
	pgal_err e;

	if (f->f[0].len == 0 || f->f[1].len == 0) {
		if (p->guides_cursor)
			tui_form_fault(f, f->f[0].len == 0 ? 0 : 1);
		tui_msg(t, 1, "%s", p->missing);
		return -1;
	}
	if (p->new_password && tui_form_new_password(t, f, 2) != 0)
		return -1;
	if (p->using != NULL)
		tui_busy(t, p->using);
	if (p->use(t->g, f->f[0].buf, f->f[1].buf, p->new_password ? f->f[2].buf : NULL,
	    &e) != PGAL_OK) {
		/* a new password passed the rules: what is refused is the name or the code */
		if (p->guides_cursor)
			tui_form_fault(f, e.code == PGAL_ENOTFOUND ? 0 : 1);
		tui_msg(t, 1, "%s", e.msg);
		return -1;
	}
	tui_copy(user, sizeof user, f->f[0].buf);
	tui_pop_to(t, &tui_welcome_ops);
	tui_view_login(t, user);
	tui_msg(t, 0, "%s", p->done);
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

/* mails a code to the account named in the form */
static void
code_mail(tui *t, tui_form *f, const struct code_purpose *p)
{
	char who[PGAL_USER_MAX + 32];
	pgal_err e;

	if (f->f[0].len == 0) {
		tui_msg(t, 1, "enter the user name first");
		f->focus = 0;
		return;
	}
	tui_busy(t, p->mailing);
	if (p->mail(t->g, f->f[0].buf, &e) != PGAL_OK) {
		tui_msg(t, 1, "%s", e.msg);
		if (p->guides_cursor)
			f->focus = 0;
		return;
	}
	if (p->mailed != NULL) {
		tui_msg(t, 0, "%s", p->mailed);
	} else {
		snprintf(who, sizeof who, "the address of %.*s", PGAL_USER_MAX, f->f[0].buf);
		tui_msg_mailed(t, who);
	}
	if (p->guides_cursor)
		f->focus = 1;
}

/* Ctrl-R */
static int
code_key_mail(tui *t, tui_view *v, int key)
{
	code_mail(t, tui_form_of(v), tui_form_arg(v));
	return 1;
}

static int
code_form(tui *t, const struct code_purpose *p, const char *user)
{
	tui_form_spec spec = {
		.title = p->title,
		.intro = p->intro,
		.submit = code_submit,
		.arg = (void *)p, /* static, never freed */
		.keys = p->keys,
	};
	tui_form *f;
	tui_field *u;

	if ((f = tui_form_view(t, &spec)) == NULL)
		return -1;
	u = tui_form_add(f, "User name", PGAL_USER_MAX, 0);
	tui_form_add(f, "Code", 32, 0);
	if (p->new_password) {
		tui_form_add(f, "New password", 256, 1);
		tui_form_add(f, "New password again", 256, 1);
	}
	if (user != NULL && user[0] != '\0') {
		/* the name is known: the code is what the user came for */
		tui_field_set(u, user);
		f->focus = 1;
		if (p->mails_at_open)
			code_mail(t, f, p);
	} else if (p->ask_name != NULL) {
		tui_msg(t, 0, "%s", p->ask_name);
	}
	return 0;
}

int
tui_view_confirm(tui *t, const char *user)
{
	return code_form(t, &confirm, user);
}

int
tui_view_reset(tui *t, const char *user)
{
	return code_form(t, &reset, user);
}
