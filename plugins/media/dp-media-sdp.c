/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SDP and SDES parsing/generation. Written by hand rather than with
 * GstSDPMessage because gst_sdp_message_parse_buffer() accepts anything and
 * cannot say which line is wrong, and because the phone must be able to
 * answer an SDP without initialising GStreamer's registry first.
 */
#define G_LOG_DOMAIN "dp-media"

#include "dp-media-sdp.h"

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <string.h>

#define MAX_LINE_IN_MESSAGE 80
#define SRTP_MAX_LIFETIME_EXP 48

static const struct {
  DpSrtpSuite suite;
  const char *name;
  gsize key_length;
} srtp_suites[] = {
  { DP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, "AES_CM_128_HMAC_SHA1_80", 30 },
  { DP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32, "AES_CM_128_HMAC_SHA1_32", 30 },
  { DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_80, "AES_256_CM_HMAC_SHA1_80", 46 },
  { DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_32, "AES_256_CM_HMAC_SHA1_32", 46 },
};

/* RFC 3551 static payload types: the SPA ignores the names peers give
 * static types, so these win over a=rtpmap. */
static const struct {
  guint pt;
  const char *encoding;
  guint clock_rate;
} static_payloads[] = {
  { 0, "PCMU", 8000 },
  { 3, "GSM", 8000 },
  { 4, "G723", 8000 },
  { 8, "PCMA", 8000 },
  { 9, "G722", 8000 },
  { 13, "CN", 8000 },
  { 18, "G729", 8000 },
};

const char *
dp_srtp_suite_to_string (DpSrtpSuite suite)
{
  for (gsize i = 0; i < G_N_ELEMENTS (srtp_suites); i++)
    if (srtp_suites[i].suite == suite)
      return srtp_suites[i].name;
  return NULL;
}

DpSrtpSuite
dp_srtp_suite_from_string (const char *name)
{
  for (gsize i = 0; name != NULL && i < G_N_ELEMENTS (srtp_suites); i++)
    if (strcmp (srtp_suites[i].name, name) == 0)
      return srtp_suites[i].suite;
  return DP_SRTP_SUITE_UNKNOWN;
}

gsize
dp_srtp_suite_key_length (DpSrtpSuite suite)
{
  for (gsize i = 0; i < G_N_ELEMENTS (srtp_suites); i++)
    if (srtp_suites[i].suite == suite)
      return srtp_suites[i].key_length;
  return 0;
}

/* Decimal digits only, no sign, no overflow past @max. */
static gboolean
parse_decimal (const char *s, gsize len, guint64 max, guint64 *out)
{
  guint64 value = 0;

  if (len == 0 || len > 20)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      if (value > (max - (guint64) (s[i] - '0')) / 10)
        return FALSE;
      value = value * 10 + (guint64) (s[i] - '0');
    }
  *out = value;
  return TRUE;
}

static gboolean
parse_decimal_str (const char *s, guint64 max, guint64 *out)
{
  return parse_decimal (s, strlen (s), max, out);
}

/* --- SDES ------------------------------------------------------------ */

static void
sdes_key_free (gpointer data)
{
  DpSdesKey *key = data;

  g_bytes_unref (key->key_salt);
  g_free (key->lifetime);
  g_free (key);
}

void
dp_sdes_crypto_free (DpSdesCrypto *crypto)
{
  if (crypto == NULL)
    return;
  g_free (crypto->suite_name);
  g_clear_pointer (&crypto->keys, g_ptr_array_unref);
  g_free (crypto->session_params);
  g_free (crypto);
}

