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

int
pgal_test_gallery_open(pgal_config *cfg, pgal **g, int64_t now)
{
	pgal_err e;

	pgal_test_config(cfg);
	if (pgal_open(g, cfg, &e) != PGAL_OK) {
		fprintf(stderr, "pgal_open: %s\n", e.msg);
		return -1;
	}
	pgal_set_clock(*g, now);
	return 0;
}

void
pgal_test_gallery_close(const pgal_config *cfg, pgal *g)
{
	pgal_close(g);
	pgal_test_rmdir(cfg->home);
}
