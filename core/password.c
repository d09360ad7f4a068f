/* Password hashing: libxcrypt's yescrypt with a fresh salt per hash. */
#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto.h"
#include "password.h"

_Static_assert(PGAL_PASSWORD_MAX < CRYPT_MAX_PASSPHRASE_SIZE,
    "libxcrypt cannot hash passwords of PGAL_PASSWORD_MAX bytes");

int
pgal_password_rules(const char *pw, pgal_err *e)
{
	size_t n = strlen(pw);

	if (n < PGAL_PASSWORD_MIN)
		return pgal_fail(e, PGAL_EINPUT, "password too short (at least %d characters)",
				 PGAL_PASSWORD_MIN);
	if (n > PGAL_PASSWORD_MAX)
		return pgal_fail(e, PGAL_EINPUT, "password too long (at most %d characters)",
				 PGAL_PASSWORD_MAX);
	return PGAL_OK;
}

/* crypt_rn with a zeroed work area on the heap (struct crypt_data is ~32 KiB)
 * and the output copied out; returns 0 on success. A result starting with
 * '*' is libxcrypt's failure token, never a hash. */
static int
do_crypt(const char *password, const char *setting, char *out, size_t outsz)
{
	struct crypt_data *cd;
	const char *h;
	size_t len;
	int rc = -1;

	if ((cd = calloc(1, sizeof *cd)) == NULL)
		return -1;
	h = crypt_rn(password, setting, cd, sizeof *cd);
	if (h != NULL && h[0] != '*' && (len = strlen(h)) < outsz) {
		memcpy(out, h, len + 1);
		rc = 0;
	}
	OPENSSL_cleanse(cd, sizeof *cd);
	free(cd);
	return rc;
}

int
pgal_password_hash(const char *password, char out[PGAL_HASH_MAX + 1], pgal_err *e)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];

	out[0] = '\0';
	if (password == NULL)
		return pgal_fail(e, PGAL_EUSAGE, "no password given");
	if (strlen(password) > PGAL_PASSWORD_MAX)
		return pgal_fail(e, PGAL_EINPUT,
		    "password is too long (at most %d bytes)", PGAL_PASSWORD_MAX);
	/* NULL random bytes: libxcrypt draws them from the OS itself */
	if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof salt) == NULL ||
	    salt[0] == '*')
		return pgal_fail(e, PGAL_EBACKEND, "cannot make a password salt");
	if (do_crypt(password, salt, out, PGAL_HASH_MAX + 1) != 0) {
		out[0] = '\0';
		return pgal_fail(e, PGAL_EBACKEND, "cannot hash the password");
	}
	return PGAL_OK;
}

int
pgal_password_verify(const char *password, const char *hash)
{
	char got[CRYPT_OUTPUT_SIZE];
	int ok;

	/* "*" and "!" style locked or empty hashes never match */
	if (password == NULL || hash == NULL || hash[0] != '$')
		return 0;
	if (strlen(password) > PGAL_PASSWORD_MAX)
		return 0;
	if (do_crypt(password, hash, got, sizeof got) != 0)
		return 0;
	ok = pgal_ct_streq(got, hash);
	OPENSSL_cleanse(got, sizeof got);
	return ok;
}

/*
 * A yescrypt hash (the default cost, as pgal_password_hash makes) of a random
 * password nobody kept. A constant, not made at first use: making it costs a
 * hash, and a fresh process (every SSH connection) would pay that on its
 * first unknown user only, which times apart unknown users from real ones.
 */
static const char dummy_hash[] =
    "$y$j9T$GZ9rbG9hYch6siFNqcJUz0$EarjKsRfdZwT9geai7n4gDuu6w2hcKGyXM4wHtrASK.";

const char *
pgal_password_dummy_hash(void)
{
	return dummy_hash;
}
