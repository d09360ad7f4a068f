/* The one monotonic clock and the one nap: deadlines, timeouts and waits
 * in milliseconds that a change of the wall clock cannot stretch or cut,
 * and a sleep that a signal does not shorten. */
#ifndef PGAL_CLOCK_H
#define PGAL_CLOCK_H

#include <stdint.h>

/* Milliseconds on CLOCK_MONOTONIC (from an arbitrary start; only
 * differences mean anything). */
int64_t pgal_now_ms(void);

/* Sleeps ms milliseconds, resuming the rest after a signal (EINTR);
 * returns at once when ms <= 0 or on any other error. */
void pgal_sleep_ms(long ms);

#endif
