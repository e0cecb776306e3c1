/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * deskphonectl language [NAME]: without NAME, the language in effect and
 * the ones that can be selected (the "language" and "l10n" members of
 * Status); with NAME, sets Language_Selection (an SPA name such as
 * German, or a code such as de_DE). The l10n plugin switches the
 * language; `language` then reports it. */
#include "dp-ctl-client.h"

#include <stdio.h>

static int
show (DpDBusPhone1 *proxy, gboolean as_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) out = NULL;
  g_autofree char *json = NULL;
  JsonObject *status, *l10n = NULL;
  JsonArray *available = NULL;

  if (!dp_dbus_phone1_call_status_sync (proxy, &json, NULL, &error))
    return dp_ctl_fail_remote (error);
  root = dp_ctl_parse_reply (json);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return DP_CTL_EXIT_FAILED;
  status = json_node_get_object (root);
  if (!json_object_has_member (status, "language"))
    return dp_ctl_fail (DP_CTL_EXIT_FAILED, _("the daemon's status has no language"));
  if (json_object_has_member (status, "l10n") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (status, "l10n")))
    l10n = json_object_get_object_member (status, "l10n");
  if (l10n != NULL && json_object_has_member (l10n, "available") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (l10n, "available")))
    available = json_object_get_array_member (l10n, "available");

  if (as_json)
    {
      /* {"language": ..., "selection": ..., "available": [...], "error": ...}
       * ("available" is [] without the l10n plugin). */
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "language");
      json_builder_add_string_value (builder, json_object_get_string_member (status, "language"));
      json_builder_set_member_name (builder, "selection");
      if (l10n != NULL && json_object_has_member (l10n, "selection"))
        json_builder_add_value (builder, json_node_copy (json_object_get_member (l10n, "selection")));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "error");
      if (l10n != NULL && json_object_has_member (l10n, "error"))
        json_builder_add_value (builder, json_node_copy (json_object_get_member (l10n, "error")));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "available");
      if (available != NULL)
        json_builder_add_value (builder, json_node_copy (json_object_get_member (l10n, "available")));
      else
        {
          json_builder_begin_array (builder);
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
      out = json_builder_get_root (builder);
      dp_ctl_print_json (out);
      return DP_CTL_EXIT_OK;
    }

  printf ("%s\n", json_object_get_string_member (status, "language"));
  if (l10n != NULL && json_object_has_member (l10n, "error") &&
      !json_object_get_null_member (l10n, "error"))
    printf (_("note: %s\n"), json_object_get_string_member (l10n, "error"));
  if (available == NULL)
    {
      printf (_("available: English (no l10n plugin loaded)\n"));
      return DP_CTL_EXIT_OK;
    }
  printf (_("available:\n"));
  for (guint i = 0; i < json_array_get_length (available); i++)
    {
      JsonObject *entry = json_array_get_object_element (available, i);
      const char *code = json_object_get_null_member (entry, "code")
                         ? "?" : json_object_get_string_member (entry, "code");

      printf ("  %-12s %-6s %s\n", json_object_get_string_member (entry, "name"), code,
              json_object_get_string_member (entry, "source"));
    }
  return DP_CTL_EXIT_OK;
}

int
dp_ctl_cmd_language (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDBusPhone1) proxy = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = { { NULL } };

  if (!dp_ctl_parse_options (&argc, &argv, "[NAME]",
                             N_("Show the language and the available ones, or select NAME "
                             "(sets Language_Selection)."), entries, &as_json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc > 2)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("usage: language [--json] [NAME]"));
  proxy = dp_ctl_connect (&error);
  if (proxy == NULL)
    return dp_ctl_fail_remote (error);
  if (argc == 2)
    {
      if (!dp_dbus_phone1_call_set_parameter_sync (proxy, "Language_Selection", argv[1], NULL,
                                                   &error))
        return dp_ctl_fail_remote (error);
      return DP_CTL_EXIT_OK;
    }
  return show (proxy, as_json);
}
