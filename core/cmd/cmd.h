/* The scripting surface: one table of commands shared by the `pgal` CLI and
 * the SSH server's exec handler (tmux style: one file per command in
 * core/cmd/, one table in core/cmd/table.c).
 *
 * A front end fills a pgal_cmd_ctx (gallery, token, streams, callbacks for
 * what only it can do: prompts, keeping the token, a progress bar) and calls
 * pgal_cmd_exec with the words after the program name. The return value is the
 * exit status (a pgal_code); errors have already been written to ctx->err as
 * one line "pgal: <message>". */
#ifndef PGAL_CMD_H
#define PGAL_CMD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "fmt.h"
#include "gallery.h"
#include "records.h"

typedef struct pgal_cmd_ctx pgal_cmd_ctx;

struct pgal_cmd_ctx {
	pgal *g;           /* may be NULL: opened through open_gallery when needed */
	const char *token; /* session token or NULL */
	FILE *out;         /* results */
	FILE *err;         /* "pgal: ..." error lines */
	int out_fd;        /* fd behind out for binary output (get); -1 if none */
	int out_is_tty;    /* binary output to it is refused */
	int remote;        /* 1 over SSH: LOCAL_ONLY commands are not offered */
	void *arg;         /* the front end's own state */

	/* Each callback may be NULL (not available: no terminal, over SSH...). */
	/* Opens ctx->g; only called for commands that need the gallery; init
	 * 1 for PGAL_CMD_INIT commands (pgal_open_init). */
	int (*open_gallery)(pgal_cmd_ctx *ctx, int init, pgal_err *e);
	/* The value of an environment variable for scripts (PGAL_PASSWORD...). */
	const char *(*env)(pgal_cmd_ctx *ctx, const char *name);
	/* Reads a secret with no echo; malloc'd, the caller wipes and frees it.
	 * NULL when cancelled or on error. */
	char *(*ask_secret)(pgal_cmd_ctx *ctx, const char *prompt);
	/* Reads a line with echo into buf (newline removed); 0 ok, -1 error. */
	int (*ask_line)(pgal_cmd_ctx *ctx, const char *prompt, char *buf, size_t size);
	/* 1 yes, 0 no (or error). */
	int (*ask_yes_no)(pgal_cmd_ctx *ctx, const char *question);
	/* Keeps the token of a new session / forgets the current one. */
	int (*save_token)(pgal_cmd_ctx *ctx, const char *token, pgal_err *e);
	int (*clear_token)(pgal_cmd_ctx *ctx, pgal_err *e);
	/* Progress of put: name != NULL draws "done/total name"; name == NULL
	 * erases the bar so a result line can be written. */
	void (*progress)(pgal_cmd_ctx *ctx, size_t done, size_t total, const char *name);

	/* Filled by the dispatcher for NEEDS_SESSION commands. */
	pgal_whoami who;
	/* Filled by the dispatcher from the entry's target kind, once the
	 * session is checked: what the positional words name (see below). */
	struct pgal_cmd_target *target;
	int ntargets;
};

/* Runs one command: argv[0] is the command name (or --help, --version).
 * Returns the exit status. */
int pgal_cmd_exec(pgal_cmd_ctx *ctx, int argc, char **argv);

/* `pgal --help`: the command list, generated from the table. */
void pgal_cmd_usage(pgal_cmd_ctx *ctx, FILE *f);

/* ---- for command implementations (core/cmd/\*.c) ---- */

#define PGAL_CMD_NEEDS_SESSION 0x1 /* a valid session is checked first */
#define PGAL_CMD_LOCAL_ONLY 0x2    /* not offered over SSH */
#define PGAL_CMD_JSON 0x4          /* takes --json (usage and help say so) */
#define PGAL_CMD_NO_GALLERY 0x8    /* runs without opening the gallery */
/* Over SSH, runs once this user's uploads still being stored on this host are
 * in: a script's scp then ls sees what it sent (sshd/pending.c). */
