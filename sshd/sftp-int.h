/* Internal to the SFTP subsystem (sshd/sftp*.c): the channel's state, its
 * open handles and the helpers every request handler uses.
 *   sftp.c        the channel: framing, dispatch, handles, replies
 *   sftp-file.c   photos as files: downloads and uploads through the spool
 *   sftp-temp.c   uploads under a temporary name, kept aside until renamed
 *   sftp-dir.c    listings of the root and of an album
 *   sftp-paths.c  requests on names: stat, realpath, mkdir, rmdir, remove,
 *                 rename
 *   sftp-tree.c   attributes of the virtual tree (its paths: vpath.c)
 *   sftp-ext.c    the version reply and the protocol extensions */
#ifndef PGAL_SSHD_SFTP_INT_H
#define PGAL_SSHD_SFTP_INT_H

#include <stddef.h>
#include <stdint.h>

#include <libssh/libssh.h>
#define WITH_SERVER 1 /* the server half of sftp.h */
#include <libssh/sftp.h>

#include "sftp-tree.h"
#include "sshd.h"

#define READ_MAX 262144
/* each read handle holds a copy of an original in the spool: few at once */
#define HANDLES_MAX 16

enum hkind { H_ROOT, H_ALBUM, H_READ, H_WRITE };

struct handle {
	enum hkind kind;
	char album[PGAL_ALBUM_MAX + 1];
	char name[PGAL_PHOTO_NAME_MAX + 1];
	int fd;
	char path[64];
	int64_t size; /* written so far (high-water mark) */
	int64_t spooled; /* bytes of the spool this handle holds */
	int head_checked; /* an upload's first bytes were seen to be an image's */
	int64_t mtime; /* an upload's time, set by FSETSTAT (put -p); 0: none */
	/* a write was refused: "NAME: why", given again at close */
	char fail[sizeof(((pgal_err *)0)->msg) + PGAL_PHOTO_NAME_MAX + 2];
	/* directory listing */
	pgal_album *albums;
	size_t nalbums, pos;
	pgal_cursor cur;
	int dir_done;
	int photos_done; /* the stored ones listed: the queued ones next */
	/* uploads of the album queued (on any connection of the user) when
	 * the listing began, each listed after the stored photos unless a
	 * stored one of its name came by */
	struct sshd_pending_rec *queued;
	size_t nqueued;
	unsigned char *seen;
	struct handle *next;
};

struct sftpd_uploads {
	/* the connection's uploads on their way through the full ingest */
	struct sshd_iq *iq;
	/* spool bytes held by the open handles of every SFTP channel of the
	 * connection; the ingest queue's files count on top */
	int64_t spool_used;
	/* of them, the bytes written to uploads not closed yet */
	int64_t writing;
	/* the quota was found to have room for this much incoming (queued
	 * and being written): asked again beyond it */
	int64_t quota_ok_upto;
	/* uploads under a temporary name, closed, not renamed yet */
	struct sftpd_temp *temps;
	/* the album the connection's last mkdir made: a failed mkdir below
	 * it ("rclone mkdir a/b") takes it back while it is empty */
	char made_album[PGAL_ALBUM_MAX + 1];
};

/* A closed upload under a temporary name (".in.a.jpg", "a.jpg.partial"):
 * its spool file, kept as written until renamed to its final name. */
struct sftpd_temp {
	char album[PGAL_ALBUM_MAX + 1];
	char name[PGAL_PHOTO_NAME_MAX + 1];
	int fd;
	int64_t bytes;
	int64_t mtime; /* as the client set it; 0: when it was closed */
	int64_t closed_at;
	struct sftpd_temp *next;
};

struct sftpd {
	struct sftpd_uploads *up; /* the connection's */
	struct sshd_gallery *gal; /* the connection's */
	const pgal_config *cfg;
	const char *token;
	const char *user;
	sftp_session sftp;
	struct handle *handles;
	int nhandles;
	uint32_t window_max; /* the largest window the client gave */
	int quiet; /* the request only looks: its refusal is not on stderr */
};

/* ---- sftp.c ---- */
pgal *sftpd_gal(struct sftpd *s);
/* The client's window (what may be sent before it reads): a reply that
 * does not fit would make libssh wait for the client inside the write. */
