/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The codec table: codec name -> SDP name, payload type, GStreamer
 * elements. Availability comes from the GStreamer registry at run time.
 */
#pragma once

#include <glib.h>
#include "dp-config.h"
#include "dp-media-sdp.h"

G_BEGIN_DECLS

/**
 * DpMediaCodec:
 * @name: the SPA codec name used by Preferred_Codec_n_ ("G711u"), or the
 *   deskphone extension name ("G722", "Opus")
 * @name_param: (nullable): the SIP-tab parameter renaming it in SDP
 *   ("G711u_Codec_Name")
 * @encoding: the default SDP encoding name
 * @static_pt: the RFC 3551 payload type, -1 when dynamic
 * @dynamic_pt_param: (nullable): the parameter giving the dynamic payload
 * @dynamic_pt: the dynamic payload type when @dynamic_pt_param is unset
 * @enable_param: (nullable): "G726-32_Enable_": with the line number, the
 *   parameter that takes it off the list (unless it is a preferred codec)
 * @bit_order_param: (nullable): the parameter choosing the bit order on the
 *   wire ("RFC3551" or "AAL2"); AAL2 sets the encoder's and decoder's
 *   "aal2" property (dp_media_codec_aal2_order())
 * @clock_rate: the RTP clock rate
 * @channels: the channel count written in a=rtpmap (0: none)
 * @sample_rate: the raw audio rate the encoder takes
 * @fmtp: (nullable): a=fmtp we offer
 * @fixed_ptime: the packet time this codec always uses (0: RTP_Packet_Size)
 * @encoder: @payloader: @depayloader: @decoder: element factory names
 * @encoder_props: @payloader_props: @depayloader_props: (nullable):
 *   "name=value ..." set on the element
 */
typedef struct {
  const char *name;
  const char *name_param;
  const char *encoding;
  int static_pt;
  const char *dynamic_pt_param;
  guint dynamic_pt;
  const char *enable_param;
  const char *bit_order_param;
  guint clock_rate;
  guint channels;
  guint sample_rate;
  const char *fmtp;
  guint fixed_ptime;
  const char *encoder;
  const char *encoder_props;
  const char *payloader;
  const char *payloader_props;
  const char *depayloader;
  const char *depayloader_props;
  const char *decoder;
} DpMediaCodec;

const DpMediaCodec *dp_media_codec_table  (gsize               *n_codecs);
const DpMediaCodec *dp_media_codec_lookup (const char          *name);
/* Whether all four elements are in the GStreamer registry. Initialises
 * GStreamer on first use. */
gboolean            dp_media_codec_available (const DpMediaCodec *codec);

/* `G726_Packing` (deskphone extension, registered by the media plugin):
 * RFC3551 (the default) or AAL2, the bit order some peers send under the
 * RFC 3551 name (dp-gst-g726.h); the G.726 rows name it as their
 * @bit_order_param. */
#define DP_MEDIA_G726_PACKING_PARAM "G726_Packing"
/* Does @config ask for AAL2 bit order on @codec (its @bit_order_param)? */
gboolean            dp_media_codec_aal2_order (const DpMediaCodec *codec,
                                               DpConfig           *config);

/* The payload type for @codec under @config (nullable: table defaults). */
guint               dp_media_codec_payload_type (const DpMediaCodec *codec,
                                                 DpConfig           *config);
const char         *dp_media_codec_encoding  (const DpMediaCodec  *codec,
                                              DpConfig            *config);
/* Does the remote @format denote @codec? Static payload types (< 96) are
 * matched by number, dynamic ones by name (case-insensitive) and rate. */
gboolean            dp_media_codec_matches   (const DpMediaCodec  *codec,
                                              const DpSdpFormat   *format,
                                              DpConfig            *config);

/* The local preference list for @line (element-type DpMediaCodec, not
 * owned): Preferred_Codec_n_, Second_..., Third_... in order, then (unless
 * Use_Pref_Codec_Only_n_) every other codec of the table whose
 * @enable_param (G726-xx_Enable_n_) is not No. The list is both what we
 * offer and what we accept, so a disabled codec is neither, unless one of
 * the three preference parameters names it. @override, when non-NULL, is
 * a comma-separated list replacing the three parameters (a Force_*_Code
 * call: only these), unknown names failing with DP_MEDIA_ERROR_RESOURCE;
 * ending in ",*" (a Prefer_*_Code call) its names go first, unknown ones
 * skipped, and the configured list follows. Codec names may use the SPA's
 * parameter spelling ("G726r32" for "G726-32"). Codecs for which
 * @available returns FALSE are left out. */
typedef gboolean (*DpMediaCodecFilter) (const DpMediaCodec *codec);
GPtrArray          *dp_media_codec_preferences (DpConfig           *config,
                                                guint               line,
                                                const char         *override,
                                                DpMediaCodecFilter  available,
                                                GError            **error);

/**
 * DpMediaChoice:
 * @codec: the chosen codec
 * @pt: its payload type in the remote SDP (we send with it)
 * @dtmf_pt: telephone-event payload type in the remote SDP, -1 when none
 */
typedef struct {
  const DpMediaCodec *codec;
  guint pt;
  int dtmf_pt;
} DpMediaChoice;

/* Chooses the codec for @remote. As answerer (@remote is an offer) the
 * first codec of OUR preference list that the offer carries wins (the SPA
 * keeps its preferred codec whenever the peer supports it); as offerer
 * (@remote is an answer) the first codec of the answer that we offered.
 * telephone-event is taken at the codec's clock rate only. Fails with
 * DP_MEDIA_ERROR_NOT_ACCEPTABLE when nothing matches. */
gboolean            dp_media_negotiate_codec  (GPtrArray          *local,
                                               const DpSdpMedia   *remote,
                                               gboolean            remote_is_offer,
                                               DpConfig           *config,
                                               DpMediaChoice      *choice,
                                               GError            **error);

G_END_DECLS
