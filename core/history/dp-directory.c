/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-history"

#include "dp-directory.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>
#include "dp-json-store.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

/* Ids are decimal strings of at most this many digits, so they fit a
 * guint and the next one can always be computed. */
#define ID_MAX_DIGITS 9

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _DpDirectory
{
  GObject    parent_instance;
  char      *path;
  GPtrArray *entries;   /* DpDirectoryEntry*, sorted */
};

G_DEFINE_FINAL_TYPE (DpDirectory, dp_directory, G_TYPE_OBJECT)
G_DEFINE_QUARK (dp-directory-error-quark, dp_directory_error)

static void
entry_free (gpointer data)
{
  DpDirectoryEntry *entry = data;

  g_free (entry->id);
  g_free (entry->name);
  g_free (entry->number);
  g_free (entry);
}

static DpDirectoryEntry *
entry_new (const char *id, const char *name, const char *number)
{
  DpDirectoryEntry *entry = g_new0 (DpDirectoryEntry, 1);

  entry->id = g_strdup (id);
  entry->name = g_strstrip (g_strdup (name));
  entry->number = g_strstrip (g_strdup (number));
  return entry;
}

static int
entry_compare (DpDirectoryEntry *a, DpDirectoryEntry *b)
{
  g_autofree char *fa = g_utf8_casefold (a->name, -1);
  g_autofree char *fb = g_utf8_casefold (b->name, -1);
  int result = g_utf8_collate (fa, fb);

  return result != 0 ? result : strcmp (a->number, b->number);
}

static int
entry_compare_indirect (gconstpointer a, gconstpointer b)
{
  return entry_compare (*(DpDirectoryEntry **) a, *(DpDirectoryEntry **) b);
}

/* An id is 1..ID_MAX_DIGITS decimal digits without a leading zero, so each
 * number has exactly one spelling and lookups can compare strings. */
static gboolean
parse_id (const char *id, guint *value)
{
  gsize length = id != NULL ? strlen (id) : 0;

  if (length == 0 || length > ID_MAX_DIGITS || id[0] == '0')
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (id[i]))
      return FALSE;
  if (value != NULL)
    *value = (guint) strtoul (id, NULL, 10);
  return TRUE;
}

static guint
max_id (GPtrArray *entries)
{
  guint max = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      DpDirectoryEntry *entry = entries->pdata[i];
      guint value;

      if (entry->id != NULL && parse_id (entry->id, &value))
        max = MAX (max, value);
    }
  return max;
}

static void
dp_directory_finalize (GObject *object)
{
  DpDirectory *self = DP_DIRECTORY (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->path, g_free);
  G_OBJECT_CLASS (dp_directory_parent_class)->finalize (object);
}

