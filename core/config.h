/* Configuration: pgal.conf (`key = value`, `#` comments) with every key
 * overridable by PGAL_<KEY> in the environment. Keys are declared in one
 * table in config.c; unknown keys and bad values are errors naming key and line. */
#ifndef PGAL_CONFIG_H
#define PGAL_CONFIG_H

#include <limits.h>
#include <stdint.h>

#include "err.h"

typedef struct pgal_config {
	char home[PATH_MAX];   /* the data folder (PGAL_HOME): the SQLite file, blobs, outbox, host key */
	char store[16];        /* where metadata lives: sqlite, mysql or dynamodb */
	char blobs[16];        /* where photos live: fs (a folder) or s3 */
	char mail[16];         /* how confirmation codes go out: outbox (kept as files), smtp or ses */
	char mail_from[256];   /* the From: of confirmation mail, "Name <address>" */
	char sqlite_path[PATH_MAX]; /* the SQLite file; default <home>/pgal.db */
	char blobs_dir[PATH_MAX];   /* the photo folder of blobs = fs; default <home>/blobs */
	char outbox_dir[PATH_MAX];  /* where mail = outbox keeps mail; default <home>/outbox */
	int64_t max_upload_bytes;   /* the largest photo file taken */
	int64_t max_pixels;         /* width times height above which a photo is refused before decoding */
	int thumb_px;               /* the long edge of thumbnails, in pixels */
	int preview_px;             /* the long edge of previews, in pixels */
	int decode_sandbox;         /* decode uploads in a sandboxed child process */
	/* the memory one decode may take: more is refused from the header, and a
	 * sandboxed decoder cannot map more (0: max_pixels x 4 + 128M) */
	int64_t decode_memory_max;
	int decoders_max;           /* decoders running at once on this host (0: the CPUs) */
	int session_idle_secs;      /* a session unused this long expires */
	int session_max_secs;       /* a session expires this long after login */
	int code_ttl_secs;          /* confirmation code lifetime */
	int code_tries;             /* wrong codes allowed before a resend is needed */
	int mail_cooldown_secs;     /* between two codes mailed to one account or address (0: none) */
	/* AWS (blobs = s3, mail = ses); endpoints come from AWS_ENDPOINT_URL* */
	char aws_region[64];          /* the AWS region; else AWS_REGION, AWS_DEFAULT_REGION */
	char aws_access_key_id[128];  /* AWS credentials; else AWS_*, ~/.aws/credentials, instance role */
	char aws_secret_access_key[128]; /* goes with aws_access_key_id; never logged */
	char aws_session_token[4096];  /* with temporary credentials */
	char s3_bucket[64];           /* the bucket of blobs = s3 */
	char s3_prefix[256];          /* put before every object key, e.g. "pgal/" */
	int s3_path_style;            /* URLs http://host/bucket/key (S3-compatible stores) */
	int64_t s3_multipart_threshold; /* files up to this go in one streamed PUT */
	int s3_abort_incomplete_uploads; /* pgal init adds a lifecycle rule ending unfinished multipart uploads under s3_prefix after a day */
	char smtp_url[512];           /* mail = smtp: smtp://host:587 (STARTTLS) or smtps:// */
	char smtp_user[256];          /* the SMTP login */
	char smtp_password[256];      /* never logged */
	char smtp_ca_file[512];       /* CA bundle for the SMTP server's certificate; default the system's */
	/* store = mysql (MySQL 8, RDS, MariaDB) */
	char mysql_host[256];         /* the MySQL server; empty: this host through mysql_socket or the default socket */
	int mysql_port;               /* 0: 3306 */
	char mysql_user[128];         /* the MySQL account */
	char mysql_password[256];     /* never logged nor put in a message */
	char mysql_database[65];      /* a database of pgal's own; empty: pgal */
	char mysql_ssl_ca[PATH_MAX];  /* CA file: TLS required and the server certificate verified */
	char mysql_socket[PATH_MAX];  /* Unix socket, with an empty mysql_host */
	int mysql_tls;                /* yes: without mysql_ssl_ca, plaintext only to this host (socket,
	                               * loopback); no: plaintext allowed to any host */
	/* store = dynamodb: albums and photos, and users/sessions/keys */
	char dynamodb_table[256];      /* the table of albums and photos */
	char dynamodb_users_table[256]; /* the table of users, sessions and keys */
	int dynamodb_pitr;             /* pgal init turns on point-in-time recovery (35 days of restores) of both tables */
	int dynamodb_deletion_protection; /* pgal init turns on deletion protection of both tables */
	int dynamodb_ttl;              /* pgal init has DynamoDB delete expired sessions and marks itself (TTL on `expires`) */
	int64_t quota_bytes;        /* per user, the sum of the originals; 0: no quota */
	/* pgal-sshd */
	char ssh_listen[64];        /* pgal-sshd: the address to listen on */
	int ssh_port;               /* the port to listen on */
	char ssh_guest[33];         /* the name that logs in without a password, to sign up */
	int ssh_login_grace_secs;   /* the time to authenticate after connecting */
	/* ssh_max_startups = start:rate:full (or one number N, meaning N:100:N):
	 * beyond start unauthenticated connections a new one from a source
	 * that holds one already is dropped with probability rate %, rising
	 * linearly to 100 % at full; at full a new one takes the slot of the
	 * one that made the least progress */
	int ssh_max_startups;       /* unauthenticated connections at once: beyond start a new one from a
	                             * source holding one is dropped with probability rate %, rising to
	                             * 100 % at full, where it takes the slot of the one that made the
	                             * least progress (N alone: N:100:N) */
	int ssh_max_startups_rate;  /* percent, 1 to 100 */
	int ssh_max_startups_full;  /* >= start */
	int ssh_kex_grace_secs;     /* from start on: to finish the key exchange */
	int ssh_per_addr_max;       /* connections at once from one address (IPv6: one /64) */
	int ssh_max_sessions;       /* connections at once in all, guests apart */
	int ssh_max_guests;         /* guest connections at once in all */
	int ssh_guest_open_secs;    /* a guest connection without a channel this long is closed */
	int ssh_guest_idle_secs;    /* ssh_idle_secs of a guest; 0: never */
	int ssh_max_channels;       /* session channels at once on one user connection */
	int ssh_idle_secs;          /* a connection with no traffic this long is closed; 0: never */
	int ssh_syslog;             /* log to syslog instead of stderr */
	char ssh_syslog_socket[108]; /* the syslog daemon's datagram socket, default /dev/log */
	int ssh_rmdir_nonempty;     /* SFTP rmdir deletes an album with photos in it */
	/* uploads spooled and waiting for the full ingest, per connection; also
	 * bounded by the spool file system's free space */
	int64_t ssh_spool_max;
	int ssh_ingest_nice;        /* the ingest worker's nice value: it takes leftover CPU */
	int ssh_ingest_timeout_secs; /* one file's full ingest takes longer: not stored */
	int ssh_upload_marker_secs; /* a host that dies holds its uploads' markers (every host's commands wait) at most this long */
	int ssh_ingest_workers;      /* ingest processes per connection, at most the CPUs */
	/* a fleet behind a load balancer */
	char ssh_host_key[1024];    /* the host key every host of a fleet presents: a file, or an
	                             * s3://BUCKET/KEY object read with the blobs' AWS settings at start
	                             * and on SIGHUP (pgal init --host-key makes it); empty: made once as
	                             * PGAL_HOME/ssh_host_ed25519_key */
	int ssh_proxy_protocol;     /* a PROXY protocol header (v1 or v2) from a balancer in
	                             * ssh_proxy_trusted gives the client's address: logs, limits and
	                             * throttles see the client; a trusted connection without one is
	                             * dropped, an untrusted one that sends one is refused */
	char ssh_proxy_trusted[1024]; /* the balancers' addresses: CIDR blocks, IPv4 or IPv6, separated
	                               * by commas or spaces (an address alone is that one address) */
	int ssh_health_port;        /* HTTP health checks on this port of ssh_listen, answered by the
	                             * listener: GET /health says 200 ok, or 503 and why when the store or
	                             * the blobs cannot be reached (checked every few seconds); 0: none */
} pgal_config;

