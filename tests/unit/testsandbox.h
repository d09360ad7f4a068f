/* Shared by the sandboxed decoder's tests (tests/unit/test-image-sandbox-*.c,
 * helpers in testsandbox.c). Each of those programs defines
 *     int pgal_image_sandbox_test_hook(const char *what)
 *     { return pgal_sbx_hook(what); }
 * so that its decoder child, this same program run again, runs the probes;
 * no other test program may, since a defined hook changes what the child
 * does (it keeps its stderr, it accepts a hook). */
#ifndef PGAL_TESTSANDBOX_H
#define PGAL_TESTSANDBOX_H

#include <sys/types.h>

#include <limits.h>
#include <stdint.h>

#include "err.h"
#include "image/image.h"

/* a probe's exit status when the call it tried worked (else its errno) */
#define PROBE_SUCCEEDED 200

/* what pgal_sbx_hook("priv-state") reports the child holds */
#define PRIV_UID0 0x01		/* a uid (real, effective, saved) is 0 */
#define PRIV_GID0 0x02		/* a gid is 0 */
#define PRIV_GROUPS 0x04	/* supplementary groups */
#define PRIV_CAPS 0x08		/* effective, permitted or inheritable */
#define PRIV_BOUNDING 0x10	/* a capability in the bounding set */
#define PRIV_AMBIENT 0x20
#define PRIV_NO_PDEATH 0x40	/* the parent-death signal is not SIGKILL */

/* The fixture photos' directory and a scratch directory of this run, set
 * by pgal_sbx_setup. */
extern const char *pgal_sbx_fixtures;
extern char pgal_sbx_scratch[PATH_MAX];
/* set at run time in this process: a fresh exec cannot have it */
extern char pgal_sbx_secret[64];

/* The probe named `what` ("read:PATH", "socket", "spin", "lie-code",
 * "priv-state"...): its result, or -1 to go on with the decode. */
int pgal_sbx_hook(const char *what);

/* A fixture opened read-only (fails the test if it cannot be). */
int pgal_sbx_open_fixture(const char *name);
/* A sandboxed decode of orient-1.jpg with the probe `hook` and the CPU
 * and wall limits given (0: the defaults); *status gets the child's wait
 * status. Fails the test if anything came back but an error. */
int pgal_sbx_run_hook(const char *hook, int cpu, int wall, int *status, pgal_err *e);
/* Fails the test unless a and b are the same rendition, byte for byte. */
void pgal_sbx_same_rendition(const pgal_rendition *a, const pgal_rendition *b);
/* Decodes path in this process and in the sandbox: fails the test unless
 * both give the same code and message, and for a good file the same
 * result; returns the code. */
int pgal_sbx_compare(const char *path, pgal_img_type t, int64_t maxpx, int thumb,
    int preview);

/* The pid of parent's pgal-decode child, 0 while there is none; with
 * cpu_ms, the CPU time it has used so far (by its /proc/<pid>/stat). */
pid_t pgal_sbx_find_decoder(pid_t parent, long *cpu_ms);

/* cmocka group setup and teardown: fixtures, scratch, libvips. */
int pgal_sbx_setup(void **state);
int pgal_sbx_teardown(void **state);

#endif
