/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure helpers of the sip plugin: turning what the user dialled and what
 * the Ext tab holds into SIP URIs, the User-Agent text, digest credential
 * strings for nua_authenticate() and SIP INFO DTMF bodies. No sofia-sip
 * here, so the unit tests and fuzzers need nothing but GLib. */
#define G_LOG_DOMAIN "dp-sip"

#include "dp-build-config.h"
#include "dp-sip-util.h"
#include <glib/gi18n-lib.h>

#include <gio/gio.h>

#include <string.h>

DpSipTransport
dp_sip_transport_from_string (const char *name)
{
  if (name != NULL && g_ascii_strcasecmp (name, "TCP") == 0)
    return DP_SIP_TRANSPORT_TCP;
  if (name != NULL && g_ascii_strcasecmp (name, "TLS") == 0)
    return DP_SIP_TRANSPORT_TLS;
  return DP_SIP_TRANSPORT_UDP;
}

const char *
dp_sip_transport_to_param (DpSipTransport transport)
{
  switch (transport)
    {
    case DP_SIP_TRANSPORT_TCP: return "tcp";
    case DP_SIP_TRANSPORT_TLS: return "tls";
    case DP_SIP_TRANSPORT_UDP:
    default: return "udp";
    }
}

static gboolean
is_user_char (char c)
{
  /* RFC 3261 user = unreserved / escaped / user-unreserved, without the
   * characters that would end the user part ('@', ':', ';' are excluded). */
  return g_ascii_isalnum (c) || strchr ("-_.!~*'()&=+$,?/%", c) != NULL;
}

static gboolean
is_host_char (char c)
{
  return g_ascii_isalnum (c) || strchr ("-.:[]", c) != NULL;
}

/* Checks a host[:port] and returns the position of the first bad byte or -1. */
static gssize
check_hostport (const char *hostport)
{
  if (*hostport == '\0' || *hostport == ':')
    return 0;
  for (gsize i = 0; hostport[i] != '\0'; i++)
    if (!is_host_char (hostport[i]))
      return (gssize) i;
  return -1;
}

static const char *
skip_sip_scheme (const char *value)
{
  if (g_ascii_strncasecmp (value, "sip:", 4) == 0)
    return value + 4;
  return value;
}

static void
append_transport (GString *uri, DpSipTransport transport)
{
  /* UDP is what a URI without the parameter means already. */
  if (transport != DP_SIP_TRANSPORT_UDP && strstr (uri->str, ";transport=") == NULL)
    g_string_append_printf (uri, ";transport=%s", dp_sip_transport_to_param (transport));
}

static gboolean
is_ipv4_hostport (const char *value)
{
  guint dots = 0;
  gboolean colon = FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '.' && !colon)
        dots++;
      else if (*p == ':' && !colon)
        colon = TRUE;
      else if (!g_ascii_isdigit (*p))
        return FALSE;
    }
  return dots == 3;
}

/**
 * dp_sip_server_uri:
 * @server: a `Proxy_n_` / `Outbound_Proxy_n_` value, `host[:port]`
 *   (a leading `sip:` is accepted)
 * @transport: the line's transport
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): `sip:host[:port][;transport=tcp|tls]`
 */
char *
dp_sip_server_uri (const char *server, DpSipTransport transport, GError **error)
{
  g_autoptr(GString) uri = NULL;
  const char *hostport;
  gssize bad;

  g_return_val_if_fail (server != NULL, NULL);

  hostport = skip_sip_scheme (server);
  bad = check_hostport (hostport);
  if (bad >= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("server '%s': bad host at position %zd"),
                   server, (gssize) (hostport - server) + bad + 1);
      return NULL;
    }
  uri = g_string_new ("sip:");
  g_string_append (uri, hostport);
  append_transport (uri, transport);
  return g_string_free (g_steal_pointer (&uri), FALSE);
}

