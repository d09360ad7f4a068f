/* A command line split into words the way a POSIX shell would with quotes
 * and backslashes, but with no expansions, and refusing what would need a
 * shell (pipes, redirections, substitutions): exec channels run no shell. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "sshd.h"

#define WORDS_MAX 4096

void
sshd_words_free(char **argv)
{
	char **p;

	if (argv == NULL)
		return;
	for (p = argv; *p != NULL; p++)
		free(*p);
	free(argv);
}

int
sshd_words_split(const char *line, char ***out, pgal_err *e)
{
	size_t len = strlen(line), n = 0, cap = 0, wl;
	char **argv = NULL, *w = NULL;
	const char *p = line;
	int quote;

	*out = NULL;
	if (PGAL_GROW(argv, cap, 1) == -1)
		goto nomem;
	argv[0] = NULL;
	if ((w = malloc(len + 1)) == NULL)
		goto nomem;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		wl = 0;
		quote = 0;
		while (*p != '\0') {
			char ch = *p;

			if (quote == 0 && (ch == ' ' || ch == '\t' || ch == '\n'))
				break;
			if (quote == 0 && (ch == '\'' || ch == '"')) {
				quote = ch;
				p++;
			} else if (quote != 0 && ch == quote) {
				quote = 0;
				p++;
			} else if (ch == '\\' && quote != '\'' && p[1] != '\0') {
				/* inside "..." a backslash only escapes these */
				if (quote == '"' && strchr("\\\"$`", p[1]) == NULL)
					w[wl++] = ch;
				w[wl++] = p[1];
				p += 2;
			} else if (quote == 0 && strchr("|&;<>()$`", ch) != NULL) {
				pgal_fail(e, PGAL_EUSAGE, "'%c' is not supported: commands run "
				    "without a shell", ch);
				goto fail;
			} else {
				w[wl++] = ch;
				p++;
			}
		}
		if (quote != 0) {
			pgal_fail(e, PGAL_EUSAGE, "unmatched %c in command", quote);
			goto fail;
		}
		if (n == WORDS_MAX) {
			pgal_fail(e, PGAL_EUSAGE, "too many words in command");
			goto fail;
		}
		/* the word and the NULL after it */
		if (PGAL_GROW(argv, cap, n + 2) == -1)
			goto nomem;
		if ((argv[n] = strndup(w, wl)) == NULL)
			goto nomem;
		argv[++n] = NULL;
	}
	free(w);
	*out = argv;
	return (int)n;
nomem:
	pgal_fail(e, PGAL_EBACKEND, "out of memory");
fail:
	free(w);
	sshd_words_free(argv);
	return -1;
}
