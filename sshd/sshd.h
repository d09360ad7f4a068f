/* pgal-sshd: the gallery over SSH. One listener process accepts and forks a
 * connection process per client (like OpenSSH); the connection process does
 * the key exchange, authentication and channels with libssh, and forks a
 * child per shell (the TUI on a pty) or exec (a command, scp) channel.
 *
 * Names: a module of several files has its own header and prefix, used
 * here too: conn_ (conn*.c, conn.h), chan_ (chan*.c, chan.h), sftpd_
 * (sftp*.c, sftp-int.h; never libssh's sftp_). A module of one file is
 * sshd_<module>_ (sshd_log, sshd_limits_, sshd_iq_ for ingest-queue.c...),
 * and reader_ for the bounded reader. */
#ifndef PGAL_SSHD_H
#define PGAL_SSHD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "clock.h"
#include "config.h"
#include "gallery.h"

/* Server settings: the gallery's config plus the SSH keys of it. */
struct sshd_opts {
	const char *config_path; /* -f, or NULL */
	const char *port;        /* -p, or NULL: the config's */
	const char *addr;        /* -l, or NULL: the config's */
	int foreground;          /* -D */
};

/* A connection process' exit status when its login grace time ran out. */
#define SSHD_EXIT_GRACE 3
/* Room for a peer address or a limits key ("2001:db8:1:2::/64"). */
#define SSHD_ADDR_MAX 64

/* ---- log.c ---- */
/* To stderr, or to the syslog daemon's datagram socket at socket_path. */
void sshd_log_init(int use_syslog, const char *socket_path);
/* Where stderr logs go (a child whose stderr is a channel keeps a copy). */
void sshd_log_set_fd(int fd);
int sshd_log_fd(void);
void sshd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A peer address as "1.2.3.4" or "::1" for logs and limits. */
void sshd_log_addr(const struct sockaddr_storage *ss, char *buf, size_t size);

/* ---- gallery.c: the connection's gallery, opened when first needed ---- */
/* One per connection; closed before every fork, as SQLite handles must not
 * cross one: each process of the connection opens its own through it. */
struct sshd_gallery {
	const pgal_config *cfg;
	pgal *g; /* NULL until needed, and again after a fork */
	/* who calls, for the password throttle and its log lines */
	const char *peer; /* the client's address */
	const char *door; /* "ssh", then "tui" or "exec" in a channel's process */
};
/* The gallery, opened if need be; NULL (e set) when it cannot be. */
pgal *sshd_gallery_get(struct sshd_gallery *sg, pgal_err *e);
/* For a door that cannot go on without it (sftp, scp): the gallery, or
 * the process ends after logging why. */
pgal *sshd_gallery_need(struct sshd_gallery *sg, const char *door);
/* Closes it (before a fork, at the end); the next get opens it again. */
void sshd_gallery_close(struct sshd_gallery *sg);
/* A probe (probe.c) that opens the gallery of arg (a pgal_config) and
 * closes it: PGAL_OK, or why the store or the blobs cannot be used. The
 * listener keeps no gallery state: the start check and the health checks
 * run this in a child. */
int sshd_gallery_probe(const void *cfg, char *out, size_t size, size_t *len, pgal_err *e);
/* At start, before listening, so that a store `pgal init` has not made
 * fails the start: 0, or a pgal_code after printing why on stderr. */
int sshd_gallery_check(const pgal_config *cfg);

/* ---- child.c: the one way a connection forks a process ---- */
struct sshd_child_fds {
	int in, out, err; /* the child's 0, 1 and 2; -1: /dev/null */
	int tty;          /* in is a pty slave: the child's terminal, on 0, 1 and 2 */
	int extra;        /* kept as SSHD_CHILD_EXTRA_FD; -1: none */
	/* ignores SIGHUP, SIGTERM, SIGINT and SIGPIPE: it finishes what it
	 * was given after the client and the connection are gone */
	int detached;
};
#define SSHD_CHILD_LOG_FD 3 /* the server log, in every child */
#define SSHD_CHILD_EXTRA_FD 4
/* Forks after closing sg's gallery. The child holds fds as told, the log
 * and nothing else, with the signals the connection handles at their
 * defaults and no alarm; it exits 1 when that fails. Returns as fork. */
