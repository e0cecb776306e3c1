/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Form → DpProfile → dp_config_apply(), and the flat-profile export; see
 * dp-webui-forms.h.
 */
#define G_LOG_DOMAIN "dp-webui"

#include "dp-webui-forms.h"
#include "dp-webui-render.h"

#include <libsoup/soup.h>
#include <string.h>

/* Form fields that are not parameters. */
static const char *control_fields[] = { "csrf", "view", NULL };

static void
add_error (GHashTable *errors, const char *name, const char *message)
{
  if (!g_hash_table_contains (errors, name))
    g_hash_table_insert (errors, g_strdup (name), g_strdup (message));
}

/* A printable form of a field name for error messages: the name itself
 * when it is UTF-8, its escaped bytes otherwise. */
static char *
printable_name (const char *name)
{
  if (g_utf8_validate (name, -1, NULL))
    return g_strdup (name);
  return g_strescape (name, NULL);
}

GHashTable *
dp_webui_form_decode (const char *data, gsize length, GError **error)
{
  g_autofree char *text = g_strndup (data, length);
  g_autoptr(GHashTable) form = NULL;
  GHashTableIter iter;
  gpointer key, value;

  /* A raw NUL would silently cut the body short. */
  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "form data: NUL byte at offset %" G_GSIZE_FORMAT,
                   (gsize) ((const char *) memchr (data, '\0', length) - data));
      return NULL;
    }
  form = soup_form_decode (text);
  g_hash_table_iter_init (&iter, form);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *end = NULL;

      if (!g_utf8_validate (key, -1, &end))
        {
          g_autofree char *name = printable_name (key);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "form field name \"%s\" is not valid UTF-8 (byte %" G_GSIZE_FORMAT ")",
                       name, (gsize) (end - (const char *) key));
          return NULL;
        }
      if (!g_utf8_validate (value, -1, &end))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "form field %s: the value is not valid UTF-8 (byte %" G_GSIZE_FORMAT ")",
                       (const char *) key, (gsize) (end - (const char *) value));
          return NULL;
        }
    }
  return g_steal_pointer (&form);
}

/* Booleans arrive as the select's Yes/No; compare them by meaning so an
 * untouched "1" is not rewritten to "Yes". */
static gboolean
same_value (const DpParam *param, const char *current, const char *submitted)
{
  if (dp_param_get_param_type (param) == DP_PARAM_BOOL)
    {
      gboolean a, b;

      if (dp_bool_parse (current, &a) && dp_bool_parse (submitted, &b))
        return a == b;
    }
  if (dp_param_get_param_type (param) == DP_PARAM_ENUM)
    return g_ascii_strcasecmp (current, submitted) == 0;
  return g_strcmp0 (current, submitted) == 0;
}

DpProfile *
dp_webui_form_to_profile (DpConfig *config, GHashTable *form, DpWebuiRole role, GHashTable *errors)
{
  g_autoptr(DpProfile) profile = dp_profile_new ();
  g_autoptr(GPtrArray) names = dp_config_list (config);
  GHashTableIter iter;
  gpointer key, value;

  /* Unknown names and fields the account may not change are refused
   * outright: the page never offers them, so they come from a forged
   * request. */
  g_hash_table_iter_init (&iter, form);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const DpParam *param;

      if (g_strv_contains (control_fields, key))
        continue;
      param = dp_config_lookup (config, key);
      if (param == NULL)
        {
          g_autofree char *message = g_strdup_printf ("unknown parameter %s", (char *) key);
          add_error (errors, DP_WEBUI_GENERAL_ERROR, message);
        }
      else if (!dp_webui_param_visible (config, param, role) ||
               !dp_webui_param_editable (config, param, role))
        {
          g_autofree char *message = g_strdup_printf ("%s: this account may not change it",
                                                      (char *) key);
          add_error (errors, key, message);
        }
    }
  if (g_hash_table_size (errors) > 0)
    return NULL;

  /* Registration order, so the profile reads like the pages. */
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      const DpParam *param = dp_config_lookup (config, name);
      const char *submitted = g_hash_table_lookup (form, name);
      g_autoptr(GError) error = NULL;

      if (submitted == NULL)
        continue;
      if ((dp_param_get_flags (param) & DP_PARAM_FLAG_SECRET) && *submitted == '\0')
        continue;
      if (same_value (param, dp_config_get (config, name), submitted))
        continue;
      if (!dp_config_validate (config, name, submitted, &error))
        {
          add_error (errors, name, error->message);
          continue;
        }
      dp_profile_add (profile, name, DP_VALUE_SET, submitted, FALSE, DP_ACCESS_NA);
    }
  if (g_hash_table_size (errors) > 0)
    return NULL;
  return g_steal_pointer (&profile);
}

