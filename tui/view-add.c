/* Adding photos. Locally: a path prompt (files or folders, Tab completes)
 * and a progress screen that adds one file per step through the one
 * ingest pipeline, then asks once about files already stored; Esc stops
 * between files. Over SSH the server cannot
 * read the client's disk, so the screen shows the scp/sftp commands. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "screens.h"
#include "photo-files.h"

/* A file whose bytes are stored already is set aside, not failed: once
 * every file was tried the user is asked once whether to store those
 * again (the CLI's put --force) or to skip them. */
enum add_phase { ADD_FIRST, ADD_ASKING, ADD_AGAIN, ADD_DONE };

struct add_job {
	char album[PGAL_ALBUM_MAX + 1];
	pgal_file_list files;
	size_t next;
	size_t *dups; /* indexes into files of those already stored */
	size_t ndups, again_next;
	size_t added, again, skipped, failed;
	char last_error[512];
	/* the first one set aside and what it is stored as, for the question */
	char dup_file[201];
	char dup_as[PGAL_ALBUM_MAX + PGAL_PHOTO_NAME_MAX + 2];
	int phase; /* enum add_phase */
	int done, cancelled;
};

static void
add_draw(tui *t, tui_view *v, int y0, int h)
{
	struct add_job *j = v->data;
	int again = j->phase == ADD_AGAIN;
	size_t total = again ? j->ndups : j->files.n, at = again ? j->again_next : j->next;
	char line[600];
	int w = COLS - 8, x = 4, y = y0 + 2;

	snprintf(line, sizeof line, "%s %zu file%s %s album '%s'",
	    again ? "Storing" : "Adding", total, total == 1 ? "" : "s",
	    again ? "again in" : "to", j->album);
	tui_text(y, x, w, line, TS_HEAD);
	y += 2;
	tui_progress_bar(y, x, w, (int64_t)at, (int64_t)total);
	y += 2;
	if (!j->done && (j->phase == ADD_FIRST || again) && at < total) {
		snprintf(line, sizeof line, "%s %s", tui_spinner(t->ticks),
		    j->files.v[again ? j->dups[at] : at]);
		tui_text(y, x, w, line, TS_NORMAL);
	}
	y += 2;
	snprintf(line, sizeof line, "added %zu, failed %zu", j->added, j->failed);
	if (j->ndups > 0)
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    ", already stored %zu", j->ndups);
	if (j->again > 0)
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    ", stored again %zu", j->again);
	tui_text(y++, x, w, line, TS_OK);
	if (j->last_error[0] != '\0')
		tui_wrap(y, x, w, 3, j->last_error, TS_ERROR);
	y += 4;
	if (j->done)
		tui_text(y, x, w, j->cancelled ? "Stopped. Press Enter to go back." :
		    "Done. Press Enter to go back.", TS_LABEL);
	else
		tui_text(y, x, w, "Esc stops after the current file.", TS_DIM);
}

/* The true counts on the status line, and why the last failure failed. */
static void
add_report(tui *t, struct add_job *j)
{
	char line[400];
	size_t len;

	snprintf(line, sizeof line, "added %zu photo%s", j->added, j->added == 1 ? "" : "s");
	len = strlen(line);
	if (j->again > 0)
		len += (size_t)snprintf(line + len, sizeof line - len, ", %zu stored again",
		    j->again);
	if (j->skipped > 0 && len < sizeof line)
		len += (size_t)snprintf(line + len, sizeof line - len,
		    ", %zu already stored (skipped)", j->skipped);
	if (j->failed > 0 && len < sizeof line)
		tui_msg(t, 1, "%s, %zu failed (%s)", line, j->failed, j->last_error);
	else
		tui_msg(t, 0, "%s", line);
}

static void
add_finish(tui *t, struct add_job *j)
{
	j->done = 1;
	j->phase = ADD_DONE;
	add_report(t, j);
}

static void
store_again(tui *t, void *arg)
{
	struct add_job *j = arg;

	j->phase = ADD_AGAIN;
}

static void
skip_stored(tui *t, void *arg)
{
	struct add_job *j = arg;

	j->skipped = j->ndups;
	add_finish(t, j);
}

/* every file was tried: the duplicates, if any, are asked about once */
static void
first_pass_done(tui *t, struct add_job *j)
{
	char q[600];

	if (j->ndups == 0) {
		add_finish(t, j);
		return;
	}
	j->phase = ADD_ASKING;
	/* "already stored as" as the CLI says it */
	if (j->ndups == 1)
		snprintf(q, sizeof q, "%s is already stored as %s (the same bytes). Store it "
		    "again?", j->dup_file, j->dup_as);
	else
		snprintf(q, sizeof q, "%zu files are already stored (the same bytes), e.g. %s "
		    "as %s. Store them again?", j->ndups, j->dup_file, j->dup_as);
	if (tui_ask(t, q, store_again, skip_stored, j) != 0)
		skip_stored(t, j);
}

