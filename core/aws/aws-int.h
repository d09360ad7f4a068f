/* Internals of the AWS layer shared by its files: printable copies of
 * untrusted text for messages, the shared config/credentials profiles, the
 * local metadata endpoints and the credential sources built on them. Not
 * for use outside core/aws/ and its tests. */
#ifndef PGAL_AWS_INT_H
#define PGAL_AWS_INT_H

#include <stddef.h>

#include "aws/aws.h"

/* A short, printable copy of untrusted text for messages: what
 * pgal_sanitize keeps of it (no control characters or escape sequences),
 * cut at outsz - 1 bytes. */
void pgal_aws_printable(char *out, size_t outsz, const char *s, size_t len);

/* ------------------------------------------------------------------ */
/* Profiles of the shared files (profile.c) */

#define PGAL_AWS_PROFILE_KEYS 64

typedef struct pgal_aws_profile {
	char	name[128];
	int	found;		/* a section of that name is in either file */
	size_t	n;
	struct {
		char *key, *value;
		int   from_creds;	/* the credentials file set it last */
	} kv[PGAL_AWS_PROFILE_KEYS];
	char	config_path[1024];	/* AWS_CONFIG_FILE or ~/.aws/config */
	char	creds_path[1024];	/* AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials */
} pgal_aws_profile;

/* AWS_PROFILE, or "default"; *explicit tells which. */
const char *pgal_aws_profile_name(int *explicit);
/* Reads profile name from both files (missing files are empty). */
int pgal_aws_profile_load(const char *name, pgal_aws_profile *p, pgal_err *e);

enum { PGAL_AWS_IN_ANY, PGAL_AWS_IN_CREDS, PGAL_AWS_IN_CONFIG };
/* The value of key (lower case), NULL when not set there. */
const char *pgal_aws_profile_get(const pgal_aws_profile *p, const char *key,
    int where);
void pgal_aws_profile_free(pgal_aws_profile *p);

/* ------------------------------------------------------------------ */
/* Local metadata endpoints (metadata.c): IMDSv2 and the container
 * credentials endpoint, plain HTTP of small answers. */

#define PGAL_AWS_META_MAX 16384

typedef struct pgal_aws_meta {
	char	body[PGAL_AWS_META_MAX];	/* NUL-terminated answer */
	size_t	len;
	char	err[256];			/* why a call failed (no secret) */
} pgal_aws_meta;

/* A zeroed answer buffer on the heap (16 KiB; callers may run in threads),
 * NULL when out of memory; freed wiped, as answers hold secrets. */
pgal_aws_meta *pgal_aws_meta_new(void);
void pgal_aws_meta_free(pgal_aws_meta *m);
/* GET (or PUT with an empty body) url with one extra header (or NULL);
 * returns the HTTP status or -1 (then m->err says why). */
long pgal_aws_meta_call(const char *method, const char *url, const char *header,
    pgal_aws_meta *m);
/* An IMDSv2 session: the base address (AWS_EC2_METADATA_SERVICE_ENDPOINT
 * or 169.254.169.254) and a session token. PGAL_ENOTFOUND when disabled
 * (AWS_EC2_METADATA_DISABLED=true) or not answering. */
typedef struct pgal_aws_imds {
	char base[256];
	char token_header[1100];
} pgal_aws_imds;
int pgal_aws_imds_open(pgal_aws_imds *s, pgal_aws_meta *m, pgal_err *e);
/* A metadata path read in the session; the HTTP status or -1. */
long pgal_aws_imds_get(pgal_aws_imds *s, const char *path, pgal_aws_meta *m);
void pgal_aws_imds_close(pgal_aws_imds *s);

/* Credentials from a JSON answer {AccessKeyId, SecretAccessKey, <token_key>,
 * Expiration}; the JSON's copies of secrets are wiped. */
int pgal_aws_creds_from_json(const char *json, size_t len, const char *token_key,
    const char *source, pgal_aws_creds *out, pgal_err *e);
/* Copies id, secret and token (may be NULL) into out, checked. */
int pgal_aws_creds_set(pgal_aws_creds *out, const char *id, const char *secret,
    const char *token, const char *source, pgal_err *e);

/* ------------------------------------------------------------------ */
/* Credential sources beyond the static ones */

/* The EC2 instance role over IMDSv2. */
int pgal_aws_creds_imds(pgal_aws_creds *out, pgal_err *e);
/* The container endpoint (ECS, EKS Pod Identity); PGAL_ENOTFOUND when
 * neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor _FULL_URI is set. */
int pgal_aws_creds_container(pgal_aws_creds *out, pgal_err *e);
/* credential_process: the command split into words as a POSIX shell
 * would (quotes, backslashes) and run without a shell, as botocore does. */
int pgal_aws_creds_process(const char *command, const char *profile,
    pgal_aws_creds *out, pgal_err *e);
/* STS AssumeRole signed with source; the answer's credentials in out. */
typedef struct pgal_aws_assume {
	const char *role_arn;
	const char *session_name;	/* NULL: pgal-<time> */
	const char *external_id;	/* NULL: none */
	int duration_secs;		/* 0: STS's default (1 hour) */
	const char *region;		/* signing region; NULL: us-east-1 */
	const char *profile;		/* for messages */
} pgal_aws_assume;
int pgal_aws_sts_assume_role(const pgal_aws_assume *a, const pgal_aws_creds *source,
    pgal_aws_creds *out, pgal_err *e);

/* A client signing with fixed credentials (copied, wiped at close). */
int pgal_aws_client_open_fixed(pgal_aws_client **c, const char *service,
    const char *region, const pgal_aws_creds *creds, pgal_err *e);

#endif
