/* The pgal CLI's own pieces: terminal prompts and the progress bar. (The
 * session file is core/session-file.c, shared with pgal-tui.) */
#ifndef PGAL_CLI_H
#define PGAL_CLI_H

#include <stddef.h>


/* Prompts on /dev/tty. ask_secret: no echo, the terminal is restored even on
 * SIGINT; returns a malloc'd string or NULL. */
char *cli_ask_secret(const char *prompt);
int cli_ask_line(const char *prompt, char *buf, size_t size);
int cli_ask_yes_no(const char *question);
/* A progress bar on stderr; name NULL erases it. */
void cli_progress(size_t done, size_t total, const char *name);

#endif
