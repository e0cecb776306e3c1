/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Language names and the Dictionary_Server_Script parser (rules in
 * dp-l10n-lang.h). */
#define G_LOG_DOMAIN "dp-l10n"

#include "dp-build-config.h"
#include "dp-l10n-lang.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define MAX_DICTIONARIES 100

G_DEFINE_QUARK (dp-l10n-script-error-quark, dp_l10n_script_error)

/* The SPA's English names first (the one reported back), then native
 * names, written without and with accents. */
static const struct {
  const char *name;
  const char *code;
} languages[] = {
  { "English", "en" }, { "French", "fr" }, { "German", "de" }, { "Spanish", "es" },
  { "Italian", "it" }, { "Portuguese", "pt" }, { "Dutch", "nl" }, { "Swedish", "sv" },
  { "Danish", "da" }, { "Norwegian", "nb" }, { "Finnish", "fi" }, { "Polish", "pl" },
  { "Czech", "cs" }, { "Hungarian", "hu" }, { "Greek", "el" }, { "Turkish", "tr" },
  { "Russian", "ru" }, { "Japanese", "ja" }, { "Korean", "ko" }, { "Chinese", "zh_CN" },
  { "Francais", "fr" }, { "Français", "fr" }, { "Deutsch", "de" }, { "Espanol", "es" },
  { "Español", "es" }, { "Italiano", "it" }, { "Portugues", "pt" }, { "Português", "pt" },
  { "Nederlands", "nl" }, { "Svenska", "sv" }, { "Dansk", "da" }, { "Norsk", "nb" },
  { "Suomi", "fi" }, { "Polski", "pl" },
};

/* A locale code: 2-3 lower-case letters, optionally '_' or '-' and a
 * 2-letter region, optionally followed by .charset or @modifier. */
static char *
parse_code (const char *text)
{
  gsize i = 0;
  GString *code;

  while (g_ascii_isalpha (text[i]))
    i++;
  if (i < 2 || i > 3)
    return NULL;
  code = g_string_new (NULL);
  for (gsize k = 0; k < i; k++)
    g_string_append_c (code, g_ascii_tolower (text[k]));
  if ((text[i] == '_' || text[i] == '-') && g_ascii_isalpha (text[i + 1]) &&
      g_ascii_isalpha (text[i + 2]) && !g_ascii_isalnum (text[i + 3]))
    {
      g_string_append_c (code, '_');
      g_string_append_c (code, g_ascii_toupper (text[i + 1]));
      g_string_append_c (code, g_ascii_toupper (text[i + 2]));
      i += 3;
    }
  if (text[i] != '\0' && text[i] != '.' && text[i] != '@')
    {
      g_string_free (code, TRUE);
      return NULL;
    }
  return g_string_free (code, FALSE);
}

/**
 * dp_l10n_language_code:
 * @selection: (nullable): a Language_Selection value
 *
 * Returns: (transfer full) (nullable): the locale code ("en" for an empty
 *   selection), or %NULL for a name deskphone does not know
 */
char *
dp_l10n_language_code (const char *selection)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (selection ? selection : ""));
  gsize first_word;

  if (*trimmed == '\0')
    return g_strdup ("en");
  /* Names before codes: "English-US" is a name with a region suffix. */
  first_word = strcspn (trimmed, "-_ (");
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (strlen (languages[i].name) == first_word &&
        g_ascii_strncasecmp (trimmed, languages[i].name, first_word) == 0)
      return g_strdup (languages[i].code);
  /* Français in any case: g_ascii_strncasecmp leaves the non-ASCII bytes
   * alone, so compare case-folded UTF-8 as well. */
  if (g_utf8_validate (trimmed, -1, NULL))
    {
      g_autofree char *folded = g_utf8_casefold (trimmed, (gssize) first_word);

      for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
        {
          g_autofree char *name = g_utf8_casefold (languages[i].name, -1);

          if (g_str_equal (folded, name))
            return g_strdup (languages[i].code);
        }
    }
  return parse_code (trimmed);
}

