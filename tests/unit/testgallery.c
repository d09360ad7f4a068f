#include <stdio.h>
#include <string.h>

#include "testgallery.h"
#include "testlib.h"

int
pgal_test_user(pgal *g, const pgal_config *cfg, const char *user, const char *pw,
    char tok[PGAL_TOKEN_HEX + 1], pgal_err *e)
{
	char email[128], code[32];
	int rc;

	snprintf(email, sizeof email, "%s@example.org", user);
	if ((rc = pgal_signup(g, user, email, pw, e)) != PGAL_OK)
		return rc;
	pgal_test_outbox_code(cfg, code);
	if (strlen(code) != PGAL_CODE_LEN)
		return pgal_fail(e, PGAL_EBACKEND, "no confirmation code for %s in %s",
		    user, cfg->outbox_dir);
	if ((rc = pgal_confirm(g, user, code, e)) != PGAL_OK)
		return rc;
	return pgal_login(g, user, pw, tok, e);
}
