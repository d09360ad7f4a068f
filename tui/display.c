/* What photos are shown with: the terminfo ncurses runs on, the colour
 * mode and the graphics. The user's preferences (core/prefs.h) come
 * first, then what the environment says (COLORTERM, PGAL_TUI_GRAPHICS,
 * TERM), then what the terminal answers (term-query.c), then what the
 * terminfo gives; NO_COLOR still means no colour. True colour through
 * ncurses needs a terminfo whose colours are RGB values (*-direct), and
 * 256 colours one that is not, so a preference may take another terminfo
 * than TERM's: the screen is opened again on it (after a login, or when
 * the preference changes). */
#include <sys/stat.h>

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "prefs.h"
#include "preview.h"
#include "term-query.h"

struct tui_display {
	SCREEN *scr;
	FILE *in, *out;
	char term[128];     /* TERM as given */
	char terminfo[160]; /* the entry the screen runs on */
	tui_term_answer answer;
	/* the terminal did not answer in time: an answer may still come
	 * (a slow link) until late_until */
	int late;
	time_t late_until;
};

/* how long after an unanswered query its answer is still looked for */
#define LATE_SECS 10
/* the longest answer dropped; its keys come in one burst */
#define LATE_MAX 96
#define LATE_GAP_MS 30

/* 1 if a compiled terminfo entry `name` is where ncurses looks for it.
 * Asking newterm instead would do, but a failed newterm leaks its
 * half-made screen. */
static int
terminfo_exists(const char *name)
{
	const char *fixed[] = { "/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo",
		"/usr/lib/terminfo", NULL };
	char dirs[4096], path[4200], *d, *save = NULL;
	const char *env, *home;
	struct stat sb;
	size_t i;

	if (strchr(name, '/') != NULL || name[0] == '\0' || name[0] == '.')
		return 0;
	dirs[0] = '\0';
	if ((env = getenv("TERMINFO")) != NULL && strlen(env) < 1000)
		snprintf(dirs, sizeof dirs, "%s:", env);
	if ((home = getenv("HOME")) != NULL && strlen(home) < 1000)
		snprintf(dirs + strlen(dirs), sizeof dirs - strlen(dirs), "%s/.terminfo:", home);
	if ((env = getenv("TERMINFO_DIRS")) != NULL && strlen(env) < 2000)
		snprintf(dirs + strlen(dirs), sizeof dirs - strlen(dirs), "%s:", env);
	for (i = 0; fixed[i] != NULL; i++)
		snprintf(dirs + strlen(dirs), sizeof dirs - strlen(dirs), "%s:", fixed[i]);
	for (d = strtok_r(dirs, ":", &save); d != NULL; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof path, "%s/%c/%s", d, name[0], name);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			return 1;
		snprintf(path, sizeof path, "%s/%02x/%s", d, (unsigned char)name[0], name);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			return 1;
	}
	return 0;
}

/* "<TERM up to its first dash>-suffix" into out; 0 if it cannot be */
static int
sibling(char *out, size_t size, const char *term, const char *suffix)
{
	const char *dash = strchr(term, '-');
	size_t n = dash != NULL ? (size_t)(dash - term) : strlen(term);

	if (n == 0 || n >= 64)
		return 0;
	snprintf(out, size, "%.*s-%s", (int)n, term, suffix);
	return terminfo_exists(out);
}

static const char *
env_or(const char *given, const char *name)
{
	return given != NULL ? given : getenv(name);
}