static void
dp_directory_class_init (DpDirectoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dp_directory_finalize;

  /**
   * DpDirectory::changed:
   * @directory: the directory
   *
   * An entry was added, edited or deleted, or the file was reloaded.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dp_directory_init (DpDirectory *self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
}

/**
 * dp_directory_new:
 * @path: (nullable): the file, or %NULL for a directory kept in memory only
 *
 * Returns: (transfer full): an empty directory; call dp_directory_load()
 */
DpDirectory *
dp_directory_new (const char *path)
{
  DpDirectory *self = g_object_new (DP_TYPE_DIRECTORY, NULL);

  self->path = g_strdup (path);
  return self;
}

const char *
dp_directory_get_path (DpDirectory *self)
{
  g_return_val_if_fail (DP_IS_DIRECTORY (self), NULL);
  return self->path;
}

static gboolean
check_text (const char *what, const char *text, gboolean is_number, GError **error)
{
  g_autofree char *trimmed = NULL;
  gsize length;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_INVALID,
                   _("%s: not valid UTF-8 text"), what);
      return FALSE;
    }
  trimmed = g_strstrip (g_strdup (text));
  length = strlen (trimmed);
  if (length == 0 || length > DP_DIRECTORY_MAX_TEXT)
    {
      g_set_error (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_INVALID,
                   _("%s: must be 1 to %d bytes long (it is %zu)"), what,
                   DP_DIRECTORY_MAX_TEXT, length);
      return FALSE;
    }
  for (const char *p = trimmed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean ok = is_number ? (c < 128 && (g_ascii_isalnum ((char) c) ||
                                             strchr ("*#+.-_@:;=!~'()%", (int) c) != NULL))
                              : !g_unichar_iscntrl (c);
      if (!ok)
        {
          g_set_error (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_INVALID,
                       _("%s: character %ld (U+%04X) is not allowed"), what,
                       g_utf8_pointer_to_offset (trimmed, p) + 1, c);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * dp_directory_check:
 * @name: the display name
 * @number: the number or SIP URI
 * @error: return location for a #GError (%DP_DIRECTORY_ERROR_INVALID)
 *
 * Validates one entry; the message names the field, the character
 * position and the problem.
 */
gboolean
dp_directory_check (const char *name, const char *number, GError **error)
{
  return check_text ("name", name, FALSE, error) && check_text ("number", number, TRUE, error);
}

/**
 * dp_directory_load_data:
 *
 * Replaces the entries with those of @data (see the header for the
 * format). On error nothing changes and the message names the entry, the
 * member and the problem.
 */
gboolean
dp_directory_load_data (DpDirectory *self, const char *data, gssize length, GError **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array = NULL;
  guint next_id;

  g_return_val_if_fail (DP_IS_DIRECTORY (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  g_autoptr(JsonParser) parser = dp_json_store_parse_list (data, length, "directory", &array, error);
  if (parser == NULL)
    return FALSE;
  if (json_array_get_length (array) > DP_DIRECTORY_MAX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("directory: %u entries, at most %d are allowed"),
                   json_array_get_length (array), DP_DIRECTORY_MAX);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = dp_json_store_array_object (array, i, error);
      const char *name, *number, *id;
      g_autoptr(GError) local_error = NULL;

      if (object == NULL ||
          !dp_json_store_get_string (object, i, "id", TRUE, &id, error) ||
          !dp_json_store_get_string (object, i, "name", FALSE, &name, error) ||
          !dp_json_store_get_string (object, i, "number", FALSE, &number, error))
        return FALSE;
      if (!dp_directory_check (name, number, &local_error))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("entry %u: %s"), i + 1, local_error->message);
          return FALSE;
        }
      /* An absent id (a file from before ids) is given one below; a
       * present one must be well formed and unique. */
      if (json_object_has_member (object, "id"))
        {
          if (!parse_id (id, NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("entry %u: member \"id\": \"%s\" is not a number from 1 to %d digits"),
                           i + 1, id, ID_MAX_DIGITS);
              return FALSE;
            }
          if (!g_hash_table_add (ids, (gpointer) id))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("entry %u: member \"id\": \"%s\" is used by an earlier entry"), i + 1, id);
              return FALSE;
            }
          g_ptr_array_add (entries, entry_new (id, name, number));
        }
      else
        g_ptr_array_add (entries, entry_new (NULL, name, number));
    }
  next_id = max_id (entries) + 1;
  for (guint i = 0; i < entries->len; i++)
    {
      DpDirectoryEntry *entry = entries->pdata[i];

      if (entry->id == NULL)
        entry->id = g_strdup_printf ("%u", next_id++);
    }
  g_ptr_array_sort (entries, entry_compare_indirect);
  g_ptr_array_unref (self->entries);
  self->entries = g_steal_pointer (&entries);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

/**
 * dp_directory_load:
 *
 * Reads the file. A missing file is an empty directory, not an error.
 */
