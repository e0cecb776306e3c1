/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-screen"

#include "dp-call-history.h"
#include "dp-screen-json.h"

#include <string.h>

struct _DpCallHistory
{
  GObject    parent_instance;
  char      *path;
  GPtrArray *entries;   /* DpCallHistoryEntry*, newest first */
};

G_DEFINE_FINAL_TYPE (DpCallHistory, dp_call_history, G_TYPE_OBJECT)

static const char *kind_names[] = { "placed", "received", "missed" };

const char *
dp_call_history_kind_to_string (DpCallHistoryKind kind)
{
  return (guint) kind < G_N_ELEMENTS (kind_names) ? kind_names[kind] : "unknown";
}

gboolean
dp_call_history_kind_from_string (const char *text, DpCallHistoryKind *kind)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (text, kind_names[i]))
      {
        *kind = (DpCallHistoryKind) i;
        return TRUE;
      }
  return FALSE;
}

static void
entry_free (gpointer data)
{
  DpCallHistoryEntry *entry = data;

  g_free (entry->peer);
  g_free (entry->name);
  g_free (entry->end_reason);
  g_free (entry);
}

static DpCallHistoryEntry *
entry_new (DpCallHistoryKind kind, const char *peer, const char *name, guint line,
           gint64 start, gint64 duration_s, const char *end_reason)
{
  DpCallHistoryEntry *entry = g_new0 (DpCallHistoryEntry, 1);

  entry->kind = kind;
  entry->peer = dp_screen_text_clamp (peer, DP_CALL_HISTORY_MAX_TEXT);
  entry->name = dp_screen_text_clamp (name, DP_CALL_HISTORY_MAX_TEXT);
  entry->line = line;
  entry->start = start;
  entry->duration_s = MAX (duration_s, 0);
  entry->end_reason = dp_screen_text_clamp (end_reason, DP_CALL_HISTORY_MAX_TEXT);
  return entry;
}

/* Drops the oldest entries of @kind beyond the bound; the list is newest
 * first, so those are the last ones of that kind. */
static void
enforce_bound (DpCallHistory *self, DpCallHistoryKind kind)
{
  guint seen = 0;

  for (guint i = 0; i < self->entries->len;)
    {
      DpCallHistoryEntry *entry = self->entries->pdata[i];

      if (entry->kind == kind && ++seen > DP_CALL_HISTORY_MAX_PER_KIND)
        g_ptr_array_remove_index (self->entries, i);
      else
        i++;
    }
}

static void
dp_call_history_finalize (GObject *object)
{
  DpCallHistory *self = DP_CALL_HISTORY (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->path, g_free);
  G_OBJECT_CLASS (dp_call_history_parent_class)->finalize (object);
}

static void
dp_call_history_class_init (DpCallHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dp_call_history_finalize;
}

static void
dp_call_history_init (DpCallHistory *self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
}

/**
 * dp_call_history_new:
 * @path: (nullable): the file, or %NULL for a history kept in memory only
 */
DpCallHistory *
dp_call_history_new (const char *path)
{
  DpCallHistory *self = g_object_new (DP_TYPE_CALL_HISTORY, NULL);

  self->path = g_strdup (path);
  return self;
}

const char *
dp_call_history_get_path (DpCallHistory *self)
{
  g_return_val_if_fail (DP_IS_CALL_HISTORY (self), NULL);
  return self->path;
}

/**
 * dp_call_history_load_data:
 * @self: the history
 * @data: the file's contents
 * @length: length of @data, or -1 if NUL-terminated
 * @error: return location for a #GError
 *
 * Replaces the entries with those of @data. On error nothing changes and
 * the message names the position (JSON line:column, or the entry index and
 * member) and the problem.
 */
