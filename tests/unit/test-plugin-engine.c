/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpPluginEngine: the example plugin from the build tree, the
 * X-Deskphone-API and X-Deskphone-Needs-Display checks, failures kept per plugin while the others load,
 * search paths and the status JSON. Python plugins are covered by
 * tests/integration/test_python_plugin.py (they need the typelib).
 */
#include "dp-build-config.h"
#include "dp-core.h"
#include "dp-plugin-engine.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct
{
  char *state_dir;
  DpCore *core;
  DpPluginEngine *engine;
  char *test_plugins;   /* tests/plugins in the source tree */
} Fixture;

typedef struct
{
  guint count;
  char *last;
} LogCounter;

static void
on_example_log (const char     *log_domain,
                GLogLevelFlags  log_level,
                const char     *message,
                gpointer        user_data)
{
  LogCounter *counter = user_data;

  counter->count++;
  g_free (counter->last);
  counter->last = g_strdup (message);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *source_root = g_getenv ("DP_SOURCE_ROOT");
  g_autofree char *fallback_root = g_path_get_dirname (DP_SOURCE_PLUGINDIR);

  fixture->state_dir = g_dir_make_tmp ("dp-test-plugin-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->core = dp_core_new (fixture->state_dir);
  fixture->engine = dp_plugin_engine_new (fixture->core);
  fixture->test_plugins = g_build_filename (source_root != NULL ? source_root : fallback_root,
                                            "tests", "plugins", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, entry, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->engine);
  g_clear_object (&fixture->core);
  remove_tree (fixture->state_dir);
  g_free (fixture->state_dir);
  g_free (fixture->test_plugins);
}

static void
add_test_plugin (Fixture    *fixture,
                 const char *name)
{
  g_autofree char *dir = g_build_filename (fixture->test_plugins, name, NULL);

  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  dp_plugin_engine_add_search_path (fixture->engine, dir, NULL);
}

static JsonObject *
find_json_plugin (JsonNode   *array_node,
                  const char *name)
{
  JsonArray *array = json_node_get_array (array_node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (object, "name"), name) == 0)
        return object;
    }
  return NULL;
}

