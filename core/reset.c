/* Password reset: a code mailed to the account's address (the sign-up
 * code's machinery, rules and limits) sets a new password and ends every
 * session. The code lives where the sign-up code did: a confirmed account
 * has no other use for that slot, and each flow refuses the other's
 * account state, so neither code opens the other door. */
#include <stdio.h>
#include <string.h>

#include "gallery-int.h"
#include "password.h"
#include "limits/signup.h"
#include "limits/throttle.h"
#include "validate.h"

static const pgal_code_text reset_text = {
	.subject = "Your pgal password reset code",
	.greeting = "A new password was asked for the pgal account",
	.what = "password reset",
	.command = "reset",
	.ignore = "If you did not ask for it, ignore this message: the password stays as it is.",
	.renew = "reset USER",
};

/* The confirmed account `user`. */
static int
confirmed_account(pgal *g, const char *user, pgal_user *u, pgal_err *e)
{
	int rc;

	if (pgal_valid_username(user, NULL) != PGAL_OK)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such account");
	rc = g->store->ops->user_get_by_name(g->store, user, u, e);
	if (rc == PGAL_ENOTFOUND)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such account");
	if (rc != PGAL_OK)
		return rc;
	if (!u->confirmed)
		return pgal_fail(e, PGAL_EINPUT, "the account '%s' is not confirmed yet: enter the "
				 "code from the sign-up mail (confirm), or ask for a new one (resend)",
				 user);
	return PGAL_OK;
}

int
pgal_reset_request(pgal *g, const char *user, pgal_err *e)
{
	pgal_user u;
	int rc;

	if ((rc = confirmed_account(g, user, &u, e)) != PGAL_OK)
		return rc;
	/* the sign-up code's limits: cool-down and counts per account,
	 * address and source (limits/signup.h) */
	return pgal_code_send_limited(g, &u, &reset_text, e);
}

int
pgal_reset_password(pgal *g, const char *user, const char *code, const char *new_password,
		    pgal_err *e)
{
	pgal_user u;
	int rc;

	if ((rc = confirmed_account(g, user, &u, e)) != PGAL_OK)
		return rc;
	if (u.code_hash[0] == '\0' && u.code_tries == 0 && u.code_expires_at == 0)
		return pgal_fail(e, PGAL_EDENIED, "no reset code was asked for '%s': ask for one "
				 "first (reset USER)", user);
	/* a password the rules refuse spends no try of the code */
	if ((rc = pgal_password_rules(new_password, e)) != PGAL_OK ||
	    (rc = pgal_code_check(g, &u, code, &reset_text, e)) != PGAL_OK ||
	    (rc = pgal_password_hash(new_password, u.pwhash, e)) != PGAL_OK)
		return rc;
	/* the mailbox is proven: this source's failed guesses no longer
	 * count against the owner */
	u.failed_logins = 0;
	u.locked_until = 0;
	if ((rc = g->store->ops->user_update(g->store, &u, e)) != PGAL_OK)
		return rc;
	pgal_pwcheck_forgive(g, u.name);
	return g->store->ops->session_delete_user(g->store, u.id, NULL, e);
}
