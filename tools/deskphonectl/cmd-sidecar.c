/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * deskphonectl sidecar [--press UNIT/KEY | press UNIT KEY]: the SPA932 keys
 * (the "sidecar" member of Status: unit, key, function, label, state, LED),
 * or a key press (D-Bus PressKey). */
#include "dp-ctl-client.h"

#include <stdio.h>

static gboolean
valid_number (const char *text, guint64 min, guint64 max)
{
  return g_ascii_string_to_unsigned (text, 10, min, max, NULL, NULL);
}

static int
press (DpDBusPhone1 *proxy, const char *unit, const char *key, gboolean as_json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *argument = NULL;

  /* Unit 0 addresses the phone's line keys (Extended_Function_k_). */
  if (!valid_number (unit, 0, 2) || !valid_number (key, 1, 32))
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT,
                        _("sidecar: '%s/%s' is not a key (unit 0-2, key 1-32)"), unit, key);
  argument = g_strdup_printf ("%s/%s", unit, key);
  if (!dp_dbus_phone1_call_press_key_sync (proxy, (guint) g_ascii_strtoull (unit, NULL, 10),
                                           (guint) g_ascii_strtoull (key, NULL, 10), NULL, &error))
    return dp_ctl_fail_remote (error);
  if (as_json)
    printf ("{\"pressed\": \"%s\"}\n", argument);
  return DP_CTL_EXIT_OK;
}

int
dp_ctl_cmd_sidecar (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDBusPhone1) proxy = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *press_key = NULL;
  g_auto(GStrv) parts = NULL;
  gboolean as_json = FALSE;
  JsonNode *sidecar;
  JsonArray *keys;
  GOptionEntry entries[] = {
    { "press", 0, 0, G_OPTION_ARG_STRING, &press_key, N_("Press a key"), "UNIT/KEY" },
    { NULL }
  };

  if (!dp_ctl_parse_options (&argc, &argv, "[press UNIT KEY]",
                             N_("List the sidecar keys with their state and LED, or press one."),
                             entries, &as_json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (press_key != NULL)
    {
      parts = g_strsplit (press_key, "/", -1);
      if (argc != 1 || g_strv_length (parts) != 2)
        return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("usage: sidecar --press UNIT/KEY"));
    }
  else if (argc == 4 && g_str_equal (argv[1], "press"))
    {
      parts = g_new0 (char *, 3);
      parts[0] = g_strdup (argv[2]);
      parts[1] = g_strdup (argv[3]);
    }
  else if (argc != 1)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("usage: sidecar [--press UNIT/KEY | press UNIT KEY]"));

  proxy = dp_ctl_connect (&error);
  if (proxy == NULL)
    return dp_ctl_fail_remote (error);
  if (parts != NULL)
    return press (proxy, parts[0], parts[1], as_json);

  if (!dp_dbus_phone1_call_status_sync (proxy, &json, NULL, &error))
    return dp_ctl_fail_remote (error);
  root = dp_ctl_parse_reply (json);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return DP_CTL_EXIT_FAILED;
  sidecar = json_object_get_member (json_node_get_object (root), "sidecar");
  if (sidecar == NULL || !JSON_NODE_HOLDS_ARRAY (sidecar))
    return dp_ctl_fail (DP_CTL_EXIT_FAILED,
                        _("the daemon reports no sidecar (is the sidecar plugin loaded?)"));
  if (as_json)
    {
      dp_ctl_print_json (sidecar);
      return DP_CTL_EXIT_OK;
    }
  keys = json_node_get_array (sidecar);
  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonObject *key = json_array_get_object_element (keys, i);

      if (key == NULL)
        continue;
      printf ("%" G_GINT64_FORMAT "/%-3" G_GINT64_FORMAT " %-10s %-16s %-8s %s\n",
              json_object_get_int_member_with_default (key, "unit", 0),
              json_object_get_int_member_with_default (key, "key", 0),
              json_object_get_string_member_with_default (key, "function", ""),
              json_object_get_string_member_with_default (key, "label", ""),
              json_object_get_string_member_with_default (key, "state", ""),
              json_object_get_string_member_with_default (key, "led", ""));
    }
  return DP_CTL_EXIT_OK;
}
