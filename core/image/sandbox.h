/* Decoding hostile uploads away from everything else: pgal_image_process
 * runs in a fresh process (fork, then exec of this same program, so none
 * of the caller's memory, descriptors, environment or libvips state comes
 * along) that can read the one upload and nothing else, write nothing, run
 * nothing and reach no network (confine.h). It sends the result back
 * through a pipe in a small fixed format that this side checks field by
 * field against the limits it asked for. The caller never starts libvips. */
#ifndef PGAL_IMAGE_SANDBOX_H
#define PGAL_IMAGE_SANDBOX_H

#include <stdint.h>

#include "err.h"
#include "image/image.h"

/* Limits of one decoder process. */
#define PGAL_SANDBOX_CPU_SECS 60   /* CPU time, then SIGXCPU */
#define PGAL_SANDBOX_WALL_SECS 180 /* real time, then SIGKILL from here */
/* decode_memory_max's default for the default max_pixels (config.h) */
#define PGAL_SANDBOX_MEMORY (INT64_C(100000000) * 4 + (INT64_C(128) << 20))

/*
 * pgal_image_process in a sandboxed child: fd is the upload, open for
 * reading (the child gets its own copy of the descriptor; fd's offset is
 * untouched), type what pgal_image_detect said. Same result, same errors;
 * a decoder that dies (a signal, a limit, the seccomp filter) or sends
 * anything malformed is PGAL_EINPUT "the decoder was stopped: ..." or
 * "... failed", and r is left empty.
 */
int pgal_image_sandbox_process(int fd, pgal_img_type type, int64_t max_pixels,
    int thumb_px, int preview_px, pgal_image_result *r, pgal_err *e);

/* The same in two steps, so the caller can work (hash the file, look
 * for a duplicate) while the child starts and decodes: start forks the
 * decoder, finish collects its result (or error) and ends the job, cancel
 * kills and reaps a job that is no longer wanted (NULL is fine). */
typedef struct pgal_image_job pgal_image_job;
struct pgal_image_sandbox_opts;

int pgal_image_sandbox_start(int fd, pgal_img_type type, int64_t max_pixels,
    int thumb_px, int preview_px, const struct pgal_image_sandbox_opts *o,
    pgal_image_job **jp, pgal_err *e);
int pgal_image_sandbox_finish(pgal_image_job *j, pgal_image_result *r,
    int *status, pgal_err *e);
void pgal_image_sandbox_cancel(pgal_image_job *j);

/* The decoder's limits (o may be NULL above: the defaults). */
typedef struct pgal_image_sandbox_opts {
	int cpu_secs;		/* 0: PGAL_SANDBOX_CPU_SECS */
	int wall_secs;		/* 0: PGAL_SANDBOX_WALL_SECS */
	const char *test_hook;	/* for tests: given to pgal_image_sandbox_test_hook */
	/* bytes the decoder may map (RLIMIT_DATA; decode_memory_max);
	 * 0: PGAL_SANDBOX_MEMORY */
	int64_t memory_max;
} pgal_image_sandbox_opts;

/* As pgal_image_sandbox_process; *status (if not NULL) gets the child's
 * wait status, or -1 when none was collected (finish sets it the same). */
int pgal_image_sandbox_run(int fd, pgal_img_type type, int64_t max_pixels,
    int thumb_px, int preview_px, const pgal_image_sandbox_opts *o,
    pgal_image_result *r, int *status, pgal_err *e);

/*
 * Defined only by a test program (production binaries leave the weak
 * symbol unset, and the child then refuses a test_hook): called in the
 * child once it is sandboxed, before the decode. A return of 0 to 255
 * ends the child with that exit status; -1 goes on with the decode.
 */
extern int pgal_image_sandbox_test_hook(const char *what) __attribute__((weak));

/* Whether the last decoder ran under Landlock: 1 yes, 0 no, -1 none ran. */
int pgal_image_sandbox_landlocked(void);

#endif
