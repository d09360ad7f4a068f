/* The TUI's preview and album paths, timed without a terminal for
 * bench/preview.sh (built there with cc against libpgal.a and
 * libpgaltui.a). Drawing goes to an ncurses screen on /dev/null, so the
 * figures include making the cells and the terminal output.
 *
 *   preview-bench render ALBUM PHOTO COLSxROWS RUNS
 *     prints "cold_ms first_ms lookup_ms repeat_ms": the very first view
 *     in the process (libvips and chafa starting up); the median first
 *     view of a photo in a running TUI (empty cache: read the preview
 *     blob, decode, chafa, cells, output); the median cache lookup of a
 *     rendered preview; the median repeat view (from the cache onto a
 *     blank screen, with the terminal output)
 *   preview-bench album ALBUM RUNS
 *     the album screen as pgal-tui opens it (album, first page, first
 *     thumbnail, drawn by the real view at 80x24); prints the median ms
 *
 * Config and session as for pgal (PGAL_HOME, the saved session). */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "blobs.h"
#include "config.h"
#include "gallery.h"
#include "preview.h"
#include "session-file.h"

#define RUNS_MAX 64

static SCREEN *scr;
static FILE *null_out, *null_in;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* An ncurses screen of cols x rows writing to /dev/null, 256 colours. */
static int
screen_open(tui *t, int cols, int rows)
{
	char buf[16];

	snprintf(buf, sizeof buf, "%d", cols);
	setenv("COLUMNS", buf, 1);
	snprintf(buf, sizeof buf, "%d", rows);
	setenv("LINES", buf, 1);
	null_out = fopen("/dev/null", "w");
	null_in = fopen("/dev/null", "r");
	if (null_out == NULL || null_in == NULL ||
	    (scr = newterm("xterm-256color", null_out, null_in)) == NULL) {
		fprintf(stderr, "preview-bench: no terminal\n");
		return -1;
	}
	set_term(scr);
	tui_colour_init(t);
	return 0;
}

static void
screen_close(void)
{
	endwin();
	delscreen(scr);
	fclose(null_out);
	fclose(null_in);
}

static int
bench_render(tui *t, const char *album, const char *photo, const char *size, int runs)
{
	double first[RUNS_MAX], again[RUNS_MAX], look[RUNS_MAX], t0, cold = 0;
	const tui_cells *c;
	pgal_photo p;
	pgal_err e;
	int cols, rows, i, k;

	if (sscanf(size, "%dx%d", &cols, &rows) != 2 || runs < 1 || runs > RUNS_MAX ||
	    cols < 1 || rows < 1 || cols > 1000 || rows > 1000)
		return 1;
	if (pgal_photo_get(t->g, t->token, album, photo, &p, &e) != PGAL_OK) {
		fprintf(stderr, "preview-bench: %s\n", e.msg);
		return 1;
	}
	if (screen_open(t, cols, rows) != 0)
		return 1;
	/* round 0 is the process' first view, the others are timed */
	for (i = 0; i <= runs; i++) {
		tui_preview_cache_free(t->cache);
		t->cache = tui_preview_cache_new();
		erase();
		refresh();
		t0 = now_ms();
		if ((c = tui_preview_render(t, &p, PGAL_BLOB_PREVIEW, cols, rows, &e)) == NULL) {
			fprintf(stderr, "preview-bench: %s\n", e.msg);
			return 1;
		}
		tui_preview_draw(t, &p, PGAL_BLOB_PREVIEW, 0, 0, rows, cols);
		refresh();
		if (i == 0) {
			cold = now_ms() - t0;
			continue;
		}
		first[i - 1] = now_ms() - t0;
		again[i - 1] = 0;
		for (k = 0; k < 10; k++) {
			erase();
			refresh();
			t0 = now_ms();
			tui_preview_draw(t, &p, PGAL_BLOB_PREVIEW, 0, 0, rows, cols);
			refresh();
			again[i - 1] += now_ms() - t0;
		}
		again[i - 1] /= 10;
		t0 = now_ms();
		for (k = 0; k < 1000; k++)
			c = tui_preview_render(t, &p, PGAL_BLOB_PREVIEW, cols, rows, &e);
		look[i - 1] = (now_ms() - t0) / 1000;
		if (c == NULL)
			return 1;
	}
	screen_close();
	printf("%.2f %.2f %.6f %.3f\n", cold, median(first, runs), median(look, runs),
	    median(again, runs));
	return 0;
}

static int
bench_album(tui *t, const char *album, int runs)
{
	double v[RUNS_MAX], t0;
	tui_view *view;
	int i;

	if (runs < 1 || runs > RUNS_MAX || screen_open(t, 80, 24) != 0)
		return 1;
	for (i = 0; i < runs; i++) {
		tui_preview_cache_free(t->cache);
		t->cache = tui_preview_cache_new();
		t0 = now_ms();
		if (tui_view_album(t, album) != 0 || (view = tui_top(t)) == NULL) {
			fprintf(stderr, "preview-bench: %s\n", t->msg);
			return 1;
		}
		erase();
		view->ops->draw(t, view, 1, LINES - 3);
		refresh();
		v[i] = now_ms() - t0;
		tui_pop(t);
	}
	screen_close();
	printf("%.2f\n", median(v, runs));
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

	memset(&t, 0, sizeof t);
	if (pgal_config_load(&cfg, NULL, &e) != PGAL_OK || pgal_open(&t.g, &cfg, &e) != PGAL_OK ||
	    pgal_session_file_read(t.token, &e) != PGAL_OK) {
		fprintf(stderr, "preview-bench: %s\n", e.msg);
		return 1;
	}
	t.env = &env;
	t.graphics = TUI_GFX_SYMBOLS;
	t.cache = tui_preview_cache_new();
	if (argc == 6 && strcmp(argv[1], "render") == 0)
		rc = bench_render(&t, argv[2], argv[3], argv[4], atoi(argv[5]));
	else if (argc == 4 && strcmp(argv[1], "album") == 0)
		rc = bench_album(&t, argv[2], atoi(argv[3]));
	else {
		fprintf(stderr, "usage: preview-bench render ALBUM PHOTO COLSxROWS RUNS | "
		    "album ALBUM RUNS\n");
		rc = 1;
	}
	tui_preview_cache_free(t.cache);
	pgal_close(t.g);
	return rc;
}
