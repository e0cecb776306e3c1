/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpParam: one typed configuration parameter and its value checks. */
#define G_LOG_DOMAIN "dp-config"

#include "dp-param-private.h"
#include "dp-config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

const char *
dp_param_get_name (const DpParam *param)
{
  return param->name;
}

DpParamType
dp_param_get_param_type (const DpParam *param)
{
  return param->type;
}

const char *
dp_param_get_default_value (const DpParam *param)
{
  return param->default_value;
}

const char *
dp_param_get_group (const DpParam *param)
{
  return param->group;
}

const char *
dp_param_get_tab (const DpParam *param)
{
  return param->tab;
}

const char *
dp_param_get_section (const DpParam *param)
{
  return param->section;
}

guint
dp_param_get_flags (const DpParam *param)
{
  return param->flags;
}

double
dp_param_get_min (const DpParam *param)
{
  return param->min;
}

double
dp_param_get_max (const DpParam *param)
{
  return param->max;
}

gboolean
dp_param_has_range (const DpParam *param)
{
  return (param->type == DP_PARAM_INT || param->type == DP_PARAM_DECIMAL) &&
         param->min <= param->max;
}

const char *
dp_param_get_syntax (const DpParam *param)
{
  return param->syntax;
}

const char *
dp_param_get_owner (const DpParam *param)
{
  return param->owner;
}

const char * const *
dp_param_get_choices (const DpParam *param)
{
  return (const char * const *) param->choices;
}

const char *
dp_param_type_to_string (DpParamType type)
{
  switch (type)
    {
    case DP_PARAM_STRING: return "string";
    case DP_PARAM_BOOL: return "bool";
    case DP_PARAM_INT: return "int";
    case DP_PARAM_DECIMAL: return "decimal";
    case DP_PARAM_ENUM: return "enum";
    case DP_PARAM_LIST: return "list";
    default: return "unknown";
    }
}

const char *
dp_access_to_string (DpAccess access)
{
  switch (access)
    {
    case DP_ACCESS_NA: return "na";
    case DP_ACCESS_RO: return "ro";
    case DP_ACCESS_RW: return "rw";
    default: return "na";
    }
}