static gboolean
is_base64_char (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

/* Strict base64, '=' padding optional (some peers leave it off). */
static GBytes *
decode_base64 (const char *text, gsize len)
{
  gsize data_len = len;
  g_autofree char *padded = NULL;
  guchar *decoded;
  gsize decoded_len;

  while (data_len > 0 && text[data_len - 1] == '=')
    data_len--;
  if (len - data_len > 2 || data_len == 0 || data_len % 4 == 1)
    return NULL;
  for (gsize i = 0; i < data_len; i++)
    if (!is_base64_char (text[i]))
      return NULL;
  if (len != data_len && len % 4 != 0)
    return NULL;

  padded = g_malloc (data_len + 4);
  memcpy (padded, text, data_len);
  while (data_len % 4 != 0)
    padded[data_len++] = '=';
  padded[data_len] = '\0';
  decoded = g_base64_decode (padded, &decoded_len);
  return g_bytes_new_take (decoded, decoded_len);
}

static gboolean
parse_lifetime (const char *s, gsize len)
{
  guint64 value;

  if (len > 2 && s[0] == '2' && s[1] == '^')
    return parse_decimal (s + 2, len - 2, SRTP_MAX_LIFETIME_EXP, &value);
  return parse_decimal (s, len, G_GUINT64_CONSTANT (1) << SRTP_MAX_LIFETIME_EXP, &value) &&
         value > 0;
}

static DpSdesKey *
parse_key_param (const char *param, gsize len, GError **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  DpSdesKey *key;
  const char *start = param;

  if (len < 7 || strncmp (param, "inline:", 7) != 0)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                   "key parameter '%.*s' does not start with 'inline:'", (int) MIN (len, 40), param);
      return NULL;
    }
  start += 7;
  len -= 7;
  for (gsize i = 0, begin = 0; i <= len; i++)
    if (i == len || start[i] == '|')
      {
        g_ptr_array_add (fields, g_strndup (start + begin, i - begin));
        begin = i + 1;
      }
  if (fields->len > 3)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                   "key parameter has %u '|' fields (at most 3)", fields->len);
      return NULL;
    }

  key = g_new0 (DpSdesKey, 1);
  key->key_salt = decode_base64 (fields->pdata[0], strlen (fields->pdata[0]));
  if (key->key_salt == NULL)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                   "key '%s' is not valid base64", (char *) fields->pdata[0]);
      sdes_key_free (key);
      return NULL;
    }
  for (guint i = 1; i < fields->len; i++)
    {
      const char *field = fields->pdata[i];
      const char *colon = strchr (field, ':');

      if (colon != NULL)
        {
          guint64 mki, mki_length;

          /* The MKI is the last field; a second one or one before the
           * lifetime is out of order. */
          if (key->has_mki || i != fields->len - 1 ||
              !parse_decimal (field, (gsize) (colon - field), G_MAXUINT32, &mki) ||
              !parse_decimal_str (colon + 1, 128, &mki_length) || mki_length == 0)
            {
              g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                           "bad MKI '%s' (want value:length, length 1-128)", field);
              sdes_key_free (key);
              return NULL;
            }
          key->has_mki = TRUE;
          key->mki = (guint32) mki;
          key->mki_length = (guint) mki_length;
        }
      else
        {
          if (key->lifetime != NULL || i != 1 || !parse_lifetime (field, strlen (field)))
            {
              g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                           "bad lifetime '%s' (want 2^n or a number, at most 2^48)", field);
              sdes_key_free (key);
              return NULL;
            }
          key->lifetime = g_strdup (field);
        }
    }
  return key;
}

static gboolean
is_token (const char *s, gsize len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (s[i]) && s[i] != '_')
      return FALSE;
  return TRUE;
}

