/* Mail backends, by their config name. */
#include "backend-find.h"
#include "mail/mail.h"

static const void *const backends[] = {
	&pgal_mail_outbox,
	&pgal_mail_ses,
	&pgal_mail_smtp,
};

const pgal_mail_ops *
pgal_mail_find(const char *name)
{
	return pgal_backend_find(backends, sizeof backends / sizeof backends[0], name);
}
