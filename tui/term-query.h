/* Asking the terminal what it can do, before ncurses takes it: one
 * round trip with a bounded wait that never leaves a reply behind in the
 * input when it comes in time. */
#ifndef PGAL_TUI_TERM_QUERY_H
#define PGAL_TUI_TERM_QUERY_H

#include <stddef.h>

typedef struct tui_term_answer {
	int answered;  /* the DA1 reply came back in time */
	int truecolor; /* an RGB background read back as set (DECRQSS) */
	int sixel;     /* DA1 lists sixel graphics (4) */
	/* keys typed before any reply began: the app gets them, in order */
	char typed[32];
	size_t ntyped;
} tui_term_answer;

/* The wait for an answer: one round trip over SSH, and the whole startup
 * delay for a terminal that answers nothing (every VT100 answers DA1). */
#define TUI_TERM_QUERY_MS 500

/* The query's bytes: an RGB background, DECRQSS for the SGR in force, a
 * reset, then DA1, which every terminal answers last (replies come in
 * order), so the DA1 reply ends the wait. */
extern const char tui_term_query_bytes[];

/* Reads what the bytes in buf (n of them, the replies as they came) say
 * into a; returns how many bytes up to and including the DA1 reply, 0 if
 * it is not (yet) there. */
size_t tui_term_parse(const char *buf, size_t n, tui_term_answer *a);

/* Sends the query on out_fd and reads the replies from in_fd (a terminal
 * both) for at most timeout_ms, in raw mode, restoring the terminal's
 * modes; a partial answer left when time is up is flushed, keys typed
 * before it are kept in a->typed. 0, or -1 when they are no terminal. */
int tui_term_query(int in_fd, int out_fd, int timeout_ms, tui_term_answer *a);

#endif
