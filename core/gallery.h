/* The gallery service: the one API every front end (CLI, TUI, SSH server) uses.
 *
 * Every call that touches a user's data takes the session token and checks it
 * against the store on every call, so a logout, password change or account
 * cancellation takes effect everywhere at once. Ownership is checked here:
 * album and photo names are always looked up within the session's user.
 * Every call returns PGAL_OK or a pgal_code, with a human message in e. */
#ifndef PGAL_GALLERY_H
#define PGAL_GALLERY_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "err.h"
#include "records.h"

typedef struct pgal pgal;

/* Opens the backends named by cfg. The MySQL and DynamoDB stores must have
 * been made by `pgal init`: a missing table or a pending migration fails
 * with PGAL_EBACKEND ("table X does not exist; run pgal init"). */
int pgal_open(pgal **g, const pgal_config *cfg, pgal_err *e);
/* `pgal init` only: the same, but creates missing tables and applies
 * pending migrations first. */
int pgal_open_init(pgal **g, const pgal_config *cfg, pgal_err *e);
void pgal_close(pgal *g);
const pgal_config *pgal_get_config(const pgal *g);

/* Clock used for expiry; tests may move it (a fixed clock also skips the
 * password throttle's slow-down waits). 0 restores the real clock. */
void pgal_set_clock(pgal *g, int64_t fixed_now);
/* Told of every mail kept on this machine instead of sent (the outbox):
 * the account it is for and where it is ("mail is kept as files in DIR"),
 * so a server can log where the codes of its users are. NULL: nobody. */
typedef void (*pgal_mail_note_fn)(void *arg, const char *user, const char *where);
void pgal_set_mail_note(pgal *g, pgal_mail_note_fn fn, void *arg);

/* ---- accounts ---- */

#define PGAL_TOKEN_HEX 64 /* 256-bit session token as hex */
#define PGAL_CODE_LEN 10  /* confirmation code length */

/* Creates an unconfirmed account and mails a confirmation code. */
int pgal_signup(pgal *g, const char *user, const char *email, const char *password, pgal_err *e);
/* Checks a mailed code; at most cfg->code_tries wrong tries from one source
 * address, then a resend from there is needed (other addresses keep theirs). */
int pgal_confirm(pgal *g, const char *user, const char *code, pgal_err *e);
/* Mails a fresh code; codes mailed before keep working until they expire.
 * Mail is limited per account, per address and per source
 * (limits/signup.h): inside a cool-down nothing is sent and the error says
 * when the next can be. */
int pgal_resend_code(pgal *g, const char *user, pgal_err *e);
/* Forgotten password: mails a code to a confirmed account's address (the
 * sign-up code's length, lifetime and tries; the old code stops working). */
int pgal_reset_request(pgal *g, const char *user, pgal_err *e);
/* Sets new_password if code is the mailed one, and ends every session. */
int pgal_reset_password(pgal *g, const char *user, const char *code, const char *new_password,
			pgal_err *e);
/* On success writes a new session token (PGAL_TOKEN_HEX + NUL) to token. Wrong
 * user and wrong password give the same PGAL_EDENIED message; every check
 * goes through the password throttle (throttle.h: per source address and
 * per name and source; failures from elsewhere only slow a name down). */
int pgal_login(pgal *g, const char *user, const char *password, char token[PGAL_TOKEN_HEX + 1], pgal_err *e);
/* Starts a session for an already authenticated user (e.g. SSH public key). */
int pgal_login_trusted(pgal *g, const char *user, char token[PGAL_TOKEN_HEX + 1], pgal_err *e);
int pgal_logout(pgal *g, const char *token, pgal_err *e);

typedef struct pgal_whoami {
	pgal_id user_id;
	char user[PGAL_USER_MAX + 1];
	char email[PGAL_EMAIL_MAX + 1];
	int64_t created_at;
	int64_t albums;
	int64_t photos;
	int64_t bytes;
} pgal_whoami;
/* Validates the session (and refreshes its idle timer); info may be NULL. */
int pgal_session_check(pgal *g, const char *token, pgal_whoami *info, pgal_err *e);
/* Changes the password and ends every other session of the user. */
int pgal_passwd(pgal *g, const char *token, const char *old_password, const char *new_password, pgal_err *e);
/* Deletes the account and everything in it after checking the password again. */
int pgal_cancel_account(pgal *g, const char *token, const char *password, pgal_err *e);