/**
 * dp_sip_aor:
 * @user: `User_ID_n_`
 * @proxy: `Proxy_n_`
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the address of record
 *   `sip:user@host[:port]` the line registers
 */
char *
dp_sip_aor (const char *user, const char *proxy, GError **error)
{
  const char *hostport;
  gssize bad;

  g_return_val_if_fail (user != NULL && proxy != NULL, NULL);

  if (*user == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("no User ID set"));
      return NULL;
    }
  for (gsize i = 0; user[i] != '\0'; i++)
    if (!is_user_char (user[i]))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("User ID '%s': character %zu is not allowed in a SIP user"), user, i + 1);
        return NULL;
      }
  hostport = skip_sip_scheme (proxy);
  bad = check_hostport (hostport);
  if (bad >= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("proxy '%s': bad host at position %zd"),
                   proxy, (gssize) (hostport - proxy) + bad + 1);
      return NULL;
    }
  return g_strdup_printf ("sip:%s@%s", user, hostport);
}

/**
 * dp_sip_target_uri:
 * @target: what to call: a complete number (through the dial plan
 *   already), `user@host[:port]` (IP dialing), a bare `a.b.c.d[:port]`, or a
 *   `sip:`/`sips:` URI
 * @proxy: (nullable): `Proxy_n_`, used for plain numbers
 * @transport: the line's transport, added to URIs the phone builds
 * @error: return location for a #GError
 *
 * A URI given by the user is taken as it is (after checking it holds no
 * spaces or control characters); a number becomes `sip:NUMBER@PROXY`.
 * `#` in a number is escaped as `%23` (it is not allowed in a SIP user).
 *
 * Returns: (transfer full) (nullable): the request URI
 */
char *
dp_sip_target_uri (const char      *target,
                   const char      *proxy,
                   DpSipTransport   transport,
                   GError         **error)
{
  g_autoptr(GString) uri = NULL;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (target != NULL, NULL);

  trimmed = g_strstrip (g_strdup (target));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("nothing to dial"));
      return NULL;
    }
  for (gsize i = 0; trimmed[i] != '\0'; i++)
    if ((guchar) trimmed[i] <= ' ' || trimmed[i] == 0x7f || trimmed[i] == '<' ||
        trimmed[i] == '>' || trimmed[i] == '"')
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("target '%s': character %zu is not allowed"), trimmed, i + 1);
        return NULL;
      }

  if (g_ascii_strncasecmp (trimmed, "sip:", 4) == 0 ||
      g_ascii_strncasecmp (trimmed, "sips:", 5) == 0)
    {
      const char *rest = strchr (trimmed, ':') + 1;

      if (*rest == '\0' || *rest == '@' || g_str_has_suffix (rest, "@"))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("target '%s': the URI has no host"), trimmed);
          return NULL;
        }
      return g_steal_pointer (&trimmed);
    }

  if (strchr (trimmed, '@') != NULL || is_ipv4_hostport (trimmed))
    {
      const char *at = strchr (trimmed, '@');
      const char *host = at ? at + 1 : trimmed;
      gssize bad;

      if (at == trimmed)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("target '%s': empty user before '@'"), trimmed);
          return NULL;
        }
      /* URI parameters may follow the host (";transport=tcp"). */
      g_autofree char *hostport = g_strndup (host, strcspn (host, ";"));
      const char *params = host + strlen (hostport);

      bad = check_hostport (hostport);
      for (gsize i = 0; bad < 0 && params[i] != '\0'; i++)
        if (!g_ascii_isalnum (params[i]) && strchr (";=.-_", params[i]) == NULL)
          bad = (gssize) (strlen (hostport) + i);
      if (bad >= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("target '%s': bad host at position %zd"),
                       trimmed, (gssize) (host - trimmed) + bad + 1);
          return NULL;
        }
      uri = g_string_new ("sip:");
      g_string_append (uri, trimmed);
      append_transport (uri, transport);
      return g_string_free (g_steal_pointer (&uri), FALSE);
    }

  if (proxy == NULL || *skip_sip_scheme (proxy) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("no proxy set to call '%s' through"), trimmed);
      return NULL;
    }
  uri = g_string_new ("sip:");
  for (gsize i = 0; trimmed[i] != '\0'; i++)
    {
      if (trimmed[i] == '#')
        g_string_append (uri, "%23");
      else if (is_user_char (trimmed[i]) && trimmed[i] != '%')
        g_string_append_c (uri, trimmed[i]);
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("number '%s': character %zu is not allowed"), trimmed, i + 1);
          return NULL;
        }
    }
  {
    const char *hostport = skip_sip_scheme (proxy);
    gssize bad = check_hostport (hostport);

    if (bad >= 0)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("proxy '%s': bad host at position %zd"),
                     proxy, (gssize) (hostport - proxy) + bad + 1);
        return NULL;
      }
    g_string_append_c (uri, '@');
    g_string_append (uri, hostport);
  }
  append_transport (uri, transport);
  return g_string_free (g_steal_pointer (&uri), FALSE);
}

