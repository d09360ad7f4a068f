/* Inside the TUI: the application state every view shares, the view
 * interface (an ops table per screen, like tig's views) and the widgets. */
#ifndef PGAL_TUI_APP_H
#define PGAL_TUI_APP_H

#include <curses.h> /* the KEY_ codes of the shared key rows */
#include <stddef.h>
#include <stdint.h>

#include "fmt.h"
#include "gallery.h"
#include "tui.h"

/* Keys: Unicode characters as they are, curses function keys above
 * Unicode so the two never collide. */
#define TK_FN 0x200000
#define TK(k) (TK_FN | (k))
#define TK_CTRL(c) ((c) & 0x1f)
#define TK_ESC 0x1b
#define TK_ENTER '\r'

/* The smallest terminal we draw into. */
#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24

struct tui;
struct tui_view;

/* One row of a view's key table: the keys and what they do. The one table
 * drives the dispatch (the first row that binds a key runs it), the help
 * (the rows with a help text, in order) and the key bar (the rows marked
 * TUI_KEY_BAR); the keys they show are named from the row's key codes
 * (tui_binding_text), so each key is written down once. Rows several views
 * share come in by one macro (TUI_LIST_ROWS, TUI_FORM_ROWS). A row whose
 * run is NULL ends a table. */
#define TUI_KEY_ANY (-1)   /* in keys: any key no earlier row binds */
#define TUI_KEY_TEXT (-2)  /* in keys: any key that types a character */
#define TUI_KEY_BAR 0x1    /* in the key bar too */
#define TUI_KEY_ALWAYS 0x2 /* shared keys: run before the view's own keys */
#define TUI_KEYS_MAX 16
typedef struct tui_binding {
	int keys[TUI_KEYS_MAX]; /* key codes, 0 ends them */
	/* returns 1 when the key was used; 0 lets the shared keys have it */
	int (*run)(struct tui *t, struct tui_view *v, int key);
	/* the keys as help shows them when their names would say it worse;
	 * no row needs one today: NULL, named from keys */
	const char *label;
	const char *help;  /* what they do; NULL: not in help nor the bar */
	unsigned flags;
} tui_binding;
#define TUI_KEYS_END { { 0 }, NULL, NULL, NULL, 0 }

/* How the shared movement keys move a list (TUI_LIST_ROWS). */
enum tui_motion {
	TUI_DOWN, TUI_UP, TUI_PAGE_DOWN, TUI_PAGE_UP, TUI_HALF_DOWN, TUI_HALF_UP,
	TUI_FIRST, TUI_LAST
};

typedef struct tui_view_ops {
	/* paints the body (rows y0 .. y0+h-1, all columns) */
	void (*draw)(struct tui *t, struct tui_view *v, int y0, int h);
	/* the view is on top again (data may have changed below it) */
	void (*enter)(struct tui *t, struct tui_view *v);
	/* called between key reads while it returns 1 (work in steps) */
	int (*tick)(struct tui *t, struct tui_view *v);
	void (*free)(struct tui_view *v);
	/* moves the view's list (the rows of TUI_LIST_ROWS); 1 if it did */
	int (*list_move)(struct tui *t, struct tui_view *v, int motion);
	int overlay; /* drawn over the view below it (dialogs) */
} tui_view_ops;

/* A screen on the stack: what kind it is (compared by pointer), its key
 * table, its own state. */
typedef struct tui_view {
	const tui_view_ops *ops;
	const tui_binding *keys;
	void *data;
	char title[128];
} tui_view;

enum tui_colour_mode { TUI_MONO = 0, TUI_C8, TUI_C16, TUI_C256, TUI_DIRECT };
enum tui_graphics { TUI_GFX_SYMBOLS = 0, TUI_GFX_SIXEL, TUI_GFX_KITTY };

/* theme slots */
enum tui_style {
	TS_NORMAL = 0, TS_TITLE, TS_BAR, TS_BARKEY, TS_SELECT, TS_HEAD,
	TS_ERROR, TS_OK, TS_DIM, TS_FIELD, TS_FOCUS, TS_FRAME, TS_LABEL,
	TS_COUNT
};

struct tui_preview_cache;

#define TUI_STACK_MAX 16

