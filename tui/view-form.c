/* A screen that is a form: an explanation, fields, and an action on Enter
 * in the last field. Log in, sign up, confirm, album and photo edits,
 * password and cancel all are forms with their own submit function. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

struct form_view {
	tui_form form;
	tui_form_spec spec;
	char intro[1024];
	tui_keyhelp keys[8];
};

static void
form_draw(tui *t, tui_view *v, int y0, int h)
{
	struct form_view *fv = v->data;
	int w = COLS - 8 < 76 ? COLS - 8 : 76, x = (COLS - w) / 2, y = y0 + 1;

	if (fv->intro[0] != '\0')
		y += tui_wrap(y, x, w, 6, fv->intro, TS_DIM) + 1;
	y++;
	tui_form_draw(t, &fv->form, y, x, w);
}

static int
form_key(tui *t, tui_view *v, int key)
{
	struct form_view *fv = v->data;
	int r;

	if (fv->spec.extra != NULL && key == fv->spec.extra_key) {
		fv->spec.extra(t, v, &fv->form, fv->spec.arg);
		return 1;
	}
	if (key == TK_ESC) {
		tui_pop(t);
		return 1;
	}
	r = tui_form_key(t, &fv->form, key);
	if (r == 2) {
		/* the submit function may pop this view: fv is gone then */
		fv->spec.submit(t, v, &fv->form, fv->spec.arg);
		return 1;
	}
	return r;
}

static void
form_free(tui_view *v)
{
	struct form_view *fv = v->data;

	if (fv->spec.own_arg)
		free(fv->spec.arg);
	/* no secret stays in freed memory */
	explicit_bzero(&fv->form, sizeof fv->form);
	free(fv);
}

static const tui_keyhelp form_keys[] = {
	{ "Enter", "next field / submit", 1 },
	{ "Tab", "next field", 1 },
	{ "Esc", "cancel", 1 },
	{ "Ctrl-U", "clear to start", 0 },
	{ "Ctrl-W", "delete word", 0 },
	{ NULL, NULL, 0 },
};

static const tui_keyhelp form_keys_path[] = {
	{ "Enter", "add", 1 },
	{ "Tab", "complete path", 1 },
	{ "Esc", "cancel", 1 },
	{ "Ctrl-U", "clear to start", 0 },
	{ NULL, NULL, 0 },
};

static const tui_keyhelp form_keys_resend[] = {
	{ "Enter", "next field / submit", 1 },
	{ "Ctrl-R", "mail a new code", 1 },
	{ "Esc", "cancel", 1 },
	{ NULL, NULL, 0 },
};

static const tui_view_ops form_ops_plain = {
	.name = "form", .draw = form_draw, .key = form_key, .free = form_free,
	.keys = form_keys, .text_input = 1,
};
static const tui_view_ops form_ops_path = {
	.name = "form", .draw = form_draw, .key = form_key, .free = form_free,
	.keys = form_keys_path, .text_input = 1,
};
static const tui_view_ops form_ops_resend = {
	.name = "form", .draw = form_draw, .key = form_key, .free = form_free,
	.keys = form_keys_resend, .text_input = 1,
};

tui_form *
tui_form_view(tui *t, const tui_form_spec *spec)
{
	struct form_view *fv;
	const tui_view_ops *ops = &form_ops_plain;

	if ((fv = calloc(1, sizeof *fv)) == NULL) {
		if (spec->own_arg)
			free(spec->arg);
		return NULL;
	}
	fv->spec = *spec;
	if (spec->intro != NULL)
		snprintf(fv->intro, sizeof fv->intro, "%s", spec->intro);
	if (spec->extra_key == TK_CTRL('r'))
		ops = &form_ops_resend;
	else if (spec->extra_label != NULL && strcmp(spec->extra_label, "path") == 0)
		ops = &form_ops_path;
	if (tui_push(t, ops, fv, spec->title) != 0)
		return NULL;
	return &fv->form;
}