/* ---- albums ---- */

int pgal_album_create(pgal *g, const char *token, const char *name, const char *title,
		      const char *description, pgal_album *out, pgal_err *e);
/* *out malloc'd, sorted by name */
int pgal_album_list(pgal *g, const char *token, pgal_album **out, size_t *n, pgal_err *e);
int pgal_album_get(pgal *g, const char *token, const char *name, pgal_album *out, pgal_err *e);
/* NULL arguments leave that field unchanged */
int pgal_album_update(pgal *g, const char *token, const char *name, const char *new_name,
		      const char *title, const char *description, pgal_album *out, pgal_err *e);
/* Deletes the album, its photos and their blobs; *deleted_photos may be NULL. */
int pgal_album_delete(pgal *g, const char *token, const char *name, int64_t *deleted_photos, pgal_err *e);

/* ---- photos ---- */

typedef struct pgal_put_opts {
	const char *filename;    /* name the photo is known by; NULL: base name of path */
	const char *title;       /* NULL: none */
	const char *description; /* NULL: none */
	const char *tags;        /* comma-separated, NULL: none */
	int force;               /* store even if the same bytes are already there */
	/* a file system's write: a photo of the same name in the album is
	 * replaced (new bytes, its title, description and tags kept, its old
	 * blobs freed); the same bytes under that name store nothing */
	int replace;
	int64_t mtime;           /* the file's time as a client gave it; 0: none */
	/* called with 1 when this upload starts to wait for its turn to
	 * decode (the host's decoders_max decoders go in arrival order) and
	 * with 0 when its turn comes, for a caller that times the work and
	 * not the wait; NULL: none */
	void (*decode_wait)(void *arg, int waiting);
	void *decode_wait_arg;
} pgal_put_opts;

/* The one ingest pipeline: type, size and pixel limits before decoding, EXIF,
 * SHA-256 and duplicate check, thumbnail + preview, blobs, then the row. On any
 * failure nothing is left that a row points at, and no row is written. */
int pgal_photo_add(pgal *g, const char *token, const char *album, const char *path,
		   const pgal_put_opts *opts, pgal_photo *out, pgal_err *e);

/* PGAL_OK with the photo in out if the session's user already has a photo
 * with the bytes of the file at path (what pgal_photo_add would refuse
 * without force); PGAL_ENOTFOUND if not. */
int pgal_photo_stored(pgal *g, const char *token, const char *path, pgal_photo *out,
		      pgal_err *e);

/* What an upload would be stored as, decided without decoding it. */
typedef struct pgal_ingest_info {
	char name[PGAL_PHOTO_NAME_MAX + 1]; /* the free name it gets */
	int64_t bytes;
	int width, height; /* as the header says; 0 when it keeps them elsewhere (HEIC) */
	int unchanged; /* pgal_ingest_check_as: the photo of that name has these bytes */
	char sha256[PGAL_SHA256_HEX + 1]; /* pgal_ingest_check_as: the file's hash */
} pgal_ingest_info;

/* Whether the name `name` (already made valid) is taken by an upload that
 * is accepted but not stored yet; see pgal_ingest_check. */
typedef int (*pgal_taken_fn)(void *arg, const char *album, const char *name);

/* The checks that decide whether an upload is accepted, on its open file
 * fd, quick enough to answer a client before the full ingest runs: the
 * session and album, not empty and within the upload limit, a supported
 * type by its magic bytes, the pixel limit from the header alone, the quota
 * with `pending` more bytes already accepted but not stored, and a name:
 * `filename` made valid, or its first variant ("a-2.jpg") that neither a
 * stored photo of the album nor `taken` (may be NULL) claims. Reads fd with
 * pread only and never starts the image decoder. After PGAL_OK,
 * pgal_photo_add of the same file under info->name still fails if the
 * image does not decode, is a duplicate, or the room went meanwhile. */
int pgal_ingest_check(pgal *g, const char *token, const char *album, int fd,
		      const char *filename, int64_t pending, pgal_taken_fn taken, void *arg,
		      pgal_ingest_info *info, pgal_err *e);

/* pgal_ingest_check for a file system's write of `name` exactly (made
 * valid): a stored photo of that name is to be replaced (pgal_put_opts
 * replace), so no variant is looked for; the file is hashed too, and bytes
 * already stored under another name are refused now ("already stored as
 * ALBUM/NAME"), the same bytes under this name set info->unchanged. */
