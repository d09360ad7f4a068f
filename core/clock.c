/* core/clock.h: the monotonic clock in milliseconds and the nap. */
#include <errno.h>
#include <time.h>

#include "clock.h"

int64_t
pgal_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
pgal_sleep_ms(long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	/* nanosleep leaves the time still to sleep in ts after a signal;
	 * any other error (EINVAL, EFAULT) would repeat forever */
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}
