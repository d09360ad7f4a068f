/* The TUI's preview and album paths, timed for bench/preview.sh (built
 * there with cc against libpgal.a and libpgaltui.a). ncurses runs on a
 * pseudo-terminal whose other side a thread reads as a terminal would, so
 * every figure ends when the frame's bytes have been written to the
 * terminal (refresh() returned: the kernel took the last byte), which is
 * what a user waits for.
 *
 *   preview-bench render ALBUM PHOTO OTHER COLSxROWS RUNS TERM
 *     TERM is the terminfo ncurses uses (xterm-256color: 256 colours,
 *     xterm-direct: true colour). Prints
 *     "cold_ms first_ms lookup_ms repeat_ms repeat_bytes screen_ms":
 *     cold: the very first view in the process (libvips and chafa
 *     starting up); first: the median first view of PHOTO in a running
 *     TUI (empty cache: read the preview blob, decode, chafa, cells,
 *     terminal output), the preview filling the COLSxROWS screen; lookup:
 *     the median cache lookup of a rendered preview; repeat: the median
 *     time from a keypress (n/p in the photo view over PHOTO and OTHER,
 *     both seen before) to the frame written, the preview filling the
 *     screen as in "first", every cell changing; repeat_bytes: the median
 *     bytes of such a frame; screen: the same keypress with the real
 *     photo screen (preview beside the info pane) at COLSxROWS
 *   preview-bench album ALBUM RUNS
 *     the album screen as pgal-tui opens it (album, first page, first
 *     thumbnail, drawn by the real view at 80x24); prints the median ms
 *     of RUNS after a warm-up
 *
 * Config and session as for pgal (PGAL_HOME, the saved session). */
#include <sys/ioctl.h>

#include <curses.h>
#include <locale.h>
#include <pthread.h>
#include <pty.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "app.h"
#include "blobs/blobs.h"
#include "config.h"
#include "gallery.h"
#include "preview.h"
#include "session-file.h"
#include "timing.h"

#define RUNS_MAX 64
#define REPEATS 10

static SCREEN *scr;
static FILE *tty_out, *tty_in;
static int master = -1;
static pthread_t reader;
static atomic_ullong got; /* bytes the "terminal" has read */

/* The terminal: reads and discards what the TUI writes. */
static void *
read_tty(void *arg)
{
	char buf[65536];
	ssize_t n;

	(void)arg;
	while ((n = read(master, buf, sizeof buf)) > 0)
		atomic_fetch_add(&got, (unsigned long long)n);
	return NULL;
}

/* Waits until the terminal has read everything written so far (not timed). */
static void
settle(void)
{
	unsigned long long a;
	int pending, quiet = 0;

	while (quiet < 3) {
		a = atomic_load(&got);
		usleep(1000);
		if (ioctl(master, FIONREAD, &pending) != 0)
			pending = 0;
		quiet = atomic_load(&got) == a && pending == 0 ? quiet + 1 : 0;
	}
}

/* An ncurses screen of cols x rows on a pseudo-terminal. */
static int
screen_open(tui *t, int cols, int rows, const char *term)
{
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	struct termios tio;
	char buf[16];
	int slave;

	snprintf(buf, sizeof buf, "%d", cols);
	setenv("COLUMNS", buf, 1);
	snprintf(buf, sizeof buf, "%d", rows);
	setenv("LINES", buf, 1);
	if (openpty(&master, &slave, NULL, NULL, &ws) != 0) {
		fprintf(stderr, "preview-bench: no pseudo-terminal\n");
		return -1;
	}
	tcgetattr(slave, &tio);
	cfmakeraw(&tio);
	tcsetattr(slave, TCSANOW, &tio);
	if (pthread_create(&reader, NULL, read_tty, NULL) != 0)
		return -1;
	tty_out = fdopen(slave, "w");
	tty_in = fdopen(dup(slave), "r");
	if (tty_out == NULL || tty_in == NULL ||
	    (scr = newterm(term, tty_out, tty_in)) == NULL) {
		fprintf(stderr, "preview-bench: no terminal '%s'\n", term);
		return -1;
	}
	set_term(scr);
	t->out = tty_out;
	tui_colour_init(t);
	return 0;
}

static void
screen_close(void)
{
	endwin();
	delscreen(scr);
	fclose(tty_out);
	fclose(tty_in);
	close(master); /* the reader sees EOF or EIO */
	pthread_join(reader, NULL);
}

/* One frame: the preview of p filling the screen, or the photo view's
 * own screen (preview beside the info pane). */
static void
frame(tui *t, tui_view *v, const pgal_photo *p, int cols, int rows, int whole)
{
	erase();
	if (whole)
		tui_preview_draw(t, p, PGAL_BLOB_PREVIEW, 0, 0, rows, cols);
	else
		v->ops->draw(t, v, 1, LINES - 3);
	refresh();
}

/* keypress to frame written: n (to rows[1]) or p (to rows[0]) in the
 * photo view, which re-reads the row it moves to */
static double
press(tui *t, tui_view *v, const pgal_photo *rows2, int key, int cols, int rows,
    int whole)
{
	double t0;

	settle();
	t0 = bench_now_ms();
	tui_view_key(t, v, key);
	frame(t, v, &rows2[key == 'n'], cols, rows, whole);
	return bench_now_ms() - t0;
}

