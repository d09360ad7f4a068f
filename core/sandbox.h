/* Confining the current process before it reads hostile input, in the
 * spirit of OpenSSH's privilege separation: no new privileges, resource
 * limits, Landlock (read one file, write nothing, no TCP, no signals or
 * abstract sockets outside) and a seccomp-bpf deny list. Linux only; used
 * by the image decoder child (image-sandbox.c). */
#ifndef PGAL_SANDBOX_H
#define PGAL_SANDBOX_H

#include "err.h"

/* The Landlock ABI version the kernel offers, 0 when it has none (or
 * Landlock is disabled at boot). */
int pgal_sandbox_landlock_abi(void);

/* RLIMIT_CPU at cpu_secs (SIGXCPU, SIGKILL one second later), RLIMIT_FSIZE
 * 0 (no file grows), RLIMIT_CORE 0. */
int pgal_sandbox_rlimits(int cpu_secs, pgal_err *e);

/*
 * Sets no_new_privs, then Landlock with read_fd (any open descriptor of
 * a regular file, or -1) the only file that may be opened, for reading, and
 * nothing written, made, removed or executed, then the seccomp filter. The
 * process must have one thread. *landlocked says whether Landlock was
 * applied (a kernel without it leaves the rest in force). Irreversible.
 */
int pgal_sandbox_enter(int read_fd, int *landlocked, pgal_err *e);

#endif
