/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Codec table and negotiation. A table, not if-chains, so adding a codec is
 * one row; rows whose elements are missing from the registry simply drop
 * out of offers.
 */
#define G_LOG_DOMAIN "dp-media"

#include "dp-build-config.h"
#include "dp-media-codec.h"
#include "dp-gst-g726.h"
#include <glib/gi18n-lib.h>

#include <gst/gst.h>
#include <string.h>

/* Opus has no SPA payload parameter; 111 collides with none of the SPA
 * defaults (96-99 G.726/G.729b, 101 AVT, 112/113 encaprtp/loopback). */
#define OPUS_DYNAMIC_PT 111

/* G.726 at @kbits kbit/s, SPA default payload type @pt; the SPA's
 * parameter names follow the rate. */
#define G726_CODEC(kbits, pt) \
  { .name = "G726-" #kbits, .name_param = "G726r" #kbits "_Codec_Name", \
    .encoding = "G726-" #kbits, .static_pt = -1, \
    .dynamic_pt_param = "G726r" #kbits "_Dynamic_Payload", .dynamic_pt = pt, \
    .enable_param = "G726-" #kbits "_Enable_", .bit_order_param = DP_MEDIA_G726_PACKING_PARAM, \
    .clock_rate = 8000, .sample_rate = 8000, \
    .encoder = "dpg726enc", .encoder_props = "bitrate=" #kbits "000", \
    .payloader = "rtpg726pay", .payloader_props = "force-aal2=true", \
    .depayloader = "rtpg726depay", .depayloader_props = "force-aal2=true", \
    .decoder = "dpg726dec" }

static const DpMediaCodec codecs[] = {
  { .name = "G711u", .name_param = "G711u_Codec_Name", .encoding = "PCMU", .static_pt = 0,
    .clock_rate = 8000, .sample_rate = 8000,
    .encoder = "mulawenc", .payloader = "rtppcmupay",
    .depayloader = "rtppcmudepay", .decoder = "mulawdec" },
  { .name = "G711a", .name_param = "G711a_Codec_Name", .encoding = "PCMA", .static_pt = 8,
    .clock_rate = 8000, .sample_rate = 8000,
    .encoder = "alawenc", .payloader = "rtppcmapay",
    .depayloader = "rtppcmadepay", .decoder = "alawdec" },
  /* RFC 3551: G.722 samples at 16 kHz but its RTP clock says 8000. */
  { .name = "G722", .encoding = "G722", .static_pt = 9,
    .clock_rate = 8000, .sample_rate = 16000,
    .encoder = "avenc_g722", .payloader = "rtpg722pay",
    .depayloader = "rtpg722depay", .decoder = "avdec_g722" },
  /* Opus frames are 2.5-60 ms in fixed steps; 30 ms (the SPA default
   * RTP_Packet_Size) is not one of them, so Opus keeps 20 ms. */
  { .name = "Opus", .encoding = "opus", .static_pt = -1, .dynamic_pt = OPUS_DYNAMIC_PT,
    .clock_rate = 48000, .channels = 2, .sample_rate = 48000, .fixed_ptime = 20,
    .fmtp = "useinbandfec=1", .encoder = "opusenc", .encoder_props = "frame-size=20",
    .payloader = "rtpopuspay", .depayloader = "rtpopusdepay", .decoder = "opusdec" },
  /* G.726 in RFC 3551 bit order by our spandsp elements (dp-gst-g726.h);
   * the RTP elements pass the bytes as they are (force-aal2=true: their
   * own reordering is wrong for 3- and 5-bit codes in GStreamer 1.22).
   * G726-32, the rate peers most often have, comes first; then by
   * quality. */
  G726_CODEC (32, 2),
  G726_CODEC (40, 96),
  G726_CODEC (24, 97),
  G726_CODEC (16, 98),
};

const DpMediaCodec *
dp_media_codec_table (gsize *n_codecs)
{
  *n_codecs = G_N_ELEMENTS (codecs);
  return codecs;
}

gboolean
dp_media_codec_aal2_order (const DpMediaCodec *codec, DpConfig *config)
{
  const char *order = config != NULL && codec->bit_order_param != NULL
    ? dp_config_get (config, codec->bit_order_param) : NULL;

  return order != NULL && g_ascii_strcasecmp (order, "AAL2") == 0;
}