static int
bench_render(tui *t, const char *album, const char *photo, const char *other,
    const char *size, int runs, const char *term)
{
	double first[RUNS_MAX], look[RUNS_MAX], t0, cold = 0;
	double again[RUNS_MAX * REPEATS], bytes[RUNS_MAX * REPEATS], scrn[RUNS_MAX * REPEATS];
	unsigned long long b0;
	const tui_cells *c;
	pgal_photo rows2[2];
	tui_source *src;
	tui_view *v;
	pgal_err e;
	int cols, rows, i, k, n, key;

	if (sscanf(size, "%dx%d", &cols, &rows) != 2 || runs < 1 || runs > RUNS_MAX ||
	    cols < 1 || rows < 1 || cols > 1000 || rows > 1000)
		return 1;
	if (pgal_photo_get(t->g, t->token, album, photo, &rows2[0], &e) != PGAL_OK ||
	    pgal_photo_get(t->g, t->token, album, other, &rows2[1], &e) != PGAL_OK) {
		fprintf(stderr, "preview-bench: %s\n", e.msg);
		return 1;
	}
	if (screen_open(t, cols, rows, term) != 0)
		return 1;
	/* round 0 is the process' first view, the others are timed */
	for (i = 0; i <= runs; i++) {
		tui_preview_cache_free(t->cache);
		t->cache = tui_preview_cache_new();
		erase();
		refresh();
		settle();
		t0 = bench_now_ms();
		if ((c = tui_preview_render(t, &rows2[0], PGAL_BLOB_PREVIEW, cols, rows,
		    &e)) == NULL) {
			fprintf(stderr, "preview-bench: %s\n", e.msg);
			return 1;
		}
		tui_preview_draw(t, &rows2[0], PGAL_BLOB_PREVIEW, 0, 0, rows, cols);
		refresh();
		if (i == 0) {
			cold = bench_now_ms() - t0;
			continue;
		}
		first[i - 1] = bench_now_ms() - t0;
		t0 = bench_now_ms();
		for (k = 0; k < 1000; k++)
			c = tui_preview_render(t, &rows2[0], PGAL_BLOB_PREVIEW, cols, rows, &e);
		look[i - 1] = (bench_now_ms() - t0) / 1000;
		if (c == NULL)
			return 1;
	}

	/* the photo view over both photos; each seen once at both sizes */
	if ((src = tui_source_array(rows2, 2)) == NULL || tui_view_photo(t, src, 0) != 0)
		return 1;
	tui_source_unref(src);
	v = tui_top(t);
	for (k = 0; k < 4; k++)
		press(t, v, rows2, k % 2 ? 'p' : 'n', cols, rows, k < 2);
	/* every keypress is a sample (a median of means would let the odd
	 * descheduling of a busy machine in) */
	n = runs * REPEATS;
	for (i = 0; i < n; i++) {
		key = i % 2 ? 'p' : 'n';
		b0 = atomic_load(&got);
		again[i] = press(t, v, rows2, key, cols, rows, 1);
		settle();
		bytes[i] = (double)(atomic_load(&got) - b0);
	}
	for (i = 0; i < n; i++)
		scrn[i] = press(t, v, rows2, i % 2 ? 'p' : 'n', cols, rows, 0);
	tui_pop(t);
	screen_close();
	printf("%.2f %.2f %.6f %.3f %.0f %.3f\n", cold, bench_median(first, (size_t)runs),
	    bench_median(look, (size_t)runs), bench_median(again, (size_t)n),
	    bench_median(bytes, (size_t)n), bench_median(scrn, (size_t)n));
	return 0;
}

static int
bench_album(tui *t, const char *album, int runs)
{
	double v[RUNS_MAX], t0;
	tui_view *view;
	int i;

	if (runs < 1 || runs > RUNS_MAX || screen_open(t, 80, 24, "xterm-256color") != 0)
		return 1;
	/* the warm-up rounds (i < 0) are not counted, as in the scripts */
	for (i = -BENCH_WARMUP; i < runs; i++) {
		tui_preview_cache_free(t->cache);
		t->cache = tui_preview_cache_new();
		settle();
		t0 = bench_now_ms();
		if (tui_view_album(t, album) != 0 || (view = tui_top(t)) == NULL) {
			fprintf(stderr, "preview-bench: %s\n", t->msg);
			return 1;
		}
		erase();
		view->ops->draw(t, view, 1, LINES - 3);
		refresh();
		if (i >= 0)
			v[i] = bench_now_ms() - t0;
		tui_pop(t);
	}
	screen_close();
	printf("%.2f\n", bench_median(v, (size_t)runs));
	return 0;
}

int
main(int argc, char **argv)
{
	static pgal_tui_env env;
	pgal_config cfg;
	pgal_err e;
	tui t;
	int rc;

	/* as pgal-tui and pgal-sshd run: in a UTF-8 locale, where chafa's
	 * block symbols have a width (in "C" every cell would be a space) */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "preview-bench: no C.UTF-8 locale\n");
		return 1;
	}
	memset(&t, 0, sizeof t);
	if (pgal_config_load(&cfg, NULL, &e) != PGAL_OK || pgal_open(&t.g, &cfg, &e) != PGAL_OK ||
	    pgal_session_file_read(t.token, &e) != PGAL_OK) {
		fprintf(stderr, "preview-bench: %s\n", e.msg);
		return 1;
	}
	t.env = &env;
	t.graphics = TUI_GFX_SYMBOLS;
	t.cache = tui_preview_cache_new();
	if (argc == 8 && strcmp(argv[1], "render") == 0)
		rc = bench_render(&t, argv[2], argv[3], argv[4], argv[5], atoi(argv[6]), argv[7]);
	else if (argc == 4 && strcmp(argv[1], "album") == 0)
		rc = bench_album(&t, argv[2], atoi(argv[3]));
	else {
		fprintf(stderr, "usage: preview-bench render ALBUM PHOTO OTHER COLSxROWS RUNS TERM | "
		    "album ALBUM RUNS\n");
		rc = 1;
	}
	tui_preview_cache_free(t.cache);
	pgal_close(t.g);
	return rc;
}