static void
test_example_from_build_tree (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpPluginInfo) info = NULL;
  DpConfig *config = dp_core_get_config (fixture->core);
  LogCounter counter = { 0 };
  const DpParam *param;
  guint handler;

  g_assert_null (dp_config_lookup (config, "Example_Greeting"));

  dp_plugin_engine_add_build_tree (fixture->engine);
  g_assert_true (dp_plugin_engine_load (fixture->engine, "example", &error));
  g_assert_no_error (error);
  g_assert_nonnull (dp_plugin_engine_get_plugin (fixture->engine, "example"));
  g_assert_cmpstr (dp_plugin_get_module_name (dp_plugin_engine_get_plugin (fixture->engine, "example")),
                   ==, "example");

  param = dp_config_lookup (config, "Example_Greeting");
  g_assert_nonnull (param);
  g_assert_cmpstr (dp_param_get_owner (param), ==, "example");
  g_assert_cmpstr (dp_param_get_default_value (param), ==, "hello");
  g_assert_cmpstr (dp_param_get_group (param), ==, "Example/General");
  g_assert_cmpstr (dp_config_get (config, "Example_Greeting"), ==, "hello");

  info = dp_plugin_engine_lookup (fixture->engine, "example");
  g_assert_nonnull (info);
  g_assert_true (dp_plugin_info_is_loaded (info));
  g_assert_null (dp_plugin_info_get_error (info));
  g_assert_cmpstr (dp_plugin_info_get_display_name (info), ==, "Example");
  g_assert_cmpstr (dp_plugin_info_get_version (info), ==, PACKAGE_VERSION);
  g_assert_cmpstr (dp_plugin_info_get_api_version (info), ==, "1");
  g_assert_cmpstr (dp_plugin_info_get_module_dir (info), ==, DP_BUILD_PLUGINDIR "/example");

  /* The plugin logs each change it hears through changed::Example_Greeting. */
  handler = g_log_set_handler ("dp-example", G_LOG_LEVEL_MESSAGE, on_example_log, &counter);
  g_assert_true (dp_config_set (config, "Example_Greeting", "bonjour", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counter.count, ==, 1);
  g_assert_nonnull (strstr (counter.last, "Example_Greeting"));
  g_assert_nonnull (strstr (counter.last, "bonjour"));

  /* Another parameter's change is not its business. */
  g_assert_true (dp_config_set (config, "Station_Name", "desk 12", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counter.count, ==, 1);

  /* Deactivated, it no longer listens. */
  g_assert_true (dp_plugin_engine_unload (fixture->engine, "example", &error));
  g_assert_no_error (error);
  g_assert_null (dp_plugin_engine_get_plugin (fixture->engine, "example"));
  g_assert_true (dp_config_set (config, "Example_Greeting", "hola", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counter.count, ==, 1);
  g_assert_false (dp_plugin_engine_unload (fixture->engine, "example", &error));
  g_assert_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_NOT_LOADED);
  g_clear_error (&error);

  /* Loading again on the same config must not trip over its own
   * registration, and the stored value survives. */
  g_assert_true (dp_plugin_engine_load (fixture->engine, "example", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dp_config_get (config, "Example_Greeting"), ==, "hola");
  g_assert_true (dp_config_set (config, "Example_Greeting", "ciao", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counter.count, ==, 2);
  g_assert_nonnull (strstr (counter.last, "ciao"));

  g_log_remove_handler ("dp-example", handler);
  g_free (counter.last);
}

static void
test_api_version_refused (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpPluginInfo) api2 = NULL;
  g_autoptr(DpPluginInfo) noapi = NULL;
  g_autoptr(DpPluginInfo) needs = NULL;

  add_test_plugin (fixture, "api2");
  add_test_plugin (fixture, "noapi");
  add_test_plugin (fixture, "needsapi2");

  g_assert_false (dp_plugin_engine_load (fixture->engine, "api2", &error));
  g_assert_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_API_VERSION);
  g_assert_cmpstr (error->message, ==,
                   "plugin 'api2' declares X-Deskphone-API=2, this deskphone supports 1");
  g_clear_error (&error);

  /* The check runs before libpeas looks for the module (api2 has none):
   * otherwise the error would be about the missing module. */
  api2 = dp_plugin_engine_lookup (fixture->engine, "api2");
  g_assert_false (dp_plugin_info_is_loaded (api2));
  g_assert_error ((GError *) dp_plugin_info_get_error (api2), DP_PLUGIN_ERROR,
                  DP_PLUGIN_ERROR_API_VERSION);
  g_assert_cmpstr (dp_plugin_info_get_api_version (api2), ==, "2");

  g_assert_false (dp_plugin_engine_load (fixture->engine, "noapi", &error));
  g_assert_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_API_VERSION);
  g_assert_nonnull (strstr (error->message, "plugin 'noapi' does not declare X-Deskphone-API"));
  g_clear_error (&error);
  noapi = dp_plugin_engine_lookup (fixture->engine, "noapi");
  g_assert_null (dp_plugin_info_get_api_version (noapi));
  g_assert_false (dp_plugin_info_is_loaded (noapi));

  /* A plugin that is fine itself but needs a refused one is refused. */
  g_assert_false (dp_plugin_engine_load (fixture->engine, "needsapi2", &error));
  g_assert_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_API_VERSION);
  g_assert_nonnull (strstr (error->message, "plugin 'needsapi2' depends on a refused plugin"));
  g_assert_nonnull (strstr (error->message, "X-Deskphone-API=2"));
  g_clear_error (&error);
  needs = dp_plugin_engine_lookup (fixture->engine, "needsapi2");
  g_assert_false (dp_plugin_info_is_loaded (needs));
}

