/* Command targets: the words a command names its album or photos with,
 * resolved once for every command before it runs (as tmux resolves a
 * command's target), so the commands get names, never "ALBUM/PHOTO". */
#include <stdlib.h>

#include "cmd.h"

/* "ALBUM/PHOTO" (or with photo_optional "ALBUM[/PHOTO]") into t. The
 * SFTP tree's "/ALBUM/PHOTO" names the same photo: sync tools run their
 * commands with the path they uploaded to (rclone's md5sum). */
static int
resolve_photo(pgal_cmd_target *t, const char *word, int photo_optional)
{
	if (word[0] == '/')
		word++;
	t->album = t->album_buf;
	t->photo = t->photo_buf;
	return pgal_split_path(word, t->album_buf, t->photo_buf, photo_optional, &t->err);
}

int
pgal_cmd_targets(const pgal_cmd_entry *c, const pgal_args *a, pgal_cmd_target **out, int *n,
		 pgal_err *e)
{
	pgal_cmd_target *t;
	int count, i, rc = PGAL_OK;

	*out = NULL;
	*n = 0;
	switch (c->target) {
	case PGAL_TARGET_NONE:
		return PGAL_OK;
	case PGAL_TARGET_PHOTOS:
		count = a->argc;
		break;
	case PGAL_TARGET_MOVE:
		count = 2;
		break;
	default:
		count = 1;
	}
	/* the table's min_args keeps count within the words (test-cmd-args) */
	if (count > a->argc)
		return pgal_fail(e, PGAL_EUSAGE, "%s: missing argument", c->name);
	if (count == 0)
		return PGAL_OK;
	if ((t = calloc((size_t)count, sizeof *t)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	for (i = 0; i < count; i++)
		pgal_err_clear(&t[i].err);
	switch (c->target) {
	case PGAL_TARGET_ALBUM:
		/* any name: each core call checks it as it reads the album */
		t[0].album = a->argv[0];
		t[0].photo = "";
		break;
	case PGAL_TARGET_PHOTO:
		rc = resolve_photo(&t[0], a->argv[0], 0);
		break;
	case PGAL_TARGET_MOVE:
		if ((rc = resolve_photo(&t[0], a->argv[0], 0)) == PGAL_OK)
			rc = resolve_photo(&t[1], a->argv[1], 1);
		break;
	case PGAL_TARGET_PHOTOS:
		/* each word on its own: the command reports a bad one in its turn */
		for (i = 0; i < count; i++)
			(void)resolve_photo(&t[i], a->argv[i], 0);
		break;
	case PGAL_TARGET_NONE:
		break;
	}
	if (rc != PGAL_OK) {
		*e = t[0].err.code != PGAL_OK ? t[0].err : t[1].err;
		free(t);
		return rc;
	}
	*out = t;
	*n = count;
	return PGAL_OK;
}
