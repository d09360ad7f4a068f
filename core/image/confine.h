/* Confining the current process before it reads hostile input, in the
 * spirit of OpenSSH's privilege separation: root's uid, groups and
 * capabilities given up, no new privileges, resource limits, Landlock
 * (read one file, write nothing, no TCP, no signals or abstract sockets
 * outside) and a seccomp-bpf deny list. Linux only; used by the image
 * decoder child (sandbox.c). */
#ifndef PGAL_IMAGE_CONFINE_H
#define PGAL_IMAGE_CONFINE_H

#include <stdint.h>

#include "err.h"

/* The Landlock ABI version the kernel offers, 0 when it has none (or
 * Landlock is disabled at boot). */
int pgal_sandbox_landlock_abi(void);

/* RLIMIT_CPU at cpu_secs (SIGXCPU, SIGKILL one second later), RLIMIT_FSIZE
 * 0 (no file grows), RLIMIT_CORE 0. */
int pgal_sandbox_rlimits(int cpu_secs, pgal_err *e);

/* RLIMIT_DATA at bytes: the heap and every private writable mapping
 * (malloc's arenas, libvips' buffers, thread stacks) together. Under
 * AddressSanitizer, whose shadow memory is mapped (never touched) before
 * main, counted from what is mapped now. */
int pgal_sandbox_memory(int64_t bytes, pgal_err *e);

/*
 * For a process that runs as root (any of its uids 0) or holds any
 * capability: drops to an identity of no account (uid and gid
 * PGAL_SANDBOX_UID, no supplementary groups) with no capabilities, none
 * ambient, none in the bounding set when it may drop them, and checks
 * that the drop took. Anything else is left as it is. Keeps the
 * parent-death signal, which the kernel clears on a change of uid, and
 * fails if the parent went in between. Call it after opening what needs
 * root's rights and before pgal_sandbox_enter (whose filter then refuses
 * every set*id call). Fails rather than go on privileged. Irreversible.
 */
/* "nobody" on Debian and most systems: owns no files, so the decoder can
 * read none by its rights. A number, not a name: no NSS lookup (files,
 * libraries) in a process about to read hostile input; and not a setting,
 * since any such uid does and 65534 is the one kept for this. */
#define PGAL_SANDBOX_UID 65534
int pgal_sandbox_drop_privs(pgal_err *e);

/*
 * Sets no_new_privs, then Landlock with read_fd (any open descriptor of
 * a regular file, or -1) the only file that may be opened, for reading, and
 * nothing written, made, removed or executed, then the seccomp filter. The
 * process must have one thread. *landlocked says whether Landlock was
 * applied (a kernel without it leaves the rest in force). Irreversible.
 */
int pgal_sandbox_enter(int read_fd, int *landlocked, pgal_err *e);

#endif
