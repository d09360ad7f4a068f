/* Accounts: sign up with a mailed code, confirm, log in (every password
 * check through the throttle, limits/throttle.h), sessions, password change,
 * cancellation. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "gallery-int.h"
#include "password.h"
#include "limits/signup.h"
#include "limits/throttle.h"
#include "validate.h"

/* No 0/O, 1/I/L: a code is read from a mail and typed by hand. */
#define CODE_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

static const char wrong_login[] = "wrong user name or password";

/* The confirmation mail's words (core/reset.c has the reset's). */
const pgal_code_text pgal_code_confirm_text = {
	.subject = "Your pgal confirmation code",
	.greeting = "Welcome to pgal,",
	.what = "confirmation",
	.command = "confirm",
	.ignore = "If you did not sign up, ignore this message.",
	.renew = "resend",
};

/* Gives u a fresh code (stored hashed) and mails it with text's words.
 * The codes mailed before stay good until they expire (limits/signup.h);
 * the newest is also kept in the account. The caller has taken the mail
 * limits. */
int
pgal_code_send(pgal *g, pgal_user *u, const pgal_code_text *text, pgal_err *e)
{
	char code[PGAL_CODE_LEN + 1], body[1024];
	int rc;

	if ((rc = pgal_random_from(code, PGAL_CODE_LEN, CODE_ALPHABET, e)) != PGAL_OK)
		return rc;
	pgal_sha256_hex(code, PGAL_CODE_LEN, u->code_hash);
	u->code_expires_at = pgal_now(g) + g->cfg.code_ttl_secs;
	u->code_tries = g->cfg.code_tries;
	if ((rc = pgal_code_remember(g, text->command, u->id, u->code_hash, u->code_expires_at,
				     e)) != PGAL_OK ||
	    (rc = g->store->ops->user_update(g->store, u, e)) != PGAL_OK)
		goto out;
	snprintf(body, sizeof body,
		 "%s %s.\n"
		 "\n"
		 "Your %s code is:\n"
		 "\n"
		 "%s\n"
		 "\n"
		 "It works for %d hours. Enter it in the gallery, or run:\n"
		 "  pgal %s %s %s\n"
		 "\n"
		 "%s\n",
		 text->greeting, u->name, text->what, code, g->cfg.code_ttl_secs / 3600,
		 text->command, u->name, code, text->ignore);
	rc = g->mail->ops->send(g->mail, u->email, text->subject, body, e);
	if (rc == PGAL_OK && g->mail_note != NULL) {
		char where[512];

		if (pgal_mail_where_kept(g, where, sizeof where))
			g->mail_note(g->mail_note_arg, u->name, where);
	}
	if (rc != PGAL_OK && e != NULL) {
		char why[sizeof e->msg];
		snprintf(why, sizeof why, "%s", e->msg);
		/* whatever the mail backend says (even "denied": its own
		 * credentials), for the user it is the gallery's backend failing */
		rc = pgal_fail(e, PGAL_EBACKEND, "could not send the %s mail (%.400s); "
			       "try again with %s", text->what, why, text->renew);
	} else if (rc != PGAL_OK) {
		rc = PGAL_EBACKEND;
	}
out:
	explicit_bzero(code, sizeof code);
	explicit_bzero(body, sizeof body);
	return rc;
}

int
pgal_code_send_limited(pgal *g, pgal_user *u, const pgal_code_text *text, pgal_err *e)
{
	const int limits = PGAL_MAIL_ACCOUNT | PGAL_MAIL_ADDRESS | PGAL_MAIL_SOURCE;
	int rc;

	if ((rc = pgal_mail_limits_take(g, limits, u->id, u->email, e)) != PGAL_OK)
		return rc;
	if ((rc = pgal_code_send(g, u, text, e)) != PGAL_OK) {
		pgal_mail_limits_give_back(g, limits, u->id, u->email);
		return rc;
	}
	pgal_code_tries_reset(g, u->id);
	return PGAL_OK;
}

