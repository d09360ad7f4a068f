/* Every screen's key table by the name the user knows it by, for what is
 * written about the keys outside the program: pgal-tui(1)'s KEYS section
 * is made from tui_screens (tools/gen-man.c tui-keys), so the page lists
 * the very rows the TUI dispatches on and help shows. Dispatch does not
 * read this list; each view pushes its own table. */
#ifndef PGAL_TUI_SCREENS_H
#define PGAL_TUI_SCREENS_H

#include "app.h"

/* the views' tables (each defined beside its view's actions) */
extern const tui_binding tui_welcome_keys[];     /* view-welcome.c */
extern const tui_binding tui_login_keys[];       /* view-login.c */
extern const tui_binding tui_confirm_code_keys[];/* view-code.c */
extern const tui_binding tui_reset_code_keys[];
extern const tui_binding tui_albums_keys[];      /* view-albums.c */
extern const tui_binding tui_album_keys[];       /* view-album.c */
extern const tui_binding tui_photo_keys[];       /* view-photo.c */
extern const tui_binding tui_photo_move_keys[];  /* view-photo.c */
extern const tui_binding tui_add_path_keys[];    /* view-add.c */
extern const tui_binding tui_add_progress_keys[];
extern const tui_binding tui_add_remote_keys[];
extern const tui_binding tui_search_keys[];      /* view-search.c */
extern const tui_binding tui_account_keys[];     /* view-account.c */
extern const tui_binding tui_ssh_keys_keys[];    /* view-keys.c */
extern const tui_binding tui_form_keys[];        /* view-form.c: a plain form's */
extern const tui_binding tui_dialog_keys[];      /* dialog.c */
extern const tui_binding tui_ask_keys[];

typedef struct tui_screen {
	const char *name; /* as the user sees it: the view's title, or what it is */
	const tui_binding *keys;
} tui_screen;
/* in the order a user meets them; a table several screens share is listed
 * once; ends with a NULL name */
extern const tui_screen tui_screens[];

#endif