int pgal_ingest_check_as(pgal *g, const char *token, const char *album, int fd,
			 const char *name, int64_t pending, pgal_ingest_info *info, pgal_err *e);

/* The first `len` bytes of an upload on its way: PGAL_OK when they are an
 * image type's or too few to tell, PGAL_EINPUT "not a supported image"
 * when they can be no image: a client is told at its first write, not
 * after sending the whole file. */
int pgal_ingest_check_head(const void *head, size_t len, pgal_err *e);

/* A page of an album in the given order, after `after` (NULL: from the start).
 * By title: titled photos A to Z, then the untitled ones. next is filled for the following page (next->valid 0 when this was the last). */
int pgal_photo_list(pgal *g, const char *token, const char *album, pgal_sort sort,
		    const pgal_cursor *after, size_t limit, pgal_photo *out, size_t *n,
		    pgal_cursor *next, pgal_err *e);
/* The page just before `before` in the same order (NULL: the last page of
 * the album), rows in forward order: going to the end of a huge album is
 * one read, and pages above it one read each. prev is filled for the page
 * before this one (prev->valid 0 when this was the first). */
int pgal_photo_list_before(pgal *g, const char *token, const char *album, pgal_sort sort,
			   const pgal_cursor *before, size_t limit, pgal_photo *out, size_t *n,
			   pgal_cursor *prev, pgal_err *e);
int pgal_photo_get(pgal *g, const char *token, const char *album, const char *name,
		   pgal_photo *out, pgal_err *e);
/* The photo with the MD5, SHA-1 and SHA-256 of its original filled in: a
 * photo stored before the first two were kept is hashed once (its
 * original read back) and they are saved (core/photo-digests.c). */
int pgal_photo_digests(pgal *g, const char *token, const char *album, const char *name,
		       pgal_photo *out, pgal_err *e);
/* NULL arguments leave that field unchanged; tags replace the whole set */
int pgal_photo_update(pgal *g, const char *token, const char *album, const char *name,
		      const char *title, const char *description, const char *tags,
		      pgal_photo *out, pgal_err *e);
/* Moves/renames a photo within the user's albums. */
int pgal_photo_move(pgal *g, const char *token, const char *album, const char *name,
		    const char *to_album, const char *to_name, pgal_photo *out, pgal_err *e);
int pgal_photo_delete(pgal *g, const char *token, const char *album, const char *name, pgal_err *e);
/* Sets the photo's file time (what SFTP clients show and sync tools
 * compare; the EXIF time stays as it is): seconds since the epoch, > 0. */
int pgal_photo_set_mtime(pgal *g, const char *token, const char *album, const char *name,
			 int64_t mtime, pgal_err *e);
/* Writes the original, thumbnail or preview to fd. */
int pgal_photo_read(pgal *g, const char *token, const char *album, const char *name,
		    int kind /* pgal_blob_kind */, int fd, pgal_err *e);
/* Reads the thumbnail or preview into memory (malloc'd). */
int pgal_photo_read_mem(pgal *g, const char *token, const char *album, const char *name,
			int kind, void **data, size_t *len, pgal_err *e);

/* Photos of the user matching every word of `words` (title, description,
 * tags, name) and the tag if not NULL, only in `album` if not NULL (one of the
 * user's albums), newest added first. At most limit; *out malloc'd. */
int pgal_search(pgal *g, const char *token, const char *album, const char *words,
		const char *tag, size_t limit, pgal_photo **out, size_t *n, pgal_err *e);
/* The same for a query as people type it, in every front end: "#beach" or
 * "tag:beach" picks that tag (one tag; tag_opt, if not NULL, is another
 * way to give it), the other words go to pgal_search. */
int pgal_search_text(pgal *g, const char *token, const char *album, const char *query,
		     const char *tag_opt, size_t limit, pgal_photo **out, size_t *n, pgal_err *e);

/* ---- uploads still being stored ----
 * A door that accepts a file and stores it in the background (sshd's ingest
 * queue) notes it here, in the shared store, so that the user's commands on
 * every host can wait for it and listings everywhere show it with its size
 * until its photo row exists. A note lives ttl_secs unless its holder (a
 * name of the storing process, printable, no '/') touches it again: a
 * holder that dies holds nothing longer. */