DpSdesCrypto *
dp_sdes_crypto_parse_value (const char *value, GError **error)
{
  g_autoptr(DpSdesCrypto) crypto = g_new0 (DpSdesCrypto, 1);
  g_autoptr(GPtrArray) tokens = g_ptr_array_new ();
  g_autoptr(GString) session = NULL;
  g_autofree char *copy = g_strdup (value);
  char *p = copy;
  guint64 tag;
  const char *keys;

  g_return_val_if_fail (value != NULL, NULL);

  /* Fields are separated by runs of spaces; the value must not start with
   * one (that is an empty tag). */
  while (*p != '\0')
    {
      char *begin = p;

      while (*p != '\0' && *p != ' ')
        p++;
      if (p == begin)
        {
          if (tokens->len == 0)
            break;
        }
      else
        g_ptr_array_add (tokens, begin);
      while (*p == ' ')
        *p++ = '\0';
    }
  if (tokens->len == 0 || tokens->pdata[0] != copy)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                           "a=crypto: missing tag at column 1");
      return NULL;
    }
  if (strlen (tokens->pdata[0]) > 9 || !parse_decimal_str (tokens->pdata[0], 999999999, &tag))
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                   "a=crypto: tag '%s' is not 1-9 digits", (char *) tokens->pdata[0]);
      return NULL;
    }
  crypto->tag = (guint) tag;
  if (tokens->len < 2 || !is_token (tokens->pdata[1], strlen (tokens->pdata[1])))
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                   "a=crypto:%u: missing or invalid crypto-suite", crypto->tag);
      return NULL;
    }
  crypto->suite_name = g_strdup (tokens->pdata[1]);
  crypto->suite = dp_srtp_suite_from_string (crypto->suite_name);
  if (tokens->len < 3)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                   "a=crypto:%u: missing key parameters", crypto->tag);
      return NULL;
    }

  crypto->keys = g_ptr_array_new_with_free_func (sdes_key_free);
  keys = tokens->pdata[2];
  for (const char *k = keys; ; )
    {
      const char *end = strchr (k, ';');
      gsize len = end != NULL ? (gsize) (end - k) : strlen (k);
      g_autoptr(GError) local_error = NULL;
      DpSdesKey *key = parse_key_param (k, len, &local_error);

      if (key == NULL)
        {
          g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                       "a=crypto:%u: %s", crypto->tag, local_error->message);
          return NULL;
        }
      g_ptr_array_add (crypto->keys, key);
      if (crypto->suite != DP_SRTP_SUITE_UNKNOWN &&
          g_bytes_get_size (key->key_salt) != dp_srtp_suite_key_length (crypto->suite))
        {
          g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                       "a=crypto:%u: %s needs a %" G_GSIZE_FORMAT "-byte key||salt, got %"
                       G_GSIZE_FORMAT, crypto->tag, crypto->suite_name,
                       dp_srtp_suite_key_length (crypto->suite),
                       g_bytes_get_size (key->key_salt));
          return NULL;
        }
      if (end == NULL)
        break;
      k = end + 1;
    }

  for (guint i = 3; i < tokens->len; i++)
    {
      const char *param = tokens->pdata[i];

      for (const char *c = param; *c != '\0'; c++)
        if (*c < 0x21 || *c > 0x7e)
          {
            g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                         "a=crypto:%u: session parameter contains byte 0x%02x",
                         crypto->tag, (guchar) *c);
            return NULL;
          }
      if (session == NULL)
        session = g_string_new (param);
      else
        g_string_append_printf (session, " %s", param);
    }
  if (session != NULL)
    crypto->session_params = g_string_free (g_steal_pointer (&session), FALSE);

  return g_steal_pointer (&crypto);
}

DpSdesCrypto *
dp_sdes_crypto_parse (const char *line, GError **error)
{
  g_return_val_if_fail (line != NULL, NULL);

  if (!g_str_has_prefix (line, "a=crypto:"))
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                           "not an a=crypto line (column 1)");
      return NULL;
    }
  return dp_sdes_crypto_parse_value (line + strlen ("a=crypto:"), error);
}

char *
dp_sdes_crypto_to_string (const DpSdesCrypto *crypto)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "a=crypto:%u %s ", crypto->tag, crypto->suite_name);
  for (guint i = 0; i < crypto->keys->len; i++)
    {
      const DpSdesKey *key = crypto->keys->pdata[i];
      gsize size;
      const guchar *data = g_bytes_get_data (key->key_salt, &size);
      g_autofree char *b64 = g_base64_encode (data, size);

      g_string_append_printf (out, "%sinline:%s", i > 0 ? ";" : "", b64);
      if (key->lifetime != NULL)
        g_string_append_printf (out, "|%s", key->lifetime);
      if (key->has_mki)
        g_string_append_printf (out, "|%u:%u", key->mki, key->mki_length);
    }
  if (crypto->session_params != NULL)
    g_string_append_printf (out, " %s", crypto->session_params);
  return g_string_free (out, FALSE);
}

DpSdesCrypto *
dp_sdes_crypto_new_local (guint tag, DpSrtpSuite suite, GError **error)
{
  gsize len = dp_srtp_suite_key_length (suite);
  DpSdesCrypto *crypto;
  DpSdesKey *key;
  guchar *material;
  int ret;

  g_return_val_if_fail (len > 0, NULL);

  material = g_malloc (len);
  /* GNUTLS_RND_KEY: the generator meant for long-term secrets. */
  ret = gnutls_rnd (GNUTLS_RND_KEY, material, len);
  if (ret < 0)
    {
      g_free (material);
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED,
                   "gnutls_rnd failed: %s", gnutls_strerror (ret));
      return NULL;
    }
  key = g_new0 (DpSdesKey, 1);
  key->key_salt = g_bytes_new_take (material, len);
  crypto = g_new0 (DpSdesCrypto, 1);
  crypto->tag = tag;
  crypto->suite = suite;
  crypto->suite_name = g_strdup (dp_srtp_suite_to_string (suite));
  crypto->keys = g_ptr_array_new_with_free_func (sdes_key_free);
  g_ptr_array_add (crypto->keys, key);
  return crypto;
}

