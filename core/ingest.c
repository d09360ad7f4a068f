/* The one ingest pipeline every door uses (CLI, TUI, scp, sftp):
 * limits and type before decoding, SHA-256 and duplicate check, EXIF and
 * renditions from one decode, blobs, and only then the row. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "gallery-int.h"
#include "image/header.h"
#include "image/image.h"
#include "image/sandbox.h"
#include "image/slots.h"
#include "quota.h"
#include "validate.h"

/* Names tried for one upload before giving up: name, name-2, ... */
#define NAME_VARIANTS 10000

static int
read_head(int fd, unsigned char *buf, size_t n, size_t *got)
{
	ssize_t r;

	*got = 0;
	while (*got < n) {
		r = pread(fd, buf + *got, n - *got, (off_t)*got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		*got += (size_t)r;
	}
	return 0;
}

static int
unsupported(pgal_err *e)
{
	return pgal_fail(e, PGAL_EINPUT, "not a supported image (JPEG, PNG, WebP, GIF or TIFF)");
}

/* What the file and its first bytes tell: a regular file, not empty, not
 * over the size limit, an image type by its magic bytes. */
static int
check_head(pgal *g, int fd, pgal_img_type *type, int64_t *bytes, pgal_err *e)
{
	unsigned char head[PGAL_IMG_HEAD];
	struct stat st;
	size_t got;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return pgal_fail(e, PGAL_EINPUT, "not a regular file");
	if (st.st_size == 0)
		return pgal_fail(e, PGAL_EINPUT, "empty file");
	if (st.st_size > g->cfg.max_upload_bytes)
		return pgal_fail(e, PGAL_EINPUT, "too big (%lld bytes; the limit is %lld)",
				 (long long)st.st_size, (long long)g->cfg.max_upload_bytes);
	if (read_head(fd, head, sizeof head, &got) != 0)
		return pgal_fail(e, PGAL_EINPUT, "cannot read: %s", strerror(errno));
	if ((*type = pgal_image_detect(head, got)) == PGAL_IMG_UNKNOWN)
		return unsupported(e);
	*bytes = st.st_size;
	return PGAL_OK;
}

/* What the header declares, against max_pixels and decode_memory_max: a
 * small file may ask the decoder for gigabytes (a 16-bit interlaced PNG of
 * 10000x10000 is 600 MB held at once). HEIC is left to the decoder. */
static int
check_header(pgal *g, int fd, pgal_img_type type, int64_t bytes, pgal_img_header *h,
	     pgal_err *e)
{
	const int64_t mb = INT64_C(1) << 20;
	int64_t need;
	int hr;

	hr = pgal_image_header_read(fd, type, bytes, h);
	if (hr == -1)
		return pgal_fail(e, PGAL_EINPUT, "not a valid %s: its header is damaged or cut "
				 "short", pgal_image_mime(type));
	if (hr == 0)
		return PGAL_OK;
	if ((int64_t)h->width * h->height > g->cfg.max_pixels)
		return pgal_fail(e, PGAL_EINPUT, "too many pixels: %dx%d", h->width, h->height);
	need = pgal_image_decode_bytes(h);
	if (need > g->cfg.decode_memory_max)
		return pgal_fail(e, PGAL_EINPUT, "image needs %lld MB to decode, limit is %lld MB "
				 "(decode_memory_max)", (long long)((need + mb - 1) / mb),
				 (long long)(g->cfg.decode_memory_max / mb));
	return PGAL_OK;
}

/* Checks what can be checked without decoding, the type against the
 * loaders libvips has. */
static int
check_file(pgal *g, int fd, pgal_img_type *type, int64_t *bytes, pgal_err *e)
{
	pgal_img_header h;
	int rc;

	if ((rc = check_head(g, fd, type, bytes, e)) != PGAL_OK ||
	    (rc = check_header(g, fd, *type, *bytes, &h, e)) != PGAL_OK)
		return rc;
	/* asking would start libvips here: the sandboxed decoder asks */
	if (!g->cfg.decode_sandbox && !pgal_image_type_supported(*type))
		return unsupported(e);
	return PGAL_OK;
}

/* The bytes of fd hashed (into sha): PGAL_EINPUT when another photo of the user has
 * them ("already stored as ALBUM/NAME"); *unchanged when the photo that
 * holds them is album's photo `name` (NULL: none is). */
static int
check_duplicate(pgal *g, const pgal_user *u, const pgal_album *a, int fd, const char *name,
		int *unchanged, char sha[PGAL_SHA256_HEX + 1], pgal_err *e)
{
	pgal_photo dup;
	int rc;

	*unchanged = 0;
	if ((rc = pgal_sha256_fd(fd, sha, e)) != PGAL_OK)
		return rc;
	rc = g->store->ops->photo_find_sha(g->store, u->id, sha, &dup, e);
	if (rc == PGAL_ENOTFOUND) {
		pgal_err_clear(e);
		return PGAL_OK;
	}
	if (rc != PGAL_OK)
		return rc;
	if (name != NULL && dup.album_id == a->id && strcmp(dup.name, name) == 0) {
		*unchanged = 1;
		return PGAL_OK;
	}
	return pgal_fail(e, PGAL_EINPUT, "already stored as %s/%s", dup.album, dup.name);
}

/* pgal_ingest_check and pgal_ingest_check_as: `exact` takes the name as
 * it is (a photo of that name is replaced) and hashes the file. */
static int
ingest_check(pgal *g, const char *token, const char *album, int fd, const char *filename,
	     int64_t pending, pgal_taken_fn taken, void *arg, int exact,
	     pgal_ingest_info *info, pgal_err *e)
{
	char base[PGAL_PHOTO_NAME_MAX + 1];
	pgal_img_type type = PGAL_IMG_UNKNOWN;
	pgal_img_header h;
	pgal_photo p;
	pgal_album a;
	pgal_user u;
	int rc, i;

	memset(info, 0, sizeof *info);
	if (pending < 0)
		pending = 0;
	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK ||
	    (rc = pgal_own_album(g, &u, album, &a, e)) != PGAL_OK ||
	    (rc = check_head(g, fd, &type, &info->bytes, e)) != PGAL_OK)
		return rc;
	/* whether libvips has a loader for the type (HEIC may lack one) is
	 * left to the full ingest: asking here would start the decoder */
	if ((rc = check_header(g, fd, type, info->bytes, &h, e)) != PGAL_OK)
		return rc;
	info->width = h.width;
	info->height = h.height;
	if (info->bytes > INT64_MAX - pending)
		return pgal_fail(e, PGAL_EINPUT, "too big");
	if ((rc = pgal_quota_check(g, token, info->bytes + pending, e)) != PGAL_OK)
		return rc;
	pgal_photo_name_from_file(filename, base);
	if (exact) {
		snprintf(info->name, sizeof info->name, "%s", base);
		return check_duplicate(g, &u, &a, fd, info->name, &info->unchanged, info->sha256, e);
	}
	for (i = 1; i <= NAME_VARIANTS; i++) {
		pgal_photo_name_variant(base, i, info->name);
		rc = g->store->ops->photo_get(g->store, a.id, info->name, &p, e);
		if (rc == PGAL_OK)
			continue;
		if (rc != PGAL_ENOTFOUND)
			return rc;
		if (taken == NULL || !taken(arg, a.name, info->name)) {
			pgal_err_clear(e);
			return PGAL_OK;
		}
	}
	return pgal_fail(e, PGAL_EINPUT, "too many photos named '%s'", base);
}