pid_t sshd_child_fork(struct sshd_gallery *sg, const struct sshd_child_fds *fds);
/* In a child: the signals the connection and the listener handle back to
 * their defaults (SIGHUP, SIGTERM, SIGPIPE and SIGINT ignored when
 * detached), SIGUSR1 unblocked, no alarm. */
void sshd_child_signals(int detached);
/* In a helper the listener forks (probe.c): keeps 0, 1, 2 and *fd (moved
 * to 3), closes the rest (the listening sockets above all: a helper that
 * outlives the listener must not keep its port from the next one). */
void sshd_keep_fd_only(int *fd);

/* ---- probe.c: a short-lived child for what the listener must not do ---- */
/* Runs in the child: fills out (size bytes at most, *len of them) and
 * returns PGAL_OK, or returns a pgal_code with e saying why. */
typedef int (*sshd_probe_fn)(const void *arg, char *out, size_t size, size_t *len,
			     pgal_err *e);
struct sshd_probe {
	const char *what; /* names it in its own errors: "host key" */
	pid_t pid;
	int fd;           /* its pipe, non-blocking: poll it for POLLIN */
	int secs;         /* its alarm */
	int64_t started_ms;
	char *out;        /* the result, size bytes at most */
	size_t size, got;
	char code;        /* the answer's first byte, 0 until it came */
	int eof;
	char reason[sizeof ((pgal_err *)0)->msg];
};
/* Forks the child that runs fn(arg) with child.c's signals, an alarm of
 * secs, and 0, 1, 2 and its pipe only. PGAL_OK, or e says why not. */
int sshd_probe_start(struct sshd_probe *p, const char *what, sshd_probe_fn fn,
		     const void *arg, int secs, char *out, size_t size, pgal_err *e);
/* Reads what came: 1 when the answer is complete, 0 to poll again. */
int sshd_probe_read(struct sshd_probe *p);
/* When its parent stops waiting for it (pgal_now_ms's clock). */
int64_t sshd_probe_due_ms(const struct sshd_probe *p);
/* Ends it (killed if it has not finished; reaped with reap, else the
 * caller's waitpid(-1) collects it): PGAL_OK with *len bytes in out, or
 * its code with e saying why (out wiped). */
int sshd_probe_end(struct sshd_probe *p, int reap, size_t *len, pgal_err *e);
/* Start, wait for the answer and end, in one. */
int sshd_probe_run(const char *what, sshd_probe_fn fn, const void *arg, int secs,
		   char *out, size_t size, size_t *len, pgal_err *e);

/* ---- vpath.c: paths in the virtual tree, for SFTP and scp ---- */
struct sshd_vpath {
	int depth; /* 0 root, 1 album, 2 photo */
	char album[PGAL_ALBUM_MAX + 1];
	char photo[PGAL_PHOTO_NAME_MAX + 1];
};
/* A client path: empty and "." components skipped; "..", control
 * characters and broken UTF-8 refused; at most ALBUM/PHOTO. Relative
 * paths start at the root (the client's home). PGAL_OK, or PGAL_EINPUT
 * with the reason in e. */
int sshd_vpath_parse(const char *in, struct sshd_vpath *v, pgal_err *e);
/* The canonical absolute form of a client path, ".." resolved lexically
 * (SFTP's REALPATH); -1 if it is not one or does not fit. */
int sshd_vpath_real(const char *in, char *out, size_t size);

/* ---- hostkey.c ---- */
/* The host key as text (*pem, for sshd_hostkey_free): ssh_host_key, or
 * PGAL_HOME/ssh_host_ed25519_key made (0600) unless it exists; read and
 * checked in a child. -1 after logging why. */
int sshd_hostkey_load(const pgal_config *cfg, char **pem);
/* Wipes and frees it. */
void sshd_hostkey_free(char *pem);