/* --- SDP ------------------------------------------------------------- */

DpSdpFormat *
dp_sdp_format_new (guint pt, const char *encoding, guint clock_rate, guint channels,
                   const char *fmtp)
{
  DpSdpFormat *format = g_new0 (DpSdpFormat, 1);

  format->pt = pt;
  format->encoding = g_strdup (encoding);
  format->clock_rate = clock_rate;
  format->channels = channels;
  format->fmtp = g_strdup (fmtp);
  return format;
}

void
dp_sdp_format_free (DpSdpFormat *format)
{
  if (format == NULL)
    return;
  g_free (format->encoding);
  g_free (format->fmtp);
  g_free (format);
}

static void
sdp_media_free (gpointer data)
{
  DpSdpMedia *media = data;

  g_free (media->media);
  g_free (media->proto);
  g_free (media->fmt_list);
  g_free (media->address);
  g_clear_pointer (&media->formats, g_ptr_array_unref);
  g_clear_pointer (&media->cryptos, g_ptr_array_unref);
  g_free (media);
}

void
dp_sdp_session_free (DpSdpSession *session)
{
  if (session == NULL)
    return;
  g_free (session->origin);
  g_clear_pointer (&session->media, g_ptr_array_unref);
  g_free (session);
}

gboolean
dp_sdp_parse_rtpmap (const char *value, DpSdpFormat *format, GError **error)
{
  const char *space = strchr (value, ' ');
  g_auto(GStrv) parts = NULL;
  guint64 pt, rate, channels = 0;
  guint n;

  if (space == NULL || !parse_decimal (value, (gsize) (space - value), 127, &pt))
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                   "a=rtpmap: payload type is not a number 0-127 in '%s'", value);
      return FALSE;
    }
  parts = g_strsplit (space + 1, "/", -1);
  n = g_strv_length (parts);
  if (n < 2 || n > 3 || parts[0][0] == '\0' || strchr (parts[0], ' ') != NULL)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                   "a=rtpmap: want '<pt> <encoding>/<clock rate>[/<channels>]' in '%s'", value);
      return FALSE;
    }
  if (!parse_decimal_str (parts[1], G_MAXUINT32, &rate) || rate == 0)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                   "a=rtpmap: clock rate '%s' is not a number 1-4294967295", parts[1]);
      return FALSE;
    }
  if (n == 3 && (!parse_decimal_str (parts[2], 255, &channels) || channels == 0))
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                   "a=rtpmap: channel count '%s' is not a number 1-255", parts[2]);
      return FALSE;
    }
  format->pt = (guint) pt;
  g_free (format->encoding);
  format->encoding = g_strdup (parts[0]);
  format->clock_rate = (guint) rate;
  format->channels = (guint) channels;
  return TRUE;
}

gboolean
dp_sdp_parse_rtcp (const char *value, guint *port, GError **error)
{
  const char *space = strchr (value, ' ');
  gsize len = space != NULL ? (gsize) (space - value) : strlen (value);
  guint64 number;

  if (!parse_decimal (value, len, 65535, &number))
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                   "a=rtcp: port '%.*s' is not a number 0-65535", (int) MIN (len, 24), value);
      return FALSE;
    }
  *port = (guint) number;
  return TRUE;
}

gboolean
dp_sdp_parse_ssrc (const char *value, guint32 *ssrc, GError **error)
{
  const char *space = strchr (value, ' ');
  gsize len = space != NULL ? (gsize) (space - value) : strlen (value);
  guint64 number;

  if (!parse_decimal (value, len, G_MAXUINT32, &number))
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                   "a=ssrc: '%.*s' is not a number 0-4294967295", (int) MIN (len, 24), value);
      return FALSE;
    }
  *ssrc = (guint32) number;
  return TRUE;
}

