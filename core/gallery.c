/* The gallery context: backends chosen once from the config, the clock, and
 * the session and ownership checks every service call goes through. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "gallery-int.h"
#include "limits/throttle.h"
#include "sanitize.h"
#include "validate.h"

/* Puts "<kind> <backend>: " before a backend's own message, so that the
 * user reads which one of them failed. */
static int
backend_failed(pgal_err *e, int rc, const char *kind, const char *name)
{
	char msg[sizeof e->msg];

	if (e == NULL)
		return rc;
	memcpy(msg, e->msg, sizeof msg);
	return pgal_fail(e, rc, "%s %s: %s", kind, name, msg);
}

static int
open_mode(pgal **out, const pgal_config *cfg, pgal_store_mode mode, pgal_err *e)
{
	const pgal_store_ops *so = pgal_store_find(cfg->store);
	const pgal_blobs_ops *bo = pgal_blobs_find(cfg->blobs);
	const pgal_mail_ops *mo = pgal_mail_find(cfg->mail);
	pgal *g;
	int rc;

	*out = NULL;
	if (so == NULL)
		return pgal_fail(e, PGAL_EUSAGE, "store: unknown backend '%s'", cfg->store);
	if (bo == NULL)
		return pgal_fail(e, PGAL_EUSAGE, "blobs: unknown backend '%s'", cfg->blobs);
	if (mo == NULL)
		return pgal_fail(e, PGAL_EUSAGE, "mail: unknown backend '%s'", cfg->mail);
	if ((g = calloc(1, sizeof *g)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	g->cfg = *cfg;
	pgal_set_client(g, NULL, "local", NULL, NULL);
	if ((rc = so->open(&g->store, &g->cfg, mode, e)) != PGAL_OK)
		rc = backend_failed(e, rc, "store", so->name);
	else if ((rc = bo->open(&g->blobs, &g->cfg, e)) != PGAL_OK)
		rc = backend_failed(e, rc, "blobs", bo->name);
	else if ((rc = mo->open(&g->mail, &g->cfg, e)) != PGAL_OK)
		rc = backend_failed(e, rc, "mail", mo->name);
	if (rc != PGAL_OK) {
		pgal_close(g);
		return rc;
	}
	*out = g;
	return PGAL_OK;
}

int
pgal_open(pgal **out, const pgal_config *cfg, pgal_err *e)
{
	return open_mode(out, cfg, PGAL_STORE_USE, e);
}

int
pgal_open_init(pgal **out, const pgal_config *cfg, pgal_err *e)
{
	return open_mode(out, cfg, PGAL_STORE_INIT, e);
}

void
pgal_close(pgal *g)
{
	if (g == NULL)
		return;
	if (g->mail != NULL)
		g->mail->ops->close(g->mail);
	if (g->blobs != NULL)
		g->blobs->ops->close(g->blobs);
	if (g->store != NULL)
		g->store->ops->close(g->store);
	free(g);
}

const pgal_config *
pgal_get_config(const pgal *g)
{
	return &g->cfg;
}

void
pgal_set_mail_note(pgal *g, pgal_mail_note_fn fn, void *arg)
{
	g->mail_note = fn;
	g->mail_note_arg = arg;
}

void
pgal_set_clock(pgal *g, int64_t fixed_now)
{
	g->fixed_now = fixed_now;
}

int64_t
pgal_now(const pgal *g)
{
	return g->fixed_now != 0 ? g->fixed_now : (int64_t)time(NULL);
}

/* Tokens are 64 lowercase hex characters; anything else is not a session. */
static int
token_well_formed(const char *t)
{
	size_t i;

	if (t == NULL)
		return 0;
	for (i = 0; i < PGAL_TOKEN_HEX; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
			return 0;
	return t[i] == '\0';
}

/* last_seen is written at most this often, so reads stay reads */
#define TOUCH_EVERY 60

int
pgal_auth(pgal *g, const char *token, pgal_user *u, pgal_err *e)
{
	pgal_session_row s;
	char hash[PGAL_SHA256_HEX + 1];
	int64_t now = pgal_now(g);
	int rc;

	if (!token_well_formed(token))
		return pgal_fail(e, PGAL_EDENIED, "not logged in");
	pgal_sha256_hex(token, PGAL_TOKEN_HEX, hash);
	rc = g->store->ops->session_get(g->store, hash, &s, e);
	if (rc == PGAL_ENOTFOUND)
		return pgal_fail(e, PGAL_EDENIED, "not logged in (the session ended)");
	if (rc != PGAL_OK)
		return rc;
	if (now - s.last_seen > g->cfg.session_idle_secs ||
	    now - s.created_at > g->cfg.session_max_secs) {
		g->store->ops->session_delete(g->store, hash, NULL);
		return pgal_fail(e, PGAL_EDENIED, "session expired; log in again");
	}
	rc = g->store->ops->user_get(g->store, s.user_id, u, e);
	if (rc == PGAL_ENOTFOUND)
		return pgal_fail(e, PGAL_EDENIED, "not logged in (the account is gone)");
	if (rc != PGAL_OK)
		return rc;
	if (now - s.last_seen >= TOUCH_EVERY &&
	    (rc = g->store->ops->session_touch(g->store, hash, now, e)) != PGAL_OK)
		return rc;
	return PGAL_OK;
}

int
pgal_own_album(pgal *g, const pgal_user *u, const char *name, pgal_album *a, pgal_err *e)
{
	int rc;

	if (name == NULL || pgal_valid_album_name(name, NULL) != PGAL_OK)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such album");
	rc = g->store->ops->album_get(g->store, u->id, name, a, e);
	if (rc == PGAL_ENOTFOUND)
		return pgal_fail(e, PGAL_ENOTFOUND, "no album '%s'", name);
	return rc;
}

int
pgal_own_photo(pgal *g, const pgal_user *u, const char *album, const char *name,
	       pgal_album *a, pgal_photo *p, pgal_err *e)
{
	int rc;

	if ((rc = pgal_own_album(g, u, album, a, e)) != PGAL_OK)
		return rc;
	if (name == NULL || pgal_valid_photo_name(name, NULL) != PGAL_OK)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such photo in '%s'", album);
	rc = g->store->ops->photo_get(g->store, a->id, name, p, e);
	if (rc == PGAL_ENOTFOUND)
		return pgal_fail(e, PGAL_ENOTFOUND, "no photo '%s/%s'", album, name);
	return rc;
}

void
pgal_delete_blobs(pgal *g, const char *blob_id)
{
	char key[PGAL_BLOB_KEY_MAX];
	int kind;

	for (kind = PGAL_BLOB_ORIG; kind <= PGAL_BLOB_PREVIEW; kind++) {
		pgal_blob_key(key, blob_id, kind);
		g->blobs->ops->del(g->blobs, key, NULL);
	}
}

int
pgal_clean_title(const char *in, char dst[PGAL_TITLE_MAX + 1], pgal_err *e)
{
	if (strlen(in) > PGAL_TITLE_MAX)
		return pgal_fail(e, PGAL_EINPUT, "title too long (at most %d bytes)", PGAL_TITLE_MAX);
	pgal_sanitize(dst, PGAL_TITLE_MAX + 1, in, 0);
	return pgal_valid_title(dst, e);
}

int
pgal_clean_description(const char *in, char dst[PGAL_DESC_MAX + 1], pgal_err *e)
{
	if (strlen(in) > PGAL_DESC_MAX)
		return pgal_fail(e, PGAL_EINPUT, "description too long (at most %d bytes)", PGAL_DESC_MAX);
	pgal_sanitize(dst, PGAL_DESC_MAX + 1, in, 1);
	return pgal_valid_description(dst, e);
}