static void
set_aside(struct add_job *j, size_t i, const pgal_photo *stored)
{
	const char *base = strrchr(j->files.v[i], '/');

	base = base != NULL && base[1] != '\0' ? base + 1 : j->files.v[i];
	if (j->ndups == 0) {
		tui_copy(j->dup_file, sizeof j->dup_file, base);
		snprintf(j->dup_as, sizeof j->dup_as, "%s/%s", stored->album, stored->name);
	}
	j->dups[j->ndups++] = i;
}

static void
failed(tui *t, struct add_job *j, const char *path, const pgal_err *e)
{
	j->failed++;
	snprintf(j->last_error, sizeof j->last_error, "%.200s: %.290s", path, e->msg);
}

/* one file of the first pass: added, set aside as stored, or failed */
static int
add_one(tui *t, struct add_job *j)
{
	const char *path = j->files.v[j->next];
	pgal_photo out;
	pgal_err e, e2;

	/* checked first, so a stored file is never decoded again; and after a
	 * refusal, which may be another add of the same bytes meanwhile */
	if (pgal_photo_stored(t->g, t->token, path, &out, &e) == PGAL_OK) {
		set_aside(j, j->next, &out);
		return 0;
	}
	if (pgal_photo_add(t->g, t->token, j->album, path, NULL, &out, &e) == PGAL_OK) {
		j->added++;
		return 0;
	}
	if (e.code == PGAL_EINPUT &&
	    pgal_photo_stored(t->g, t->token, path, &out, &e2) == PGAL_OK) {
		set_aside(j, j->next, &out);
		return 0;
	}
	failed(t, j, path, &e);
	return e.code == PGAL_EDENIED ? -1 : 0;
}

/* one file stored again */
static int
again_one(tui *t, struct add_job *j)
{
	const char *path = j->files.v[j->dups[j->again_next]];
	pgal_put_opts o;
	pgal_photo out;
	pgal_err e;

	memset(&o, 0, sizeof o);
	o.force = 1;
	if (pgal_photo_add(t->g, t->token, j->album, path, &o, &out, &e) == PGAL_OK) {
		j->again++;
		return 0;
	}
	failed(t, j, path, &e);
	return e.code == PGAL_EDENIED ? -1 : 0;
}

static int
add_tick(tui *t, tui_view *v)
{
	struct add_job *j = v->data;
	pgal_err e;
	int rc;

	if (j->done || j->phase == ADD_ASKING)
		return 0;
	if (j->phase == ADD_FIRST && j->next < j->files.n) {
		rc = add_one(t, j);
		j->next++;
	} else if (j->phase == ADD_AGAIN && j->again_next < j->ndups) {
		rc = again_one(t, j);
		j->again_next++;
	} else
		rc = 0;
	if (rc != 0) {
		/* the session ended: every other file would fail the same way */
		j->done = 1;
		j->phase = ADD_DONE;
		pgal_err_clear(&e);
		e.code = PGAL_EDENIED;
		snprintf(e.msg, sizeof e.msg, "%s", j->last_error);
		tui_fail(t, "cannot add", &e);
		return 0;
	}
	if (j->phase == ADD_FIRST && j->next >= j->files.n) {
		first_pass_done(t, j);
		return 0;
	}
	if (j->phase == ADD_AGAIN && j->again_next >= j->ndups) {
		add_finish(t, j);
		return 0;
	}
	return 1;
}

/* Esc or q stops after the current file, or once done goes back. */
static int
add_stop(tui *t, tui_view *v, int key)
{
	struct add_job *j = v->data;

	if (j->done) {
		tui_pop(t);
		return 1;
	}
	j->done = j->cancelled = 1;
	j->phase = ADD_DONE;
	tui_msg(t, 0, "stopped: %zu added%s", j->added + j->again,
	    j->ndups > j->again_next ? ", the files already stored skipped" : "");
	return 1;
}

static int
add_back(tui *t, tui_view *v, int key)
{
	struct add_job *j = v->data;

	if (j->done)
		tui_pop(t);
	return 1;
}

/* while files are added, no other key does anything */
static int
add_busy(tui *t, tui_view *v, int key)
{
	struct add_job *j = v->data;

	return !j->done;
}

const tui_binding tui_add_progress_keys[] = {
	{ { TK_ESC, 'q' }, add_stop, NULL, "stop / back", TUI_KEY_BAR },
	{ { TK_ENTER }, add_back, NULL, "back when done", TUI_KEY_BAR },
	{ { TUI_KEY_ANY }, add_busy, NULL, NULL, 0 },
	TUI_KEYS_END,
};

static void
add_free(tui_view *v)
{
	struct add_job *j = v->data;

	pgal_file_list_free(&j->files);
	free(j->dups);
	free(j);
}

static const tui_view_ops add_ops = {
	.draw = add_draw,
	.tick = add_tick,
	.free = add_free,
};

