/* The records the gallery keeps. Plain structs with fixed, bounded fields so
 * every backend fills the same shape and nothing needs freeing field by field. */
#ifndef PGAL_RECORDS_H
#define PGAL_RECORDS_H

#include <stdint.h>

typedef int64_t pgal_id;

/* Bounds (in bytes, UTF-8), enforced by the core before anything is stored. */
#define PGAL_USER_MAX 32        /* [a-z][a-z0-9_-]{1,31} */
#define PGAL_EMAIL_MAX 254
#define PGAL_HASH_MAX 160       /* crypt(3) output */
#define PGAL_ALBUM_MAX 64       /* [A-Za-z0-9][A-Za-z0-9._ -]{0,63} */
#define PGAL_PHOTO_NAME_MAX 128 /* sanitized file name, with -2, -3 suffixes */
#define PGAL_TITLE_MAX 200
#define PGAL_DESC_MAX 2000
#define PGAL_TAGS_MAX 512       /* tags joined by ',' ; each tag [^,] */
#define PGAL_TAG_MAX 40
#define PGAL_SHA256_HEX 64
#define PGAL_SHA1_HEX 40
#define PGAL_MD5_HEX 32
#define PGAL_BLOB_ID_HEX 32     /* random id; blob keys derive from it */

typedef struct pgal_user {
	pgal_id id;
	char name[PGAL_USER_MAX + 1];
	char email[PGAL_EMAIL_MAX + 1];
	char pwhash[PGAL_HASH_MAX + 1];
	int confirmed;
	int64_t created_at;
	/* pending confirmation code (hashed), its expiry and tries left */
	char code_hash[PGAL_SHA256_HEX + 1];
	int64_t code_expires_at;
	int code_tries;
	/* login backoff */
	int failed_logins;
	int64_t locked_until;
} pgal_user;

typedef struct pgal_session_row {
	char token_hash[PGAL_SHA256_HEX + 1];
	pgal_id user_id;
	int64_t created_at;
	int64_t last_seen;
} pgal_session_row;

typedef struct pgal_album {
	pgal_id id;
	pgal_id user_id;
	char name[PGAL_ALBUM_MAX + 1];
	char title[PGAL_TITLE_MAX + 1];
	char description[PGAL_DESC_MAX + 1];
	int64_t created_at;
	int64_t updated_at;  /* last change to the album or any of its photos */
	int64_t photo_count; /* filled by list/get */
	int64_t bytes;       /* sum of originals, filled by list/get */
} pgal_album;

typedef struct pgal_gps {
	int present;
	double lat, lon; /* degrees, south/west negative */
	double alt;      /* metres; NAN when unknown */
} pgal_gps;

/* EXIF as read by libexif, strings already sanitized. Unknown numbers are 0,
 * unknown strings empty, taken_at -1. */
typedef struct pgal_exif {
	char make[64];
	char model[64];
	char lens[128];
	char exposure_time[24]; /* "1/250" or "2.5" seconds */
	double f_number;
	int iso;
	double focal_length; /* mm */
	int orientation;     /* 1..8, 0 unknown */
	int64_t taken_at;    /* unix time, camera local time taken as UTC; -1 unknown */
	pgal_gps gps;
} pgal_exif;

typedef struct pgal_photo {
	pgal_id id;
	pgal_id album_id;
	pgal_id user_id;
	char album[PGAL_ALBUM_MAX + 1]; /* album name, filled on reads */
	char name[PGAL_PHOTO_NAME_MAX + 1];
	char title[PGAL_TITLE_MAX + 1];
	char description[PGAL_DESC_MAX + 1];
	char tags[PGAL_TAGS_MAX + 1]; /* normalized, sorted, ',' separated */
	char mime[32];
	int width, height; /* as displayed, orientation applied */
	int64_t bytes;
	char sha256[PGAL_SHA256_HEX + 1];
	char blob_id[PGAL_BLOB_ID_HEX + 1];
	int64_t added_at;
	int64_t sort_taken; /* taken_at if known, else added_at: keyset sort key */
	int64_t mtime;      /* the file's time as a client set it (SFTP); 0: added_at */
	pgal_exif exif;
	/* of the original too, for sync tools' checks (md5sum, sha1sum); empty
	 * in a row stored before they were kept, until first asked for */
	char md5[PGAL_MD5_HEX + 1];
	char sha1[PGAL_SHA1_HEX + 1];
} pgal_photo;

/* An upload some host has accepted and is still storing (a row of the
 * store's uploads, shared by every host): what a listing shows of it
 * until its photo row exists. */
#define PGAL_UPLOAD_HOLDER_MAX 100
typedef struct pgal_upload {
	char album[PGAL_ALBUM_MAX + 1];
	char name[PGAL_PHOTO_NAME_MAX + 1];
	char holder[PGAL_UPLOAD_HOLDER_MAX + 1]; /* the process storing it */
	int64_t bytes;
	int64_t queued_at;
	int64_t mtime;                    /* 0: none set */
	char sha256[PGAL_SHA256_HEX + 1]; /* "" when not known */
	int64_t until;                    /* absent after this moment */
} pgal_upload;
/* A preference of an account, by name ("colors" -> "truecolor"); the
 * names and values there are live in core/prefs.c. */
#define PGAL_PREF_NAME_MAX 32
#define PGAL_PREF_VALUE_MAX 32
typedef struct pgal_pref {
	char name[PGAL_PREF_NAME_MAX + 1];
	char value[PGAL_PREF_VALUE_MAX + 1];
} pgal_pref;

/* The stored renditions of a photo's blob id: what pgal_photo_read gives. */
typedef enum pgal_blob_kind {
	PGAL_BLOB_ORIG = 0,
	PGAL_BLOB_THUMB,
	PGAL_BLOB_PREVIEW,
} pgal_blob_kind;

/* An SSH public key registered to an account. */
typedef struct pgal_ssh_key {
	pgal_id id;
	char algo[32];        /* "ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512" key type... */
	char fingerprint[64]; /* "SHA256:<base64 without padding>" as OpenSSH prints it */
	char comment[128];    /* sanitized */
	int64_t created_at;
} pgal_ssh_key;

typedef enum pgal_sort {
	PGAL_SORT_TAKEN = 0,
	PGAL_SORT_ADDED,
	PGAL_SORT_TITLE,
} pgal_sort;

/* Keyset pagination position: the last row of the previous page. */
typedef struct pgal_cursor {
	int valid;        /* 0: start at the beginning */
	int64_t num;      /* sort_taken or added_at */
	char text[PGAL_TITLE_MAX + 1]; /* title for PGAL_SORT_TITLE */
	pgal_id id;       /* tie breaker */
} pgal_cursor;

#endif
