/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SPA932 key scripts: `fnc=blf+sd+cp;sub=...;ext=...;usr=...;nme=...`.
 * A pure parser over the bytes of one parameter value; see the header for
 * the decisions. */
#define G_LOG_DOMAIN "dp-sidecar"

#include "dp-key-script.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include <string.h>

G_DEFINE_QUARK (dp-key-script-error-quark, dp_key_script_error)
G_DEFINE_BOXED_TYPE (DpKeyScript, dp_key_script, dp_key_script_copy, dp_key_script_free)

static const struct {
  const char *name;
  DpKeyFunction function;
} function_names[] = {
  { "blf", DP_KEY_FUNCTION_BLF },
  { "sd", DP_KEY_FUNCTION_SPEED_DIAL },
  { "cp", DP_KEY_FUNCTION_CALL_PICKUP },
};

enum { FIELD_FNC, FIELD_SUB, FIELD_EXT, FIELD_USR, FIELD_NME, N_FIELDS };
static const char * const field_names[N_FIELDS] = { "fnc", "sub", "ext", "usr", "nme" };

/* Positions in messages count from 1, like every other script parser. */
static gboolean
fail (GError **error, gsize pos, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, gsize pos, const char *format, ...)
{
  va_list args;
  g_autofree char *problem = NULL;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DP_KEY_SCRIPT_ERROR, DP_KEY_SCRIPT_ERROR_SYNTAX,
               _("key script: position %zu: %s"), pos + 1, problem);
  return FALSE;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t';
}

/* Trims [*start, *end) of blanks. */
static void
trim (const char *text, gsize *start, gsize *end)
{
  while (*start < *end && is_space (text[*start]))
    (*start)++;
  while (*end > *start && is_space (text[*end - 1]))
    (*end)--;
}

static gboolean
parse_functions (const char *text, gsize start, gsize end, guint *out, GError **error)
{
  guint functions = 0;
  gsize pos = start;

  if (start == end)
    return fail (error, start, _("'fnc' needs at least one function (blf, sd, cp)"));
  while (pos <= end)
    {
      gsize item_end = pos, s, e;
      gboolean found = FALSE;

      while (item_end < end && text[item_end] != '+')
        item_end++;
      s = pos;
      e = item_end;
      trim (text, &s, &e);
      if (s == e)
        return fail (error, s, _("empty function name in 'fnc'"));
      for (gsize i = 0; i < G_N_ELEMENTS (function_names); i++)
        {
          if (e - s == strlen (function_names[i].name) &&
              g_ascii_strncasecmp (text + s, function_names[i].name, e - s) == 0)
            {
              if (functions & function_names[i].function)
                return fail (error, s, _("function '%s' appears twice"), function_names[i].name);
              functions |= function_names[i].function;
              found = TRUE;
            }
        }
      if (!found)
        {
          g_autofree char *name = g_strndup (text + s, e - s);
          g_autofree char *shown = g_strescape (name, NULL);
          return fail (error, s, _("unknown function '%s' (expected blf, sd or cp)"), shown);
        }
      pos = item_end + 1;
    }
  *out = functions;
  return TRUE;
}

static gboolean
check_uri_value (const char *text, gsize start, gsize end, const char *field, GError **error)
{
  if (start == end)
    return fail (error, start, _("'%s' is empty"), field);
  for (gsize i = start; i < end; i++)
    {
      guchar c = (guchar) text[i];

      if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"')
        return fail (error, i, _("character 0x%02x is not allowed in '%s'"), c, field);
    }
  return TRUE;
}

static gboolean
check_label (const char *text, gsize start, gsize end, GError **error)
{
  const char *invalid = NULL;

  if (end - start > DP_KEY_SCRIPT_MAX_LABEL)
    return fail (error, start, _("'nme' is longer than %d bytes"), DP_KEY_SCRIPT_MAX_LABEL);
  if (!g_utf8_validate (text + start, end - start, &invalid))
    return fail (error, invalid - text, _("'nme' is not valid UTF-8"));
  for (gsize i = start; i < end; i++)
    if ((guchar) text[i] < 0x20 || (guchar) text[i] == 0x7f)
      return fail (error, i, _("control character 0x%02x in 'nme'"), (guchar) text[i]);
  return TRUE;
}

/**
 * dp_key_script_parse:
 * @text: a key script
 * @error: return location for a #GError naming the position of the fault
 *
 * Returns: (transfer full) (nullable): the decoded script
 */
