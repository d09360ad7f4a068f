/* The SFTP server's virtual tree: "/" holds albums, "/<album>/" holds
 * photos. Client paths are parsed by vpath.c and nothing maps to the real
 * file system; attributes and listings are made from gallery records. */
#ifndef PGAL_SSHD_SFTP_TREE_H
#define PGAL_SSHD_SFTP_TREE_H

#include <stddef.h>
#include <stdint.h>

#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include "err.h"
#include "records.h"

/* The tree has one owner, the connection's user: every album and photo
 * carries the same uid and gid, made from the name so that it is the same
 * on every connection and every host of a fleet (the store's row ids
 * differ by backend, need not fit 32 bits, and a queued upload has none
 * yet). Never 0: a client would show root. */
uint32_t sftpd_owner_id(const char *user);
/* The group of that id: the user's own group, named after the user, as
 * Debian's user-private groups are (nothing in a user's tree is shared
 * with a group, and long names have always shown "alice alice"). */
const char *sftpd_group_name(const char *user);
void sftpd_attr_dir(struct sftp_attributes_struct *a, int64_t mtime, const char *user);
void sftpd_attr_photo(struct sftp_attributes_struct *a, const pgal_photo *p,
    const char *user);
/* An "ls -l" line for readdir's long name: the owner and group as
 * users-groups-by-id@openssh.com names them (sftp-ext.c). */
void sftpd_longname(char *out, size_t size, const struct sftp_attributes_struct *a,
    const char *user, const char *name);

#endif
