/* What the store contract's case files (store-contract-*.c) share: the
 * backend of the running suite, helpers beyond store-contract.h's fixture,
 * and every case, registered in one place (store-contract.c). */
#ifndef PGAL_STORE_CONTRACT_INT_H
#define PGAL_STORE_CONTRACT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "store-contract.h"

/* the backend of the running suite; B in the cases for short */
extern pgal_contract_backend *pgal_contract_cur;
#define B pgal_contract_cur

/* cfg for a brand-new empty store of B; fails the test if B cannot. */
void pgal_contract_fresh_config(pgal_config *cfg);
/* B's open that fails the test on error. */
pgal_store *pgal_contract_open(const pgal_config *cfg);
/* The backend's own count, or -1 when it cannot tell. */
int64_t pgal_contract_probe(pgal_contract_fx *f, pgal_probe what, int64_t id,
    const char *text);
/* A session row for user whose token hash and times derive from n. */
void pgal_contract_session_row(pgal_session_row *r, pgal_id user, int64_t n);
/* Ids of the user's photos carrying tag (whole tags only), newest first. */
size_t pgal_contract_tagged(pgal_contract_fx *f, pgal_id user, const char *tag,
    pgal_id *ids, size_t max);
/* Counts every photo of an album through pages, summing bytes. */
void pgal_contract_count_album(pgal_contract_fx *f, pgal_id album, int64_t *n,
    int64_t *bytes);

#define assert_probe(f, what, id, text, want) do {			\
	int64_t v_ = pgal_contract_probe(f, what, id, text);		\
	if (v_ != -1 && v_ != (int64_t)(want))				\
		fail_msg("probe %d (%lld): %lld rows, want %lld",	\
		    (int)(what), (long long)(id), (long long)v_,	\
		    (long long)(want));					\
} while (0)

/* the cases, by file */
void test_find_and_ops(void **state);           /* store-contract.c */
void test_reopen_keeps_data(void **state);      /* -hosts.c */
void test_concurrent_first_open(void **state);
void test_two_handles(void **state);
void test_processes(void **state);
void test_users(void **state);                  /* -accounts.c */
void test_sessions(void **state);
void test_keys(void **state);
void test_albums(void **state);                 /* -albums.c */
void test_album_counts(void **state);
void test_long_title_cut(void **state);
void test_photo_roundtrip(void **state);        /* -photos.c */
void test_photo_update_delete(void **state);
void test_photo_digests(void **state);
void test_sha_and_blobs(void **state);
void test_user_delete_cascades(void **state);   /* -cascades.c */
void test_album_delete_cascades(void **state);
void test_pagination(void **state);             /* -paging.c */
void test_search(void **state);                 /* -search.c */
void test_search_album(void **state);
void test_marks(void **state);                  /* -marks.c */
void test_uploads(void **state);                /* -uploads.c */
void test_unconfirmed(void **state);
void test_prefs(void **state);                  /* -prefs.c */
void test_peer_restart(void **state);           /* -faults.c */
void test_peer_kill_during_album_delete(void **state);

#endif