#define CODEC_NAME_SUFFIX "_Codec_Name"

/* The SPA spells some codecs two ways: "G726-32" in Preferred_Codec_n_,
 * "G726r32" in parameter names (G726r32_Codec_Name) and the codec
 * selection codes; the name parameter's stem is that second spelling. */
static gboolean
codec_name_equal (const DpMediaCodec *codec, const char *name)
{
  gsize stem;

  if (g_ascii_strcasecmp (codec->name, name) == 0)
    return TRUE;
  if (codec->name_param == NULL || !g_str_has_suffix (codec->name_param, CODEC_NAME_SUFFIX))
    return FALSE;
  stem = strlen (codec->name_param) - strlen (CODEC_NAME_SUFFIX);
  return strlen (name) == stem && g_ascii_strncasecmp (codec->name_param, name, stem) == 0;
}

const DpMediaCodec *
dp_media_codec_lookup (const char *name)
{
  for (gsize i = 0; name != NULL && i < G_N_ELEMENTS (codecs); i++)
    if (codec_name_equal (&codecs[i], name))
      return &codecs[i];
  return NULL;
}

static gboolean
factory_exists (const char *name)
{
  GstElementFactory *factory = gst_element_factory_find (name);

  if (factory == NULL)
    return FALSE;
  gst_object_unref (factory);
  return TRUE;
}

gboolean
dp_media_codec_available (const DpMediaCodec *codec)
{
  if (!gst_is_initialized () && !gst_init_check (NULL, NULL, NULL))
    return FALSE;
  /* Ours, in the registry before anything looks for them. */
  dp_gst_g726_register ();
  return factory_exists (codec->encoder) && factory_exists (codec->payloader) &&
         factory_exists (codec->depayloader) && factory_exists (codec->decoder);
}

guint
dp_media_codec_payload_type (const DpMediaCodec *codec, DpConfig *config)
{
  if (codec->static_pt >= 0)
    return (guint) codec->static_pt;
  if (config != NULL && codec->dynamic_pt_param != NULL)
    {
      const char *value = dp_config_get (config, codec->dynamic_pt_param);

      if (value != NULL && *value != '\0')
        return (guint) CLAMP (dp_config_get_int (config, codec->dynamic_pt_param), 0, 127);
    }
  return codec->dynamic_pt;
}

const char *
dp_media_codec_encoding (const DpMediaCodec *codec, DpConfig *config)
{
  if (config != NULL && codec->name_param != NULL)
    {
      const char *value = dp_config_get (config, codec->name_param);

      if (value != NULL && *value != '\0')
        return value;
    }
  return codec->encoding;
}

gboolean
dp_media_codec_matches (const DpMediaCodec *codec, const DpSdpFormat *format, DpConfig *config)
{
  if (format->pt < 96 && codec->static_pt >= 0)
    return format->pt == (guint) codec->static_pt;
  if (format->encoding == NULL || format->clock_rate != codec->clock_rate)
    return FALSE;
  return g_ascii_strcasecmp (format->encoding, codec->encoding) == 0 ||
         g_ascii_strcasecmp (format->encoding, dp_media_codec_encoding (codec, config)) == 0;
}

static void
add_unique (GPtrArray *list, const DpMediaCodec *codec)
{
  if (!g_ptr_array_find (list, codec, NULL))
    g_ptr_array_add (list, (gpointer) codec);
}

/* G726-xx_Enable_n_: "No" takes the codec off the line's list. A codec a
 * Preferred_Codec parameter names is kept all the same: naming it is the
 * more specific choice, and the SPA would otherwise offer nothing of what
 * it was told to prefer. Unset or empty means the SPA default, Yes. */
static gboolean
codec_enabled (const DpMediaCodec *codec, DpConfig *config, guint line)
{
  g_autofree char *param = NULL;
  const char *value;

  if (codec->enable_param == NULL || config == NULL)
    return TRUE;
  param = g_strdup_printf ("%s%u_", codec->enable_param, line);
  value = dp_config_get (config, param);
  return value == NULL || *value == '\0' || dp_config_get_bool (config, param);
}

