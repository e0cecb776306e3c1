/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * deskphoned: the phone. One GLib main loop runs everything; plugins bring
 * the features, D-Bus (org.deskphone.Phone1) is the API for the GUI and
 * deskphonectl. Contract: architecture §4.1. */
#define G_LOG_DOMAIN "deskphoned"

#include "dp-build-config.h"
#include "dp-core.h"
#include "dp-daemon-logging.h"
#include "dp-log.h"
#include "dp-phone-service.h"
#include "dp-plugin-engine.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdlib.h>

#define DP_BUS_NAME "org.deskphone.Phone1"

typedef struct {
  DpCore *core;
  DpPluginEngine *plugins;
  DpPhoneService *service;
  DpLogger *logger;
  GMainLoop *loop;
  guint owner_id;
  int exit_code;
} Daemon;

static char *opt_state_dir;
static char **opt_profiles;
static char *opt_bus = NULL;
static gboolean opt_verbose;
static gboolean opt_version;

static const GOptionEntry options[] = {
  { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_state_dir,
    N_("Folder for the persisted configuration and downloads"), "DIR" },
  { "profile", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_profiles,
    N_("Apply a flat-profile XML or SPA plain-text profile at start-up (repeatable)"), "FILE" },
  { "bus", 0, 0, G_OPTION_ARG_STRING, &opt_bus,
    N_("D-Bus to serve org.deskphone.Phone1 on: session, system or none"), "BUS" },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, N_("Log everything to stderr"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, N_("Print the version and exit"), NULL },
  { NULL }
};

static char *
default_state_dir (gboolean system_service)
{
  if (system_service)
    return g_strdup ("/var/lib/deskphone");
  return g_build_filename (g_get_user_state_dir (), "deskphone", NULL);
}

static gboolean
on_terminate (gpointer user_data)
{
  Daemon *daemon = user_data;

  g_message ("shutting down");
  g_main_loop_quit (daemon->loop);
  return G_SOURCE_CONTINUE;
}

static void
on_bus_acquired (GDBusConnection *connection, const char *name, gpointer user_data)
{
  Daemon *daemon = user_data;
  g_autoptr(GError) error = NULL;

  if (!dp_phone_service_export (daemon->service, connection, &error))
    {
      g_critical ("cannot export %s: %s", DP_BUS_NAME, error->message);
      daemon->exit_code = EXIT_FAILURE;
      g_main_loop_quit (daemon->loop);
    }
}

static void
on_name_acquired (GDBusConnection *connection, const char *name, gpointer user_data)
{
  g_message ("ready on D-Bus as %s", name);
}

static void
on_name_lost (GDBusConnection *connection, const char *name, gpointer user_data)
{
  Daemon *daemon = user_data;

  /* Another deskphoned owns the name, or there is no bus at all: running
   * on without the API would leave a phone nobody can reach. */
  g_critical ("cannot own %s on the D-Bus (%s)", name,
              connection ? "another deskphoned is running" : "no bus");
  daemon->exit_code = EXIT_FAILURE;
  g_main_loop_quit (daemon->loop);
}

static JsonNode *
plugins_status (DpCore *core, gpointer user_data)
{
  return dp_plugin_engine_to_json (DP_PLUGIN_ENGINE (user_data));
}

static gboolean
apply_startup_profiles (Daemon *daemon, GError **error)
{
  DpConfig *config = dp_core_get_config (daemon->core);

  for (char **path = opt_profiles; path != NULL && *path != NULL; path++)
    {
      g_autoptr(DpProfile) profile = dp_profile_parse_file (*path, NULL, error);
      DpApplyStats stats = { 0 };

      if (profile == NULL || !dp_config_apply (config, profile, &stats, error))
        {
          g_prefix_error (error, _("profile %s: "), *path);
          return FALSE;
        }
      g_message ("profile %s: %u changed, %u unchanged, %u unknown names ignored",
                 *path, stats.applied, stats.unchanged, stats.unknown);
    }
  return TRUE;
}

