/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * deskphonectl status: the daemon's status document (architecture §4.3). */
#include "dp-ctl-client.h"

#include <stdio.h>

static void
print_plugins (JsonArray *plugins)
{
  for (guint i = 0; i < json_array_get_length (plugins); i++)
    {
      JsonObject *plugin = json_array_get_object_element (plugins, i);
      const char *error = json_object_get_null_member (plugin, "error")
                          ? NULL : json_object_get_string_member_with_default (plugin, "error", NULL);

      printf ("  plugin %-14s %s%s%s\n", json_object_get_string_member (plugin, "name"),
              json_object_get_boolean_member (plugin, "loaded") ? _("loaded") : _("not loaded"),
              error ? ": " : "", error ? error : "");
    }
}

static void
print_lines (JsonArray *lines)
{
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);

      printf ("  line %" G_GINT64_FORMAT "  %-8s %-20s %s\n",
              json_object_get_int_member (line, "index"),
              json_object_get_boolean_member (line, "enabled") ? _("enabled") : _("disabled"),
              json_object_get_string_member_with_default (line, "user", ""),
              dp_ctl_registration_label (json_object_get_string_member_with_default (line, "registration", "")));
    }
}

int
dp_ctl_cmd_status (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDBusPhone1) proxy = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  gboolean as_json = FALSE;
  JsonObject *status;

  if (!dp_ctl_parse_options (&argc, &argv, "", N_("Show the phone's status."), NULL, &as_json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc > 1)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("status takes no arguments"));
  proxy = dp_ctl_connect (&error);
  if (proxy == NULL || !dp_dbus_phone1_call_status_sync (proxy, &json, NULL, &error))
    return dp_ctl_fail_remote (error);
  root = dp_ctl_parse_reply (json);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return DP_CTL_EXIT_FAILED;
  if (as_json)
    {
      dp_ctl_print_json (root);
      return DP_CTL_EXIT_OK;
    }
  status = json_node_get_object (root);
  /* TRANSLATORS: version, seconds since start, language name */
  printf (_("deskphoned %s, up %lld s, language %s\n"),
          json_object_get_string_member (status, "version"),
          (long long) json_object_get_int_member (status, "uptime_s"),
          json_object_get_string_member (status, "language"));
  print_plugins (json_object_get_array_member (status, "plugins"));
  print_lines (json_object_get_array_member (status, "lines"));
  return DP_CTL_EXIT_OK;
}