/**
 * dp_l10n_language_name:
 * @code: a locale code
 *
 * Returns: (nullable): the SPA's English name of @code's language
 */
const char *
dp_l10n_language_name (const char *code)
{
  gsize lang_len = strcspn (code, "_");

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_str_equal (languages[i].code, code))
      return languages[i].name;
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (strlen (languages[i].code) >= lang_len &&
        strncmp (languages[i].code, code, lang_len) == 0 &&
        (languages[i].code[lang_len] == '\0' || languages[i].code[lang_len] == '_'))
      return languages[i].name;
  return NULL;
}

/**
 * dp_l10n_language_list:
 * @code: a locale code
 *
 * Returns: (transfer full): the value for the LANGUAGE variable: the code
 *   then, for a regional code, its language ("de_AT:de")
 */
char *
dp_l10n_language_list (const char *code)
{
  gsize lang_len = strcspn (code, "_");

  if (code[lang_len] == '\0')
    return g_strdup (code);
  return g_strdup_printf ("%s:%.*s", code, (int) lang_len, code);
}

static void
dictionary_free (gpointer data)
{
  DpL10nDictionary *entry = data;

  g_free (entry->name);
  g_free (entry->file);
  g_free (entry);
}

void
dp_l10n_script_free (DpL10nScript *script)
{
  if (script == NULL)
    return;
  g_free (script->server);
  g_ptr_array_unref (script->entries);
  g_free (script);
}

/* "d12" -> 12 in *index; FALSE when not <letter><0..99>. */
static gboolean
indexed_key (const char *key, char letter, guint *index)
{
  guint64 value;

  if (key[0] != letter || !g_ascii_isdigit (key[1]) || strlen (key) > 3)
    return FALSE;
  if (!g_ascii_string_to_unsigned (key + 1, 10, 0, MAX_DICTIONARIES - 1, &value, NULL))
    return FALSE;
  *index = (guint) value;
  return TRUE;
}

/**
 * dp_l10n_script_parse:
 * @text: a Dictionary_Server_Script value
 * @error: return location for a #GError naming the position
 *
 * Returns: (transfer full) (nullable): the script (no entries for an empty
 *   text), or %NULL on a syntax error
 */