/* The field a DpConfig error message is about: its messages start with the
 * parameter name ("NAME: value ... is invalid") or end with it ("unknown
 * parameter NAME"). */
char *
dp_webui_error_field (DpConfig *config, const char *message)
{
  const char *colon = strchr (message, ':');
  const char *space;

  if (colon != NULL)
    {
      g_autofree char *name = g_strndup (message, colon - message);

      if (dp_config_lookup (config, name) != NULL)
        return g_steal_pointer (&name);
    }
  space = strrchr (message, ' ');
  if (space != NULL && dp_config_lookup (config, space + 1) != NULL)
    return g_strdup (space + 1);
  return g_strdup (DP_WEBUI_GENERAL_ERROR);
}

gboolean
dp_webui_form_apply (DpConfig *config, GHashTable *form, DpWebuiRole role, GHashTable *errors,
                     guint *n_applied)
{
  g_autoptr(DpProfile) profile = dp_webui_form_to_profile (config, form, role, errors);
  g_autoptr(GError) error = NULL;
  DpApplyStats stats = { 0 };

  if (profile == NULL)
    return FALSE;
  if (!dp_config_apply (config, profile, &stats, &error))
    {
      g_autofree char *field = dp_webui_error_field (config, error->message);

      add_error (errors, field, error->message);
      return FALSE;
    }
  if (n_applied != NULL)
    *n_applied = stats.applied;
  return TRUE;
}

static void
append_xml_text (GString *out, const char *text)
{
  for (const guchar *p = (const guchar *) text; *p; )
    {
      gunichar c = g_utf8_get_char_validated ((const char *) p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Not UTF-8: keep the byte's value rather than drop it. */
          g_string_append_printf (out, "&#%u;", *p);
          p++;
          continue;
        }
      switch (c)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&apos;"); break;
        default:
          if (c < 0x20 || c >= 0x7f)
            g_string_append_printf (out, "&#%u;", c);
          else
            g_string_append_c (out, (char) c);
        }
      p = (const guchar *) g_utf8_next_char (p);
    }
}

char *
dp_webui_export_profile (DpConfig *config)
{
  g_autoptr(GPtrArray) names = dp_config_list (config);
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"US-ASCII\"?>\n<flat-profile>\n");

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      const DpParam *param = dp_config_lookup (config, name);
      const char *group = dp_param_get_group (param);

      g_string_append_printf (out, "  <%s group=\"", name);
      append_xml_text (out, group ? group : "");
      g_string_append_printf (out, "\" ua=\"%s\"",
                              dp_access_to_string (dp_config_get_access (config, name)));
      if (dp_param_get_flags (param) & DP_PARAM_FLAG_SECRET)
        {
          g_string_append (out, "/>\n");
          continue;
        }
      g_string_append_c (out, '>');
      append_xml_text (out, dp_config_get (config, name));
      g_string_append_printf (out, "</%s>\n", name);
    }
  g_string_append (out, "</flat-profile>\n");
  return g_string_free (out, FALSE);
}
