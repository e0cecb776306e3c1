/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The provisioning plugin: wires the resync engine, the upgrader and the
 * reporter into the core: the "resync", "upgrade" and "report" actions,
 * the "provisioning" status section, the `delaylist` syntax and the
 * upgrade extension parameters. */
#define G_LOG_DOMAIN "dp-provisioning"

#include "dp-build-config.h"
#include <deskphone.h>
#include <libpeas/peas.h>
#include <glib/gi18n-lib.h>

#include "dp-prov-env.h"
#include "dp-prov-report.h"
#include "dp-prov-resync.h"
#include "dp-prov-upgrade.h"

#define PROV_MODULE "provisioning"

/* deskphone extensions (System/Deskphone, admin only); see dp-prov-upgrade.h. */
static const DpParamDecl prov_params[] = {
  {
    .name = "Upgrade_Signing_Key",
    .type = DP_PARAM_STRING,
    .default_value = "",
    .group = "Provisioning/Firmware_Upgrade",
    .flags = DP_PARAM_FLAG_EXTENSION | DP_PARAM_FLAG_ADMIN_ONLY,
    .user_access = DP_ACCESS_NA,
  },
  {
    .name = "Upgrade_Install_Command",
    .type = DP_PARAM_STRING,
    .default_value = "",
    .group = "Provisioning/Firmware_Upgrade",
    .flags = DP_PARAM_FLAG_EXTENSION | DP_PARAM_FLAG_ADMIN_ONLY,
    .user_access = DP_ACCESS_NA,
  },
};

#define DP_TYPE_PROV_PLUGIN (dp_prov_plugin_get_type ())
G_DECLARE_FINAL_TYPE (DpProvPlugin, dp_prov_plugin, DP, PROV_PLUGIN, GObject)

struct _DpProvPlugin
{
  GObject parent_instance;

  DpCore *core;
  DpProvEnv *env;
  DpProvResync *resync;
  DpProvUpgrade *upgrade;
  DpProvReport *report;
  gulong finished_id;
  gulong attempted_id;
  guint start_id;
};

