/* An album as a source of photos, read a page at a time with keyset
 * cursors: only a few pages are ever held, however big the album. */
#ifndef PGAL_TUI_PAGER_H
#define PGAL_TUI_PAGER_H

#include "app.h"

#define TUI_PAGE_ROWS 100

/* total: the album's photo count (the last page corrects it). */
tui_source *tui_pager_new(tui *t, const char *album, pgal_sort sort, int64_t total);

#endif
