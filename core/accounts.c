/* Accounts: sign up with a mailed code, confirm, log in with backoff,
 * sessions, password change, cancellation. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "gallery-int.h"
#include "password.h"
#include "validate.h"

/* No 0/O, 1/I/L: a code is read from a mail and typed by hand. */
#define CODE_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

/* Failed logins allowed before the backoff starts, and its ceiling. */
#define FREE_FAILURES 4
#define MAX_LOCK_SECS 900

static const char wrong_login[] = "wrong user name or password";

static int
check_password_rules(const char *pw, pgal_err *e)
{
	size_t n = strlen(pw);

	if (n < PGAL_PASSWORD_MIN)
		return pgal_fail(e, PGAL_EINPUT, "password too short (at least %d characters)",
				 PGAL_PASSWORD_MIN);
	if (n > PGAL_PASSWORD_MAX)
		return pgal_fail(e, PGAL_EINPUT, "password too long (at most %d characters)",
				 PGAL_PASSWORD_MAX);
	return PGAL_OK;
}

/* Gives u a fresh code (stored hashed) and mails it. */
static int
send_code(pgal *g, pgal_user *u, pgal_err *e)
{
	char code[PGAL_CODE_LEN + 1], subject[128], body[1024];
	int rc;

	if ((rc = pgal_random_from(code, PGAL_CODE_LEN, CODE_ALPHABET, e)) != PGAL_OK)
		return rc;
	pgal_sha256_hex(code, PGAL_CODE_LEN, u->code_hash);
	u->code_expires_at = pgal_now(g) + g->cfg.code_ttl_secs;
	u->code_tries = g->cfg.code_tries;
	if ((rc = g->store->ops->user_update(g->store, u, e)) != PGAL_OK)
		goto out;
	snprintf(subject, sizeof subject, "Your pgal confirmation code");
	snprintf(body, sizeof body,
		 "Welcome to pgal, %s.\n"
		 "\n"
		 "Your confirmation code is:\n"
		 "\n"
		 "%s\n"
		 "\n"
		 "It works for %d hours. Enter it in the gallery, or run:\n"
		 "  pgal confirm %s %s\n"
		 "\n"
		 "If you did not sign up, ignore this message.\n",
		 u->name, code, g->cfg.code_ttl_secs / 3600, u->name, code);
	rc = g->mail->ops->send(g->mail, u->email, subject, body, e);
	if (rc != PGAL_OK && e != NULL) {
		char why[sizeof e->msg];
		snprintf(why, sizeof why, "%s", e->msg);
		/* whatever the mail backend says (even "denied": its own
		 * credentials), for the user it is the gallery's backend failing */
		rc = pgal_fail(e, PGAL_EBACKEND, "could not send the confirmation mail (%.400s); "
			       "try again with resend", why);
	} else if (rc != PGAL_OK) {
		rc = PGAL_EBACKEND;
	}
out:
	explicit_bzero(code, sizeof code);
	explicit_bzero(body, sizeof body);
	return rc;
}

int
pgal_signup(pgal *g, const char *user, const char *email, const char *password, pgal_err *e)
{
	pgal_user u;
	int rc;

	if ((rc = pgal_valid_username(user, e)) != PGAL_OK ||
	    (rc = pgal_valid_email(email, e)) != PGAL_OK ||
	    (rc = check_password_rules(password, e)) != PGAL_OK)
		return rc;
	/* over SSH that name always means the guest: it can never log in */
	if (strcmp(user, g->cfg.ssh_guest) == 0)
		return pgal_fail(e, PGAL_EINPUT, "the user name '%s' is taken", user);
	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "%s", user);
	snprintf(u.email, sizeof u.email, "%s", email);
	if ((rc = pgal_password_hash(password, u.pwhash, e)) != PGAL_OK)
		return rc;
	u.created_at = pgal_now(g);
	if ((rc = g->store->ops->user_create(g->store, &u, e)) != PGAL_OK) {
		if (rc == PGAL_EINPUT)
			pgal_fail(e, PGAL_EINPUT, "the user name '%s' is taken", user);
		return rc;
	}
	return send_code(g, &u, e);
}