int
pgal_signup(pgal *g, const char *user, const char *email, const char *password, pgal_err *e)
{
	pgal_user u;
	int rc;

	if ((rc = pgal_valid_username(user, e)) != PGAL_OK ||
	    (rc = pgal_valid_email(email, e)) != PGAL_OK ||
	    (rc = pgal_password_rules(password, e)) != PGAL_OK)
		return rc;
	/* over SSH that name always means the guest: it can never log in */
	if (strcmp(user, g->cfg.ssh_guest) == 0)
		return pgal_fail(e, PGAL_EINPUT, "the user name '%s' is taken", user);
	pgal_signup_gc_now_and_then(g);
	/* a name held by an account that never confirmed in time is free */
	if (g->store->ops->user_get_by_name(g->store, user, &u, e) == PGAL_OK &&
	    !pgal_signup_reclaim(g, user))
		return pgal_fail(e, PGAL_EINPUT, "the user name '%s' is taken", user);
	/* before anything is created: a refused sign-up leaves nothing */
	if ((rc = pgal_mail_limits_take(g, PGAL_MAIL_ADDRESS | PGAL_MAIL_SOURCE, 0, email,
					e)) != PGAL_OK)
		return rc;
	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "%s", user);
	snprintf(u.email, sizeof u.email, "%s", email);
	if ((rc = pgal_password_hash(password, u.pwhash, e)) != PGAL_OK)
		goto refused;
	u.created_at = pgal_now(g);
	if ((rc = g->store->ops->user_create(g->store, &u, e)) != PGAL_OK) {
		if (rc == PGAL_EINPUT)
			pgal_fail(e, PGAL_EINPUT, "the user name '%s' is taken", user);
		goto refused;
	}
	/* the account's first mail always fits; it starts its cool-down */
	if ((rc = pgal_mail_limits_take(g, PGAL_MAIL_ACCOUNT, u.id, NULL, e)) != PGAL_OK)
		goto refused;
	if ((rc = pgal_code_send(g, &u, &pgal_code_confirm_text, e)) != PGAL_OK) {
		/* "try again with resend": not in a cool-down */
		pgal_mail_limits_give_back(g, PGAL_MAIL_ACCOUNT, u.id, NULL);
		goto refused;
	}
	return PGAL_OK;
refused:
	pgal_mail_limits_give_back(g, PGAL_MAIL_ADDRESS | PGAL_MAIL_SOURCE, 0, email);
	return rc;
}

/* Codes are compared upper case with white space (a pasted line's CR,
 * tabs, spaces) and dashes removed. */
int
pgal_code_normalize(const char *in, char out[PGAL_CODE_LEN + 1])
{
	size_t n = 0;

	for (; *in != '\0'; in++) {
		if (isspace((unsigned char)*in) || *in == '-')
			continue;
		if (n == PGAL_CODE_LEN || !isalnum((unsigned char)*in))
			return 0;
		out[n++] = (char)toupper((unsigned char)*in);
	}
	out[n] = '\0';
	return n == PGAL_CODE_LEN;
}

/* The account `user` if it is still waiting for its code. */
static int
unconfirmed_account(pgal *g, const char *user, pgal_user *u, pgal_err *e)
{
	int rc;

	if (pgal_valid_username(user, NULL) != PGAL_OK)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such account waiting for confirmation");
	rc = g->store->ops->user_get_by_name(g->store, user, u, e);
	if (rc == PGAL_ENOTFOUND)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such account waiting for confirmation");
	if (rc != PGAL_OK)
		return rc;
	if (u->confirmed)
		return pgal_fail(e, PGAL_EINPUT, "the account '%s' is already confirmed", user);
	return PGAL_OK;
}

/* Checks a code typed for u against the codes mailed with text's words
 * (any one still live counts, not only the newest). Wrong codes are
 * counted per account and source, so strangers' guesses never lock the
 * owner out; what cannot be a code is a typing slip and costs no try. On
 * success the account's code is used up. */