DpL10nScript *
dp_l10n_script_parse (const char *text, GError **error)
{
  g_autoptr(DpL10nScript) script = g_new0 (DpL10nScript, 1);
  char *names[MAX_DICTIONARIES] = { NULL }, *files[MAX_DICTIONARIES] = { NULL };
  guint name_pos[MAX_DICTIONARIES] = { 0 }, file_pos[MAX_DICTIONARIES] = { 0 };
  gboolean ok = FALSE;
  const char *item = text ? text : "";

  script->entries = g_ptr_array_new_with_free_func (dictionary_free);
  while (*item != '\0')
    {
      gsize len = strcspn (item, ";");
      guint pos = (guint) (item - text) + 1;
      g_autofree char *raw = g_strndup (item, len);
      char *stripped = g_strstrip (raw);
      char *eq = strchr (stripped, '=');
      g_autofree char *key = NULL, *value = NULL;
      guint index;

      item += len;
      if (*item == ';')
        item++;
      if (*stripped == '\0')
        continue;
      if (eq == NULL)
        {
          g_set_error (error, DP_L10N_SCRIPT_ERROR, DP_L10N_SCRIPT_ERROR_SYNTAX,
                       _("character %u: “%s” is not of the form key=value"), pos, stripped);
          goto out;
        }
      key = g_strstrip (g_strndup (stripped, (gsize) (eq - stripped)));
      value = g_strstrip (g_strdup (eq + 1));
      if (*value == '\0')
        {
          g_set_error (error, DP_L10N_SCRIPT_ERROR, DP_L10N_SCRIPT_ERROR_SYNTAX,
                       _("character %u: %s has an empty value"), pos, key);
          goto out;
        }
      if (g_ascii_strcasecmp (key, "serv") == 0)
        {
          if (script->server != NULL)
            {
              g_set_error (error, DP_L10N_SCRIPT_ERROR, DP_L10N_SCRIPT_ERROR_SYNTAX,
                           _("character %u: serv is given twice"), pos);
              goto out;
            }
          script->server = g_steal_pointer (&value);
        }
      else if (indexed_key (key, 'd', &index) || indexed_key (key, 'x', &index))
        {
          char **slot = key[0] == 'd' ? &names[index] : &files[index];

          if (*slot != NULL)
            {
              g_set_error (error, DP_L10N_SCRIPT_ERROR, DP_L10N_SCRIPT_ERROR_SYNTAX,
                           _("character %u: %s is given twice"), pos, key);
              goto out;
            }
          *slot = g_steal_pointer (&value);
          (key[0] == 'd' ? name_pos : file_pos)[index] = pos;
        }
      else
        {
          g_set_error (error, DP_L10N_SCRIPT_ERROR, DP_L10N_SCRIPT_ERROR_SYNTAX,
                       _("character %u: unknown key “%s” (expected serv, dN or xN)"), pos, key);
          goto out;
        }
    }

  for (guint i = 0; i < MAX_DICTIONARIES; i++)
    {
      DpL10nDictionary *entry;

      if (names[i] == NULL && files[i] == NULL)
        continue;
      if (names[i] == NULL || files[i] == NULL)
        {
          g_set_error (error, DP_L10N_SCRIPT_ERROR, DP_L10N_SCRIPT_ERROR_SYNTAX,
                       _("character %u: %c%u has no matching %c%u"),
                       names[i] ? name_pos[i] : file_pos[i], names[i] ? 'd' : 'x', i,
                       names[i] ? 'x' : 'd', i);
          goto out;
        }
      entry = g_new0 (DpL10nDictionary, 1);
      entry->name = g_steal_pointer (&names[i]);
      entry->file = g_steal_pointer (&files[i]);
      g_ptr_array_add (script->entries, entry);
    }
  if (script->entries->len > 0 && script->server == NULL)
    {
      g_set_error_literal (error, DP_L10N_SCRIPT_ERROR, DP_L10N_SCRIPT_ERROR_SYNTAX,
                           _("character 1: dictionaries are listed but serv is missing"));
      goto out;
    }
  ok = TRUE;

out:
  for (guint i = 0; i < MAX_DICTIONARIES; i++)
    {
      g_free (names[i]);
      g_free (files[i]);
    }
  return ok ? g_steal_pointer (&script) : NULL;
}

/**
 * dp_l10n_script_find:
 * @script: a parsed script
 * @selection: a Language_Selection value
 *
 * Finds the dictionary for @selection: a dN equal to it (ignoring case),
 * else a dN naming the same language ("Deutsch" for "German").
 *
 * Returns: (nullable): the entry, or %NULL
 */
const DpL10nDictionary *
dp_l10n_script_find (const DpL10nScript *script, const char *selection)
{
  g_autofree char *code = dp_l10n_language_code (selection);

  if (selection == NULL || *selection == '\0')
    selection = "English";
  for (guint i = 0; i < script->entries->len; i++)
    {
      const DpL10nDictionary *entry = script->entries->pdata[i];

      if (g_ascii_strcasecmp (entry->name, selection) == 0)
        return entry;
    }
  for (guint i = 0; code != NULL && i < script->entries->len; i++)
    {
      const DpL10nDictionary *entry = script->entries->pdata[i];
      g_autofree char *entry_code = dp_l10n_language_code (entry->name);

      if (g_strcmp0 (entry_code, code) == 0)
        return entry;
    }
  return NULL;
}

/**
 * dp_l10n_script_url:
 * @script: a parsed script
 * @entry: one of its entries
 *
 * Returns: (transfer full): `serv` + `xN`
 */
char *
dp_l10n_script_url (const DpL10nScript *script, const DpL10nDictionary *entry)
{
  if (g_str_has_suffix (script->server, "/"))
    return g_strconcat (script->server, entry->file, NULL);
  return g_strconcat (script->server, "/", entry->file, NULL);
}
