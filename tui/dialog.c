/* A yes/no question over the current screen: for anything that deletes
 * (tui_confirm), and for a choice whose "no" matters too (tui_ask). */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "screens.h"
#include "sanitize.h"

struct dialog {
	char question[512];
	tui_confirm_cb cb;
	tui_confirm_cb no; /* NULL: "no" changes nothing */
	void *arg;
	int own_arg; /* arg is freed with the dialog */
};

static void
dialog_draw(tui *t, tui_view *v, int y0, int h)
{
	struct dialog *d = v->data;
	int w = COLS - 10 < 70 ? COLS - 10 : 70;
	int dh = 8, y = y0 + (h - dh) / 2, x = (COLS - w) / 2;

	tui_frame(y, x, dh, w, "confirm");
	tui_wrap(y + 2, x + 3, w - 6, 3, d->question, TS_NORMAL);
	tui_text(y + dh - 2, x + 3, w - 6, "y: yes    n: no", TS_DIM);
}

/* runs cb once the dialog is gone (it may push or pop screens itself) */
static void
answer(tui *t, struct dialog *d, tui_confirm_cb cb)
{
	void *arg = d->arg;
	int own = d->own_arg;

	d->arg = NULL;
	tui_pop_run(t, cb, arg);
	if (own)
		free(arg);
}

static int
dialog_yes(tui *t, tui_view *v, int key)
{
	struct dialog *d = v->data;

	answer(t, d, d->cb);
	return 1;
}

static int
dialog_no(tui *t, tui_view *v, int key)
{
	struct dialog *d = v->data;

	if (d->no != NULL) {
		answer(t, d, d->no);
		return 1;
	}
	tui_pop(t);
	tui_msg(t, 0, "nothing deleted");
	return 1;
}

/* nothing else reaches the screen below */
static int
dialog_other(tui *t, tui_view *v, int key)
{
	return 1;
}

const tui_binding tui_dialog_keys[] = {
	{ { 'y', 'Y' }, dialog_yes, NULL, "yes, do it", TUI_KEY_BAR },
	{ { 'n', 'N', 'q', TK_ESC }, dialog_no, NULL, "no, keep it", TUI_KEY_BAR },
	{ { TUI_KEY_ANY }, dialog_other, NULL, NULL, 0 },
	TUI_KEYS_END,
};

const tui_binding tui_ask_keys[] = {
	{ { 'y', 'Y' }, dialog_yes, NULL, "yes", TUI_KEY_BAR },
	{ { 'n', 'N', 'q', TK_ESC }, dialog_no, NULL, "no", TUI_KEY_BAR },
	{ { TUI_KEY_ANY }, dialog_other, NULL, NULL, 0 },
	TUI_KEYS_END,
};

static void
dialog_free(tui_view *v)
{
	struct dialog *d = v->data;

	if (d->own_arg)
		free(d->arg);
	free(d);
}

static const tui_view_ops dialog_ops = {
	.draw = dialog_draw,
	.free = dialog_free,
	.overlay = 1,
};

static int
push(tui *t, const char *question, tui_confirm_cb yes, tui_confirm_cb no, void *arg,
    int own_arg)
{
	struct dialog *d;

	if ((d = calloc(1, sizeof *d)) == NULL) {
		if (own_arg)
			free(arg);
		return -1;
	}
	pgal_sanitize(d->question, sizeof d->question, question, 0);
	d->cb = yes;
	d->no = no;
	d->arg = arg;
	d->own_arg = own_arg;
	return tui_push(t, &dialog_ops, no != NULL ? tui_ask_keys : tui_dialog_keys, d, "confirm");
}

int
tui_confirm(tui *t, const char *question, tui_confirm_cb cb, void *arg)
{
	return push(t, question, cb, NULL, arg, 1);
}

int
tui_ask(tui *t, const char *question, tui_confirm_cb yes, tui_confirm_cb no, void *arg)
{
	return push(t, question, yes, no, arg, 0);
}
