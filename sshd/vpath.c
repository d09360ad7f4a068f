/* Paths in the virtual tree ("/" holds albums, "/<album>/" holds photos)
 * as SFTP and legacy scp clients send them. Read the way a file system
 * reads a path: empty components ("a//b") and "." ("./a", "a/./b") name
 * nothing, a trailing '/' changes nothing; ".." is refused (only REALPATH
 * resolves it, lexically, and it cannot leave the root). */
#include <stdio.h>
#include <string.h>

#include "sanitize.h"
#include "sshd.h"

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

int
sshd_vpath_parse(const char *in, struct sshd_vpath *v, pgal_err *e)
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

int
sshd_vpath_real(const char *in, char *out, size_t size)
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
