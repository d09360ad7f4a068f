/* The SFTP version exchange and the protocol extensions. libssh's own
 * server init advertises hardlink@openssh.com, which a gallery cannot do
 * (one photo under two names), and not statvfs@openssh.com, which clients
 * ask for the free space (OpenSSH's "df", rclone's "about"): the version
 * reply is written here, listing what the request table (sftp.c) answers.
 * statvfs@openssh.com reports the user's storage under the quota, as
 * `df` does over exec (core/cmd/df.c). users-groups-by-id@openssh.com
 * names the owner and group of the tree (sftp-tree.c), so OpenSSH's
 * `ls -l` shows them instead of numbers. */
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "buf.h"
#include "quota.h"
#include "reader.h"
#include "sftp-int.h"

#define SSH_FXP_EXTENDED_REPLY 201
#define INIT_MAX 4096 /* an INIT with its extensions; OpenSSH's has none */
#define STATVFS_BLOCK 1024
/* ids asked at once: OpenSSH asks each id it has not seen yet, and the
 * whole tree has one */
#define IDS_MAX 64

/* The extensions advertised, as name and version pairs. */
static const char *const extensions[][2] = {
	{ "posix-rename@openssh.com", "1" },
	{ "statvfs@openssh.com", "2" },
	{ "users-groups-by-id@openssh.com", "1" },
};

/* Writes one packet: b holds its type and body after 4 bytes left for its
 * length. The caller saw the reply fit the client's window (sftpd_ready). */
static int
send_packet(ssh_channel ch, pgal_buf *b)
{
	uint32_t n;

	if (b->failed || b->len < 5)
		return -1;
	n = (uint32_t)(b->len - 4);
	pgal_buf_set_u32be(b, 0, n);
	return ssh_channel_write(ch, b->p, (uint32_t)b->len) == (int)b->len ? 0 : -1;
}

int
sftpd_server_init(sftp_session sftp)
{
	unsigned char head[4], *body;
	pgal_reader r;
	pgal_buf b = { 0 };
	uint32_t len, version;
	size_t i;
	int rc = -1;

	/* the whole packet is in (chan-sftp.c counts them): no read waits */
	if (ssh_channel_read(sftp->channel, head, sizeof head, 0) != sizeof head)
		return -1;
	pgal_reader_init(&r, head, sizeof head);
	if (pgal_read_u32be(&r, &len) == -1 || len < 5 || len > INIT_MAX ||
	    (body = malloc(len)) == NULL)
		return -1;
	if (ssh_channel_read(sftp->channel, body, len, 0) != (int)len)
		goto out;
	pgal_reader_init(&r, body, len);
	if (pgal_read_byte(&r) != SSH_FXP_INIT || pgal_read_u32be(&r, &version) == -1)
		goto out;
	sftp->client_version = (int)version;
	sftp->version = version < LIBSFTP_VERSION ? (int)version : LIBSFTP_VERSION;
	pgal_buf_add_u32be(&b, 0);
	pgal_buf_addc(&b, SSH_FXP_VERSION);
	pgal_buf_add_u32be(&b, LIBSFTP_VERSION);
	for (i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
		pgal_buf_add_sshstr(&b, extensions[i][0], strlen(extensions[i][0]));
		pgal_buf_add_sshstr(&b, extensions[i][1], strlen(extensions[i][1]));
	}
	rc = send_packet(sftp->channel, &b);
out:
	free(body);
	pgal_buf_free(&b);
	return rc;
}

/* The name of each uid (or gid) in ids, in their order, as SSH strings:
 * `name` for the tree's owner id, "" (unknown) for any other. */
static int
names_of(pgal_buf *out, const unsigned char *ids, size_t len, uint32_t own, const char *name)
{
	pgal_reader r;
	const char *shown;
	uint32_t id;

	if (len % 4 != 0 || len / 4 > IDS_MAX)
		return -1;
	pgal_reader_init(&r, ids, len);
	while (pgal_reader_left(&r) > 0) {
		if (pgal_read_u32be(&r, &id) == -1)
			return -1;
		shown = id == own ? name : "";
		pgal_buf_add_sshstr(out, shown, strlen(shown));
	}
	return 0;
}

/* users-groups-by-id@openssh.com (OpenSSH's PROTOCOL, 4.12): uids and gids
 * (strings of u32s) in, their names (strings of strings) out. */
