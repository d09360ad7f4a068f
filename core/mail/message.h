/* The one mail message pgal sends, for every mail backend: what a message
 * may hold (one set of rules), the sender as configured, and the RFC 5322
 * message itself (CRLF lines, UTF-8 text as 8bit, a non-ASCII subject or
 * sender name as RFC 2047 encoded words). The outbox writes it to a file,
 * SMTP sends it as it is; SES builds its own MIME from the same checked
 * parts. Internal to core/mail/. */
#ifndef PGAL_MAIL_MESSAGE_H
#define PGAL_MAIL_MESSAGE_H

#include <stdint.h>

#include "buf.h"
#include "err.h"

/* The sender, from mail_from ("Name <address>" or "address"). */
typedef struct pgal_mail_sender {
	char header[512];	/* the From: value, a non-ASCII name encoded */
	char address[256];	/* the bare address, for an envelope; "" if none */
	char domain[256];	/* the right side of Message-IDs */
} pgal_mail_sender;

/* PGAL_EINPUT when mail_from is empty, not clean text, or non-ASCII
 * outside a display name. */
int pgal_mail_sender_init(pgal_mail_sender *s, const char *from, pgal_err *e);

/* Whether a message may go out: one validated recipient, a subject of one
 * line, a body of clean UTF-8 lines (tabs allowed) within the 998 bytes a
 * line may have. PGAL_EUSAGE for a missing part, PGAL_EINPUT otherwise. */
int pgal_mail_check(const char *to, const char *subject, const char *body,
    pgal_err *e);

typedef struct pgal_mail_message {
	pgal_buf text;		/* headers, a blank line, the body */
	int64_t	 date;		/* of its Date: header, unix time */
	char	 id[17];	/* the random part of its Message-ID */
} pgal_mail_message;

/* Checks (as pgal_mail_check) and builds the message dated now. Free it
 * with pgal_mail_message_free, also after a failure. */
int pgal_mail_message_build(pgal_mail_message *m, const pgal_mail_sender *from,
    const char *to, const char *subject, const char *body, pgal_err *e);
void pgal_mail_message_free(pgal_mail_message *m);

#endif
