/* Search as a person types it, the same in the CLI, over SSH and in the
 * TUI: "#beach" or "tag:beach" picks a tag, every other word must appear
 * in the title, description, tags or name. */
#include <stdio.h>
#include <string.h>

#include "gallery.h"

#define QUERY_MAX 1024

/* Notes tag t (len bytes) as the one asked for; a second, different tag
 * is refused (the store filters on one). */
static int
take_tag(const char *t, size_t len, char tag[PGAL_TAG_MAX + 1], pgal_err *e)
{
	if (len > PGAL_TAG_MAX)
		return pgal_fail(e, PGAL_EINPUT, "tag too long (at most %d bytes)", PGAL_TAG_MAX);
	if (tag[0] != '\0' && (strlen(tag) != len || strncmp(tag, t, len) != 0))
		return pgal_fail(e, PGAL_EINPUT, "search for one tag at a time");
	memcpy(tag, t, len);
	tag[len] = '\0';
	return PGAL_OK;
}

int
pgal_search_text(pgal *g, const char *token, const char *album, const char *query,
		 const char *tag_opt, size_t limit, pgal_photo **out, size_t *n, pgal_err *e)
{
	char buf[QUERY_MAX], words[QUERY_MAX], tag[PGAL_TAG_MAX + 1];
	char *w, *save = NULL;
	size_t off = 0;
	int rc;

	*out = NULL;
	*n = 0;
	words[0] = tag[0] = '\0';
	if (query == NULL)
		query = "";
	if (strlen(query) >= sizeof buf)
		return pgal_fail(e, PGAL_EINPUT, "search text too long");
	memcpy(buf, query, strlen(query) + 1);
	if (tag_opt != NULL && (rc = take_tag(tag_opt, strlen(tag_opt), tag, e)) != PGAL_OK)
		return rc;
	for (w = strtok_r(buf, " \t", &save); w != NULL; w = strtok_r(NULL, " \t", &save)) {
		if (w[0] == '#' && w[1] != '\0')
			rc = take_tag(w + 1, strlen(w + 1), tag, e);
		else if (strncmp(w, "tag:", 4) == 0 && w[4] != '\0')
			rc = take_tag(w + 4, strlen(w + 4), tag, e);
		else {
			/* buf and words have the same size: the words always fit */
			off += (size_t)snprintf(words + off, sizeof words - off, "%s%s",
			    off > 0 ? " " : "", w);
			rc = PGAL_OK;
		}
		if (rc != PGAL_OK)
			return rc;
	}
	if (words[0] == '\0' && tag[0] == '\0')
		return pgal_fail(e, PGAL_EUSAGE, "search for words, #tag, or both");
	return pgal_search(g, token, album, words, tag[0] != '\0' ? tag : NULL, limit, out, n, e);
}
