/* What the terminal answers. True colour: set an RGB background and ask
 * for the SGR in force with DECRQSS (DCS $ q m ST); a terminal that keeps
 * RGB reads it back (xterm, kitty, foot, WezTerm, mlterm), one that maps
 * it to a palette answers the index, and one that does not know DECRQSS
 * answers nothing (tmux 3.3 ignores the DCS; later tmux answers "0$r",
 * not recognized: inside tmux the colours depend on the terminal outside
 * it, which only tmux knows). DA1 (CSI c) is answered by every terminal
 * and tmux, and lists 4 when sixel graphics work. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "clock.h"
#include "term-query.h"

const char tui_term_query_bytes[] = "\033[48;2;1;2;3m\033P$qm\033\\\033[m\033[c";

/* The replies the query can get are short; more is not an answer. */
#define REPLY_MAX 256

/* 1 if the DECRQSS reply's parameters hold the RGB background as set */
static int
rgb_echoed(const char *p, size_t n)
{
	static const char *const forms[] = { "48;2;1;2;3", "48:2:1:2:3", "48:2::1:2:3", NULL };
	size_t i, len;

	for (i = 0; forms[i] != NULL; i++) {
		len = strlen(forms[i]);
		if (memmem(p, n, forms[i], len) != NULL)
			return 1;
	}
	return 0;
}

size_t
tui_term_parse(const char *buf, size_t n, tui_term_answer *a)
{
	const char *p = buf, *end = buf + n, *q, *st;
	size_t i;

	while (p < end) {
		if ((q = memchr(p, '\033', (size_t)(end - p))) == NULL || q + 1 >= end)
			return 0;
		/* DECRQSS: ESC P 1 $ r <params> m ESC \ (0 $ r: not known) */
		if (q[1] == 'P' && (st = memmem(q, (size_t)(end - q), "\033\\", 2)) != NULL &&
		    st > q) {
			if (st - q >= 5 && memcmp(q + 2, "1$r", 3) == 0 && rgb_echoed(q + 5, (size_t)(st - q - 5)))
				a->truecolor = 1;
			p = st + 2;
			continue;
		}
		/* DA1: ESC [ ? <params> c */
		if (q[1] == '[' && q + 2 < end && q[2] == '?') {
			for (i = 3; q + i < end && (q[i] == ';' || (q[i] >= '0' && q[i] <= '9')); i++)
				;
			if (q + i >= end)
				return 0;
			if (q[i] == 'c') {
				const char *s = q + 3, *e = q + i;

				a->answered = 1;
				/* the first parameter is the terminal class, the rest features */
				while (s < e && *s != ';')
					s++;
				while (s < e) {
					const char *f = ++s;

					while (s < e && *s != ';')
						s++;
					if (s - f == 1 && *f == '4')
						a->sixel = 1;
				}
				return (size_t)(q + i + 1 - buf);
			}
		}
		p = q + 1;
	}
	return 0;
}

int
tui_term_query(int in_fd, int out_fd, int timeout_ms, tui_term_answer *a)
{
	struct termios saved, raw;
	struct pollfd pfd = { .fd = in_fd, .events = POLLIN };
	char buf[REPLY_MAX], *esc;
	size_t n = 0, len = sizeof tui_term_query_bytes - 1, off = 0;
	int64_t deadline;
	ssize_t r;
	int left;

	memset(a, 0, sizeof *a);
	if (!isatty(in_fd) || !isatty(out_fd) || tcgetattr(in_fd, &saved) != 0)
		return -1;
	raw = saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(in_fd, TCSANOW, &raw) != 0)
		return -1;
	while (off < len) {
		r = write(out_fd, tui_term_query_bytes + off, len - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		off += (size_t)r;
	}
	deadline = pgal_now_ms() + timeout_ms;
	/* one byte at a time: what follows the DA1 reply (keys typed
	 * meanwhile) stays for ncurses */
	while (off == len && n < sizeof buf && (left = (int)(deadline - pgal_now_ms())) > 0) {
		if (poll(&pfd, 1, left) <= 0)
			continue;
		r = read(in_fd, buf + n, 1);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0)
			break;
		n++;
		if (buf[n - 1] == 'c' && tui_term_parse(buf, n, a) > 0)
			break;
	}
	/* a reply starts with ESC: what came before it was typed (a user
	 * quick on the keys, a script), and is the app's */
	esc = memchr(buf, '\033', n);
	a->ntyped = esc != NULL ? (size_t)(esc - buf) : n;
	if (a->ntyped > sizeof a->typed)
		a->ntyped = sizeof a->typed;
	memcpy(a->typed, buf, a->ntyped);
	/* no DA1 in time, but part of an answer is there: drop the rest */
	if (!a->answered && esc != NULL)
		tcflush(in_fd, TCIFLUSH);
	tcsetattr(in_fd, TCSANOW, &saved);
	return 0;
}
