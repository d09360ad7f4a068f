/* DynamoDB store: lists of photos. An album page is a strongly consistent
 * Query on one of three local indexes of the album partition (by-taken,
 * by-added, by-title), whose sort keys end in the photo id so keyset
 * pagination is one "sort key > cursor" condition; DynamoDB's own pages
 * (LastEvaluatedKey) are followed inside a call. A user's photos (search,
 * cancel) come from the global index by-user, newest first. Global
 * indexes are eventually consistent: a photo written a moment ago may be
 * missing from search for that moment (the duplicate check and gc read
 * refs instead: refs.c). When by-user cannot answer yet
 * (pgal init is still adding it), those calls fail at once saying so.
 *
 * Search: the tag must be in the item's tag set and each word in its
 * search text (title, description and name, lower-cased like SQL LIKE
 * folds ASCII), both as a FilterExpression over the user's photos (or, in
 * one album, over that album's partition). That reads the photos newest
 * first until `limit` match: fine for a personal gallery; a tag index (one
 * item per tag) would be the next step if users came with hundreds of
 * thousands of photos. A page read backward (the end of an album first) is
 * the same Query with ScanIndexForward false. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/dynamodb/dynamodb-int.h"
#include "validate.h"

#define SEARCH_WORDS_MAX 100
#define PAGE_MAX 1000

struct page {
	pgal_photo *out;
	size_t limit, n;
};

static int
page_add(struct ddb *d, json_t *it, void *arg, pgal_err *e)
{
	struct page *pg = arg;
	int valid, rc;

	if ((rc = ddb_photo_valid(d, it, &valid, e)) != PGAL_OK)
		return rc;
	if (!valid)
		return 0;
	ddb_photo_read(it, NULL, &pg->out[pg->n++]);
	return pg->n == pg->limit ? 1 : 0;
}

/* Fills p->album of each photo, dropping photos whose album is gone. */
static int
album_names(struct ddb *d, pgal_photo *v, size_t *n, pgal_err *e)
{
	struct { pgal_id id; char name[PGAL_ALBUM_MAX + 1]; int gone; } cache[16];
	size_t i, j, len = 0, nc = 0, slot;
	int rc;

	for (i = 0; i < *n; i++) {
		for (slot = 0; slot < nc && cache[slot].id != v[i].album_id; slot++)
			;
		if (slot == nc) {
			slot = nc < 16 ? nc++ : (size_t)(i % 16);
			cache[slot].id = v[i].album_id;
			cache[slot].gone = 0;
			rc = ddb_album_name(d, v[i].album_id, cache[slot].name,
			    sizeof cache[slot].name, e);
			if (rc == PGAL_ENOTFOUND)
				cache[slot].gone = 1;
			else if (rc != PGAL_OK)
				return rc;
		}
		if (cache[slot].gone)
			continue;
		j = len++;
		if (j != i)
			v[j] = v[i];
		snprintf(v[j].album, sizeof v[j].album, "%s", cache[slot].name);
	}
	*n = len;
	return PGAL_OK;
}

/* A page after the cursor, or (backward) the page before it: the same
 * Query on the album's index read the other way (ScanIndexForward false,
 * sort key below the cursor's). */
static int
photo_page(pgal_store *s, pgal_id album_id, pgal_sort sort, const pgal_cursor *cur,
    int backward, size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	struct page pg = { out, limit, 0 };
	const char *index, *ks;
	char pk[32], key[PGAL_TITLE_MAX + 40], a[17], b[17];
	json_t *rq;
	int rc;

	*n = 0;
	switch (sort) {
	case PGAL_SORT_TAKEN:
		index = "by-taken";
		ks = "ks_taken";
		break;
	case PGAL_SORT_ADDED:
		index = "by-added";
		ks = "ks_added";
		break;
	case PGAL_SORT_TITLE:
		index = "by-title";
		ks = "ks_title";
		break;
	default:
		return pgal_fail(e, PGAL_EUSAGE, "unknown sort order");
	}
	if (limit == 0)
		return PGAL_OK;
	ddb_album_pk(pk, sizeof pk, album_id);
	rq = rq_new(d->gallery);
	json_object_set_new(rq, "IndexName", json_string(index));
	json_object_set_new(rq, "ConsistentRead", json_true());
	json_object_set_new(rq, "Limit", json_integer(limit < PAGE_MAX ? (json_int_t)limit : PAGE_MAX));
	if (backward)
		json_object_set_new(rq, "ScanIndexForward", json_false());
	rq_name(rq, "albumID");
	rq_val(rq, ":a", av_s(d, pk));
	if (cur != NULL && cur->valid) {
		/* strictly beyond the cursor row, as (key, id) > or < (num|text, id) */
		ddb_hex64(b, cur->id);
		if (sort == PGAL_SORT_TITLE)
			snprintf(key, sizeof key, "%.*s\001%s", (int)strnlen(cur->text,
			    sizeof cur->text), cur->text, b);
		else {
			ddb_hex64(a, cur->num);
			snprintf(key, sizeof key, "%s%s", a, b);
		}
		json_object_set_new(rq, "KeyConditionExpression",
		    json_sprintf("#albumID = :a AND #%s %s :k", ks, backward ? "<" : ">"));
		rq_name(rq, ks);
		rq_val(rq, ":k", av_s(d, key));
	} else
		json_object_set_new(rq, "KeyConditionExpression", json_string("#albumID = :a"));
	if ((rc = ddb_query(d, rq, page_add, &pg, e)) != PGAL_OK)
		return rc;
	if ((rc = album_names(d, out, &pg.n, e)) != PGAL_OK)
		return rc;
	if (backward)
		pgal_store_photos_reverse(out, pg.n);
	*n = pg.n;
	return PGAL_OK;
}

