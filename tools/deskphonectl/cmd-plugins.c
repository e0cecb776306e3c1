/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * deskphonectl plugins: which plugins the daemon found and loaded. */
#include "dp-ctl-client.h"

#include <stdio.h>

int
dp_ctl_cmd_plugins (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDBusPhone1) proxy = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  gboolean as_json = FALSE;
  JsonArray *plugins;

  if (!dp_ctl_parse_options (&argc, &argv, "", N_("List the plugins."), NULL, &as_json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc > 1)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("plugins takes no arguments"));
  proxy = dp_ctl_connect (&error);
  if (proxy == NULL || !dp_dbus_phone1_call_list_plugins_sync (proxy, &json, NULL, &error))
    return dp_ctl_fail_remote (error);
  root = dp_ctl_parse_reply (json);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return DP_CTL_EXIT_FAILED;
  if (as_json)
    {
      dp_ctl_print_json (root);
      return DP_CTL_EXIT_OK;
    }
  plugins = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (plugins); i++)
    {
      JsonObject *plugin = json_array_get_object_element (plugins, i);
      JsonNode *error_node = json_object_get_member (plugin, "error");
      const char *display_name = json_object_get_null_member (plugin, "display_name")
                                 ? "" : json_object_get_string_member_with_default (plugin, "display_name", "");

      /* The display name and description come in the daemon's language. */
      printf ("%-16s %-12s %s: %s\n", json_object_get_string_member (plugin, "name"),
              json_object_get_boolean_member (plugin, "loaded") ? _("loaded") : _("not-loaded"),
              display_name,
              error_node && !JSON_NODE_HOLDS_NULL (error_node)
                ? json_node_get_string (error_node)
                : json_object_get_string_member_with_default (plugin, "description", ""));
    }
  return DP_CTL_EXIT_OK;
}
