/* The C benchmark drivers' timing: a monotonic clock and the same median
 * as the scripts' (bench/timing.sh, which holds the rules: one warm-up round,
 * interleaved rounds, medians, the ratio line). Built with each driver by
 * bench_cc (bench/setup.sh). */
#ifndef PGAL_BENCH_TIMING_H
#define PGAL_BENCH_TIMING_H

#include <stddef.h>

/* warm-up rounds a driver runs and discards before its timed ones */
#define BENCH_WARMUP 1

/* A monotonic clock in milliseconds: only differences mean anything. */
double bench_now_ms(void);

/* The median of the n (at least 1) values of v, which it sorts: the middle
 * one, or the mean of the middle two. */
double bench_median(double *v, size_t n);

#endif