GPtrArray *
dp_media_codec_preferences (DpConfig *config, guint line, const char *override,
                            DpMediaCodecFilter available, GError **error)
{
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
  g_autoptr(GPtrArray) result = g_ptr_array_new ();
  gboolean only_preferred = FALSE;
  gboolean then_configured = FALSE;

  if (override != NULL)
    {
      g_auto(GStrv) names = g_strsplit (override, ",", -1);
      guint n = g_strv_length (names);

      /* A last "*" (a codec preference code): the names before it go
       * first, and the line's own list follows; unknown ones are skipped. */
      then_configured = n > 0 && strcmp (g_strstrip (names[n - 1]), "*") == 0;
      for (guint i = 0; i + (then_configured ? 1 : 0) < n; i++)
        {
          const char *name = g_strstrip (names[i]);
          const DpMediaCodec *codec = dp_media_codec_lookup (name);

          if (codec == NULL && !then_configured)
            {
              g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE,
                           _("unknown codec '%s' in the codec list"), name);
              return NULL;
            }
          if (codec != NULL)
            add_unique (wanted, codec);
        }
      only_preferred = !then_configured;
    }
  if (override == NULL || then_configured)
    {
      static const char *const params[] = {
        "Preferred_Codec_", "Second_Preferred_Codec_", "Third_Preferred_Codec_",
      };

      for (gsize i = 0; i < G_N_ELEMENTS (params); i++)
        {
          g_autofree char *param = g_strdup_printf ("%s%u_", params[i], line);
          const char *value = config != NULL ? dp_config_get (config, param) : NULL;
          const DpMediaCodec *codec;

          if (value == NULL && i == 0)
            value = "G711u";
          codec = dp_media_codec_lookup (value);
          /* "Unspecified" and codecs GStreamer has no encoder for
           * (G729a, G723) are skipped rather than refused. */
          if (codec != NULL)
            add_unique (wanted, codec);
        }
      if (config != NULL)
        {
          g_autofree char *param = g_strdup_printf ("Use_Pref_Codec_Only_%u_", line);
          only_preferred = dp_config_get_bool (config, param);
        }
      if (!only_preferred)
        for (gsize i = 0; i < G_N_ELEMENTS (codecs); i++)
          if (codec_enabled (&codecs[i], config, line))
            add_unique (wanted, &codecs[i]);
    }

  for (guint i = 0; i < wanted->len; i++)
    if (available == NULL || available (wanted->pdata[i]))
      g_ptr_array_add (result, wanted->pdata[i]);
  if (result->len == 0)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE,
                           _("none of the configured codecs is available in GStreamer"));
      return NULL;
    }
  return g_steal_pointer (&result);
}

static int
find_telephone_event (const DpSdpMedia *remote, guint clock_rate)
{
  for (guint i = 0; i < remote->formats->len; i++)
    {
      const DpSdpFormat *format = remote->formats->pdata[i];

      if (format->encoding != NULL &&
          g_ascii_strcasecmp (format->encoding, "telephone-event") == 0 &&
          format->clock_rate == clock_rate)
        return (int) format->pt;
    }
  return -1;
}

gboolean
dp_media_negotiate_codec (GPtrArray *local, const DpSdpMedia *remote, gboolean remote_is_offer,
                          DpConfig *config, DpMediaChoice *choice, GError **error)
{
  if (remote_is_offer)
    {
      for (guint l = 0; l < local->len; l++)
        for (guint r = 0; r < remote->formats->len; r++)
          if (dp_media_codec_matches (local->pdata[l], remote->formats->pdata[r], config))
            {
              choice->codec = local->pdata[l];
              choice->pt = ((DpSdpFormat *) remote->formats->pdata[r])->pt;
              choice->dtmf_pt = find_telephone_event (remote, choice->codec->clock_rate);
              return TRUE;
            }
    }
  else
    {
      for (guint r = 0; r < remote->formats->len; r++)
        for (guint l = 0; l < local->len; l++)
          if (dp_media_codec_matches (local->pdata[l], remote->formats->pdata[r], config))
            {
              choice->codec = local->pdata[l];
              choice->pt = ((DpSdpFormat *) remote->formats->pdata[r])->pt;
              choice->dtmf_pt = find_telephone_event (remote, choice->codec->clock_rate);
              return TRUE;
            }
    }
  g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_ACCEPTABLE,
               _("no common codec (remote offers '%s')"), remote->fmt_list);
  return FALSE;
}
