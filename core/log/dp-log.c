/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure helpers of the logging component: server address parsing, the
 * Debug_Level filter, secret scrubbing and RFC 5424 formatting. None of them
 * logs: they run inside the log writer. */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "dp-log"

#include "dp-log.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include <string.h>
#include <time.h>

G_DEFINE_QUARK (dp-log-error-quark, dp_log_error)

static const char MASK[] = "****";

/* ---------------------------------------------------------------- servers */

static gboolean
server_error (GError **error, const char *text, gsize pos, const char *problem)
{
  g_set_error (error, DP_LOG_ERROR, DP_LOG_ERROR_INVALID_SERVER,
               _("server address “%s”, position %zu: %s"),
               text, pos + 1, problem);
  return FALSE;
}

static gboolean
is_host_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '-' || c == '_';
}

static gboolean
parse_port (const char *text, gsize start, gsize end, guint16 *port, GError **error)
{
  guint value = 0;

  if (start == end)
    return server_error (error, text, start, _("the port is empty"));
  for (gsize i = start; i < end; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return server_error (error, text, i, _("the port must be a number"));
      value = value * 10 + (guint) (text[i] - '0');
      if (value > 65535)
        return server_error (error, text, start, _("the port must be 1 to 65535"));
    }
  if (value == 0)
    return server_error (error, text, start, _("the port must be 1 to 65535"));
  *port = (guint16) value;
  return TRUE;
}

static gboolean
is_ipv6_literal (const char *text, gsize start, gsize end)
{
  g_autofree char *candidate = g_strndup (text + start, end - start);
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (candidate);

  return address != NULL && g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;
}

gboolean
dp_log_parse_server (const char  *text,
                     char       **host,
                     guint16     *port,
                     GError     **error)
{
  gsize start = 0, end, host_start, host_end;
  guint16 parsed_port = DP_LOG_DEFAULT_PORT;
  const char *colon;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (host)
    *host = NULL;
  if (port)
    *port = DP_LOG_DEFAULT_PORT;
  if (text == NULL)
    return TRUE;

  end = strlen (text);
  while (start < end && g_ascii_isspace (text[start]))
    start++;
  while (end > start && g_ascii_isspace (text[end - 1]))
    end--;
  if (start == end)
    return TRUE;

  if (text[start] == '[')
    {
      const char *close = memchr (text + start, ']', end - start);

      if (close == NULL)
        return server_error (error, text, start, _("“[” without a closing “]”"));
      host_start = start + 1;
      host_end = (gsize) (close - text);
      if (!is_ipv6_literal (text, host_start, host_end))
        return server_error (error, text, host_start, _("not an IPv6 address inside “[ ]”"));
      if (host_end + 1 < end)
        {
          if (text[host_end + 1] != ':')
            return server_error (error, text, host_end + 1, _("expected “:” and a port after “]”"));
          if (!parse_port (text, host_end + 2, end, &parsed_port, error))
            return FALSE;
        }
    }
  else
    {
      colon = memchr (text + start, ':', end - start);
      if (colon != NULL && memchr (colon + 1, ':', (gsize) (text + end - colon - 1)) != NULL)
        {
          /* Several colons: only a bare IPv6 literal, whose port cannot be
           * told apart from its last group, so it takes the default port. */
          if (!is_ipv6_literal (text, start, end))
            return server_error (error, text, start,
                                 _("not an IPv6 address (write “[address]:port” to give a port)"));
          host_start = start;
          host_end = end;
        }
      else
        {
          host_start = start;
          host_end = colon ? (gsize) (colon - text) : end;
          if (host_start == host_end)
            return server_error (error, text, host_start, _("the host name is empty"));
          if (host_end - host_start > 253)
            return server_error (error, text, host_start, _("the host name is longer than 253 characters"));
          for (gsize i = host_start; i < host_end; i++)
            if (!is_host_char (text[i]))
              return server_error (error, text, i,
                                   _("a host name may only hold letters, digits, “.”, “-” and “_”"));
          if (colon && !parse_port (text, host_end + 1, end, &parsed_port, error))
            return FALSE;
        }
    }

  if (host)
    *host = g_strndup (text + host_start, host_end - host_start);
  if (port)
    *port = parsed_port;
  return TRUE;
}

