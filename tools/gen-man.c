/* gen-man commands|keys|tui-keys: the parts of the man pages that come
 * from pgal's own tables, so that the pages cannot drift from the programs.
 *   commands  the COMMANDS section of pgal(1), as groff, from the command
 *             table (usage, summary, help)
 *   keys      one line per pgal.conf key, tab-separated: name, kind, range,
 *             default; tools/man-keys.sh adds each key's description from
 *             core/config.h and makes pgal.conf(5)'s KEYS section
 *   tui-keys  the KEYS section of pgal-tui(1), as groff: per screen of
 *             tui/screens.c, the rows of its key table that help lists
 * A build tool; not installed. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "config.h"
#include "sanitize.h"
#include "screens.h"

/* text as groff reads it: backslashes doubled, '-' as \-, a line starting
 * with '.' or '\'' guarded, and a character beyond ASCII by its code point
 * (groff without preconv reads bytes as Latin-1) */
static void
roff(const char *s)
{
	size_t left = strlen(s), len;
	int bol = 1;
	uint32_t cp;

	for (; left > 0; s += len, left -= len) {
		/* an invalid byte (no table has one) shows as U+FFFD */
		if ((len = pgal_utf8_decode(s, left, &cp)) == 0) {
			len = 1;
			cp = 0xfffd;
		}
		if (bol && (cp == '.' || cp == '\''))
			fputs("\\&", stdout);
		if (cp == '\\')
			fputs("\\e", stdout);
		else if (cp == '-')
			fputs("\\-", stdout);
		else if (cp >= 0x80)
			printf("\\[u%04" PRIX32 "]", cp);
		else
			putchar((int)cp);
		bol = cp == '\n';
	}
}

static int
commands(void)
{
	const pgal_cmd_entry *const *c;

	for (c = pgal_cmd_table; *c != NULL; c++) {
		fputs(".TP\n\\fB", stdout);
		roff((*c)->name);
		fputs("\\fR", stdout);
		if ((*c)->usage != NULL && (*c)->usage[0] != '\0') {
			putchar(' ');
			roff((*c)->usage);
			roff(pgal_cmd_json_usage(*c));
		}
		putchar('\n');
		roff((*c)->summary);
		fputs(".\n", stdout);
		if ((*c)->help != NULL) {
			fputs(".br\n", stdout);
			roff((*c)->help);
			putchar('\n');
		}
	}
	return 0;
}

/* a size the way pgal.conf takes it: 200M rather than 209715200 */
static void
size_text(char *out, size_t n, int64_t v)
{
	static const char units[] = "kMGTP";
	int u = -1;

	while (v != 0 && v % 1024 == 0 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(out, n, "%" PRId64, v);
	else
		snprintf(out, n, "%" PRId64 "%c", v, units[u]);
}

static int
keys(void)
{
	pgal_config_key_desc d;
	char lo[32], hi[32], def[128];
	size_t i;

	for (i = 0; pgal_config_key_at(i, &d) == 0; i++) {
		lo[0] = hi[0] = '\0';
		snprintf(def, sizeof def, "%s", d.def);
		if (strcmp(d.kind, "size") == 0) {
			size_text(lo, sizeof lo, d.min);
			size_text(hi, sizeof hi, d.max);
			size_text(def, sizeof def, (int64_t)strtoll(d.def, NULL, 10));
		} else if (strcmp(d.kind, "number") == 0 ||
		    strcmp(d.kind, "start:rate:full") == 0) {
			snprintf(lo, sizeof lo, "%" PRId64, d.min);
			snprintf(hi, sizeof hi, "%" PRId64, d.max);
		}
		printf("%s\t%s\t%s%s%s\t%s\n", d.name, d.kind, lo, lo[0] ? " to " : "",
		    hi, def);
	}
	return 0;
}

/* The keys of row b as help shows them on screen sc (empty: help does not
 * list the row there); the shared rows with all their keys. */
static const char *
row_keys(const tui_screen *sc, const tui_binding *b, char *buf, size_t sz)
{
	buf[0] = '\0';
	if (b->help == NULL || b->help[0] == '\0')
		return buf;
	return tui_binding_text(b, sc->keys == tui_shared_keys ? NULL : sc->keys, 0, buf, sz);
}

/* columns of UTF-8 text: its characters (the key names are one column each) */
static size_t
columns(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Per screen a subsection; per row help lists, the keys in bold (named from
 * the row's key codes, as help names them), then what they do, in two
 * columns as help draws them, the first as wide as the screen's widest
 * keys; the rows close together. */
static int
tui_keys(void)
{
	const tui_screen *sc;
	const tui_binding *b;
	char keys[TUI_KEYS_TEXT];
	size_t w;

	for (sc = tui_screens; sc->name != NULL; sc++) {
		w = 8;
		for (b = sc->keys; b->run != NULL; b++)
			if (columns(row_keys(sc, b, keys, sizeof keys)) + 2 > w)
				w = columns(keys) + 2;
		/* a gap above the heading, none between the rows */
		fputs(".PD\n.SS ", stdout);
		roff(sc->name);
		fputs("\n.PD 0\n", stdout);
		for (b = sc->keys; b->run != NULL; b++) {
			if (row_keys(sc, b, keys, sizeof keys)[0] == '\0')
				continue;
			printf(".TP %zun\n\\fB", w);
			roff(keys);
			fputs("\\fR\n", stdout);
			roff(b->help);
			putchar('\n');
		}
	}
	fputs(".PD\n", stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "commands") == 0)
		return commands();
	if (argc == 2 && strcmp(argv[1], "keys") == 0)
		return keys();
	if (argc == 2 && strcmp(argv[1], "tui-keys") == 0)
		return tui_keys();
	fprintf(stderr, "usage: gen-man commands|keys|tui-keys\n");
	return 2;
}
