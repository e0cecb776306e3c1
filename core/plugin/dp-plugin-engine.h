/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>
#include "dp-core.h"
#include "dp-plugin.h"

G_BEGIN_DECLS

/**
 * DP_PLUGIN_PATH_ENV:
 *
 * Environment variable with extra plugin directories, separated by `:`.
 * Each directory is both module and data directory and is scanned for
 * `*.plugin` files directly and one level of subdirectories deep, so the
 * build tree's `plugins/` works as it is.
 */
#define DP_PLUGIN_PATH_ENV "DESKPHONE_PLUGIN_PATH"

/**
 * DpPluginInfo:
 *
 * A snapshot of one plugin's state, taken when it is returned: later loads
 * and unloads do not change it. Reference counted.
 */
typedef struct _DpPluginInfo DpPluginInfo;

#define DP_TYPE_PLUGIN_INFO (dp_plugin_info_get_type ())
GType         dp_plugin_info_get_type         (void) G_GNUC_CONST;
DpPluginInfo *dp_plugin_info_ref              (DpPluginInfo *info);
void          dp_plugin_info_unref            (DpPluginInfo *info);
const char   *dp_plugin_info_get_name         (DpPluginInfo *info);
const char   *dp_plugin_info_get_display_name (DpPluginInfo *info);
const char   *dp_plugin_info_get_description  (DpPluginInfo *info);
const char   *dp_plugin_info_get_version      (DpPluginInfo *info);
const char   *dp_plugin_info_get_module_dir   (DpPluginInfo *info);
const char   *dp_plugin_info_get_api_version  (DpPluginInfo *info);
gboolean      dp_plugin_info_is_loaded        (DpPluginInfo *info);
const GError *dp_plugin_info_get_error        (DpPluginInfo *info);
const char   *dp_plugin_info_get_error_message (DpPluginInfo *info);
JsonNode     *dp_plugin_info_to_json          (DpPluginInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpPluginInfo, dp_plugin_info_unref)

#define DP_TYPE_PLUGIN_ENGINE (dp_plugin_engine_get_type ())
G_DECLARE_FINAL_TYPE (DpPluginEngine, dp_plugin_engine, DP, PLUGIN_ENGINE, GObject)

DpPluginEngine *dp_plugin_engine_new               (DpCore         *core);
DpCore         *dp_plugin_engine_get_core          (DpPluginEngine *self);

void            dp_plugin_engine_add_search_path   (DpPluginEngine *self,
                                                    const char     *module_dir,
                                                    const char     *data_dir);
void            dp_plugin_engine_add_build_tree    (DpPluginEngine *self);
void            dp_plugin_engine_add_env_paths     (DpPluginEngine *self);
void            dp_plugin_engine_add_default_paths (DpPluginEngine *self,
                                                    gboolean        user_dir_enabled);
GStrv           dp_plugin_engine_get_search_paths  (DpPluginEngine *self);

guint           dp_plugin_engine_load_plugins      (DpPluginEngine *self,
                                                    const char * const *names);
gboolean        dp_plugin_engine_load              (DpPluginEngine *self,
                                                    const char     *name,
                                                    GError        **error);
gboolean        dp_plugin_engine_unload            (DpPluginEngine *self,
                                                    const char     *name,
                                                    GError        **error);
void            dp_plugin_engine_unload_all        (DpPluginEngine *self);

GPtrArray      *dp_plugin_engine_list              (DpPluginEngine *self);
DpPluginInfo   *dp_plugin_engine_lookup            (DpPluginEngine *self,
                                                    const char     *name);
DpPlugin       *dp_plugin_engine_get_plugin        (DpPluginEngine *self,
                                                    const char     *name);
JsonNode       *dp_plugin_engine_to_json           (DpPluginEngine *self);

G_END_DECLS