int
pgal_code_check(pgal *g, pgal_user *u, const char *code, const pgal_code_text *text,
		pgal_err *e)
{
	char norm[PGAL_CODE_LEN + 1], hash[PGAL_SHA256_HEX + 1];
	int left;

	if (u->code_hash[0] == '\0' || pgal_code_tries_left(g, u->id) <= 0)
		return pgal_fail(e, PGAL_EDENIED, "too many wrong codes; ask for a new one (%s)",
				 text->renew);
	/* the newest code is the last to expire */
	if (pgal_now(g) > u->code_expires_at)
		return pgal_fail(e, PGAL_EDENIED, "the code has expired; ask for a new one (%s)",
				 text->renew);
	if (!pgal_code_normalize(code, norm))
		return pgal_fail(e, PGAL_EINPUT, "a code is %d letters and digits, as in the mail",
				 PGAL_CODE_LEN);
	pgal_sha256_hex(norm, PGAL_CODE_LEN, hash);
	if (!pgal_ct_streq(hash, u->code_hash) &&
	    !pgal_code_live(g, text->command, u->id, hash)) {
		left = pgal_code_wrong(g, u->id);
		return pgal_fail(e, PGAL_EDENIED, "wrong code (%d %s left)", left,
				 left == 1 ? "try" : "tries");
	}
	pgal_code_tries_reset(g, u->id);
	u->code_hash[0] = '\0';
	u->code_tries = 0;
	u->code_expires_at = 0;
	return PGAL_OK;
}

int
pgal_confirm(pgal *g, const char *user, const char *code, pgal_err *e)
{
	pgal_user u;
	int rc;

	if ((rc = unconfirmed_account(g, user, &u, e)) != PGAL_OK ||
	    (rc = pgal_code_check(g, &u, code, &pgal_code_confirm_text, e)) != PGAL_OK)
		return rc;
	u.confirmed = 1;
	return g->store->ops->user_update(g->store, &u, e);
}

int
pgal_resend_code(pgal *g, const char *user, pgal_err *e)
{
	pgal_user u;
	int rc;

	if ((rc = unconfirmed_account(g, user, &u, e)) != PGAL_OK)
		return rc;
	return pgal_code_send_limited(g, &u, &pgal_code_confirm_text, e);
}

static int
start_session(pgal *g, const pgal_user *u, char token[PGAL_TOKEN_HEX + 1], pgal_err *e)
{
	pgal_session_row s;
	int rc;

	if ((rc = pgal_random_hex(token, PGAL_TOKEN_HEX / 2, e)) != PGAL_OK)
		return rc;
	memset(&s, 0, sizeof s);
	pgal_sha256_hex(token, PGAL_TOKEN_HEX, s.token_hash);
	s.user_id = u->id;
	s.created_at = s.last_seen = pgal_now(g);
	if ((rc = g->store->ops->session_create(g->store, &s, e)) != PGAL_OK)
		explicit_bzero(token, PGAL_TOKEN_HEX + 1);
	return rc;
}

int
pgal_login(pgal *g, const char *user, const char *password, char token[PGAL_TOKEN_HEX + 1],
	   pgal_err *e)
{
	pgal_pwcheck t;
	pgal_user u;
	int rc, good;

	/* counted before anything about the name is looked at: the throttle
	 * answers an unknown name exactly as an account */
	if ((rc = pgal_pwcheck_begin(g, &t, "login", user, e)) != PGAL_OK)
		return rc;
	rc = pgal_valid_username(user, NULL) == PGAL_OK
		? g->store->ops->user_get_by_name(g->store, user, &u, e) : PGAL_ENOTFOUND;
	if (rc != PGAL_OK && rc != PGAL_ENOTFOUND) {
		pgal_pwcheck_end(g, &t, PGAL_PWCHECK_ERROR, NULL);
		return rc;
	}
	if (strlen(password) > PGAL_PASSWORD_MAX)
		good = 0;
	else if (rc == PGAL_ENOTFOUND) {
		/* spend the same time as for a real account */
		(void)pgal_password_verify(password, pgal_password_dummy_hash());
		good = 0;
	} else
		good = pgal_password_verify(password, u.pwhash);
	pgal_pwcheck_end(g, &t, good, rc == PGAL_OK ? &u : NULL);
	if (!good)
		return pgal_fail(e, PGAL_EDENIED, "%s", wrong_login);
	if (!u.confirmed)
		return pgal_fail(e, PGAL_EDENIED, "the account is not confirmed yet: enter the "
				 "code from the mail (confirm), or ask for a new one (resend)");
	return start_session(g, &u, token, e);
}

