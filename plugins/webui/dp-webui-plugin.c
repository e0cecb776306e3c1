/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The webui plugin: the administrator's and user's web pages (issue 9).
 * It registers the web extension parameters, runs the server
 * (dp-webui-server.c), keeps Admin_Passwd / User_Password hashed
 * (dp-webui-auth.h), drives the first-boot setup code and samples call
 * statistics for the Info tab chart.
 *
 * Extension parameters (DP_PARAM_FLAG_EXTENSION, group `System/Web_Server`,
 * user access na, admin only):
 * - `Web_Server_Bind_Address`: IP address the web server listens on; blank
 *   (default) = every interface.
 * - `Web_HTTPS_Enable` (No): also serve HTTPS.
 * - `Web_HTTPS_Port` (443; 0 = pick a free port, recorded with
 *   dp_core_set_port (core, "web-https", 0, port)).
 * - `Web_HTTPS_Certificate` (`device-cert.pem`): PEM file with the device
 *   certificate and key, in the state folder unless absolute.
 */
#define G_LOG_DOMAIN "dp-webui"

#include <deskphone.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <libpeas/peas.h>

#include "dp-webui-auth.h"
#include "dp-webui-server.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#define WEBUI_MODULE "webui"
#define SETUP_CODE_FILE "webui-setup-code"
#define SAMPLE_INTERVAL_S 1

static const DpParamDecl webui_params[] = {
  { .name = "Web_Server_Bind_Address", .type = DP_PARAM_STRING, .default_value = "",
    .group = "System/Web_Server", .flags = DP_PARAM_FLAG_EXTENSION | DP_PARAM_FLAG_ADMIN_ONLY },
  { .name = "Web_HTTPS_Enable", .type = DP_PARAM_BOOL, .default_value = "No",
    .group = "System/Web_Server", .flags = DP_PARAM_FLAG_EXTENSION | DP_PARAM_FLAG_ADMIN_ONLY },
  { .name = "Web_HTTPS_Port", .type = DP_PARAM_INT, .default_value = "443",
    .group = "System/Web_Server", .min = 0, .max = 65535,
    .flags = DP_PARAM_FLAG_EXTENSION | DP_PARAM_FLAG_ADMIN_ONLY },
  { .name = "Web_HTTPS_Certificate", .type = DP_PARAM_STRING, .default_value = "device-cert.pem",
    .group = "System/Web_Server", .flags = DP_PARAM_FLAG_EXTENSION | DP_PARAM_FLAG_ADMIN_ONLY },
};

/* Parameters whose change restarts the listeners. */
static const char *listen_params[] = {
  "Enable_Web_Server", "Web_Server_Port", "Web_Server_Bind_Address",
  "Web_HTTPS_Enable", "Web_HTTPS_Port", "Web_HTTPS_Certificate",
};

#define DP_TYPE_WEBUI_PLUGIN (dp_webui_plugin_get_type ())
G_DECLARE_FINAL_TYPE (DpWebuiPlugin, dp_webui_plugin, DP, WEBUI_PLUGIN, GObject)

struct _DpWebuiPlugin
{
  GObject parent_instance;

  DpCore *core;
  DpConfig *config;
  DpWebuiServer *server;
  gulong changed_id;
  guint restart_id;
  guint sample_id;
  gulong call_changed_id;
};

static void dp_webui_plugin_iface_init (DpPluginInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (DpWebuiPlugin, dp_webui_plugin, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (DP_TYPE_PLUGIN,
                                                               dp_webui_plugin_iface_init))

static char *
setup_code_path (DpWebuiPlugin *self)
{
  return g_build_filename (dp_core_get_state_dir (self->core), SETUP_CODE_FILE, NULL);
}

/* First boot: see dp-webui-server.h. */
static void
update_setup_code (DpWebuiPlugin *self)
{
  g_autofree char *path = setup_code_path (self);

  if (!dp_webui_server_needs_setup (self->server))
    {
      dp_webui_server_set_setup_code (self->server, NULL);
      g_unlink (path);
      return;
    }
  {
    g_autofree char *code = dp_webui_random_token (6);
    g_autofree char *contents = g_strconcat (code, "\n", NULL);
    g_autoptr(GError) error = NULL;
    int fd;

    dp_webui_server_set_setup_code (self->server, code);
    g_mkdir_with_parents (dp_core_get_state_dir (self->core), 0700);
    g_unlink (path);
    /* Created 0600 from the start, never readable by others. */
    fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0 || write (fd, contents, strlen (contents)) != (ssize_t) strlen (contents))
      g_warning ("cannot write %s; the setup code is only in this log", path);
    if (fd >= 0)
      close (fd);
    g_message ("Admin_Passwd is empty: web setup code %s (also in %s)", code, path);
  }
}

/* Replaces a plain password by its PBKDF2 hash. */
static void
hash_password (DpWebuiPlugin *self, const char *name)
{
  const char *value = dp_config_get (self->config, name);
  g_autofree char *hash = NULL;
  g_autoptr(GError) error = NULL;

  if (value == NULL || *value == '\0' || dp_webui_is_password_hash (value))
    return;
  hash = dp_webui_hash_password (value, DP_WEBUI_PBKDF2_ITERATIONS, &error);
  if (hash == NULL || !dp_config_set (self->config, name, hash, &error))
    g_warning ("%s could not be hashed: %s", name, error->message);
}

