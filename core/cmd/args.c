/* Command line options for every command: one parser, driven by the
 * accepted-options string of the command's table entry. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "sanitize.h"

/* A short, printable copy of a word from the command line for messages: it
 * may come from a remote client. */
static const char *
shown(char *buf, size_t size, const char *s, size_t len)
{
	if (len > 40)
		len = 40;
	pgal_sanitize_n(buf, size, s, len, 0);
	return buf;
}

/* Finds name (len bytes) in the comma-separated spec; *takes_value is set
 * when the spec entry ends in '='. */
static int
spec_find(const char *spec, const char *name, size_t len, int *takes_value)
{
	const char *p = spec, *end;
	size_t n;

	while (p != NULL && *p != '\0') {
		end = strchr(p, ',');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (n > 0 && p[n - 1] == '=') {
			if (n - 1 == len && memcmp(p, name, len) == 0) {
				*takes_value = 1;
				return 1;
			}
		} else if (n == len && memcmp(p, name, len) == 0) {
			*takes_value = 0;
			return 1;
		}
		p = end != NULL ? end + 1 : NULL;
	}
	return 0;
}

static int
set_opt(pgal_args *a, const char *name, size_t len, const char *value, pgal_err *e)
{
	int i;

	if (len >= sizeof a->opts[0].name)
		return pgal_fail(e, PGAL_EUSAGE, "option name too long");
	for (i = 0; i < a->nopts; i++) {
		if (strlen(a->opts[i].name) == len && memcmp(a->opts[i].name, name, len) == 0) {
			a->opts[i].value = value; /* the last one wins */
			return PGAL_OK;
		}
	}
	if (a->nopts == PGAL_ARGS_MAX_OPTS)
		return pgal_fail(e, PGAL_EUSAGE, "too many options");
	memcpy(a->opts[a->nopts].name, name, len);
	a->opts[a->nopts].name[len] = '\0';
	a->opts[a->nopts].value = value;
	a->nopts++;
	return PGAL_OK;
}

int
pgal_args_parse(pgal_args *a, const char *accepted, int argc, char **argv, pgal_err *e)
{
	char buf[64];
	const char *s, *name, *eq, *value, *dash;
	size_t len;
	int i, done = 0, takes;

	memset(a, 0, sizeof *a);
	if (argc < 0 || argc > PGAL_ARGS_MAX_POS)
		return pgal_fail(e, PGAL_EUSAGE, "too many arguments");
	a->argv = calloc((size_t)argc + 1, sizeof *a->argv);
	if (a->argv == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");

	for (i = 0; i < argc; i++) {
		s = argv[i];
		if (done || s[0] != '-' || s[1] == '\0') {
			a->argv[a->argc++] = argv[i];
			continue;
		}
		if (strcmp(s, "--") == 0) {
			done = 1;
			continue;
		}
		if (s[1] == '-') {
			/* --name, --name=value, --name value */
			dash = "--";
			name = s + 2;
			eq = strchr(name, '=');
			len = eq != NULL ? (size_t)(eq - name) : strlen(name);
			value = eq != NULL ? eq + 1 : NULL;
			if (len < 2 || !spec_find(accepted, name, len, &takes))
				goto unknown;
		} else {
			/* -o value, -ovalue, -o=value */
			dash = "-";
			name = s + 1;
			len = 1;
			if (!spec_find(accepted, name, len, &takes))
				goto unknown;
			value = NULL;
			if (s[2] != '\0')
				value = s[2] == '=' ? s + 3 : s + 2;
		}
		if (!takes && value != NULL) {
			pgal_args_free(a);
			return pgal_fail(e, PGAL_EUSAGE, "option %s%s takes no value", dash,
					 shown(buf, sizeof buf, name, len));
		}
		if (takes && value == NULL) {
			if (i + 1 == argc) {
				pgal_args_free(a);
				return pgal_fail(e, PGAL_EUSAGE, "option %s%s needs a value", dash,
						 shown(buf, sizeof buf, name, len));
			}
			value = argv[++i];
		}
		if (set_opt(a, name, len, value, e) != PGAL_OK) {
			pgal_args_free(a);
			return e != NULL ? e->code : PGAL_EUSAGE;
		}
		continue;
unknown:
		pgal_args_free(a);
		return pgal_fail(e, PGAL_EUSAGE, "unknown option %s",
				 shown(buf, sizeof buf, s, strcspn(s, "=")));
	}
	return PGAL_OK;
}

void
pgal_args_free(pgal_args *a)
{
	free(a->argv);
	a->argv = NULL;
	a->argc = 0;
	a->nopts = 0;
}

static int
find(const pgal_args *a, const char *name)
{
	int i;

	for (i = 0; i < a->nopts; i++) {
		if (strcmp(a->opts[i].name, name) == 0)
			return i;
	}
	return -1;
}

int
pgal_args_has(const pgal_args *a, const char *name)
{
	return find(a, name) >= 0;
}

const char *
pgal_args_get(const pgal_args *a, const char *name)
{
	int i = find(a, name);

	return i >= 0 ? a->opts[i].value : NULL;
}

int
pgal_args_get_int(const pgal_args *a, const char *name, int64_t def, int64_t *out, pgal_err *e)
{
	const char *v = pgal_args_get(a, name);
	char *end;
	long long n;

	*out = def;
	if (v == NULL)
		return PGAL_OK;
	if (*v < '0' || *v > '9')
		goto bad;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < 0)
		goto bad;
	*out = n;
	return PGAL_OK;
bad:
	return pgal_fail(e, PGAL_EUSAGE, "option --%s needs a non-negative number", name);
}

int
pgal_split_path(const char *s, char album[PGAL_ALBUM_MAX + 1], char photo[PGAL_PHOTO_NAME_MAX + 1],
		int allow_no_photo, pgal_err *e)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t alen, plen;

	alen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	plen = slash != NULL ? strlen(slash + 1) : 0;
	if (alen == 0 || (!allow_no_photo && plen == 0)) {
		return pgal_fail(e, PGAL_EUSAGE, "expected %s, got '%s'",
				 allow_no_photo ? "ALBUM[/PHOTO]" : "ALBUM/PHOTO",
				 shown(buf, sizeof buf, s, strlen(s)));
	}
	if (alen > PGAL_ALBUM_MAX)
		return pgal_fail(e, PGAL_EINPUT, "album name too long (at most %d bytes)", PGAL_ALBUM_MAX);
	if (plen > PGAL_PHOTO_NAME_MAX)
		return pgal_fail(e, PGAL_EINPUT, "photo name too long (at most %d bytes)", PGAL_PHOTO_NAME_MAX);
	memcpy(album, s, alen);
	album[alen] = '\0';
	if (plen > 0)
		memcpy(photo, slash + 1, plen);
	photo[plen] = '\0';
	return PGAL_OK;
}
