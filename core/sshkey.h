/* OpenSSH public key lines: strict parsing and SHA-256 fingerprints. */
#ifndef PGAL_SSHKEY_H
#define PGAL_SSHKEY_H

#include <stddef.h>

#include "err.h"
#include "records.h"

#define PGAL_SSHKEY_B64_MAX 8192

typedef struct pgal_sshkey_parsed {
	char algo[32];
	char b64[PGAL_SSHKEY_B64_MAX + 1];
	char fingerprint[64];
	char comment[128]; /* sanitized */
} pgal_sshkey_parsed;

/* Parses "TYPE BASE64 [COMMENT]": TYPE one of the accepted key types, BASE64
 * strict, the blob's own type name equal to TYPE and its fields well formed. */
int pgal_sshkey_parse(const char *line, pgal_sshkey_parsed *k, pgal_err *e);
/* The fingerprint of a key as an SSH server hands it over (type + base64). */
int pgal_sshkey_fingerprint(const char *algo, const char *b64, char out[64], pgal_err *e);

#endif
