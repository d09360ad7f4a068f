/* Previews: rendition JPEG -> pixels (core's decoder, shrink-on-load) ->
 * chafa canvas -> cells. Symbol mode copies each cell's character and
 * colours (chafa_canvas_get_char_at / get_colors_at) into ncurses cells
 * (preview-blit.c), so ncurses keeps knowing what is on the screen; sixel
 * and kitty output are escape strings written after the frame, over a
 * blank area. */
#include <sys/ioctl.h>

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <chafa.h>

#include "image/decode.h"
#include "preview-blit.h"
#include "preview.h"

#define CACHE_N 64
/* Pixels per cell handed to chafa (a cell is about twice as tall as
 * wide). chafa samples 8x8 per cell; in true colour half that
 * horizontally loses little in symbols and lets the JPEG decode at a
 * smaller DCT scale, but with a palette the dithering needs every pixel
 * to spread its error over (tests/tui/test-preview-colour.sh). */
#define PX_W 4
#define PX_W_PALETTE 8
#define PX_H 8
/* chafa's effort in choosing symbols (0..1; the CLI's default is 0.5) */
#define WORK_FACTOR 0.3f
/* A cell in pixels when the terminal does not say (sixel is drawn pixel
 * for pixel, so the image covers the area only with the true size) */
#define CELL_PX_W 10
#define CELL_PX_H 20

struct entry {
	pgal_id id;
	int kind, cols, rows, mode, gfx;
	int pxw, pxh; /* a cell in pixels (graphics) */
	unsigned long used; /* 0: empty */
	tui_cells cells;
};

struct tui_preview_cache {
	struct entry e[CACHE_N];
	unsigned long clock;
	ChafaSymbolMap *symbols;
	ChafaTermInfo *term_info;
	int term_info_gfx;
	/* a graphics image to send after this frame */
	const tui_cells *pending;
	int pend_y, pend_x;
	int shown; /* an image was sent in the last frame */
};

struct tui_preview_cache *
tui_preview_cache_new(void)
{
	return calloc(1, sizeof(struct tui_preview_cache));
}

static void
cells_free(tui_cells *c)
{
	tui_blit_free(c);
	free(c->ch);
	free(c->fg);
	free(c->bg);
	free(c->gfx);
	memset(c, 0, sizeof *c);
}

void
tui_preview_cache_free(struct tui_preview_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < CACHE_N; i++)
		cells_free(&c->e[i].cells);
	if (c->symbols != NULL)
		chafa_symbol_map_unref(c->symbols);
	if (c->term_info != NULL)
		chafa_term_info_unref(c->term_info);
	free(c);
}

int
tui_graphics_detect(const char *setting, const char *term)
{
	if (setting != NULL && strcmp(setting, "symbols") == 0)
		return TUI_GFX_SYMBOLS;
	if (setting != NULL && strcmp(setting, "sixel") == 0)
		return TUI_GFX_SIXEL;
	if (setting != NULL && strcmp(setting, "kitty") == 0)
		return TUI_GFX_KITTY;
	/* auto: only terminals known to have it, never through a
	 * multiplexer (TERM names the multiplexer then) */
	if (term == NULL)
		return TUI_GFX_SYMBOLS;
	if (strcmp(term, "xterm-kitty") == 0)
		return TUI_GFX_KITTY;
	if (strncmp(term, "mlterm", 6) == 0 || strncmp(term, "foot", 4) == 0 ||
	    strncmp(term, "yaft", 4) == 0)
		return TUI_GFX_SIXEL;
	return TUI_GFX_SYMBOLS;
}

static ChafaCanvasMode
canvas_mode(int colour)
{
	switch (colour) {
	case TUI_DIRECT:
		return CHAFA_CANVAS_MODE_TRUECOLOR;
	case TUI_C256:
		return CHAFA_CANVAS_MODE_INDEXED_240;
	case TUI_C16:
		return CHAFA_CANVAS_MODE_INDEXED_16;
	case TUI_C8:
		return CHAFA_CANVAS_MODE_INDEXED_8;
	default:
		return CHAFA_CANVAS_MODE_FGBG;
	}
}

/* The escape sequences chafa writes for sixel or kitty: those of a
 * terminal that has them (the user asked for it, or TERM named it). */
