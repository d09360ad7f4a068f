/* remote: runs the TUI the way the SSH server will, with remote = 1 and
 * no session persistence, on this terminal; the session token comes from
 * the saved session. For test-remote.sh.
 *
 * usage: remote SSH_USER SSH_HOST SSH_PORT */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "gallery.h"
#include "session-file.h"
#include "tui.h"

int
main(int argc, char **argv)
{
	char token[PGAL_TOKEN_HEX + 1];
	pgal_tui_env env;
	pgal_config cfg;
	pgal_err e;
	pgal *g;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: remote SSH_USER SSH_HOST SSH_PORT\n");
		return 1;
	}
	setlocale(LC_ALL, "");
	if (pgal_config_load(&cfg, NULL, &e) != PGAL_OK || pgal_open(&g, &cfg, &e) != PGAL_OK ||
	    pgal_session_file_read(token, &e) != PGAL_OK) {
		fprintf(stderr, "remote: %s\n", e.msg);
		return 1;
	}
	memset(&env, 0, sizeof env);
	env.token = token;
	env.remote = 1;
	env.ssh_user = argv[1];
	env.ssh_host = argv[2];
	env.ssh_port = argv[3];
	env.persist_session = 0;
	env.in = stdin;
	env.out = stdout;
	rc = pgal_tui_run(g, &env);
	pgal_close(g);
	return rc == 0 ? 0 : 1;
}
