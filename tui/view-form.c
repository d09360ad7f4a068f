/* A screen that is a form: an explanation, fields, and an action on Enter
 * in the last field. Log in, sign up, confirm, album and photo edits,
 * password and cancel all are forms with their own submit function; a form
 * with keys of its own (the path prompt, the code's resend) brings its key
 * table, made of the actions below and its own. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "screens.h"

struct form_view {
	tui_form form;
	tui_form_spec spec;
	char intro[1024];
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

tui_form *
tui_form_of(tui_view *v)
{
	return &((struct form_view *)v->data)->form;
}

void *
tui_form_arg(tui_view *v)
{
	return ((struct form_view *)v->data)->spec.arg;
}

int
tui_form_edit_key(tui *t, tui_view *v, int key)
{
	struct form_view *fv = v->data;
	int r = tui_form_key(t, &fv->form, key);
	unsigned freed = t->views_freed;

	if (r == 2) {
		/* the submit function may pop this view (fv is gone then); a
		 * form still there after a failed try keeps no password */
		if (fv->spec.submit(t, v, &fv->form, fv->spec.arg) != 0 &&
		    t->views_freed == freed)
			tui_form_empty_secrets(&fv->form);
		return 1;
	}
	return r;
}

int
tui_form_cancel(tui *t, tui_view *v, int key)
{
	tui_pop(t);
	return 1;
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

const tui_binding tui_form_keys[] = {
	{ { TK_ENTER }, tui_form_edit_key, "Enter", "next field / submit", TUI_KEY_BAR },
	{ { '\t' }, tui_form_edit_key, "Tab", "next field", TUI_KEY_BAR },
	{ { TK_ESC }, tui_form_cancel, "Esc", "cancel", TUI_KEY_BAR },
	{ { TK_CTRL('u') }, tui_form_edit_key, "Ctrl-U", "clear to start", 0 },
	{ { TK_CTRL('w') }, tui_form_edit_key, "Ctrl-W", "delete word", 0 },
	/* typing, and the editing keys help does not list */
	{ { TUI_KEY_ANY }, tui_form_edit_key, NULL, NULL, 0 },
	TUI_KEYS_END,
};

static const tui_view_ops form_ops = {
	.draw = form_draw,
	.free = form_free,
	.text_input = 1,
};

tui_form *
tui_form_view(tui *t, const tui_form_spec *spec)
{
	struct form_view *fv;

	if ((fv = calloc(1, sizeof *fv)) == NULL) {
		if (spec->own_arg)
			free(spec->arg);
		return NULL;
	}
	fv->spec = *spec;
	if (spec->intro != NULL)
		snprintf(fv->intro, sizeof fv->intro, "%s", spec->intro);
	if (tui_push(t, &form_ops, spec->keys != NULL ? spec->keys : tui_form_keys, fv,
	    spec->title) != 0)
		return NULL;
	return &fv->form;
}
