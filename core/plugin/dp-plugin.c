/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-plugin"

#include "dp-plugin.h"

/**
 * DpPlugin:
 *
 * The interface a deskphone plugin implements; see #DpPluginInterface.
 */

G_DEFINE_QUARK (dp-plugin-error-quark, dp_plugin_error)
G_DEFINE_INTERFACE (DpPlugin, dp_plugin, G_TYPE_OBJECT)

/* Kept as object data rather than an interface property: a property would
 * have to be re-declared by every implementation, which a Python plugin
 * cannot do through the GI override of an interface. */
#define MODULE_NAME_KEY "dp-plugin-module-name"

static void
dp_plugin_default_init (DpPluginInterface *iface)
{
}

/**
 * dp_plugin_activate:
 * @self: a #DpPlugin
 * @core: the core the plugin serves
 * @error: return location for the reason the plugin cannot run
 *
 * Starts the plugin. The engine calls this once after creating the plugin
 * instance.
 *
 * Returns: %TRUE if the plugin is running
 */
gboolean
dp_plugin_activate (DpPlugin  *self,
                    DpCore    *core,
                    GError   **error)
{
  DpPluginInterface *iface;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (DP_IS_PLUGIN (self), FALSE);
  g_return_val_if_fail (DP_IS_CORE (core), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = DP_PLUGIN_GET_IFACE (self);
  if (iface->activate == NULL)
    {
      g_set_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_ACTIVATE,
                   "%s does not implement DpPlugin.activate()",
                   G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }

  ok = iface->activate (self, core, &local_error);

  /* Plugins (Python ones especially) can break the GError contract both
   * ways; normalise so callers can trust "FALSE <=> error set". */
  if (!ok && local_error == NULL)
    {
      g_set_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_ACTIVATE,
                   "%s: activate() returned FALSE without giving a reason",
                   G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }
  if (ok && local_error != NULL)
    {
      g_warning ("%s: activate() succeeded but also set an error: %s",
                 G_OBJECT_TYPE_NAME (self), local_error->message);
      return TRUE;
    }
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * dp_plugin_deactivate:
 * @self: a #DpPlugin
 *
 * Stops the plugin. Called once before the engine drops the instance, only
 * after a successful dp_plugin_activate().
 */
void
dp_plugin_deactivate (DpPlugin *self)
{
  DpPluginInterface *iface;

  g_return_if_fail (DP_IS_PLUGIN (self));

  iface = DP_PLUGIN_GET_IFACE (self);
  if (iface->deactivate != NULL)
    iface->deactivate (self);
}

/**
 * dp_plugin_get_module_name:
 * @self: a #DpPlugin
 *
 * The `Module` key of the plugin's `.plugin` file, set by the engine before
 * activation. Parameters registered with dp_plugin_register_parameter() are
 * owned by this name.
 *
 * Returns: (nullable): the module name, or %NULL if the instance was not
 *   created by a #DpPluginEngine
 */
const char *
dp_plugin_get_module_name (DpPlugin *self)
{
  g_return_val_if_fail (DP_IS_PLUGIN (self), NULL);

  return g_object_get_data (G_OBJECT (self), MODULE_NAME_KEY);
}

/**
 * dp_plugin_set_module_name:
 * @self: a #DpPlugin
 * @module_name: the module name
 *
 * Used by #DpPluginEngine (and by tests that create plugin instances
 * without an engine) to tell the instance which plugin it belongs to.
 */
void
dp_plugin_set_module_name (DpPlugin   *self,
                           const char *module_name)
{
  g_return_if_fail (DP_IS_PLUGIN (self));
  g_return_if_fail (module_name != NULL);

  g_object_set_data_full (G_OBJECT (self), MODULE_NAME_KEY,
                          g_strdup (module_name), g_free);
}

/**
 * dp_plugin_register_parameter:
 * @self: the plugin that owns the parameter
 * @config: the configuration to register in
 * @name: the parameter name, in SPA style (`Example_Greeting`)
 * @type: the value type
 * @default_value: the factory default ("" for empty)
 * @group: "Tab/Section" the parameter is shown under
 * @choices: (nullable): the choices separated by `|` for
 *   %DP_PARAM_ENUM, the item separator for %DP_PARAM_LIST, else %NULL
 * @flags: #DpParamFlags; %DP_PARAM_FLAG_EXTENSION is always added since a
 *   plugin's parameter is never an SPA one
 * @user_access: what the user account may do with it
 * @error: return location for a #GError
 *
 * Registers one parameter owned by the plugin. This is the binding-friendly
 * form of dp_config_register() (whose array of C structs Python cannot
 * build); C plugins may use either. Registering a parameter again that the
 * same plugin already owns succeeds without change, so a plugin can be
 * deactivated and activated again on the same #DpConfig.
 *
 * Returns: %TRUE if the parameter is registered
 */
gboolean
dp_plugin_register_parameter (DpPlugin     *self,
                              DpConfig     *config,
                              const char   *name,
                              DpParamType   type,
                              const char   *default_value,
                              const char   *group,
                              const char   *choices,
                              DpParamFlags  flags,
                              DpAccess      user_access,
                              GError      **error)
{
  const DpParam *existing;
  const char *owner;
  DpParamDecl decl = { 0 };

  g_return_val_if_fail (DP_IS_PLUGIN (self), FALSE);
  g_return_val_if_fail (DP_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (default_value != NULL, FALSE);
  g_return_val_if_fail (group != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  owner = dp_plugin_get_module_name (self);
  if (owner == NULL)
    owner = G_OBJECT_TYPE_NAME (self);

  existing = dp_config_lookup (config, name);
  if (existing != NULL && g_strcmp0 (dp_param_get_owner (existing), owner) == 0)
    return TRUE;

  decl.name = name;
  decl.type = type;
  decl.default_value = default_value;
  decl.group = group;
  decl.choices = choices;
  /* No range: min > max means unbounded for numeric types. */
  decl.min = 1;
  decl.max = 0;
  decl.flags = flags | DP_PARAM_FLAG_EXTENSION;
  decl.user_access = user_access;

  return dp_config_register (config, owner, &decl, 1, error);
}