int
pgal_ingest_check(pgal *g, const char *token, const char *album, int fd, const char *filename,
		  int64_t pending, pgal_taken_fn taken, void *arg, pgal_ingest_info *info,
		  pgal_err *e)
{
	return ingest_check(g, token, album, fd, filename, pending, taken, arg, 0, info, e);
}

int
pgal_ingest_check_as(pgal *g, const char *token, const char *album, int fd, const char *name,
		     int64_t pending, pgal_ingest_info *info, pgal_err *e)
{
	return ingest_check(g, token, album, fd, name, pending, NULL, NULL, 1, info, e);
}

int
pgal_ingest_check_head(const void *head, size_t len, pgal_err *e)
{
	if (len >= PGAL_IMG_HEAD && pgal_image_detect(head, len) == PGAL_IMG_UNKNOWN)
		return unsupported(e);
	return PGAL_OK;
}

static int
store_blobs(pgal *g, int fd, const char *blob_id, const char *sha256,
	    const pgal_image_result *r, pgal_err *e)
{
	const pgal_blobs_ops *ops = g->blobs->ops;
	char key[PGAL_BLOB_KEY_MAX];
	int rc;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return pgal_fail(e, PGAL_EBACKEND, "cannot rewind the upload: %s", strerror(errno));
	pgal_blob_key(key, blob_id, PGAL_BLOB_ORIG);
	/* the hash of the whole file is known: S3 need not read it twice, and
	 * refuses the object if the file changed since it was hashed */
	rc = ops->put_fd_sha256 != NULL ?
	    ops->put_fd_sha256(g->blobs, key, fd, sha256, e) :
	    ops->put_fd(g->blobs, key, fd, e);
	if (rc != PGAL_OK)
		return rc;
	pgal_blob_key(key, blob_id, PGAL_BLOB_PREVIEW);
	if ((rc = g->blobs->ops->put_mem(g->blobs, key, r->preview.data, r->preview.len, e)) != PGAL_OK)
		return rc;
	pgal_blob_key(key, blob_id, PGAL_BLOB_THUMB);
	return g->blobs->ops->put_mem(g->blobs, key, r->thumb.data, r->thumb.len, e);
}

