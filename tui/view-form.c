/* A screen that is a form: an explanation, fields, and an action on Enter
 * in the last field. Log in, sign up, confirm, album and photo edits,
 * password and cancel all are forms with their own submit function; a form
 * with keys of its own (the path prompt, the code's resend) brings its key
 * table: its rows, then the rows every form has (TUI_FORM_ROWS, whose
 * actions are below). */
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

/* Enter: the next field; in the last one the form is submitted */
int
tui_form_enter(tui *t, tui_view *v, int key)
{
	struct form_view *fv = v->data;
	unsigned freed = t->views_freed;

	if (fv->form.n == 0)
		return 0;
	if (fv->form.focus + 1 < fv->form.n) {
		fv->form.focus++;
		return 1;
	}
	/* the submit function may pop this view (fv is gone then); a form
	 * still there after a failed try keeps no password */
	if (fv->spec.submit(t, v, &fv->form, fv->spec.arg) != 0 && t->views_freed == freed)
		tui_form_empty_secrets(&fv->form);
	return 1;
}

/* Tab completes a field that completes, else goes to the next field */
int
tui_form_tab(tui *t, tui_view *v, int key)
{
	tui_form *f = tui_form_of(v);

	if (!tui_form_complete(t, f))
		tui_form_step(f, 1);
	return f->n > 0;
}

int
tui_form_next(tui *t, tui_view *v, int key)
{
	tui_form_step(tui_form_of(v), 1);
	return tui_form_of(v)->n > 0;
}

int
tui_form_previous(tui *t, tui_view *v, int key)
{
	tui_form_step(tui_form_of(v), -1);
	return tui_form_of(v)->n > 0;
}

int
tui_form_typed(tui *t, tui_view *v, int key)
{
	tui_form_type(tui_form_of(v), key);
	return tui_form_of(v)->n > 0;
}

/* the editing keys: each row's action on the focused field */
#define EDIT_KEY(name, what) \
	int name(tui *t, tui_view *v, int key) \
	{ \
		tui_form_edit(tui_form_of(v), what); \
		return tui_form_of(v)->n > 0; \
	}
EDIT_KEY(tui_form_left, TUI_EDIT_LEFT)
EDIT_KEY(tui_form_right, TUI_EDIT_RIGHT)
EDIT_KEY(tui_form_start, TUI_EDIT_START)
EDIT_KEY(tui_form_end, TUI_EDIT_END)
EDIT_KEY(tui_form_backspace, TUI_EDIT_BACKSPACE)
EDIT_KEY(tui_form_delete, TUI_EDIT_DELETE)
EDIT_KEY(tui_form_kill_start, TUI_EDIT_KILL_START)
EDIT_KEY(tui_form_kill_end, TUI_EDIT_KILL_END)
EDIT_KEY(tui_form_kill_word, TUI_EDIT_KILL_WORD)

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
	TUI_FORM_ENTER("next field / submit"),
	{ { '\t' }, tui_form_tab, NULL, "next field", TUI_KEY_BAR },
	TUI_FORM_ROWS,
	TUI_KEYS_END,
};

static const tui_view_ops form_ops = {
	.draw = form_draw,
	.free = form_free,
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
