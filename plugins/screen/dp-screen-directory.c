/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-screen"

#include "dp-screen-directory.h"
#include "dp-screen-json.h"

#include <gio/gio.h>
#include <string.h>

struct _DpScreenDirectory
{
  GObject    parent_instance;
  char      *path;
  GPtrArray *entries;   /* DpScreenDirectoryEntry*, sorted */
};

G_DEFINE_FINAL_TYPE (DpScreenDirectory, dp_screen_directory, G_TYPE_OBJECT)

static void
entry_free (gpointer data)
{
  DpScreenDirectoryEntry *entry = data;

  g_free (entry->name);
  g_free (entry->number);
  g_free (entry);
}

static DpScreenDirectoryEntry *
entry_new (const char *name, const char *number)
{
  DpScreenDirectoryEntry *entry = g_new0 (DpScreenDirectoryEntry, 1);

  entry->name = g_strstrip (g_strdup (name));
  entry->number = g_strstrip (g_strdup (number));
  return entry;
}

static int
entry_compare (DpScreenDirectoryEntry *a, DpScreenDirectoryEntry *b)
{
  g_autofree char *fa = g_utf8_casefold (a->name, -1);
  g_autofree char *fb = g_utf8_casefold (b->name, -1);
  int result = g_utf8_collate (fa, fb);

  return result != 0 ? result : strcmp (a->number, b->number);
}

static int
entry_compare_indirect (gconstpointer a, gconstpointer b)
{
  return entry_compare (*(DpScreenDirectoryEntry **) a, *(DpScreenDirectoryEntry **) b);
}

static void
dp_screen_directory_finalize (GObject *object)
{
  DpScreenDirectory *self = DP_SCREEN_DIRECTORY (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->path, g_free);
  G_OBJECT_CLASS (dp_screen_directory_parent_class)->finalize (object);
}

static void
dp_screen_directory_class_init (DpScreenDirectoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dp_screen_directory_finalize;
}

static void
dp_screen_directory_init (DpScreenDirectory *self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
}

DpScreenDirectory *
dp_screen_directory_new (const char *path)
{
  DpScreenDirectory *self = g_object_new (DP_TYPE_SCREEN_DIRECTORY, NULL);

  self->path = g_strdup (path);
  return self;
}

static gboolean
check_text (const char *what, const char *text, gboolean is_number, GError **error)
{
  g_autofree char *trimmed = NULL;
  gsize length;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: not valid UTF-8 text", what);
      return FALSE;
    }
  trimmed = g_strstrip (g_strdup (text));
  length = strlen (trimmed);
  if (length == 0 || length > DP_SCREEN_DIRECTORY_MAX_TEXT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: must be 1 to %d bytes long (it is %zu)", what,
                   DP_SCREEN_DIRECTORY_MAX_TEXT, length);
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
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s: character %ld (U+%04X) is not allowed", what,
                       g_utf8_pointer_to_offset (trimmed, p) + 1, c);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * dp_screen_directory_check:
 *
 * Validates one entry; the message names the field, the character
 * position and the problem.
 */
gboolean
dp_screen_directory_check (const char *name, const char *number, GError **error)
{
  return check_text ("name", name, FALSE, error) && check_text ("number", number, TRUE, error);
}

gboolean
dp_screen_directory_load_data (DpScreenDirectory *self, const char *data, gssize length,
                               GError **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  JsonArray *array = NULL;

  g_return_val_if_fail (DP_IS_SCREEN_DIRECTORY (self), FALSE);

  g_autoptr(JsonParser) parser = dp_screen_json_parse_list (data, length, "directory", &array, error);
  if (parser == NULL)
    return FALSE;
  if (json_array_get_length (array) > DP_SCREEN_DIRECTORY_MAX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "directory: %u entries, at most %d are allowed",
                   json_array_get_length (array), DP_SCREEN_DIRECTORY_MAX);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = dp_screen_json_array_object (array, i, error);
      const char *name, *number;
      g_autoptr(GError) local_error = NULL;

      if (object == NULL ||
          !dp_screen_json_get_string (object, i, "name", FALSE, &name, error) ||
          !dp_screen_json_get_string (object, i, "number", FALSE, &number, error))
        return FALSE;
      if (!dp_screen_directory_check (name, number, &local_error))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "entry %u: %s", i + 1, local_error->message);
          return FALSE;
        }
      g_ptr_array_add (entries, entry_new (name, number));
    }
  g_ptr_array_sort (entries, entry_compare_indirect);
  g_ptr_array_unref (self->entries);
  self->entries = g_steal_pointer (&entries);
  return TRUE;
}