static void
load_plugins (Daemon *daemon)
{
  DpConfig *config = dp_core_get_config (daemon->core);

  daemon->plugins = dp_plugin_engine_new (daemon->core);
  dp_plugin_engine_add_env_paths (daemon->plugins);
  /* Tests (and developers running a build tree next to an installed phone)
   * want exactly the plugins of DESKPHONE_PLUGIN_PATH, never the installed
   * ones. */
  if (g_strcmp0 (g_getenv ("DESKPHONE_PLUGIN_PATH_ONLY"), "1") != 0)
    dp_plugin_engine_add_default_paths (daemon->plugins,
                                        dp_config_get_bool (config, "Plugin_User_Dir_Enable"));
  dp_plugin_engine_load_plugins (daemon->plugins, NULL);
  dp_core_add_status_section (daemon->core, "plugins", plugins_status,
                              g_object_ref (daemon->plugins), g_object_unref);
}

static GBusType
parse_bus (const char *name, gboolean *ok)
{
  *ok = TRUE;
  if (name == NULL)
    return g_getenv ("DBUS_SESSION_BUS_ADDRESS") ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM;
  if (g_str_equal (name, "session"))
    return G_BUS_TYPE_SESSION;
  if (g_str_equal (name, "system"))
    return G_BUS_TYPE_SYSTEM;
  if (g_str_equal (name, "none"))
    return G_BUS_TYPE_NONE;
  *ok = FALSE;
  return G_BUS_TYPE_NONE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state_dir = NULL;
  Daemon daemon = { 0 };
  GBusType bus_type;
  gboolean bus_ok;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  context = g_option_context_new (_("- SIP desk phone"));
  g_option_context_add_main_entries (context, options, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("deskphoned: %s\n", error->message);
      return 2;
    }
  if (opt_version)
    {
      g_print ("deskphoned %s\n", PACKAGE_VERSION);
      return 0;
    }
  bus_type = parse_bus (opt_bus, &bus_ok);
  if (!bus_ok)
    {
      g_printerr ("deskphoned: --bus must be session, system or none, not \"%s\"\n", opt_bus);
      return 2;
    }

  daemon.logger = dp_logger_new ();
  dp_logger_set_verbose (daemon.logger, opt_verbose);
  dp_logger_install (daemon.logger);

  state_dir = opt_state_dir ? g_strdup (opt_state_dir)
                            : default_state_dir (bus_type == G_BUS_TYPE_SYSTEM);
  daemon.core = dp_core_new (state_dir);
  if (!dp_core_load_state (daemon.core, &error))
    {
      /* Recoverable and expected after a disk fault: a warning, not a
       * critical (criticals are for programming errors and may be fatal). */
      g_warning ("configuration not loaded, running on factory values: %s", error->message);
      g_clear_error (&error);
    }
  dp_daemon_logging_bind (daemon.logger, dp_core_get_config (daemon.core));

  load_plugins (&daemon);
  if (!apply_startup_profiles (&daemon, &error))
    {
      g_printerr ("deskphoned: %s\n", error->message);
      dp_plugin_engine_unload_all (daemon.plugins);
      g_clear_object (&daemon.plugins);
      g_clear_object (&daemon.core);
      return 2;
    }

  daemon.loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_terminate, &daemon);
  g_unix_signal_add (SIGINT, on_terminate, &daemon);

  if (bus_type != G_BUS_TYPE_NONE)
    {
      daemon.service = dp_phone_service_new (daemon.core);
      daemon.owner_id = g_bus_own_name (bus_type, DP_BUS_NAME, G_BUS_NAME_OWNER_FLAGS_NONE,
                                        on_bus_acquired, on_name_acquired, on_name_lost,
                                        &daemon, NULL);
    }
  else
    g_message ("running without D-Bus");

  g_message ("deskphoned %s started, state in %s", PACKAGE_VERSION, state_dir);
  g_main_loop_run (daemon.loop);

  /* Plugins end calls and unregister in deactivate(); the configuration is
   * saved on every change already, a final save only catches up on a state
   * folder that was not writable before. */
  if (daemon.owner_id != 0)
    g_bus_unown_name (daemon.owner_id);
  g_clear_object (&daemon.service);
  dp_core_remove_status_section (daemon.core, "plugins");
  dp_plugin_engine_unload_all (daemon.plugins);
  g_clear_object (&daemon.plugins);
  if (!dp_config_save (dp_core_get_config (daemon.core), &error))
    g_warning ("final save failed: %s", error->message);
  g_clear_object (&daemon.core);
  g_main_loop_unref (daemon.loop);
  g_message ("stopped");
  g_clear_object (&daemon.logger);
  return daemon.exit_code;
}