static gboolean
parse_connection (const char *value, char **address, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (value, " ", -1);
  char *slash;

  if (g_strv_length (parts) != 3 || strcmp (parts[0], "IN") != 0 ||
      (strcmp (parts[1], "IP4") != 0 && strcmp (parts[1], "IP6") != 0) || parts[2][0] == '\0')
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                           "want 'c=IN IP4|IP6 <address>'");
      return FALSE;
    }
  /* Multicast TTL / count suffixes are not used on a phone. */
  slash = strchr (parts[2], '/');
  if (slash != NULL)
    *slash = '\0';
  for (const char *c = parts[2]; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '.' && *c != ':' && *c != '-')
      {
        g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                     "address contains '%c'", *c);
        return FALSE;
      }
  /* A host name would be resolved by udpsink when the pipeline is built,
   * synchronously on the main loop: PROTOS c07-sip sdp-connection-ip
   * (c=IN IP4 aaaa...) stalled the phone for the resolver's 5 s timeout
   * per call, and sent DNS queries for whatever a caller wrote. Only
   * addresses are taken, as SPA phones do. */
  if (!g_hostname_is_ip_address (parts[2]))
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                   "'%.40s' is not an IP address (host names are not resolved)", parts[2]);
      return FALSE;
    }
  g_free (*address);
  *address = g_strdup (parts[2]);
  return TRUE;
}

static gboolean
parse_direction (const char *attr, DpMediaDirection *direction)
{
  static const struct { const char *name; DpMediaDirection direction; } names[] = {
    { "sendrecv", DP_MEDIA_SENDRECV }, { "sendonly", DP_MEDIA_SENDONLY },
    { "recvonly", DP_MEDIA_RECVONLY }, { "inactive", DP_MEDIA_INACTIVE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (attr, names[i].name) == 0)
      {
        *direction = names[i].direction;
        return TRUE;
      }
  return FALSE;
}

typedef struct {
  DpSdpMedia *media;
  GPtrArray *rtpmaps;   /* DpSdpFormat* from a=rtpmap */
  GHashTable *fmtps;    /* pt -> params */
  gboolean has_direction;
  guint line;
} MediaBuilder;

static gboolean
parse_media_line (const char *value, DpSdpMedia *media, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (value, " ", -1);
  guint n = g_strv_length (parts);
  char *slash;
  guint64 port;

  if (n < 4 || parts[0][0] == '\0' || parts[2][0] == '\0')
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                           "want 'm=<media> <port> <proto> <fmt> ...'");
      return FALSE;
    }
  slash = strchr (parts[1], '/');
  if (slash != NULL)
    *slash = '\0';
  if (!parse_decimal_str (parts[1], 65535, &port))
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                   "port '%s' is not a number 0-65535", parts[1]);
      return FALSE;
    }
  media->media = g_strdup (parts[0]);
  media->port = (guint) port;
  media->proto = g_strdup (parts[2]);
  media->fmt_list = g_strjoinv (" ", parts + 3);
  media->formats = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_sdp_format_free);
  media->cryptos = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_sdes_crypto_free);

  if (strstr (media->proto, "RTP") == NULL)
    return TRUE;
  for (guint i = 3; i < n; i++)
    {
      guint64 pt;

      if (!parse_decimal_str (parts[i], 127, &pt))
        {
          g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                       "RTP format '%s' is not a payload type 0-127", parts[i]);
          return FALSE;
        }
      g_ptr_array_add (media->formats, dp_sdp_format_new ((guint) pt, NULL, 0, 0, NULL));
    }
  return TRUE;
}

static void
finish_media (MediaBuilder *b, const char *session_address, DpMediaDirection session_direction)
{
  DpSdpMedia *media = b->media;

  if (media->address == NULL)
    media->address = g_strdup (session_address);
  if (!b->has_direction)
    media->direction = session_direction;

  for (guint i = 0; i < media->formats->len; i++)
    {
      DpSdpFormat *format = media->formats->pdata[i];
      gboolean is_static = FALSE;

      for (gsize s = 0; s < G_N_ELEMENTS (static_payloads); s++)
        if (static_payloads[s].pt == format->pt)
          {
            format->encoding = g_strdup (static_payloads[s].encoding);
            format->clock_rate = static_payloads[s].clock_rate;
            is_static = TRUE;
          }
      /* Last a=rtpmap for a payload type wins. */
      for (guint r = 0; !is_static && r < b->rtpmaps->len; r++)
        {
          DpSdpFormat *map = b->rtpmaps->pdata[r];

          if (map->pt == format->pt)
            {
              g_free (format->encoding);
              format->encoding = g_strdup (map->encoding);
              format->clock_rate = map->clock_rate;
              format->channels = map->channels;
            }
        }
      format->fmtp = g_strdup (g_hash_table_lookup (b->fmtps, GUINT_TO_POINTER (format->pt)));
    }
  g_ptr_array_set_size (b->rtpmaps, 0);
  g_hash_table_remove_all (b->fmtps);
  b->media = NULL;
  b->has_direction = FALSE;
}

