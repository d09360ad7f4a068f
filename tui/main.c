/* pgal-tui: the local terminal gallery. Reuses the session `pgal login`
 * saved (or $PGAL_TOKEN), else starts at the welcome screen. */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "gallery.h"
#include "session-file.h"
#include "limits/throttle.h"
#include "tui.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: pgal-tui [-f pgal.conf]\n"
	    "  -f pgal.conf   the configuration (default: PGAL_CONFIG, else built-in)\n"
	    "  -h, --help     this help;  -V, --version   the version\n"
	    "  PGAL_TUI_GRAPHICS=auto|symbols|sixel|kitty   preview output\n"
	    "  NO_COLOR=1   monochrome;  COLORTERM=truecolor   24-bit colour\n"
	    "Inside, ? lists the keys of every screen.\n");
}

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

int
main(int argc, char **argv)
{
	char token[PGAL_TOKEN_HEX + 1];
	const char *config_path = NULL;
	pgal_tui_env env;
	pgal_config cfg;
	pgal_err e;
	pgal *g;
	int c, rc, have_token;

	setlocale(LC_ALL, "");
	while ((c = getopt_long(argc, argv, "f:hV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			config_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("pgal-tui %s\n", PGAL_VERSION);
			return 0;
		default:
			usage(stderr);
			return PGAL_EUSAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return PGAL_EUSAGE;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "pgal-tui: needs a terminal (for scripts, use pgal)\n");
		return PGAL_EUSAGE;
	}
	if (pgal_config_load(&cfg, config_path, &e) != PGAL_OK) {
		fprintf(stderr, "pgal-tui: %s\n", e.msg);
		return e.code;
	}
	if (pgal_open(&g, &cfg, &e) != PGAL_OK) {
		fprintf(stderr, "pgal-tui: %s\n", e.msg);
		return e.code;
	}
	pgal_set_client(g, NULL, "tui", pgal_log_syslog, NULL);
	have_token = pgal_session_file_read(token, &e) == PGAL_OK;
	if (!have_token && e.code == PGAL_EDENIED)
		fprintf(stderr, "pgal-tui: %s\n", e.msg); /* e.g. a group-readable file */

	memset(&env, 0, sizeof env);
	env.token = have_token ? token : NULL;
	env.persist_session = 1;
	env.in = stdin;
	env.out = stdout;
	rc = pgal_tui_run(g, &env) == 0 ? 0 : PGAL_EBACKEND;
	explicit_bzero(token, sizeof token);
	pgal_close(g);
	return rc;
}