gboolean
dp_directory_load (DpDirectory *self, GError **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (DP_IS_DIRECTORY (self), FALSE);
  if (self->path == NULL)
    return TRUE;
  if (!dp_json_store_read_file (self->path, &data, &length, &local_error))
    {
      g_set_error (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_STORAGE,
                   "%s", local_error->message);
      return FALSE;
    }
  if (data == NULL)
    {
      g_ptr_array_set_size (self->entries, 0);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      return TRUE;
    }
  if (!dp_directory_load_data (self, data, (gssize) length, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", self->path);
      return FALSE;
    }
  return TRUE;
}

/**
 * dp_directory_to_json:
 *
 * Returns: (transfer full): the file's document, entries in sorted order
 */
JsonNode *
dp_directory_to_json (DpDirectory *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (DP_IS_DIRECTORY (self), NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->entries->len; i++)
    {
      DpDirectoryEntry *entry = self->entries->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, entry->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, entry->name);
      json_builder_set_member_name (builder, "number");
      json_builder_add_string_value (builder, entry->number);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
save (DpDirectory *self, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->path == NULL)
    return TRUE;
  root = dp_directory_to_json (self);
  if (dp_json_store_save (root, self->path, &local_error))
    return TRUE;
  g_set_error (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_STORAGE,
               _("directory not saved, change undone: %s"), local_error->message);
  return FALSE;
}

static guint
insert_sorted (DpDirectory *self, DpDirectoryEntry *entry)
{
  guint index = 0;

  while (index < self->entries->len && entry_compare (self->entries->pdata[index], entry) <= 0)
    index++;
  g_ptr_array_insert (self->entries, (gint) index, entry);
  return index;
}

static gboolean
add_entry (DpDirectory *self, const char *name, const char *number, guint *index, GError **error)
{
  g_autofree char *id = NULL;
  guint position;

  if (!dp_directory_check (name, number, error))
    return FALSE;
  if (self->entries->len >= DP_DIRECTORY_MAX)
    {
      g_set_error (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_FULL,
                   _("the directory is full (%d entries)"), DP_DIRECTORY_MAX);
      return FALSE;
    }
  id = g_strdup_printf ("%u", max_id (self->entries) + 1);
  position = insert_sorted (self, entry_new (id, name, number));
  if (!save (self, error))
    {
      g_ptr_array_remove_index (self->entries, position);
      return FALSE;
    }
  *index = position;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

/**
 * dp_directory_add:
 * @index: (out) (optional): where the new entry landed in sorted order
 */
gboolean
dp_directory_add (DpDirectory *self, const char *name, const char *number,
                  guint *index, GError **error)
{
  guint position;

  g_return_val_if_fail (DP_IS_DIRECTORY (self), FALSE);
  if (!add_entry (self, name, number, &position, error))
    return FALSE;
  if (index != NULL)
    *index = position;
  return TRUE;
}

static gboolean
check_index (DpDirectory *self, guint index, GError **error)
{
  if (index < self->entries->len)
    return TRUE;
  g_set_error (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_NOT_FOUND,
               _("no directory entry %u (there are %u)"), index + 1, self->entries->len);
  return FALSE;
}

/**
 * dp_directory_edit:
 * @new_index: (out) (optional): where the entry landed in sorted order
 *
 * Replaces the name and number of the entry at @index; its id stays.
 */
gboolean
dp_directory_edit (DpDirectory *self, guint index, const char *name,
                   const char *number, guint *new_index, GError **error)
{
  DpDirectoryEntry *old;
  guint position;

  g_return_val_if_fail (DP_IS_DIRECTORY (self), FALSE);
  if (!check_index (self, index, error) || !dp_directory_check (name, number, error))
    return FALSE;
  old = g_ptr_array_steal_index (self->entries, index);
  position = insert_sorted (self, entry_new (old->id, name, number));
  if (!save (self, error))
    {
      g_ptr_array_remove_index (self->entries, position);
      g_ptr_array_insert (self->entries, (gint) index, old);
      return FALSE;
    }
  entry_free (old);
  if (new_index != NULL)
    *new_index = position;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

gboolean
dp_directory_delete (DpDirectory *self, guint index, GError **error)
{
  DpDirectoryEntry *old;

  g_return_val_if_fail (DP_IS_DIRECTORY (self), FALSE);
  if (!check_index (self, index, error))
    return FALSE;
  old = g_ptr_array_steal_index (self->entries, index);
  if (!save (self, error))
    {
      g_ptr_array_insert (self->entries, (gint) index, old);
      return FALSE;
    }
  entry_free (old);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

guint
dp_directory_get_n_entries (DpDirectory *self)
{
  g_return_val_if_fail (DP_IS_DIRECTORY (self), 0);
  return self->entries->len;
}

/**
 * dp_directory_get_entry:
 *
 * Returns: (nullable) (transfer none): the entry at @index in sorted order
 */
const DpDirectoryEntry *
dp_directory_get_entry (DpDirectory *self, guint index)
{
  g_return_val_if_fail (DP_IS_DIRECTORY (self), NULL);
  return index < self->entries->len ? self->entries->pdata[index] : NULL;
}

static gboolean
find_id (DpDirectory *self, const char *id, guint *index, GError **error)
{
  for (guint i = 0; id != NULL && i < self->entries->len; i++)
    if (g_str_equal (((DpDirectoryEntry *) self->entries->pdata[i])->id, id))
      {
        *index = i;
        return TRUE;
      }
  g_set_error (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_NOT_FOUND,
               _("no directory entry with id \"%s\""), id != NULL ? id : "");
  return FALSE;
}

/**
 * dp_directory_lookup:
 *
 * Returns: (nullable) (transfer none): the entry with @id
 */
const DpDirectoryEntry *
dp_directory_lookup (DpDirectory *self, const char *id)
{
  guint index;

  g_return_val_if_fail (DP_IS_DIRECTORY (self), NULL);
  return find_id (self, id, &index, NULL) ? self->entries->pdata[index] : NULL;
}

/**
 * dp_directory_add_contact:
 *
 * Returns: (transfer full) (nullable): the new entry's id, or %NULL on error
 */
char *
dp_directory_add_contact (DpDirectory *self, const char *name, const char *number, GError **error)
{
  guint position;

  g_return_val_if_fail (DP_IS_DIRECTORY (self), NULL);
  if (!add_entry (self, name, number, &position, error))
    return NULL;
  return g_strdup (((DpDirectoryEntry *) self->entries->pdata[position])->id);
}

gboolean
dp_directory_update_contact (DpDirectory *self, const char *id, const char *name,
                             const char *number, GError **error)
{
  guint index;

  g_return_val_if_fail (DP_IS_DIRECTORY (self), FALSE);
  return find_id (self, id, &index, error) &&
         dp_directory_edit (self, index, name, number, NULL, error);
}

gboolean
dp_directory_delete_contact (DpDirectory *self, const char *id, GError **error)
{
  guint index;

  g_return_val_if_fail (DP_IS_DIRECTORY (self), FALSE);
  return find_id (self, id, &index, error) && dp_directory_delete (self, index, error);
}