/* Inserts the row under the first free variant of its name. */
static int
insert_row(pgal *g, pgal_photo *p, pgal_err *e)
{
	char base[PGAL_PHOTO_NAME_MAX + 1];
	int rc = PGAL_EINPUT, i;

	snprintf(base, sizeof base, "%s", p->name);
	for (i = 1; i <= NAME_VARIANTS; i++) {
		pgal_photo_name_variant(base, i, p->name);
		rc = g->store->ops->photo_insert(g->store, p, e);
		if (rc != PGAL_EINPUT)
			return rc;
	}
	return pgal_fail(e, PGAL_EINPUT, "too many photos named '%s'", base);
}

/* Two uploads of the same bytes can both pass the duplicate check while the
 * other one is still decoding. Once our row exists, the store names the
 * oldest photo with these bytes: if that is not ours, ours goes again. */
static int
back_out_if_duplicate(pgal *g, const pgal_photo *p, pgal_err *e)
{
	pgal_photo first;
	pgal_err e2;

	if (g->store->ops->photo_find_sha(g->store, p->user_id, p->sha256, &first, &e2) != PGAL_OK ||
	    first.id == p->id)
		return PGAL_OK;
	/* the blobs go only once no row points at them; if the row cannot
	 * go, the copy stays and the upload stands */
	if (g->store->ops->photo_delete(g->store, p->id, &e2) != PGAL_OK)
		return PGAL_OK;
	pgal_delete_blobs(g, p->blob_id);
	return pgal_fail(e, PGAL_EINPUT, "already stored as %s/%s "
			 "(use --force to store it again)", first.album, first.name);
}

/* A replacement keeps what the user wrote about the photo it replaces,
 * unless the upload gives it anew. */
static void
keep_details(pgal_photo *p, const pgal_photo *old, const pgal_put_opts *opts)
{
	if (opts->title == NULL)
		snprintf(p->title, sizeof p->title, "%s", old->title);
	if (opts->description == NULL)
		snprintf(p->description, sizeof p->description, "%s", old->description);
	if (opts->tags == NULL)
		snprintf(p->tags, sizeof p->tags, "%s", old->tags);
}