gboolean
dp_call_history_load_data (DpCallHistory *self, const char *data, gssize length, GError **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  JsonArray *array;

  g_return_val_if_fail (DP_IS_CALL_HISTORY (self), FALSE);

  array = NULL;
  g_autoptr(JsonParser) parser = dp_screen_json_parse_list (data, length, "history", &array, error);
  if (parser == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = dp_screen_json_array_object (array, i, error);
      const char *kind_text, *peer, *name, *reason;
      gint64 line, start, duration;
      DpCallHistoryKind kind;

      if (object == NULL)
        return FALSE;
      if (!dp_screen_json_get_string (object, i, "kind", FALSE, &kind_text, error) ||
          !dp_screen_json_get_string (object, i, "peer", FALSE, &peer, error) ||
          !dp_screen_json_get_string (object, i, "name", TRUE, &name, error) ||
          !dp_screen_json_get_string (object, i, "end_reason", TRUE, &reason, error) ||
          !dp_screen_json_get_int (object, i, "line", 1, 64, &line, error) ||
          !dp_screen_json_get_int (object, i, "start", 0, G_MAXINT64 / 2, &start, error) ||
          !dp_screen_json_get_int (object, i, "duration_s", 0, G_MAXINT64 / 2, &duration, error))
        return FALSE;
      if (!dp_call_history_kind_from_string (kind_text, &kind))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "entry %u: member \"kind\": \"%s\" is not placed, received or missed",
                       i + 1, kind_text);
          return FALSE;
        }
      g_ptr_array_add (entries, entry_new (kind, peer, name, (guint) line, start, duration, reason));
    }

  g_ptr_array_unref (self->entries);
  self->entries = g_steal_pointer (&entries);
  for (guint k = 0; k < G_N_ELEMENTS (kind_names); k++)
    enforce_bound (self, (DpCallHistoryKind) k);
  return TRUE;
}

/**
 * dp_call_history_load:
 *
 * Reads the file. A missing file is an empty history, not an error.
 */
gboolean
dp_call_history_load (DpCallHistory *self, GError **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (DP_IS_CALL_HISTORY (self), FALSE);
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
  if (!dp_call_history_load_data (self, data, (gssize) length, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", self->path);
      return FALSE;
    }
  return TRUE;
}

JsonNode *
dp_call_history_to_json (DpCallHistory *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (DP_IS_CALL_HISTORY (self), NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->entries->len; i++)
    {
      DpCallHistoryEntry *entry = self->entries->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, dp_call_history_kind_to_string (entry->kind));
      json_builder_set_member_name (builder, "peer");
      json_builder_add_string_value (builder, entry->peer);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, entry->name);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, entry->line);
      json_builder_set_member_name (builder, "start");
      json_builder_add_int_value (builder, entry->start);
      json_builder_set_member_name (builder, "duration_s");
      json_builder_add_int_value (builder, entry->duration_s);
      json_builder_set_member_name (builder, "end_reason");
      json_builder_add_string_value (builder, entry->end_reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

gboolean
dp_call_history_save (DpCallHistory *self, GError **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (DP_IS_CALL_HISTORY (self), FALSE);
  if (self->path == NULL)
    return TRUE;
  root = dp_call_history_to_json (self);
  return dp_screen_json_save (root, self->path, error);
}

/**
 * dp_call_history_add:
 *
 * Records a call at the head of the list (it does not save).
 */
void
dp_call_history_add (DpCallHistory *self, DpCallHistoryKind kind, const char *peer,
                     const char *name, guint line, gint64 start, gint64 duration_s,
                     const char *end_reason)
{
  g_return_if_fail (DP_IS_CALL_HISTORY (self));
  g_return_if_fail ((guint) kind < G_N_ELEMENTS (kind_names));

  g_ptr_array_insert (self->entries, 0,
                      entry_new (kind, peer, name, line, start, duration_s, end_reason));
  enforce_bound (self, kind);
}

guint
dp_call_history_get_n_entries (DpCallHistory *self)
{
  g_return_val_if_fail (DP_IS_CALL_HISTORY (self), 0);
  return self->entries->len;
}

const DpCallHistoryEntry *
dp_call_history_get_entry (DpCallHistory *self, guint index)
{
  g_return_val_if_fail (DP_IS_CALL_HISTORY (self), NULL);
  return index < self->entries->len ? self->entries->pdata[index] : NULL;
}

/**
 * dp_call_history_last_of_kind:
 *
 * The newest entry of @kind (the redial softkey uses the last placed one).
 */
const DpCallHistoryEntry *
dp_call_history_last_of_kind (DpCallHistory *self, DpCallHistoryKind kind)
{
  g_return_val_if_fail (DP_IS_CALL_HISTORY (self), NULL);
  for (guint i = 0; i < self->entries->len; i++)
    {
      DpCallHistoryEntry *entry = self->entries->pdata[i];
      if (entry->kind == kind)
        return entry;
    }
  return NULL;
}

void
dp_call_history_clear (DpCallHistory *self)
{
  g_return_if_fail (DP_IS_CALL_HISTORY (self));
  g_ptr_array_set_size (self->entries, 0);
}