static int
path_submit(tui *t, tui_view *v, tui_form *f, void *arg)
{
	struct add_job *j;
	char path[TUI_FIELD_MAX + 256];
	const char *home;
	pgal_err e;

	if (f->f[0].len == 0) {
		tui_msg(t, 1, "type a file or folder (Tab completes)");
		return -1;
	}
	if (f->f[0].buf[0] == '~' && f->f[0].buf[1] == '/' && (home = getenv("HOME")) != NULL)
		snprintf(path, sizeof path, "%.200s%s", home, f->f[0].buf + 1);
	else
		snprintf(path, sizeof path, "%s", f->f[0].buf);
	if ((j = calloc(1, sizeof *j)) == NULL)
		return -1;
	tui_copy(j->album, sizeof j->album, (const char *)arg);
	if (pgal_file_list_add(&j->files, path, &e) != PGAL_OK) {
		add_free(&(tui_view){ .data = j });
		tui_msg(t, 1, "%s", e.code == PGAL_ENOTFOUND ? "no such file or folder" : e.msg);
		return -1;
	}
	if (j->files.n == 0) {
		add_free(&(tui_view){ .data = j });
		tui_msg(t, 1, "no photos there (jpg, png, webp, gif, tiff, heic)");
		return -1;
	}
	if ((j->dups = calloc(j->files.n, sizeof *j->dups)) == NULL) {
		add_free(&(tui_view){ .data = j });
		tui_msg(t, 1, "out of memory");
		return -1;
	}
	tui_pop(t);
	/* the form is gone: a failed push is no retry of it */
	tui_push(t, &add_ops, tui_add_progress_keys, j, "add photos");
	return 0;
}

/* ---- over SSH ---- */

struct remote_info {
	char album[PGAL_ALBUM_MAX + 1];
};

const tui_binding tui_add_remote_keys[] = {
	{ { 'q' }, tui_key_back, NULL, "back", TUI_KEY_BAR },
	TUI_KEYS_END,
};

static void
remote_draw(tui *t, tui_view *v, int y0, int h)
{
	struct remote_info *r = v->data;
	const pgal_tui_env *env = t->env;
	const char *host = env->ssh_host != NULL ? env->ssh_host : "localhost";
	const char *user = env->ssh_user != NULL ? env->ssh_user : t->user;
	int port = env->ssh_port != NULL && strcmp(env->ssh_port, "22") != 0;
	char line[512];
	int x = 4, w = COLS - 8, y = y0 + 1;

	y += tui_wrap(y, x, w, 3, "This screen runs on the server, which cannot read the files "
	    "on your computer. Copy photos into this album from a shell on your computer:",
	    TS_NORMAL) + 1;
	snprintf(line, sizeof line, "scp %s%s%sphoto.jpg '%s@%s:/%s/'", port ? "-P " : "",
	    port ? env->ssh_port : "", port ? " " : "", user, host, r->album);
	tui_text(y++, x + 2, w - 2, line, TS_LABEL);
	y++;
	tui_text(y++, x, w, "or interactively:", TS_NORMAL);
	snprintf(line, sizeof line, "sftp %s%s%s%s@%s", port ? "-P " : "",
	    port ? env->ssh_port : "", port ? " " : "", user, host);
	tui_text(y++, x + 2, w - 2, line, TS_LABEL);
	snprintf(line, sizeof line, "sftp> cd '/%s'", r->album);
	tui_text(y++, x + 2, w - 2, line, TS_LABEL);
	tui_text(y++, x + 2, w - 2, "sftp> put *.jpg", TS_LABEL);
	y++;
	tui_wrap(y, x, w, 3, "Each file goes through the same checks as here; the album "
	    "shows the new photos when you come back to it.", TS_DIM);
}

static void
remote_free(tui_view *v)
{
	free(v->data);
}

static const tui_view_ops remote_ops = {
	.draw = remote_draw,
	.free = remote_free,
};

/* the path prompt: a form whose Tab completes */
const tui_binding tui_add_path_keys[] = {
	TUI_FORM_ENTER("add"),
	{ { '\t' }, tui_form_tab, NULL, "complete path", TUI_KEY_BAR },
	TUI_FORM_ROWS,
	TUI_KEYS_END,
};

int
tui_view_add(tui *t, const char *album)
{
	tui_form_spec spec = {
		.title = "add photos",
		.intro = "A photo file, or a folder (its photos and those of its "
			 "subfolders are added). Tab completes the path.",
		.submit = path_submit,
		.own_arg = 1,
		.keys = tui_add_path_keys,
	};
	struct remote_info *r;
	tui_form *f;
	tui_field *fl;

	if (t->env->remote) {
		if ((r = calloc(1, sizeof *r)) == NULL)
			return -1;
		tui_copy(r->album, sizeof r->album, album);
		return tui_push(t, &remote_ops, tui_add_remote_keys, r, "add photos");
	}
	if ((spec.arg = strdup(album)) == NULL)
		return -1;
	if ((f = tui_form_view(t, &spec)) == NULL)
		return -1;
	if ((fl = tui_form_add(f, "Path", TUI_FIELD_MAX - 1, 0)) != NULL)
		fl->complete = TUI_COMPLETE_PATH;
	return 0;
}
