/* The welcome screen's banner, made at build time from assets/banner.txt
 * by tools/embed-banner.sh: the rows of the art, all as wide as the widest,
 * NULL after the last; and the tagline shown under it. */
#ifndef TUI_BANNER_H
#define TUI_BANNER_H

extern const char *const tui_banner[];
extern const char tui_banner_tagline[];

#endif