/* ---- proxy-header.c: the PROXY protocol header (v1 text, v2 binary) ---- */
#define SSHD_PROXY_V1_MAX 107   /* a v1 line at most, CRLF included (the spec's) */
#define SSHD_PROXY_V2_FIXED 16  /* signature, version and command, family, length */
#define SSHD_PROXY_V2_MAX 4096  /* a v2 header this server takes at most, TLVs included */
#define SSHD_PROXY_HDR_MAX SSHD_PROXY_V2_MAX
enum { SSHD_PROXY_BAD = -1, SSHD_PROXY_MORE = 0, SSHD_PROXY_DONE = 1 };
struct sshd_proxy_hdr {
	size_t len;  /* the header's bytes, to take off the connection */
	int version; /* 1 or 2 */
	/* the balancer speaking for itself (v2 LOCAL, v1 UNKNOWN): its health
	 * checks; src is not set */
	int local;
	/* a client whose address the header does not give (v2 UNSPEC, UNIX
	 * or DGRAM): the connection's own address stands; src is not set */
	int unspec;
	struct sockaddr_storage src; /* the client, port included */
};
/* The n bytes received so far: SSHD_PROXY_DONE with *h filled when they
 * start with a whole valid header, SSHD_PROXY_MORE when they could still
 * become one, SSHD_PROXY_BAD when they cannot. */
int sshd_proxy_parse(const void *data, size_t n, struct sshd_proxy_hdr *h);
/* 1 when the n bytes (n > 0) start like a PROXY header of either version. */
int sshd_proxy_looks_like(const void *data, size_t n);

/* ---- proxy-trusted.c: ssh_proxy_trusted, a list of CIDR blocks ---- */
#define SSHD_CIDRS_MAX 64
struct sshd_cidr {
	int family; /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	int bits;
};
struct sshd_cidrs {
	size_t n;
	struct sshd_cidr c[SSHD_CIDRS_MAX];
};
/* Entries separated by commas or spaces: PGAL_OK, or PGAL_EINPUT naming
 * the entry that is not an address or address/bits. */
int sshd_cidrs_parse(const char *list, struct sshd_cidrs *out, pgal_err *e);
/* 1 when the address is in one of the blocks. */
int sshd_cidrs_match(const struct sshd_cidrs *l, const struct sockaddr_storage *ss);

/* ---- proxy-wait.c: connections from trusted balancers until their
 * PROXY header is in ---- */
#define SSHD_PROXY_WAIT_MS 3000      /* for the whole header */
/* then for the client's first byte: a check hangs up first, a client that
 * waits for the server's line is served after this */
#define SSHD_PROXY_FIRST_BYTE_MS 500
#define SSHD_PROXY_WAITING_MAX 256   /* connections waiting at once */
enum {
	SSHD_WAIT_MORE,   /* still waiting */
	SSHD_WAIT_CLIENT, /* the header is in: *fd and *client are the caller's */
	SSHD_WAIT_LOCAL,  /* the balancer's own check: answered and closed */
	SSHD_WAIT_GONE,   /* closed before sending a byte (a check): closed */
	SSHD_WAIT_BAD,    /* no valid header: closed, e says why */
};
/* Holds fd from the balancer at from; -1 when SSHD_PROXY_WAITING_MAX are
 * waiting already (the caller closes it). */
int sshd_wait_add(int fd, const struct sockaddr_storage *from, int64_t now_ms);
size_t sshd_wait_count(void);
int sshd_wait_fd(size_t i);
/* Reads what the i-th sent (its fd polled readable); but for MORE it is
 * no longer held, and the last one takes index i. *from: the balancer;
 * *client: the header's client (the balancer's address when the header
 * gives none). */
int sshd_wait_step(size_t i, int *fd, struct sockaddr_storage *client,
		   struct sockaddr_storage *from, pgal_err *e);
/* Ends the waits that are over, calling expired for each: with fd -1 (and
 * client NULL) for one whose header did not come, closed; with its fd (the
 * caller's now) and client for one whose client said nothing yet. Returns
 * the ms until the next one is due, or -1 when none waits. */
int sshd_wait_expire(int64_t now_ms, void (*expired)(int fd, const struct sockaddr_storage *client,
    const struct sockaddr_storage *from, void *arg), void *arg);
/* In a forked child: the descriptors are not its own. */
void sshd_wait_close_fds(void);
/* The listener ends: closes and forgets them all. */
void sshd_wait_end(void);

/* ---- health.c: ssh_health_port, HTTP health checks in the listener ---- */
struct pollfd;
/* Opens (or, the port changed, moves) the health listener through
 * open_listener; nothing when the port is 0. -1 when it cannot listen. */