static void dp_prov_plugin_iface_init (DpPluginInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (DpProvPlugin, dp_prov_plugin, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (DP_TYPE_PLUGIN,
                                                               dp_prov_plugin_iface_init))

static gboolean
action_resync (DpCore *core, const char *argument, gpointer user_data, GError **error)
{
  DpProvPlugin *self = user_data;

  return dp_prov_resync_request (self->resync, argument, error);
}

static gboolean
action_upgrade (DpCore *core, const char *argument, gpointer user_data, GError **error)
{
  DpProvPlugin *self = user_data;

  return dp_prov_upgrade_request (self->upgrade, argument, error);
}

static gboolean
action_report (DpCore *core, const char *argument, gpointer user_data, GError **error)
{
  DpProvPlugin *self = user_data;

  return dp_prov_report_request (self->report, argument, error);
}

static JsonNode *
status_section (DpCore *core, gpointer user_data)
{
  DpProvPlugin *self = user_data;
  JsonNode *node = dp_prov_resync_to_json (self->resync);
  JsonObject *object = json_node_get_object (node);
  DpProvDevice *device = dp_prov_env_get_device (self->env);
  JsonObject *dev = json_object_new ();
  g_autofree char *user_agent = dp_prov_device_build_user_agent (device);

  json_object_set_member (object, "upgrade", dp_prov_upgrade_to_json (self->upgrade));
  json_object_set_member (object, "report", dp_prov_report_to_json (self->report));
  json_object_set_string_member (dev, "mac", dp_prov_device_get_mac (device));
  json_object_set_string_member (dev, "serial", dp_prov_device_get_serial (device));
  json_object_set_string_member (dev, "product", dp_prov_device_get_product (device));
  json_object_set_string_member (dev, "user_agent", user_agent);
  json_object_set_object_member (object, "device", dev);
  return node;
}

static void
on_resync_finished (DpProvResync *resync, gboolean success, DpProvPlugin *self)
{
  /* The SPA evaluates Upgrade_Rule as part of each resync. */
  dp_prov_upgrade_check (self->upgrade);
}

static void
on_upgrade_attempted (DpProvUpgrade *upgrade, gboolean success, DpProvPlugin *self)
{
  DpConfig *config = dp_core_get_config (self->core);
  g_autoptr(GError) error = NULL;

  if (dp_config_get_bool (config, "Resync_After_Upgrade_Attempt") &&
      dp_config_get_bool (config, "Provision_Enable") &&
      !dp_prov_resync_request (self->resync, NULL, &error))
    g_warning ("resync after upgrade: %s", error->message);
}

static gboolean
start_resync (gpointer data)
{
  DpProvPlugin *self = data;

  self->start_id = 0;
  dp_prov_resync_start (self->resync);
  return G_SOURCE_REMOVE;
}

static void
teardown (DpProvPlugin *self)
{
  g_clear_handle_id (&self->start_id, g_source_remove);
  if (self->core != NULL)
    {
      dp_core_remove_action (self->core, "resync");
      dp_core_remove_action (self->core, "upgrade");
      dp_core_remove_action (self->core, "report");
      dp_core_remove_status_section (self->core, "provisioning");
    }
  if (self->resync != NULL)
    g_clear_signal_handler (&self->finished_id, self->resync);
  if (self->upgrade != NULL)
    g_clear_signal_handler (&self->attempted_id, self->upgrade);
  if (self->resync != NULL)
    g_object_run_dispose (G_OBJECT (self->resync));
  if (self->upgrade != NULL)
    g_object_run_dispose (G_OBJECT (self->upgrade));
  if (self->report != NULL)
    g_object_run_dispose (G_OBJECT (self->report));
  g_clear_object (&self->resync);
  g_clear_object (&self->upgrade);
  g_clear_object (&self->report);
  g_clear_pointer (&self->env, dp_prov_env_free);
  g_clear_object (&self->core);
}

static gboolean
dp_prov_plugin_activate (DpPlugin *plugin, DpCore *core, GError **error)
{
  DpProvPlugin *self = DP_PROV_PLUGIN (plugin);
  DpConfig *config = dp_core_get_config (core);
  DpProvDevice *device;

  for (gsize i = 0; i < G_N_ELEMENTS (prov_params); i++)
    {
      const DpParam *existing = dp_config_lookup (config, prov_params[i].name);

      /* DpConfig has no unregister: after deactivate/activate the
       * parameters are still ours. */
      if (existing == NULL)
        {
          if (!dp_config_register (config, PROV_MODULE, &prov_params[i], 1, error))
            return FALSE;
        }
      else if (g_strcmp0 (dp_param_get_owner (existing), PROV_MODULE) != 0)
        {
          g_set_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_ACTIVATE,
                       _("%s is already registered by '%s'"), prov_params[i].name,
                       dp_param_get_owner (existing));
          return FALSE;
        }
    }

  device = dp_prov_device_new (dp_core_get_state_dir (core), dp_core_get_version (core), error);
  if (device == NULL)
    return FALSE;

  self->core = g_object_ref (core);
  self->env = dp_prov_env_new (core, device);
  self->resync = dp_prov_resync_new (self->env);
  self->upgrade = dp_prov_upgrade_new (self->env);
  self->report = dp_prov_report_new (self->env);
  self->finished_id = g_signal_connect (self->resync, "finished",
                                        G_CALLBACK (on_resync_finished), self);
  self->attempted_id = g_signal_connect (self->upgrade, "attempted",
                                         G_CALLBACK (on_upgrade_attempted), self);

  dp_core_add_action (core, "resync", action_resync, self, NULL);
  dp_core_add_action (core, "upgrade", action_upgrade, self, NULL);
  dp_core_add_action (core, "report", action_report, self, NULL);
  dp_core_add_status_section (core, "provisioning", status_section, self, NULL);

  /* From the main loop, so that the daemon's --profile files (applied
   * right after the plugins are activated) count as the configuration the
   * phone powered up with. */
  self->start_id = g_idle_add (start_resync, self);
  g_debug ("activated: MAC %s, serial %s, product %s", dp_prov_device_get_mac (device),
           dp_prov_device_get_serial (device), dp_prov_device_get_product (device));
  return TRUE;
}

static void
dp_prov_plugin_deactivate (DpPlugin *plugin)
{
  teardown (DP_PROV_PLUGIN (plugin));
}

static void
dp_prov_plugin_iface_init (DpPluginInterface *iface)
{
  iface->activate = dp_prov_plugin_activate;
  iface->deactivate = dp_prov_plugin_deactivate;
}

static void
dp_prov_plugin_dispose (GObject *object)
{
  teardown (DP_PROV_PLUGIN (object));
  G_OBJECT_CLASS (dp_prov_plugin_parent_class)->dispose (object);
}

static void
dp_prov_plugin_class_init (DpProvPluginClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dp_prov_plugin_dispose;
}

static void
dp_prov_plugin_class_finalize (DpProvPluginClass *klass)
{
}

static void
dp_prov_plugin_init (DpProvPlugin *self)
{
}

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  dp_prov_plugin_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, DP_TYPE_PLUGIN, DP_TYPE_PROV_PLUGIN);
}
