/* Errors: a code (which doubles as the CLI exit status) and one human line. */
#ifndef PGAL_ERR_H
#define PGAL_ERR_H

typedef enum pgal_code {
	PGAL_OK = 0,
	PGAL_EUSAGE = 1,    /* wrong call: missing argument, bad option */
	PGAL_ENOTFOUND = 2, /* no such user, album, photo */
	PGAL_EDENIED = 3,   /* not logged in, wrong password, not yours */
	PGAL_EBACKEND = 4,  /* storage, database or mail failed */
	PGAL_EINPUT = 5,    /* hostile or invalid input, duplicates, limits */
} pgal_code;

typedef struct pgal_err {
	pgal_code code;
	char msg[512];
} pgal_err;

/* Sets e (if not NULL) and returns code, so callers can `return pgal_fail(...)`. */
int pgal_fail(pgal_err *e, pgal_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Clears e to PGAL_OK with an empty message. */
void pgal_err_clear(pgal_err *e);

/* A short name for a code: "usage", "not found", ... */
const char *pgal_code_name(pgal_code code);

#endif