static gboolean
parse_media_attribute (MediaBuilder *b, const char *name, const char *value, GError **error)
{
  DpSdpMedia *media = b->media;

  if (strcmp (name, "rtpmap") == 0)
    {
      DpSdpFormat *format = dp_sdp_format_new (0, NULL, 0, 0, NULL);

      if (value == NULL || !dp_sdp_parse_rtpmap (value, format, error))
        {
          if (value == NULL)
            g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP, "a=rtpmap needs a value");
          dp_sdp_format_free (format);
          return FALSE;
        }
      g_ptr_array_add (b->rtpmaps, format);
    }
  else if (strcmp (name, "fmtp") == 0)
    {
      const char *space = value != NULL ? strchr (value, ' ') : NULL;
      guint64 pt;

      if (space == NULL || !parse_decimal (value, (gsize) (space - value), 127, &pt))
        {
          g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                               "want 'a=fmtp:<pt> <parameters>'");
          return FALSE;
        }
      g_hash_table_replace (b->fmtps, GUINT_TO_POINTER ((guint) pt), g_strdup (space + 1));
    }
  else if (strcmp (name, "ptime") == 0)
    {
      const char *dot = value != NULL ? strchr (value, '.') : NULL;
      guint64 ptime;

      if (value == NULL ||
          !parse_decimal (value, dot != NULL ? (gsize) (dot - value) : strlen (value), 1000, &ptime))
        {
          g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                               "a=ptime is not a number of milliseconds");
          return FALSE;
        }
      media->ptime = (guint) ptime;
    }
  else if (strcmp (name, "rtcp") == 0)
    {
      if (value == NULL)
        {
          g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP, "a=rtcp needs a port");
          return FALSE;
        }
      return dp_sdp_parse_rtcp (value, &media->rtcp_port, error);
    }
  else if (strcmp (name, "rtcp-mux") == 0)
    media->rtcp_mux = TRUE;
  else if (strcmp (name, "ssrc") == 0)
    {
      guint32 ssrc;

      if (value == NULL)
        {
          g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP, "a=ssrc needs a value");
          return FALSE;
        }
      return dp_sdp_parse_ssrc (value, &ssrc, error);
    }
  else if (strcmp (name, "crypto") == 0)
    {
      DpSdesCrypto *crypto = dp_sdes_crypto_parse_value (value != NULL ? value : "", error);

      if (crypto == NULL)
        return FALSE;
      g_ptr_array_add (media->cryptos, crypto);
    }
  else if (value == NULL && parse_direction (name, &media->direction))
    b->has_direction = TRUE;
  return TRUE;
}

