/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * DpParamType:
 * @DP_PARAM_STRING: free text
 * @DP_PARAM_BOOL: Yes/No with every SPA spelling (Yes/No, yes/no, 1/0, Enable/Disable)
 * @DP_PARAM_INT: integer, optionally bounded by min/max
 * @DP_PARAM_DECIMAL: decimal number (seconds, dB ...), optionally bounded
 * @DP_PARAM_ENUM: one of the declared choices (exact spelling, case-insensitive match)
 * @DP_PARAM_LIST: a list of items separated by the declared separator
 *
 * The type of a configuration parameter.
 */
typedef enum {
  DP_PARAM_STRING,
  DP_PARAM_BOOL,
  DP_PARAM_INT,
  DP_PARAM_DECIMAL,
  DP_PARAM_ENUM,
  DP_PARAM_LIST,
} DpParamType;

/**
 * DpAccess:
 * @DP_ACCESS_NA: the user account can neither see nor change it
 * @DP_ACCESS_RO: the user account can see it
 * @DP_ACCESS_RW: the user account can see and change it
 *
 * What the *user* account may do with a parameter (the admin may do anything).
 * Set by the profile `ua` attribute (XML) or `!` / `?` marks (plain text).
 */
typedef enum {
  DP_ACCESS_NA,
  DP_ACCESS_RO,
  DP_ACCESS_RW,
} DpAccess;

/**
 * DpParamFlags:
 * @DP_PARAM_FLAG_NONE: no flag
 * @DP_PARAM_FLAG_ADMIN_ONLY: never shown to or set by the user account
 * @DP_PARAM_FLAG_SECRET: a password or key: masked in dumps, status and logs
 * @DP_PARAM_FLAG_OPTIONAL: the empty string is a valid value even for numeric types
 * @DP_PARAM_FLAG_EXTENSION: a deskphone parameter that the SPA does not have
 * @DP_PARAM_FLAG_READONLY: status value; profiles cannot set it
 */
typedef enum /*< flags >*/ {
  DP_PARAM_FLAG_NONE = 0,
  DP_PARAM_FLAG_ADMIN_ONLY = 1 << 0,
  DP_PARAM_FLAG_SECRET = 1 << 1,
  DP_PARAM_FLAG_OPTIONAL = 1 << 2,
  DP_PARAM_FLAG_EXTENSION = 1 << 3,
  DP_PARAM_FLAG_READONLY = 1 << 4,
} DpParamFlags;

/**
 * DpParamDecl:
 * @name: the SPA name. For a family, a pattern with one or two `%u`
 *   (`Proxy_%u_`, `Unit_%u_Key_%u`) expanded from 1 to @count1 / @count2.
 * @type: the value type
 * @default_value: the factory default (never %NULL; "" for empty)
 * @group: "Tab/Section" as the SPA web UI and config dumps name it; may
 *   contain `%u` like @name (`Ext_%u/Proxy_and_Registration`)
 * @choices: for %DP_PARAM_ENUM, the choices separated by `|`; for
 *   %DP_PARAM_LIST, the one-character item separator; otherwise %NULL
 * @min: lower bound for %DP_PARAM_INT / %DP_PARAM_DECIMAL (ignored when
 *   @min > @max)
 * @max: upper bound
 * @flags: #DpParamFlags
 * @user_access: the factory user access
 * @syntax: name of a registered syntax checker (`dialplan`, `tonescript` ...)
 *   that validates the value, or %NULL
 * @count1: family size of the first `%u` (0 for a single parameter)
 * @count2: family size of the second `%u` (0 when there is none)
 *
 * One declaration row. Plugins and the core catalogue register arrays of
 * these with dp_config_register().
 */
typedef struct {
  const char *name;
  DpParamType type;
  const char *default_value;
  const char *group;
  const char *choices;
  double min;
  double max;
  guint flags;
  DpAccess user_access;
  const char *syntax;
  guint count1;
  guint count2;
} DpParamDecl;

/**
 * DpParam:
 *
 * One concrete, registered parameter (families are expanded). Owned by the
 * #DpConfig; read its fields with the accessors.
 */
typedef struct _DpParam DpParam;

const char   *dp_param_get_name          (const DpParam *param);
DpParamType   dp_param_get_param_type    (const DpParam *param);
const char   *dp_param_get_default_value (const DpParam *param);
const char   *dp_param_get_tab           (const DpParam *param);
const char   *dp_param_get_section       (const DpParam *param);
const char   *dp_param_get_group         (const DpParam *param);
guint         dp_param_get_flags         (const DpParam *param);
double        dp_param_get_min           (const DpParam *param);
double        dp_param_get_max           (const DpParam *param);
gboolean      dp_param_has_range         (const DpParam *param);
const char   *dp_param_get_syntax        (const DpParam *param);
const char   *dp_param_get_owner         (const DpParam *param);
/**
 * dp_param_get_choices:
 * @param: a #DpParam
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the enum choices
 */
const char * const *dp_param_get_choices (const DpParam *param);

const char   *dp_param_type_to_string    (DpParamType type);
const char   *dp_access_to_string        (DpAccess access);
gboolean      dp_access_from_string      (const char *text, DpAccess *access);

/**
 * dp_bool_parse:
 * @text: a value
 * @out: (out) (optional): the boolean
 *
 * Parses every SPA spelling of a boolean: Yes/No, yes/no, 1/0, Enable/Disable
 * (any case), also true/false and on/off.
 *
 * Returns: %TRUE if @text is a boolean spelling
 */
gboolean      dp_bool_parse              (const char *text, gboolean *out);

G_END_DECLS
