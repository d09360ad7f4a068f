/* Photos of the session's user: list (keyset pages), read, edit, move,
 * delete, search. Adding photos is ingest.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gallery-int.h"
#include "sanitize.h"
#include "validate.h"

#define PAGE_MAX 1000
#define SEARCH_WORDS_MAX 8
#define SEARCH_WORD_MAX 64

/* The cursor of a row: where the page after (or before) it starts. */
static void
cursor_of(const pgal_photo *p, pgal_sort sort, pgal_cursor *c)
{
	c->valid = 1;
	c->id = p->id;
	c->num = sort == PGAL_SORT_ADDED ? p->added_at : p->sort_taken;
	snprintf(c->text, sizeof c->text, "%s", p->title);
}

/* A page after `cur` or (backward) before it; `edge` gets the cursor of
 * the next page in that direction when this one was full. */
static int
photo_page(pgal *g, const char *token, const char *album, pgal_sort sort,
	   const pgal_cursor *cur, int backward, size_t limit, pgal_photo *out, size_t *n,
	   pgal_cursor *edge, pgal_err *e)
{
	static const pgal_cursor none = { 0 };
	const pgal_store_ops *ops = g->store->ops;
	pgal_album a;
	pgal_user u;
	int rc;

	*n = 0;
	if (edge != NULL)
		memset(edge, 0, sizeof *edge);
	if (sort != PGAL_SORT_TAKEN && sort != PGAL_SORT_ADDED && sort != PGAL_SORT_TITLE)
		return pgal_fail(e, PGAL_EUSAGE, "unknown sort order");
	if (limit == 0 || limit > PAGE_MAX)
		return pgal_fail(e, PGAL_EUSAGE, "page size must be 1..%d", PAGE_MAX);
	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK ||
	    (rc = pgal_own_album(g, &u, album, &a, e)) != PGAL_OK)
		return rc;
	if (cur == NULL)
		cur = &none;
	if (sort == PGAL_SORT_TITLE)
		rc = pgal_title_page(g->store, a.id, cur, backward, limit, out, n, e);
	else if (backward)
		rc = ops->photo_list_before(g->store, a.id, sort, cur, limit, out, n, e);
	else
		rc = ops->photo_list(g->store, a.id, sort, cur, limit, out, n, e);
	if (rc == PGAL_OK && edge != NULL && *n == limit)
		cursor_of(backward ? &out[0] : &out[*n - 1], sort, edge);
	return rc;
}

int
pgal_photo_list(pgal *g, const char *token, const char *album, pgal_sort sort,
		const pgal_cursor *after, size_t limit, pgal_photo *out, size_t *n,
		pgal_cursor *next, pgal_err *e)
{
	return photo_page(g, token, album, sort, after, 0, limit, out, n, next, e);
}

int
pgal_photo_list_before(pgal *g, const char *token, const char *album, pgal_sort sort,
		       const pgal_cursor *before, size_t limit, pgal_photo *out, size_t *n,
		       pgal_cursor *prev, pgal_err *e)
{
	return photo_page(g, token, album, sort, before, 1, limit, out, n, prev, e);
}

int
pgal_photo_get(pgal *g, const char *token, const char *album, const char *name,
	       pgal_photo *out, pgal_err *e)
{
	pgal_album a;
	pgal_user u;
	int rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK)
		return rc;
	return pgal_own_photo(g, &u, album, name, &a, out, e);
}

int
pgal_photo_update(pgal *g, const char *token, const char *album, const char *name,
		  const char *title, const char *description, const char *tags,
		  pgal_photo *out, pgal_err *e)
{
	pgal_album a;
	pgal_photo p;
	pgal_user u;
	int rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK ||
	    (rc = pgal_own_photo(g, &u, album, name, &a, &p, e)) != PGAL_OK)
		return rc;
	if ((title != NULL && (rc = pgal_clean_title(title, p.title, e)) != PGAL_OK) ||
	    (description != NULL &&
	     (rc = pgal_clean_description(description, p.description, e)) != PGAL_OK) ||
	    (tags != NULL && (rc = pgal_tags_normalize(tags, p.tags, e)) != PGAL_OK))
		return rc;
	if ((rc = g->store->ops->photo_update(g->store, &p, e)) == PGAL_OK && out != NULL)
		*out = p;
	return rc;
}

int
pgal_photo_move(pgal *g, const char *token, const char *album, const char *name,
		const char *to_album, const char *to_name, pgal_photo *out, pgal_err *e)
{
	pgal_album a, to;
	pgal_photo p;
	pgal_user u;
	int rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK ||
	    (rc = pgal_own_photo(g, &u, album, name, &a, &p, e)) != PGAL_OK ||
	    (rc = pgal_own_album(g, &u, to_album, &to, e)) != PGAL_OK)
		return rc;
	if (to_name != NULL) {
		if ((rc = pgal_valid_photo_name(to_name, e)) != PGAL_OK)
			return rc;
		snprintf(p.name, sizeof p.name, "%s", to_name);
	}
	p.album_id = to.id;
	rc = g->store->ops->photo_update(g->store, &p, e);
	if (rc == PGAL_EINPUT)
		return pgal_fail(e, PGAL_EINPUT, "'%s/%s' already exists", to.name, p.name);
	if (rc == PGAL_OK && out != NULL) {
		snprintf(p.album, sizeof p.album, "%s", to.name);
		*out = p;
	}
	return rc;
}

