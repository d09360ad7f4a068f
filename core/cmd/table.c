/* The one table of commands, in the order `pgal --help` lists them. Each
 * entry lives in its own file, core/cmd/<name>.c. */
#include <stddef.h>
#include <string.h>

#include "cmd.h"

extern const pgal_cmd_entry pgal_cmd_signup_entry;
extern const pgal_cmd_entry pgal_cmd_confirm_entry;
extern const pgal_cmd_entry pgal_cmd_resend_entry;
extern const pgal_cmd_entry pgal_cmd_reset_entry;
extern const pgal_cmd_entry pgal_cmd_login_entry;
extern const pgal_cmd_entry pgal_cmd_logout_entry;
extern const pgal_cmd_entry pgal_cmd_whoami_entry;
extern const pgal_cmd_entry pgal_cmd_df_entry;
extern const pgal_cmd_entry pgal_cmd_passwd_entry;
extern const pgal_cmd_entry pgal_cmd_cancel_entry;
extern const pgal_cmd_entry pgal_cmd_albums_entry;
extern const pgal_cmd_entry pgal_cmd_mkalbum_entry;
extern const pgal_cmd_entry pgal_cmd_editalbum_entry;
extern const pgal_cmd_entry pgal_cmd_rmalbum_entry;
extern const pgal_cmd_entry pgal_cmd_ls_entry;
extern const pgal_cmd_entry pgal_cmd_put_entry;
extern const pgal_cmd_entry pgal_cmd_import_entry;
extern const pgal_cmd_entry pgal_cmd_info_entry;
extern const pgal_cmd_entry pgal_cmd_edit_entry;
extern const pgal_cmd_entry pgal_cmd_mv_entry;
extern const pgal_cmd_entry pgal_cmd_rm_entry;
extern const pgal_cmd_entry pgal_cmd_get_entry;
extern const pgal_cmd_entry pgal_cmd_md5sum_entry;
extern const pgal_cmd_entry pgal_cmd_sha1sum_entry;
extern const pgal_cmd_entry pgal_cmd_sha256sum_entry;
extern const pgal_cmd_entry pgal_cmd_search_entry;
extern const pgal_cmd_entry pgal_cmd_share_entry;
extern const pgal_cmd_entry pgal_cmd_key_entry;
extern const pgal_cmd_entry pgal_cmd_prefs_entry;
extern const pgal_cmd_entry pgal_cmd_gc_entry;
extern const pgal_cmd_entry pgal_cmd_init_entry;
extern const pgal_cmd_entry pgal_cmd_help_entry;

const pgal_cmd_entry *const pgal_cmd_table[] = {
	&pgal_cmd_signup_entry,
	&pgal_cmd_confirm_entry,
	&pgal_cmd_resend_entry,
	&pgal_cmd_reset_entry,
	&pgal_cmd_login_entry,
	&pgal_cmd_logout_entry,
	&pgal_cmd_whoami_entry,
	&pgal_cmd_df_entry,
	&pgal_cmd_passwd_entry,
	&pgal_cmd_cancel_entry,
	&pgal_cmd_albums_entry,
	&pgal_cmd_mkalbum_entry,
	&pgal_cmd_editalbum_entry,
	&pgal_cmd_rmalbum_entry,
	&pgal_cmd_ls_entry,
	&pgal_cmd_put_entry,
	&pgal_cmd_import_entry,
	&pgal_cmd_info_entry,
	&pgal_cmd_edit_entry,
	&pgal_cmd_mv_entry,
	&pgal_cmd_rm_entry,
	&pgal_cmd_get_entry,
	&pgal_cmd_md5sum_entry,
	&pgal_cmd_sha1sum_entry,
	&pgal_cmd_sha256sum_entry,
	&pgal_cmd_search_entry,
	&pgal_cmd_share_entry,
	&pgal_cmd_key_entry,
	&pgal_cmd_prefs_entry,
	&pgal_cmd_gc_entry,
	&pgal_cmd_init_entry,
	&pgal_cmd_help_entry,
	NULL
};

const pgal_cmd_entry *
pgal_cmd_find(const char *name)
{
	const pgal_cmd_entry *const *c;

	for (c = pgal_cmd_table; *c != NULL; c++) {
		if (strcmp((*c)->name, name) == 0)
			return *c;
	}
	return NULL;
}
