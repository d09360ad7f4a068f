/* Where a local front end (pgal CLI, pgal-tui) keeps the session token:
 * $PGAL_TOKEN if set, else ${XDG_CONFIG_HOME:-$HOME/.config}/pgal/session
 * (directory 0700, file 0600, written atomically). */
#ifndef PGAL_SESSION_FILE_H
#define PGAL_SESSION_FILE_H

#include "err.h"
#include "gallery.h"

/* The token into tok (PGAL_TOKEN_HEX + 1). PGAL_ENOTFOUND when there is none.
 * A file readable by group or others is refused (PGAL_EDENIED). */
int pgal_session_file_read(char tok[PGAL_TOKEN_HEX + 1], pgal_err *e);
int pgal_session_file_write(const char *tok, pgal_err *e);
/* Removing a missing file is not an error. */
int pgal_session_file_clear(pgal_err *e);

#endif
