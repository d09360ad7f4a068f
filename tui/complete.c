/* Tab completion of local paths (files and folders) for the add-photos
 * prompt: completes a unique match, else the longest common prefix, and
 * lists the candidates on the status line. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "sanitize.h"

#define COMPLETE_MAX 512 /* candidates looked at */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
tui_complete_path(char *buf, size_t bufsz, size_t *len, char *msg, size_t msgsz)
{
	char dir[4096], path[4096], clean[256];
	const char *base, *slash, *home;
	char *names[COMPLETE_MAX];
	size_t nn = 0, blen, common, i, off, dlen;
	struct dirent *de;
	struct stat sb;
	DIR *d;
	int isdir;

	msg[0] = '\0';
	buf[*len] = '\0';
	/* ~/ means $HOME, as in a shell */
	if (buf[0] == '~' && (buf[1] == '/' || buf[1] == '\0') &&
	    (home = getenv("HOME")) != NULL && strlen(home) + *len < bufsz) {
		snprintf(path, sizeof path, "%s%s", home, buf + 1);
		snprintf(buf, bufsz, "%s", path);
		*len = strlen(buf);
	}
	slash = strrchr(buf, '/');
	if (slash == NULL) {
		snprintf(dir, sizeof dir, ".");
		base = buf;
		dlen = 0;
	} else {
		dlen = (size_t)(slash - buf) + 1;
		snprintf(dir, sizeof dir, "%.*s", (int)dlen, buf);
		base = slash + 1;
	}
	blen = strlen(base);
	if ((d = opendir(dir)) == NULL) {
		snprintf(msg, msgsz, "no such folder");
		return 0;
	}
	while ((de = readdir(d)) != NULL && nn < COMPLETE_MAX) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (de->d_name[0] == '.' && base[0] != '.')
			continue;
		if (strncmp(de->d_name, base, blen) != 0)
			continue;
		if ((names[nn] = strdup(de->d_name)) != NULL)
			nn++;
	}
	closedir(d);
	if (nn == 0) {
		snprintf(msg, msgsz, "no match");
		return 0;
	}
	qsort(names, nn, sizeof names[0], cmp_str);
	common = strlen(names[0]);
	for (i = 1; i < nn; i++) {
		size_t k = 0;
		while (k < common && names[i][k] == names[0][k])
			k++;
		common = k;
	}
	/* never stop inside a UTF-8 character */
	while (common > blen && ((unsigned char)names[0][common] & 0xc0) == 0x80)
		common--;
	if (dlen + common + 2 < bufsz) {
		memcpy(buf + dlen, names[0], common);
		*len = dlen + common;
		buf[*len] = '\0';
		if (nn == 1) {
			snprintf(path, sizeof path, "%s", buf);
			isdir = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
			if (isdir) {
				buf[(*len)++] = '/';
				buf[*len] = '\0';
			}
		}
	}
	if (nn > 1) {
		off = 0;
		for (i = 0; i < nn && off + 2 < msgsz; i++) {
			pgal_sanitize(clean, sizeof clean, names[i], 0);
			off += (size_t)snprintf(msg + off, msgsz - off, "%s  ", clean);
			if (off >= msgsz)
				break;
		}
	}
	for (i = 0; i < nn; i++)
		free(names[i]);
	return (int)nn;
}