/**
 * dp_sip_expand_user_agent:
 * @template_: `SIP_User_Agent_Name`
 * @version: the deskphone version
 *
 * `$VERSION` becomes `deskphone/<version>` (the SPA puts its own product
 * and firmware there); `$$` is a literal `$`. Control characters are
 * dropped so that a provisioned value cannot break the header.
 *
 * Returns: (transfer full): the User-Agent text, empty when the
 *   template is empty
 */
char *
dp_sip_expand_user_agent (const char *template_, const char *version)
{
  GString *out = g_string_new (NULL);

  for (const char *p = template_ ? template_ : ""; *p != '\0'; p++)
    {
      if (g_str_has_prefix (p, "$VERSION"))
        {
          g_string_append_printf (out, "deskphone/%s", version);
          p += strlen ("$VERSION") - 1;
        }
      else if (p[0] == '$' && p[1] == '$')
        {
          g_string_append_c (out, '$');
          p++;
        }
      else if ((guchar) *p >= ' ' && *p != 0x7f)
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/**
 * dp_sip_digest_credentials:
 * @realm: the realm as the challenge gives it, with or without quotes
 * @user: the authentication user name
 * @password: the password
 *
 * Returns: (transfer full): the `NUTAG_AUTH()` string,
 *   `Digest:"realm":user:password`
 */
char *
dp_sip_digest_credentials (const char *realm, const char *user, const char *password)
{
  g_autofree char *bare = NULL;
  gsize len = strlen (realm);

  if (len >= 2 && realm[0] == '"' && realm[len - 1] == '"')
    bare = g_strndup (realm + 1, len - 2);
  else
    bare = g_strdup (realm);
  return g_strdup_printf ("Digest:\"%s\":%s:%s", bare, user, password);
}

/**
 * dp_sip_dtmf_info_body:
 * @digit: one of 0-9 * # A-D (a-d accepted)
 * @duration_ms: tone length
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the `application/dtmf-relay` body
 *   (`Signal=5\r\nDuration=160\r\n`)
 */
char *
dp_sip_dtmf_info_body (char digit, guint duration_ms, GError **error)
{
  if (!(g_ascii_isdigit (digit) || digit == '*' || digit == '#' ||
        (g_ascii_toupper (digit) >= 'A' && g_ascii_toupper (digit) <= 'D')))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("'%c' is not a DTMF digit (0-9 * # A-D)"), g_ascii_isprint (digit) ? digit : '?');
      return NULL;
    }
  return g_strdup_printf ("Signal=%c\r\nDuration=%u\r\n", g_ascii_toupper (digit), duration_ms);
}

/* One `name=value` or `name="value"` of a Digest header, from *pos on;
 * NULL at the end or on a syntax error (set in *error). */
