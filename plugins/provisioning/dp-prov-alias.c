/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * `--alias` maps and the decoding of a fetched profile (see dp-prov-alias.h).
 * Pure functions over bytes. */
#define G_LOG_DOMAIN "dp-provisioning"

#include "dp-build-config.h"
#include "dp-prov-alias.h"
#include <glib/gi18n-lib.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

static void
alias_free (gpointer data)
{
  DpProvAlias *alias = data;

  g_free (alias->path);
  g_free (alias->parameter);
  g_free (alias);
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-' || c == '.' || c == ':';
}

static const char *
skip_blanks (const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  return p;
}

/* Reads `/a/b/c` (blanks around components allowed) into a canonical path. */
static char *
read_path (const char *map, const char **p, GError **error)
{
  GString *path = g_string_new (NULL);

  *p = skip_blanks (*p);
  if (**p != '/')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Alias map: position %d: expected a path starting with '/'"),
                   (int) (*p - map) + 1);
      return g_string_free (path, TRUE), NULL;
    }
  while (**p == '/')
    {
      const char *start;

      (*p)++;
      start = *p;
      while (is_name_char (**p))
        (*p)++;
      if (*p == start)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Alias map: position %d: expected an element name after '/'"),
                       (int) (*p - map) + 1);
          return g_string_free (path, TRUE), NULL;
        }
      g_string_append_c (path, '/');
      g_string_append_len (path, start, *p - start);
    }
  /* No blanks inside a path: "/a /b" would otherwise silently be /a/b. */
  *p = skip_blanks (*p);
  return g_string_free (path, FALSE);
}

/**
 * dp_prov_alias_map_parse:
 * @map: the alias map text
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type DpProvAlias): the entries, or
 *   %NULL with @error naming the position
 */
GPtrArray *
dp_prov_alias_map_parse (const char *map, GError **error)
{
  g_autoptr(GPtrArray) aliases = g_ptr_array_new_with_free_func (alias_free);
  const char *p = map;

  g_return_val_if_fail (map != NULL, NULL);

  for (;;)
    {
      g_autofree char *left = NULL;
      g_autofree char *right = NULL;
      const char *right_at;
      DpProvAlias *alias;

      p = skip_blanks (p);
      if (*p == '\0')
        break;
      if (*p == ';')
        {
          p++;
          continue;
        }
      left = read_path (map, &p, error);
      if (left == NULL)
        return NULL;
      if (*p != '=')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Alias map: position %d: expected '=' after %s"), (int) (p - map) + 1, left);
          return NULL;
        }
      p++;
      right_at = skip_blanks (p);
      right = read_path (map, &p, error);
      if (right == NULL)
        return NULL;
      if (!g_str_has_prefix (right, "/flat-profile/") || strchr (right + 14, '/') != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Alias map: position %d: the target must be /flat-profile/Param_Name, not %s"),
                       (int) (right_at - map) + 1, right);
          return NULL;
        }
      if (*p != ';' && *p != '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Alias map: position %d: expected ';' after an entry"), (int) (p - map) + 1);
          return NULL;
        }
      if (aliases->len == DP_PROV_ALIAS_MAX)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Alias map: position %d: more than %d entries"),
                       (int) (right_at - map) + 1, DP_PROV_ALIAS_MAX);
          return NULL;
        }
      alias = g_new0 (DpProvAlias, 1);
      alias->path = g_steal_pointer (&left);
      alias->parameter = g_strdup (right + 14);
      g_ptr_array_add (aliases, alias);
    }
  return g_steal_pointer (&aliases);
}

static gboolean
has_element_children (xmlNode *node)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE)
      return TRUE;
  return FALSE;
}

static char *
element_value (xmlNode *node)
{
  xmlChar *content = xmlNodeGetContent (node);
  char *value = g_strdup (content != NULL ? (const char *) content : "");

  xmlFree (content);
  g_strstrip (value);
  for (char *c = value; *c != '\0'; c++)
    if (*c == '\n' || *c == '\r')
      *c = ' ';
  return value;
}

