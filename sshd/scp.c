/* Legacy scp (scp -O, older clients), written by hand over the exec
 * channel: `scp -t TARGET` receives files (sink), `scp -f PATH...` sends
 * them (source). The remote side of the protocol:
 *   "C0644 <size> <name>\n" + data + "\0"   a file
 *   "D0755 0 <name>\n" ... "E\n"             a directory (an album)
 *   "T<mtime> 0 <atime> 0\n"                 times for the next C/D (-p)
 * each answered with "\0", or "\1message\n" (error, go on) or "\2message\n"
 * (fatal). Headers go through the bounded reader and are parsed strictly.
 * The virtual tree is the same as SFTP's: ALBUM/PHOTO. A received file is
 * answered after the quick checks (pgal_ingest_check) and stored by the
 * ingest queue while the next one arrives; when the client is done the
 * sink waits for the queue, and reports a file the full ingest refused on
 * stderr and in the exit status (the client reads no more replies then). */
#include <errno.h>
#include <fnmatch.h>
#include <signal.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"
#include "fsutil.h"
#include "quota.h"
#include "reader.h"
#include "sanitize.h"
#include "sshd.h"
#include "validate.h"

#define HEADER_MAX 1024
#define PAGE 200

struct scp {
	struct sshd_gallery *gal;
	const pgal_config *cfg;
	struct sshd_iq *iq; /* sink: accepted files on their way to the store */
	const char *token;
	const char *user;
	pgal_reader r;
	unsigned char rbuf[16384]; /* what r holds of stdin */
	int recursive, preserve, verbose;
	int errs;
};

/* closed around the queue worker's fork: opened again here */
static pgal *
gal(struct scp *s)
{
	return sshd_gallery_need(s->gal, "scp");
}

static int
send_raw(const void *p, size_t n)
{
	return pgal_fs_write_all(STDOUT_FILENO, p, n);
}

static int
ack(void)
{
	return send_raw("", 1);
}

