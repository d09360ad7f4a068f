/* Password hashing with libxcrypt (yescrypt). */
#ifndef PGAL_PASSWORD_H
#define PGAL_PASSWORD_H

#include "err.h"
#include "records.h"

#define PGAL_PASSWORD_MIN 10
/* libxcrypt hashes at most CRYPT_MAX_PASSPHRASE_SIZE - 1 = 511 bytes */
#define PGAL_PASSWORD_MAX 511

/* PGAL_OK if a new password is long enough and not too long, else
 * PGAL_EINPUT saying which bound it breaks. */
int pgal_password_rules(const char *password, pgal_err *e);
/* Hashes password into out (PGAL_HASH_MAX+1) with a fresh yescrypt salt. */
int pgal_password_hash(const char *password, char out[PGAL_HASH_MAX + 1], pgal_err *e);
/* 1 if password matches hash (constant-time compare), 0 otherwise. */
int pgal_password_verify(const char *password, const char *hash);
/* A hash of a random password, used to spend the same time on unknown users. */
const char *pgal_password_dummy_hash(void);

#endif
