/* How clients reach this server, for the ssh, scp and sftp commands the
 * server prints (the TUI's add screen, put over exec, the guest's exec):
 * this host's name (localhost when it listens on loopback) and the port,
 * NULL when it is 22, so no -P/-p option is needed. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sshd.h"

void
sshd_reach(const pgal_config *cfg, struct sshd_reach *r)
{
	if (gethostname(r->host, sizeof r->host) != 0 || r->host[0] == '\0')
		strcpy(r->host, "localhost");
	r->host[sizeof r->host - 1] = '\0';
	if (strcmp(cfg->ssh_listen, "127.0.0.1") == 0 || strcmp(cfg->ssh_listen, "::1") == 0)
		strcpy(r->host, "localhost");
	snprintf(r->port_buf, sizeof r->port_buf, "%d", cfg->ssh_port);
	r->port = cfg->ssh_port == 22 ? NULL : r->port_buf;
}