static void
test_broken_keeps_going (Fixture       *fixture,
                         gconstpointer  data)
{
  const char * const names[] = { "broken", "api2", "nosuch", "example", NULL };
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DpPluginInfo) broken = NULL;
  g_autoptr(DpPluginInfo) nosuch = NULL;
  const char *message;

  add_test_plugin (fixture, "broken");
  add_test_plugin (fixture, "api2");
  dp_plugin_engine_add_build_tree (fixture->engine);

  /* The failures come first, the good plugin still loads. */
  g_assert_cmpuint (dp_plugin_engine_load_plugins (fixture->engine, names), ==, 1);
  g_assert_nonnull (dp_plugin_engine_get_plugin (fixture->engine, "example"));
  g_assert_nonnull (dp_config_lookup (dp_core_get_config (fixture->core), "Example_Greeting"));

  broken = dp_plugin_engine_lookup (fixture->engine, "broken");
  g_assert_false (dp_plugin_info_is_loaded (broken));
  g_assert_error ((GError *) dp_plugin_info_get_error (broken), DP_PLUGIN_ERROR,
                  DP_PLUGIN_ERROR_LOADING);
  message = dp_plugin_info_get_error_message (broken);
  /* libpeas' own reason, not just "failed to load": it names the file. */
  g_assert_true (g_str_has_prefix (message, "plugin 'broken' failed to load: "));
  g_assert_nonnull (strstr (message, "libbroken.so"));

  nosuch = dp_plugin_engine_lookup (fixture->engine, "nosuch");
  g_assert_nonnull (nosuch);
  g_assert_error ((GError *) dp_plugin_info_get_error (nosuch), DP_PLUGIN_ERROR,
                  DP_PLUGIN_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (dp_plugin_info_get_error_message (nosuch), "plugin 'nosuch' not found"));
  g_assert_nonnull (strstr (dp_plugin_info_get_error_message (nosuch), DP_BUILD_PLUGINDIR));
  g_assert_null (dp_plugin_info_get_display_name (nosuch));

  /* A plugin never asked for is unknown. */
  g_assert_null (dp_plugin_engine_lookup (fixture->engine, "never-heard-of"));

  /* The list is sorted and holds everything found plus the missing one. */
  infos = dp_plugin_engine_list (fixture->engine);
  g_assert_cmpuint (infos->len, >=, 4);
  for (guint i = 1; i < infos->len; i++)
    g_assert_cmpstr (dp_plugin_info_get_name (infos->pdata[i - 1]), <,
                     dp_plugin_info_get_name (infos->pdata[i]));

  /* Asking again fails again, still with the real reason (libpeas itself
   * only remembers "Failed to load"). */
  g_assert_false (dp_plugin_engine_load (fixture->engine, "broken", &error));
  g_assert_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_LOADING);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_status_json (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonObject *example;
  JsonObject *api2;

  add_test_plugin (fixture, "api2");
  dp_plugin_engine_add_build_tree (fixture->engine);
  dp_plugin_engine_load_plugins (fixture->engine, (const char * const[]) { "example", "api2", NULL });

  node = dp_plugin_engine_to_json (fixture->engine);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  text = json_to_string (node, FALSE);
  g_test_message ("status plugins: %s", text);

  example = find_json_plugin (node, "example");
  g_assert_nonnull (example);
  g_assert_true (json_object_get_boolean_member (example, "loaded"));
  g_assert_true (json_object_has_member (example, "error"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (example, "error")));
  g_assert_cmpstr (json_object_get_string_member (example, "version"), ==, PACKAGE_VERSION);
  g_assert_cmpstr (json_object_get_string_member (example, "display_name"), ==, "Example");
  g_assert_nonnull (strstr (json_object_get_string_member (example, "description"),
                            "Example_Greeting"));

  api2 = find_json_plugin (node, "api2");
  g_assert_nonnull (api2);
  g_assert_false (json_object_get_boolean_member (api2, "loaded"));
  g_assert_cmpstr (json_object_get_string_member (api2, "error"), ==,
                   "plugin 'api2' declares X-Deskphone-API=2, this deskphone supports 1");
  g_assert_cmpstr (json_object_get_string_member (api2, "version"), ==, "2.0");
}

static gboolean
strv_has (GStrv strv, const char *item)
{
  return g_strv_contains ((const char * const *) strv, item);
}

