/* The relay between a channel and its child (the TUI's pty, a command's
 * pipes), in the connection process' event loop: the input, service and
 * release ops of the kinds that run a child. Nothing here waits: client
 * input is buffered (up to CHAN_IN_MAX) and written as the child reads,
 * and the child's output is read only while the client's window has room,
 * so neither side can stall the other or the loop. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"

#define IO_CHUNK 32768

/* Copies what fits of the client's input into the channel's buffer. */
static uint32_t
in_put(struct chan *k, const char *p, uint32_t len)
{
	size_t n;

	if (k->ibuf == NULL && (k->ibuf = malloc(CHAN_IN_MAX)) == NULL)
		return 0;
	n = CHAN_IN_MAX - k->ilen;
	if (n > len)
		n = len;
	memcpy(k->ibuf + k->ilen, p, n);
	k->ilen += n;
	return (uint32_t)n;
}

/* Writes buffered input to the child without ever waiting for it. */
static void
in_flush(struct chan *k)
{
	ssize_t n;

	while (k->ilen > 0 && k->in_fd != -1 && !k->in_err) {
		n = write(k->in_fd, k->ibuf, k->ilen);
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return;
			/* the child stopped reading: drop its input */
			k->in_err = 1;
			k->ilen = 0;
			return;
		}
		memmove(k->ibuf, k->ibuf + n, k->ilen - (size_t)n);
		k->ilen -= (size_t)n;
	}
}

int
chan_relay_input(struct chan *k, const void *data, uint32_t len, int is_stderr)
{
	uint32_t used;

	/* left in the channel until the child runs, and for the loop while
	 * it reads the channel itself */
	if (!k->started || k->draining)
		return 0;
	/* no reader: dropped */
	if (k->in_fd == -1 || k->in_err || is_stderr)
		return (int)len;
	/* what does not fit stays in libssh and holds the window shut */
	used = in_put(k, data, len);
	in_flush(k);
	if (used < len && !k->in_err)
		used += in_put(k, (const char *)data + used, len - used);
	return k->in_err ? (int)len : (int)used;
}

/* Output for the channel would be written without waiting: the client's
 * window has room and the connection has nothing buffered still. */
static uint32_t
chan_room(struct chan *k)
{
	if (k->ch == NULL || (ssh_get_status(k->c->s) & SSH_WRITE_PENDING))
		return 0;
	return ssh_channel_window_size(k->ch);
}

static int
pump(struct chan *k, int fd, int is_stderr)
{
	char buf[IO_CHUNK];
	size_t len = sizeof buf;
	uint32_t room;
	ssize_t n;

	/* a closed channel's output is read and dropped */
	if (!k->closed) {
		if ((room = chan_room(k)) == 0)
			return 0;
		if (room < len)
			len = room;
	}
	n = read(fd, buf, len);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1; /* EOF, or EIO from a pty whose child is gone */
	k->c->last_activity = time(NULL);
	if (k->closed)
		return 0;
	if (is_stderr)
		ssh_channel_write_stderr(k->ch, buf, (uint32_t)n);
	else
		ssh_channel_write(k->ch, buf, (uint32_t)n);
	return 0;
}

static int
cb_child_out(socket_t fd, int revents, void *ud)
{
	struct chan *k = ud;

	/* the pty master carries the input too */
	if ((revents & POLLOUT) && k->in_fd == fd)
		in_flush(k);
	/* the terminal hung up (the child is gone): what output is left
	 * waits for the client's window without the fd in the event (a
	 * hang-up always polls ready), and no more input is taken */
	if (revents & (POLLHUP | POLLERR))
		k->out_hup = 1;
	if (k->out_eof)
		return 0;
	if ((revents & (POLLIN | POLLHUP | POLLERR)) && pump(k, fd, 0) == -1)
		k->out_eof = 1;
	return 0;
}

static int
cb_child_in(socket_t fd, int revents, void *ud)
{
	struct chan *k = ud;

	if (revents & (POLLOUT | POLLHUP | POLLERR))
		in_flush(k);
	return 0;
}

static int
cb_child_err(socket_t fd, int revents, void *ud)
{
	struct chan *k = ud;

	if (k->err_eof)
		return 0;
	if ((revents & (POLLIN | POLLHUP | POLLERR)) && pump(k, fd, 1) == -1)
		k->err_eof = 1;
	return 0;
}

/* The child gets no more input; the pty master stays open for output. */
static void
close_in(struct conn *c, struct chan *k)
{
	if (k->in_fd != -1 && k->in_fd != k->out_fd) {
		if (k->in_added)
			ssh_event_remove_fd(c->ev, k->in_fd);
		close(k->in_fd);
	}
	k->in_added = 0;
	k->in_fd = -1;
	k->ilen = 0;
}

/* Poll for writability only while input waits, and for the child's
 * output only while the client can take it (chan_room): the event has no
 * way to change an fd's events, so it is removed and added again. Never
 * from a callback, as the event may be walking its descriptors then. */
