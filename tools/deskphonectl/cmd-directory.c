/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * deskphonectl directory: list the personal directory, or add / edit /
 * delete / dial an entry by its id (the ids ListDirectory reports; they
 * stay the same across edits and restarts).
 *
 *   directory [--json]
 *   directory add NAME NUMBER
 *   directory edit ID NAME NUMBER
 *   directory delete ID
 *   directory dial [--line N] ID
 *
 * An invalid name or number, or an unknown id, exits 2 and changes
 * nothing; the message is the daemon's (field, character, problem). */
#include "dp-ctl-client.h"
#include "dp-directory.h"

#include <stdio.h>

#define USAGE N_("usage: directory [--json] | directory add NAME NUMBER | directory edit ID NAME NUMBER | " \
                 "directory delete ID | directory dial [--line N] ID")

static int
fail_directory (GError *error)
{
  if (g_error_matches (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_INVALID) ||
      g_error_matches (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_NOT_FOUND))
    {
      g_dbus_error_strip_remote_error (error);
      return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "%s", error->message);
    }
  return dp_ctl_fail_remote (error);
}

static void
print_result (gboolean as_json, const char *member, const char *value)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (!as_json)
    {
      if (value != NULL)
        printf ("%s\n", value);
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, TRUE);
  if (value != NULL)
    {
      json_builder_set_member_name (builder, member);
      json_builder_add_string_value (builder, value);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  dp_ctl_print_json (root);
}

/* Returns the reply's "entries" array, or NULL (having printed why). */
static JsonArray *
entries_of (JsonNode *root)
{
  JsonNode *entries;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (entries = json_object_get_member (json_node_get_object (root), "entries")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (entries))
    {
      dp_ctl_fail (DP_CTL_EXIT_FAILED, _("the daemon's directory has no entry list"));
      return NULL;
    }
  return json_node_get_array (entries);
}

static int
list (DpDBusPhone1 *proxy, gboolean as_json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *entries;

  if (!dp_dbus_phone1_call_list_directory_sync (proxy, &reply, NULL, &error))
    return fail_directory (error);
  root = dp_ctl_parse_reply (reply);
  if ((entries = entries_of (root)) == NULL)
    return DP_CTL_EXIT_FAILED;
  if (as_json)
    {
      dp_ctl_print_json (root);
      return DP_CTL_EXIT_OK;
    }
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (entry == NULL)
        continue;
      printf ("%-4s %-24s %s\n", json_object_get_string_member_with_default (entry, "id", ""),
              json_object_get_string_member_with_default (entry, "name", ""),
              json_object_get_string_member_with_default (entry, "number", ""));
    }
  if (json_array_get_length (entries) == 0)
    printf (_("(the directory is empty)\n"));
  return DP_CTL_EXIT_OK;
}

/* The number of entry @id, fetched from the daemon so that the dialled
 * number is the stored one, not a stale copy. */
static char *
lookup_number (DpDBusPhone1 *proxy, const char *id, int *code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *entries;

  if (!dp_dbus_phone1_call_list_directory_sync (proxy, &reply, NULL, &error))
    {
      *code = fail_directory (error);
      return NULL;
    }
  root = dp_ctl_parse_reply (reply);
  if ((entries = entries_of (root)) == NULL)
    {
      *code = DP_CTL_EXIT_FAILED;
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (entry != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (entry, "id", NULL), id) == 0)
        return g_strdup (json_object_get_string_member_with_default (entry, "number", ""));
    }
  *code = dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("no directory entry with id \"%s\""), id);
  return NULL;
}

int
dp_ctl_cmd_directory (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDBusPhone1) proxy = NULL;
  gboolean as_json = FALSE;
  int line = 0;
  const char *verb;
  GOptionEntry entries[] = {
    { "line", 0, 0, G_OPTION_ARG_INT, &line, N_("dial: line to call from (default: first enabled)"), "N" },
    { NULL }
  };

  if (!dp_ctl_parse_options (&argc, &argv, "[add NAME NUMBER | edit ID NAME NUMBER | delete ID | dial ID]",
                             N_("List or change the personal directory."), entries, &as_json))
    return DP_CTL_EXIT_BAD_INPUT;
  verb = argc >= 2 ? argv[1] : NULL;
  /* Check the shape before connecting, so a typo never reaches the phone. */
  if (!((verb == NULL && argc == 1) ||
        (g_strcmp0 (verb, "add") == 0 && argc == 4) ||
        (g_strcmp0 (verb, "edit") == 0 && argc == 5) ||
        (g_strcmp0 (verb, "delete") == 0 && argc == 3) ||
        (g_strcmp0 (verb, "dial") == 0 && argc == 3)))
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "%s", _(USAGE));
  if (line < 0 || line > 6)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("--line must be 1 to 6, not %d"), line);

  proxy = dp_ctl_connect (&error);
  if (proxy == NULL)
    return dp_ctl_fail_remote (error);
  if (verb == NULL)
    return list (proxy, as_json);
  if (g_str_equal (verb, "add"))
    {
      g_autofree char *id = NULL;

      if (!dp_dbus_phone1_call_add_contact_sync (proxy, argv[2], argv[3], &id, NULL, &error))
        return fail_directory (error);
      print_result (as_json, "id", id);
    }
  else if (g_str_equal (verb, "edit"))
    {
      if (!dp_dbus_phone1_call_update_contact_sync (proxy, argv[2], argv[3], argv[4], NULL, &error))
        return fail_directory (error);
      print_result (as_json, NULL, NULL);
    }
  else if (g_str_equal (verb, "delete"))
    {
      if (!dp_dbus_phone1_call_delete_contact_sync (proxy, argv[2], NULL, &error))
        return fail_directory (error);
      print_result (as_json, NULL, NULL);
    }
  else
    {
      g_autofree char *call_id = NULL;
      g_autofree char *number = NULL;
      int code = DP_CTL_EXIT_OK;

      if ((number = lookup_number (proxy, argv[2], &code)) == NULL)
        return code;
      if (!dp_dbus_phone1_call_dial_sync (proxy, (guint) line, number, &call_id, NULL, &error))
        return dp_ctl_fail_remote (error);
      print_result (as_json, "call", call_id);
    }
  return DP_CTL_EXIT_OK;
}
