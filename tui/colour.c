/* Colours: the theme, and colour pairs for preview cells. Mode: NO_COLOR
 * gives monochrome (attributes only); a *-direct terminfo gives true colour
 * (colour numbers are RGB values); else 256, 16 or 8 colours, at most
 * what the user's preference caps them to (display.c). Preview pairs
 * are allocated on demand with init_extended_pair and recycled all at once
 * when the terminal's pairs run out; each recycling starts a new epoch, so
 * cells cached with pair numbers know to look them up again (one SCREEN
 * per process, so the table is process state). */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>

#include "app.h"

static int mode;
static attr_t styles[TS_COUNT];

struct slot {
	int32_t fg, bg;
	int pair; /* 0: empty */
};
static struct slot *slots;
static size_t nslots;
static int pair_base, pair_next, pair_max;
static unsigned pair_epoch;

static int
col(int c8, int c256, int32_t rgb)
{
	switch (mode) {
	case TUI_DIRECT:
		return rgb;
	case TUI_C256:
		return c256;
	default:
		return c8;
	}
}

static void
theme(int slot, int fg, int bg, attr_t extra)
{
	init_extended_pair(slot, fg, bg);
	styles[slot] = COLOR_PAIR(slot) | extra;
}

void
tui_colour_init(tui *t)
{
	size_t want;

	free(slots);
	slots = NULL;
	nslots = 0;
	pair_epoch++;
	memset(styles, 0, sizeof styles);
	mode = TUI_MONO;
	if ((t->no_color == NULL || t->no_color[0] == '\0') && has_colors() &&
	    start_color() == OK) {
		use_default_colors();
		if (COLORS >= 0x1000000)
			mode = TUI_DIRECT;
		else if (COLORS >= 256)
			mode = TUI_C256;
		else if (COLORS >= 16)
			mode = TUI_C16;
		else if (COLORS >= 8)
			mode = TUI_C8;
		/* no more than the user wants (a preference) */
		if (t->colour_cap > TUI_MONO && mode > t->colour_cap)
			mode = t->colour_cap;
	}
	t->colour = mode;
	if (mode == TUI_MONO) {
		styles[TS_TITLE] = A_REVERSE | A_BOLD;
		styles[TS_BAR] = A_NORMAL;
		styles[TS_BARKEY] = A_REVERSE;
		styles[TS_SELECT] = A_REVERSE;
		styles[TS_HEAD] = A_BOLD | A_UNDERLINE;
		styles[TS_ERROR] = A_BOLD;
		styles[TS_DIM] = A_DIM;
		styles[TS_FIELD] = A_UNDERLINE;
		styles[TS_FOCUS] = A_UNDERLINE | A_BOLD;
		styles[TS_LABEL] = A_BOLD;
		return;
	}
	theme(TS_TITLE, col(COLOR_WHITE, 231, 0xffffff), col(COLOR_BLUE, 24, 0x1f4e79), A_BOLD);
	theme(TS_BAR, -1, -1, A_NORMAL);
	theme(TS_BARKEY, col(COLOR_BLACK, 16, 0x000000), col(COLOR_CYAN, 80, 0x5fd7d7), A_NORMAL);
	theme(TS_SELECT, col(COLOR_BLACK, 16, 0x000000), col(COLOR_CYAN, 117, 0x87d7ff), A_NORMAL);
	theme(TS_HEAD, col(COLOR_YELLOW, 221, 0xffd75f), -1, A_BOLD);
	theme(TS_ERROR, col(COLOR_RED, 203, 0xff5f5f), -1, A_BOLD);
	theme(TS_OK, col(COLOR_GREEN, 114, 0x87d787), -1, A_NORMAL);
	theme(TS_DIM, col(COLOR_WHITE, 245, 0x8a8a8a), -1, mode <= TUI_C16 ? A_DIM : A_NORMAL);
	theme(TS_FIELD, col(COLOR_WHITE, 252, 0xd0d0d0), col(COLOR_BLACK, 237, 0x3a3a3a), A_NORMAL);
	theme(TS_FOCUS, col(COLOR_WHITE, 231, 0xffffff), col(COLOR_BLUE, 24, 0x1f4e79), A_NORMAL);
	theme(TS_FRAME, col(COLOR_CYAN, 67, 0x5f87af), -1, A_NORMAL);
	theme(TS_LABEL, col(COLOR_CYAN, 117, 0x87d7ff), -1, A_BOLD);

	/* a true-colour preview of 200x60 cells needs about 10 000 pairs:
	 * take all the terminal has (extended pairs go past 0x7fff) */
	pair_base = TS_COUNT;
	pair_max = COLOR_PAIRS - 1;
	if (pair_max > 0xffff)
		pair_max = 0xffff;
	pair_next = pair_base;
	if (pair_max > pair_base) {
		for (want = 16; want < (size_t)(pair_max - pair_base) * 2; want *= 2)
			;
		slots = calloc(want, sizeof *slots);
		nslots = slots != NULL ? want : 0;
	}
}

int
tui_style(int style)
{
	if (style < 0 || style >= TS_COUNT)
		return A_NORMAL;
	return (int)styles[style];
}

const char *
tui_colour_name(int m)
{
	switch (m) {
	case TUI_DIRECT:
		return "truecolor";
	case TUI_C256:
		return "256";
	case TUI_C16:
		return "16";
	case TUI_C8:
		return "8";
	default:
		return "mono";
	}
}

unsigned
tui_pair_epoch(void)
{
	return pair_epoch;
}

/* Out of pairs: forget them all. The whole screen is repainted next, so
 * cells drawn with the old meanings go. Until then ncurses does not look
 * for cells using a redefined pair; later it would, over the whole
 * screen for every pair redefined, unless the pair was black on black
 * (what it takes for never used), so each used pair becomes that now. */
static void
pairs_recycle(void)
{
	int p;

	memset(slots, 0, nslots * sizeof *slots);
	clearok(curscr, TRUE);
	for (p = pair_base; p < pair_next; p++)
		init_extended_pair(p, 0, 0);
	pair_next = pair_base;
	pair_epoch++;
}

int
tui_cell_pair(tui *t, int32_t fg, int32_t bg)
{
	size_t h, i;

	if (mode == TUI_MONO || nslots == 0)
		return 0;
	h = ((size_t)(uint32_t)fg * 2654435761u) ^ ((size_t)(uint32_t)bg * 40503u);
	for (i = h & (nslots - 1);; i = (i + 1) & (nslots - 1)) {
		if (slots[i].pair == 0)
			break;
		if (slots[i].fg == fg && slots[i].bg == bg)
			return slots[i].pair;
	}
	if (pair_next > pair_max) {
		pairs_recycle();
		for (i = h & (nslots - 1); slots[i].pair != 0; i = (i + 1) & (nslots - 1))
			;
	}
	if (init_extended_pair(pair_next, fg, bg) == ERR)
		return 0;
	slots[i].fg = fg;
	slots[i].bg = bg;
	slots[i].pair = pair_next;
	return pair_next++;
}