static void
chan_watch(struct conn *c, struct chan *k)
{
	short want;
	int room = k->closed || chan_room(k) > 0;

	if (k->out_fd != -1 && k->out_added) {
		want = room ? POLLIN : 0;
		if (k->in_fd == k->out_fd && k->ilen > 0 && !k->out_hup)
			want |= POLLOUT;
		if (want != k->out_events) {
			ssh_event_remove_fd(c->ev, k->out_fd);
			if (want != 0)
				ssh_event_add_fd(c->ev, k->out_fd, want, cb_child_out, k);
			k->out_events = want;
		}
	}
	if (k->err_fd != -1 && k->err_added) {
		want = room ? POLLIN : 0;
		if (want != k->err_events) {
			ssh_event_remove_fd(c->ev, k->err_fd);
			if (want != 0)
				ssh_event_add_fd(c->ev, k->err_fd, want, cb_child_err, k);
			k->err_events = want;
		}
	}
	if (k->in_fd != -1 && k->in_fd != k->out_fd) {
		if (k->ilen > 0 && !k->in_added) {
			if (ssh_event_add_fd(c->ev, k->in_fd, POLLOUT, cb_child_in, k) == SSH_OK)
				k->in_added = 1;
		} else if (k->ilen == 0 && k->in_added) {
			ssh_event_remove_fd(c->ev, k->in_fd);
			k->in_added = 0;
		}
	}
}

/* Moves client input on: libssh keeps what chan_relay_input could not
 * take, and no new packet may come to hand it over (the client's window
 * is shut), so it is fetched here as room frees. A few chunks a pass:
 * never a loop that a client or a child can keep going. */
static void
chan_input(struct conn *c, struct chan *k)
{
	char buf[IO_CHUNK];
	size_t room;
	int i, n, eof;

	if (k->done) {
		/* finished: a pipe nobody reads would poll as an error */
		if (k->in_added)
			close_in(c, k);
		return;
	}
	/* a hung-up terminal reads nothing: the client's input stays with
	 * libssh, its window shuts, and the idle timeout applies */
	if (k->out_hup && k->in_fd != -1 && k->in_fd == k->out_fd) {
		chan_watch(c, k);
		return;
	}
	for (i = 0; i < 8 && !k->closed && k->ch != NULL; i++) {
		in_flush(k);
		if (k->in_err && k->in_fd != -1)
			close_in(c, k);
		room = sizeof buf;
		if (k->in_fd != -1) {
			if (k->ibuf == NULL && (k->ibuf = malloc(CHAN_IN_MAX)) == NULL)
				break;
			if (CHAN_IN_MAX - k->ilen < room)
				room = CHAN_IN_MAX - k->ilen;
			if (room == 0)
				break;
		}
		k->draining = 1;
		n = ssh_channel_read_nonblocking(k->ch, buf, (uint32_t)room, 0);
		k->draining = 0;
		if (n <= 0)
			break;
		c->last_activity = time(NULL);
		/* without a reader the input is dropped, as before */
		if (k->in_fd != -1)
			in_put(k, buf, (uint32_t)n);
	}
	in_flush(k);
	if (k->in_err && k->in_fd != -1)
		close_in(c, k);
	/* a command's stdin (a pipe, not the pty) ends after the input sent
	 * before the EOF */
	if (k->in_fd != -1 && k->in_fd != k->out_fd && k->ilen == 0 && !k->closed &&
	    ssh_channel_is_eof(k->ch)) {
		k->draining = 1;
		eof = ssh_channel_poll(k->ch, 0) <= 0;
		k->draining = 0;
		if (eof)
			close_in(c, k);
	}
	chan_watch(c, k);
}

static void
drop_fd(struct conn *c, int *fd, int *added)
{
	if (*fd == -1)
		return;
	if (*added)
		ssh_event_remove_fd(c->ev, *fd);
	*added = 0;
	close(*fd);
	*fd = -1;
}

void
chan_relay_start(struct conn *c, struct chan *k)
{
	if (k->out_fd != -1) {
		ssh_event_add_fd(c->ev, k->out_fd, POLLIN, cb_child_out, k);
		k->out_added = 1;
		k->out_events = POLLIN;
	}
	if (k->err_fd != -1) {
		ssh_event_add_fd(c->ev, k->err_fd, POLLIN, cb_child_err, k);
		k->err_added = 1;
		k->err_events = POLLIN;
	} else
		k->err_eof = 1;
	/* input that came with the request, and an early EOF */
	chan_input(c, k);
}

/* Descriptors at EOF are dropped and client input moves on. */
static void
chan_relay(struct conn *c, struct chan *k)
{
	if (k->out_eof && k->out_added) {
		if (k->in_fd == k->out_fd)
			k->in_fd = -1;
		drop_fd(c, &k->out_fd, &k->out_added);
	}
	if (k->err_eof && k->err_added)
		drop_fd(c, &k->err_fd, &k->err_added);
	chan_input(c, k);
}

void
chan_relay_service(struct conn *c, struct chan *k)
{
	chan_relay(c, k);
	if (!k->done && k->exited && k->out_eof && k->err_eof) {
		sshd_log("%s done: user %s status %d", k->ops->name, k->c->user, k->status);
		chan_finish(k, k->status);
	}
}

void
chan_relay_release(struct conn *c, struct chan *k)
{
	close_in(c, k);
	drop_fd(c, &k->out_fd, &k->out_added);
	drop_fd(c, &k->err_fd, &k->err_added);
	free(k->ibuf);
	k->ibuf = NULL;
}
