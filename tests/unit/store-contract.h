/* The store contract: ONE suite of cases that every metadata store backend
 * (core/store/sqlite, mysql, dynamodb) passes with the same calls, the
 * same results and the same errors (store/store.h's conventions: not found is
 * PGAL_ENOTFOUND naming the thing, a uniqueness conflict PGAL_EINPUT saying
 * "already exists", anything else PGAL_EBACKEND).
 *
 * How to run it against a backend: the unit test binary
 * build/tests/test-store-contract (tests/unit/test-store-contract.c) picks
 * the backend from the environment, so the integration scripts run that very
 * binary against their peer:
 *
 *   PGAL_TEST_STORE=sqlite (or unset)  fresh SQLite files in a scratch dir
 *   PGAL_TEST_STORE=mysql              PGAL_MYSQL_HOST, _PORT, _USER, _PASSWORD,
 *                                      _DATABASE (a base name: each case gets
 *                                      its own database <base>_<pid>_<n>,
 *                                      created and dropped by the suite, so the
 *                                      user needs CREATE/DROP on <base>_%)
 *   PGAL_TEST_STORE=dynamodb           every PGAL_* / AWS_* variable the config
 *                                      and the AWS layer read (region,
 *                                      credentials, AWS_ENDPOINT_URL_DYNAMODB);
 *                                      each case gets its own tables
 *                                      <PGAL_DYNAMODB_TABLE>-<pid>-<n> and
 *                                      <PGAL_DYNAMODB_USERS_TABLE>-<pid>-<n>
 *                                      (defaults PhotoGallery,
 *                                      PhotoGalleryUsers), which the store's
 *                                      open creates; nothing is dropped
 *                                      (dynalite runs in memory)
 *
 * Optional, any backend:
 *   PGAL_TEST_PEER_CTL="sh tests/integration/mariadb.sh ctl DIR"  a command to
 *       which the suite appends "kill", "start" or "restart" (the peer
 *       crashes, comes back, or both); when set, the fault cases run: the
 *       peer restarted between two calls on one open store, stopped for a
 *       while, and killed in the middle of a cascading album delete (all or
 *       nothing). peers.sh-style scripts for other peers fit the same shape.
 *
 * A backend that offers an independent view of its rows (probe: raw SQL on
 * a second connection) gets extra checks (no orphan tag rows, nothing left
 * of a deleted user); a probe returning -1 means "cannot tell", and only
 * those extra checks are left out: every check through the store's own
 * operations runs for every backend.
 */
#ifndef PGAL_STORE_CONTRACT_H
#define PGAL_STORE_CONTRACT_H

#include <stdint.h>

#include "config.h"
#include "store/store.h"

typedef enum pgal_probe {
	PGAL_PROBE_PHOTOS,      /* photo rows in all */
	PGAL_PROBE_TAG,         /* tag rows equal to text */
	PGAL_PROBE_TAGS_OF,     /* tag rows of photo id */
	PGAL_PROBE_ORPHAN_TAGS, /* tag rows whose photo is gone */
	PGAL_PROBE_USER_ROWS,   /* rows of every kind that belong to user id */
	PGAL_PROBE_USERS,       /* user rows in all */
} pgal_probe;

typedef struct pgal_contract_backend pgal_contract_backend;
struct pgal_contract_backend {
	const char *name;           /* the store's name: pgal_store_find(name) */
	const pgal_store_ops *ops;
	/* Fills cfg for a brand-new empty store; n numbers the case. */
	int (*fresh)(pgal_contract_backend *b, pgal_config *cfg, int n, pgal_err *e);
	/* Removes what fresh made, after the store is closed (may be NULL). */
	void (*dispose)(pgal_contract_backend *b, const pgal_config *cfg);
	/* An independent count (not through ops), -1 if it cannot tell (may be NULL). */
	int64_t (*probe)(pgal_contract_backend *b, const pgal_config *cfg, pgal_probe what,
	    int64_t id, const char *text);
	/* Runs "kill", "start" or "restart" on the peer; NULL: no fault cases. */
	int (*peer)(pgal_contract_backend *b, const char *action);
	/* Sets album's title on the backend's own connection, past the store's
	 * limits, as another program writing the rows may; 0 when done. */
	int (*retitle)(pgal_contract_backend *b, const pgal_config *cfg, pgal_id album,
	    const char *title);
	int npage;                  /* photos in the pagination case */
	char scratch[1024];         /* backend's own use: a scratch directory */
	void *ctx;
};

/* The backend named by PGAL_TEST_STORE (unset: sqlite), with its config
 * from the environment as described above. */
int pgal_contract_from_env(pgal_contract_backend *b, pgal_err *e);
/* Each backend by name; fills b. */
int pgal_contract_backend_init(pgal_contract_backend *b, const char *name, pgal_err *e);
/* Releases what init set up (scratch directories, connections). */
void pgal_contract_backend_free(pgal_contract_backend *b);

/* Runs every contract case against b; 0 when all passed (cmocka's result). */
int pgal_store_contract_run(pgal_contract_backend *b);
/* read-after-write and concurrent duplicates (store-contract-dedup.c) */
int pgal_store_contract_dedup_run(pgal_contract_backend *b);

/* The fixture every contract case starts from, for a backend's own suite
 * too: an open store holding users alice and bob, alice's albums Holiday
 * (a1) and Cats (a2), and bob's Holiday (b1). */
typedef struct pgal_contract_fx pgal_contract_fx;
struct pgal_contract_fx {
	pgal_config cfg;
	const pgal_store_ops *ops;
	pgal_store *s;
	pgal_id alice, bob;
	pgal_id a1, a2, b1; /* albums */
	unsigned serial;    /* makes blob ids and hashes unique */
};

/* Adds alice, bob and their albums to the open store f->s. */
void pgal_contract_people(pgal_contract_fx *f);
/* A user (name@example.org) or an album ("Title of name"); fails the test
 * on error. */
pgal_id pgal_contract_user(pgal_contract_fx *f, const char *name);
pgal_id pgal_contract_album(pgal_contract_fx *f, pgal_id user, const char *name);
/* A photo with every field set to something recognisable and unique. */
void pgal_contract_fill_photo(pgal_contract_fx *f, pgal_photo *p, pgal_id user,
    pgal_id album, const char *name);
/* photo_insert that fails the test on error; p->id. */
pgal_id pgal_contract_insert_photo(pgal_contract_fx *f, pgal_photo *p);

#endif