/* The new row p (stored under a free variant of the name, beside the old
 * one) takes the place of old: the old row goes, p gets the name, the old
 * blobs are freed. A crash in between leaves the new photo under the
 * variant name and the old one, or the new one alone: never neither. */
static void
take_place_of(pgal *g, pgal_photo *p, const pgal_photo *old)
{
	char name[PGAL_PHOTO_NAME_MAX + 1];
	pgal_err e2;

	if (g->store->ops->photo_delete(g->store, old->id, &e2) != PGAL_OK)
		return; /* both stay: the new one under its variant name */
	pgal_delete_blobs(g, old->blob_id);
	snprintf(name, sizeof name, "%s", p->name);
	snprintf(p->name, sizeof p->name, "%s", old->name);
	if (g->store->ops->photo_update(g->store, p, &e2) != PGAL_OK)
		snprintf(p->name, sizeof p->name, "%s", name);
}

int
pgal_photo_stored(pgal *g, const char *token, const char *path, pgal_photo *out, pgal_err *e)
{
	char sha[PGAL_SHA256_HEX + 1];
	pgal_user u;
	int fd, rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK)
		return rc;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return pgal_fail(e, errno == ENOENT ? PGAL_ENOTFOUND : PGAL_EINPUT, "%s",
				 strerror(errno));
	rc = pgal_sha256_fd(fd, sha, e);
	close(fd);
	if (rc != PGAL_OK)
		return rc;
	return g->store->ops->photo_find_sha(g->store, u.id, sha, out, e);
}

