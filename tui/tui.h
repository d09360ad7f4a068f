/* pgal-tui as a library: the local program (tui/main.c) and the SSH server
 * (on a pty) both call pgal_tui_run with the terminal and session to use. */
#ifndef PGAL_TUI_H
#define PGAL_TUI_H

#include <stdio.h>

#include "gallery.h"

typedef struct pgal_tui_env {
	/* A session to resume (checked first), or NULL for the welcome screen. */
	const char *token;
	/* 1 over SSH: the add-photos screen shows scp/sftp commands for
	 * ssh_user@ssh_host:ssh_port instead of reading local paths. */
	int remote;
	const char *ssh_host;
	const char *ssh_port; /* NULL or "22": no -P/-p option */
	const char *ssh_user;
	/* 1: write the token to the session file at login and clear it at
	 * logout or cancel (local only; never over SSH). */
	int persist_session;
	/* The terminal: ncurses runs on these streams (newterm). */
	FILE *in;
	FILE *out;
	/* The client's TERM, COLORTERM and NO_COLOR; NULL: this process'
	 * environment (the SSH server passes the client's values). */
	const char *term;
	const char *colorterm;
	const char *no_color;
	/* "auto", "symbols", "sixel" or "kitty"; NULL: $PGAL_TUI_GRAPHICS,
	 * else auto (sixel/kitty only when the terminal is known to have it).
	 * A logged-in user's preferences (prefs colors=, graphics=) come
	 * before these and COLORTERM (tui/display.c). */
	const char *graphics;
} pgal_tui_env;

/* Runs the TUI until the user quits. Returns 0, or -1 when the terminal
 * could not be set up (message on stderr). */
int pgal_tui_run(pgal *g, const pgal_tui_env *env);

#endif
