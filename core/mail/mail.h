/* Outgoing mail (confirmation codes). Backends: an outbox folder, SMTP and
 * SES. */
#ifndef PGAL_MAIL_H
#define PGAL_MAIL_H

#include "config.h"
#include "err.h"

typedef struct pgal_mail pgal_mail;

typedef struct pgal_mail_ops {
	const char *name;	/* first: the registry finds the table by it */
	/* `pgal init`: prepare checks what open does not (NULL: nothing);
	 * describe then says where mail goes, the text after "mail <name>: "
	 * ("configured (from ..., region ...)"; NULL: "ok"), never a secret. */
	int (*prepare)(pgal_mail *m, const pgal_config *cfg, pgal_err *e);
	void (*describe)(pgal_mail *m, const pgal_config *cfg, char *out, size_t size);
	/* Optional: when mail stays on this machine instead of being sent,
	 * where, for whoever was just mailed ("mail is kept as files in DIR");
	 * NULL when mail leaves. */
	void (*where_kept)(pgal_mail *m, const pgal_config *cfg, char *out, size_t size);
	int (*open)(pgal_mail **m, const pgal_config *cfg, pgal_err *e);
	void (*close)(pgal_mail *m);
	/* to is an already validated address; body is plain UTF-8 text with \n */
	int (*send)(pgal_mail *m, const char *to, const char *subject, const char *body, pgal_err *e);
} pgal_mail_ops;

struct pgal_mail {
	const pgal_mail_ops *ops;
};

const pgal_mail_ops *pgal_mail_find(const char *name);

extern const pgal_mail_ops pgal_mail_outbox;
extern const pgal_mail_ops pgal_mail_ses;
extern const pgal_mail_ops pgal_mail_smtp;

#endif
