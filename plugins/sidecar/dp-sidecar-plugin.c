/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The sidecar plugin: the SPA932 attendant console (issue 7). The key model
 * lives in dp-sidecar.c; this file only ties it to the plugin engine: it
 * registers the extension parameters, the "sidecar" status member and the
 * "sidecar-press" action ("UNIT/KEY"). */
#define G_LOG_DOMAIN "dp-sidecar"

#include "dp-sidecar.h"

#include <libpeas/peas.h>

#define DP_TYPE_SIDECAR_PLUGIN (dp_sidecar_plugin_get_type ())
G_DECLARE_FINAL_TYPE (DpSidecarPlugin, dp_sidecar_plugin, DP, SIDECAR_PLUGIN, GObject)

struct _DpSidecarPlugin
{
  GObject parent_instance;

  DpCore *core;
  DpSidecar *sidecar;
};

static void dp_sidecar_plugin_iface_init (DpPluginInterface *iface);

/* Dynamic type: libpeas may unload the module. */
G_DEFINE_DYNAMIC_TYPE_EXTENDED (DpSidecarPlugin, dp_sidecar_plugin, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (DP_TYPE_PLUGIN,
                                                               dp_sidecar_plugin_iface_init))

static gboolean
dp_sidecar_plugin_activate (DpPlugin *plugin, DpCore *core, GError **error)
{
  DpSidecarPlugin *self = DP_SIDECAR_PLUGIN (plugin);

  if (!dp_sidecar_register_parameters (dp_core_get_config (core), error))
    return FALSE;
  self->core = g_object_ref (core);
  self->sidecar = dp_sidecar_new (core);
  dp_core_add_status_section (core, "sidecar", dp_sidecar_status_section,
                              g_object_ref (self->sidecar), g_object_unref);
  dp_core_add_action (core, "sidecar-press", dp_sidecar_press_action,
                      g_object_ref (self->sidecar), g_object_unref);
  dp_sidecar_start (self->sidecar);
  return TRUE;
}

static void
dp_sidecar_plugin_deactivate (DpPlugin *plugin)
{
  DpSidecarPlugin *self = DP_SIDECAR_PLUGIN (plugin);

  if (self->core == NULL)
    return;
  dp_core_remove_action (self->core, "sidecar-press");
  dp_core_remove_status_section (self->core, "sidecar");
  dp_sidecar_stop (self->sidecar);
  g_clear_object (&self->sidecar);
  g_clear_object (&self->core);
}

static void
dp_sidecar_plugin_iface_init (DpPluginInterface *iface)
{
  iface->activate = dp_sidecar_plugin_activate;
  iface->deactivate = dp_sidecar_plugin_deactivate;
}

static void
dp_sidecar_plugin_dispose (GObject *object)
{
  dp_sidecar_plugin_deactivate (DP_PLUGIN (object));
  G_OBJECT_CLASS (dp_sidecar_plugin_parent_class)->dispose (object);
}

static void
dp_sidecar_plugin_class_init (DpSidecarPluginClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dp_sidecar_plugin_dispose;
}

static void
dp_sidecar_plugin_class_finalize (DpSidecarPluginClass *klass)
{
}

static void
dp_sidecar_plugin_init (DpSidecarPlugin *self)
{
}

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  dp_sidecar_plugin_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, DP_TYPE_PLUGIN, DP_TYPE_SIDECAR_PLUGIN);
}
