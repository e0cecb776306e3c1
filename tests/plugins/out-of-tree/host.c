/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A minimal program embedding deskphone's plugin engine, built like
 * outoftree.c against the installed deskphone-1.pc only.
 *
 *   host STATE_DIR PLUGIN_DIR NAME[,NAME...] [SET_NAME=VALUE]
 *
 * Loads the named plugins from PLUGIN_DIR, optionally sets one parameter,
 * and prints {"plugins": <engine status JSON>, "params": {NAME: value}}
 * for every parameter owned by a loaded plugin.
 */
#include <deskphone.h>
#include <stdio.h>

int
main (int argc, char **argv)
{
  g_autoptr(DpCore) core = NULL;
  g_autoptr(DpPluginEngine) engine = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_auto(GStrv) plugins = NULL;
  g_autofree char *text = NULL;
  DpConfig *config;

  if (argc < 4 || argc > 5)
    {
      fprintf (stderr, "usage: %s STATE_DIR PLUGIN_DIR NAME[,NAME...] [SET_NAME=VALUE]\n", argv[0]);
      return 2;
    }

  core = dp_core_new (argv[1]);
  config = dp_core_get_config (core);
  engine = dp_plugin_engine_new (core);
  dp_plugin_engine_add_search_path (engine, argv[2], NULL);
  plugins = g_strsplit (argv[3], ",", -1);
  dp_plugin_engine_load_plugins (engine, (const char * const *) plugins);

  if (argc == 5)
    {
      g_auto(GStrv) assignment = g_strsplit (argv[4], "=", 2);
      g_autoptr(GError) error = NULL;

      if (assignment[1] == NULL || !dp_config_set (config, assignment[0], assignment[1], &error))
        {
          fprintf (stderr, "cannot set %s: %s\n", argv[4], error != NULL ? error->message : "not NAME=VALUE");
          return 1;
        }
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "plugins");
  json_builder_add_value (builder, dp_plugin_engine_to_json (engine));
  json_builder_set_member_name (builder, "params");
  json_builder_begin_object (builder);
  names = dp_config_list (config);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      const DpParam *param = dp_config_lookup (config, name);

      if (g_strv_contains ((const char * const *) plugins, dp_param_get_owner (param)))
        {
          json_builder_set_member_name (builder, name);
          json_builder_add_string_value (builder, dp_config_get (config, name));
        }
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  /* Deactivate the plugins while the core is still alive. */
  dp_plugin_engine_unload_all (engine);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
  return 0;
}