int pgal_upload_note(pgal *g, const char *token, const pgal_upload *u, int64_t ttl_secs,
		     pgal_err *e);
/* every note of holder's lives ttl_secs from now */
int pgal_upload_touch(pgal *g, const char *token, const char *holder, int64_t ttl_secs,
		      pgal_err *e);
int pgal_upload_forget(pgal *g, const char *token, const char *album, const char *name,
		       const char *holder, pgal_err *e);
/* the user's live notes in album (NULL: every album), by album and name;
 * *out malloc'd */
int pgal_upload_list(pgal *g, const char *token, const char *album, pgal_upload **out,
		     size_t *n, pgal_err *e);

/* ---- sharing ---- */

#define PGAL_SHARE_TTL_DEFAULT 3600
#define PGAL_SHARE_TTL_MAX (7 * 86400) /* the longest a SigV4 presigned URL lives */

/* A link anyone can download the original of one of the session's photos
 * from, without credentials, for ttl_secs (1 s to PGAL_SHARE_TTL_MAX):
 * malloc'd into *url; *expires (may be NULL) gets the time it stops working
 * (sooner than asked when the AWS credentials signing it expire first). The
 * link opens in a browser under the photo's name.
 * PGAL_EUSAGE when the blob backend cannot make links (blobs = fs). */
int pgal_share(pgal *g, const char *token, const char *album, const char *name,
	       int64_t ttl_secs, char **url, int64_t *expires, pgal_err *e);
/* "90", "90s", "30m", "1h", "7d" as seconds, 1 s to PGAL_SHARE_TTL_MAX;
 * PGAL_EUSAGE otherwise. */
int pgal_share_parse_ttl(const char *s, int64_t *secs, pgal_err *e);

/* ---- SSH public keys (log in over SSH without a password) ---- */


/* Adds an OpenSSH public key line ("ssh-ed25519 AAAA... comment"): the type
 * must be one SSH servers accept today and match the type inside the blob. */
int pgal_key_add(pgal *g, const char *token, const char *line, pgal_ssh_key *out, pgal_err *e);
/* *out malloc'd, oldest first */
int pgal_key_list(pgal *g, const char *token, pgal_ssh_key **out, size_t *n, pgal_err *e);
/* By fingerprint ("SHA256:...") or by the 1-based position in the list. */
int pgal_key_remove(pgal *g, const char *token, const char *which, pgal_err *e);
/* PGAL_OK if `user` is a confirmed account holding this key (type name and
 * base64 blob as an SSH server sees them), else PGAL_EDENIED. */
int pgal_key_check(pgal *g, const char *user, const char *algo, const char *key_base64, pgal_err *e);

/* ---- maintenance (local administrator, no session) ---- */

typedef struct pgal_gc_stats {
	int64_t scanned;
	int64_t removed;
	int64_t bytes_removed;
	int64_t kept_young; /* orphans younger than min_age, maybe an ingest in flight */
	int64_t removed_partial; /* unfinished writes a crash left (temp files, multipart) */
	int64_t unconfirmed_removed; /* accounts not confirmed within code_ttl_secs */
	int64_t marks_removed;       /* expired throttle and mail marks */
} pgal_gc_stats;
/* Removes the accounts never confirmed within code_ttl_secs (freeing
 * their names), expired marks, and blobs no photo row references and
 * older than min_age seconds. */
int pgal_gc(pgal *g, int64_t min_age, pgal_gc_stats *st, pgal_err *e);

/* `pgal init`: what pgal_open_init made ready (schema migrated, DynamoDB tables
 * created, bucket checked), plus what only init does (DynamoDB indexes
 * added, folders checked writable), as one line per backend given to fn:
 * "store mysql: ok (schema version 1, ...)", "blobs s3: bucket 'x'
 * reachable", "mail ses: ...". Fails if a backend is not usable after all. */
typedef void (*pgal_status_fn)(void *arg, const char *line);
int pgal_backend_status(pgal *g, pgal_status_fn fn, void *arg, pgal_err *e);
/* 1 and a line in out ("mail is kept as files in DIR") when mail stays on
 * this machine instead of being sent; 0 when it leaves. */
int pgal_mail_where_kept(pgal *g, char *out, size_t size);

#endif
