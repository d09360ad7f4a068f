/* The SFTP virtual tree: client paths in, album/photo names out. */
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

/* The next component of a path at *pp: its length (0 at the end) and
 * *start; runs of '/' and "." components are skipped, *pp moves past it. */
static size_t
next_component(const char **pp, const char **start)
{
	const char *p = *pp;
	size_t len;

	do {
		while (*p == '/')
			p++;
		*start = p;
		while (*p != '\0' && *p != '/')
			p++;
		len = (size_t)(p - *start);
	} while (len == 1 && (*start)[0] == '.');
	*pp = p;
	return len;
}

static int
is_dotdot(const char *start, size_t len)
{
	return len == 2 && start[0] == '.' && start[1] == '.';
}

/* Parses a client path: empty parts and "." skipped; "..", control
 * characters and broken UTF-8 refused; at most ALBUM/PHOTO. Relative
 * paths are taken from the root (the client's home). */
int
sftpd_parse_path(const char *in, struct vpath *v, pgal_err *e)
{
	const char *p = in, *start;
	size_t len;

	memset(v, 0, sizeof *v);
	if (in == NULL)
		return pgal_fail(e, PGAL_EINPUT, "missing path");
	if (!pgal_text_is_clean(in, 0))
		return pgal_fail(e, PGAL_EINPUT, "control characters or invalid UTF-8 in the path");
	while ((len = next_component(&p, &start)) != 0) {
		if (is_dotdot(start, len))
			return pgal_fail(e, PGAL_EINPUT, "'..' is not allowed in paths");
		if (v->depth == 0) {
			if (len > PGAL_ALBUM_MAX)
				return pgal_fail(e, PGAL_EINPUT, "album name too long");
			memcpy(v->album, start, len);
			v->album[len] = '\0';
		} else if (v->depth == 1) {
			if (len > PGAL_PHOTO_NAME_MAX)
				return pgal_fail(e, PGAL_EINPUT, "photo name too long");
			memcpy(v->photo, start, len);
			v->photo[len] = '\0';
		} else
			return pgal_fail(e, PGAL_EINPUT, "albums hold photos, not folders");
		v->depth++;
	}
	return PGAL_OK;
}

/* Resolves ".." lexically for REALPATH only (it cannot leave the root). */
int
sftpd_realpath(const char *in, char *out, size_t size)
{
	char parts[3][PGAL_PHOTO_NAME_MAX + 1];
	const char *p = in, *start;
	size_t len;
	int n = 0, i;

	if (in == NULL || !pgal_text_is_clean(in, 0))
		return -1;
	while ((len = next_component(&p, &start)) != 0) {
		if (is_dotdot(start, len)) {
			if (n > 0)
				n--;
			continue;
		}
		if (n == 3 || len > PGAL_PHOTO_NAME_MAX)
			return -1;
		memcpy(parts[n], start, len);
		parts[n][len] = '\0';
		n++;
	}
	if (n == 0) {
		snprintf(out, size, "/");
		return 0;
	}
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		size_t used = strlen(out);

		if ((size_t)snprintf(out + used, size - used, "/%s", parts[i]) >= size - used)
			return -1;
	}
	return 0;
}

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

