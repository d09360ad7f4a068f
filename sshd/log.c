/* One line per event to stderr or syslog. Callers pass only names,
 * addresses and outcomes: never passwords, tokens or key material.
 * Syslog is spoken here (RFC 3164 lines on the daemon's datagram socket)
 * rather than through syslog(3), so the socket is a setting and a test can
 * put a receiver of its own there. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "fmt.h"
#include "sanitize.h"
#include "sshd.h"

#define SYSLOG_PRI ((4 << 3) | 6) /* LOG_AUTH, LOG_INFO */

static int log_syslog;
static int log_fd = STDERR_FILENO;
static char sys_path[sizeof ((struct sockaddr_un *)0)->sun_path];
static int sys_fd = -1;
static dev_t sys_dev; /* which socket sys_fd is: a child may close it */
static ino_t sys_ino;

static void
sys_close(void)
{
	struct stat st;

	/* only if the number still names our socket */
	if (sys_fd != -1 && fstat(sys_fd, &st) == 0 && st.st_dev == sys_dev &&
	    st.st_ino == sys_ino)
		close(sys_fd);
	sys_fd = -1;
}

static int
sys_open(void)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(sys_path) >= sizeof sun.sun_path)
		return -1;
	strcpy(sun.sun_path, sys_path);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1 || fstat(fd, &st) == -1) {
		close(fd);
		return -1;
	}
	sys_fd = fd;
	sys_dev = st.st_dev;
	sys_ino = st.st_ino;
	return 0;
}

/* Still our socket? A forked child may have closed it and reused the number. */
static int
sys_valid(void)
{
	struct stat st;

	if (sys_fd == -1)
		return 0;
	if (fstat(sys_fd, &st) == -1 || st.st_dev != sys_dev || st.st_ino != sys_ino) {
		sys_fd = -1;
		return 0;
	}
	return 1;
}

/* 0 when the daemon took the line; one reconnect for a restarted daemon. */
static int
sys_send(const char *line)
{
	char msg[1200], ts[32];
	struct tm tm;
	time_t now;
	int n, try;

	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%b %e %H:%M:%S", &tm);
	n = snprintf(msg, sizeof msg, "<%d>%s pgal-sshd[%ld]: %s", SYSLOG_PRI, ts,
	    (long)getpid(), line);
	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof msg)
		n = sizeof msg - 1;
	for (try = 0; try < 2; try++) {
		if (!sys_valid() && sys_open() == -1)
			return -1;
		if (send(sys_fd, msg, (size_t)n, MSG_NOSIGNAL) == n)
			return 0;
		if (errno == ENOBUFS || errno == EAGAIN)
			return -1;
		sys_close();
	}
	return -1;
}

void
sshd_log_set_fd(int fd)
{
	log_fd = fd;
}

int
sshd_log_fd(void)
{
	return log_fd;
}

void
sshd_log_init(int use_syslog, const char *socket_path)
{
	if (socket_path == NULL || *socket_path == '\0')
		socket_path = "/dev/log";
	if (!use_syslog || strcmp(socket_path, sys_path) != 0)
		sys_close();
	snprintf(sys_path, sizeof sys_path, "%s", socket_path);
	log_syslog = use_syslog;
	/* connect now, while the listener may still see the socket */
	if (log_syslog && !sys_valid())
		(void)sys_open();
}

void
sshd_log(const char *fmt, ...)
{
	char raw[1024], line[1024], ts[32];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	/* names come from clients: no escape sequences into a terminal or log */
	pgal_sanitize(line, sizeof line, raw, 0);
	/* without a syslog daemon the line still goes somewhere */
	if (log_syslog && sys_send(line) == 0)
		return;
	pgal_fmt_iso(ts, (int64_t)time(NULL), 1);
	dprintf(log_fd, "%s pgal-sshd[%ld]: %s\n", ts, (long)getpid(), line);
}

void
sshd_log_addr(const struct sockaddr_storage *ss, char *buf, size_t size)
{
	const struct sockaddr_in6 *s6;
	const void *a;
	int family = ss->ss_family;

	if (family == AF_INET)
		a = &((const struct sockaddr_in *)(const void *)ss)->sin_addr;
	else if (family == AF_INET6) {
		s6 = (const struct sockaddr_in6 *)(const void *)ss;
		a = &s6->sin6_addr;
		/* ::ffff:1.2.3.4 from a dual-stack listener reads as 1.2.3.4 */
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			a = s6->sin6_addr.s6_addr + 12;
			family = AF_INET;
		}
	} else {
		snprintf(buf, size, "local");
		return;
	}
	if (inet_ntop(family, a, buf, (socklen_t)size) == NULL)
		snprintf(buf, size, "?");
}
