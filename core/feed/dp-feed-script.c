/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-feed"

#include "dp-feed-script.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include <string.h>

G_DEFINE_QUARK (dp-feed-script-error-quark, dp_feed_script_error)

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* Trims blanks in place over [*start, *end) without copying. */
static void
trim_span (const char **start, const char **end)
{
  while (*start < *end && is_blank (**start))
    (*start)++;
  while (*end > *start && is_blank ((*end)[-1]))
    (*end)--;
}

/* Returns "name", "url" or NULL when the segment [start, end) does not
 * begin with one of the known keys followed by '='. */
static const char *
known_key (const char *start, const char *end, const char **value)
{
  static const char *const keys[] = { "name", "url" };
  const char *eq = memchr (start, '=', end - start);
  const char *key_end;

  if (eq == NULL)
    return NULL;
  key_end = eq;
  trim_span (&start, &key_end);
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    if ((gsize) (key_end - start) == strlen (keys[i])
        && g_ascii_strncasecmp (start, keys[i], key_end - start) == 0)
      {
        *value = eq + 1;
        return keys[i];
      }
  return NULL;
}

static gboolean
check_url (const char *url, gsize position, GError **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, DP_FEED_SCRIPT_ERROR, DP_FEED_SCRIPT_ERROR_BAD_URL,
                   _("RSS feed script: position %zu: bad URL “%s”: %s"),
                   position, url, local_error->message);
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, DP_FEED_SCRIPT_ERROR, DP_FEED_SCRIPT_ERROR_BAD_URL,
                   _("RSS feed script: position %zu: URL scheme “%s” is not http or https"), position, scheme);
      return FALSE;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, DP_FEED_SCRIPT_ERROR, DP_FEED_SCRIPT_ERROR_BAD_URL,
                   _("RSS feed script: position %zu: URL has no host"),
                   position);
      return FALSE;
    }
  return TRUE;
}

gboolean
dp_feed_script_parse (const char  *script,
                      char       **name,
                      char       **url,
                      GError     **error)
{
  g_autofree char *found_name = NULL;
  g_autoptr(GString) found_url = NULL;
  gsize url_position = 0;
  gboolean seen_name = FALSE;
  const char *p;

  g_return_val_if_fail (script != NULL, FALSE);

  if (name != NULL)
    *name = NULL;
  if (url != NULL)
    *url = NULL;

  if (script[strspn (script, " \t")] == '\0')
    return TRUE;  /* the empty script: no feed */

  p = script;
  while (TRUE)
    {
      const char *segment_end = strchr (p, ';');
      const char *seg_start = p;
      const char *seg_end;
      const char *value = NULL;
      const char *key;

      if (segment_end == NULL)
        segment_end = p + strlen (p);
      seg_end = segment_end;
      trim_span (&seg_start, &seg_end);

      key = known_key (seg_start, seg_end, &value);
      if (key == NULL && found_url != NULL && seg_start != seg_end)
        {
          /* Part of the URL: a ';' inside a query string. Leading blanks
           * are kept as URL text (which then fails the URL check) rather
           * than silently changing the address. */
          const char *raw_end = segment_end;
          while (raw_end > p && is_blank (raw_end[-1]))
            raw_end--;
          g_string_append_c (found_url, ';');
          g_string_append_len (found_url, p, raw_end - p);
        }
      else if (key == NULL)
        {
          /* Empty segments (";;" or a trailing ';') are tolerated. */
          if (seg_start != seg_end)
            {
              g_set_error (error, DP_FEED_SCRIPT_ERROR, DP_FEED_SCRIPT_ERROR_SYNTAX,
                           _("RSS feed script: position %zu: expected name=… or url=…, found “%.*s”"),
                           (gsize) (seg_start - script) + 1,
                           (int) (seg_end - seg_start), seg_start);
              return FALSE;
            }
        }
      else
        {
          const char *v_start = value;
          const char *v_end = seg_end;

          trim_span (&v_start, &v_end);
          if ((g_str_equal (key, "name") && seen_name)
              || (g_str_equal (key, "url") && found_url != NULL))
            {
              g_set_error (error, DP_FEED_SCRIPT_ERROR, DP_FEED_SCRIPT_ERROR_SYNTAX,
                           _("RSS feed script: position %zu: “%s=” given twice"), (gsize) (seg_start - script) + 1, key);
              return FALSE;
            }
          if (g_str_equal (key, "name"))
            {
              seen_name = TRUE;
              if (v_end > v_start)
                found_name = g_strndup (v_start, v_end - v_start);
            }
          else
            {
              found_url = g_string_new_len (v_start, v_end - v_start);
              url_position = (gsize) (v_start - script) + 1;
            }
        }

      if (*segment_end == '\0')
        break;
      p = segment_end + 1;
    }

  if (found_url == NULL || found_url->len == 0)
    {
      g_set_error (error, DP_FEED_SCRIPT_ERROR, DP_FEED_SCRIPT_ERROR_MISSING_URL,
                   _("RSS feed script: position %zu: no url= given"),
                   found_url == NULL ? strlen (script) + 1 : url_position);
      return FALSE;
    }
  if (found_name != NULL && !g_utf8_validate (found_name, -1, NULL))
    {
      g_set_error (error, DP_FEED_SCRIPT_ERROR, DP_FEED_SCRIPT_ERROR_SYNTAX,
                   _("RSS feed script: position 1: name is not valid UTF-8"));
      return FALSE;
    }
  if (!check_url (found_url->str, url_position, error))
    return FALSE;

  if (name != NULL)
    *name = g_steal_pointer (&found_name);
  if (url != NULL)
    *url = g_string_free (g_steal_pointer (&found_url), FALSE);
  return TRUE;
}

gboolean
dp_feed_script_check (const char *value, GError **error)
{
  return dp_feed_script_parse (value != NULL ? value : "", NULL, NULL, error);
}
