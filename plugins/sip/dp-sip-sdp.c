/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The little SDP the sip plugin reads and writes itself. Sofia's SOA does
 * the offer/answer negotiation; this file builds the phone's capability
 * SDP (the "user SDP" given to SOA) and reads from the peer's SDP what the
 * call state needs: is the peer holding us (a=sendonly / a=inactive, or the
 * RFC 2543 c=0.0.0.0 form) and which codec is first. The parser is a pure
 * function over bytes: it never reads past @length and reports the line and
 * the problem of a malformed body. */
#define G_LOG_DOMAIN "dp-sip"

#include "dp-build-config.h"
#include "dp-sip-sdp.h"
#include <glib/gi18n-lib.h>

#include <gio/gio.h>
#include <string.h>

/* Static RTP payload types the phone offers or may meet (RFC 3551). */
static const struct {
  guint payload;
  const char *name;
  guint clock_rate;
} static_payloads[] = {
  { 0, "PCMU", 8000 },
  { 3, "GSM", 8000 },
  { 4, "G723", 8000 },
  { 8, "PCMA", 8000 },
  { 9, "G722", 8000 },
  { 18, "G729", 8000 },
};

/* SPA Preferred_Codec_n_ choices onto SDP encoding names. */
static const struct {
  const char *preference;
  const char *name;
} preference_names[] = {
  { "G711u", "PCMU" },
  { "G711a", "PCMA" },
  { "G729a", "G729" },
  { "G723", "G723" },
};

void
dp_sip_sdp_info_clear (DpSipSdpInfo *info)
{
  g_clear_pointer (&info->address, g_free);
  g_clear_pointer (&info->codec, g_free);
  memset (info, 0, sizeof *info);
}

/**
 * dp_sip_codec_payload:
 * @name: an encoding name (PCMU, PCMA ...)
 *
 * Returns: its static payload type, or G_MAXUINT when it has none
 */
guint
dp_sip_codec_payload (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (static_payloads); i++)
    if (g_ascii_strcasecmp (static_payloads[i].name, name) == 0)
      return static_payloads[i].payload;
  return G_MAXUINT;
}

/**
 * dp_sip_codec_from_preference:
 * @preferred: a `Preferred_Codec_n_` value
 *
 * Returns: (nullable): the SDP encoding name, or %NULL for a codec the
 *   signalling-only plugin cannot offer (G.726 needs a dynamic payload and a
 *   media engine that has it; the media plugin decides that later)
 */
const char *
dp_sip_codec_from_preference (const char *preferred)
{
  for (gsize i = 0; i < G_N_ELEMENTS (preference_names); i++)
    if (g_strcmp0 (preference_names[i].preference, preferred) == 0)
      return preference_names[i].name;
  return NULL;
}

/**
 * dp_sip_sdp_build_offer:
 * @address: the connection address (IPv4 or IPv6 literal)
 * @port: the RTP port
 * @codecs: (array zero-terminated=1): encoding names with a static payload
 *   type, in preference order; unknown names are skipped
 * @dtmf_payload: payload type of telephone-event (`AVT_Dynamic_Payload`),
 *   0 to leave it out
 * @session_id: o= session id and version
 *
 * Returns: (transfer full): the SDP
 */
char *
dp_sip_sdp_build_offer (const char         *address,
                        guint               port,
                        const char * const *codecs,
                        guint               dtmf_payload,
                        guint64             session_id)
{
  GString *sdp = g_string_new (NULL);
  GString *formats = g_string_new (NULL);
  GString *rtpmaps = g_string_new (NULL);
  const char *family = strchr (address, ':') != NULL ? "IP6" : "IP4";

  for (gsize i = 0; codecs != NULL && codecs[i] != NULL; i++)
    {
      guint payload = dp_sip_codec_payload (codecs[i]);

      if (payload == G_MAXUINT)
        continue;
      g_string_append_printf (formats, " %u", payload);
      for (gsize j = 0; j < G_N_ELEMENTS (static_payloads); j++)
        if (static_payloads[j].payload == payload)
          g_string_append_printf (rtpmaps, "a=rtpmap:%u %s/%u\r\n", payload,
                                  static_payloads[j].name, static_payloads[j].clock_rate);
    }
  if (dtmf_payload >= 96 && dtmf_payload <= 127)
    {
      g_string_append_printf (formats, " %u", dtmf_payload);
      g_string_append_printf (rtpmaps, "a=rtpmap:%u telephone-event/8000\r\n"
                              "a=fmtp:%u 0-15\r\n", dtmf_payload, dtmf_payload);
    }

  g_string_append_printf (sdp,
                          "v=0\r\n"
                          "o=deskphone %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " IN %s %s\r\n"
                          "s=deskphone\r\n"
                          "c=IN %s %s\r\n"
                          "t=0 0\r\n"
                          "m=audio %u RTP/AVP%s\r\n"
                          "%s"
                          "a=sendrecv\r\n",
                          session_id, session_id, family, address, family, address,
                          port, formats->str, rtpmaps->str);
  g_string_free (formats, TRUE);
  g_string_free (rtpmaps, TRUE);
  return g_string_free (sdp, FALSE);
}