DpSdpSession *
dp_sdp_parse (const char *text, gssize length, GError **error)
{
  g_autoptr(DpSdpSession) session = g_new0 (DpSdpSession, 1);
  g_autofree char *session_address = NULL;
  DpMediaDirection session_direction = DP_MEDIA_SENDRECV;
  MediaBuilder b = { 0 };
  gsize len, pos = 0;
  guint line_no = 0;
  gboolean seen_version = FALSE;
  gboolean ok = TRUE;

  g_return_val_if_fail (text != NULL, NULL);

  len = length < 0 ? strlen (text) : (gsize) length;
  session->media = g_ptr_array_new_with_free_func (sdp_media_free);
  b.rtpmaps = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_sdp_format_free);
  b.fmtps = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  while (ok && pos < len)
    {
      const char *line = text + pos;
      const char *nl = memchr (line, '\n', len - pos);
      gsize line_len = nl != NULL ? (gsize) (nl - line) : len - pos;
      g_autofree char *copy = NULL;
      g_autoptr(GError) local_error = NULL;
      char type;
      char *value;

      pos += line_len + (nl != NULL ? 1 : 0);
      line_no++;
      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;
      if (line_len == 0)
        {
          /* Blank lines are only tolerated at the very end. */
          gboolean rest_blank = TRUE;

          for (gsize i = pos; i < len; i++)
            if (text[i] != '\r' && text[i] != '\n')
              rest_blank = FALSE;
          if (rest_blank)
            break;
          g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                       "SDP line %u: empty line", line_no);
          ok = FALSE;
          break;
        }
      copy = g_strndup (line, line_len);
      if (strlen (copy) != line_len || !g_utf8_validate (copy, -1, NULL) ||
          line_len < 2 || copy[1] != '=' || !g_ascii_islower (copy[0]))
        {
          g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                       "SDP line %u: not '<letter>=<value>' (or contains NUL/invalid UTF-8): '%.*s'",
                       line_no, MAX_LINE_IN_MESSAGE, g_utf8_validate (copy, -1, NULL) ? copy : "");
          ok = FALSE;
          break;
        }
      type = copy[0];
      value = copy + 2;

      if (!seen_version)
        {
          if (type != 'v' || strcmp (value, "0") != 0)
            {
              g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                           "SDP line %u: the first line must be 'v=0', got '%.*s'",
                           line_no, MAX_LINE_IN_MESSAGE, copy);
              ok = FALSE;
              break;
            }
          seen_version = TRUE;
          continue;
        }

      switch (type)
        {
        case 'v':
          g_set_error_literal (&local_error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP, "second v= line");
          break;
        case 'o':
          if (session->origin != NULL || b.media != NULL)
            g_set_error_literal (&local_error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                                 "o= repeated or inside a media section");
          else
            session->origin = g_strdup (value);
          break;
        case 'm':
          if (session->origin == NULL)
            {
              g_set_error_literal (&local_error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                                   "m= before the o= line");
              break;
            }
          if (b.media != NULL)
            finish_media (&b, session_address, session_direction);
          b.media = g_new0 (DpSdpMedia, 1);
          b.line = line_no;
          g_ptr_array_add (session->media, b.media);
          parse_media_line (value, b.media, &local_error);
          break;
        case 'c':
          parse_connection (value, b.media != NULL ? &b.media->address : &session_address,
                            &local_error);
          break;
        case 'a':
          {
            char *colon = strchr (value, ':');

            if (colon != NULL)
              *colon = '\0';
            if (b.media != NULL)
              parse_media_attribute (&b, value, colon != NULL ? colon + 1 : NULL, &local_error);
            else if (colon == NULL)
              parse_direction (value, &session_direction);
          }
          break;
        default:
          /* s= i= u= e= p= b= t= r= z= k= carry nothing the media needs. */
          break;
        }
      if (local_error != NULL)
        {
          g_autofree char *raw = g_strndup (line, MIN (line_len, MAX_LINE_IN_MESSAGE));

          g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP, "SDP line %u ('%s'): %s",
                       line_no, raw, local_error->message);
          ok = FALSE;
        }
    }

  if (ok && b.media != NULL)
    finish_media (&b, session_address, session_direction);
  g_ptr_array_unref (b.rtpmaps);
  g_hash_table_unref (b.fmtps);
  if (!ok)
    return NULL;

  if (!seen_version || session->origin == NULL)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                   "SDP line %u: the body ends before %s", line_no + 1,
                   seen_version ? "an o= line" : "the v=0 line");
      return NULL;
    }
  for (guint i = 0; i < session->media->len; i++)
    {
      DpSdpMedia *media = session->media->pdata[i];

      if (media->port != 0 && media->address == NULL)
        {
          g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP,
                       "SDP m= section %u (m=%s %u ...) has no c= line at media or session level",
                       i + 1, media->media, media->port);
          return NULL;
        }
    }
  return g_steal_pointer (&session);
}

const DpSdpMedia *
dp_sdp_session_find_audio (const DpSdpSession *session, guint *index)
{
  for (guint i = 0; i < session->media->len; i++)
    {
      const DpSdpMedia *media = session->media->pdata[i];

      if (strcmp (media->media, "audio") == 0 && strstr (media->proto, "RTP/") != NULL)
        {
          if (index != NULL)
            *index = i;
          return media;
        }
    }
  return NULL;
}

const DpSdpFormat *
dp_sdp_media_find_format (const DpSdpMedia *media, guint pt)
{
  for (guint i = 0; i < media->formats->len; i++)
    {
      const DpSdpFormat *format = media->formats->pdata[i];

      if (format->pt == pt)
        return format;
    }
  return NULL;
}

