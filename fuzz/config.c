/* pgal.conf as the parser reads it from a file (here a memfd named by its
 * /proc/self/fd path): lines, keys, quotes, numbers, sizes, booleans and
 * the ssh_max_startups triple. The PGAL_* variables are cleared first so
 * only the file counts. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

extern char **environ;

static int fd = -1;
static char path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t i = 0;

	/* unset one at a time: environ shrinks under the loop */
	while (environ[i] != NULL) {
		char name[256];
		size_t n = strcspn(environ[i], "=");

		if (strncmp(environ[i], "PGAL_", 5) == 0 && n < sizeof name) {
			memcpy(name, environ[i], n);
			name[n] = '\0';
			unsetenv(name);
		} else
			i++;
	}
	if ((fd = memfd_create("pgal.conf", MFD_CLOEXEC)) == -1)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pgal_config *c = malloc(sizeof *c);
	pgal_err e;

	if (c == NULL)
		abort();
	if (ftruncate(fd, 0) == -1 || (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	pgal_err_clear(&e);
	if (pgal_config_load(c, path, &e) == PGAL_OK) {
		/* what every front end relies on after a load */
		if (c->home[0] != '/' || c->sqlite_path[0] != '/' ||
		    c->thumb_px > c->preview_px || memchr(c->home, '\0', sizeof c->home) == NULL)
			abort();
	} else if (e.msg[0] == '\0')
		abort();
	free(c);
	return 0;
}
