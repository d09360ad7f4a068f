/* Authentication of the connection process: the guest name with "none",
 * a gallery user with a registered public key or a password. Every failure
 * costs the same time whatever failed, and more with each one; the
 * listener hears of each result (the source address' penalty). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "sanitize.h"
#include "validate.h"

#define MAX_AUTH_TRIES 10
#define FAIL_DELAY_MS 300 /* every failure, on top of the address penalty */

static void
report(struct conn *c, char what)
{
	if (c->a->report_fd != -1)
		(void)write(c->a->report_fd, &what, 1);
}

/* A source that failed before waits its penalty before every attempt is
 * even looked at, success or not: giving up on a slow answer and trying
 * again on a new connection gains nothing. */
static void
auth_penalty(struct conn *c)
{
	pgal_sleep_ms(c->a->penalty_ms);
}

/* A failed attempt costs the same time whatever failed (no user/password
 * oracle), and more with every failure on this connection. why NULL: the
 * core has logged it (every password check, limits/throttle.h). */
static int
auth_failed(struct conn *c, const char *user, const char *method, const char *why)
{
	char shown[40];

	c->tries++;
	pgal_sanitize_n(shown, sizeof shown, user, strnlen(user, 32), 0);
	if (why != NULL)
		sshd_log("auth failed: user %s method %s from %s (%s)", shown, method,
		    c->a->peer, why);
	report(c, 'F');
	pgal_sleep_ms(FAIL_DELAY_MS + (c->tries - 1) * 200);
	if (c->tries >= MAX_AUTH_TRIES) {
		sshd_log("too many authentication failures from %s", c->a->peer);
		ssh_disconnect(c->s);
	}
	return SSH_AUTH_DENIED;
}

static int
auth_ok(struct conn *c, const char *user, const char *method, int guest)
{
	snprintf(c->user, sizeof c->user, "%s", user);
	snprintf(c->method, sizeof c->method, "%s", method);
	c->authed = 1;
	c->guest = guest;
	alarm(0);
	report(c, guest ? 'G' : 'A');
	sshd_log("auth ok: user %s method %s from %s%s", c->user, method, c->a->peer,
	    guest ? " (guest)" : "");
	return SSH_AUTH_SUCCESS;
}

static int
is_guest(struct conn *c, const char *user)
{
	return strcmp(user, c->cfg->ssh_guest) == 0;
}

int
conn_auth_none(ssh_session s, const char *user, void *ud)
{
	struct conn *c = ud;

	if (c->authed)
		return SSH_AUTH_DENIED;
	if (is_guest(c, user))
		return auth_ok(c, user, "none", 1);
	/* every OpenSSH client asks "none" first: not a failure */
	return SSH_AUTH_DENIED;
}

int
conn_auth_password(ssh_session s, const char *user, const char *password, void *ud)
{
	struct conn *c = ud;
	pgal_err e;
	pgal *g;

	if (c->authed)
		return SSH_AUTH_DENIED;
	auth_penalty(c);
	pgal_err_clear(&e);
	if ((g = sshd_gallery_get(&c->gallery, &e)) == NULL) {
		sshd_log("gallery: %s", e.msg);
		return auth_failed(c, user, "password", "backend");
	}
	/* unknown names and the guest's too: the core's throttle counts and
	 * logs every password check alike */
	if (pgal_login(g, user, password, c->token, &e) != PGAL_OK)
		return auth_failed(c, user, "password", NULL);
	return auth_ok(c, user, "password", 0);
}

int
conn_auth_pubkey(ssh_session s, const char *user, struct ssh_key_struct *pubkey,
    char state, void *ud)
{
	struct conn *c = ud;
	const char *algo;
	char *b64 = NULL;
	pgal_err e;
	pgal *g;
	int rc;

	if (c->authed)
		return SSH_AUTH_DENIED;
	/* a probe (no signature) proves nothing: only real attempts wait */
	if (state != SSH_PUBLICKEY_STATE_NONE)
		auth_penalty(c);
	pgal_err_clear(&e);
	if (state == SSH_PUBLICKEY_STATE_WRONG)
		return auth_failed(c, user, "publickey", "bad signature");
	if (is_guest(c, user) || pgal_valid_username(user, NULL) != PGAL_OK)
		goto unknown;
	if ((algo = ssh_key_type_to_char(ssh_key_type(pubkey))) == NULL ||
	    ssh_pki_export_pubkey_base64(pubkey, &b64) != SSH_OK)
		goto unknown;
	if ((g = sshd_gallery_get(&c->gallery, &e)) == NULL) {
		sshd_log("gallery: %s", e.msg);
		free(b64);
		goto unknown;
	}
	rc = pgal_key_check(g, user, algo, b64, &e);
	free(b64);
	if (rc != PGAL_OK)
		goto unknown;
	/* the probe only asks whether this key would do */
	if (state == SSH_PUBLICKEY_STATE_NONE)
		return SSH_AUTH_SUCCESS;
	if (state != SSH_PUBLICKEY_STATE_VALID)
		goto unknown;
	if (pgal_login_trusted(g, user, c->token, &e) != PGAL_OK)
		return auth_failed(c, user, "publickey", pgal_code_name(e.code));
	return auth_ok(c, user, "publickey", 0);
unknown:
	/* an offered key we do not know is normal (agents hold many keys) */
	if (state == SSH_PUBLICKEY_STATE_NONE) {
		if (++c->tries >= MAX_AUTH_TRIES * 2)
			ssh_disconnect(c->s);
		return SSH_AUTH_DENIED;
	}
	return auth_failed(c, user, "publickey", "key not registered");
}
