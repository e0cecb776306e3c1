/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "dp-param.h"
#include "dp-profile.h"

G_BEGIN_DECLS

#define DP_CONFIG_ERROR (dp_config_error_quark ())

/**
 * DpConfigError:
 * @DP_CONFIG_ERROR_UNKNOWN_PARAMETER: no parameter of that name
 * @DP_CONFIG_ERROR_INVALID_VALUE: the value is not valid for the parameter
 * @DP_CONFIG_ERROR_DUPLICATE: a parameter of that name is already registered
 * @DP_CONFIG_ERROR_READONLY: the parameter is a status value
 * @DP_CONFIG_ERROR_STORAGE: the state file could not be read or written
 * @DP_CONFIG_ERROR_DENIED: the account may not change the parameter
 */
typedef enum {
  DP_CONFIG_ERROR_UNKNOWN_PARAMETER,
  DP_CONFIG_ERROR_INVALID_VALUE,
  DP_CONFIG_ERROR_DUPLICATE,
  DP_CONFIG_ERROR_READONLY,
  DP_CONFIG_ERROR_STORAGE,
  DP_CONFIG_ERROR_DENIED,
} DpConfigError;

GQuark dp_config_error_quark (void);

/**
 * DpSyntaxCheckFunc:
 * @value: the candidate value
 * @error: return location for a #GError naming the position of the fault
 *
 * Validates a value of a script-like parameter (dial plan, tone script ...).
 *
 * Returns: %TRUE if @value is valid
 */
typedef gboolean (*DpSyntaxCheckFunc) (const char *value, GError **error);

/**
 * DpApplyStats:
 * @applied: how many parameters changed value or access
 * @unchanged: assignments that matched the current state
 * @unknown: assignments naming no known parameter (ignored, not fatal)
 * @ignored_readonly: assignments to status parameters (ignored)
 *
 * What an apply did.
 */
typedef struct {
  guint applied;
  guint unchanged;
  guint unknown;
  guint ignored_readonly;
} DpApplyStats;

#define DP_TYPE_CONFIG (dp_config_get_type ())
G_DECLARE_FINAL_TYPE (DpConfig, dp_config, DP, CONFIG, GObject)

DpConfig     *dp_config_new               (void);

gboolean      dp_config_register          (DpConfig          *self,
                                           const char        *owner,
                                           const DpParamDecl *decls,
                                           gsize              n_decls,
                                           GError           **error);
void          dp_config_register_syntax   (DpConfig          *self,
                                           const char        *syntax,
                                           DpSyntaxCheckFunc  check);

const DpParam *dp_config_lookup           (DpConfig          *self,
                                           const char        *name);
/**
 * dp_config_list:
 * @self: a #DpConfig
 *
 * Returns: (transfer container) (element-type utf8): every parameter name in
 *   registration (tab) order
 */
GPtrArray    *dp_config_list              (DpConfig          *self);
guint         dp_config_get_n_params      (DpConfig          *self);

const char   *dp_config_get               (DpConfig          *self,
                                           const char        *name);
gboolean      dp_config_get_bool          (DpConfig          *self,
                                           const char        *name);
gint64        dp_config_get_int           (DpConfig          *self,
                                           const char        *name);
double        dp_config_get_double        (DpConfig          *self,
                                           const char        *name);
DpAccess      dp_config_get_access        (DpConfig          *self,
                                           const char        *name);

gboolean      dp_config_validate          (DpConfig          *self,
                                           const char        *name,
                                           const char        *value,
                                           GError           **error);
gboolean      dp_config_set               (DpConfig          *self,
                                           const char        *name,
                                           const char        *value,
                                           GError           **error);
gboolean      dp_config_apply             (DpConfig          *self,
                                           DpProfile         *profile,
                                           DpApplyStats      *stats,
                                           GError           **error);
gboolean      dp_config_reset             (DpConfig          *self,
                                           GError           **error);

void          dp_config_set_state_file    (DpConfig          *self,
                                           const char        *path);
const char   *dp_config_get_state_file    (DpConfig          *self);
gboolean      dp_config_load              (DpConfig          *self,
                                           GError           **error);
gboolean      dp_config_save              (DpConfig          *self,
                                           GError           **error);

char         *dp_config_to_flat_profile   (DpConfig          *self,
                                           gboolean           include_secrets);
JsonNode     *dp_config_param_to_json     (DpConfig          *self,
                                           const char        *name);

G_END_DECLS
