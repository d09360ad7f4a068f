/* Decoders running at once on this host: at most decoders_max, across
 * every process that shares PGAL_HOME (each pgal-sshd connection, its
 * ingest workers, the CLI, the TUI). A counting semaphore of flock'd slot
 * files under PGAL_HOME/decoders: the kernel drops a lock with its
 * process, so a decoder's caller that crashes or is killed frees its slot
 * at once and nothing is ever leaked. Callers beyond the limit wait their
 * turn in arrival order (tickets, also flock'd files, so a waiter that
 * dies leaves the queue too). */
#ifndef PGAL_IMAGE_SLOTS_H
#define PGAL_IMAGE_SLOTS_H

#include "config.h"
#include "err.h"

typedef struct pgal_decode_slot {
	int fd;		/* the slot file, locked; -1 when none is held */
	int index;	/* which of the decoders_max slots */
} pgal_decode_slot;

/* Waits (in arrival order) until one of cfg->decoders_max slots is free
 * and takes it. Only the file system can make it fail. */
int pgal_decode_slot_take(const pgal_config *cfg, pgal_decode_slot *s, pgal_err *e);

/* Frees the slot (no-op for one not held). */
void pgal_decode_slot_give(pgal_decode_slot *s);

#endif