#define PGAL_CMD_AFTER_UPLOADS 0x10
/* opens the gallery with pgal_open_init: the one command that may create
 * or change tables (`pgal init`) */
#define PGAL_CMD_INIT 0x20
/* ALBUM PATH...: reads files on the user's computer, which a server
 * cannot; over SSH the user is told the scp command that sends them */
#define PGAL_CMD_CLIENT_FILES 0x40

#define PGAL_ARGS_MAX_OPTS 16
#define PGAL_ARGS_MAX_POS 4096

/* Parsed command line: positionals in order, options by name. */
typedef struct pgal_args {
	int argc;
	char **argv; /* positionals (malloc'd array of pointers into the input) */
	int nopts;
	struct {
		char name[32];
		const char *value; /* NULL for a flag */
	} opts[PGAL_ARGS_MAX_OPTS];
} pgal_args;

/* What a command's first words name. The dispatcher resolves them into
 * ctx->target before the command runs, the way tmux resolves a command's
 * target, so no command splits "ALBUM/PHOTO" itself. A word that names no
 * target is reported before the command runs, except for PHOTOS, where
 * the command reports each in its turn and goes on with the others. */
typedef enum pgal_cmd_target_kind {
	PGAL_TARGET_NONE = 0,
	PGAL_TARGET_ALBUM,  /* ALBUM: target[0] */
	PGAL_TARGET_PHOTO,  /* ALBUM/PHOTO: target[0] */
	PGAL_TARGET_PHOTOS, /* ALBUM/PHOTO...: one target per positional word */
	PGAL_TARGET_MOVE,   /* ALBUM/PHOTO ALBUM[/NAME]: the photo, where it goes */
} pgal_cmd_target_kind;

typedef struct pgal_cmd_target {
	const char *album; /* the album's name (as given for ALBUM: the core checks it) */
	const char *photo; /* the photo's name; "" when the word names an album alone */
	pgal_err err;      /* PGAL_OK, or why the word names no target */
	char album_buf[PGAL_ALBUM_MAX + 1];
	char photo_buf[PGAL_PHOTO_NAME_MAX + 1];
} pgal_cmd_target;

typedef struct pgal_cmd_entry {
	const char *name;
	const char *usage;   /* arguments and options, e.g. "NAME [--title T]" */
	const char *summary; /* one line */
	const char *help;    /* more lines for `pgal help CMD`, or NULL */
	int min_args;
	int max_args;        /* -1: no limit */
	const char *options; /* accepted options: "title=,yes,o=" ('=' takes a value) */
	int flags;
	pgal_cmd_target_kind target;
	int (*exec)(pgal_cmd_ctx *ctx, const pgal_args *a);
} pgal_cmd_entry;

/* The table, NULL-terminated (core/cmd/table.c). */
extern const pgal_cmd_entry *const pgal_cmd_table[];
const pgal_cmd_entry *pgal_cmd_find(const char *name);
/* " [--json]" after the usage of a command that takes it, else "" (help.c). */
const char *pgal_cmd_json_usage(const pgal_cmd_entry *c);

/* Parses argv (argc words, the command name excluded) against `accepted`:
 * `--opt value`, `--opt=value`, `--flag`, `-o value`, `-ovalue` (one-letter
 * names), `--` ends options, options may follow positionals, a lone "-" is a
 * positional. The last of a repeated option wins. On error fills e with
 * PGAL_EUSAGE and a message naming the option. Free with pgal_args_free. */
int pgal_args_parse(pgal_args *a, const char *accepted, int argc, char **argv, pgal_err *e);
void pgal_args_free(pgal_args *a);
/* 1 if the option was given. */
int pgal_args_has(const pgal_args *a, const char *name);
/* The option's value, or NULL if not given. */
const char *pgal_args_get(const pgal_args *a, const char *name);
/* The option as a non-negative integer (def if absent); PGAL_EUSAGE if malformed. */
int pgal_args_get_int(const pgal_args *a, const char *name, int64_t def, int64_t *out, pgal_err *e);
/* "taken", "added", "title" (NULL: taken); -1 if none of them. */
int pgal_cmd_parse_sort(const char *s, pgal_sort *sort);
/* Splits "ALBUM/PHOTO" at the first '/' (album names cannot hold one) into
 * the two buffers; PGAL_EUSAGE if a part is empty or too long. With
 * allow_no_photo, "ALBUM" alone is accepted and photo is set to "". */