int sshd_health_open(const pgal_config *cfg, int (*open_listener)(const char *addr, int port));
/* The descriptors to poll: sshd_health_nfds() of them into p. */
size_t sshd_health_nfds(void);
size_t sshd_health_fds(struct pollfd *p);
/* After poll, with those n entries (or none): answers requests, runs the
 * check. Returns the ms until it needs a turn again, or -1. */
int sshd_health_step(const struct pollfd *p, size_t n, const pgal_config *cfg);
/* SIGTERM came: from now on 503, so no new client is sent here. */
void sshd_health_stopping(void);
/* In a forked child: the descriptors are not its own. */
void sshd_health_close_fds(void);

/* ---- limits.c: per source address bookkeeping in the listener ---- */
struct sshd_limits {
	int max_startups; /* unauthenticated connections at once before early drop */
	int per_addr;     /* connections at once from one source (guests apart) */
	int max_sessions; /* connections at once in all, guests apart */
	int startups_rate; /* drop probability at max_startups, percent */
	int startups_full; /* unauthenticated connections held at most */
	int max_guests;    /* guest connections at once in all */
};
/* What a connection is to the limits: it starts unauthenticated, then
 * becomes a user's (it keeps its slot) or a guest's (it moves to the
 * guests' pool). */
enum sshd_conn_state { SSHD_CONN_UNAUTH, SSHD_CONN_USER, SSHD_CONN_GUEST };
/* The source a connection counts against: the IPv4 address, or the /64 of
 * an IPv6 one ("2001:db8:1:2::/64"). */
void sshd_limits_key(const struct sockaddr_storage *ss, char *buf, size_t size);
/* PGAL_OK to accept a connection from addr, else a code with the reason in
 * e. On accept *penalty_ms is the delay its failed logins earned. */
int sshd_limits_admit(const struct sshd_limits *l, const char *addr, int *penalty_ms,
		      pgal_err *e);
/* 1 when a connection from addr would be refused only because all
 * connections or all unauthenticated ones are taken and addr holds no
 * unauthenticated one: ending one that is (sshd_limits_gone) makes room
 * for it. */
int sshd_limits_full(const struct sshd_limits *l, const char *addr);
/* 1 from max_startups unauthenticated connections on. */
int sshd_limits_pressure(const struct sshd_limits *l);
/* Unauthenticated connections from addr now. */
int sshd_limits_unauth_of(const char *addr);
/* A connection from addr logged in as a user: it also ends that source's
 * penalty. */
void sshd_limits_user(const char *addr);
/* One logged in as the guest moves to the guests' pool; PGAL_OK, or the
 * pool (or the source's share of it) is over its limit and e says which:
 * the caller ends the connection, then calls sshd_limits_gone as usual. */
int sshd_limits_guest(const struct sshd_limits *l, const char *addr, pgal_err *e);
void sshd_limits_failed(const char *addr);
void sshd_limits_gone(const char *addr, enum sshd_conn_state state);

/* ---- listener.c ---- */
int sshd_listen_run(const struct sshd_opts *o, pgal_config *cfg);
/* Applies -p and -l to cfg; -1 after printing why. */
int sshd_listen_overrides(const struct sshd_opts *o, pgal_config *cfg);

/* ---- conn.c: the connection process (conn.h) ---- */
struct conn_args {
	int fd;              /* the accepted socket */
	/* to the listener, one letter each: 'V' the client's version string
	 * came, 'K' key exchange done, 'F' a login failed, 'A' a user logged
	 * in, 'G' the guest did */
	int report_fd;
	const char *hostkey; /* the private key, as text */
	const char *peer;    /* address for logs */
	int penalty_ms;      /* delay before every failure reply */
	/* PROXY headers are taken, but not from this address: one that sends
	 * one is a client lying about being a balancer */
	int proxy_untrusted;
	const pgal_config *cfg;
};
/* Never returns. */
void conn_main(const struct conn_args *a) __attribute__((noreturn));

/* ---- words.c ---- */
/* Splits a command line like a POSIX shell would with quotes and
 * backslashes but no expansions. Returns argc (argv NULL-terminated, for
 * sshd_words_free), or -1 with e set. */