gboolean
dp_sdp_media_is_hold (const DpSdpMedia *media)
{
  return media->direction == DP_MEDIA_SENDONLY || media->direction == DP_MEDIA_INACTIVE ||
         g_strcmp0 (media->address, "0.0.0.0") == 0;
}

gboolean
dp_sdp_media_is_secure_proto (const DpSdpMedia *media)
{
  return strstr (media->proto, "SAVP") != NULL;
}

const char *
dp_media_direction_to_string (DpMediaDirection direction)
{
  switch (direction)
    {
    case DP_MEDIA_SENDONLY: return "sendonly";
    case DP_MEDIA_RECVONLY: return "recvonly";
    case DP_MEDIA_INACTIVE: return "inactive";
    case DP_MEDIA_SENDRECV:
    default: return "sendrecv";
    }
}

gboolean
dp_media_direction_sends (DpMediaDirection direction)
{
  return direction == DP_MEDIA_SENDRECV || direction == DP_MEDIA_SENDONLY;
}

gboolean
dp_media_direction_receives (DpMediaDirection direction)
{
  return direction == DP_MEDIA_SENDRECV || direction == DP_MEDIA_RECVONLY;
}

static DpMediaDirection
direction_from_flags (gboolean sends, gboolean receives)
{
  if (sends && receives)
    return DP_MEDIA_SENDRECV;
  if (sends)
    return DP_MEDIA_SENDONLY;
  if (receives)
    return DP_MEDIA_RECVONLY;
  return DP_MEDIA_INACTIVE;
}

DpMediaDirection
dp_media_direction_reverse (DpMediaDirection direction)
{
  return direction_from_flags (dp_media_direction_receives (direction),
                               dp_media_direction_sends (direction));
}

DpMediaDirection
dp_media_direction_intersect (DpMediaDirection a, DpMediaDirection b)
{
  return direction_from_flags (dp_media_direction_sends (a) && dp_media_direction_sends (b),
                               dp_media_direction_receives (a) && dp_media_direction_receives (b));
}

char *
dp_sdp_build (const DpSdpBuild *params)
{
  GString *out = g_string_new (NULL);
  const char *ip = strchr (params->address, ':') != NULL ? "IP6" : "IP4";

  g_string_append_printf (out, "v=0\r\no=- %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " IN %s %s\r\n"
                          "s=-\r\nc=IN %s %s\r\nt=0 0\r\n",
                          params->session_id, params->version, ip, params->address,
                          ip, params->address);

  for (guint i = 0; params->offer != NULL && i < params->audio_index; i++)
    {
      const DpSdpMedia *media = params->offer->media->pdata[i];
      g_string_append_printf (out, "m=%s 0 %s %s\r\n", media->media, media->proto, media->fmt_list);
    }

  g_string_append_printf (out, "m=audio %u %s", params->port, params->proto);
  for (guint i = 0; i < params->formats->len; i++)
    g_string_append_printf (out, " %u", ((DpSdpFormat *) params->formats->pdata[i])->pt);
  g_string_append (out, "\r\n");
  for (guint i = 0; i < params->formats->len; i++)
    {
      const DpSdpFormat *format = params->formats->pdata[i];

      g_string_append_printf (out, "a=rtpmap:%u %s/%u", format->pt, format->encoding,
                              format->clock_rate);
      if (format->channels > 0)
        g_string_append_printf (out, "/%u", format->channels);
      g_string_append (out, "\r\n");
      if (format->fmtp != NULL)
        g_string_append_printf (out, "a=fmtp:%u %s\r\n", format->pt, format->fmtp);
    }
  if (params->ptime > 0)
    g_string_append_printf (out, "a=ptime:%u\r\n", params->ptime);
  if (params->rtcp_mux)
    g_string_append (out, "a=rtcp-mux\r\n");
  for (guint i = 0; params->cryptos != NULL && i < params->cryptos->len; i++)
    {
      g_autofree char *line = dp_sdes_crypto_to_string (params->cryptos->pdata[i]);
      g_string_append_printf (out, "%s\r\n", line);
    }
  g_string_append_printf (out, "a=%s\r\n", dp_media_direction_to_string (params->direction));

  for (guint i = params->audio_index + 1; params->offer != NULL && i < params->offer->media->len; i++)
    {
      const DpSdpMedia *media = params->offer->media->pdata[i];
      g_string_append_printf (out, "m=%s 0 %s %s\r\n", media->media, media->proto, media->fmt_list);
    }
  return g_string_free (out, FALSE);
}
