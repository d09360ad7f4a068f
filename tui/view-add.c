/* Adding photos. Locally: a path prompt (files or folders, Tab completes)
 * and a progress screen that adds one file per step through the one
 * ingest pipeline; Esc stops between files. Over SSH the server cannot
 * read the client's disk, so the screen shows the scp/sftp commands. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "photo-files.h"

struct add_job {
	char album[PGAL_ALBUM_MAX + 1];
	pgal_file_list files;
	size_t next;
	size_t added, failed;
	char last_error[512];
	char last_ok[PGAL_PHOTO_NAME_MAX + 1];
	int done, cancelled;
};

static void
add_draw(tui *t, tui_view *v, int y0, int h)
{
	struct add_job *j = v->data;
	char line[600];
	int w = COLS - 8, x = 4, y = y0 + 2;

	snprintf(line, sizeof line, "Adding %zu file%s to album '%s'", j->files.n, j->files.n == 1 ? "" : "s",
	    j->album);
	tui_text(y, x, w, line, TS_HEAD);
	y += 2;
	tui_progress_bar(y, x, w, (int64_t)j->next, (int64_t)j->files.n);
	y += 2;
	if (!j->done && j->next < j->files.n) {
		snprintf(line, sizeof line, "%s %s", tui_spinner(t->ticks), j->files.v[j->next]);
		tui_text(y, x, w, line, TS_NORMAL);
	}
	y += 2;
	snprintf(line, sizeof line, "added %zu, failed %zu", j->added, j->failed);
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

static int
add_tick(tui *t, tui_view *v)
{
	struct add_job *j = v->data;
	pgal_photo out;
	pgal_err e;

	if (j->done)
		return 0;
	if (j->next >= j->files.n) {
		j->done = 1;
		return 0;
	}
	if (pgal_photo_add(t->g, t->token, j->album, j->files.v[j->next], NULL, &out, &e) ==
	    PGAL_OK) {
		j->added++;
		tui_copy(j->last_ok, sizeof j->last_ok, out.name);
	} else {
		j->failed++;
		snprintf(j->last_error, sizeof j->last_error, "%.200s: %.290s",
		    j->files.v[j->next], e.msg);
		if (e.code == PGAL_EDENIED) {
			j->done = 1;
			tui_fail(t, "cannot add", &e);
			return 0;
		}
	}
	j->next++;
	if (j->next >= j->files.n) {
		j->done = 1;
		/* the true counts, and why the last one failed */
		if (j->failed > 0)
			tui_msg(t, 1, "added %zu photo%s, %zu failed (%s)", j->added,
			    j->added == 1 ? "" : "s", j->failed, j->last_error);
		else
			tui_msg(t, 0, "added %zu photo%s", j->added, j->added == 1 ? "" : "s");
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
	tui_msg(t, 0, "stopped: %zu added", j->added);
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

static const tui_binding add_keys[] = {
	{ { TK_ESC, 'q' }, add_stop, "Esc", "stop / back", TUI_KEY_BAR },
	{ { TK_ENTER }, add_back, "Enter", "back when done", TUI_KEY_BAR },
	{ { TUI_KEY_ANY }, add_busy, NULL, NULL, 0 },
	TUI_KEYS_END,
};

static void
add_free(tui_view *v)
{
	struct add_job *j = v->data;

	pgal_file_list_free(&j->files);
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
	tui_pop(t);
	/* the form is gone: a failed push is no retry of it */
	tui_push(t, &add_ops, add_keys, j, "add photos");
	return 0;
}

/* ---- over SSH ---- */

struct remote_info {
	char album[PGAL_ALBUM_MAX + 1];
};

static const tui_binding remote_keys[] = {
	{ { 'q' }, tui_key_back, "q", "back", TUI_KEY_BAR },
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
static const tui_binding path_keys[] = {
	{ { TK_ENTER }, tui_form_edit_key, "Enter", "add", TUI_KEY_BAR },
	{ { '\t' }, tui_form_edit_key, "Tab", "complete path", TUI_KEY_BAR },
	{ { TK_ESC }, tui_form_cancel, "Esc", "cancel", TUI_KEY_BAR },
	{ { TK_CTRL('u') }, tui_form_edit_key, "Ctrl-U", "clear to start", 0 },
	{ { TUI_KEY_ANY }, tui_form_edit_key, NULL, NULL, 0 },
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
		.keys = path_keys,
	};
	struct remote_info *r;
	tui_form *f;
	tui_field *fl;

	if (t->env->remote) {
		if ((r = calloc(1, sizeof *r)) == NULL)
			return -1;
		tui_copy(r->album, sizeof r->album, album);
		return tui_push(t, &remote_ops, remote_keys, r, "add photos");
	}
	if ((spec.arg = strdup(album)) == NULL)
		return -1;
	if ((f = tui_form_view(t, &spec)) == NULL)
		return -1;
	if ((fl = tui_form_add(f, "Path", TUI_FIELD_MAX - 1, 0)) != NULL)
		fl->complete = TUI_COMPLETE_PATH;
	return 0;
}
