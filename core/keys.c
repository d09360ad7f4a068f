/* SSH public keys of an account: what lets `ssh alice@host` in without a password. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gallery-int.h"
#include "sshkey.h"
#include "validate.h"

/* Enough for several machines; a bound so one account cannot fill the store. */
#define KEYS_PER_USER 50

int
pgal_key_add(pgal *g, const char *token, const char *line, pgal_ssh_key *out, pgal_err *e)
{
	pgal_sshkey_parsed *k;
	pgal_ssh_key *list = NULL, key;
	pgal_user u;
	size_t n = 0;
	int rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK)
		return rc;
	if ((k = malloc(sizeof *k)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	if ((rc = pgal_sshkey_parse(line, k, e)) != PGAL_OK)
		goto out;
	if ((rc = g->store->ops->key_list(g->store, u.id, &list, &n, e)) != PGAL_OK)
		goto out;
	if (n >= KEYS_PER_USER) {
		rc = pgal_fail(e, PGAL_EINPUT, "at most %d keys per account", KEYS_PER_USER);
		goto out;
	}
	memset(&key, 0, sizeof key);
	snprintf(key.algo, sizeof key.algo, "%s", k->algo);
	snprintf(key.fingerprint, sizeof key.fingerprint, "%s", k->fingerprint);
	snprintf(key.comment, sizeof key.comment, "%s", k->comment);
	key.created_at = pgal_now(g);
	rc = g->store->ops->key_add(g->store, u.id, &key, k->b64, e);
	if (rc == PGAL_EINPUT)
		rc = pgal_fail(e, PGAL_EINPUT, "this key is already registered (%s)", key.fingerprint);
	if (rc == PGAL_OK && out != NULL)
		*out = key;
out:
	free(list);
	free(k);
	return rc;
}

int
pgal_key_list(pgal *g, const char *token, pgal_ssh_key **out, size_t *n, pgal_err *e)
{
	pgal_user u;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK)
		return rc;
	return g->store->ops->key_list(g->store, u.id, out, n, e);
}

int
pgal_key_remove(pgal *g, const char *token, const char *which, pgal_err *e)
{
	pgal_ssh_key *list = NULL;
	char fp[64];
	size_t n = 0;
	pgal_user u;
	char *end;
	long pos;
	int rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK)
		return rc;
	pos = strtol(which, &end, 10);
	if (*which != '\0' && *end == '\0') {
		if ((rc = g->store->ops->key_list(g->store, u.id, &list, &n, e)) != PGAL_OK)
			return rc;
		if (pos < 1 || (size_t)pos > n) {
			free(list);
			return pgal_fail(e, PGAL_ENOTFOUND, "no key number %s", which);
		}
		snprintf(fp, sizeof fp, "%s", list[pos - 1].fingerprint);
		free(list);
	} else {
		if (strlen(which) >= sizeof fp)
			return pgal_fail(e, PGAL_ENOTFOUND, "no such key");
		snprintf(fp, sizeof fp, "%s", which);
	}
	rc = g->store->ops->key_delete(g->store, u.id, fp, e);
	if (rc == PGAL_ENOTFOUND)
		return pgal_fail(e, PGAL_ENOTFOUND, "no key %s", fp);
	return rc;
}

int
pgal_key_check(pgal *g, const char *user, const char *algo, const char *key_base64, pgal_err *e)
{
	pgal_ssh_key k;
	pgal_user u;
	char fp[64];
	int rc;

	if (pgal_valid_username(user, NULL) != PGAL_OK ||
	    pgal_sshkey_fingerprint(algo, key_base64, fp, NULL) != PGAL_OK)
		return pgal_fail(e, PGAL_EDENIED, "key not accepted");
	rc = g->store->ops->user_get_by_name(g->store, user, &u, e);
	if (rc == PGAL_ENOTFOUND)
		return pgal_fail(e, PGAL_EDENIED, "key not accepted");
	if (rc != PGAL_OK)
		return rc;
	rc = g->store->ops->key_find(g->store, u.id, fp, &k, e);
	if (rc == PGAL_ENOTFOUND || (rc == PGAL_OK && !u.confirmed))
		return pgal_fail(e, PGAL_EDENIED, "key not accepted");
	return rc;
}
