/* Mail backends, by their config name. */
#include <string.h>

#include "mail/mail.h"

static const pgal_mail_ops *const backends[] = {
	&pgal_mail_outbox,
	&pgal_mail_ses,
	&pgal_mail_smtp,
};

const pgal_mail_ops *
pgal_mail_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < sizeof backends / sizeof backends[0]; i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
}
