/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure helpers of the sip plugin: turning what the user dialled and what
 * the Ext tab holds into SIP URIs, the User-Agent text, digest credential
 * strings for nua_authenticate() and SIP INFO DTMF bodies. No sofia-sip
 * here, so the unit tests and fuzzers need nothing but GLib. */
#define G_LOG_DOMAIN "dp-sip"

#include "dp-sip-util.h"

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
                   "server '%s': bad host at position %" G_GSSIZE_FORMAT,
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
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "no User ID set");
      return NULL;
    }
  for (gsize i = 0; user[i] != '\0'; i++)
    if (!is_user_char (user[i]))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "User ID '%s': character %zu is not allowed in a SIP user", user, i + 1);
        return NULL;
      }
  hostport = skip_sip_scheme (proxy);
  bad = check_hostport (hostport);
  if (bad >= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "proxy '%s': bad host at position %" G_GSSIZE_FORMAT,
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
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "nothing to dial");
      return NULL;
    }
  for (gsize i = 0; trimmed[i] != '\0'; i++)
    if ((guchar) trimmed[i] <= ' ' || trimmed[i] == 0x7f || trimmed[i] == '<' ||
        trimmed[i] == '>' || trimmed[i] == '"')
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "target '%s': character %zu is not allowed", trimmed, i + 1);
        return NULL;
      }

  if (g_ascii_strncasecmp (trimmed, "sip:", 4) == 0 ||
      g_ascii_strncasecmp (trimmed, "sips:", 5) == 0)
    {
      const char *rest = strchr (trimmed, ':') + 1;

      if (*rest == '\0' || *rest == '@' || g_str_has_suffix (rest, "@"))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "target '%s': the URI has no host", trimmed);
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
                       "target '%s': empty user before '@'", trimmed);
          return NULL;
        }
      bad = check_hostport (host);
      if (bad >= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "target '%s': bad host at position %" G_GSSIZE_FORMAT,
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
                   "no proxy set to call '%s' through", trimmed);
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
                       "number '%s': character %zu is not allowed", trimmed, i + 1);
          return NULL;
        }
    }
  {
    const char *hostport = skip_sip_scheme (proxy);
    gssize bad = check_hostport (hostport);

    if (bad >= 0)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "proxy '%s': bad host at position %" G_GSSIZE_FORMAT,
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
                   "'%c' is not a DTMF digit (0-9 * # A-D)", g_ascii_isprint (digit) ? digit : '?');
      return NULL;
    }
  return g_strdup_printf ("Signal=%c\r\nDuration=%u\r\n", g_ascii_toupper (digit), duration_ms);
}
