/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A third-party plugin as a vendor would write it: only the installed
 * headers, built with
 *   cc -shared -fPIC -o liboutoftree.so outoftree.c $(pkg-config --cflags --libs deskphone-1)
 * It registers Outoftree_Greeting and counts the changes it hears, into
 * the read-only-to-profiles parameter Outoftree_Changes.
 */
#define G_LOG_DOMAIN "dp-outoftree"

#include <deskphone.h>
#include <libpeas/peas.h>

static const DpParamDecl outoftree_params[] = {
  { .name = "Outoftree_Greeting", .type = DP_PARAM_STRING, .default_value = "built outside",
    .group = "Outoftree/General", .flags = DP_PARAM_FLAG_EXTENSION, .user_access = DP_ACCESS_RW },
  { .name = "Outoftree_Changes", .type = DP_PARAM_INT, .default_value = "0",
    .group = "Outoftree/General", .min = 0, .max = 1000000,
    .flags = DP_PARAM_FLAG_EXTENSION, .user_access = DP_ACCESS_RO },
};

#define OUTOFTREE_TYPE_PLUGIN (outoftree_plugin_get_type ())
G_DECLARE_FINAL_TYPE (OutoftreePlugin, outoftree_plugin, OUTOFTREE, PLUGIN, GObject)

struct _OutoftreePlugin
{
  GObject parent_instance;
  DpConfig *config;
  gulong changed_id;
};

static void outoftree_plugin_iface_init (DpPluginInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (OutoftreePlugin, outoftree_plugin, G_TYPE_OBJECT, 0,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (DP_TYPE_PLUGIN,
                                                               outoftree_plugin_iface_init))

static void
on_greeting_changed (DpConfig   *config,
                     const char *name,
                     gpointer    user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            dp_config_get_int (config, "Outoftree_Changes") + 1);

  if (!dp_config_set (config, "Outoftree_Changes", count, &error))
    g_warning ("cannot count the change: %s", error->message);
}

static gboolean
outoftree_plugin_activate (DpPlugin  *plugin,
                           DpCore    *core,
                           GError   **error)
{
  OutoftreePlugin *self = OUTOFTREE_PLUGIN (plugin);
  DpConfig *config = dp_core_get_config (core);

  if (dp_config_lookup (config, "Outoftree_Greeting") == NULL &&
      !dp_config_register (config, "outoftree", outoftree_params,
                           G_N_ELEMENTS (outoftree_params), error))
    return FALSE;

  self->config = g_object_ref (config);
  self->changed_id = g_signal_connect (config, "changed::Outoftree_Greeting",
                                       G_CALLBACK (on_greeting_changed), NULL);
  return TRUE;
}

static void
outoftree_plugin_deactivate (DpPlugin *plugin)
{
  OutoftreePlugin *self = OUTOFTREE_PLUGIN (plugin);

  g_clear_signal_handler (&self->changed_id, self->config);
  g_clear_object (&self->config);
}

static void
outoftree_plugin_iface_init (DpPluginInterface *iface)
{
  iface->activate = outoftree_plugin_activate;
  iface->deactivate = outoftree_plugin_deactivate;
}

static void
outoftree_plugin_dispose (GObject *object)
{
  OutoftreePlugin *self = OUTOFTREE_PLUGIN (object);

  g_clear_signal_handler (&self->changed_id, self->config);
  g_clear_object (&self->config);
  G_OBJECT_CLASS (outoftree_plugin_parent_class)->dispose (object);
}

static void
outoftree_plugin_class_init (OutoftreePluginClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = outoftree_plugin_dispose;
}

static void
outoftree_plugin_class_finalize (OutoftreePluginClass *klass)
{
}

static void
outoftree_plugin_init (OutoftreePlugin *self)
{
}

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  outoftree_plugin_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, DP_TYPE_PLUGIN, OUTOFTREE_TYPE_PLUGIN);
}
