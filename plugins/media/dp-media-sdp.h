/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SDP (RFC 4566) and SDES a=crypto (RFC 4568) for the media plugin: pure
 * functions over bytes, no GStreamer.
 */
#pragma once

#include <glib.h>
#include "dp-media.h"

G_BEGIN_DECLS

/**
 * DpSrtpSuite:
 * @DP_SRTP_SUITE_UNKNOWN: a syntactically valid suite we do not implement
 *   (F8_128_HMAC_SHA1_80, AEAD_AES_256_GCM, ...): RFC 4568 says an answerer
 *   ignores such a line, so it parses but is never chosen
 * @DP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80: RFC 4568
 * @DP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32: RFC 4568 (SRTCP keeps an 80-bit tag)
 * @DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_80: RFC 6188
 * @DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_32: RFC 6188
 */
typedef enum {
  DP_SRTP_SUITE_UNKNOWN,
  DP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80,
  DP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32,
  DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_80,
  DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_32,
} DpSrtpSuite;

#define DP_SRTP_N_SUITES 4

const char  *dp_srtp_suite_to_string   (DpSrtpSuite  suite);
DpSrtpSuite  dp_srtp_suite_from_string (const char  *name);
/* Master key + master salt length in bytes (30 or 46), 0 for UNKNOWN. */
gsize        dp_srtp_suite_key_length  (DpSrtpSuite  suite);

/**
 * DpSdesKey:
 * @key_salt: the decoded master key || master salt
 * @lifetime: (nullable): the lifetime as written ("2^20", "1048576")
 * @has_mki: whether an MKI is present
 * @mki: the MKI value
 * @mki_length: the MKI length in bytes (1..128)
 */
typedef struct {
  GBytes *key_salt;
  char *lifetime;
  gboolean has_mki;
  guint32 mki;
  guint mki_length;
} DpSdesKey;

/**
 * DpSdesCrypto:
 * @tag: 1..999999999
 * @suite_name: the suite as written
 * @suite: the suite, %DP_SRTP_SUITE_UNKNOWN when we do not implement it
 * @keys: (element-type DpSdesKey): one or more key parameters
 * @session_params: (nullable): session parameters, single-space separated
 */
typedef struct {
  guint tag;
  char *suite_name;
  DpSrtpSuite suite;
  GPtrArray *keys;
  char *session_params;
} DpSdesCrypto;

/* Parses a whole "a=crypto:..." line (no line terminator). Strict:
 * fields separated by one or more spaces; key parameters must be
 * "inline:" base64 (padding optional) with optional |lifetime and
 * |mki:length; a known suite must carry exactly its key length. */
DpSdesCrypto *dp_sdes_crypto_parse     (const char          *line,
                                        GError             **error);
/* Parses the value after "a=crypto:". */
DpSdesCrypto *dp_sdes_crypto_parse_value (const char        *value,
                                          GError           **error);
/* The canonical "a=crypto:..." line (single spaces, padded base64). */
char         *dp_sdes_crypto_to_string (const DpSdesCrypto  *crypto);
DpSdesCrypto *dp_sdes_crypto_new_local (guint                tag,
                                        DpSrtpSuite          suite,
                                        GError             **error);
void          dp_sdes_crypto_free      (DpSdesCrypto        *crypto);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpSdesCrypto, dp_sdes_crypto_free)

/**
 * DpSdpFormat:
 * @pt: the RTP payload type
 * @encoding: (nullable): from a=rtpmap (or the static table for 0/8/9/18)
 * @clock_rate: its clock rate (0 when unknown)
 * @channels: channels from a=rtpmap, 0 when absent
 * @fmtp: (nullable): the a=fmtp parameters
 */
typedef struct {
  guint pt;
  char *encoding;
  guint clock_rate;
  guint channels;
  char *fmtp;
} DpSdpFormat;

/**
 * DpSdpMedia:
 * @media: "audio", "video" ...
 * @port: the m= port (0 = rejected stream)
 * @proto: "RTP/AVP", "RTP/SAVP" ...
 * @fmt_list: the m= format list as written (to echo when rejecting)
 * @address: (nullable): the effective connection address
 * @rtcp_port: from a=rtcp, 0 when absent (RTCP is then on @port + 1)
 * @rtcp_mux: a=rtcp-mux present
 * @direction: the effective direction (media level, else session level)
 * @ptime: a=ptime in ms, 0 when absent
 * @formats: (element-type DpSdpFormat): in m= order
 * @cryptos: (element-type DpSdesCrypto): every a=crypto line, in order
 */