int
ddb_photo_list(pgal_store *s, pgal_id album_id, pgal_sort sort, const pgal_cursor *after,
    size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	return photo_page(s, album_id, sort, after, 0, limit, out, n, e);
}

int
ddb_photo_list_before(pgal_store *s, pgal_id album_id, pgal_sort sort, const pgal_cursor *before,
    size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	return photo_page(s, album_id, sort, before, 1, limit, out, n, e);
}

/* Within an album: a Query on the album's partition (by-added, newest
 * first, strongly consistent) filtered to the user's items, so another
 * user's album gives nothing; otherwise the user's photos from by-user. */
int
ddb_photo_search(pgal_store *s, pgal_id user_id, pgal_id album_id, const char *const *words,
    size_t nwords, const char *tag, size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	struct page pg = { out, limit, 0 };
	char filter[SEARCH_WORDS_MAX * 40 + 96], ph[16], pk[32], *w;
	size_t i, len = 0;
	json_t *rq;
	int rc;

	*n = 0;
	if (limit == 0)
		return PGAL_OK;
	if (nwords > SEARCH_WORDS_MAX)
		return pgal_fail(e, PGAL_EINPUT, "too many search words");
	if (tag != NULL && *tag == '\0')
		return PGAL_OK; /* no photo carries the empty tag */
	rq = rq_new(d->gallery);
	filter[0] = '\0';
	rq_name(rq, "owner");
	rq_val(rq, ":u", av_n(user_id));
	if (album_id != 0) {
		ddb_album_pk(pk, sizeof pk, album_id);
		json_object_set_new(rq, "IndexName", json_string("by-added"));
		json_object_set_new(rq, "ConsistentRead", json_true());
		json_object_set_new(rq, "KeyConditionExpression", json_string("#albumID = :a"));
		rq_name(rq, "albumID");
		rq_val(rq, ":a", av_s(d, pk));
		len += (size_t)snprintf(filter + len, sizeof filter - len, "#owner = :u");
	} else {
		if ((rc = ddb_need_index(d, "by-user", e)) != PGAL_OK) {
			json_decref(rq);
			return rc;
		}
		json_object_set_new(rq, "IndexName", json_string("by-user"));
		json_object_set_new(rq, "KeyConditionExpression", json_string("#owner = :u"));
	}
	json_object_set_new(rq, "ScanIndexForward", json_false());
	json_object_set_new(rq, "Limit", json_integer(PAGE_MAX));
	if (tag != NULL) {
		len += (size_t)snprintf(filter + len, sizeof filter - len,
		    "%scontains(#tagset, :tag)", len ? " AND " : "");
		rq_name(rq, "tagset");
		rq_val(rq, ":tag", av_s(d, tag));
	}
	for (i = 0; i < nwords; i++) {
		if (words[i] == NULL || *words[i] == '\0')
			continue;
		if ((w = strdup(words[i])) == NULL) {
			json_decref(rq);
			return pgal_fail(e, PGAL_EBACKEND, "out of memory");
		}
		pgal_ascii_lower(w);
		snprintf(ph, sizeof ph, ":w%zu", i);
		len += (size_t)snprintf(filter + len, sizeof filter - len,
		    "%scontains(#stext, %s)", len ? " AND " : "", ph);
		rq_name(rq, "stext");
		rq_val(rq, ph, av_s(d, w));
		free(w);
	}
	if (len > 0)
		json_object_set_new(rq, "FilterExpression", json_string(filter));
	if ((rc = ddb_query(d, rq, page_add, &pg, e)) != PGAL_OK)
		return rc;
	if ((rc = album_names(d, out, &pg.n, e)) != PGAL_OK)
		return rc;
	*n = pg.n;
	return PGAL_OK;
}

/* ---- blob ids ---- */

static int
id_add(struct ddb *d, json_t *it, void *arg, pgal_err *e)
{
	char id[PGAL_BLOB_ID_HEX + 1];

	rd_s(it, "blob_id", id, sizeof id);
	if (id[0] == '\0')
		return 0;
	return pgal_store_ids_add(arg, id, e);
}

static int
ids_run(struct ddb *d, json_t *rq, char ***ids, size_t *n, pgal_err *e)
{
	pgal_store_ids l = { NULL, 0, 0 };
	int rc;

	*ids = NULL;
	*n = 0;
	json_object_set_new(rq, "ProjectionExpression", json_string("#blob_id"));
	rq_name(rq, "blob_id");
	if ((rc = ddb_query(d, rq, id_add, &l, e)) != PGAL_OK) {
		pgal_store_free_ids(l.v, l.n);
		return rc;
	}
	*ids = l.v;
	*n = l.n;
	return PGAL_OK;
}

int
ddb_blob_ids_user(pgal_store *s, pgal_id user_id, char ***ids, size_t *n, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	json_t *rq;
	int rc;

	*ids = NULL;
	*n = 0;
	if ((rc = ddb_need_index(d, "by-user", e)) != PGAL_OK)
		return rc;
	rq = rq_new(d->gallery);
	json_object_set_new(rq, "IndexName", json_string("by-user"));
	json_object_set_new(rq, "KeyConditionExpression", json_string("#owner = :u"));
	rq_name(rq, "owner");
	rq_val(rq, ":u", av_n(user_id));
	return ids_run(d, rq, ids, n, e);
}

int
ddb_blob_ids_album(pgal_store *s, pgal_id album_id, char ***ids, size_t *n, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char pk[32];

	ddb_album_pk(pk, sizeof pk, album_id);
	return ids_run(d, rq_partition(d, d->gallery, "albumID", pk, "photoID", "P#"), ids,
	    n, e);
}