int
pgal_photo_add(pgal *g, const char *token, const char *album, const char *path,
	       const pgal_put_opts *opts, pgal_photo *out, pgal_err *e)
{
	static const pgal_put_opts none = { 0 };
	char pathcopy[PATH_MAX];
	pgal_image_result r;
	pgal_image_job *job = NULL;
	pgal_image_sandbox_opts so;
	pgal_decode_slot slot = { -1, -1 };
	pgal_img_type type = PGAL_IMG_UNKNOWN;
	pgal_photo p, dup, old;
	pgal_digests dg;
	pgal_album a;
	pgal_user u;
	int fd = -1, rc, blobs_written = 0, replacing = 0;

	if (opts == NULL)
		opts = &none;
	memset(&r, 0, sizeof r);
	memset(&p, 0, sizeof p);
	memset(&old, 0, sizeof old);
	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK ||
	    (rc = pgal_own_album(g, &u, album, &a, e)) != PGAL_OK)
		return rc;
	if ((opts->title != NULL && (rc = pgal_clean_title(opts->title, p.title, e)) != PGAL_OK) ||
	    (opts->description != NULL &&
	     (rc = pgal_clean_description(opts->description, p.description, e)) != PGAL_OK) ||
	    (opts->tags != NULL && (rc = pgal_tags_normalize(opts->tags, p.tags, e)) != PGAL_OK))
		return rc;
	snprintf(pathcopy, sizeof pathcopy, "%s", path);
	pgal_photo_name_from_file(opts->filename != NULL ? opts->filename : basename(pathcopy), p.name);

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return pgal_fail(e, errno == ENOENT ? PGAL_ENOTFOUND : PGAL_EINPUT, "%s",
				 strerror(errno));
	if ((rc = check_file(g, fd, &type, &p.bytes, e)) != PGAL_OK ||
	    (rc = pgal_quota_check(g, token, p.bytes, e)) != PGAL_OK)
		goto out;
	/* the sandboxed decoder starts (a process to exec) while this hashes */
	/* one of the host's decoders_max, in arrival order: each decoder may
	 * take decode_memory_max */
	if (opts->decode_wait != NULL)
		opts->decode_wait(opts->decode_wait_arg, 1);
	rc = pgal_decode_slot_take(&g->cfg, &slot, e);
	if (opts->decode_wait != NULL)
		opts->decode_wait(opts->decode_wait_arg, 0);
	if (rc != PGAL_OK)
		goto out;
	memset(&so, 0, sizeof so);
	so.memory_max = g->cfg.decode_memory_max;
	if (g->cfg.decode_sandbox &&
	    (rc = pgal_image_sandbox_start(fd, type, g->cfg.max_pixels, g->cfg.thumb_px,
					   g->cfg.preview_px, &so, &job, e)) != PGAL_OK)
		goto out;
	if ((rc = pgal_digests_fd(fd, &dg, e)) != PGAL_OK)
		goto out;
	memcpy(p.sha256, dg.sha256, sizeof p.sha256);
	memcpy(p.sha1, dg.sha1, sizeof p.sha1);
	memcpy(p.md5, dg.md5, sizeof p.md5);
	if (opts->replace) {
		rc = g->store->ops->photo_get(g->store, a.id, p.name, &old, e);
		if (rc != PGAL_OK && rc != PGAL_ENOTFOUND)
			goto out;
		replacing = rc == PGAL_OK;
		pgal_err_clear(e);
		rc = PGAL_OK;
		if (replacing && strcmp(old.sha256, p.sha256) == 0) {
			/* the same bytes under the same name: nothing to do */
			snprintf(old.album, sizeof old.album, "%s", a.name);
			if (out != NULL)
				*out = old;
			goto out;
		}
		if (replacing)
			keep_details(&p, &old, opts);
	}
	if (!opts->force) {
		rc = g->store->ops->photo_find_sha(g->store, u.id, p.sha256, &dup, e);
		if (rc == PGAL_OK) {
			rc = pgal_fail(e, PGAL_EINPUT, "already stored as %s/%s "
				       "(use --force to store it again)", dup.album, dup.name);
			goto out;
		}
		if (rc != PGAL_ENOTFOUND)
			goto out;
	}
	/* the decode, hostile input's first real reader, away from this
	 * process's credentials, files and connections */
	if (job != NULL) {
		rc = pgal_image_sandbox_finish(job, &r, NULL, e);
		job = NULL;
	} else if ((rc = pgal_image_init(e)) == PGAL_OK)
		rc = pgal_image_process(path, type, g->cfg.max_pixels, g->cfg.thumb_px,
					g->cfg.preview_px, &r, e);
	pgal_decode_slot_give(&slot);
	if (rc != PGAL_OK)
		goto out;
	if ((rc = pgal_random_hex(p.blob_id, PGAL_BLOB_ID_HEX / 2, e)) != PGAL_OK)
		goto out;
	blobs_written = 1;
	if ((rc = store_blobs(g, fd, p.blob_id, p.sha256, &r, e)) != PGAL_OK)
		goto out;

	p.album_id = a.id;
	p.user_id = u.id;
	snprintf(p.album, sizeof p.album, "%s", a.name);
	snprintf(p.mime, sizeof p.mime, "%s", pgal_image_mime(type));
	p.width = r.width;
	p.height = r.height;
	p.exif = r.exif;
	p.added_at = pgal_now(g);
	p.mtime = opts->mtime > 0 ? opts->mtime : 0;
	/* -1 is unknown; a date before 1970 is negative and sorts as one */
	p.sort_taken = r.exif.taken_at != -1 ? r.exif.taken_at : p.added_at;
	/* again just before the row: uploads running in parallel may have used
	 * the room meanwhile (a window remains; the store has no quota lock) */
	if ((rc = pgal_quota_check(g, token, p.bytes, e)) != PGAL_OK ||
	    (rc = insert_row(g, &p, e)) != PGAL_OK)
		goto out;
	blobs_written = 0; /* the row owns them now */
	if (!opts->force && (rc = back_out_if_duplicate(g, &p, e)) != PGAL_OK)
		goto out;
	if (replacing)
		take_place_of(g, &p, &old);
	if (out != NULL)
		*out = p;
out:
	pgal_image_sandbox_cancel(job);
	pgal_decode_slot_give(&slot);
	if (blobs_written)
		pgal_delete_blobs(g, p.blob_id);
	pgal_image_result_free(&r);
	if (fd >= 0)
		close(fd);
	return rc;
}