gboolean
dp_access_from_string (const char *text, DpAccess *access)
{
  static const struct { const char *text; DpAccess access; } names[] = {
    { "na", DP_ACCESS_NA }, { "ro", DP_ACCESS_RO }, { "rw", DP_ACCESS_RW },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (text != NULL && g_ascii_strcasecmp (text, names[i].text) == 0)
      {
        if (access != NULL)
          *access = names[i].access;
        return TRUE;
      }
  return FALSE;
}

gboolean
dp_bool_parse (const char *text, gboolean *out)
{
  static const char * const yes[] = { "yes", "1", "enable", "enabled", "true", "on" };
  static const char * const no[] = { "no", "0", "disable", "disabled", "false", "off" };

  if (text == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (text, yes[i]) == 0)
        {
          if (out != NULL)
            *out = TRUE;
          return TRUE;
        }
      if (g_ascii_strcasecmp (text, no[i]) == 0)
        {
          if (out != NULL)
            *out = FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

/* Integers are decimal, or hexadecimal with 0x (the SPA writes TOS values as
 * 0x68). No sign other than a leading '-', no trailing text. */
static gboolean
parse_integer (const char *text, gint64 *out)
{
  const char *digits = text;
  int base = 10;
  char *end = NULL;
  gint64 value;

  if (*text == '\0')
    return FALSE;
  if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    {
      base = 16;
      digits = text + 2;
      if (!g_ascii_isxdigit (*digits))
        return FALSE;
    }
  else if (!(g_ascii_isdigit (*digits) || (*digits == '-' && g_ascii_isdigit (digits[1]))))
    return FALSE;
  errno = 0;
  value = g_ascii_strtoll (digits, &end, base);
  if (errno != 0 || end == digits || *end != '\0')
    return FALSE;
  *out = value;
  return TRUE;
}

/* Decimals as the SPA writes them: "3", ".5", "0.030", "-16". */
static gboolean
parse_decimal (const char *text, double *out)
{
  const char *p = text;
  gboolean digits = FALSE;

  if (*p == '-' || *p == '+')
    p++;
  while (g_ascii_isdigit (*p))
    p++, digits = TRUE;
  if (*p == '.')
    {
      p++;
      while (g_ascii_isdigit (*p))
        p++, digits = TRUE;
    }
  if (!digits || *p != '\0')
    return FALSE;
  *out = g_ascii_strtod (text, NULL);
  return isfinite (*out);
}

static void
set_range_error (const DpParam *param, GError **error)
{
  g_set_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE,
               _("must be between %g and %g"), param->min, param->max);
}

gboolean
dp_param_check_value (const DpParam *param, const char *value, GError **error)
{
  if (value == NULL)
    {
      g_set_error_literal (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE,
                           _("a value is required"));
      return FALSE;
    }
  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error_literal (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE,
                           _("is not valid UTF-8"));
      return FALSE;
    }
  /* Profiles (XML 1.0, plain text lines) cannot carry control characters,
   * so a value holding one could be saved but never exported or restored. */
  for (const char *p = value; *p != '\0'; p++)
    if (((guchar) *p < 0x20 && *p != '\t') || *p == 0x7f)
      {
        g_set_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE,
                     _("contains a control character (0x%02x) at byte %u"),
                     (guchar) *p, (guint) (p - value));
        return FALSE;
      }
  if (*value == '\0' && (param->flags & DP_PARAM_FLAG_OPTIONAL))
    return TRUE;

  switch (param->type)
    {
    case DP_PARAM_STRING:
    case DP_PARAM_LIST:
      return TRUE;

    case DP_PARAM_BOOL:
      if (!dp_bool_parse (value, NULL))
        {
          g_set_error_literal (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE,
                               _("must be Yes or No (also yes/no, 1/0, Enable/Disable)"));
          return FALSE;
        }
      return TRUE;

    case DP_PARAM_INT:
      {
        gint64 number;

        if (!parse_integer (value, &number))
          {
            g_set_error_literal (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE,
                                 _("is not an integer"));
            return FALSE;
          }
        if (dp_param_has_range (param) && (number < param->min || number > param->max))
          {
            set_range_error (param, error);
            return FALSE;
          }
        return TRUE;
      }

    case DP_PARAM_DECIMAL:
      {
        double number;

        if (!parse_decimal (value, &number))
          {
            g_set_error_literal (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE,
                                 _("is not a decimal number"));
            return FALSE;
          }
        if (dp_param_has_range (param) && (number < param->min || number > param->max))
          {
            set_range_error (param, error);
            return FALSE;
          }
        return TRUE;
      }

    case DP_PARAM_ENUM:
      for (char **c = param->choices; c != NULL && *c != NULL; c++)
        if (g_ascii_strcasecmp (*c, value) == 0)
          return TRUE;
      {
        g_autofree char *list = param->choices ? g_strjoinv (", ", param->choices) : g_strdup ("");
        g_set_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE,
                     _("must be one of: %s"), list);
      }
      return FALSE;

    default:
      g_set_error_literal (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE,
                           _("has an unknown type"));
      return FALSE;
    }
}

DpParam *
dp_param_new_from_decl (const DpParamDecl *decl,
                        const char        *name,
                        const char        *group,
                        const char        *owner)
{
  DpParam *param = g_new0 (DpParam, 1);
  const char *slash;

  param->name = g_strdup (name);
  param->type = decl->type;
  param->default_value = g_strdup (decl->default_value ? decl->default_value : "");
  param->group = g_strdup (group ? group : "");
  slash = strchr (param->group, '/');
  if (slash != NULL)
    {
      param->tab = g_strndup (param->group, slash - param->group);
      param->section = g_strdup (slash + 1);
    }
  else
    {
      param->tab = g_strdup (param->group);
      param->section = g_strdup ("");
    }
  if (decl->type == DP_PARAM_ENUM && decl->choices != NULL)
    param->choices = g_strsplit (decl->choices, "|", -1);
  if (decl->type == DP_PARAM_LIST)
    param->list_separator = (decl->choices && decl->choices[0]) ? decl->choices[0] : '|';
  param->min = decl->min;
  param->max = decl->max;
  param->flags = decl->flags;
  param->default_access = decl->user_access;
  param->syntax = g_strdup (decl->syntax);
  param->owner = g_strdup (owner ? owner : "core");
  param->value = g_strdup (param->default_value);
  param->access = decl->user_access;
  return param;
}

void
dp_param_free (DpParam *param)
{
  if (param == NULL)
    return;
  g_free (param->name);
  g_free (param->default_value);
  g_free (param->group);
  g_free (param->tab);
  g_free (param->section);
  g_strfreev (param->choices);
  g_free (param->syntax);
  g_free (param->owner);
  g_free (param->value);
  g_free (param);
}
