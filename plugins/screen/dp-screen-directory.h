/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpScreenDirectory: the personal directory (SPA "Personal Directory"),
 * `<state>/directory.json` = `{"version":1,"entries":[{"name","number"}]}`.
 *
 * Decisions:
 * - At most %DP_SCREEN_DIRECTORY_MAX entries (the SPA942/962 personal
 *   directory holds 100).
 * - A name is 1..%DP_SCREEN_DIRECTORY_MAX_TEXT bytes of UTF-8 without
 *   control characters; a number is 1..%DP_SCREEN_DIRECTORY_MAX_TEXT bytes
 *   of dial keys and SIP URI characters (`0-9 * # + a-z A-Z . - _ @ : ;
 *   = ! ~ ' ( ) %`), no blanks; surrounding blanks are trimmed.
 * - Entries are kept sorted by name (case-folded), then number, as the
 *   SPA lists them; indexes refer to that order.
 * - Every change is saved at once (temp file, fsync, rename); a change that
 *   cannot be saved is undone and reported.
 * - D-Bus and web UI access are not provided by the screen plugin: another
 *   plugin must not include this header (see the report on issue 11).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define DP_SCREEN_DIRECTORY_MAX 100
#define DP_SCREEN_DIRECTORY_MAX_TEXT 64

typedef struct {
  char *name;
  char *number;
} DpScreenDirectoryEntry;

#define DP_TYPE_SCREEN_DIRECTORY (dp_screen_directory_get_type ())
G_DECLARE_FINAL_TYPE (DpScreenDirectory, dp_screen_directory, DP, SCREEN_DIRECTORY, GObject)

DpScreenDirectory *dp_screen_directory_new        (const char         *path);
gboolean           dp_screen_directory_load       (DpScreenDirectory  *self,
                                                   GError            **error);
gboolean           dp_screen_directory_load_data  (DpScreenDirectory  *self,
                                                   const char         *data,
                                                   gssize              length,
                                                   GError            **error);
gboolean           dp_screen_directory_check      (const char         *name,
                                                   const char         *number,
                                                   GError            **error);
gboolean           dp_screen_directory_add        (DpScreenDirectory  *self,
                                                   const char         *name,
                                                   const char         *number,
                                                   guint              *index,
                                                   GError            **error);
gboolean           dp_screen_directory_edit       (DpScreenDirectory  *self,
                                                   guint               index,
                                                   const char         *name,
                                                   const char         *number,
                                                   guint              *new_index,
                                                   GError            **error);
gboolean           dp_screen_directory_delete     (DpScreenDirectory  *self,
                                                   guint               index,
                                                   GError            **error);
guint              dp_screen_directory_get_n_entries (DpScreenDirectory *self);
const DpScreenDirectoryEntry *dp_screen_directory_get_entry (DpScreenDirectory *self,
                                                   guint               index);
JsonNode          *dp_screen_directory_to_json    (DpScreenDirectory  *self);

G_END_DECLS
