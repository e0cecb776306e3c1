/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * DpSipMediaDirection:
 * @DP_SIP_MEDIA_SENDRECV: both ways (no `a=` direction, or `a=sendrecv`)
 * @DP_SIP_MEDIA_SENDONLY: the SDP's author only sends
 * @DP_SIP_MEDIA_RECVONLY: the SDP's author only receives
 * @DP_SIP_MEDIA_INACTIVE: neither
 */
typedef enum {
  DP_SIP_MEDIA_SENDRECV,
  DP_SIP_MEDIA_SENDONLY,
  DP_SIP_MEDIA_RECVONLY,
  DP_SIP_MEDIA_INACTIVE,
} DpSipMediaDirection;

/**
 * DpSipSdpInfo:
 * @direction: the direction of the first audio stream (media-level
 *   attribute, else session-level)
 * @null_address: the audio connection address is `0.0.0.0` (RFC 2543 hold)
 * @address: (nullable): the audio connection address
 * @port: the audio port (0: stream rejected)
 * @codec: (nullable): encoding name of the first audio payload that is not
 *   telephone-event (static payload types 0/8/9/18 are named without rtpmap)
 * @clock_rate: its clock rate
 *
 * What the sip plugin needs to know of an SDP body.
 */
typedef struct {
  DpSipMediaDirection direction;
  gboolean null_address;
  char *address;
  guint port;
  char *codec;
  guint clock_rate;
} DpSipSdpInfo;

void      dp_sip_sdp_info_clear  (DpSipSdpInfo  *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DpSipSdpInfo, dp_sip_sdp_info_clear)

gboolean  dp_sip_sdp_parse       (const char    *sdp,
                                  gsize          length,
                                  DpSipSdpInfo  *info,
                                  GError       **error);
gboolean  dp_sip_sdp_info_is_hold (const DpSipSdpInfo *info);

char     *dp_sip_sdp_build_offer (const char        *address,
                                  guint              port,
                                  const char * const *codecs,
                                  guint              dtmf_payload,
                                  guint64            session_id);

guint     dp_sip_codec_payload   (const char        *name);
const char *dp_sip_codec_from_preference (const char *preferred);

G_END_DECLS
