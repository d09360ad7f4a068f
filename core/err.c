#include <stdarg.h>
#include <stdio.h>

#include "err.h"

int
pgal_fail(pgal_err *e, pgal_code code, const char *fmt, ...)
{
	if (e != NULL) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
		e->code = code;
	}
	return code;
}

void
pgal_err_clear(pgal_err *e)
{
	if (e != NULL) {
		e->code = PGAL_OK;
		e->msg[0] = '\0';
	}
}

const char *
pgal_code_name(pgal_code code)
{
	switch (code) {
	case PGAL_OK: return "ok";
	case PGAL_EUSAGE: return "usage";
	case PGAL_ENOTFOUND: return "not found";
	case PGAL_EDENIED: return "denied";
	case PGAL_EBACKEND: return "backend failure";
	case PGAL_EINPUT: return "bad input";
	}
	return "unknown";
}
