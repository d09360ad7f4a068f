/* The SFTP virtual tree's attributes: owner ids, modes, times and "ls -l"
 * lines made from gallery records (its paths: vpath.c). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sanitize.h"
#include "sftp-tree.h"
#include "validate.h"

/* Owner ids: above the system accounts' (Debian gives users 1000 up), and
 * within what every client takes as a signed 32-bit id. */
#define OWNER_ID_MIN 1000u
#define OWNER_ID_END 0x7fffffffu

/* FNV-1a (32 bits) of the name: spread, stable, no state to keep. */
static uint32_t
name_hash(const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name != '\0'; name++) {
		h ^= (unsigned char)*name;
		h *= 16777619u;
	}
	return h;
}

uint32_t
sftpd_owner_id(const char *user)
{
	return OWNER_ID_MIN + name_hash(user) % (OWNER_ID_END - OWNER_ID_MIN);
}

const char *
sftpd_group_name(const char *user)
{
	return user;
}

void
sftpd_attr_dir(struct sftp_attributes_struct *a, int64_t mtime, const char *user)
{
	memset(a, 0, sizeof *a);
	a->flags = SSH_FILEXFER_ATTR_SIZE | SSH_FILEXFER_ATTR_PERMISSIONS |
	    SSH_FILEXFER_ATTR_ACMODTIME | SSH_FILEXFER_ATTR_UIDGID;
	a->type = SSH_FILEXFER_TYPE_DIRECTORY;
	a->permissions = S_IFDIR | 0755;
	a->size = 0;
	a->uid = a->gid = sftpd_owner_id(user);
	a->mtime = a->atime = (uint32_t)(mtime > 0 ? mtime : 0);
}

void
sftpd_attr_photo(struct sftp_attributes_struct *a, const pgal_photo *p, const char *user)
{
	memset(a, 0, sizeof *a);
	a->flags = SSH_FILEXFER_ATTR_SIZE | SSH_FILEXFER_ATTR_PERMISSIONS |
	    SSH_FILEXFER_ATTR_ACMODTIME | SSH_FILEXFER_ATTR_UIDGID;
	a->type = SSH_FILEXFER_TYPE_REGULAR;
	a->permissions = S_IFREG | 0644;
	a->size = (uint64_t)p->bytes;
	a->uid = a->gid = sftpd_owner_id(user);
	/* mtime: the file's time as the client set it, else when it was
	 * uploaded (the EXIF time is in `info`); atime: when it was added */
	a->mtime = (uint32_t)(p->mtime > 0 ? p->mtime : p->added_at > 0 ? p->added_at : 0);
	a->atime = (uint32_t)(p->added_at > 0 ? p->added_at : 0);
}

void
sftpd_longname(char *out, size_t size, const struct sftp_attributes_struct *a, const char *user,
    const char *name)
{
	char when[32];
	time_t t = (time_t)a->mtime;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%b %e %Y", &tm);
	snprintf(out, size, "%s    1 %-8s %-8s %12llu %s %s",
	    (a->permissions & S_IFDIR) == S_IFDIR ? "drwxr-xr-x" : "-rw-r--r--", user,
	    sftpd_group_name(user),
	    (unsigned long long)a->size, when, name);
}

