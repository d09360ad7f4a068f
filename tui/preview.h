/* Photo previews as terminal cells: the stored JPEG rendition decoded by
 * core, turned into symbols and colours by chafa's canvas, drawn into
 * ncurses cells (so ncurses knows what is on screen) or, when the terminal
 * has it, sent as sixel/kitty graphics. Rendered cells are cached per
 * (photo, rendition, size, mode). */
#ifndef PGAL_TUI_PREVIEW_H
#define PGAL_TUI_PREVIEW_H

#include <stdint.h>

#include "app.h"

typedef struct tui_cells {
	int w, h;         /* cells */
	uint32_t *ch;     /* w*h characters */
	int32_t *fg, *bg; /* colours as the mode gives them; -1 default */
	char *gfx;        /* sixel/kitty escape string instead of cells, or NULL */
	size_t gfx_len;
	struct tui_blit *blit; /* ready rows and bytes (preview-blit.c) */
} tui_cells;

struct tui_preview_cache *tui_preview_cache_new(void);
void tui_preview_cache_free(struct tui_preview_cache *c);

/* Renders (or finds in the cache) the rendition `kind` of p fitted into
 * cols x rows cells. NULL with e set on failure. */
const tui_cells *tui_preview_render(tui *t, const pgal_photo *p, int kind,
				    int cols, int rows, pgal_err *e);
/* Renders and draws centred in the box; on failure draws the reason. */
void tui_preview_draw(tui *t, const pgal_photo *p, int kind, int y, int x, int h, int w);
/* After the frame is on screen: sends pending sixel/kitty images. */
void tui_preview_flush_graphics(tui *t);
/* Picks symbols, sixel or kitty from the setting and the terminal. */
int tui_graphics_detect(const char *setting, const char *term);

#endif