static void
test_search_paths (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(DpPluginEngine) other = NULL;
  g_auto(GStrv) without_user = NULL;
  g_auto(GStrv) with_user = NULL;
  g_auto(GStrv) env_paths = NULL;
  g_autoptr(DpPluginInfo) found = NULL;
  g_autofree char *old_env = g_strdup (g_getenv (DP_PLUGIN_PATH_ENV));
  g_autofree char *relative_abs = g_canonicalize_filename ("rel/plugins", NULL);
  g_auto(GStrv) initial = dp_plugin_engine_get_search_paths (fixture->engine);

  /* Nothing is searched until asked, and never the build tree by default. */
  g_assert_cmpuint (g_strv_length (initial), ==, 0);
  g_unsetenv (DP_PLUGIN_PATH_ENV);

  dp_plugin_engine_add_default_paths (fixture->engine, FALSE);
  without_user = dp_plugin_engine_get_search_paths (fixture->engine);
  g_assert_cmpstr (without_user[0], ==, DP_PLUGINDIR);
  g_assert_true (strv_has (without_user, DP_PLUGINDATADIR));
  g_assert_false (strv_has (without_user, DP_VENDOR_PLUGINDIR));
  g_assert_false (strv_has (without_user, DP_BUILD_PLUGINDIR));

  other = dp_plugin_engine_new (fixture->core);
  dp_plugin_engine_add_default_paths (other, TRUE);
  with_user = dp_plugin_engine_get_search_paths (other);
  /* The vendor/user directory comes last so it cannot shadow firmware plugins. */
  g_assert_cmpstr (with_user[g_strv_length (with_user) - 1], ==, DP_VENDOR_PLUGINDIR);
  g_assert_false (strv_has (with_user, DP_BUILD_PLUGINDIR));
  g_clear_object (&other);

  /* DESKPHONE_PLUGIN_PATH comes first, in order, empty entries skipped,
   * relative entries made absolute, duplicates dropped. */
  g_setenv (DP_PLUGIN_PATH_ENV, "/opt/a/plugins::rel/plugins:/opt/a/plugins:" DP_BUILD_PLUGINDIR, TRUE);
  other = dp_plugin_engine_new (fixture->core);
  dp_plugin_engine_add_default_paths (other, FALSE);
  env_paths = dp_plugin_engine_get_search_paths (other);
  g_assert_cmpstr (env_paths[0], ==, "/opt/a/plugins");
  g_assert_cmpstr (env_paths[1], ==, relative_abs);
  g_assert_cmpstr (env_paths[2], ==, DP_BUILD_PLUGINDIR);
  g_assert_cmpstr (env_paths[3], ==, DP_PLUGINDIR);

  /* ... and through the build tree entry, the example plugin is found. */
  found = dp_plugin_engine_lookup (other, "example");
  g_assert_nonnull (found);
  g_assert_cmpstr (dp_plugin_info_get_module_dir (found), ==, DP_BUILD_PLUGINDIR "/example");

  if (old_env != NULL)
    g_setenv (DP_PLUGIN_PATH_ENV, old_env, TRUE);
  else
    g_unsetenv (DP_PLUGIN_PATH_ENV);
}

static void
test_needs_display (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wayland = g_strdup (g_getenv ("WAYLAND_DISPLAY"));
  g_autofree char *x11 = g_strdup (g_getenv ("DISPLAY"));

  add_test_plugin (fixture, "needsdisplay");

  /* Headless: refused before libpeas looks for libneedsdisplay.so. */
  g_unsetenv ("WAYLAND_DISPLAY");
  g_unsetenv ("DISPLAY");
  g_assert_false (dp_plugin_engine_load (fixture->engine, "needsdisplay", &error));
  g_assert_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_ACTIVATE);
  g_assert_nonnull (strstr (error->message, "no display"));
  g_clear_error (&error);

  /* With a display the module is looked for (and, here, missing). */
  g_setenv ("DISPLAY", ":99", TRUE);
  g_assert_false (dp_plugin_engine_load (fixture->engine, "needsdisplay", &error));
  g_assert_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_LOADING);

  if (wayland != NULL)
    g_setenv ("WAYLAND_DISPLAY", wayland, TRUE);
  if (x11 != NULL)
    g_setenv ("DISPLAY", x11, TRUE);
  else
    g_unsetenv ("DISPLAY");
}

static void
test_core_gone (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  dp_plugin_engine_add_build_tree (fixture->engine);
  /* The core owns the engine, so the engine must not keep it alive. */
  g_clear_object (&fixture->core);
  g_assert_null (dp_plugin_engine_get_core (fixture->engine));
  g_assert_false (dp_plugin_engine_load (fixture->engine, "example", &error));
  g_assert_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_ACTIVATE);
  g_assert_nonnull (strstr (error->message, "core has already been destroyed"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* The engine warns about each plugin it refuses and libpeas about
   * modules it cannot open: that is what these tests provoke, so warnings
   * are not fatal here. Criticals (programming errors) still are. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/plugin-engine/example-from-build-tree", test_example_from_build_tree);
  ADD ("/plugin-engine/api-version-refused", test_api_version_refused);
  ADD ("/plugin-engine/broken-keeps-going", test_broken_keeps_going);
  ADD ("/plugin-engine/status-json", test_status_json);
  ADD ("/plugin-engine/search-paths", test_search_paths);
  ADD ("/plugin-engine/needs-display", test_needs_display);
  ADD ("/plugin-engine/core-gone", test_core_gone);
#undef ADD

  return g_test_run ();
}