gboolean
dp_log_check_server (const char  *value,
                     GError     **error)
{
  return dp_log_parse_server (value, NULL, NULL, error);
}

/* ------------------------------------------------------------ filtering */

static GLogLevelFlags
lowest_level (GLogLevelFlags level)
{
  /* The most severe bit wins when a caller passes several. */
  static const GLogLevelFlags order[] = {
    G_LOG_LEVEL_ERROR, G_LOG_LEVEL_CRITICAL, G_LOG_LEVEL_WARNING,
    G_LOG_LEVEL_MESSAGE, G_LOG_LEVEL_INFO, G_LOG_LEVEL_DEBUG,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    if (level & order[i])
      return order[i];
  return G_LOG_LEVEL_DEBUG;
}

gboolean
dp_log_level_enabled (guint           debug_level,
                      GLogLevelFlags  level,
                      const char     *domain)
{
  switch (lowest_level (level))
    {
    case G_LOG_LEVEL_ERROR:
    case G_LOG_LEVEL_CRITICAL:
    case G_LOG_LEVEL_WARNING:
    case G_LOG_LEVEL_MESSAGE:
      return TRUE;
    case G_LOG_LEVEL_INFO:
      return debug_level >= 1;
    default:
      if (debug_level >= 3)
        return TRUE;
      return debug_level == 2 && domain != NULL && g_str_has_prefix (domain, "dp-sip");
    }
}

guint
dp_log_level_to_severity (GLogLevelFlags level)
{
  switch (lowest_level (level))
    {
    case G_LOG_LEVEL_ERROR:
      return 3;
    case G_LOG_LEVEL_CRITICAL:
    case G_LOG_LEVEL_WARNING:
      return 4;
    case G_LOG_LEVEL_MESSAGE:
      return 5;
    case G_LOG_LEVEL_INFO:
      return 6;
    default:
      return 7;
    }
}

/* ------------------------------------------------------------- scrubbing */

static gboolean
has_prefix_ci (const char *p, const char *prefix)
{
  return g_ascii_strncasecmp (p, prefix, strlen (prefix)) == 0;
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static gboolean
is_value_end (char c)
{
  return c == '\0' || g_ascii_isspace (c) || strchr ("&;,\"'<>()[]{}", c) != NULL;
}

static gboolean
is_sensitive_name (const char *name, gsize len)
{
  static const char *const words[] = { "passw", "pwd", "secret", "passphrase", "token" };
  g_autofree char *lower = g_ascii_strdown (name, (gssize) len);

  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (lower, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Appends the mask for a non-empty value and returns the position after
 * it; an empty value is left alone so "password=" stays readable. */
static const char *
mask_until (GString *out, const char *value, const char *value_end)
{
  if (value_end > value)
    g_string_append (out, MASK);
  return value_end;
}

static const char *
skip_blanks (GString *out, const char *p)
{
  while (*p == ' ' || *p == '\t')
    g_string_append_c (out, *p++);
  return p;
}

/* A value after `=` / `:`: quoted up to the closing quote, else up to a
 * delimiter. Returns the position after the masked value. */
static const char *
mask_value (GString *out, const char *p)
{
  if (*p == '"' || *p == '\'')
    {
      char quote = *p;
      const char *close = strchr (p + 1, quote);

      g_string_append_c (out, *p++);
      if (close == NULL)
        close = p + strlen (p);
      p = mask_until (out, p, close);
      return p;
    }
  else
    {
      const char *end = p;

      while (!is_value_end (*end))
        end++;
      return mask_until (out, p, end);
    }
}

static const char *
header_value_rule (GString *out, const char *p)
{
  static const char *const headers[] = {
    "authorization:", "cookie:",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (headers); i++)
    if (has_prefix_ci (p, headers[i]))
      {
        const char *end;

        g_string_append_len (out, p, (gssize) strlen (headers[i]));
        p = skip_blanks (out, p + strlen (headers[i]));
        end = p + strcspn (p, "\r\n");
        return mask_until (out, p, end);
      }
  return NULL;
}

/* `<Admin_Passwd ua="na">value</Admin_Passwd>`: p is at the name, after '<'. */
static const char *
xml_element_rule (GString *out, const char *p, gsize name_len)
{
  const char *gt = p + name_len;

  while (*gt != '\0' && *gt != '>' && *gt != '<')
    gt++;
  if (*gt != '>' || gt[-1] == '/')
    return NULL;
  g_string_append_len (out, p, gt - p + 1);
  p = gt + 1;
  return mask_until (out, p, p + strcspn (p, "<"));
}

/* NAME=value, NAME: value, "NAME": "value" with a sensitive NAME. */
static const char *
pair_rule (GString *out, const char *start, const char *p, const char *name_end)
{
  const char *q = name_end;

  /* JSON-like "NAME": the closing quote of the name. */
  if (start < p && (p[-1] == '"' || p[-1] == '\'') && *q == p[-1])
    q++;
  while (*q == ' ' || *q == '\t')
    q++;
  if (*q != '=' && *q != ':')
    return NULL;
  /* "a == b" and "::" are comparisons and C++ scopes, not assignments. */
  if (q[1] == *q)
    return NULL;
  g_string_append_len (out, p, q - p + 1);
  q = skip_blanks (out, q + 1);
  return mask_value (out, q);
}

/* scheme://user:password@host */
static const char *
url_userinfo_rule (GString *out, const char *p)
{
  const char *q = p + 3, *colon = NULL;

  for (; *q != '\0' && *q != '@'; q++)
    {
      if (*q == '/' || *q == '?' || *q == '#' || g_ascii_isspace (*q) ||
          *q == '"' || *q == '\'' || *q == '<' || *q == '>')
        return NULL;
      if (*q == ':' && colon == NULL)
        colon = q;
    }
  if (*q != '@' || colon == NULL)
    return NULL;
  g_string_append_len (out, p, colon - p + 1);
  mask_until (out, colon + 1, q);
  return q;
}

static const char *
key_option_rule (GString *out, const char *start, const char *p)
{
  const char *q;

  if (!has_prefix_ci (p, "--key") || (p > start && !g_ascii_isspace (p[-1]) && p[-1] != '['))
    return NULL;
  q = p + 5;
  if (*q != ' ' && *q != '\t' && *q != '=')
    return NULL;
  g_string_append_len (out, p, 5);
  if (*q == '=')
    g_string_append_c (out, *q++);
  q = skip_blanks (out, q);
  {
    const char *end = q;

    while (*end != '\0' && !g_ascii_isspace (*end) && *end != ']')
      end++;
    return mask_until (out, q, end);
  }
}

static void
mask_registered (GString *text, const char * const *secrets)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  for (gsize i = 0; secrets && secrets[i]; i++)
    if (strlen (secrets[i]) >= DP_LOG_MIN_SECRET_LENGTH)
      g_ptr_array_add (sorted, (gpointer) secrets[i]);

  /* Longest first, so a secret that contains another is masked whole. */
  for (guint i = 1; i < sorted->len; i++)
    for (guint j = i; j > 0 && strlen (sorted->pdata[j - 1]) < strlen (sorted->pdata[j]); j--)
      {
        gpointer tmp = sorted->pdata[j];
        sorted->pdata[j] = sorted->pdata[j - 1];
        sorted->pdata[j - 1] = tmp;
      }

  for (guint i = 0; i < sorted->len; i++)
    {
      const char *secret = sorted->pdata[i];
      gsize len = strlen (secret);
      gsize pos = 0;
      const char *hit;

      while ((hit = strstr (text->str + pos, secret)) != NULL)
        {
          pos = (gsize) (hit - text->str);
          g_string_erase (text, (gssize) pos, (gssize) len);
          g_string_insert (text, (gssize) pos, MASK);
          pos += strlen (MASK);
        }
    }
}

char *
dp_log_scrub (const char          *message,
              const char * const  *secrets)
{
  g_autoptr(GString) first = NULL;
  GString *out;
  const char *start, *p;

  g_return_val_if_fail (message != NULL, NULL);

  first = g_string_new (message);
  mask_registered (first, secrets);

  out = g_string_sized_new (first->len + 16);
  start = first->str;
  p = start;
  while (*p != '\0')
    {
      const char *next = NULL;

      if (g_ascii_tolower (*p) == 'a' || g_ascii_tolower (*p) == 'c')
        next = header_value_rule (out, p);
      else if (g_ascii_tolower (*p) == 'i' && has_prefix_ci (p, "inline:"))
        {
          g_string_append_len (out, p, 7);
          next = mask_until (out, p + 7, p + 7 + strcspn (p + 7, "|; \t\r\n"));
        }
      else if (*p == '-')
        next = key_option_rule (out, start, p);
      else if (*p == ':' && p[1] == '/' && p[2] == '/')
        next = url_userinfo_rule (out, p);

      if (next == NULL && is_ident_char (*p) && (p == start || !is_ident_char (p[-1])))
        {
          const char *name_end = p;

          while (is_ident_char (*name_end))
            name_end++;
          if (is_sensitive_name (p, (gsize) (name_end - p)))
            {
              if (p > start && p[-1] == '<')
                next = xml_element_rule (out, p, (gsize) (name_end - p));
              if (next == NULL)
                next = pair_rule (out, start, p, name_end);
            }
          if (next == NULL)
            {
              /* Copy the whole word so its tail is not re-examined as a
               * word of its own ("Xpassword" must not match at "password"). */
              g_string_append_len (out, p, name_end - p);
              next = name_end;
            }
        }

      if (next == NULL)
        g_string_append_c (out, *p++);
      else
        p = next;
    }

  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------- RFC 5424 */

/* PRINTUSASCII (%d33-126) only; anything else would split the header. */
static void
append_header_field (GString *out, const char *value, gsize max_len)
{
  gsize n = 0;

  if (value == NULL || *value == '\0')
    {
      g_string_append_c (out, '-');
      return;
    }
  for (; value[n] != '\0' && n < max_len; n++)
    g_string_append_c (out, (value[n] > 32 && value[n] < 127) ? value[n] : '_');
}

GBytes *
dp_log_format_rfc5424 (GLogLevelFlags  level,
                       const char     *domain,
                       const char     *message,
                       gint64          time_us,
                       const char     *hostname,
                       guint           procid,
                       gsize           max_bytes)
{
  g_autoptr(GString) out = g_string_sized_new (256);
  g_autofree char *valid = NULL;
  time_t seconds = (time_t) (time_us / G_USEC_PER_SEC);
  gint64 micro = time_us % G_USEC_PER_SEC;
  struct tm tm;
  gsize header_len, room, cut;

  if (micro < 0)
    {
      micro += G_USEC_PER_SEC;
      seconds--;
    }
  max_bytes = MAX (max_bytes, 480);

  g_string_append_printf (out, "<%u>1 ", DP_LOG_FACILITY * 8 + dp_log_level_to_severity (level));
  if (gmtime_r (&seconds, &tm) != NULL && tm.tm_year + 1900 >= 0 && tm.tm_year + 1900 <= 9999)
    g_string_append_printf (out, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ ",
                            tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                            tm.tm_hour, tm.tm_min, tm.tm_sec, (int) micro);
  else
    g_string_append (out, "- ");
  append_header_field (out, hostname, 255);
  g_string_append (out, " " DP_LOG_APP_NAME " ");
  g_string_append_printf (out, "%u ", procid);
  append_header_field (out, domain, 32);
  g_string_append (out, " - \xEF\xBB\xBF");
  header_len = out->len;

  valid = g_utf8_make_valid (message ? message : "", -1);
  room = max_bytes > header_len ? max_bytes - header_len : 0;
  cut = strlen (valid);
  if (cut > room)
    {
      /* Back up to the start of the character that straddles the limit. */
      cut = room;
      while (cut > 0 && ((guchar) valid[cut] & 0xC0) == 0x80)
        cut--;
    }
  g_string_append_len (out, valid, (gssize) cut);

  return g_string_free_to_bytes (g_steal_pointer (&out));
}