DpKeyScript *
dp_key_script_parse (const char *text, GError **error)
{
  g_autoptr(DpKeyScript) script = g_new0 (DpKeyScript, 1);
  gboolean seen[N_FIELDS] = { FALSE, };
  gsize fnc_pos = 0;
  gsize len, pos = 0;

  g_return_val_if_fail (text != NULL, NULL);

  len = strlen (text);
  if (len > DP_KEY_SCRIPT_MAX_LENGTH)
    {
      fail (error, DP_KEY_SCRIPT_MAX_LENGTH, _("longer than %d bytes"), DP_KEY_SCRIPT_MAX_LENGTH);
      return NULL;
    }

  while (pos <= len)
    {
      gsize field_end = pos, eq, name_s, name_e, value_s, value_e;
      int field = -1;

      while (field_end < len && text[field_end] != ';')
        field_end++;
      name_s = pos;
      value_e = field_end;
      trim (text, &name_s, &value_e);
      if (name_s == value_e)
        {
          pos = field_end + 1;
          continue;
        }
      for (eq = name_s; eq < value_e && text[eq] != '='; eq++)
        ;
      if (eq == value_e)
        {
          fail (error, name_s, _("expected 'name=value'"));
          return NULL;
        }
      name_e = eq;
      trim (text, &name_s, &name_e);
      value_s = eq + 1;
      trim (text, &value_s, &value_e);
      for (int i = 0; i < N_FIELDS; i++)
        if (name_e - name_s == 3 && g_ascii_strncasecmp (text + name_s, field_names[i], 3) == 0)
          field = i;
      if (field < 0)
        {
          g_autofree char *name = g_strndup (text + name_s, name_e - name_s);
          g_autofree char *shown = g_strescape (name, NULL);
          fail (error, name_s, _("unknown field '%s' (expected fnc, sub, ext, usr or nme)"), shown);
          return NULL;
        }
      if (seen[field])
        {
          fail (error, name_s, _("field '%s' appears twice"), field_names[field]);
          return NULL;
        }
      seen[field] = TRUE;

      switch (field)
        {
        case FIELD_FNC:
          fnc_pos = name_s;
          if (!parse_functions (text, value_s, value_e, &script->functions, error))
            return NULL;
          break;
        case FIELD_NME:
          if (!check_label (text, value_s, value_e, error))
            return NULL;
          script->nme = g_strndup (text + value_s, value_e - value_s);
          break;
        default:
          if (!check_uri_value (text, value_s, value_e, field_names[field], error))
            return NULL;
          if (field == FIELD_SUB)
            script->sub = g_strndup (text + value_s, value_e - value_s);
          else if (field == FIELD_EXT)
            script->ext = g_strndup (text + value_s, value_e - value_s);
          else
            script->usr = g_strndup (text + value_s, value_e - value_s);
          break;
        }
      pos = field_end + 1;
    }

  if (!seen[FIELD_FNC])
    {
      fail (error, len == 0 ? 0 : len - 1, len == 0 ? _("empty key script") : _("no 'fnc' field"));
      return NULL;
    }
  if ((script->functions & DP_KEY_FUNCTION_BLF) && script->sub == NULL)
    {
      fail (error, fnc_pos, _("'blf' needs a 'sub' field"));
      return NULL;
    }
  if ((script->functions & DP_KEY_FUNCTION_SPEED_DIAL) &&
      script->ext == NULL && script->usr == NULL && script->sub == NULL)
    {
      fail (error, fnc_pos, _("'sd' needs an 'ext', 'usr' or 'sub' field"));
      return NULL;
    }
  if ((script->functions & DP_KEY_FUNCTION_CALL_PICKUP) &&
      !(script->functions & DP_KEY_FUNCTION_BLF))
    {
      fail (error, fnc_pos, _("'cp' needs 'blf' (pickup acts on a watched line)"));
      return NULL;
    }
  return g_steal_pointer (&script);
}

/**
 * dp_key_script_check:
 * @value: a `Unit_u_Key_k` / `Extended_Function_k_` value
 * @error: return location for a #GError
 *
 * The "keyscript" syntax checker: an empty value (unused key) or a valid
 * script.
 *
 * Returns: %TRUE if @value is acceptable
 */
gboolean
dp_key_script_check (const char *value, GError **error)
{
  g_autoptr(DpKeyScript) script = NULL;
  const char *p;

  g_return_val_if_fail (value != NULL, FALSE);

  for (p = value; is_space (*p); p++)
    ;
  if (*p == '\0')
    return TRUE;
  script = dp_key_script_parse (value, error);
  return script != NULL;
}

DpKeyScript *
dp_key_script_copy (const DpKeyScript *script)
{
  DpKeyScript *copy;

  g_return_val_if_fail (script != NULL, NULL);

  copy = g_new0 (DpKeyScript, 1);
  copy->functions = script->functions;
  copy->sub = g_strdup (script->sub);
  copy->ext = g_strdup (script->ext);
  copy->usr = g_strdup (script->usr);
  copy->nme = g_strdup (script->nme);
  return copy;
}