uint32_t sftpd_window(struct sftpd *s);
struct handle *sftpd_handle_new(struct sftpd *s, enum hkind kind);
void sftpd_handle_free(struct sftpd *s, struct handle *h);
/* Replies with a handle for h; on failure h is freed, the error sent and
 * -1 returned. */
int sftpd_give_handle(struct sftpd *s, sftp_client_message m, struct handle *h);
/* The open handle the message names, or NULL. */
struct handle *sftpd_find_handle(struct sftpd *s, sftp_client_message m);
/* A status reply with a pgal code and a message (sanitized here). A
 * refusal of a change (not of a request that only looks) also goes to the
 * channel's stderr, where OpenSSH's sftp and scp show it: they print only
 * the status code's standard text. */
void sftpd_reply_err(struct sftpd *s, sftp_client_message m, int code, const char *msg);
void sftpd_reply_pgal(struct sftpd *s, sftp_client_message m, const pgal_err *e);
/* The message's path in the virtual tree; on a bad path the reply (with
 * `code`) is sent and -1 returned. */
int sftpd_client_path(struct sftpd *s, sftp_client_message m, struct sshd_vpath *v, int code);
/* Waits until album/name, queued by this or another connection of the
 * user on this host, is stored or refused (a read, rename or remove of it
 * then meets it stored); at most the ingest's time limit. */
void sftpd_wait_stored(struct sftpd *s, const char *album, const char *name);
/* A queued upload as the photo it will be: its name, size and time. */
void sftpd_queued_photo(pgal_photo *ph, const struct sshd_pending_rec *r);
/* The photo at album/name as a client sees it: an upload queued on any of
 * the user's connections (its new content), else the stored one. */
int sftpd_photo_get(struct sftpd *s, const char *album, const char *name, pgal_photo *ph,
    pgal_err *e);

/* ---- the request handlers: each sends its reply ---- */
/* sftp-file.c */
void sftpd_do_open(struct sftpd *s, sftp_client_message m);
void sftpd_do_read(struct sftpd *s, sftp_client_message m);
void sftpd_do_write(struct sftpd *s, sftp_client_message m);
void sftpd_do_close(struct sftpd *s, sftp_client_message m);
/* Checks an upload (fd) under its final name and queues it: PGAL_OK, or
 * the reason ("NAME: why") in e. *fd becomes -1 once the queue has it;
 * held is what of it already counts as being written. */
int sftpd_upload_store(struct sftpd *s, const char *album, const char *name, int *fd,
    int64_t held, int64_t mtime, pgal_err *e);
/* sftp-temp.c */
/* Whether a name is one clients upload under before renaming: a leading
 * dot, or ending in .partial, .filepart, .tmp or ~. */
int sftpd_temp_name(const char *name);
/* At the close of h (a temporary name): its file is kept aside. */
int sftpd_temp_keep(struct sftpd *s, struct handle *h, pgal_err *e);
struct sftpd_temp *sftpd_temp_find(struct sftpd_uploads *u, const char *album,
    const char *name);
/* Renames temporary album/name to `to` (in album to_album): a final name
 * queues it as an upload. PGAL_OK, or the reason in e. */
int sftpd_temp_rename(struct sftpd *s, struct sftpd_temp *t, const char *to_album,
    const char *to, pgal_err *e);
void sftpd_temp_drop(struct sftpd_uploads *u, struct sftpd_temp *t);
/* sftp-dir.c */
void sftpd_do_opendir(struct sftpd *s, sftp_client_message m);
void sftpd_do_readdir(struct sftpd *s, sftp_client_message m);
/* sftp-paths.c */
void sftpd_do_stat(struct sftpd *s, sftp_client_message m);
void sftpd_do_fstat(struct sftpd *s, sftp_client_message m);
void sftpd_do_realpath(struct sftpd *s, sftp_client_message m);
void sftpd_do_mkdir(struct sftpd *s, sftp_client_message m);
void sftpd_do_rmdir(struct sftpd *s, sftp_client_message m);
void sftpd_do_remove(struct sftpd *s, sftp_client_message m);
void sftpd_do_rename(struct sftpd *s, sftp_client_message m);
void sftpd_do_setstat(struct sftpd *s, sftp_client_message m);
/* sftp-ext.c */
void sftpd_do_statvfs(struct sftpd *s, sftp_client_message m);
void sftpd_do_users_groups(struct sftpd *s, sftp_client_message m);

#endif
