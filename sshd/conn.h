/* The connection process' state, shared by conn*.c (the process, its
 * loop and authentication) and chan*.c (its channels, chan.h). */
#ifndef PGAL_SSHD_CONN_H
#define PGAL_SSHD_CONN_H

#include <sys/types.h>
#include <time.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "chan.h"
#include "sshd.h"

#define CONN_MAX_CHANNELS 8

struct conn {
	const struct conn_args *a;
	const pgal_config *cfg;
	ssh_session s;
	ssh_event ev;
	struct sshd_gallery gallery;
	struct sftpd_uploads *sftpd_uploads; /* from the first SFTP channel on */
	int authed;
	int guest;
	int version_seen;        /* told the listener ('V') */
	time_t guest_bare_since; /* a guest's connection has had no channel since */
	int tries;
	char user[64];
	char method[16];
	char token[PGAL_TOKEN_HEX + 1];
	time_t last_activity;
	struct chan chans[CONN_MAX_CHANNELS];
};

/* conn-auth.c: libssh's server callbacks for authentication */
int conn_auth_none(ssh_session s, const char *user, void *ud);
int conn_auth_password(ssh_session s, const char *user, const char *password, void *ud);
int conn_auth_pubkey(ssh_session s, const char *user, struct ssh_key_struct *pubkey,
    char state, void *ud);

#endif
