/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib-object.h>
#include "dp-param.h"
#include "dp-config.h"
#include "dp-core.h"

G_BEGIN_DECLS

/**
 * DP_PLUGIN_API_VERSION:
 *
 * The plugin API version this deskphone implements. A plugin states the
 * version it was written for in its `.plugin` file as `X-Deskphone-API=1`;
 * the engine refuses a plugin whose value is missing or different, before
 * any of the plugin's code runs.
 */
#define DP_PLUGIN_API_VERSION "1"

#define DP_PLUGIN_ERROR (dp_plugin_error_quark ())

/**
 * DpPluginError:
 * @DP_PLUGIN_ERROR_API_VERSION: the `.plugin` file declares no or another
 *   `X-Deskphone-API`
 * @DP_PLUGIN_ERROR_NOT_FOUND: no plugin of that name in the search path
 * @DP_PLUGIN_ERROR_LOADING: libpeas could not load the module (missing
 *   file, unresolved symbol, Python exception at import, missing loader)
 * @DP_PLUGIN_ERROR_NO_EXTENSION: the module does not implement #DpPlugin
 * @DP_PLUGIN_ERROR_ACTIVATE: dp_plugin_activate() failed
 * @DP_PLUGIN_ERROR_NOT_LOADED: the plugin is not loaded
 *
 * Why a plugin is not running.
 */
typedef enum {
  DP_PLUGIN_ERROR_API_VERSION,
  DP_PLUGIN_ERROR_NOT_FOUND,
  DP_PLUGIN_ERROR_LOADING,
  DP_PLUGIN_ERROR_NO_EXTENSION,
  DP_PLUGIN_ERROR_ACTIVATE,
  DP_PLUGIN_ERROR_NOT_LOADED,
} DpPluginError;

GQuark dp_plugin_error_quark (void);

#define DP_TYPE_PLUGIN (dp_plugin_get_type ())
G_DECLARE_INTERFACE (DpPlugin, dp_plugin, DP, PLUGIN, GObject)

/**
 * DpPluginInterface:
 * @g_iface: the parent interface
 * @activate: start the plugin: register parameters, connect to the core's
 *   objects, provide extension interfaces. Mandatory.
 * @deactivate: undo what @activate did that the core would not undo
 *   itself (disconnect signal handlers, stop sources). Optional.
 *
 * The interface every deskphone plugin implements. The engine creates one
 * instance per loaded plugin (through libpeas, so the class may be written
 * in C or in Python), calls @activate with the #DpCore once, and
 * @deactivate before it drops the instance.
 *
 * The core is passed to @activate rather than as a construct property so
 * that a Python plugin needs nothing but `do_activate (self, core)`; a
 * plugin that needs the core later keeps its own reference.
 *
 * In Python:
 * |[<!-- language="Python" -->
 * class MyPlugin (GObject.Object, Deskphone.Plugin):
 *     def do_activate (self, core):
 *         ...
 *         return True
 *     def do_deactivate (self):
 *         ...
 * ]|
 * Raising an exception or returning %FALSE from `do_activate` marks the
 * plugin as failed; the error shows in the plugin list and in status.
 */
struct _DpPluginInterface
{
  GTypeInterface g_iface;

  gboolean (*activate)   (DpPlugin  *self,
                          DpCore    *core,
                          GError   **error);
  void     (*deactivate) (DpPlugin  *self);
};

gboolean    dp_plugin_activate           (DpPlugin     *self,
                                          DpCore       *core,
                                          GError      **error);
void        dp_plugin_deactivate         (DpPlugin     *self);

const char *dp_plugin_get_module_name    (DpPlugin     *self);
void        dp_plugin_set_module_name    (DpPlugin     *self,
                                          const char   *module_name);

gboolean    dp_plugin_register_parameter (DpPlugin     *self,
                                          DpConfig     *config,
                                          const char   *name,
                                          DpParamType   type,
                                          const char   *default_value,
                                          const char   *group,
                                          const char   *choices,
                                          DpParamFlags  flags,
                                          DpAccess      user_access,
                                          GError      **error);

G_END_DECLS
