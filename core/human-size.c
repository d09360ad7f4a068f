/* A byte count as people read it. */
#include <stdio.h>

#include "human-size.h"

void
pgal_fmt_size(char out[16], int64_t bytes)
{
	static const char *const units[] = { "kB", "MB", "GB", "TB", "PB" };
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1000) {
		snprintf(out, 16, "%lld B", (long long)(bytes < 0 ? 0 : bytes));
		return;
	}
	/* decimal units; one decimal below 100 so "8.1 MB" and "214 MB" */
	while (v >= 999.95 && u < 4) {
		v /= 1000.0;
		u++;
	}
	if (v < 99.95)
		snprintf(out, 16, "%.1f %s", v, units[u]);
	else
		snprintf(out, 16, "%.0f %s", v, units[u]);
}