static gboolean
next_auth_param (const char **pos, char **name, char **value, const char *header,
                 GError **error)
{
  const char *p = *pos;
  const char *start;
  GString *val;

  while (*p == ' ' || *p == '\t' || *p == ',' || *p == '\r' || *p == '\n')
    p++;
  if (*p == '\0')
    return FALSE;
  start = p;
  while (g_ascii_isalnum (*p) || *p == '-' || *p == '_')
    p++;
  if (p == start || *p != '=')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("digest: expected name=value at position %zu"),
                   (gsize) (p - header) + 1);
      return FALSE;
    }
  *name = g_ascii_strdown (start, p - start);
  p++;
  val = g_string_new (NULL);
  if (*p == '"')
    {
      for (p++; *p != '"'; p++)
        {
          if (*p == '\0')
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("digest: unterminated quoted value at position %zu"),
                           (gsize) (p - header) + 1);
              g_string_free (val, TRUE);
              g_clear_pointer (name, g_free);
              return FALSE;
            }
          if (*p == '\\' && p[1] != '\0')
            p++;
          g_string_append_c (val, *p);
        }
      p++;
    }
  else
    while (*p != '\0' && *p != ',' && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
      g_string_append_c (val, *p++);
  *value = g_string_free (val, FALSE);
  *pos = p;
  return TRUE;
}

static char *
md5_hex (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_MD5, text, -1);
}

/**
 * dp_sip_digest_verify:
 * @method: the request's method ("NOTIFY")
 * @password: the password the sender must know
 * @authorization: the Authorization header value (`Digest username=...`)
 * @expected_user: the user name the sender must give
 * @expected_realm: the realm of our challenge
 * @expected_nonce: the nonce of our challenge
 * @error: return location for a #GError (says why the check failed)
 *
 * Checks an RFC 2617 / 7616 MD5 digest (no qop, or qop=auth) the phone
 * asked for with a challenge of @expected_realm and @expected_nonce.
 *
 * Returns: %TRUE when the credentials are right
 */
gboolean
dp_sip_digest_verify (const char  *method,
                      const char  *password,
                      const char  *authorization,
                      const char  *expected_user,
                      const char  *expected_realm,
                      const char  *expected_nonce,
                      GError     **error)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *p = authorization;
  const char *user, *realm, *nonce, *uri, *response, *qop, *algorithm;
  g_autofree char *ha1 = NULL;
  g_autofree char *ha2 = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *a1 = NULL;
  g_autofree char *a2 = NULL;
  g_autofree char *kd = NULL;
  char *name = NULL;
  char *value = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (method != NULL && authorization != NULL, FALSE);

  while (*p == ' ')
    p++;
  if (g_ascii_strncasecmp (p, "Digest", 6) != 0 || (p[6] != ' ' && p[6] != '\t'))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("digest: the scheme at position %zu is not Digest"),
                   (gsize) (p - authorization) + 1);
      return FALSE;
    }
  p += 6;
  while (next_auth_param (&p, &name, &value, authorization, &local_error))
    g_hash_table_replace (params, g_steal_pointer (&name), g_steal_pointer (&value));
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  user = g_hash_table_lookup (params, "username");
  realm = g_hash_table_lookup (params, "realm");
  nonce = g_hash_table_lookup (params, "nonce");
  uri = g_hash_table_lookup (params, "uri");
  response = g_hash_table_lookup (params, "response");
  qop = g_hash_table_lookup (params, "qop");
  algorithm = g_hash_table_lookup (params, "algorithm");
  if (user == NULL || realm == NULL || nonce == NULL || uri == NULL || response == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("digest: username, realm, nonce, uri or response is missing"));
      return FALSE;
    }
  if (algorithm != NULL && g_ascii_strcasecmp (algorithm, "MD5") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("digest: algorithm %s is not supported (MD5 only)"), algorithm);
      return FALSE;
    }
  if (g_strcmp0 (user, expected_user) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("digest: user '%s' is not the line's"), user);
      return FALSE;
    }
  if (g_strcmp0 (realm, expected_realm) != 0 || g_strcmp0 (nonce, expected_nonce) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("digest: realm or nonce is not the one of our challenge"));
      return FALSE;
    }
  a1 = g_strdup_printf ("%s:%s:%s", user, realm, password ? password : "");
  ha1 = md5_hex (a1);
  a2 = g_strdup_printf ("%s:%s", method, uri);
  ha2 = md5_hex (a2);
  if (qop == NULL)
    kd = g_strdup_printf ("%s:%s:%s", ha1, nonce, ha2);
  else if (g_ascii_strcasecmp (qop, "auth") == 0)
    {
      const char *nc = g_hash_table_lookup (params, "nc");
      const char *cnonce = g_hash_table_lookup (params, "cnonce");

      if (nc == NULL || cnonce == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("digest: qop=auth without nc or cnonce"));
          return FALSE;
        }
      kd = g_strdup_printf ("%s:%s:%s:%s:%s:%s", ha1, nonce, nc, cnonce, qop, ha2);
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("digest: qop %s is not supported"), qop);
      return FALSE;
    }
  expected = md5_hex (kd);
  if (g_ascii_strcasecmp (expected, response) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           _("digest: wrong response (wrong password)"));
      return FALSE;
    }
  return TRUE;
}