/* reach.c: the address clients reach this server at */
struct sshd_reach {
	char host[256];
	char port_buf[16];
	const char *port; /* NULL: 22 */
};
void sshd_reach(const pgal_config *cfg, struct sshd_reach *r);

int sshd_words_split(const char *line, char ***argv, pgal_err *e);
void sshd_words_free(char **argv);

/* ---- scp.c ---- */
int sshd_scp(struct sshd_gallery *sg, const char *token, const char *user, int argc,
	     char **argv);

/* ---- sftp*.c: the SFTP subsystem (sftp-int.h) ---- */
struct sftp_session_struct;
struct sftpd;
/* A connection's uploads over SFTP, shared by its SFTP channels: the
 * ingest queue and the spool their open handles hold. */
struct sftpd_uploads;
struct sftpd_uploads *sftpd_uploads_new(struct sshd_gallery *sg, const char *token,
					const char *user);
/* Once a loop: takes finished uploads in (handing the workers the next)
 * and ends an ingest that overran its time, also while the client sends
 * nothing. 1 while uploads are queued: the loop then comes back soon. */
int sftpd_uploads_tick(struct sftpd_uploads *u);
/* At the end of the connection: waits until every upload accepted over
 * SFTP is stored or refused (before the session's token is given up). */
void sftpd_uploads_free(struct sftpd_uploads *u);
/* Reads the client's INIT (whole in the channel) and sends the version
 * reply with the extensions the server answers; -1 on failure. */
int sftpd_server_init(struct sftp_session_struct *sftp);
/* An SFTP channel; sg is the connection's gallery. */
struct sftpd *sftpd_new(struct sftpd_uploads *u, struct sshd_gallery *sg, const char *token,
			const char *user, struct sftp_session_struct *sftp);
/* How many whole SFTP packets the channel's unread data starts with (libssh
 * reads a packet blocking, so only whole ones are handed to it), or -1 when
 * the next one declares a length no client sends. */
int sftpd_packets(const void *data, size_t len);
/* The reply to any message fits the client's window now: a reply is
 * never written when it would wait for the client to read. */
int sftpd_ready(struct sftpd *s);
/* Handles one client message; -1 when the channel is done. */
int sftpd_step(struct sftpd *s);
void sftpd_free(struct sftpd *s);

/* ---- ingest-queue.c: the full ingest of accepted uploads, in a worker
 * process, while the client goes on sending ---- */
/* Uploads queued at once per connection (each holds a spool descriptor):
 * also at most half the descriptor limit. */
#define SSHD_IQ_JOBS_MAX 1024
struct sshd_iq_job {
	uint32_t id;
	char album[PGAL_ALBUM_MAX + 1];
	char name[PGAL_PHOTO_NAME_MAX + 1];
	int64_t bytes;
	int64_t queued_at;
	int64_t mtime; /* the file's time as the client set it; 0: none */
	char sha256[PGAL_SHA256_HEX + 1]; /* when known at the close; else "" */
};
struct sshd_iq;
typedef void (*sshd_iq_fail_fn)(void *arg, const struct sshd_iq_job *j, const char *msg);
/* door ("sftp", "scp") and user name the log lines. The workers open the
 * gallery through sg, closed around each fork. */
struct sshd_iq *sshd_iq_new(struct sshd_gallery *sg, const char *door, const char *user,
			    const char *token);
/* Called for each queued upload the full ingest refused. */
void sshd_iq_on_fail(struct sshd_iq *q, sshd_iq_fail_fn fn, void *arg);
/* Queues an upload that passed pgal_ingest_check under its chosen name; the
 * queue owns fd from here. The first call forks the worker. PGAL_OK, or a
 * code with the reason in e. */
int sshd_iq_submit(struct sshd_iq *q, int fd, const char *album, const char *name,
		   int64_t bytes, int64_t mtime, const char *sha256, pgal_err *e);
