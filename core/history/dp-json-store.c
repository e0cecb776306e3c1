/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-history"

#include "dp-json-store.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include <gio/gio.h>
#include <errno.h>
#include <string.h>

/* Copies @text cut to at most @max_bytes on a character boundary, with
 * invalid UTF-8 replaced, so a hostile peer name cannot grow the files or
 * break the labels. */
char *
dp_json_store_clamp (const char *text, gsize max_bytes)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  const char *end = valid;

  while (*end != '\0')
    {
      const char *next = g_utf8_next_char (end);
      if ((gsize) (next - valid) > max_bytes)
        break;
      end = next;
    }
  return g_strndup (valid, (gsize) (end - valid));
}

/* Parses `{"version":1,"entries":[...]}`. The returned parser owns the
 * array stored in @entries. */
JsonParser *
dp_json_store_parse_list (const char *data, gssize length, const char *what,
                           JsonArray **entries, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root, *list;
  JsonObject *object;

  if (length < 0)
    length = (gssize) strlen (data);
  if (memchr (data, '\0', (gsize) length) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: byte %zu: NUL byte in a JSON file"), what,
                   (gsize) ((const char *) memchr (data, '\0', (gsize) length) - data) + 1);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: the top level is not a JSON object"), what);
      return NULL;
    }
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "version") ||
      json_node_get_value_type (json_object_get_member (object, "version")) != G_TYPE_INT64 ||
      json_object_get_int_member (object, "version") != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: member \"version\" is missing or not 1"), what);
      return NULL;
    }
  list = json_object_get_member (object, "entries");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: member \"entries\" is missing or not an array"), what);
      return NULL;
    }
  *entries = json_node_get_array (list);
  return g_steal_pointer (&parser);
}

JsonObject *
dp_json_store_array_object (JsonArray *array, guint index, GError **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("entry %u: not a JSON object"), index + 1);
      return NULL;
    }
  return json_node_get_object (node);
}

gboolean
dp_json_store_get_string (JsonObject *object, guint index, const char *member,
                           gboolean optional, const char **value, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL && optional)
    {
      *value = "";
      return TRUE;
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("entry %u: member \"%s\" is %s"), index + 1, member,
                   node == NULL ? "missing" : _("not a string"));
      return FALSE;
    }
  *value = json_node_get_string (node);
  return TRUE;
}

gboolean
dp_json_store_get_int (JsonObject *object, guint index, const char *member,
                        gint64 min, gint64 max, gint64 *value, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("entry %u: member \"%s\" is %s"), index + 1, member,
                   node == NULL ? "missing" : _("not an integer"));
      return FALSE;
    }
  *value = json_node_get_int (node);
  if (*value < min || *value > max)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("entry %u: member \"%s\" is %lld, outside %lld..%lld"),
                   index + 1, member, (long long) *value, (long long) min, (long long) max);
      return FALSE;
    }
  return TRUE;
}

gboolean
dp_json_store_save (JsonNode *root, const char *path, GError **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *folder = g_path_get_dirname (path);
  gsize length = 0;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("cannot create %s: %s"), folder, g_strerror (saved));
      return FALSE;
    }
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);
  /* CONSISTENT + DURABLE: temp file, fsync, rename, so a power cut
   * leaves the previous list, never half of one. */
  return g_file_set_contents_full (path, text, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

/* Reads a store file; a missing file is an empty store, reported as
 * success with @data set to %NULL. */
gboolean
dp_json_store_read_file (const char *path, char **data, gsize *length, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  *data = NULL;
  *length = 0;
  if (g_file_get_contents (path, data, length, &local_error))
    return TRUE;
  if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
