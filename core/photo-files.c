/* The local files of a put or an add screen: files as given, folders
 * walked for image names, bounded in depth and count. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grow.h"
#include "photo-files.h"

static int
push(pgal_file_list *l, const char *path, pgal_err *e)
{
	if (l->n >= PGAL_FILES_MAX)
		return pgal_fail(e, PGAL_EINPUT, "more than %d files at once", PGAL_FILES_MAX);
	if (PGAL_GROW(l->v, l->cap, l->n + 1) == -1)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	if ((l->v[l->n] = strdup(path)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	l->n++;
	return PGAL_OK;
}

int
pgal_is_image_name(const char *name)
{
	static const char *const ext[] = { "jpg", "jpeg", "png", "webp", "gif", "tif", "tiff",
		"heic", "heif" };
	const char *dot = strrchr(name, '.');
	size_t i;

	if (dot == NULL)
		return 0;
	for (i = 0; i < sizeof ext / sizeof ext[0]; i++)
		if (strcasecmp(dot + 1, ext[i]) == 0)
			return 1;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The entries of dir (hidden ones left out), sorted; at most PGAL_FILES_MAX. */
static int
read_names(const char *dir, char ***out, size_t *count, pgal_err *e)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	*out = NULL;
	*count = 0;
	if ((d = opendir(dir)) == NULL)
		return pgal_fail(e, PGAL_EINPUT, "cannot read the folder %.200s: %s", dir,
				 strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == PGAL_FILES_MAX) {
			closedir(d);
			free_names(names, n);
			return pgal_fail(e, PGAL_EINPUT, "more than %d files at once",
					 PGAL_FILES_MAX);
		}
		if (PGAL_GROW(names, cap, n + 1) == -1)
			break;
		if ((names[n] = strdup(de->d_name)) == NULL)
			break;
		n++;
	}
	closedir(d);
	if (de != NULL) {
		free_names(names, n);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	if (n > 0)
		qsort(names, n, sizeof *names, cmp_str);
	*out = names;
	*count = n;
	return PGAL_OK;
}

static int
walk(pgal_file_list *l, const char *dir, int depth, pgal_err *e)
{
	char path[4096], **names;
	struct stat sb;
	size_t n, i;
	int rc;

	if (depth > PGAL_FILES_DEPTH)
		return PGAL_OK;
	/* a subfolder this user cannot read holds nothing to add */
	if (depth > 0 && access(dir, R_OK | X_OK) != 0)
		return PGAL_OK;
	if ((rc = read_names(dir, &names, &n, e)) != PGAL_OK)
		return rc;
	for (i = 0; i < n && rc == PGAL_OK; i++) {
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= sizeof path ||
		    lstat(path, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode))
			rc = walk(l, path, depth + 1, e);
		else if (S_ISREG(sb.st_mode) && (l->all_files || pgal_is_image_name(names[i])))
			rc = push(l, path, e);
	}
	free_names(names, n);
	return rc;
}

int
pgal_file_list_add(pgal_file_list *l, const char *path, pgal_err *e)
{
	char dir[4096];
	size_t len;
	struct stat sb;

	if (stat(path, &sb) != 0)
		return pgal_fail(e, errno == ENOENT ? PGAL_ENOTFOUND : PGAL_EINPUT,
				 "%.200s: %s", path, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return push(l, path, e);
	/* "pics/" and "pics" list the same paths */
	len = strlen(path);
	if (len >= sizeof dir)
		return pgal_fail(e, PGAL_EINPUT, "path too long");
	memcpy(dir, path, len + 1);
	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = '\0';
	return walk(l, dir, 0, e);
}

void
pgal_file_list_free(pgal_file_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}
