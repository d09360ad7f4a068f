/* What a stranger puts into a mail: the address and the user name given at
 * sign-up become the To: header and the body, and the confirmation code
 * typed back is normalized before it is compared. The input is lines:
 * mail_from, the address, the user name, the typed code, then the rest as
 * a body. A message that is built must keep its headers to their lines. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gallery-int.h"
#include "mail/message.h"
#include "text.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FIELDS 4

/* The header block: 8 fields in CRLF lines (a long one folded onto lines
 * that start with a space), no lone CR or LF, then a blank line. */
static void
check_headers(const pgal_buf *b)
{
	const char *end = memmem(b->p, b->len, "\r\n\r\n", 4), *p;
	int fields = 1;

	if (end == NULL)
		abort();
	for (p = b->p; p < end; p++) {
		if (*p == '\r' && p[1] != '\n')
			abort();
		if (*p == '\n' && (p == b->p || p[-1] != '\r'))
			abort();
		if (*p == '\n' && p[1] != ' ' && p[1] != '\t')
			fields++;
	}
	if (fields != 8)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *field[FIELDS + 1], *nl, code[PGAL_CODE_LEN + 1];
	pgal_mail_sender from;
	pgal_mail_message m;
	pgal_err e;
	int i;

	memset(&m, 0, sizeof m);
	field[0] = text;
	for (i = 0; i < FIELDS; i++) {
		if ((nl = strchr(field[i], '\n')) == NULL) {
			free(text);
			return 0;
		}
		*nl = '\0';
		field[i + 1] = nl + 1;
	}
	pgal_err_clear(&e);
	pgal_valid_email(field[1], &e);
	pgal_valid_username(field[2], &e);
	if (pgal_code_normalize(field[3], code) && strlen(code) != PGAL_CODE_LEN)
		abort();
	if (pgal_mail_sender_init(&from, field[0], &e) == PGAL_OK &&
	    pgal_mail_message_build(&m, &from, field[1], field[2], field[4], &e) == PGAL_OK)
		check_headers(&m.text);
	pgal_mail_message_free(&m);
	free(text);
	return 0;
}
