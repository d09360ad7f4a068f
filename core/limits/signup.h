/* Limits on the codes the gallery mails (the sign-up confirmation; a
 * password reset by mailed code can use the same), kept in the store's
 * marks so every process and host counts alike:
 *
 * - per account and per mail address: one mail per mail_cooldown_secs
 *   (default a minute), and at most
 *   PGAL_MAIL_DAY_BURST at once then one per code_ttl_secs / that, so
 *   nobody fills an inbox and the codes alive at once stay few;
 * - per source address (throttle.h's source): 10 at once, then 10 an hour.
 *
 * A code mailed is remembered (hashed) until code_ttl_secs have passed:
 * a later mail never takes it back, so nobody can keep a new user from
 * confirming by asking for codes. Accounts still unconfirmed after
 * code_ttl_secs are removed, freeing their names. */
#ifndef PGAL_SIGNUP_LIMITS_H
#define PGAL_SIGNUP_LIMITS_H

#include <stdint.h>

#include "gallery.h"

#define PGAL_MAIL_DAY_BURST 5

/* which limits one mail counts against */
#define PGAL_MAIL_ACCOUNT 1
#define PGAL_MAIL_ADDRESS 2
#define PGAL_MAIL_SOURCE 4

/* Counts one mail against the limits in `which` (account uid, address
 * email, g's client source). When one is over nothing is counted and it is
 * PGAL_EDENIED: "no mail sent: ...; the next can be sent in N s". */
int pgal_mail_limits_take(pgal *g, int which, pgal_id uid, const char *email, pgal_err *e);
/* Takes back what a take of the same arguments counted (the mail was not
 * sent after all). */
void pgal_mail_limits_give_back(pgal *g, int which, pgal_id uid, const char *email);

/* Remembers the SHA-256 (hex) of a code of `purpose` ("confirm") mailed to
 * uid, until `until`. */
int pgal_code_remember(pgal *g, const char *purpose, pgal_id uid, const char *hash,
		       int64_t until, pgal_err *e);
/* 1 if hash is a remembered code of uid that has not expired. */
int pgal_code_live(pgal *g, const char *purpose, pgal_id uid, const char *hash);

/* Wrong codes are counted per account and source address, so strangers
 * using up their tries never stop the owner confirming from elsewhere;
 * code_tries per source, one back every code_ttl_secs, all back after a
 * resend from that source. */
int pgal_code_tries_left(pgal *g, pgal_id uid);
/* Counts a wrong code from g's client: the tries it has left. */
int pgal_code_wrong(pgal *g, pgal_id uid);
void pgal_code_tries_reset(pgal *g, pgal_id uid);

/* Removes the accounts still unconfirmed code_ttl_secs after sign-up and
 * the expired marks; counts them (either may be NULL). */
int pgal_signup_gc(pgal *g, int64_t *accounts, int64_t *marks, pgal_err *e);
/* The same, best effort, by at most one process of the gallery an hour:
 * what the server does now and then. */
void pgal_signup_gc_now_and_then(pgal *g);
/* If `user` is an account that expired unconfirmed, removes it (its name
 * is free again): 1 then, else 0. */
int pgal_signup_reclaim(pgal *g, const char *user);

#endif
