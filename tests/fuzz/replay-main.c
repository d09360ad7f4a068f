/* A main for the libFuzzer harnesses (fuzz/NAME.c) in the gcc builds: runs
 * the harness once over each file named, or over each file of each folder
 * named, so the corpus and the kept crashes are replayed by `make test`
 * (also under ASan+UBSan) without clang. A crashing input ends the run
 * through the sanitizer, or a signal, as it would under libFuzzer.
 * Prints "N inputs" at the end. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* an input larger than this is no fuzz case (libFuzzer's -max_len is far less) */
#define INPUT_MAX (16 * 1024 * 1024)

static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) == -1 || (n = ftell(f)) < 0 ||
	    n > INPUT_MAX || fseek(f, 0, SEEK_SET) == -1) {
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		return -1;
	}
	/* exactly n bytes in a buffer of n: ASan sees a read past the input */
	if ((buf = malloc(n > 0 ? (size_t)n : 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "%s: cannot read\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	fprintf(stderr, "replay %s\n", path);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	int i, count = 0, bad = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		struct stat st;
		struct dirent **names;
		int n, j;

		if (stat(argv[i], &st) == -1) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			bad = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (replay_file(argv[i]) == -1)
				bad = 1;
			else
				count++;
			continue;
		}
		if ((n = scandir(argv[i], &names, NULL, alphasort)) < 0) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			bad = 1;
			continue;
		}
		for (j = 0; j < n; j++) {
			char path[4096];

			if (names[j]->d_name[0] != '.') {
				snprintf(path, sizeof path, "%s/%s", argv[i], names[j]->d_name);
				if (replay_file(path) == -1)
					bad = 1;
				else
					count++;
			}
			free(names[j]);
		}
		free(names);
	}
	printf("%d inputs\n", count);
	return bad;
}
