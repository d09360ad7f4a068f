/* Terminal prompts on /dev/tty (so they work with stdout redirected): a
 * no-echo password prompt that puts the terminal back even on ^C, a line
 * prompt, yes/no, and the progress bar of put on stderr. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "sanitize.h"

#define LINE_MAX_BYTES 1024

static int tty_fd = -1;
static struct termios tty_saved;
static volatile sig_atomic_t tty_changed;

static const int tty_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NSIGNALS (sizeof tty_signals / sizeof tty_signals[0])

static void
on_signal(int sig)
{
	if (tty_changed) {
		tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
		(void)!write(tty_fd, "\n", 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Reads one line from fd into buf; -1 on EOF before a newline, error or a
 * line that does not fit (the rest of it is read and dropped). */
static int
read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;
	int toolong = 0;
	ssize_t n;
	char c;

	for (;;) {
		n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (c == '\n')
			break;
		if (len + 1 < size)
			buf[len++] = c;
		else
			toolong = 1;
	}
	buf[len] = '\0';
	if (n <= 0 || toolong) {
		explicit_bzero(buf, size);
		return -1;
	}
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	return 0;
}

static int
ask(const char *prompt, char *buf, size_t size, int echo)
{
	struct sigaction sa, old[NSIGNALS];
	struct termios t;
	size_t i;
	int rc, fd;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) == -1)
		return -1;
	if (echo) {
		(void)!write(fd, prompt, strlen(prompt));
		rc = read_line(fd, buf, size);
		close(fd);
		return rc;
	}
	if (tcgetattr(fd, &tty_saved) != 0) {
		close(fd);
		return -1;
	}
	tty_fd = fd;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIGNALS; i++)
		sigaction(tty_signals[i], &sa, &old[i]);
	t = tty_saved;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	t.c_lflag |= ICANON;
	tty_changed = 1;
	/* echo goes off before the prompt shows, so nothing typed after it echoes */
	if (tcsetattr(fd, TCSAFLUSH, &t) != 0)
		rc = -1;
	else {
		(void)!write(fd, prompt, strlen(prompt));
		rc = read_line(fd, buf, size);
	}
	tcsetattr(fd, TCSAFLUSH, &tty_saved);
	tty_changed = 0;
	(void)!write(fd, "\n", 1);
	for (i = 0; i < NSIGNALS; i++)
		sigaction(tty_signals[i], &old[i], NULL);
	tty_fd = -1;
	close(fd);
	return rc;
}

char *
cli_ask_secret(const char *prompt)
{
	char buf[LINE_MAX_BYTES], *s = NULL;

	if (ask(prompt, buf, sizeof buf, 0) == 0)
		s = strdup(buf);
	explicit_bzero(buf, sizeof buf);
	return s;
}

int
cli_ask_line(const char *prompt, char *buf, size_t size)
{
	return ask(prompt, buf, size, 1);
}

int
cli_ask_yes_no(const char *question)
{
	char prompt[512], buf[16];

	snprintf(prompt, sizeof prompt, "%s [y/N] ", question);
	if (ask(prompt, buf, sizeof buf, 1) != 0)
		return 0;
	return strcasecmp(buf, "y") == 0 || strcasecmp(buf, "yes") == 0;
}

void
cli_progress(size_t done, size_t total, const char *name)
{
	char bar[64], shown[64];
	struct winsize ws;
	int cols = 80, width, fill, room;

	if (name == NULL) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		return;
	}
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		cols = ws.ws_col;
	/* "[####....] 12/345 " then the name, all on one line */
	width = cols / 3;
	if (width > 40)
		width = 40;
	if (width < 10)
		width = 10;
	fill = total > 0 ? (int)((double)done / (double)total * width) : 0;
	memset(bar, '#', (size_t)fill);
	memset(bar + fill, '.', (size_t)(width - fill));
	bar[width] = '\0';
	room = cols - width - 20;
	if (room < 1)
		room = 1;
	if (room > (int)sizeof shown)
		room = (int)sizeof shown;
	pgal_sanitize(shown, (size_t)room, name, 0);
	fprintf(stderr, "\r\033[K[%s] %zu/%zu %s", bar, done, total, shown);
	fflush(stderr);
}
