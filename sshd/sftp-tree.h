/* The SFTP server's virtual tree: "/" holds albums, "/<album>/" holds
 * photos. Client paths are parsed here and nothing maps to the real file
 * system; attributes and listings are made from gallery records. */
#ifndef PGAL_SSHD_SFTP_TREE_H
#define PGAL_SSHD_SFTP_TREE_H

#include <stddef.h>
#include <stdint.h>

#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include "err.h"
#include "records.h"

struct vpath {
	int depth; /* 0 root, 1 album, 2 photo */
	char album[PGAL_ALBUM_MAX + 1];
	char photo[PGAL_PHOTO_NAME_MAX + 1];
};

/* PGAL_OK, or PGAL_EINPUT with the reason in e: see sftp-tree.c */
int sftpd_parse_path(const char *in, struct vpath *v, pgal_err *e);
/* The canonical absolute form of a client path; -1 if it is not one. */
int sftpd_realpath(const char *in, char *out, size_t size);
void sftpd_attr_dir(struct sftp_attributes_struct *a, int64_t mtime);
void sftpd_attr_photo(struct sftp_attributes_struct *a, const pgal_photo *p);
/* An "ls -l" line for readdir's long name. */
void sftpd_longname(char *out, size_t size, const struct sftp_attributes_struct *a,
    const char *user, const char *name);

#endif