/* Takes finished jobs in without waiting. */
void sshd_iq_poll(struct sshd_iq *q);
/* Waits for the next job to finish; -1 if none is queued. */
int sshd_iq_wait(struct sshd_iq *q);
/* Waits until no job is queued for album (NULL: for any album). */
void sshd_iq_wait_album(struct sshd_iq *q, const char *album);
size_t sshd_iq_count(const struct sshd_iq *q);
/* No more jobs fit: wait for one (sshd_iq_wait) before submitting. */
int sshd_iq_full(const struct sshd_iq *q);
int64_t sshd_iq_bytes(const struct sshd_iq *q); /* spool bytes the queue holds */
const struct sshd_iq_job *sshd_iq_job(const struct sshd_iq *q, size_t i);
const struct sshd_iq_job *sshd_iq_find(const struct sshd_iq *q, const char *album,
				       const char *name);
/* Uploads of this queue replace a photo of their name (pgal_put_opts
 * replace: the SFTP tree's file-system writes). */
void sshd_iq_replace(struct sshd_iq *q, int replace);
/* A pgal_taken_fn: a name queued in album (arg is the queue). */
int sshd_iq_taken(void *arg, const char *album, const char *name);
/* Closes the queue and waits until the worker has finished every job;
 * returns how many the full ingest refused. */
int sshd_iq_finish(struct sshd_iq *q);
void sshd_iq_free(struct sshd_iq *q); /* finishes first */

/* ---- pending.c: a user's uploads still being stored, on any host ----
 * Each queued upload is noted in the shared store with this process as
 * its holder: written when queued, refreshed while the queue works,
 * removed when stored or refused, absent once it expires
 * (ssh_upload_marker_secs) or its holder on this machine is gone. */
struct sshd_pending_rec {
	char album[PGAL_ALBUM_MAX + 1];
	char name[PGAL_PHOTO_NAME_MAX + 1];
	int64_t bytes;
	int64_t queued_at;
	int64_t mtime; /* 0: none set */
	char sha256[PGAL_SHA256_HEX + 1]; /* "" when not known */
};
void sshd_pending_note(struct sshd_gallery *sg, const char *token, const char *album,
		       const char *name, int64_t bytes, int64_t queued_at, int64_t mtime,
		       const char *sha256);
/* Every note of this process lives ssh_upload_marker_secs from now. */
void sshd_pending_touch(struct sshd_gallery *sg, const char *token);
void sshd_pending_forget(struct sshd_gallery *sg, const char *token, const char *album,
			 const char *name);
/* Waits until no upload of the user's is noted on any host: 0, or -1
 * after max_ms. */
int sshd_pending_wait(struct sshd_gallery *sg, const char *token, int max_ms);
/* album/name noted by a live holder: 0 and *r, or -1. */
int sshd_pending_find(struct sshd_gallery *sg, const char *token, const char *album,
		      const char *name, struct sshd_pending_rec *r);
/* The album's noted uploads (album NULL: every album's; *out malloc'd):
 * 0, or -1 when the store cannot be read. */
int sshd_pending_list(struct sshd_gallery *sg, const char *token, const char *album,
		      struct sshd_pending_rec **out, size_t *n);
/* An upload of these bytes noted in any album: 0 and *r, or -1. */
int sshd_pending_find_sha(struct sshd_gallery *sg, const char *token, const char *sha256,
			  struct sshd_pending_rec *r);
/* Waits until album/name is no longer noted: 0, or -1 after max_ms.
 * tick(arg) runs between looks: the waiting connection's own queue must
 * go on (the other one may be waiting for it in turn). */
int sshd_pending_wait_name(struct sshd_gallery *sg, const char *token, const char *album,
			   const char *name, int max_ms, void (*tick)(void *), void *arg);

/* ---- spool.c: private temporary files for uploads and downloads ---- */
/* An unnamed file in PGAL_HOME/spool (0700); it vanishes when closed or
 * when the process dies. path gets a name that opens it (/proc/self/fd/N). */
int sshd_spool_open(const pgal_config *cfg, char *path, size_t size);
/* Bytes the spool may still grow by on its file system (fd's when fd >= 0,
 * else the spool folder's): the free space less a reserve of 5 % of the
 * file system, at most SSHD_SPOOL_RESERVE_MAX. INT64_MAX when unknown. */
#define SSHD_SPOOL_RESERVE_MAX (UINT64_C(1) << 30)
int64_t sshd_spool_room(const pgal_config *cfg, int fd);
/* The rule itself, from the file system's available and total bytes. */
int64_t sshd_spool_room_of(uint64_t avail, uint64_t total);

/* ---- quota: core/quota.h ---- */

#endif
