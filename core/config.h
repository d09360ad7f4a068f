/* Configuration: pgal.conf (`key = value`, `#` comments) with every key
 * overridable by PGAL_<KEY> in the environment. Keys are declared in one
 * table in config.c; unknown keys and bad values are errors naming key and line. */
#ifndef PGAL_CONFIG_H
#define PGAL_CONFIG_H

#include <limits.h>
#include <stdint.h>

#include "err.h"

typedef struct pgal_config {
	char home[PATH_MAX];   /* PGAL_HOME: sqlite file, blobs, outbox, host key */
	char store[16];        /* sqlite */
	char blobs[16];        /* fs */
	char mail[16];         /* outbox */
	char mail_from[256];   /* From: of confirmation mail */
	char sqlite_path[PATH_MAX]; /* default: <home>/pgal.db */
	char blobs_dir[PATH_MAX];   /* default: <home>/blobs */
	char outbox_dir[PATH_MAX];  /* default: <home>/outbox */
	int64_t max_upload_bytes;   /* per file */
	int64_t max_pixels;         /* width*height refused above this before decoding */
	int thumb_px;               /* long edge of the thumbnail */
	int preview_px;             /* long edge of the preview */
	int decode_sandbox;         /* decode uploads in a sandboxed child (image/sandbox.h) */
	/* memory one decode may take: more is refused from the header, and a
	 * sandboxed decoder cannot map more (0 in the file: from max_pixels) */
	int64_t decode_memory_max;
	int decoders_max;           /* decoders running at once on this host (0: the CPUs) */
	int session_idle_secs;      /* a session unused this long expires */
	int session_max_secs;       /* a session expires this long after login */
	int code_ttl_secs;          /* confirmation code lifetime */
	int code_tries;             /* wrong codes allowed before a resend is needed */
	/* AWS (blobs = s3, mail = ses); endpoints come from AWS_ENDPOINT_URL* */
	char aws_region[64];          /* else AWS_REGION / AWS_DEFAULT_REGION */
	char aws_access_key_id[128];  /* else AWS_*, ~/.aws/credentials, instance role */
	char aws_secret_access_key[128];
	char aws_session_token[4096];
	char s3_bucket[64];
	char s3_prefix[256];          /* prepended to every key, e.g. "pgal/" */
	int s3_path_style;            /* http://host/bucket/key (S3-compatible stores) */
	int64_t s3_multipart_threshold; /* files up to this go in one streamed PUT */
	char smtp_url[512];           /* mail = smtp: smtp://host:587 (STARTTLS) or smtps:// */
	char smtp_user[256];
	char smtp_password[256];
	char smtp_ca_file[512];       /* CA bundle for the SMTP server's certificate; default: system's */
	/* store = mysql (MySQL 8, RDS, MariaDB) */
	char mysql_host[256];         /* empty: localhost through mysql_socket or the default socket */
	int mysql_port;               /* 0: 3306 */
	char mysql_user[128];
	char mysql_password[256];     /* never logged nor put in a message */
	char mysql_database[65];      /* empty: pgal */
	char mysql_ssl_ca[PATH_MAX];  /* CA file: TLS required and the server certificate verified */
	char mysql_socket[PATH_MAX];  /* Unix socket, with an empty mysql_host */
	/* store = dynamodb: albums and photos, and users/sessions/keys */
	char dynamodb_table[256];      /* default PhotoGallery */
	char dynamodb_users_table[256]; /* default PhotoGalleryUsers */
	int64_t quota_bytes;        /* per user, sum of originals; 0: no quota */
	/* pgal-sshd */
	char ssh_listen[64];        /* address to listen on */
	int ssh_port;
	char ssh_guest[33];         /* the name that logs in with "none" to the TUI */
	int ssh_login_grace_secs;   /* to authenticate after connecting */
	/* ssh_max_startups = start:rate:full (or one number N, meaning N:100:N):
	 * beyond start unauthenticated connections a new one is dropped with
	 * probability rate %, rising linearly to 100 % at full */
	int ssh_max_startups;       /* start */
	int ssh_max_startups_rate;  /* percent, 1 to 100 */
	int ssh_max_startups_full;  /* >= start */
	int ssh_per_addr_max;       /* connections at once from one address (IPv6: one /64) */
	int ssh_max_sessions;       /* connections at once in all */
	int ssh_max_channels;       /* session channels at once on one user connection */
	int ssh_idle_secs;          /* a connection with no traffic this long is closed; 0: never */
	int ssh_syslog;             /* log to syslog instead of stderr */
	char ssh_syslog_socket[108]; /* the syslog daemon's datagram socket, default /dev/log */
	int ssh_rmdir_nonempty;     /* SFTP rmdir deletes an album with photos in it */
	/* uploads spooled and waiting for the full ingest, per connection; also
	 * bounded by the spool file system's free space (see sshd/spool.c) */
	int64_t ssh_spool_max;
	int ssh_ingest_nice;        /* the ingest worker's nice value: it takes leftover CPU */
	int ssh_ingest_timeout_secs; /* one file's full ingest takes longer: not stored */
	int ssh_ingest_workers;      /* ingest processes per connection, at most the CPUs */
} pgal_config;

/* Fills defaults, then reads `path` if not NULL (a missing explicit file is an
 * error), then PGAL_CONFIG's file if path is NULL and it is set, then PGAL_*
 * variables. Derived paths are completed from home last. */
int pgal_config_load(pgal_config *c, const char *path, pgal_err *e);

/* Defaults only (no file, no environment): for tests. */
void pgal_config_defaults(pgal_config *c);

/* decode_memory_max when the file leaves it 0: room for max_pixels at 4
 * bytes each (an 8-bit RGBA image held whole) and the decoder itself. */
int64_t pgal_config_decode_memory_default(int64_t max_pixels);

/* Sets one key from text, as the file parser does; `where` names the source
 * in error messages ("pgal.conf:12", "PGAL_MAX_PIXELS"). */
int pgal_config_set(pgal_config *c, const char *key, const char *value, const char *where, pgal_err *e);

#endif