/**
 * dp_sip_message_summary_parse:
 * @body: an `application/simple-message-summary` body (RFC 3842)
 * @len: its length
 * @waiting: (out): the `Messages-Waiting` status
 * @new_messages: (out) (optional): new voice messages (0 when not given)
 * @old_messages: (out) (optional): old voice messages
 * @error: return location for a #GError
 *
 * Header names are case-insensitive; unknown lines are skipped. The
 * `Messages-Waiting` line is required.
 *
 * Returns: %TRUE when the body holds a Messages-Waiting line
 */
gboolean
dp_sip_message_summary_parse (const char *body, gsize len, gboolean *waiting,
                              guint *new_messages, guint *old_messages, GError **error)
{
  gboolean found = FALSE;
  gsize pos = 0;
  guint line_no = 0;

  g_return_val_if_fail (body != NULL || len == 0, FALSE);
  if (new_messages != NULL)
    *new_messages = 0;
  if (old_messages != NULL)
    *old_messages = 0;
  while (pos < len)
    {
      gsize end = pos;
      g_autofree char *line = NULL;
      char *colon;
      char *value;

      while (end < len && body[end] != '\n')
        end++;
      line_no++;
      line = g_strndup (body + pos, end - pos);
      pos = end + 1;
      colon = strchr (line, ':');
      if (colon == NULL)
        continue;
      *colon = '\0';
      value = g_strstrip (colon + 1);
      g_strstrip (line);
      if (g_ascii_strcasecmp (line, "Messages-Waiting") == 0)
        {
          if (g_ascii_strcasecmp (value, "yes") == 0)
            *waiting = TRUE;
          else if (g_ascii_strcasecmp (value, "no") == 0)
            *waiting = FALSE;
          else
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("message-summary line %u: Messages-Waiting is '%.20s', not yes or no"),
                           line_no, value);
              return FALSE;
            }
          found = TRUE;
        }
      else if (g_ascii_strcasecmp (line, "Voice-Message") == 0)
        {
          /* "2/8 (0/2)": new/old (urgent new/urgent old) */
          char *end_new = NULL;
          guint64 n = g_ascii_strtoull (value, &end_new, 10);

          if (end_new != value && *end_new == '/')
            {
              char *end_old = NULL;
              guint64 o = g_ascii_strtoull (end_new + 1, &end_old, 10);

              if (end_old != end_new + 1)
                {
                  if (new_messages != NULL)
                    *new_messages = (guint) MIN (n, G_MAXUINT);
                  if (old_messages != NULL)
                    *old_messages = (guint) MIN (o, G_MAXUINT);
                }
            }
        }
    }
  if (!found)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("message-summary: no Messages-Waiting line"));
      return FALSE;
    }
  return TRUE;
}