typedef struct {
  char *media;
  guint port;
  char *proto;
  char *fmt_list;
  char *address;
  guint rtcp_port;
  gboolean rtcp_mux;
  DpMediaDirection direction;
  guint ptime;
  GPtrArray *formats;
  GPtrArray *cryptos;
} DpSdpMedia;

/**
 * DpSdpSession:
 * @origin: the o= line value
 * @media: (element-type DpSdpMedia): the m= sections in order
 */
typedef struct {
  char *origin;
  GPtrArray *media;
} DpSdpSession;

/* Parses an SDP body (CRLF or LF line ends). Errors are
 * DP_MEDIA_ERROR_SDP and name the line number and its text. */
DpSdpSession *dp_sdp_parse             (const char          *text,
                                        gssize               length,
                                        GError             **error);
void          dp_sdp_session_free      (DpSdpSession        *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpSdpSession, dp_sdp_session_free)

/* The first audio m= section and its index, or NULL. */
const DpSdpMedia *dp_sdp_session_find_audio (const DpSdpSession *session,
                                             guint              *index);
const DpSdpFormat *dp_sdp_media_find_format (const DpSdpMedia   *media,
                                             guint               pt);
/* Remote hold: a=sendonly / a=inactive or c=0.0.0.0 (RFC 2543 hold). */
gboolean      dp_sdp_media_is_hold     (const DpSdpMedia    *media);
gboolean      dp_sdp_media_is_secure_proto (const DpSdpMedia *media);

/* Single attribute values, exposed for the tests. */
gboolean      dp_sdp_parse_rtpmap      (const char          *value,
                                        DpSdpFormat         *format,
                                        GError             **error);
gboolean      dp_sdp_parse_rtcp        (const char          *value,
                                        guint               *port,
                                        GError             **error);
gboolean      dp_sdp_parse_ssrc        (const char          *value,
                                        guint32             *ssrc,
                                        GError             **error);

const char   *dp_media_direction_to_string (DpMediaDirection direction);
/* What the other side may do given what this side said. */
DpMediaDirection dp_media_direction_reverse (DpMediaDirection direction);
/* The intersection of two directions both seen from the same side. */
DpMediaDirection dp_media_direction_intersect (DpMediaDirection a,
                                               DpMediaDirection b);
gboolean      dp_media_direction_sends    (DpMediaDirection direction);
gboolean      dp_media_direction_receives (DpMediaDirection direction);

/**
 * DpSdpBuild:
 * @address: our connection address
 * @session_id: o= session id
 * @version: o= version (increment on every new offer/answer)
 * @port: the RTP port (RTCP on @port + 1)
 * @rtcp_mux: write a=rtcp-mux (RFC 5761): offered, or accepted in an answer
 * @proto: "RTP/AVP" or "RTP/SAVP"
 * @direction: our direction attribute
 * @ptime: a=ptime in ms (0: none)
 * @formats: (element-type DpSdpFormat): the formats in preference order
 * @cryptos: (element-type DpSdesCrypto) (nullable): a=crypto lines
 * @offer: (nullable): when answering, the offer (its other m= sections are
 *   rejected with port 0, in order, as RFC 3264 requires)
 * @audio_index: when answering, the index of the audio section in @offer
 */
typedef struct {
  const char *address;
  guint64 session_id;
  guint64 version;
  guint port;
  gboolean rtcp_mux;
  const char *proto;
  DpMediaDirection direction;
  guint ptime;
  GPtrArray *formats;
  GPtrArray *cryptos;
  const DpSdpSession *offer;
  guint audio_index;
} DpSdpBuild;

char         *dp_sdp_build             (const DpSdpBuild    *params);

void          dp_sdp_format_free       (DpSdpFormat         *format);
DpSdpFormat  *dp_sdp_format_new        (guint                pt,
                                        const char          *encoding,
                                        guint                clock_rate,
                                        guint                channels,
                                        const char          *fmtp);

G_END_DECLS
