/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The example plugin: the smallest complete deskphone plugin. It registers
 * one extension parameter, Example_Greeting, and logs whenever the
 * parameter changes. docs/plugin-guide.md walks through it.
 */
#define G_LOG_DOMAIN "dp-example"

#include <deskphone.h>
#include <libpeas/peas.h>
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#define EXAMPLE_MODULE "example"

static const DpParamDecl example_params[] = {
  {
    .name = "Example_Greeting",
    .type = DP_PARAM_STRING,
    .default_value = "hello",
    .group = "Example/General",
    .flags = DP_PARAM_FLAG_EXTENSION,
    .user_access = DP_ACCESS_RW,
  },
};

#define DP_TYPE_EXAMPLE_PLUGIN (dp_example_plugin_get_type ())
G_DECLARE_FINAL_TYPE (DpExamplePlugin, dp_example_plugin, DP, EXAMPLE_PLUGIN, GObject)

struct _DpExamplePlugin
{
  GObject parent_instance;

  DpConfig *config;
  gulong changed_id;
};

static void dp_example_plugin_iface_init (DpPluginInterface *iface);

/* Dynamic type: libpeas may unload the module, so the type must belong to
 * the module's GTypeModule rather than be registered statically. */
G_DEFINE_DYNAMIC_TYPE_EXTENDED (DpExamplePlugin, dp_example_plugin, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (DP_TYPE_PLUGIN,
                                                               dp_example_plugin_iface_init))

static void
on_greeting_changed (DpConfig   *config,
                     const char *name,
                     gpointer    user_data)
{
  g_message ("%s is now '%s'", name, dp_config_get (config, name));
}

static gboolean
dp_example_plugin_activate (DpPlugin  *plugin,
                            DpCore    *core,
                            GError   **error)
{
  DpExamplePlugin *self = DP_EXAMPLE_PLUGIN (plugin);
  DpConfig *config = dp_core_get_config (core);
  const DpParam *existing = dp_config_lookup (config, "Example_Greeting");

  /* DpConfig has no unregister: after a deactivate/activate cycle on the
   * same core the parameter is still ours and must not be registered
   * twice. */
  if (existing == NULL)
    {
      if (!dp_config_register (config, EXAMPLE_MODULE, example_params,
                               G_N_ELEMENTS (example_params), error))
        return FALSE;
    }
  else if (g_strcmp0 (dp_param_get_owner (existing), EXAMPLE_MODULE) != 0)
    {
      g_set_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_ACTIVATE,
                   _("Example_Greeting is already registered by '%s'"),
                   dp_param_get_owner (existing));
      return FALSE;
    }

  self->config = g_object_ref (config);
  self->changed_id = g_signal_connect (config, "changed::Example_Greeting",
                                       G_CALLBACK (on_greeting_changed), self);
  g_debug ("activated, greeting '%s'", dp_config_get (config, "Example_Greeting"));
  return TRUE;
}

static void
dp_example_plugin_deactivate (DpPlugin *plugin)
{
  DpExamplePlugin *self = DP_EXAMPLE_PLUGIN (plugin);

  g_clear_signal_handler (&self->changed_id, self->config);
  g_clear_object (&self->config);
}

static void
dp_example_plugin_iface_init (DpPluginInterface *iface)
{
  iface->activate = dp_example_plugin_activate;
  iface->deactivate = dp_example_plugin_deactivate;
}

static void
dp_example_plugin_dispose (GObject *object)
{
  DpExamplePlugin *self = DP_EXAMPLE_PLUGIN (object);

  /* Also covers an instance dropped without deactivate(). */
  g_clear_signal_handler (&self->changed_id, self->config);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (dp_example_plugin_parent_class)->dispose (object);
}

static void
dp_example_plugin_class_init (DpExamplePluginClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dp_example_plugin_dispose;
}

static void
dp_example_plugin_class_finalize (DpExamplePluginClass *klass)
{
}

static void
dp_example_plugin_init (DpExamplePlugin *self)
{
}

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  dp_example_plugin_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, DP_TYPE_PLUGIN,
                                              DP_TYPE_EXAMPLE_PLUGIN);
}