void
dp_key_script_free (DpKeyScript *script)
{
  if (script == NULL)
    return;
  g_free (script->sub);
  g_free (script->ext);
  g_free (script->usr);
  g_free (script->nme);
  g_free (script);
}

/**
 * dp_key_script_expand_value:
 * @value: (nullable): a field value
 * @proxy: (nullable): what `$PROXY` becomes (the line's `Proxy_n_`)
 * @user: (nullable): what `$USER` becomes (the line's `User_ID_n_`)
 *
 * Replaces `$PROXY` and `$USER`; every other character, including other
 * `$` text, is copied. %NULL expansions count as empty.
 *
 * Returns: (transfer full) (nullable): the expanded value
 */
char *
dp_key_script_expand_value (const char *value, const char *proxy, const char *user)
{
  GString *out;

  if (value == NULL)
    return NULL;
  out = g_string_sized_new (strlen (value) + 16);
  for (const char *p = value; *p != '\0';)
    {
      if (g_str_has_prefix (p, "$PROXY"))
        {
          g_string_append (out, proxy ? proxy : "");
          p += strlen ("$PROXY");
        }
      else if (g_str_has_prefix (p, "$USER"))
        {
          g_string_append (out, user ? user : "");
          p += strlen ("$USER");
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/**
 * dp_key_script_expand:
 * @script: a script
 * @proxy: (nullable): `$PROXY`
 * @user: (nullable): `$USER`
 *
 * Returns: (transfer full): a copy with `$PROXY` / `$USER` expanded in
 *   `sub`, `ext`, `usr` and `nme`
 */
DpKeyScript *
dp_key_script_expand (const DpKeyScript *script, const char *proxy, const char *user)
{
  DpKeyScript *copy;

  g_return_val_if_fail (script != NULL, NULL);

  copy = g_new0 (DpKeyScript, 1);
  copy->functions = script->functions;
  copy->sub = dp_key_script_expand_value (script->sub, proxy, user);
  copy->ext = dp_key_script_expand_value (script->ext, proxy, user);
  copy->usr = dp_key_script_expand_value (script->usr, proxy, user);
  copy->nme = dp_key_script_expand_value (script->nme, proxy, user);
  return copy;
}

/**
 * dp_key_script_get_dial_target:
 * @script: a script
 *
 * Speed dial dials `ext`, else `usr`, else `sub` (SPA932 READMEs use
 * `sub=` alone for speed dial; `usr=` names the user when it differs
 * from the watched resource).
 *
 * Returns: (nullable): the target
 */
const char *
dp_key_script_get_dial_target (const DpKeyScript *script)
{
  g_return_val_if_fail (script != NULL, NULL);

  if (script->ext != NULL)
    return script->ext;
  return script->usr != NULL ? script->usr : script->sub;
}

/**
 * dp_key_script_get_pickup_target:
 * @script: a script
 *
 * Pickup acts on `usr` when given, else on `sub`.
 *
 * Returns: (nullable): the target
 */
const char *
dp_key_script_get_pickup_target (const DpKeyScript *script)
{
  g_return_val_if_fail (script != NULL, NULL);

  return script->usr != NULL ? script->usr : script->sub;
}

/**
 * dp_key_functions_to_string:
 * @functions: a #DpKeyFunction set
 *
 * Returns: (transfer full): canonical `blf+sd+cp` order; "" for none
 */
char *
dp_key_functions_to_string (guint functions)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (function_names); i++)
    if (functions & function_names[i].function)
      {
        if (out->len > 0)
          g_string_append_c (out, '+');
        g_string_append (out, function_names[i].name);
      }
  return g_string_free (out, FALSE);
}

/**
 * dp_key_script_flat_to_unit_key:
 * @flat_key: a key number counted over the phone's line keys then the
 *   sidecar keys, from 1
 * @line_keys: how many line keys the phone has (6 on a SPA962)
 * @unit: (out): the sidecar unit, 1 or 2
 * @key: (out): the key on that unit, 1 to 32
 *
 * The mapping integrators use (WAZO, conformance K12): key n beyond the
 * line keys is `Unit_((n-keys-1)/32+1)_Key_((n-keys-1)%32+1)`.
 *
 * Returns: %FALSE when @flat_key is a line key or beyond the two units
 */
gboolean
dp_key_script_flat_to_unit_key (guint flat_key, guint line_keys, guint *unit, guint *key)
{
  guint index;

  if (flat_key <= line_keys)
    return FALSE;
  index = flat_key - line_keys - 1;
  if (index >= 2 * 32)
    return FALSE;
  if (unit != NULL)
    *unit = index / 32 + 1;
  if (key != NULL)
    *key = index % 32 + 1;
  return TRUE;
}