int
pgal_photo_delete(pgal *g, const char *token, const char *album, const char *name, pgal_err *e)
{
	pgal_album a;
	pgal_photo p;
	pgal_user u;
	int rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK ||
	    (rc = pgal_own_photo(g, &u, album, name, &a, &p, e)) != PGAL_OK ||
	    (rc = g->store->ops->photo_delete(g->store, p.id, e)) != PGAL_OK)
		return rc;
	pgal_delete_blobs(g, p.blob_id);
	return PGAL_OK;
}

int
pgal_photo_set_mtime(pgal *g, const char *token, const char *album, const char *name,
		     int64_t mtime, pgal_err *e)
{
	pgal_album a;
	pgal_photo p;
	pgal_user u;
	int rc;

	if (mtime <= 0)
		return pgal_fail(e, PGAL_EINPUT, "a file time must be after 1970");
	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK ||
	    (rc = pgal_own_photo(g, &u, album, name, &a, &p, e)) != PGAL_OK)
		return rc;
	if (p.mtime == mtime)
		return PGAL_OK;
	p.mtime = mtime;
	return g->store->ops->photo_update(g->store, &p, e);
}

static int
photo_blob_key(pgal *g, const char *token, const char *album, const char *name, int kind,
	       char key[PGAL_BLOB_KEY_MAX], pgal_err *e)
{
	pgal_album a;
	pgal_photo p;
	pgal_user u;
	int rc;

	if (kind < PGAL_BLOB_ORIG || kind > PGAL_BLOB_PREVIEW)
		return pgal_fail(e, PGAL_EUSAGE, "unknown rendition");
	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK ||
	    (rc = pgal_own_photo(g, &u, album, name, &a, &p, e)) != PGAL_OK)
		return rc;
	pgal_blob_key(key, p.blob_id, kind);
	return PGAL_OK;
}

int
pgal_photo_read(pgal *g, const char *token, const char *album, const char *name, int kind,
		int fd, pgal_err *e)
{
	char key[PGAL_BLOB_KEY_MAX];
	int rc;

	if ((rc = photo_blob_key(g, token, album, name, kind, key, e)) != PGAL_OK)
		return rc;
	return g->blobs->ops->get_fd(g->blobs, key, fd, e);
}

/* Renditions are small; originals are read with pgal_photo_read. */
#define RENDITION_MAX (32 << 20)

int
pgal_photo_read_mem(pgal *g, const char *token, const char *album, const char *name, int kind,
		    void **data, size_t *len, pgal_err *e)
{
	char key[PGAL_BLOB_KEY_MAX];
	int rc;

	*data = NULL;
	*len = 0;
	if ((rc = photo_blob_key(g, token, album, name, kind, key, e)) != PGAL_OK)
		return rc;
	return g->blobs->ops->get_mem(g->blobs, key, RENDITION_MAX, data, len, e);
}

int
pgal_search(pgal *g, const char *token, const char *album, const char *words,
	    const char *tag, size_t limit, pgal_photo **out, size_t *n, pgal_err *e)
{
	char buf[SEARCH_WORDS_MAX * (SEARCH_WORD_MAX + 1) + 1];
	char tagn[PGAL_TAGS_MAX + 1];
	const char *w[SEARCH_WORDS_MAX];
	size_t nw = 0;
	pgal_album a;
	pgal_user u;
	char *p, *save = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	if (limit == 0 || limit > PAGE_MAX)
		return pgal_fail(e, PGAL_EUSAGE, "result size must be 1..%d", PAGE_MAX);
	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK)
		return rc;
	if (words == NULL)
		words = "";
	if (strlen(words) >= sizeof buf)
		return pgal_fail(e, PGAL_EINPUT, "search text too long");
	pgal_sanitize(buf, sizeof buf, words, 0);
	for (p = strtok_r(buf, " ", &save); p != NULL; p = strtok_r(NULL, " ", &save)) {
		if (nw == SEARCH_WORDS_MAX)
			return pgal_fail(e, PGAL_EINPUT, "at most %d search words", SEARCH_WORDS_MAX);
		if (strlen(p) > SEARCH_WORD_MAX)
			return pgal_fail(e, PGAL_EINPUT, "search word too long");
		w[nw++] = p;
	}
	if (tag != NULL) {
		if ((rc = pgal_tags_normalize(tag, tagn, e)) != PGAL_OK)
			return rc;
		if (tagn[0] == '\0' || strchr(tagn, ',') != NULL)
			return pgal_fail(e, PGAL_EINPUT, "give one tag");
	}
	if (nw == 0 && tag == NULL)
		return pgal_fail(e, PGAL_EUSAGE, "search for words, a tag, or both");
	/* only the user's own album; its id is what the store filters on */
	a.id = 0;
	if (album != NULL && (rc = pgal_own_album(g, &u, album, &a, e)) != PGAL_OK)
		return rc;
	if ((*out = calloc(limit, sizeof **out)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	rc = g->store->ops->photo_search(g->store, u.id, a.id, w, nw, tag != NULL ? tagn : NULL,
					 limit, *out, n, e);
	if (rc != PGAL_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