void
sftpd_do_users_groups(struct sftpd *s, sftp_client_message m)
{
	const unsigned char *p, *uids, *gids, *ext;
	size_t nu, ng, n;
	pgal_buf b = { 0 }, users = { 0 }, groups = { 0 };
	pgal_reader r;
	uint32_t id, own = sftpd_owner_id(s->user);

	if (m->complete_message == NULL ||
	    (p = ssh_buffer_get(m->complete_message)) == NULL) {
		sftpd_reply_err(s, m, PGAL_EINPUT, "a bad request");
		return;
	}
	pgal_reader_init(&r, p, ssh_buffer_get_len(m->complete_message));
	if (pgal_read_u32be(&r, &id) == -1 || pgal_read_string(&r, &ext, &n) == -1 ||
	    pgal_read_string(&r, &uids, &nu) == -1 || pgal_read_string(&r, &gids, &ng) == -1 ||
	    names_of(&users, uids, nu, own, s->user) == -1 ||
	    names_of(&groups, gids, ng, own, sftpd_group_name(s->user)) == -1) {
		sftpd_reply_err(s, m, PGAL_EINPUT, "a bad or too long list of ids");
		goto out;
	}
	pgal_buf_add_u32be(&b, 0);
	pgal_buf_addc(&b, (char)SSH_FXP_EXTENDED_REPLY);
	/* libssh keeps the request id as it came, in network order */
	pgal_buf_add(&b, &m->id, sizeof m->id);
	pgal_buf_add_sshstr(&b, users.p, users.len);
	pgal_buf_add_sshstr(&b, groups.p, groups.len);
	/* IDS_MAX keeps it small; a window smaller still would stall the write */
	if (b.len > sftpd_window(s))
		sftpd_reply_err(s, m, PGAL_EBACKEND, "the reply does not fit the window");
	else if (users.failed || groups.failed || send_packet(s->sftp->channel, &b) == -1)
		sshd_log("sftp: user %s: users-groups-by-id reply not sent", s->user);
out:
	pgal_buf_free(&users);
	pgal_buf_free(&groups);
	pgal_buf_free(&b);
}

/* The request's path: libssh leaves an extension's fields unread, so they
 * are read here from the whole message (id, extension name, path). */
static int
ext_path(sftp_client_message m, char *out, size_t size)
{
	const unsigned char *p, *s;
	pgal_reader r;
	uint32_t id;
	size_t n;

	if (m->complete_message == NULL ||
	    (p = ssh_buffer_get(m->complete_message)) == NULL)
		return -1;
	pgal_reader_init(&r, p, ssh_buffer_get_len(m->complete_message));
	if (pgal_read_u32be(&r, &id) == -1 || pgal_read_string(&r, &s, &n) == -1 ||
	    pgal_read_string(&r, &s, &n) == -1 || n >= size || memchr(s, '\0', n) != NULL)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

void
sftpd_do_statvfs(struct sftpd *s, sftp_client_message m)
{
	char path[PGAL_ALBUM_MAX + PGAL_PHOTO_NAME_MAX + 64];
	pgal_quota_usage u;
	struct sshd_vpath v;
	pgal_album a;
	pgal_buf b = { 0 };
	uint64_t blocks, used;
	pgal_err e;

	pgal_err_clear(&e);
	if (ext_path(m, path, sizeof path) == -1) {
		sftpd_reply_err(s, m, PGAL_EINPUT, "a bad or too long path");
		return;
	}
	if (sshd_vpath_parse(path, &v, &e) != PGAL_OK) {
		sftpd_reply_pgal(s, m, &e);
		return;
	}
	/* the account is the same everywhere, but a path must exist */
	if ((v.depth >= 1 && pgal_album_get(sftpd_gal(s), s->token, v.album, &a, &e) != PGAL_OK) ||
	    pgal_quota_usage_get(sftpd_gal(s), s->token, &u, &e) != PGAL_OK) {
		sftpd_reply_pgal(s, m, &e);
		return;
	}
	blocks = (uint64_t)u.size / STATVFS_BLOCK;
	used = ((uint64_t)u.used + STATVFS_BLOCK - 1) / STATVFS_BLOCK;
	if (used > blocks)
		used = blocks;
	pgal_buf_add_u32be(&b, 0);
	pgal_buf_addc(&b, (char)SSH_FXP_EXTENDED_REPLY);
	/* libssh keeps the request id as it came, in network order */
	pgal_buf_add(&b, &m->id, sizeof m->id);
	pgal_buf_add_u64be(&b, STATVFS_BLOCK);        /* f_bsize */
	pgal_buf_add_u64be(&b, STATVFS_BLOCK);        /* f_frsize */
	pgal_buf_add_u64be(&b, blocks);               /* f_blocks */
	pgal_buf_add_u64be(&b, blocks - used);        /* f_bfree */
	pgal_buf_add_u64be(&b, blocks - used);        /* f_bavail */
	pgal_buf_add_u64be(&b, (uint64_t)u.photos);   /* f_files */
	pgal_buf_add_u64be(&b, 0);                    /* f_ffree: no inodes to count */
	pgal_buf_add_u64be(&b, 0);                    /* f_favail */
	pgal_buf_add_u64be(&b, 0);                    /* f_fsid */
	pgal_buf_add_u64be(&b, ST_NOSUID);            /* f_flag */
	pgal_buf_add_u64be(&b, PGAL_PHOTO_NAME_MAX);  /* f_namemax */
	if (send_packet(s->sftp->channel, &b) == -1)
		sshd_log("sftp: user %s: statvfs reply not sent", s->user);
	pgal_buf_free(&b);
}
