/* The list of screens and their key tables (screens.h). */
#include "screens.h"

const tui_screen tui_screens[] = {
	{ "every screen", tui_shared_keys },
	{ "welcome", tui_welcome_keys },
	{ "log in", tui_login_keys },
	{ "confirm email", tui_confirm_code_keys },
	{ "reset password", tui_reset_code_keys },
	{ "albums", tui_albums_keys },
	{ "album", tui_album_keys },
	{ "photo", tui_photo_keys },
	{ "move or rename photo", tui_photo_move_keys },
	{ "add photos", tui_add_path_keys },
	{ "adding photos", tui_add_progress_keys },
	{ "add photos over SSH", tui_add_remote_keys },
	{ "search results", tui_search_keys },
	{ "account", tui_account_keys },
	{ "SSH keys", tui_ssh_keys_keys },
	{ "other forms (sign up, new album, rename, edit, search, password)", tui_form_keys },
	{ "confirm", tui_dialog_keys },
	{ "confirm, either answer acts", tui_ask_keys },
	{ NULL, NULL },
};
