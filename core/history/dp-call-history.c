/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-history"

#include "dp-call-history.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>
#include "dp-json-store.h"

#include <gio/gio.h>
#include <string.h>

struct _DpCallHistory
{
  GObject    parent_instance;
  char      *path;
  GPtrArray *entries;   /* DpCallHistoryEntry*, newest first */
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DpCallHistory, dp_call_history, G_TYPE_OBJECT)

/* Marks a DpCall once it is in the history: "call-changed" fires again
 * for an ended call (end reason, media teardown), and the mark lives and
 * dies with the call, so nothing grows with the number of calls. */
G_DEFINE_QUARK (dp-call-history-recorded, recorded)

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

/**
 * dp_call_history_kind_label:
 * @kind: a #DpCallHistoryKind
 *
 * What people are shown for @kind, in the process language; the history
 * JSON keeps the identifiers of dp_call_history_kind_to_string().
 *
 * Returns: the translated label, "" for a value outside the enumeration
 */
const char *
dp_call_history_kind_label (DpCallHistoryKind kind)
{
  switch (kind)
    {
    case DP_CALL_HISTORY_PLACED: return _("Placed");
    case DP_CALL_HISTORY_RECEIVED: return _("Received");
    case DP_CALL_HISTORY_MISSED: return _("Missed");
    default: return "";
    }
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
  entry->peer = dp_json_store_clamp (peer, DP_CALL_HISTORY_MAX_TEXT);
  entry->name = dp_json_store_clamp (name, DP_CALL_HISTORY_MAX_TEXT);
  entry->line = line;
  entry->start = start;
  entry->duration_s = MAX (duration_s, 0);
  entry->end_reason = dp_json_store_clamp (end_reason, DP_CALL_HISTORY_MAX_TEXT);
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

  /**
   * DpCallHistory::changed:
   * @history: the history
   *
   * Entries were added, cleared or reloaded.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
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
  g_autoptr(JsonParser) parser = dp_json_store_parse_list (data, length, "history", &array, error);
  if (parser == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = dp_json_store_array_object (array, i, error);
      const char *kind_text, *peer, *name, *reason;
      gint64 line, start, duration;
      DpCallHistoryKind kind;

      if (object == NULL)
        return FALSE;
      if (!dp_json_store_get_string (object, i, "kind", FALSE, &kind_text, error) ||
          !dp_json_store_get_string (object, i, "peer", FALSE, &peer, error) ||
          !dp_json_store_get_string (object, i, "name", TRUE, &name, error) ||
          !dp_json_store_get_string (object, i, "end_reason", TRUE, &reason, error) ||
          !dp_json_store_get_int (object, i, "line", 0, 64, &line, error) ||
          !dp_json_store_get_int (object, i, "start", 0, G_MAXINT64 / 2, &start, error) ||
          !dp_json_store_get_int (object, i, "duration_s", 0, G_MAXINT64 / 2, &duration, error))
        return FALSE;
      if (!dp_call_history_kind_from_string (kind_text, &kind))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("entry %u: member \"kind\": \"%s\" is not placed, received or missed"),
                       i + 1, kind_text);
          return FALSE;
        }
      g_ptr_array_add (entries, entry_new (kind, peer, name, (guint) line, start, duration, reason));
    }

  g_ptr_array_unref (self->entries);
  self->entries = g_steal_pointer (&entries);
  for (guint k = 0; k < G_N_ELEMENTS (kind_names); k++)
    enforce_bound (self, (DpCallHistoryKind) k);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
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
  if (!dp_json_store_read_file (self->path, &data, &length, error))
    return FALSE;
  if (data == NULL)
    {
      g_ptr_array_set_size (self->entries, 0);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      return TRUE;
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
  return dp_json_store_save (root, self->path, error);
}

/**
 * dp_call_history_add:
 *
 * Records a call at the head of the list and emits #DpCallHistory::changed
 * (it does not save).
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
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/**
 * dp_call_history_record_call:
 * @self: the history
 * @call: a call
 * @now: the current time, unix seconds
 *
 * Adds @call if it has ended and is not in the history yet (classified as
 * the header says; the duration runs from connection to @now). It does
 * not save.
 *
 * Returns: %TRUE if an entry was added
 */
gboolean
dp_call_history_record_call (DpCallHistory *self, DpCall *call, gint64 now)
{
  DpCallHistoryKind kind;
  gint64 connected, started;

  g_return_val_if_fail (DP_IS_CALL_HISTORY (self), FALSE);
  g_return_val_if_fail (DP_IS_CALL (call), FALSE);

  if (dp_call_get_state (call) != DP_CALL_STATE_ENDED ||
      g_object_get_qdata (G_OBJECT (call), recorded_quark ()) != NULL)
    return FALSE;
  g_object_set_qdata (G_OBJECT (call), recorded_quark (), GINT_TO_POINTER (1));
  connected = dp_call_get_connected_at (call);
  started = dp_call_get_started_at (call);
  if (dp_call_get_direction (call) == DP_CALL_OUTGOING)
    kind = DP_CALL_HISTORY_PLACED;
  else
    kind = connected > 0 ? DP_CALL_HISTORY_RECEIVED : DP_CALL_HISTORY_MISSED;
  dp_call_history_add (self, kind, dp_call_get_peer (call), dp_call_get_peer_name (call),
                       dp_call_get_line (call), started > 0 ? started : now,
                       connected > 0 ? MAX (now - connected, 0) : 0,
                       dp_call_get_end_reason (call));
  return TRUE;
}

guint
dp_call_history_count_kind (DpCallHistory *self, DpCallHistoryKind kind)
{
  guint count = 0;

  g_return_val_if_fail (DP_IS_CALL_HISTORY (self), 0);
  for (guint i = 0; i < self->entries->len; i++)
    if (((DpCallHistoryEntry *) self->entries->pdata[i])->kind == kind)
      count++;
  return count;
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
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}