static ChafaTermInfo *
gfx_term_info(struct tui_preview_cache *c, int gfx)
{
	gchar *envp[2];

	if (c->term_info != NULL && c->term_info_gfx == gfx)
		return c->term_info;
	if (c->term_info != NULL)
		chafa_term_info_unref(c->term_info);
	envp[0] = gfx == TUI_GFX_KITTY ? "TERM=xterm-kitty" : "TERM=mlterm";
	envp[1] = NULL;
	c->term_info = chafa_term_db_detect(chafa_term_db_get_default(), envp);
	c->term_info_gfx = gfx;
	return c->term_info;
}

/* A cell's size in pixels, as the terminal gives it (TIOCGWINSZ; the SSH
 * server passes on the client's), else a common one. */
static void
cell_pixels(tui *t, int *pxw, int *pxh)
{
	struct winsize ws;

	*pxw = CELL_PX_W;
	*pxh = CELL_PX_H;
	if (t->out == NULL || fileno(t->out) < 0 ||
	    ioctl(fileno(t->out), TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0 || ws.ws_row == 0)
		return;
	if (ws.ws_xpixel / ws.ws_col >= 2 && ws.ws_xpixel / ws.ws_col <= 256 &&
	    ws.ws_ypixel / ws.ws_row >= 2 && ws.ws_ypixel / ws.ws_row <= 256) {
		*pxw = ws.ws_xpixel / ws.ws_col;
		*pxh = ws.ws_ypixel / ws.ws_row;
	}
}

/* Fits an image of iw x ih pixels into cols x rows cells of pxw x pxh
 * pixels (symbols: 1 x 2, a cell is about twice as tall as wide). */
static void
fit_cells(int iw, int ih, int cols, int rows, int pxw, int pxh, int *cw, int *ch)
{
	*cw = cols;
	*ch = (int)((double)cols * ih * pxw / iw / pxh + 0.5);
	if (*ch > rows) {
		*ch = rows;
		*cw = (int)((double)rows * pxh * iw / ih / pxw + 0.5);
	}
	if (*cw < 1)
		*cw = 1;
	if (*ch < 1)
		*ch = 1;
	if (*cw > cols)
		*cw = cols;
}

/* A photo in a palette of 240 or 16 colours: error diffusion carries
 * what a cell's nearest palette colours miss into its neighbours, so an
 * area keeps the photo's colour (mean delta E over 2x2 cells of a photo
 * 18.5 without, 15.4 with, 11.8 in true colour); averaging in RGB beats
 * DIN99d and the median there, and no contrast boost: a photo's colours
 * are what it shows, not a legibility problem. */
static void
palette_settings(ChafaCanvasConfig *cfg)
{
	chafa_canvas_config_set_dither_mode(cfg, CHAFA_DITHER_MODE_DIFFUSION);
	chafa_canvas_config_set_color_space(cfg, CHAFA_COLOR_SPACE_RGB);
	chafa_canvas_config_set_color_extractor(cfg, CHAFA_COLOR_EXTRACTOR_AVERAGE);
	chafa_canvas_config_set_preprocessing_enabled(cfg, FALSE);
}

static int
render(tui *t, struct tui_preview_cache *c, const unsigned char *px, int iw, int ih,
    int cols, int rows, int pxw, int pxh, tui_cells *out, pgal_err *e)
{
	ChafaCanvasConfig *cfg;
	ChafaCanvas *canvas;
	GString *gs;
	int cw, ch, x, y, fg, bg;
	size_t n, i;

	if (t->graphics != TUI_GFX_SYMBOLS)
		fit_cells(iw, ih, cols, rows, pxw, pxh, &cw, &ch);
	else
		fit_cells(iw, ih, cols, rows, 1, 2, &cw, &ch);
	if (c->symbols == NULL) {
		c->symbols = chafa_symbol_map_new();
		chafa_symbol_map_add_by_tags(c->symbols, CHAFA_SYMBOL_TAG_BLOCK |
		    CHAFA_SYMBOL_TAG_BORDER | CHAFA_SYMBOL_TAG_SPACE |
		    CHAFA_SYMBOL_TAG_SOLID | CHAFA_SYMBOL_TAG_QUAD | CHAFA_SYMBOL_TAG_HALF);
		/* every cell must be one column wide for ncurses */
		chafa_symbol_map_remove_by_tags(c->symbols, CHAFA_SYMBOL_TAG_WIDE |
		    CHAFA_SYMBOL_TAG_AMBIGUOUS);
	}
	cfg = chafa_canvas_config_new();
	chafa_canvas_config_set_geometry(cfg, cw, ch);
	chafa_canvas_config_set_canvas_mode(cfg, canvas_mode(t->colour));
	chafa_canvas_config_set_symbol_map(cfg, c->symbols);
	chafa_canvas_config_set_work_factor(cfg, WORK_FACTOR);
	if (t->colour != TUI_DIRECT && t->colour != TUI_MONO)
		palette_settings(cfg);
	if (t->graphics == TUI_GFX_SIXEL)
		chafa_canvas_config_set_pixel_mode(cfg, CHAFA_PIXEL_MODE_SIXELS);
	else if (t->graphics == TUI_GFX_KITTY)
		chafa_canvas_config_set_pixel_mode(cfg, CHAFA_PIXEL_MODE_KITTY);
	else
		chafa_canvas_config_set_pixel_mode(cfg, CHAFA_PIXEL_MODE_SYMBOLS);
	if (t->graphics != TUI_GFX_SYMBOLS) {
		chafa_canvas_config_set_canvas_mode(cfg, CHAFA_CANVAS_MODE_TRUECOLOR);
		chafa_canvas_config_set_cell_geometry(cfg, pxw, pxh);
	}
	canvas = chafa_canvas_new(cfg);
	chafa_canvas_config_unref(cfg);
	if (canvas == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "chafa could not make a canvas");
	chafa_canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGBA8_UNASSOCIATED, px, iw, ih,
	    iw * 4);
	memset(out, 0, sizeof *out);
	out->w = cw;
	out->h = ch;
	if (t->graphics != TUI_GFX_SYMBOLS) {
		gs = chafa_canvas_print(canvas, gfx_term_info(c, t->graphics));
		out->gfx = malloc(gs->len + 1);
		if (out->gfx != NULL) {
			memcpy(out->gfx, gs->str, gs->len + 1);
			out->gfx_len = gs->len;
		}
		g_string_free(gs, TRUE);
		chafa_canvas_unref(canvas);
		return out->gfx != NULL ? PGAL_OK : pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	n = (size_t)cw * (size_t)ch;
	out->ch = malloc(n * sizeof *out->ch);
	out->fg = malloc(n * sizeof *out->fg);
	out->bg = malloc(n * sizeof *out->bg);
	if (out->ch == NULL || out->fg == NULL || out->bg == NULL) {
		cells_free(out);
		chafa_canvas_unref(canvas);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	for (y = 0, i = 0; y < ch; y++) {
		for (x = 0; x < cw; x++, i++) {
			gunichar u = chafa_canvas_get_char_at(canvas, x, y);

			if (wcwidth((wchar_t)u) != 1)
				u = ' ';
			out->ch[i] = u;
			if (t->colour == TUI_DIRECT)
				chafa_canvas_get_colors_at(canvas, x, y, &fg, &bg);
			else if (t->colour == TUI_MONO)
				fg = bg = -1;
			else
				chafa_canvas_get_raw_colors_at(canvas, x, y, &fg, &bg);
			fg = fg < 0 ? -1 : fg;
			bg = bg < 0 ? -1 : bg;
			/* direct-colour terminfo takes 0..7 as the ANSI colours,
			 * not as RGB 00000x: a near-black blue stays near black */
			if (t->colour == TUI_DIRECT) {
				fg = fg > 0 && fg < 8 ? 8 : fg;
				bg = bg > 0 && bg < 8 ? 8 : bg;
			}
			/* the colour a cell does not show (the ink of a space,
			 * the paper of a full block) is its left neighbour's:
			 * no colour change to send for it, one pair less */
			if (u == ' ')
				fg = x > 0 ? out->fg[i - 1] : -1;
			else if (u == 0x2588)
				bg = x > 0 ? out->bg[i - 1] : -1;
			out->fg[i] = fg;
			out->bg[i] = bg;
		}
	}
	chafa_canvas_unref(canvas);
	return PGAL_OK;
}

static tui_cells *
cached_render(tui *t, const pgal_photo *p, int kind, int cols, int rows, pgal_err *e)
{
	struct tui_preview_cache *c = t->cache;
	struct entry *slot = NULL;
	unsigned char *px;
	void *data;
	size_t len, i;
	int iw, ih, rc, pxw = 0, pxh = 0, maxw, maxh;

	if (cols < 1 || rows < 1) {
		pgal_fail(e, PGAL_EUSAGE, "no room");
		return NULL;
	}
	if (t->graphics != TUI_GFX_SYMBOLS)
		cell_pixels(t, &pxw, &pxh);
	for (i = 0; i < CACHE_N; i++) {
		struct entry *en = &c->e[i];

		if (en->used != 0 && en->id == p->id && en->kind == kind && en->cols == cols &&
		    en->rows == rows && en->mode == t->colour && en->gfx == t->graphics &&
		    en->pxw == pxw && en->pxh == pxh) {
			en->used = ++c->clock;
			return &en->cells;
		}
		if (slot == NULL || en->used < slot->used)
			slot = en; /* the least recently used, or an empty one */
	}
	if (pgal_photo_read_mem(t->g, t->token, p->album, p->name, kind, &data, &len, e) != PGAL_OK)
		return NULL;
	/* symbols need a few pixels per cell; sixel and kitty every one */
	maxw = cols * (pxw > 0 ? pxw : t->colour == TUI_DIRECT ? PX_W : PX_W_PALETTE);
	maxh = rows * (pxh > 0 ? pxh : PX_H);
	rc = pgal_image_decode_rgba(data, len, maxw, maxh, &px, &iw, &ih, e);
	free(data);
	if (rc != PGAL_OK)
		return NULL;
	cells_free(&slot->cells);
	slot->used = 0;
	rc = render(t, c, px, iw, ih, cols, rows, pxw, pxh, &slot->cells, e);
	free(px);
	if (rc != PGAL_OK)
		return NULL;
	slot->id = p->id;
	slot->kind = kind;
	slot->cols = cols;
	slot->rows = rows;
	slot->mode = t->colour;
	slot->gfx = t->graphics;
	slot->pxw = pxw;
	slot->pxh = pxh;
	slot->used = ++c->clock;
	return &slot->cells;
}

const tui_cells *
tui_preview_render(tui *t, const pgal_photo *p, int kind, int cols, int rows, pgal_err *e)
{
	return cached_render(t, p, kind, cols, rows, e);
}

void
tui_preview_draw(tui *t, const pgal_photo *p, int kind, int y, int x, int h, int w)
{
	tui_cells *c;
	pgal_err e;
	int oy, ox;

	if (h < 1 || w < 1)
		return;
	if ((c = cached_render(t, p, kind, w, h, &e)) == NULL) {
		tui_text(y + h / 2, x + 1, w - 2, "(no preview)", TS_DIM);
		tui_text(y + h / 2 + 1, x + 1, w - 2, e.msg, TS_DIM);
		return;
	}
	oy = y + (h - c->h) / 2;
	ox = x + (w - c->w) / 2;
	if (c->gfx != NULL) {
		t->cache->pending = c;
		t->cache->pend_y = oy;
		t->cache->pend_x = ox;
		return;
	}
	tui_blit_draw(t, c, oy, ox);
}

void
tui_preview_flush_graphics(tui *t)
{
	struct tui_preview_cache *c = t->cache;

	if (c == NULL)
		return;
	if (c->pending == NULL) {
		if (c->shown && t->graphics == TUI_GFX_KITTY) {
			fputs("\033_Ga=d\033\\", t->out); /* delete every image */
			fflush(t->out);
		}
		c->shown = 0;
		return;
	}
	if (t->graphics == TUI_GFX_KITTY)
		fputs("\033_Ga=d\033\\", t->out);
	/* save the cursor, draw at the area, restore: ncurses' idea of the
	 * cursor stays right */
	fprintf(t->out, "\0337\033[%d;%dH", c->pend_y + 1, c->pend_x + 1);
	fwrite(c->pending->gfx, 1, c->pending->gfx_len, t->out);
	fputs("\0338", t->out);
	fflush(t->out);
	c->pending = NULL;
	c->shown = 1;
}
