/* One line per event to stderr or syslog. Callers pass only names,
 * addresses and outcomes: never passwords, tokens or key material. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "sanitize.h"
#include "sshd.h"

static int log_syslog;
static int log_fd = STDERR_FILENO;

void
sshd_log_set_fd(int fd)
{
	log_fd = fd;
}

void
sshd_log_init(int use_syslog)
{
	if (use_syslog && !log_syslog)
		openlog("pgal-sshd", LOG_PID | LOG_NDELAY, LOG_AUTH);
	log_syslog = use_syslog;
}

void
sshd_log(const char *fmt, ...)
{
	char raw[1024], line[1024], ts[32];
	struct tm tm;
	time_t now;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	/* names come from clients: no escape sequences into a terminal or log */
	pgal_sanitize(line, sizeof line, raw, 0);
	if (log_syslog) {
		syslog(LOG_INFO, "%s", line);
		return;
	}
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	dprintf(log_fd, "%s pgal-sshd[%ld]: %s\n", ts, (long)getpid(), line);
}

void
sshd_addr_str(const struct sockaddr_storage *ss, char *buf, size_t size)
{
	const void *a;

	if (ss->ss_family == AF_INET)
		a = &((const struct sockaddr_in *)(const void *)ss)->sin_addr;
	else if (ss->ss_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr;
	else {
		snprintf(buf, size, "local");
		return;
	}
	if (inet_ntop(ss->ss_family, a, buf, (socklen_t)size) == NULL)
		snprintf(buf, size, "?");
}