static gboolean
restart_server (gpointer user_data)
{
  DpWebuiPlugin *self = user_data;
  g_autoptr(GError) error = NULL;

  self->restart_id = 0;
  if (!dp_webui_server_start (self->server, &error))
    g_warning ("%s", error->message);
  return G_SOURCE_REMOVE;
}

static void
on_config_changed (DpConfig *config, const char *name, gpointer user_data)
{
  DpWebuiPlugin *self = user_data;

  if (g_str_equal (name, "Admin_Passwd") || g_str_equal (name, "User_Password"))
    {
      hash_password (self, name);
      if (g_str_equal (name, "Admin_Passwd"))
        update_setup_code (self);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (listen_params); i++)
    if (g_str_equal (name, listen_params[i]) && self->restart_id == 0)
      {
        /* Deferred: the change may come from a web submit whose response
         * still has to go out on the current connection. */
        self->restart_id = g_timeout_add (200, restart_server, self);
        return;
      }
}

static gboolean
on_sample (gpointer user_data)
{
  DpWebuiPlugin *self = user_data;

  dp_webui_server_sample_calls (self->server);
  /* Sample only while there are calls: an idle phone must not wake up. */
  if (g_list_model_get_n_items (dp_core_get_calls (self->core)) > 0)
    return G_SOURCE_CONTINUE;
  self->sample_id = 0;
  return G_SOURCE_REMOVE;
}

static void
on_call_changed (DpCore *core, DpCall *call, DpWebuiPlugin *self)
{
  if (self->sample_id == 0)
    self->sample_id = g_timeout_add_seconds (SAMPLE_INTERVAL_S, on_sample, self);
}

static gboolean
dp_webui_plugin_activate (DpPlugin *plugin, DpCore *core, GError **error)
{
  DpWebuiPlugin *self = DP_WEBUI_PLUGIN (plugin);
  DpConfig *config = dp_core_get_config (core);
  const DpParam *existing = dp_config_lookup (config, webui_params[0].name);

  /* DpConfig has no unregister: a re-activation finds our parameters. */
  if (existing == NULL)
    {
      if (!dp_config_register (config, WEBUI_MODULE, webui_params, G_N_ELEMENTS (webui_params), error))
        return FALSE;
    }
  else if (g_strcmp0 (dp_param_get_owner (existing), WEBUI_MODULE) != 0)
    {
      g_set_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_ACTIVATE,
                   _("%s is already registered by '%s'"), webui_params[0].name,
                   dp_param_get_owner (existing));
      return FALSE;
    }

  self->core = g_object_ref (core);
  self->config = g_object_ref (config);
  self->server = dp_webui_server_new (core);
  self->changed_id = g_signal_connect (config, "changed", G_CALLBACK (on_config_changed), self);
  hash_password (self, "Admin_Passwd");
  hash_password (self, "User_Password");
  update_setup_code (self);
  self->call_changed_id = g_signal_connect (core, "call-changed", G_CALLBACK (on_call_changed), self);

  /* Started from the main loop, not here: the daemon applies its start-up
   * profiles after loading the plugins, and listening on the factory port
   * (80, every interface) first would expose the phone for a moment with a
   * configuration it is about to replace. A port in use must not stop the
   * phone; restart_server() logs it, and the next change of a listening
   * parameter retries. */
  self->restart_id = g_idle_add (restart_server, self);
  return TRUE;
}

static void
clear (DpWebuiPlugin *self)
{
  g_clear_handle_id (&self->restart_id, g_source_remove);
  g_clear_handle_id (&self->sample_id, g_source_remove);
  if (self->core != NULL)
    g_clear_signal_handler (&self->call_changed_id, self->core);
  if (self->config != NULL)
    g_clear_signal_handler (&self->changed_id, self->config);
  g_clear_pointer (&self->server, dp_webui_server_free);
  g_clear_object (&self->config);
  g_clear_object (&self->core);
}

static void
dp_webui_plugin_deactivate (DpPlugin *plugin)
{
  clear (DP_WEBUI_PLUGIN (plugin));
}

static void
dp_webui_plugin_iface_init (DpPluginInterface *iface)
{
  iface->activate = dp_webui_plugin_activate;
  iface->deactivate = dp_webui_plugin_deactivate;
}

static void
dp_webui_plugin_dispose (GObject *object)
{
  clear (DP_WEBUI_PLUGIN (object));
  G_OBJECT_CLASS (dp_webui_plugin_parent_class)->dispose (object);
}

static void
dp_webui_plugin_class_init (DpWebuiPluginClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dp_webui_plugin_dispose;
}

static void
dp_webui_plugin_class_finalize (DpWebuiPluginClass *klass)
{
}

static void
dp_webui_plugin_init (DpWebuiPlugin *self)
{
}

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  dp_webui_plugin_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, DP_TYPE_PLUGIN, DP_TYPE_WEBUI_PLUGIN);
}