/* The password of the session's own account, checked again before a
 * change (passwd, cancel): throttled like a login. */
static int
check_own_password(pgal *g, const char *what, const pgal_user *u, const char *password,
		   pgal_err *e)
{
	pgal_pwcheck t;
	int rc, good;

	if ((rc = pgal_pwcheck_begin(g, &t, what, u->name, e)) != PGAL_OK)
		return rc;
	good = strlen(password) <= PGAL_PASSWORD_MAX && pgal_password_verify(password, u->pwhash);
	pgal_pwcheck_end(g, &t, good, u);
	return good ? PGAL_OK : pgal_fail(e, PGAL_EDENIED, "wrong password");
}

int
pgal_login_trusted(pgal *g, const char *user, char token[PGAL_TOKEN_HEX + 1], pgal_err *e)
{
	pgal_user u;
	int rc;

	rc = pgal_valid_username(user, NULL) == PGAL_OK
		? g->store->ops->user_get_by_name(g->store, user, &u, e) : PGAL_ENOTFOUND;
	if (rc == PGAL_ENOTFOUND)
		return pgal_fail(e, PGAL_EDENIED, "%s", wrong_login);
	if (rc != PGAL_OK)
		return rc;
	if (!u.confirmed)
		return pgal_fail(e, PGAL_EDENIED, "the account is not confirmed yet");
	return start_session(g, &u, token, e);
}

int
pgal_logout(pgal *g, const char *token, pgal_err *e)
{
	char hash[PGAL_SHA256_HEX + 1];
	pgal_user u;
	int rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK)
		return rc;
	pgal_sha256_hex(token, PGAL_TOKEN_HEX, hash);
	return g->store->ops->session_delete(g->store, hash, e);
}

int
pgal_session_check(pgal *g, const char *token, pgal_whoami *info, pgal_err *e)
{
	pgal_album *albums = NULL;
	pgal_user u;
	size_t n, i;
	int rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK || info == NULL)
		return rc;
	memset(info, 0, sizeof *info);
	info->user_id = u.id;
	snprintf(info->user, sizeof info->user, "%s", u.name);
	snprintf(info->email, sizeof info->email, "%s", u.email);
	info->created_at = u.created_at;
	if ((rc = g->store->ops->album_list(g->store, u.id, &albums, &n, e)) != PGAL_OK)
		return rc;
	info->albums = (int64_t)n;
	for (i = 0; i < n; i++) {
		info->photos += albums[i].photo_count;
		info->bytes += albums[i].bytes;
	}
	free(albums);
	return PGAL_OK;
}

int
pgal_passwd(pgal *g, const char *token, const char *old_password, const char *new_password,
	    pgal_err *e)
{
	char hash[PGAL_SHA256_HEX + 1];
	pgal_user u;
	int rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK)
		return rc;
	if ((rc = check_own_password(g, "passwd", &u, old_password, e)) != PGAL_OK)
		return rc;
	if ((rc = pgal_password_rules(new_password, e)) != PGAL_OK ||
	    (rc = pgal_password_hash(new_password, u.pwhash, e)) != PGAL_OK ||
	    (rc = g->store->ops->user_update(g->store, &u, e)) != PGAL_OK)
		return rc;
	pgal_sha256_hex(token, PGAL_TOKEN_HEX, hash);
	return g->store->ops->session_delete_user(g->store, u.id, hash, e);
}

int
pgal_cancel_account(pgal *g, const char *token, const char *password, pgal_err *e)
{
	char **ids = NULL;
	size_t n = 0, i;
	pgal_user u;
	int rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK)
		return rc;
	if ((rc = check_own_password(g, "cancel", &u, password, e)) != PGAL_OK)
		return rc;
	if ((rc = g->store->ops->blob_ids_user(g->store, u.id, &ids, &n, e)) != PGAL_OK)
		return rc;
	/* rows first: a crash after this leaves orphan blobs for gc, never rows without blobs */
	if ((rc = g->store->ops->user_delete(g->store, u.id, e)) == PGAL_OK)
		for (i = 0; i < n; i++)
			pgal_delete_blobs(g, ids[i]);
	pgal_store_free_ids(ids, n);
	return rc;
}
