/* pgal-sshd: the gallery over SSH. One listener process accepts and forks a
 * connection process per client (like OpenSSH); the connection process does
 * the key exchange, authentication and channels with libssh, and forks a
 * child per shell (the TUI on a pty) or exec (a command, scp) channel. */
#ifndef PGAL_SSHD_H
#define PGAL_SSHD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "config.h"
#include "gallery.h"

/* Server settings: the gallery's config plus the SSH keys of it. */
struct sshd_opts {
	const char *config_path; /* -f, or NULL */
	const char *port;        /* -p, or NULL: the config's */
	const char *addr;        /* -l, or NULL: the config's */
	int foreground;          /* -D */
};

/* ---- log.c ---- */
void sshd_log_init(int use_syslog);
/* Where stderr logs go (a child whose stderr is a channel keeps a copy). */
void sshd_log_set_fd(int fd);
void sshd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A peer address as "1.2.3.4" or "::1" for logs and limits. */
void sshd_addr_str(const struct sockaddr_storage *ss, char *buf, size_t size);

/* ---- hostkey.c ---- */
/* Makes PGAL_HOME/ssh_host_ed25519_key (0600) unless it exists; fills path. */
int sshd_hostkey_ensure(const pgal_config *cfg, char *path, size_t size);

/* ---- limits.c: per source address bookkeeping in the listener ---- */
struct sshd_limits {
	int max_startups; /* unauthenticated connections at once */
	int per_addr;     /* connections at once from one address */
	int max_sessions; /* connections at once in all */
};
/* 0 to accept a connection from addr, -1 to refuse (reason set). On accept
 * *penalty_ms is the delay its failed logins earned. */
int sshd_limits_admit(const struct sshd_limits *l, const char *addr, int *penalty_ms,
		      const char **reason);
void sshd_limits_authed(const char *addr);
void sshd_limits_failed(const char *addr);
void sshd_limits_gone(const char *addr, int authed);

/* ---- listener.c ---- */
int sshd_listen_run(const struct sshd_opts *o, pgal_config *cfg);
/* Applies -p and -l to cfg; -1 after printing why. */
int sshd_listen_overrides(const struct sshd_opts *o, pgal_config *cfg);

/* ---- session.c: the connection process ---- */
struct sshd_conn_args {
	int fd;              /* the accepted socket */
	int report_fd;       /* to the listener: 'A' authenticated, 'F' failed */
	const char *hostkey; /* path */
	const char *peer;    /* address for logs */
	int penalty_ms;      /* delay before every failure reply */
	const pgal_config *cfg;
};
/* Never returns. */
void sshd_conn_main(const struct sshd_conn_args *a) __attribute__((noreturn));

/* ---- exec.c: exec channel children ---- */
/* Splits a command line like a POSIX shell would with quotes and
 * backslashes but no expansions. Returns argc, or -1 (message in err). */
int sshd_split_words(const char *line, char ***argv, char *err, size_t errsz);
void sshd_free_words(char **argv);
/* In an exec child: runs the words (a gallery command or scp), stdin/out/err
 * are the channel. Returns the exit status. */
int sshd_exec_child(const pgal_config *cfg, const char *token, const char *user, int argc,
		    char **argv);

/* ---- scp.c ---- */
int sshd_scp(pgal *g, const char *token, const char *user, int argc, char **argv);

/* ---- sftp.c ---- */
struct sftp_session_struct;
struct sshd_sftp;
struct sshd_sftp *sshd_sftp_new(pgal *g, const char *token, const char *user,
				struct sftp_session_struct *sftp);
/* Handles one client message; -1 when the channel is done. */
int sshd_sftp_step(struct sshd_sftp *s);
void sshd_sftp_free(struct sshd_sftp *s);

/* ---- spool.c: private temporary files for uploads and downloads ---- */
/* An unnamed file in PGAL_HOME/spool (0700); it vanishes when closed or
 * when the process dies. path gets a name that opens it (/proc/self/fd/N). */
int sshd_spool_open(const pgal_config *cfg, char *path, size_t size);

/* ---- quota: core/quota.h ---- */

#endif
