/* Tab completion in a text field: of local paths (files and folders) for
 * the add-photos prompt, and of the user's album names where a photo
 * moves to. Completes a unique match, else the longest common prefix,
 * and lists the candidates on the status line. */
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

/* buf[from..*len) is what was typed of a name; names (nn > 0, sorted here)
 * are those it starts. buf gets the unique one, or what they all share;
 * several are listed in msg. */
static void
complete_with(char **names, size_t nn, char *buf, size_t bufsz, size_t *len, size_t from,
    char *msg, size_t msgsz)
{
	char clean[256];
	size_t common, i, off, typed = *len - from;

	qsort(names, nn, sizeof names[0], cmp_str);
	common = strlen(names[0]);
	for (i = 1; i < nn; i++) {
		size_t k = 0;
		while (k < common && names[i][k] == names[0][k])
			k++;
		common = k;
	}
	/* never stop inside a UTF-8 character; what was typed stays */
	if (common > typed)
		common = typed + pgal_utf8_cut(names[0] + typed, strlen(names[0]) - typed,
		    common - typed);
	if (from + common + 2 < bufsz) {
		memcpy(buf + from, names[0], common);
		*len = from + common;
		buf[*len] = '\0';
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
}

int
tui_complete_path(char *buf, size_t bufsz, size_t *len, char *msg, size_t msgsz)
{
	char dir[4096], path[4096];
	const char *base, *slash, *home;
	char *names[COMPLETE_MAX];
	size_t nn = 0, blen, i, dlen;
	struct dirent *de;
	struct stat sb;
	DIR *d;

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
	complete_with(names, nn, buf, bufsz, len, dlen, msg, msgsz);
	/* a folder named whole: ready for what is inside it */
	if (nn == 1 && stat(buf, &sb) == 0 && S_ISDIR(sb.st_mode) && *len + 2 < bufsz) {
		buf[(*len)++] = '/';
		buf[*len] = '\0';
	}
	for (i = 0; i < nn; i++)
		free(names[i]);
	return (int)nn;
}

int
tui_complete_album(tui *t, char *buf, size_t bufsz, size_t *len, char *msg, size_t msgsz)
{
	char *names[COMPLETE_MAX];
	pgal_album *al = NULL;
	size_t n = 0, nn = 0, i;
	pgal_err e;

	msg[0] = '\0';
	buf[*len] = '\0';
	if (pgal_album_list(t->g, t->token, &al, &n, &e) != PGAL_OK) {
		snprintf(msg, msgsz, "cannot list the albums: %s", e.msg);
		return 0;
	}
	for (i = 0; i < n && nn < COMPLETE_MAX; i++)
		if (strncmp(al[i].name, buf, *len) == 0)
			names[nn++] = al[i].name;
	if (nn == 0)
		snprintf(msg, msgsz, "no album starts with that");
	else
		complete_with(names, nn, buf, bufsz, len, 0, msg, msgsz);
	free(al);
	return (int)nn;
}
