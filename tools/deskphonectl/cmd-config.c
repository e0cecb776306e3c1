/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * deskphonectl config get NAME | set NAME VALUE | dump | apply FILE [--key K] */
#include "dp-ctl-client.h"

#include <stdio.h>

static int
config_get (DpDBusPhone1 *proxy, int argc, char **argv, gboolean as_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  if (argc != 3)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("usage: config get NAME"));
  if (!dp_dbus_phone1_call_get_parameter_sync (proxy, argv[2], &json, NULL, &error))
    return dp_ctl_fail_remote (error);
  root = dp_ctl_parse_reply (json);
  if (root == NULL)
    return DP_CTL_EXIT_FAILED;
  if (as_json)
    dp_ctl_print_json (root);
  else
    printf ("%s\n", json_object_get_string_member (json_node_get_object (root), "value"));
  return DP_CTL_EXIT_OK;
}

static int
config_set (DpDBusPhone1 *proxy, int argc, char **argv, gboolean as_json)
{
  g_autoptr(GError) error = NULL;

  if (argc != 4)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("usage: config set NAME VALUE"));
  if (!dp_dbus_phone1_call_set_parameter_sync (proxy, argv[2], argv[3], NULL, &error))
    return dp_ctl_fail_remote (error);
  if (as_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, argv[2]);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      dp_ctl_print_json (root);
    }
  return DP_CTL_EXIT_OK;
}

static int
config_dump (DpDBusPhone1 *proxy, int argc, char **argv, gboolean as_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  JsonArray *params;

  if (argc != 2)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("usage: config dump"));
  if (!dp_dbus_phone1_call_dump_config_sync (proxy, &json, NULL, &error))
    return dp_ctl_fail_remote (error);
  root = dp_ctl_parse_reply (json);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return DP_CTL_EXIT_FAILED;
  if (as_json)
    {
      dp_ctl_print_json (root);
      return DP_CTL_EXIT_OK;
    }
  params = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (params); i++)
    {
      JsonObject *param = json_array_get_object_element (params, i);

      printf ("%s = %s\n", json_object_get_string_member (param, "name"),
              json_object_get_string_member (param, "value"));
    }
  return DP_CTL_EXIT_OK;
}

static int
config_apply (DpDBusPhone1 *proxy, int argc, char **argv, const char *key, gboolean as_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *json = NULL;
  gsize length;
  GVariant *bytes;

  if (argc != 3)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("usage: config apply FILE [--key KEY]"));
  if (!g_file_get_contents (argv[2], &contents, &length, &error))
    return dp_ctl_fail (DP_CTL_EXIT_FAILED, "%s", error->message);
  bytes = g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, contents, length, 1);
  if (!dp_dbus_phone1_call_apply_profile_sync (proxy, bytes, key ? key : "", &json, NULL, &error))
    return dp_ctl_fail_remote (error);
  root = dp_ctl_parse_reply (json);
  if (root == NULL)
    return DP_CTL_EXIT_FAILED;
  if (as_json)
    dp_ctl_print_json (root);
  else
    {
      JsonObject *stats = json_node_get_object (root);
      printf (_("%lld changed, %lld unchanged, %lld unknown names ignored\n"),
              (long long) json_object_get_int_member (stats, "applied"),
              (long long) json_object_get_int_member (stats, "unchanged"),
              (long long) json_object_get_int_member (stats, "unknown"));
    }
  return DP_CTL_EXIT_OK;
}

int
dp_ctl_cmd_config (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDBusPhone1) proxy = NULL;
  g_autofree char *key = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_STRING, &key, N_("Decryption key (apply)"), "KEY" },
    { NULL }
  };
  const char *action;

  if (!dp_ctl_parse_options (&argc, &argv, "get NAME | set NAME VALUE | dump | apply FILE",
                             N_("Read and change the configuration."), entries, &as_json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc < 2)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("usage: config get|set|dump|apply ..."));
  action = argv[1];
  if (!g_str_equal (action, "get") && !g_str_equal (action, "set") &&
      !g_str_equal (action, "dump") && !g_str_equal (action, "apply"))
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("unknown config action \"%s\""), action);

  proxy = dp_ctl_connect (&error);
  if (proxy == NULL)
    return dp_ctl_fail_remote (error);
  if (g_str_equal (action, "get"))
    return config_get (proxy, argc, argv, as_json);
  if (g_str_equal (action, "set"))
    return config_set (proxy, argc, argv, as_json);
  if (g_str_equal (action, "dump"))
    return config_dump (proxy, argc, argv, as_json);
  return config_apply (proxy, argc, argv, key, as_json);
}