static void
walk (xmlNode *node, GString *path, GPtrArray *aliases, DpProfile *profile)
{
  for (; node != NULL; node = node->next)
    {
      gsize saved = path->len;

      if (node->type != XML_ELEMENT_NODE)
        continue;
      g_string_append_c (path, '/');
      g_string_append (path, (const char *) node->name);
      if (!has_element_children (node))
        {
          for (guint i = 0; i < aliases->len; i++)
            {
              DpProvAlias *alias = aliases->pdata[i];
              gsize n = strlen (alias->path);

              /* Suffix on component boundaries: the path ends with the
               * alias and the alias starts with '/'. */
              if (path->len >= n && strcmp (path->str + path->len - n, alias->path) == 0)
                {
                  g_autofree char *value = element_value (node);

                  dp_profile_add (profile, alias->parameter, DP_VALUE_SET, value, FALSE,
                                  DP_ACCESS_NA);
                }
            }
        }
      else
        walk (node->children, path, aliases, profile);
      g_string_truncate (path, saved);
    }
}

static gboolean
contains_flat_profile (xmlNode *node)
{
  for (; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE &&
        (xmlStrcmp (node->name, (const xmlChar *) "flat-profile") == 0 ||
         contains_flat_profile (node->children)))
      return TRUE;
  return FALSE;
}

/**
 * dp_prov_alias_apply:
 * @aliases: (element-type DpProvAlias): a parsed map
 * @xml: the fetched document (plain XML)
 * @length: its length
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the assignments the document makes
 *   (its flat-profile first, then the aliased elements in document order)
 */
DpProfile *
dp_prov_alias_apply (GPtrArray *aliases, const char *xml, gsize length, GError **error)
{
  g_autoptr(DpProfile) profile = NULL;
  g_autoptr(GString) path = g_string_new (NULL);
  xmlDoc *doc;
  int options = XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;

  if (length > G_MAXINT)
    {
      g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TOO_LARGE, _("document too large"));
      return NULL;
    }
  doc = xmlReadMemory (xml, (int) length, "alias.xml", NULL, options);
  if (doc == NULL)
    {
      const xmlError *err = xmlGetLastError ();

      g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED,
                   _("aliased document: line %d: %s"), err ? err->line : 0,
                   err && err->message ? g_strstrip (err->message) : "not XML");
      return NULL;
    }
  if (xmlGetIntSubset (doc) != NULL)
    {
      xmlFreeDoc (doc);
      g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED,
                   _("aliased document: a DOCTYPE is not accepted"));
      return NULL;
    }
  if (contains_flat_profile (xmlDocGetRootElement (doc)))
    {
      profile = dp_profile_parse_xml (xml, length, error);
      if (profile == NULL)
        {
          xmlFreeDoc (doc);
          return NULL;
        }
    }
  else
    profile = dp_profile_new ();
  walk (xmlDocGetRootElement (doc), path, aliases, profile);
  xmlFreeDoc (doc);
  if (dp_profile_get_n_assignments (profile) == 0)
    {
      g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED,
                   _("aliased document: no element matches the alias map and there is no flat-profile"));
      return NULL;
    }
  return g_steal_pointer (&profile);
}

/**
 * dp_prov_profile_decode:
 * @data: the fetched bytes
 * @key: (nullable): the `--key` (encrypted profiles)
 * @alias_map: (nullable): the expanded `--alias` map
 * @error: return location for a #GError
 *
 * Decrypts (with @key), inflates (gzip) and parses a fetched profile:
 * without an alias map through dp_profile_parse() (XML or plain text),
 * with one as XML through the map.
 *
 * Returns: (transfer full) (nullable): the profile
 */
DpProfile *
dp_prov_profile_decode (GBytes *data, const char *key, const char *alias_map, GError **error)
{
  g_autoptr(GPtrArray) aliases = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) inflated = NULL;
  const char *bytes;
  gsize length;

  if (alias_map == NULL)
    return dp_profile_parse (data, key, NULL, error);

  aliases = dp_prov_alias_map_parse (alias_map, error);
  if (aliases == NULL)
    return NULL;
  if (dp_profile_is_encrypted (data))
    {
      if (key == NULL || *key == '\0')
        {
          g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_NEEDS_KEY,
                       _("the profile is encrypted and the rule gives no --key"));
          return NULL;
        }
      plain = dp_profile_decrypt (data, key, error);
      if (plain == NULL)
        return NULL;
    }
  else
    plain = g_bytes_ref (data);
  if (dp_profile_is_gzip (plain))
    {
      inflated = dp_profile_inflate (plain, error);
      if (inflated == NULL)
        return NULL;
    }
  else
    inflated = g_bytes_ref (plain);
  bytes = g_bytes_get_data (inflated, &length);
  return dp_prov_alias_apply (aliases, bytes, length, error);
}
