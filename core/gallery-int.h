/* Internal to the gallery service (core/gallery*.c, accounts.c, albums.c,
 * photos.c, ingest.c, gc.c): the context and the checks every call shares. */
#ifndef PGAL_GALLERY_INT_H
#define PGAL_GALLERY_INT_H

#include "blobs/blobs.h"
#include "gallery.h"
#include "mail/mail.h"
#include "store/store.h"
#include "limits/throttle.h"

struct pgal {
	pgal_config cfg;
	pgal_store *store;
	pgal_blobs *blobs;
	pgal_mail *mail;
	int64_t fixed_now; /* 0: real clock */
	pgal_client client; /* who calls, for the password throttle */
	pgal_mail_note_fn mail_note; /* see pgal_set_mail_note */
	void *mail_note_arg;
};

int64_t pgal_now(const pgal *g);

/* A confirmation code as typed (any case, spaces and dashes anywhere) in
 * the form it is stored in: 1 when it has the length of one, else 0. */
int pgal_code_normalize(const char *in, char out[PGAL_CODE_LEN + 1]);

/* Resolves a session token to its user, enforcing idle and absolute expiry.
 * Every call on user data starts here. */
int pgal_auth(pgal *g, const char *token, pgal_user *u, pgal_err *e);

/* The session's album by name (PGAL_ENOTFOUND if it is not this user's). */
int pgal_own_album(pgal *g, const pgal_user *u, const char *name, pgal_album *a, pgal_err *e);
/* The session's photo by album and name. */
int pgal_own_photo(pgal *g, const pgal_user *u, const char *album, const char *name,
		   pgal_album *a, pgal_photo *p, pgal_err *e);

/* A page of an album by title, untitled photos last (store/title-order.c): after
 * cur or (backward) before it, rows in forward order. */
int pgal_title_page(pgal_store *s, pgal_id album, const pgal_cursor *cur, int backward,
		    size_t limit, pgal_photo *out, size_t *n, pgal_err *e);

/* Deletes the three blobs of a blob id, best effort: a failure leaves an
 * orphan for `pgal gc`, never a row without blobs. */
void pgal_delete_blobs(pgal *g, const char *blob_id);

/* A mailed code's words: the mail's subject, "GREETING NAME.", "Your
 * WHAT code is", the command that takes it ("pgal COMMAND NAME CODE"),
 * what to do if it was not asked for, and the command for a new one. */
typedef struct pgal_code_text {
	const char *subject, *greeting, *what, *command, *ignore, *renew;
} pgal_code_text;
extern const pgal_code_text pgal_code_confirm_text;
/* Gives u a fresh code (stored hashed, cfg.code_ttl_secs and
 * cfg.code_tries) and mails it to u's address; the old one stops working. */
int pgal_code_send(pgal *g, pgal_user *u, const pgal_code_text *text, pgal_err *e);
/* The same for an account that exists (a resend, a password reset): under
 * the mail limits of the account, its address and the source (given back
 * when the mail fails), and the code's tries start over. */
int pgal_code_send_limited(pgal *g, pgal_user *u, const pgal_code_text *text, pgal_err *e);
/* PGAL_OK if code is u's pending one (then cleared in u, for the caller to
 * store); a wrong code costs a try (stored at once), one that cannot be a
 * code (white space and dashes aside) costs none. */
int pgal_code_check(pgal *g, pgal_user *u, const char *code, const pgal_code_text *text,
		    pgal_err *e);

/* Sanitizes text given by a user into dst, then checks its bounds. */
int pgal_clean_title(const char *in, char dst[PGAL_TITLE_MAX + 1], pgal_err *e);
int pgal_clean_description(const char *in, char dst[PGAL_DESC_MAX + 1], pgal_err *e);

#endif
