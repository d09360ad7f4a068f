/* A remote command line, as `ssh alice@host COMMAND` sends it: split into
 * words as the exec channel splits it (no shell), the command looked up in
 * the table, its options and arguments parsed against the command's own
 * spec, and its targets (ALBUM, ALBUM/PHOTO...) resolved, all before the
 * command would run. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "text.h"
#include "gallery.h"
#include "sshd.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The option values a command parses further: numbers, a time to live,
 * a sort key, tags. */
static void
read_values(const pgal_args *a)
{
	char tags[PGAL_TAGS_MAX + 1];
	const char *v;
	pgal_sort sort;
	int64_t n;
	pgal_err e;

	pgal_args_get_int(a, "min-age", 0, &n, &e);
	if ((v = pgal_args_get(a, "ttl")) != NULL)
		pgal_share_parse_ttl(v, &n, &e);
	pgal_cmd_parse_sort(pgal_args_get(a, "sort"), &sort);
	if ((v = pgal_args_get(a, "tags")) != NULL)
		pgal_tags_normalize(v, tags, &e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const pgal_cmd_entry *c;
	pgal_cmd_target *targets = NULL;
	char *line = fuzz_text(data, size), **argv;
	pgal_args a;
	pgal_err e;
	int argc, n;

	pgal_err_clear(&e);
	if ((argc = sshd_words_split(line, &argv, &e)) > 0) {
		for (n = 0; n < argc; n++)
			if (argv[n] == NULL)
				abort();
		if (argv[argc] != NULL)
			abort();
		if ((c = pgal_cmd_find(argv[0])) != NULL &&
		    pgal_args_parse(&a, c->options, argc - 1, argv + 1, &e) == PGAL_OK) {
			read_values(&a);
			if (pgal_cmd_targets(c, &a, &targets, &n, &e) == PGAL_OK)
				free(targets);
			pgal_args_free(&a);
		}
	}
	sshd_words_free(argc >= 0 ? argv : NULL);
	free(line);
	return 0;
}