static int
set(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* What to show photos with. */
struct choice {
	char terminfo[160];
	int cap;      /* the most colours wanted (enum tui_colour_mode) */
	int graphics; /* enum tui_graphics */
	const char *why; /* a preference that cannot be had here, or NULL */
};

static void
choose(tui *t, struct tui_display *d, const char *colors, const char *gfx, struct choice *c)
{
	const char *colorterm = t->colorterm, *setting;
	int direct = strstr(d->term, "-direct") != NULL;

	memset(c, 0, sizeof *c);
	snprintf(c->terminfo, sizeof c->terminfo, "%s", d->term);
	c->cap = TUI_DIRECT;
	if (colors == NULL || strcmp(colors, "auto") == 0) {
		/* auto: COLORTERM, then the terminal's answer, then TERM */
		if ((set(colorterm) && (strcmp(colorterm, "truecolor") == 0 ||
		    strcmp(colorterm, "24bit") == 0)) || d->answer.truecolor)
			colors = "truecolor";
	}
	if (colors != NULL && strcmp(colors, "truecolor") == 0) {
		if (!direct && !sibling(c->terminfo, sizeof c->terminfo, d->term, "direct")) {
			snprintf(c->terminfo, sizeof c->terminfo, "%s", d->term);
			c->why = "true colour needs a *-direct terminfo for TERM";
		}
	} else if (colors != NULL && (strcmp(colors, "256") == 0 || strcmp(colors, "16") == 0)) {
		c->cap = colors[0] == '2' ? TUI_C256 : TUI_C16;
		/* a direct terminfo takes colours as RGB, not palette numbers */
		if ((direct || (c->cap == TUI_C256 && strstr(d->term, "256col") == NULL)) &&
		    !sibling(c->terminfo, sizeof c->terminfo, d->term, "256color"))
			snprintf(c->terminfo, sizeof c->terminfo, "%s", d->term);
	}
	setting = set(gfx) && strcmp(gfx, "auto") != 0 ? gfx :
	    env_or(t->env->graphics, "PGAL_TUI_GRAPHICS");
	c->graphics = tui_graphics_detect(setting, d->term);
	if (c->graphics == TUI_GFX_SYMBOLS && (!set(setting) || strcmp(setting, "auto") == 0) &&
	    d->answer.sixel)
		c->graphics = TUI_GFX_SIXEL;
}

static SCREEN *
open_screen(struct tui_display *d, const char *terminfo)
{
	SCREEN *scr = newterm(terminfo, d->out, d->in);

	if (scr == NULL)
		return NULL;
	set_term(scr);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(40);
	return scr;
}

/* The user's preferences, or none (not logged in: every one auto). */
static void
read_prefs(tui *t, const char *token, pgal_pref *p, size_t *n)
{
	pgal_err e;

	*n = 0;
	if (set(token) && pgal_prefs_get(t->g, token, p, n, &e) != PGAL_OK)
		*n = 0;
}

static void
apply_choice(tui *t, const struct choice *c)
{
	t->colour_cap = c->cap;
	tui_colour_init(t);
	t->graphics = c->graphics;
	t->display_why = c->why;
}

int
tui_display_open(tui *t, const char *term, FILE *out, FILE *in)
{
	struct tui_display *d = calloc(1, sizeof *d);
	struct choice c;
	pgal_pref p[PGAL_PREFS_MAX];
	size_t n;

	if (d == NULL)
		return -1;
	d->in = in;
	d->out = out;
	snprintf(d->term, sizeof d->term, "%s", term);
	t->display = d;
	/* asked once, before ncurses reads the terminal; not for no colour */
	if (!set(t->no_color)) {
		fflush(out);
		if (tui_term_query(fileno(in), fileno(out), TUI_TERM_QUERY_MS, &d->answer) == 0 &&
		    !d->answer.answered) {
			d->late = 1;
			d->late_until = time(NULL) + LATE_SECS;
		}
	}
	read_prefs(t, t->env->token, p, &n);
	choose(t, d, pgal_pref_value(p, n, "colors"), pgal_pref_value(p, n, "graphics"), &c);
	if ((d->scr = open_screen(d, c.terminfo)) == NULL) {
		/* the preference's entry would not do: TERM's as it is */
		snprintf(c.terminfo, sizeof c.terminfo, "%s", d->term);
		if ((d->scr = open_screen(d, d->term)) == NULL) {
			fprintf(stderr, "pgal-tui: cannot use the terminal '%s'\n", term);
			return -1;
		}
	}
	snprintf(d->terminfo, sizeof d->terminfo, "%s", c.terminfo);
	apply_choice(t, &c);
	/* keys typed during the query, first key read first */
	for (n = d->answer.ntyped; n > 0; n--)
		ungetch((unsigned char)d->answer.typed[n - 1]);
	return 0;
}

void
tui_display_apply(tui *t)
{
	struct tui_display *d = t->display;
	struct choice c;
	pgal_pref p[PGAL_PREFS_MAX];
	size_t n;

	if (d == NULL || d->scr == NULL)
		return;
	read_prefs(t, t->token, p, &n);
	choose(t, d, pgal_pref_value(p, n, "colors"), pgal_pref_value(p, n, "graphics"), &c);
	if (strcmp(c.terminfo, d->terminfo) != 0) {
		/* one screen at a time: ncurses keeps colour state per
		 * process, and a second screen's would be freed with the
		 * first */
		endwin();
		delscreen(d->scr);
		if ((d->scr = open_screen(d, c.terminfo)) != NULL)
			snprintf(d->terminfo, sizeof d->terminfo, "%s", c.terminfo);
		else if ((d->scr = open_screen(d, d->terminfo)) != NULL)
			c.why = "the terminal could not be opened again";
		else {
			t->quit = 1; /* nothing left to draw on */
			return;
		}
	}
	apply_choice(t, &c);
	clearok(curscr, TRUE);
}

/* 1 while seq (n keys after an ESC) can still grow into an answer to the
 * query, 2 when it is one whole, 0 when it is not one */
static int
answer_shape(const wint_t *seq, size_t n)
{
	size_t i;

	if (n == 0)
		return 1;
	if (seq[0] == 'P') { /* DCS ... ESC \ */
		for (i = 1; i < n; i++)
			if (seq[i] == 0x1b)
				return i + 1 == n ? 1 : seq[i + 1] == '\\' && i + 2 == n ? 2 : 0;
		return 1;
	}
	if (seq[0] != '[' || (n > 1 && seq[1] != '?'))
		return 0;
	for (i = 2; i < n; i++) { /* CSI ? digits ; ... c */
		if (seq[i] == 'c')
			return i + 1 == n ? 2 : 0;
		if (seq[i] != ';' && (seq[i] < '0' || seq[i] > '9'))
			return 0;
	}
	return 1;
}

int
tui_display_late_answer(tui *t, int key)
{
	struct tui_display *d = t->display;
	wint_t seq[LATE_MAX];
	size_t n = 0;
	int shape = 1, r;

	if (d == NULL || !d->late || key != TK_ESC)
		return 0;
	if (time(NULL) > d->late_until) {
		d->late = 0;
		return 0;
	}
	timeout(LATE_GAP_MS);
	while (shape == 1 && n < LATE_MAX) {
		if ((r = wget_wch(stdscr, &seq[n])) == ERR)
			break;
		if (r == KEY_CODE_YES) { /* a function key: no answer */
			ungetch((int)seq[n]); /* read after the keys before it */
			shape = 0;
			break;
		}
		shape = answer_shape(seq, ++n);
	}
	if (shape == 2) {
		if (seq[0] == '[')
			d->late = 0; /* DA1 is the last answer */
		return 1;
	}
	/* not an answer: the keys go back for the caller to read */
	while (n > 0)
		unget_wch(seq[--n]);
	return 0;
}

const char *
tui_display_terminfo(tui *t)
{
	return t->display != NULL ? t->display->terminfo : "";
}

void
tui_display_close(tui *t)
{
	struct tui_display *d = t->display;

	if (d == NULL)
		return;
	if (d->scr != NULL) {
		endwin();
		delscreen(d->scr);
	}
	free(d);
	t->display = NULL;
}