/* Fills defaults, then reads `path` if not NULL (a missing explicit file is an
 * error), then PGAL_CONFIG's file if path is NULL and it is set, then PGAL_*
 * variables. Derived paths are completed from home last. The process then
 * holds secrets, so it also stops writing core files (RLIMIT_CORE 0). */
int pgal_config_load(pgal_config *c, const char *path, pgal_err *e);

/* One key of the table, as pgal.conf(5) describes it. */
typedef struct pgal_config_key_desc {
	const char *name;
	const char *kind;	/* "text", "number", "size", "yes or no", "start:rate:full" */
	int64_t min, max;	/* numbers and sizes */
	char def[128];		/* the default as it would be written ("" none) */
} pgal_config_key_desc;

/* The i-th key of the table (0, 1, ...): 0, or -1 past the last. */
int pgal_config_key_at(size_t i, pgal_config_key_desc *d);

/* Defaults only (no file, no environment): for tests. */
void pgal_config_defaults(pgal_config *c);

/* decode_memory_max when the file leaves it 0: room for max_pixels at 4
 * bytes each (an 8-bit RGBA image held whole) and the decoder itself. */
int64_t pgal_config_decode_memory_default(int64_t max_pixels);

/* Sets one key from text, as the file parser does; `where` names the source
 * in error messages ("pgal.conf:12", "PGAL_MAX_PIXELS"). */
int pgal_config_set(pgal_config *c, const char *key, const char *value, const char *where, pgal_err *e);

#endif