int pgal_split_path(const char *s, char album[PGAL_ALBUM_MAX + 1], char photo[PGAL_PHOTO_NAME_MAX + 1],
		    int allow_no_photo, pgal_err *e);
/* Resolves a's positional words into the targets c->target asks for
 * (core/cmd/target.c): *out is malloc'd (free() it), *n of them, NULL for
 * NONE. Returns PGAL_OK, or fills e like the first target that has to
 * resolve and did not (every one but PHOTOS'). */
int pgal_cmd_targets(const pgal_cmd_entry *c, const pgal_args *a, pgal_cmd_target **out, int *n,
		     pgal_err *e);

/* md5sum, sha1sum, sha256sum (core/cmd/digest.c): one digest of each
 * photo named, or of the input. */
typedef enum pgal_digest_kind {
	PGAL_DIGEST_MD5,
	PGAL_DIGEST_SHA1,
	PGAL_DIGEST_SHA256,
} pgal_digest_kind;
int pgal_cmd_digest_run(pgal_cmd_ctx *ctx, const pgal_args *a, pgal_digest_kind k);
/* The entry fields the three share. */
#define PGAL_CMD_DIGEST_FIELDS \
	.usage = "[PHOTO...]", \
	.help = "PHOTO is ALBUM/PHOTO or /ALBUM/PHOTO (the SFTP path); lines as\n" \
		"coreutils writes them. Without PHOTO, or for -, the input is hashed.", \
	.min_args = 0, \
	.max_args = -1, \
	.options = "", \
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_AFTER_UPLOADS, \
	.target = PGAL_TARGET_PHOTOS

/* Output helpers (core/cmd/output.c). */
/* Writes "pgal: <message>" to ctx->err, returns code. */
int pgal_cmd_error(pgal_cmd_ctx *ctx, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Writes e's message (with a login hint for an ended session), returns e->code. */
int pgal_cmd_fail(pgal_cmd_ctx *ctx, const pgal_err *e);
/* Writes s left aligned in width terminal columns (at least one space after). */
void pgal_put_col(FILE *f, const char *s, int width);

/* JSON (jansson), opaque here so cmd.h does not need jansson.h. */
struct json_t;
struct json_t *pgal_json_photo(const pgal_photo *p);
struct json_t *pgal_json_album(const pgal_album *a);
/* Dumps v (indented) and a newline to ctx->out, then drops the reference. */
int pgal_json_print(pgal_cmd_ctx *ctx, struct json_t *v);
/* An array written as it is read (ls, put): element n (from 0) on a line
 * of its own (the reference is dropped), then the end after n elements. */
int pgal_json_array_item(pgal_cmd_ctx *ctx, size_t n, struct json_t *v);
void pgal_json_array_end(pgal_cmd_ctx *ctx, size_t n);

/* Text views shared by several commands. */
void pgal_print_photo_info(pgal_cmd_ctx *ctx, const pgal_photo *p);
/* Listing rows (ls, search): the name column is namew columns wide and shows
 * "album/name" when with_album. */
void pgal_print_photo_header(pgal_cmd_ctx *ctx, int namew);
void pgal_print_photo_row(pgal_cmd_ctx *ctx, const pgal_photo *p, int namew, int with_album);
/* Display width of a row's name column. */
int pgal_photo_name_width(const pgal_photo *p, int with_album);

/* Passwords (core/cmd/secret.c): from the environment variable `var` if the
 * front end offers one, else asked (twice if confirm). Returns a malloc'd
 * string to free with pgal_secret_free, or NULL after printing why. */
char *pgal_secret_get(pgal_cmd_ctx *ctx, const char *var, const char *prompt, int confirm, int *code);
void pgal_secret_free(char *s);

#endif
