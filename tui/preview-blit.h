/* Drawing a rendered preview fast: its cells kept as ready ncurses rows
 * (colour pairs looked up once per pair epoch) and as the bytes a
 * terminal needs for them (one SGR change only where a colour changes).
 * Cells the terminal does not show yet are written in one write() and
 * entered in curscr, so ncurses knows they are on the screen and refresh()
 * leaves them alone; everything else (and every frame ncurses repaints
 * whole) goes through ncurses as usual. */
#ifndef PGAL_TUI_PREVIEW_BLIT_H
#define PGAL_TUI_PREVIEW_BLIT_H

#include "preview.h"

/* Forgets what tui_blit_draw made for c. */
void tui_blit_free(tui_cells *c);
/* Puts the cells of c into stdscr at (y, x), writing to the terminal the
 * rows that differ from what it shows. */
void tui_blit_draw(tui *t, tui_cells *c, int y, int x);

#endif
