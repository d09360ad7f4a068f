#include <dirent.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "testlib.h"

/* snprintf that must not truncate: tests abort rather than use a cut path */
#define PRINT(buf, ...) do { \
	if ((size_t)snprintf((buf), sizeof(buf), __VA_ARGS__) >= sizeof(buf)) \
		abort(); \
} while (0)

void
pgal_test_mkdtemp(char out[PATH_MAX])
{
	const char *base = getenv("TMPDIR_TEST");

	snprintf(out, PATH_MAX, "%s/pgal-unit.XXXXXX", base != NULL ? base : "/tmp");
	if (mkdtemp(out) == NULL) {
		perror("mkdtemp");
		abort();
	}
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

void
pgal_test_rmdir(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void
pgal_test_config(pgal_config *c)
{
	pgal_config_defaults(c);
	pgal_test_mkdtemp(c->home);
	PRINT(c->sqlite_path, "%s/pgal.db", c->home);
	PRINT(c->blobs_dir, "%s/blobs", c->home);
	PRINT(c->outbox_dir, "%s/outbox", c->home);
}

const char *
pgal_test_fixtures_dir(void)
{
	const char *dir = getenv("PGAL_FIXTURES");

	return dir != NULL && *dir != '\0' ? dir : "build/fixtures";
}

const char *
pgal_test_fixture(const char *name)
{
	static char path[PATH_MAX];

	PRINT(path, "%s/%s", pgal_test_fixtures_dir(), name);
	return path;
}

void
pgal_test_outbox_code(const pgal_config *c, char out[32])
{
	char newest[PATH_MAX] = "", path[PATH_MAX], line[256];
	struct dirent *d;
	DIR *dir;
	FILE *f;

	out[0] = '\0';
	if ((dir = opendir(c->outbox_dir)) == NULL)
		return;
	struct timespec best = { 0, 0 };
	struct stat st;

	while ((d = readdir(dir)) != NULL) {
		if (strstr(d->d_name, ".eml") == NULL)
			continue;
		PRINT(path, "%s/%s", c->outbox_dir, d->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (st.st_mtim.tv_sec > best.tv_sec ||
		    (st.st_mtim.tv_sec == best.tv_sec && st.st_mtim.tv_nsec >= best.tv_nsec)) {
			best = st.st_mtim;
			snprintf(newest, sizeof newest, "%s", d->d_name);
		}
	}
	closedir(dir);
	if (newest[0] == '\0')
		return;
	PRINT(path, "%s/%s", c->outbox_dir, newest);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strlen(line) == 10 && strspn(line, "23456789ABCDEFGHJKMNPQRSTUVWXYZ") == 10)
			memcpy(out, line, 11); /* 10 characters and the NUL */
	}
	fclose(f);
}

void
pgal_test_outbox_clear(const pgal_config *c)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dir;

	if ((dir = opendir(c->outbox_dir)) == NULL)
		return;
	while ((d = readdir(dir)) != NULL)
		if (strstr(d->d_name, ".eml") != NULL) {
			PRINT(path, "%s/%s", c->outbox_dir, d->d_name);
			unlink(path);
		}
	closedir(dir);
}

static int nfiles;

static int
count_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path; (void)st; (void)ftw;
	if (flag == FTW_F)
		nfiles++;
	return 0;
}

int
pgal_test_count_files(const char *dir)
{
	nfiles = 0;
	nftw(dir, count_entry, 16, FTW_PHYS);
	return nfiles;
}

static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
pgal_test_wait(double seconds, const char *what, int (*cond)(void *arg), void *arg)
{
	const double step = 0.01;
	double deadline = mono_now() + seconds, left;
	struct timespec nap;
	int r;

	for (;;) {
		if ((r = cond(arg)) > 0)
			return 0;
		if (r < 0)
			return -1;
		if ((left = deadline - mono_now()) <= 0)
			break;
		if (left > step)
			left = step;
		nap.tv_sec = 0;
		nap.tv_nsec = (long)(left * 1e9);
		nanosleep(&nap, NULL);
	}
	print_error("ERROR: timed out after %g s waiting for %s\n", seconds, what);
	return -1;
}