/* Codes are compared upper case with spaces and dashes removed. */
int
pgal_code_normalize(const char *in, char out[PGAL_CODE_LEN + 1])
{
	size_t n = 0;

	for (; *in != '\0'; in++) {
		if (*in == ' ' || *in == '-')
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

int
pgal_confirm(pgal *g, const char *user, const char *code, pgal_err *e)
{
	char norm[PGAL_CODE_LEN + 1], hash[PGAL_SHA256_HEX + 1];
	pgal_user u;
	int rc;

	if ((rc = unconfirmed_account(g, user, &u, e)) != PGAL_OK)
		return rc;
	if (u.code_hash[0] == '\0' || u.code_tries <= 0)
		return pgal_fail(e, PGAL_EDENIED, "too many wrong codes; ask for a new one (resend)");
	if (pgal_now(g) > u.code_expires_at)
		return pgal_fail(e, PGAL_EDENIED, "the code has expired; ask for a new one (resend)");
	if (pgal_code_normalize(code, norm))
		pgal_sha256_hex(norm, PGAL_CODE_LEN, hash);
	else
		hash[0] = '\0';
	if (hash[0] == '\0' || !pgal_ct_streq(hash, u.code_hash)) {
		u.code_tries--;
		if ((rc = g->store->ops->user_update(g->store, &u, e)) != PGAL_OK)
			return rc;
		return pgal_fail(e, PGAL_EDENIED, "wrong code (%d %s left)", u.code_tries,
				 u.code_tries == 1 ? "try" : "tries");
	}
	u.confirmed = 1;
	u.code_hash[0] = '\0';
	u.code_tries = 0;
	u.code_expires_at = 0;
	return g->store->ops->user_update(g->store, &u, e);
}

int
pgal_resend_code(pgal *g, const char *user, pgal_err *e)
{
	pgal_user u;
	int rc;

	if ((rc = unconfirmed_account(g, user, &u, e)) != PGAL_OK)
		return rc;
	return send_code(g, &u, e);
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

/* Seconds an account stays locked after `failures` failed logins in a row. */
static int64_t
lock_secs(int failures)
{
	int n = failures - FREE_FAILURES;

	if (n <= 0)
		return 0;
	if (n > 10)
		return MAX_LOCK_SECS;
	return (int64_t)1 << n < MAX_LOCK_SECS ? (int64_t)1 << n : MAX_LOCK_SECS;
}

int
pgal_login(pgal *g, const char *user, const char *password, char token[PGAL_TOKEN_HEX + 1],
	   pgal_err *e)
{
	int64_t now = pgal_now(g);
	pgal_user u;
	int rc, good;

	if (strlen(password) > PGAL_PASSWORD_MAX)
		return pgal_fail(e, PGAL_EDENIED, "%s", wrong_login);
	rc = pgal_valid_username(user, NULL) == PGAL_OK
		? g->store->ops->user_get_by_name(g->store, user, &u, e) : PGAL_ENOTFOUND;
	if (rc == PGAL_ENOTFOUND) {
		/* spend the same time as for a real account */
		pgal_password_verify(password, pgal_password_dummy_hash());
		return pgal_fail(e, PGAL_EDENIED, "%s", wrong_login);
	}
	if (rc != PGAL_OK)
		return rc;
	/* while locked no guess is judged, so the lock slows guessing and
	 * never tells a right password from a wrong one */
	if (u.locked_until > now) {
		pgal_password_verify(password, pgal_password_dummy_hash());
		return pgal_fail(e, PGAL_EDENIED, "too many failed logins; try again in %lld s",
				 (long long)(u.locked_until - now));
	}
	good = pgal_password_verify(password, u.pwhash);
	if (!good) {
		u.failed_logins++;
		if (lock_secs(u.failed_logins) > 0)
			u.locked_until = now + lock_secs(u.failed_logins);
		if ((rc = g->store->ops->user_update(g->store, &u, e)) != PGAL_OK)
			return rc;
		return pgal_fail(e, PGAL_EDENIED, "%s", wrong_login);
	}
	if (!u.confirmed)
		return pgal_fail(e, PGAL_EDENIED, "the account is not confirmed yet: enter the "
				 "code from the mail (confirm), or ask for a new one (resend)");
	if (u.failed_logins != 0 || u.locked_until != 0) {
		u.failed_logins = 0;
		u.locked_until = 0;
		if ((rc = g->store->ops->user_update(g->store, &u, e)) != PGAL_OK)
			return rc;
	}
	return start_session(g, &u, token, e);
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
	if (strlen(old_password) > PGAL_PASSWORD_MAX || !pgal_password_verify(old_password, u.pwhash))
		return pgal_fail(e, PGAL_EDENIED, "wrong password");
	if ((rc = check_password_rules(new_password, e)) != PGAL_OK ||
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
	if (strlen(password) > PGAL_PASSWORD_MAX || !pgal_password_verify(password, u.pwhash))
		return pgal_fail(e, PGAL_EDENIED, "wrong password");
	if ((rc = g->store->ops->blob_ids_user(g->store, u.id, &ids, &n, e)) != PGAL_OK)
		return rc;
	/* rows first: a crash after this leaves orphan blobs for gc, never rows without blobs */
	if ((rc = g->store->ops->user_delete(g->store, u.id, e)) == PGAL_OK)
		for (i = 0; i < n; i++)
			pgal_delete_blobs(g, ids[i]);
	pgal_store_free_ids(ids, n);
	return rc;
}