typedef struct tui {
	pgal *g;
	const pgal_tui_env *env;
	char token[PGAL_TOKEN_HEX + 1]; /* empty: not logged in */
	char user[PGAL_USER_MAX + 1];
	tui_view *stack[TUI_STACK_MAX];
	int depth;
	char msg[512];
	int msg_error;
	int help;   /* help overlay shown */
	int quit;
	int colour; /* enum tui_colour_mode */
	int colour_cap; /* the most colours wanted (display.c) */
	const char *display_why; /* a preference that cannot be had here */
	struct tui_display *display;
	int graphics; /* enum tui_graphics */
	int gfx_dirty; /* a graphics image may be on screen: repaint all */
	int cury, curx; /* where a form wants the cursor; -1: hidden */
	unsigned ticks; /* frames drawn, for spinners */
	unsigned views_freed; /* counts pops: a view's data is still there if unchanged */
	struct tui_preview_cache *cache;
	FILE *out;
	const char *colorterm, *no_color;
} tui;

/* app.c: the view stack and messages */
/* copies src into dst (size sz), always terminated, cut at a character boundary */
void tui_copy(char *dst, size_t sz, const char *src);
int tui_push(tui *t, const tui_view_ops *ops, const tui_binding *keys, void *data,
    const char *title);
void tui_pop(tui *t);
typedef void (*tui_confirm_cb)(struct tui *t, void *arg);
/* pops the top view, runs cb, then refreshes the view below */
void tui_pop_run(tui *t, tui_confirm_cb cb, void *arg);
/* pops views until one of kind ops is on top (or the stack is empty) */
void tui_pop_to(tui *t, const tui_view_ops *ops);
tui_view *tui_top(tui *t);
void tui_msg(tui *t, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* says "what…" on the status line at once, before slow work */
void tui_busy(tui *t, const char *what);
/* after login: remembers the token, saves it if asked, opens the albums */
void tui_logged_in(tui *t, const char *token);
/* forgets the session (and the session file) and returns to welcome */
void tui_logged_out(tui *t, const char *why);
/* a service call failed with e: if the session is gone, back to welcome */
void tui_fail(tui *t, const char *what, const pgal_err *e);

/* draw.c: text into cells; every string is sanitized and clipped by width */
int tui_text(int y, int x, int maxw, const char *s, int style);
/* the same, right-aligned within maxw */
int tui_text_right(int y, int x, int maxw, const char *s, int style);
void tui_fill(int y, int x, int w, int style);
void tui_frame(int y, int x, int h, int w, const char *title);
/* wraps s into lines of width w from row y; at most maxlines; returns lines used */
int tui_wrap(int y, int x, int w, int maxlines, const char *s, int style);

/* display.c: the terminal, its colours and graphics from the user's
 * preferences, the environment and what the terminal answers */
int tui_display_open(tui *t, const char *term, FILE *out, FILE *in);
/* after a login, logout or change of preferences: takes them up */
void tui_display_apply(tui *t);
/* 1 when key, an ESC, began an answer to the terminal query that came
 * after the wait (then read whole and dropped: its bytes are no keys) */
int tui_display_late_answer(tui *t, int key);
/* the terminfo entry the screen runs on */
const char *tui_display_terminfo(tui *t);
void tui_display_close(tui *t);

/* colour.c */
void tui_colour_init(tui *t);
int tui_style(int style); /* attr_t for a theme slot (incl. colour pair) */
/* an extended pair for (fg, bg) as chafa gives them in the current mode;
 * allocated on demand, recycled when the terminal runs out */
int tui_cell_pair(tui *t, int32_t fg, int32_t bg);
/* changes whenever pair numbers given out before lose their meaning */
unsigned tui_pair_epoch(void);
const char *tui_colour_name(int mode);

/* list.c: selection within n rows shown `page` at a time */
typedef struct tui_list {
	size_t n, sel, top;
} tui_list;
/* moves the selection by motion (enum tui_motion) */
void tui_list_move(tui_list *l, int motion, int page);
/* the movement keys of every list: their rows run the view's ops->list_move */
int tui_list_down(tui *t, tui_view *v, int key);
int tui_list_up(tui *t, tui_view *v, int key);
int tui_list_page_down(tui *t, tui_view *v, int key);
int tui_list_page_up(tui *t, tui_view *v, int key);
int tui_list_half_down(tui *t, tui_view *v, int key);
int tui_list_half_up(tui *t, tui_view *v, int key);
int tui_list_first(tui *t, tui_view *v, int key);
int tui_list_last(tui *t, tui_view *v, int key);
#define TUI_LIST_ROWS \
	{ { TK(KEY_DOWN), 'j' }, tui_list_down, NULL, "down", 0 }, \
	{ { TK(KEY_UP), 'k' }, tui_list_up, NULL, "up", 0 }, \
	{ { TK(KEY_NPAGE), TK_CTRL('f') }, tui_list_page_down, NULL, "a page down", 0 }, \
	{ { TK(KEY_PPAGE), TK_CTRL('b') }, tui_list_page_up, NULL, "a page up", 0 }, \
	{ { TK_CTRL('d') }, tui_list_half_down, NULL, "half a page down", 0 }, \
	{ { TK_CTRL('u') }, tui_list_half_up, NULL, "half a page up", 0 }, \
	{ { TK(KEY_HOME), 'g' }, tui_list_first, NULL, "to the first", 0 }, \
	{ { TK(KEY_END), 'G' }, tui_list_last, NULL, "to the last", 0 }
/* keeps sel visible in a window of `page` rows */
void tui_list_fit(tui_list *l, int page);

/* form.c: text fields */
#define TUI_FIELD_MAX 1024
typedef struct tui_field {
	char label[48];
	char buf[TUI_FIELD_MAX];
	size_t len, cur;  /* bytes; cur on a character boundary */
	size_t max;       /* byte bound of the value */
	int secret;       /* a password: shown masked, emptied on any error */
	int complete;     /* what Tab completes: enum tui_complete */
} tui_field;
enum tui_complete { TUI_COMPLETE_NONE = 0, TUI_COMPLETE_PATH, TUI_COMPLETE_ALBUM };
#define TUI_FORM_FIELDS 6
typedef struct tui_form {
	tui_field f[TUI_FORM_FIELDS];
	int n, focus;
} tui_form;
tui_field *tui_form_add(tui_form *f, const char *label, size_t max, int secret);
void tui_field_set(tui_field *fl, const char *value);
/* editing the focused field: what one key of TUI_FORM_ROWS does */
enum tui_edit {
	TUI_EDIT_LEFT, TUI_EDIT_RIGHT, TUI_EDIT_START, TUI_EDIT_END, TUI_EDIT_BACKSPACE,
	TUI_EDIT_DELETE, TUI_EDIT_KILL_START, TUI_EDIT_KILL_END, TUI_EDIT_KILL_WORD
};
void tui_form_edit(tui_form *f, int what);
/* types the character ch into the focused field */
void tui_form_type(tui_form *f, int ch);
/* the focus to the next (step 1) or previous (-1) field, round */
void tui_form_step(tui_form *f, int step);
/* Tab: completes the focused field when it is one that completes (the
 * candidates go to the message line); 0 if it is not */
int tui_form_complete(tui *t, tui_form *f);
/* empties every password field (after a failed submit: hidden text must
 * never linger for the next try to append to) */
void tui_form_empty_secrets(tui_form *f);
/* after a failed submit: the cursor to `field`, the first at fault, or to
 * an earlier password field, which was emptied and is needed again */
void tui_form_fault(tui_form *f, int field);
/* a new password typed twice in fields first and first + 1: 0 if the
 * core's rules take it and the two agree, else -1, said and faulted */
int tui_form_new_password(tui *t, tui_form *f, int first);
/* draws the fields from row y; returns rows used */
int tui_form_draw(tui *t, tui_form *f, int y, int x, int w);

/* complete.c: completes a local path, or one of the user's album names,
 * in place; candidates go to msg; returns how many there were */
int tui_complete_path(char *buf, size_t bufsz, size_t *len, char *msg, size_t msgsz);
int tui_complete_album(tui *t, char *buf, size_t bufsz, size_t *len, char *msg, size_t msgsz);

/* progress.c */
void tui_progress_bar(int y, int x, int w, int64_t done, int64_t total);
const char *tui_spinner(unsigned tick);

/* keys.c: the keys every view shares, running a key through a table, and
 * the names help and the key bar show for a row's keys */
extern const tui_binding tui_shared_keys[];
/* the row of keys that binds key, or NULL */
const tui_binding *tui_binding_find(const tui_binding *keys, int key);
/* the name of one key as help shows it ("↓", "PgDn", "Enter", "Ctrl-U",
 * "g") into buf; returns buf */
const char *tui_key_name(int key, char *buf, size_t sz);
/* room for a row's key text (help, the key bar, pgal-tui(1)) */
#define TUI_KEYS_TEXT 96
/* the keys of row b as help and the key bar show them: b->label when set,
 * else the names of its keys (the first `most` of them; 0: all) joined by
 * spaces. With view (the table of the view on screen, b one of its rows
 * or of tui_shared_keys) only the keys the dispatch gives to b there: a
 * key an earlier row or the view's own table takes is left out, so the
 * text may be empty; a name that does not fit in sz is left out whole.
 * Returns buf. */
const char *tui_binding_text(const tui_binding *b, const tui_binding *view, int most,
    char *buf, size_t sz);
/* runs key through v's table; 1 if a row used it */
int tui_view_key(tui *t, tui_view *v, int key);
/* 1 for a key that types a character (not a control or function key) */
int tui_key_is_text(int key);
/* shared actions, also for views that show them in their own bar */
int tui_key_back(tui *t, tui_view *v, int key);
int tui_key_quit(tui *t, tui_view *v, int key);
int tui_key_logout(tui *t, tui_view *v, int key);

/* help.c: the overlay listing every key of the top view */
void tui_help_draw(tui *t);
/* keybar.c: the last line */
void tui_keybar_draw(tui *t, int y);

/* views: each returns 0 once pushed */
typedef int (*tui_form_submit)(tui *t, tui_view *v, tui_form *f, void *arg);
typedef struct tui_form_spec {
	const char *title;
	const char *intro;   /* text above the fields; may be NULL */
	/* 0: done (it pops or replaces); else a failed try: the form, if
	 * still open, has its password fields emptied, and the submit puts
	 * the cursor with tui_form_fault (before anything that may pop) */
	tui_form_submit submit;
	void *arg;           /* freed with free() when the view goes (if owned) */
	int own_arg;
	/* the form's key table, for a form with keys of its own: its rows,
	 * TUI_FORM_ENTER and TUI_FORM_ROWS; NULL: a plain form's (Enter,
	 * Tab and TUI_FORM_ROWS) */
	const tui_binding *keys;
} tui_form_spec;
/* pushes a form view; fields are added to the returned form by the caller */
tui_form *tui_form_view(tui *t, const tui_form_spec *spec);
/* the key actions of a form view: Enter goes to the next field, in the
 * last one it submits; Tab completes or goes to the next field; Esc
 * closes the form; the others edit the focused field */
int tui_form_enter(tui *t, tui_view *v, int key);
int tui_form_tab(tui *t, tui_view *v, int key);
int tui_form_cancel(tui *t, tui_view *v, int key);
int tui_form_next(tui *t, tui_view *v, int key);
int tui_form_previous(tui *t, tui_view *v, int key);
int tui_form_left(tui *t, tui_view *v, int key);
int tui_form_right(tui *t, tui_view *v, int key);
int tui_form_start(tui *t, tui_view *v, int key);
int tui_form_end(tui *t, tui_view *v, int key);
int tui_form_backspace(tui *t, tui_view *v, int key);
int tui_form_delete(tui *t, tui_view *v, int key);
int tui_form_kill_start(tui *t, tui_view *v, int key);
int tui_form_kill_end(tui *t, tui_view *v, int key);
int tui_form_kill_word(tui *t, tui_view *v, int key);
int tui_form_typed(tui *t, tui_view *v, int key);
/* a form's Enter row, with what Enter does in the last field */
#define TUI_FORM_ENTER(what) { { TK_ENTER }, tui_form_enter, NULL, what, TUI_KEY_BAR }
/* the keys every form has, after its own rows (a row of its own for Tab
 * comes first and takes Tab) */
#define TUI_FORM_ROWS \
	{ { '\t' }, tui_form_tab, NULL, "next field", 0 }, \
	{ { TK_ESC }, tui_form_cancel, NULL, "cancel", TUI_KEY_BAR }, \
	{ { TK(KEY_DOWN) }, tui_form_next, NULL, "next field", 0 }, \
	{ { TK(KEY_UP), TK(KEY_BTAB) }, tui_form_previous, NULL, "previous field", 0 }, \
	{ { TK(KEY_LEFT) }, tui_form_left, NULL, "cursor left", 0 }, \
	{ { TK(KEY_RIGHT) }, tui_form_right, NULL, "cursor right", 0 }, \
	{ { TK(KEY_HOME), TK_CTRL('a') }, tui_form_start, NULL, "to the start", 0 }, \
	{ { TK(KEY_END), TK_CTRL('e') }, tui_form_end, NULL, "to the end", 0 }, \
	{ { TK(KEY_BACKSPACE) }, tui_form_backspace, NULL, "delete before", 0 }, \
	{ { TK(KEY_DC), TK_CTRL('d') }, tui_form_delete, NULL, "delete under", 0 }, \
	{ { TK_CTRL('u') }, tui_form_kill_start, NULL, "clear to start", 0 }, \
	{ { TK_CTRL('k') }, tui_form_kill_end, NULL, "clear to end", 0 }, \
	{ { TK_CTRL('w') }, tui_form_kill_word, NULL, "delete word", 0 }, \
	{ { TUI_KEY_TEXT }, tui_form_typed, NULL, NULL, 0 }
/* the form of a form view, and its spec's arg (for a key action of its own) */
tui_form *tui_form_of(tui_view *v);
void *tui_form_arg(tui_view *v);

/* a yes/no dialog; cb runs on yes; arg is freed with free() afterwards */
int tui_confirm(tui *t, const char *question, tui_confirm_cb cb, void *arg);
/* a yes/no question where both answers act: yes or no runs with arg,
 * which stays the caller's (e.g. the data of the view below) */
int tui_ask(tui *t, const char *question, tui_confirm_cb yes, tui_confirm_cb no, void *arg);

int tui_view_welcome(tui *t);
extern const tui_view_ops tui_welcome_ops; /* the first screen, for tui_pop_to */
int tui_view_login(tui *t, const char *user);
int tui_view_signup(tui *t);
/* the code form (view-code.c): the sign-up's code, mailed before */
int tui_view_confirm(tui *t, const char *user);
/* says a code was mailed to `to`, and in the local TUI where mail is kept
 * when it stays on this machine (an outbox folder) */
void tui_msg_mailed(tui *t, const char *to);
/* the code form for a forgotten password; with a user name a code is
 * mailed at once */
int tui_view_reset(tui *t, const char *user);
int tui_view_albums(tui *t);
int tui_view_album(tui *t, const char *album);
int tui_view_add(tui *t, const char *album);
int tui_view_account(tui *t);
int tui_view_keys(tui *t);
/* search: album NULL searches every album */
int tui_view_search_prompt(tui *t, const char *album);

/* a list of photos the photo view walks through (album pages or results) */
typedef struct tui_source tui_source;
typedef struct tui_source_ops {
	size_t (*count)(tui_source *s);
	/* the row at i (valid until the next call), or NULL with e set */
	const pgal_photo *(*get)(tui_source *s, size_t i, pgal_err *e);
	/* rows changed (a delete or edit): forget what was read */
	void (*reload)(tui_source *s);
	void (*free)(tui_source *s);
} tui_source_ops;
struct tui_source {
	const tui_source_ops *ops;
	int refs;
	/* the row the photo view showed last, for the list to come back to */
	size_t shown;
	int has_shown;
};
void tui_source_ref(tui_source *s);
void tui_source_unref(tui_source *s);
/* the photo at index i of src */
int tui_view_photo(tui *t, tui_source *src, size_t i);
/* the edit form, the move/rename form and the delete question for a
 * photo (album and photo views) */
int tui_photo_edit(tui *t, const pgal_photo *p);
int tui_photo_move(tui *t, const pgal_photo *p);
int tui_photo_delete_ask(tui *t, const pgal_photo *p);
/* "#tag words" as typed in the search prompt, run; results view pushed */
int tui_view_search(tui *t, const char *album, const char *query);
/* a source over a fixed array (copied) */
tui_source *tui_source_array(const pgal_photo *rows, size_t n);

#endif
