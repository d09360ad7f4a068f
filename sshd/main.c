/* pgal-sshd [-D] [-f pgal.conf] [-p PORT] [-l ADDRESS]: the gallery over SSH. */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sshd.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: pgal-sshd [-D] [-f pgal.conf] [-p port] [-l address]\n"
	    "  -D             stay in the foreground, log to stderr\n"
	    "  -f pgal.conf   the configuration (default: PGAL_CONFIG, else built-in)\n"
	    "  -p port        listen on this port (ssh_port)\n"
	    "  -l address     listen on this address (ssh_listen)\n"
	    "  -h, --help     this help;  -V, --version   the version\n");
}

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

int
main(int argc, char **argv)
{
	struct sshd_opts o;
	pgal_config cfg;
	pgal_err e;
	int ch;

	setlocale(LC_CTYPE, "C.UTF-8");
	memset(&o, 0, sizeof o);
	while ((ch = getopt_long(argc, argv, "Df:hl:p:V", long_opts, NULL)) != -1) {
		switch (ch) {
		case 'D':
			o.foreground = 1;
			break;
		case 'f':
			o.config_path = optarg;
			break;
		case 'l':
			o.addr = optarg;
			break;
		case 'p':
			o.port = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("pgal-sshd %s\n", PGAL_VERSION);
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
	if (pgal_config_load(&cfg, o.config_path, &e) != PGAL_OK) {
		fprintf(stderr, "pgal-sshd: %s\n", e.msg);
		return e.code;
	}
	if (sshd_listen_overrides(&o, &cfg) == -1)
		return PGAL_EUSAGE;
	/* a store pgal init has not made fails here, with its reason, not
	 * on every connection */
	if ((ch = sshd_gallery_check(&cfg)) != 0)
		return ch;
	if (!o.foreground) {
		/* a daemon has no terminal: logs go to syslog */
		if (daemon(1, 0) == -1) {
			perror("pgal-sshd: daemon");
			return PGAL_EBACKEND;
		}
		cfg.ssh_syslog = 1;
	}
	sshd_log_init(cfg.ssh_syslog, cfg.ssh_syslog_socket);
	return sshd_listen_run(&o, &cfg);
}