gboolean
dp_screen_directory_load (DpScreenDirectory *self, GError **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (DP_IS_SCREEN_DIRECTORY (self), FALSE);
  if (self->path == NULL)
    return TRUE;
  if (!g_file_get_contents (self->path, &data, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_ptr_array_set_size (self->entries, 0);
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!dp_screen_directory_load_data (self, data, (gssize) length, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", self->path);
      return FALSE;
    }
  return TRUE;
}

JsonNode *
dp_screen_directory_to_json (DpScreenDirectory *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (DP_IS_SCREEN_DIRECTORY (self), NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->entries->len; i++)
    {
      DpScreenDirectoryEntry *entry = self->entries->pdata[i];

      json_builder_begin_object (builder);
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
save (DpScreenDirectory *self, GError **error)
{
  g_autoptr(JsonNode) root = NULL;

  if (self->path == NULL)
    return TRUE;
  root = dp_screen_directory_to_json (self);
  return dp_screen_json_save (root, self->path, error);
}

static guint
insert_sorted (DpScreenDirectory *self, DpScreenDirectoryEntry *entry)
{
  guint index = 0;

  while (index < self->entries->len && entry_compare (self->entries->pdata[index], entry) <= 0)
    index++;
  g_ptr_array_insert (self->entries, (gint) index, entry);
  return index;
}

gboolean
dp_screen_directory_add (DpScreenDirectory *self, const char *name, const char *number,
                         guint *index, GError **error)
{
  guint position;

  g_return_val_if_fail (DP_IS_SCREEN_DIRECTORY (self), FALSE);
  if (!dp_screen_directory_check (name, number, error))
    return FALSE;
  if (self->entries->len >= DP_SCREEN_DIRECTORY_MAX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "the directory is full (%d entries)", DP_SCREEN_DIRECTORY_MAX);
      return FALSE;
    }
  position = insert_sorted (self, entry_new (name, number));
  if (!save (self, error))
    {
      g_ptr_array_remove_index (self->entries, position);
      return FALSE;
    }
  if (index != NULL)
    *index = position;
  return TRUE;
}

static gboolean
check_index (DpScreenDirectory *self, guint index, GError **error)
{
  if (index < self->entries->len)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               "no directory entry %u (there are %u)", index + 1, self->entries->len);
  return FALSE;
}

gboolean
dp_screen_directory_edit (DpScreenDirectory *self, guint index, const char *name,
                          const char *number, guint *new_index, GError **error)
{
  DpScreenDirectoryEntry *old;
  guint position;

  g_return_val_if_fail (DP_IS_SCREEN_DIRECTORY (self), FALSE);
  if (!check_index (self, index, error) || !dp_screen_directory_check (name, number, error))
    return FALSE;
  old = g_ptr_array_steal_index (self->entries, index);
  position = insert_sorted (self, entry_new (name, number));
  if (!save (self, error))
    {
      g_ptr_array_remove_index (self->entries, position);
      g_ptr_array_insert (self->entries, (gint) index, old);
      return FALSE;
    }
  entry_free (old);
  if (new_index != NULL)
    *new_index = position;
  return TRUE;
}

gboolean
dp_screen_directory_delete (DpScreenDirectory *self, guint index, GError **error)
{
  DpScreenDirectoryEntry *old;

  g_return_val_if_fail (DP_IS_SCREEN_DIRECTORY (self), FALSE);
  if (!check_index (self, index, error))
    return FALSE;
  old = g_ptr_array_steal_index (self->entries, index);
  if (!save (self, error))
    {
      g_ptr_array_insert (self->entries, (gint) index, old);
      return FALSE;
    }
  entry_free (old);
  return TRUE;
}

guint
dp_screen_directory_get_n_entries (DpScreenDirectory *self)
{
  g_return_val_if_fail (DP_IS_SCREEN_DIRECTORY (self), 0);
  return self->entries->len;
}

const DpScreenDirectoryEntry *
dp_screen_directory_get_entry (DpScreenDirectory *self, guint index)
{
  g_return_val_if_fail (DP_IS_SCREEN_DIRECTORY (self), NULL);
  return index < self->entries->len ? self->entries->pdata[index] : NULL;
}