static gboolean
parse_uint (const char *text, gsize len, guint max, guint *out)
{
  guint64 value = 0;

  if (len == 0 || len > 10)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (guint) (text[i] - '0');
    }
  if (value > max)
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

static gboolean
direction_from_attribute (const char *attr, gsize len, DpSipMediaDirection *direction)
{
  static const struct { const char *name; DpSipMediaDirection direction; } names[] = {
    { "sendrecv", DP_SIP_MEDIA_SENDRECV },
    { "sendonly", DP_SIP_MEDIA_SENDONLY },
    { "recvonly", DP_SIP_MEDIA_RECVONLY },
    { "inactive", DP_SIP_MEDIA_INACTIVE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (len == strlen (names[i].name) && memcmp (attr, names[i].name, len) == 0)
      {
        *direction = names[i].direction;
        return TRUE;
      }
  return FALSE;
}

/* c=IN IP4 addr[/ttl] -> addr */
static char *
parse_connection (const char *value, gsize len)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *copy = g_strndup (value, len);
  char *slash;

  parts = g_strsplit (copy, " ", -1);
  if (g_strv_length (parts) != 3 || strcmp (parts[0], "IN") != 0 ||
      (strcmp (parts[1], "IP4") != 0 && strcmp (parts[1], "IP6") != 0) || *parts[2] == '\0')
    return NULL;
  slash = strchr (parts[2], '/');
  if (slash != NULL)
    *slash = '\0';
  return g_strdup (parts[2]);
}

/**
 * dp_sip_sdp_parse:
 * @sdp: the body (not necessarily NUL-terminated)
 * @length: its length
 * @info: (out caller-allocates): filled on success; clear it with
 *   dp_sip_sdp_info_clear()
 * @error: return location for a #GError
 *
 * Reads the first `m=audio` stream. Lines may end in CRLF or LF. A body
 * without `v=0` first, with a line that is not `x=...`, with a bad m= line
 * or with no audio stream is rejected; the message names the line.
 *
 * Returns: %TRUE on success
 */
gboolean
dp_sip_sdp_parse (const char *sdp, gsize length, DpSipSdpInfo *info, GError **error)
{
  DpSipMediaDirection session_direction = DP_SIP_MEDIA_SENDRECV;
  gboolean session_direction_set = FALSE;
  gboolean media_direction_set = FALSE;
  g_autofree char *session_address = NULL;
  g_autofree char *media_address = NULL;
  g_autoptr(GArray) formats = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) rtpmaps = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                                         NULL, g_free);
  enum { BEFORE_MEDIA, IN_AUDIO, IN_OTHER, AFTER_AUDIO } where = BEFORE_MEDIA;
  gsize pos = 0;
  guint line_no = 0;
  gboolean have_audio = FALSE;

  g_return_val_if_fail (sdp != NULL || length == 0, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  memset (info, 0, sizeof *info);
  while (pos < length)
    {
      const char *line = sdp + pos;
      const char *nl = memchr (line, '\n', length - pos);
      gsize len = nl ? (gsize) (nl - line) : length - pos;
      const char *value;
      gsize value_len;

      pos += len + (nl ? 1 : 0);
      line_no++;
      if (len > 0 && line[len - 1] == '\r')
        len--;
      if (len == 0)
        continue;   /* tolerated: some peers end the body with a blank line */
      if (len < 2 || line[1] != '=' || !g_ascii_islower (line[0]))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("SDP line %u: not of the form x=value"), line_no);
          return FALSE;
        }
      if (memchr (line, '\0', len) != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("SDP line %u: NUL byte"), line_no);
          return FALSE;
        }
      if (line_no == 1 && (line[0] != 'v' || len != 3 || line[2] != '0'))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("SDP line 1: expected v=0"));
          return FALSE;
        }
      value = line + 2;
      value_len = len - 2;

      switch (line[0])
        {
        case 'm':
          {
            g_auto(GStrv) fields = NULL;
            g_autofree char *copy = g_strndup (value, value_len);
            guint port;

            if (where == IN_AUDIO)
              where = AFTER_AUDIO;
            if (where == AFTER_AUDIO)
              break;
            fields = g_strsplit (copy, " ", -1);
            if (g_strv_length (fields) < 4 ||
                !parse_uint (fields[1], strcspn (fields[1], "/"), 65535, &port))
              {
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("SDP line %u: bad m= line (media port proto formats)"), line_no);
                return FALSE;
              }
            if (strcmp (fields[0], "audio") != 0)
              {
                where = IN_OTHER;
                break;
              }
            where = IN_AUDIO;
            have_audio = TRUE;
            info->port = port;
            for (guint i = 3; fields[i] != NULL; i++)
              {
                guint payload;

                if (*fields[i] == '\0')
                  continue;
                if (!parse_uint (fields[i], strlen (fields[i]), 127, &payload))
                  {
                    /* Only RTP/AVP-style numeric formats name codecs. */
                    if (g_str_has_prefix (fields[2], "RTP/"))
                      {
                        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                     _("SDP line %u: payload type '%s' is not 0-127"),
                                     line_no, fields[i]);
                        return FALSE;
                      }
                    continue;
                  }
                g_array_append_val (formats, payload);
              }
            break;
          }
        case 'c':
          {
            char *address = parse_connection (value, value_len);

            if (address == NULL)
              {
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("SDP line %u: bad c= line (expected IN IP4|IP6 address)"), line_no);
                return FALSE;
              }
            if (where == BEFORE_MEDIA)
              g_free (g_steal_pointer (&session_address)), session_address = address;
            else if (where == IN_AUDIO)
              g_free (g_steal_pointer (&media_address)), media_address = address;
            else
              g_free (address);
            break;
          }
        case 'a':
          {
            DpSipMediaDirection direction;

            if (direction_from_attribute (value, value_len, &direction))
              {
                if (where == BEFORE_MEDIA)
                  {
                    session_direction = direction;
                    session_direction_set = TRUE;
                  }
                else if (where == IN_AUDIO)
                  {
                    info->direction = direction;
                    media_direction_set = TRUE;
                  }
              }
            else if (where == IN_AUDIO && value_len > 7 && memcmp (value, "rtpmap:", 7) == 0)
              {
                const char *p = value + 7;
                const char *end = value + value_len;
                const char *space = memchr (p, ' ', (gsize) (end - p));
                guint payload;

                if (space == NULL || !parse_uint (p, (gsize) (space - p), 127, &payload) ||
                    space + 1 >= end)
                  {
                    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 _("SDP line %u: bad rtpmap (expected a=rtpmap:PT name/rate)"),
                                 line_no);
                    return FALSE;
                  }
                g_hash_table_replace (rtpmaps, GUINT_TO_POINTER (payload),
                                      g_strndup (space + 1, (gsize) (end - space - 1)));
              }
            break;
          }
        default:
          break;
        }
    }

  if (line_no == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("SDP body is empty"));
      return FALSE;
    }
  if (!have_audio)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("SDP has no m=audio stream"));
      dp_sip_sdp_info_clear (info);
      return FALSE;
    }
  if (!media_direction_set)
    info->direction = session_direction_set ? session_direction : DP_SIP_MEDIA_SENDRECV;
  info->address = g_strdup (media_address ? media_address : session_address);
  info->null_address = info->address != NULL && strcmp (info->address, "0.0.0.0") == 0;

  for (guint i = 0; i < formats->len && info->codec == NULL; i++)
    {
      guint payload = g_array_index (formats, guint, i);
      const char *map = g_hash_table_lookup (rtpmaps, GUINT_TO_POINTER (payload));

      if (map != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (map, "/", 3);
          guint rate = 0;

          if (g_ascii_strcasecmp (parts[0], "telephone-event") == 0)
            continue;
          if (parts[1] != NULL)
            parse_uint (parts[1], strlen (parts[1]), G_MAXINT, &rate);
          info->codec = g_strdup (parts[0]);
          info->clock_rate = rate;
        }
      else
        for (gsize j = 0; j < G_N_ELEMENTS (static_payloads); j++)
          if (static_payloads[j].payload == payload)
            {
              info->codec = g_strdup (static_payloads[j].name);
              info->clock_rate = static_payloads[j].clock_rate;
            }
    }
  return TRUE;
}

/**
 * dp_sip_sdp_info_is_hold:
 * @info: what a peer's SDP says
 *
 * Returns: %TRUE when the peer has put the call on hold: it will not
 *   receive (a=sendonly, a=inactive), or it gives the RFC 2543 null address
 *   c=0.0.0.0 — recognised whatever `RFC_2543_Call_Hold` says, because
 *   that parameter only selects what the phone itself sends.
 */
gboolean
dp_sip_sdp_info_is_hold (const DpSipSdpInfo *info)
{
  return info->direction == DP_SIP_MEDIA_SENDONLY ||
         info->direction == DP_SIP_MEDIA_INACTIVE ||
         info->null_address;
}
