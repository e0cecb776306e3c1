/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpDirectory: the personal directory (SPA "Personal Directory"), owned by
 * DpCore (dp_core_get_directory()) and stored in `<state>/directory.json` =
 * `{"version":1,"entries":[{"id","name","number"}...]}`.
 *
 * Decisions:
 * - At most %DP_DIRECTORY_MAX entries (the SPA942/962 personal directory
 *   holds 100).
 * - A name is 1..%DP_DIRECTORY_MAX_TEXT bytes of UTF-8 without control
 *   characters; a number is 1..%DP_DIRECTORY_MAX_TEXT bytes of dial keys and
 *   SIP URI characters (`0-9 * # + a-z A-Z . - _ @ : ; = ! ~ ' ( ) %`), no
 *   blanks; surrounding blanks are trimmed. Bad input fails with
 *   %DP_DIRECTORY_ERROR_INVALID (mapped to the D-Bus error
 *   `org.deskphone.Phone1.Error.DirectoryInvalid`).
 * - Entries are kept sorted by name (case-folded), then number, as the SPA
 *   lists them; indexes refer to that order and change with edits.
 * - Every entry also has an id: a decimal string, stable across edits and
 *   restarts, which D-Bus, deskphonectl and the web UI use. A new entry
 *   gets one more than the largest id in use, so an id is not reused while
 *   a larger one exists. Files written before ids existed (the screen
 *   plugin's) have none: ids are then given in file order on load.
 * - Every change is saved at once (temp file, fsync, rename); a change that
 *   cannot be saved is undone and reported (%DP_DIRECTORY_ERROR_STORAGE).
 * - #DpDirectory::changed is emitted after every successful change or load.
 */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define DP_DIRECTORY_MAX 100
#define DP_DIRECTORY_MAX_TEXT 64

#define DP_DIRECTORY_ERROR (dp_directory_error_quark ())

/**
 * DpDirectoryError:
 * @DP_DIRECTORY_ERROR_INVALID: a name or number is not acceptable
 * @DP_DIRECTORY_ERROR_NOT_FOUND: no entry with that id or index
 * @DP_DIRECTORY_ERROR_FULL: the directory already holds %DP_DIRECTORY_MAX entries
 * @DP_DIRECTORY_ERROR_STORAGE: the file could not be read or written
 */
typedef enum {
  DP_DIRECTORY_ERROR_INVALID,
  DP_DIRECTORY_ERROR_NOT_FOUND,
  DP_DIRECTORY_ERROR_FULL,
  DP_DIRECTORY_ERROR_STORAGE,
} DpDirectoryError;

GQuark dp_directory_error_quark (void);

typedef struct {
  char *id;
  char *name;
  char *number;
} DpDirectoryEntry;

#define DP_TYPE_DIRECTORY (dp_directory_get_type ())
G_DECLARE_FINAL_TYPE (DpDirectory, dp_directory, DP, DIRECTORY, GObject)

DpDirectory *dp_directory_new          (const char   *path);
const char  *dp_directory_get_path     (DpDirectory  *self);
gboolean     dp_directory_load         (DpDirectory  *self,
                                        GError      **error);
gboolean     dp_directory_load_data    (DpDirectory  *self,
                                        const char   *data,
                                        gssize        length,
                                        GError      **error);
gboolean     dp_directory_check        (const char   *name,
                                        const char   *number,
                                        GError      **error);

/* By index (sorted order), as the screen lists them. */
gboolean     dp_directory_add          (DpDirectory  *self,
                                        const char   *name,
                                        const char   *number,
                                        guint        *index,
                                        GError      **error);
gboolean     dp_directory_edit         (DpDirectory  *self,
                                        guint         index,
                                        const char   *name,
                                        const char   *number,
                                        guint        *new_index,
                                        GError      **error);
gboolean     dp_directory_delete       (DpDirectory  *self,
                                        guint         index,
                                        GError      **error);
guint        dp_directory_get_n_entries (DpDirectory *self);
const DpDirectoryEntry *dp_directory_get_entry (DpDirectory *self,
                                        guint         index);

/* By id, as D-Bus, deskphonectl and the web UI address them. */
const DpDirectoryEntry *dp_directory_lookup (DpDirectory *self,
                                        const char   *id);
char        *dp_directory_add_contact  (DpDirectory  *self,
                                        const char   *name,
                                        const char   *number,
                                        GError      **error);
gboolean     dp_directory_update_contact (DpDirectory *self,
                                        const char   *id,
                                        const char   *name,
                                        const char   *number,
                                        GError      **error);
gboolean     dp_directory_delete_contact (DpDirectory *self,
                                        const char   *id,
                                        GError      **error);

JsonNode    *dp_directory_to_json      (DpDirectory  *self);

G_END_DECLS