static void __attribute__((format(printf, 3, 0)))
tell_peer(struct scp *s, int level, const char *fmt, va_list ap)
{
	char msg[600], clean[600], line[640];
	int n;

	vsnprintf(msg, sizeof msg, fmt, ap);
	pgal_sanitize(clean, sizeof clean, msg, 0);
	n = snprintf(line, sizeof line, "%cscp: %s\n", level, clean);
	if (n > 0)
		send_raw(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	sshd_log("scp: user %s: %s", s->user, clean);
	s->errs++;
}

/* "\1scp: message\n": the client prints it and goes on with the next file. */
static void __attribute__((format(printf, 2, 3)))
warn_peer(struct scp *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tell_peer(s, 1, fmt, ap);
	va_end(ap);
}

/* "\2scp: message\n": fatal, the client stops (and so do we). */
static void __attribute__((format(printf, 2, 3)))
fatal_peer(struct scp *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tell_peer(s, 2, fmt, ap);
	va_end(ap);
}

/* A name from the wire: one path component, printable, not "." or "..". */
static int
check_name(const char *name, pgal_err *e)
{
	const unsigned char *p;

	if (*name == '\0')
		return pgal_fail(e, PGAL_EINPUT, "empty name");
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return pgal_fail(e, PGAL_EINPUT, "'.' and '..' are not allowed");
	for (p = (const unsigned char *)name; *p != '\0'; p++) {
		if (*p == '/')
			return pgal_fail(e, PGAL_EINPUT, "'/' in a name");
		if (*p < 0x20 || *p == 0x7f)
			return pgal_fail(e, PGAL_EINPUT, "control characters in a name");
	}
	if (!pgal_text_is_clean(name, 0))
		return pgal_fail(e, PGAL_EINPUT, "invalid UTF-8 in a name");
	return PGAL_OK;
}

/* "C0644 123 name" / "D0755 0 name": strict digits, bounded size. */
static int
parse_header(const char *line, unsigned *mode, uint64_t *size, const char **name)
{
	const char *p = line + 1;
	uint64_t v = 0;
	int i, digits = 0;

	*mode = 0;
	for (i = 0; i < 4; i++, p++) {
		if (*p < '0' || *p > '7')
			return -1;
		*mode = *mode * 8 + (unsigned)(*p - '0');
	}
	if (*p++ != ' ')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (digits >= 19)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (digits == 0 || *p++ != ' ')
		return -1;
	*size = v;
	*name = p;
	return 0;
}

/* "T<mtime> 0 <atime> 0": times are accepted and not used (-p tolerated). */
static int
parse_times(const char *line)
{
	const char *p = line + 1;
	int field, digits;

	for (field = 0; field < 4; field++) {
		for (digits = 0; *p >= '0' && *p <= '9'; p++)
			if (++digits > 19)
				return -1;
		if (digits == 0)
			return -1;
		if (field < 3 && *p++ != ' ')
			return -1;
	}
	return *p == '\0' ? 0 : -1;
}

/* Splits a remote path into album and photo (either may come out empty:
 * the root, or an album), read as vpath.c reads every client path. The
 * path came through the user's shell on an OpenSSH server, where a
 * leading "~" is the home: here the root. */
static int
split_target(const char *path, char album[PGAL_ALBUM_MAX + 1],
	     char photo[PGAL_PHOTO_NAME_MAX + 1], pgal_err *e)
{
	struct sshd_vpath v;

	album[0] = photo[0] = '\0';
	if (path[0] == '~' && (path[1] == '\0' || path[1] == '/'))
		path++;
	if (sshd_vpath_parse(path, &v, e) != PGAL_OK)
		return e->code;
	memcpy(album, v.album, sizeof v.album);
	memcpy(photo, v.photo, sizeof v.photo);
	return PGAL_OK;
}

static int
album_exists(struct scp *s, const char *album)
{
	pgal_album a;
	pgal_err e;

	pgal_err_clear(&e);
	return pgal_album_get(gal(s), s->token, album, &a, &e) == PGAL_OK;
}

/* Receives one file's data after its header was accepted; ingests it. */
static int
sink_file(struct scp *s, const char *album, const char *name, uint64_t size)
{
	char path[64];
	pgal_ingest_info info;
	pgal_err e;
	int fd, rc, short_read, st;

	if ((fd = sshd_spool_open(s->cfg, path, sizeof path)) == -1) {
		warn_peer(s, "%s: server cannot store files right now", name);
		return 0;
	}
	ack();
	rc = pgal_read_copy(&s->r, size, fd, &short_read);
	if (short_read) {
		/* the client went away mid-file: nothing is stored */
		close(fd);
		sshd_log("scp: user %s: connection lost during %s", s->user, name);
		return -1;
	}
	st = pgal_read_byte(&s->r);
	if (st != 0) {
		char line[HEADER_MAX + 1];

		close(fd);
		if (st == -1)
			return -1;
		if (pgal_read_line(&s->r, line, HEADER_MAX) != 1)
			return -1;
		s->errs++;
		return 0; /* the client reported a read error: nothing stored */
	}
	if (rc != 0) {
		close(fd);
		warn_peer(s, "%s: server cannot store files right now", name);
		return 0;
	}
	pgal_err_clear(&e);
	sshd_iq_poll(s->iq);
	if (pgal_ingest_check(gal(s), s->token, album, fd, name, sshd_iq_bytes(s->iq),
	    sshd_iq_taken, s->iq, &info, &e) != PGAL_OK) {
		close(fd);
		warn_peer(s, "%s: %s", name, e.msg);
		return 0;
	}
	if (sshd_iq_submit(s->iq, fd, album, info.name, info.bytes, 0, NULL, &e) != PGAL_OK) {
		warn_peer(s, "%s: %s", name, e.msg);
		return 0;
	}
	ack();
	return 0;
}

static int
sink(struct scp *s, const char *target)
{
	char line[HEADER_MAX + 1], album[PGAL_ALBUM_MAX + 1], photo[PGAL_PHOTO_NAME_MAX + 1];
	char cur[PGAL_ALBUM_MAX + 1], outer[PGAL_ALBUM_MAX + 1];
	const char *name;
	int depth = 0, target_exists, rc, first = 1;
	unsigned mode;
	uint64_t size;
	pgal_err e;

	pgal_err_clear(&e);
	if (split_target(target, album, photo, &e) != PGAL_OK) {
		warn_peer(s, "%s", e.msg);
		return 1;
	}
	target_exists = album[0] != '\0' && album_exists(s, album);
	if (album[0] != '\0' && photo[0] != '\0' && !target_exists) {
		warn_peer(s, "%s: no such album", album);
		return 1;
	}
	snprintf(cur, sizeof cur, "%s", target_exists ? album : "");
	outer[0] = '\0';
	ack();
	for (;;) {
		rc = pgal_read_line(&s->r, line, HEADER_MAX);
		if (rc == 0)
			break;
		if (rc == -1) {
			fatal_peer(s, "protocol error: bad header");
			return 1;
		}
		switch (line[0]) {
		case 'T':
			if (parse_times(line) == -1) {
				fatal_peer(s, "protocol error: bad time line");
				return 1;
			}
			ack();
			continue;
		case '\001':
		case '\002':
			sshd_log("scp: user %s: client error", s->user);
			s->errs++;
			if (line[0] == '\002')
				return 1;
			continue;
		case 'E':
			if (line[1] != '\0' || depth == 0) {
				fatal_peer(s, "protocol error: unexpected E");
				return 1;
			}
			/* back to where files went before the matching D */
			depth--;
			snprintf(cur, sizeof cur, "%s", outer);
			ack();
			continue;
		case 'C':
		case 'D':
			break;
		default:
			fatal_peer(s, "protocol error: unknown header");
			return 1;
		}
		if (parse_header(line, &mode, &size, &name) == -1) {
			fatal_peer(s, "protocol error: bad %c header", line[0]);
			return 1;
		}
		if (check_name(name, &e) != PGAL_OK) {
			/* a refused directory is skipped whole by the client */
			warn_peer(s, "%s", e.msg);
			continue;
		}
		if (line[0] == 'D') {
			const char *newalbum;

			if (!s->recursive || depth > 0) {
				warn_peer(s, "%s: albums hold photos, not folders", name);
				continue;
			}
			/* into the root: the folder becomes an album; into an
			 * album: its photos go there; to a new name: that album */
			newalbum = album[0] == '\0' ? name : album;
			if (photo[0] != '\0') {
				warn_peer(s, "%s: not an album", target);
				continue;
			}
			if (!album_exists(s, newalbum)) {
				pgal_album a;

				pgal_err_clear(&e);
				if (pgal_album_create(gal(s), s->token, newalbum, NULL, NULL, &a,
				    &e) != PGAL_OK) {
					warn_peer(s, "%s: %s", newalbum, e.msg);
					continue;
				}
				sshd_log("scp: user %s created album %s", s->user, newalbum);
			}
			snprintf(outer, sizeof outer, "%s", cur);
			snprintf(cur, sizeof cur, "%s", newalbum);
			depth++;
			ack();
			continue;
		}
		/* a file: under a name that fits whole (cut, it would lose its
		 * extension and be told from no other long name) */
		if (strlen(name) > PGAL_PHOTO_NAME_MAX) {
			char head[32];

			pgal_sanitize(head, sizeof head, name, 0);
			warn_peer(s, "%s...: name too long (%zu bytes; at most %d)", head,
			    strlen(name), PGAL_PHOTO_NAME_MAX);
			continue;
		}
		if (cur[0] == '\0') {
			warn_peer(s, "%s: %s", name, album[0] == '\0' ?
			    "photos go into an album: scp FILE HOST:ALBUM/" : "no such album");
			continue;
		}
		if (size > (uint64_t)s->cfg->max_upload_bytes) {
			char lim[16];

			pgal_fmt_size(lim, s->cfg->max_upload_bytes);
			warn_peer(s, "%s: larger than the upload limit of %s", name, lim);
			continue;
		}
		/* backpressure: the queue and this file within ssh_spool_max
		 * (or the queue empty) and the disk's room */
		sshd_iq_poll(s->iq);
		while (sshd_iq_full(s->iq) || (int64_t)size > sshd_spool_room(s->cfg, -1) ||
		    (sshd_iq_count(s->iq) > 0 &&
		     sshd_iq_bytes(s->iq) > s->cfg->ssh_spool_max - (int64_t)size)) {
			if (sshd_iq_wait(s->iq) == -1)
				break;
		}
		if ((int64_t)size > sshd_spool_room(s->cfg, -1)) {
			warn_peer(s, "%s: the server is short of disk space: try again later", name);
			continue;
		}
		pgal_err_clear(&e);
		if (pgal_quota_check(gal(s), s->token, (int64_t)size + sshd_iq_bytes(s->iq), &e) !=
		    PGAL_OK) {
			warn_peer(s, "%s: %s", name, e.msg);
			continue;
		}
		if (sink_file(s, cur, depth == 0 && first && photo[0] != '\0' ? photo : name,
		    size) == -1)
			return 1;
		first = 0;
	}
	return s->errs ? 1 : 0;
}

/* A file answered as accepted that the full ingest refused: the client
 * reads no more replies by then, but prints the channel's stderr. */
static void
late_failure(void *arg, const struct sshd_iq_job *j, const char *msg)
{
	struct scp *s = arg;
	char clean[600];

	pgal_sanitize(clean, sizeof clean, msg, 0);
	fprintf(stderr, "pgal: scp: %s/%s: not stored: %s\n", j->album, j->name, clean);
	fflush(stderr);
	s->errs++;
}

/* Receives into the target, then waits until the queue has stored (or
 * refused) everything accepted, even when the client went away. */
static int
sink_all(struct scp *s, const char *target)
{
	int rc;

	/* the connection ends us with SIGHUP when the client is gone: the
	 * input then ends too, and the queue is still finished */
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	if ((s->iq = sshd_iq_new(s->gal, "scp", s->user, s->token)) == NULL) {
		fatal_peer(s, "out of memory");
		return 1;
	}
	sshd_iq_on_fail(s->iq, late_failure, s);
	rc = sink(s, target);
	if (sshd_iq_finish(s->iq) > 0)
		rc = 1;
	sshd_iq_free(s->iq);
	s->iq = NULL;
	return rc;
}

/* Reads the sink's answer: 0 ok, -1 error (printed by the client itself). */
static int
response(struct scp *s)
{
	char line[HEADER_MAX + 1];
	int ch = pgal_read_byte(&s->r);

	if (ch == 0)
		return 0;
	if (ch == -1)
		exit(1);
	if (pgal_read_line(&s->r, line, HEADER_MAX) != 1 || ch == 2)
		exit(1);
	s->errs++;
	return -1;
}

static int
source_file(struct scp *s, const pgal_photo *p)
{
	char path[64], hdr[HEADER_MAX];
	struct stat st;
	pgal_err e;
	int fd, n;
	off_t off = 0;

	if ((fd = sshd_spool_open(s->cfg, path, sizeof path)) == -1) {
		warn_peer(s, "%s/%s: server cannot read files right now", p->album, p->name);
		return 0;
	}
	pgal_err_clear(&e);
	if (pgal_photo_read(gal(s), s->token, p->album, p->name, PGAL_BLOB_ORIG, fd, &e) != PGAL_OK ||
	    fstat(fd, &st) == -1) {
		close(fd);
		warn_peer(s, "%s/%s: %s", p->album, p->name, e.msg);
		return 0;
	}
	if (s->preserve) {
		int64_t t = p->sort_taken > 0 ? p->sort_taken : p->added_at;

		n = snprintf(hdr, sizeof hdr, "T%lld 0 %lld 0\n", (long long)t,
		    (long long)p->added_at);
		send_raw(hdr, (size_t)n);
		if (response(s) < 0) {
			close(fd);
			return 0;
		}
	}
	n = snprintf(hdr, sizeof hdr, "C0644 %lld %s\n", (long long)st.st_size, p->name);
	send_raw(hdr, (size_t)n);
	if (response(s) < 0) {
		close(fd);
		return 0;
	}
	while (off < st.st_size) {
		char buf[65536];
		ssize_t r = pread(fd, buf, sizeof buf, off);

		if (r <= 0) {
			/* keep the stream in step: pad, then report */
			memset(buf, 0, sizeof buf);
			while (off < st.st_size) {
				size_t k = (size_t)(st.st_size - off) < sizeof buf ?
				    (size_t)(st.st_size - off) : sizeof buf;

				send_raw(buf, k);
				off += (off_t)k;
			}
			close(fd);
			warn_peer(s, "%s/%s: read error", p->album, p->name);
			response(s);
			return 0;
		}
		if (send_raw(buf, (size_t)r) != 0)
			exit(1);
		off += r;
	}
	close(fd);
	ack();
	response(s);
	sshd_log("scp: user %s sent %s/%s (%lld bytes)", s->user, p->album, p->name,
	    (long long)st.st_size);
	return 0;
}

/* Every photo of album whose name matches pattern (NULL: all). */
static int
source_album_photos(struct scp *s, const char *album, const char *pattern, int *matched)
{
	pgal_photo *page;
	pgal_cursor cur, next;
	pgal_err e;
	size_t n, i;

	if ((page = calloc(PAGE, sizeof *page)) == NULL)
		return -1;
	memset(&cur, 0, sizeof cur);
	for (;;) {
		pgal_err_clear(&e);
		if (pgal_photo_list(gal(s), s->token, album, PGAL_SORT_ADDED, &cur, PAGE, page, &n,
		    &next, &e) != PGAL_OK) {
			warn_peer(s, "%s: %s", album, e.msg);
			free(page);
			return -1;
		}
		for (i = 0; i < n; i++) {
			if (pattern != NULL && fnmatch(pattern, page[i].name, FNM_PERIOD) != 0)
				continue;
			(*matched)++;
			source_file(s, &page[i]);
		}
		if (!next.valid)
			break;
		cur = next;
	}
	free(page);
	return 0;
}

static void
source_album(struct scp *s, const char *album)
{
	char hdr[HEADER_MAX];
	int n, matched = 0;

	n = snprintf(hdr, sizeof hdr, "D0755 0 %s\n", album);
	send_raw(hdr, (size_t)n);
	if (response(s) < 0)
		return;
	source_album_photos(s, album, NULL, &matched);
	send_raw("E\n", 2);
	response(s);
}

static void
source_one(struct scp *s, const char *arg)
{
	char album[PGAL_ALBUM_MAX + 1], photo[PGAL_PHOTO_NAME_MAX + 1];
	pgal_photo p;
	pgal_err e;
	int matched = 0;

	pgal_err_clear(&e);
	if (split_target(arg, album, photo, &e) != PGAL_OK) {
		warn_peer(s, "%s", e.msg);
		return;
	}
	pgal_err_clear(&e);
	if (album[0] == '\0') {
		pgal_album *as = NULL;
		size_t n, i;

		if (!s->recursive) {
			warn_peer(s, "/: not a regular file (use -r)");
			return;
		}
		if (pgal_album_list(gal(s), s->token, &as, &n, &e) != PGAL_OK) {
			warn_peer(s, "%s", e.msg);
			return;
		}
		for (i = 0; i < n; i++)
			source_album(s, as[i].name);
		free(as);
		return;
	}
	if (photo[0] == '\0') {
		if (!album_exists(s, album)) {
			warn_peer(s, "%s: no such album", album);
			return;
		}
		if (!s->recursive) {
			warn_peer(s, "%s: not a regular file (use -r)", album);
			return;
		}
		source_album(s, album);
		return;
	}
	if (strpbrk(photo, "*?[") != NULL) {
		if (source_album_photos(s, album, photo, &matched) == 0 && matched == 0)
			warn_peer(s, "%s/%s: no such photo", album, photo);
		return;
	}
	if (pgal_photo_get(gal(s), s->token, album, photo, &p, &e) != PGAL_OK) {
		warn_peer(s, "%s/%s: %s", album, photo, e.msg);
		return;
	}
	source_file(s, &p);
}

int
sshd_scp(struct sshd_gallery *sg, const char *token, const char *user, int argc,
    char **argv)
{
	struct scp s;
	pgal_err e;
	pgal *g;
	int i, to = 0, from = 0;

	pgal_err_clear(&e);
	if ((g = sshd_gallery_get(sg, &e)) == NULL) {
		fprintf(stderr, "pgal: %s\n", e.msg);
		return e.code;
	}
	memset(&s, 0, sizeof s);
	s.gal = sg;
	s.cfg = sg->cfg;
	s.token = token;
	s.user = user;
	pgal_reader_init_fd(&s.r, STDIN_FILENO, s.rbuf, sizeof s.rbuf);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *f;

		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		for (f = argv[i] + 1; *f != '\0'; f++) {
			switch (*f) {
			case 't': to = 1; break;
			case 'f': from = 1; break;
			case 'r': s.recursive = 1; break;
			case 'p': s.preserve = 1; break;
			case 'v': s.verbose = 1; break;
			case 'd': break;
			default:
				fprintf(stderr, "pgal: scp: unsupported option -%c\n", *f);
				return PGAL_EUSAGE;
			}
		}
	}
	if (to == from || i == argc || (to && argc - i != 1)) {
		fprintf(stderr, "pgal: scp: this is the server side of scp; use scp on your "
		    "computer: scp FILE %s@HOST:ALBUM/\n", user);
		return PGAL_EUSAGE;
	}
	if (pgal_session_check(g, token, NULL, &e) != PGAL_OK) {
		warn_peer(&s, "%s", e.msg);
		return PGAL_EDENIED;
	}
	if (to)
		return sink_all(&s, argv[i]);
	if (response(&s) < 0)
		return 1;
	for (; i < argc; i++)
		source_one(&s, argv[i]);
	return s.errs ? 1 : 0;
}
