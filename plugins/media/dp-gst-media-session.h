/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gst/gst.h>
#include "dp-config.h"
#include "dp-media.h"

G_BEGIN_DECLS

#define DP_TYPE_GST_MEDIA_SESSION (dp_gst_media_session_get_type ())
G_DECLARE_FINAL_TYPE (DpGstMediaSession, dp_gst_media_session, DP, GST_MEDIA_SESSION, DpMediaSession)

/**
 * DpGstMediaSession:
 *
 * One call's media as a GStreamer pipeline around rtpbin.
 *
 * Properties (construct-only unless said otherwise):
 * - "config" (DpConfig, nullable): codec preferences (Preferred_Codec_n_,
 *   Second_/Third_Preferred_Codec_n_, Use_Pref_Codec_Only_n_, n = the
 *   line), AVT_Dynamic_Payload, RTP_Packet_Size, RTP_Port_Min/Max, the
 *   *_Codec_Name / *_Dynamic_Payload names, Audio_Source, Audio_Sink,
 *   Symmetric_RTP (dp-gst-symmetric.h: send to where the peer's RTP and
 *   RTCP come from).
 *   Without a config the SPA defaults apply.
 * - "local-address" (default "127.0.0.1"): the address of the interface
 *   the call uses; RTP/RTCP sockets bind to it and it is the c= address.
 *   The sip plugin sets it to the local address of its SIP transport;
 *   writable until the first offer/answer binds the sockets.
 * - "codecs": a comma-separated codec list ("G722,G711u") that replaces
 *   the three preference parameters and implies "preferred only" (used
 *   for the per-call Prefer/Force codec star codes and by the tests).
 * - "audio-source" / "audio-sink": GStreamer bin descriptions. Precedence:
 *   this property, then the environment (DESKPHONE_AUDIO_SOURCE /
 *   DESKPHONE_AUDIO_SINK, so a test harness can override a persisted
 *   configuration), then the Audio_Source / Audio_Sink parameters, then
 *   autoaudiosrc / autoaudiosink.
 * - "sdes-allowed": whether SDES keys may be put in SDP (the SIP leg is
 *   TLS, or the administrator allowed it).
 * - "srtp-suites": comma-separated suites we offer/accept, in preference
 *   order (default: all four).
 * - "remote-hold" (read-only, notifies): the peer's last SDP was
 *   a=sendonly, a=inactive or c=0.0.0.0.
 * - "local-port" (read-only): our RTP port (RTCP is on the next one).
 *
 * Decisions (documented here, tested in tests/media):
 * - SRTP_OPTIONAL offers RTP/AVP with a=crypto (best effort, as baresip's
 *   "srtp" mode), SRTP_REQUIRED offers RTP/SAVP. An offer whose crypto we
 *   cannot use is refused (NOT_ACCEPTABLE) when its proto is RTP/SAVP or
 *   the policy is REQUIRED; no pipeline exists before a successful
 *   negotiation, so nothing, plain or not, is sent before.
 * - a=crypto lines with several keys, an MKI or session parameters
 *   (KDR, UNENCRYPTED_*) are skipped when answering.
 * - rtcp-mux is never offered and, when offered to us, answered without
 *   (RFC 5761 allows it): RTCP always uses the next port.
 * - ptime: RTP_Packet_Size (SPA default 0.030 -> 30 ms) unless the peer
 *   asks for a=ptime, Opus always 20 ms.
 * - telephone-event is offered at 8000 Hz on AVT_Dynamic_Payload; with
 *   Opus (48 kHz) no RFC 4733 rate matches and send_dtmf fails.
 * - Jitter buffer (UNCONFIRMED: the SPA names levels, not delays):
 *   Network_Jitter_Level_n_ low / medium / high / very high / extremely
 *   high -> rtpbin latency 20 / 40 / 60 / 80 / 120 ms; the SPA default
 *   "high" is 60 ms; an unknown value or no config -> the default.
 *   Jitter_Buffer_Adjustment_n_ (GStreamer's buffer does not resize itself,
 *   so the modes are read as what may move the delay): "up and down"
 *   (default) and "up only": buffer-mode slave (follows the sender's clock
 *   skew), late packets kept (GStreamer's defaults; do-lost and
 *   drop-on-latency garbled SRTP calls with baresip in test_sip_media);
 *   "down only": slave plus drop-on-latency (a burst never pushes the delay
 *   past the level); "disable": buffer-mode none (timestamps only, a fixed
 *   buffer). do-lost is never set.
 */

#define DP_GST_MEDIA_JITTER_LATENCY_DEFAULT_MS 60

/* The jitter-buffer settings a session on @line uses (pure; exposed for
 * tests and bench-media). */
guint           dp_gst_media_jitter_latency_ms    (DpConfig          *config,
                                                  guint              line);
void            dp_gst_media_jitter_adjustment    (DpConfig          *config,
                                                  guint              line,
                                                  gboolean          *drop_on_latency,
                                                  gboolean          *do_lost,
                                                  gboolean          *adaptive);

DpMediaSession *dp_gst_media_session_new         (DpConfig          *config,
                                                  guint              line,
                                                  DpSrtpPolicy       policy,
                                                  gboolean           sdes_allowed,
                                                  GError           **error);
/* For tests and diagnostics: the current pipeline or NULL (transfer none). */
GstElement     *dp_gst_media_session_get_pipeline (DpGstMediaSession *self);
guint           dp_gst_media_session_get_local_port (DpGstMediaSession *self);
gboolean        dp_gst_media_session_get_remote_hold (DpGstMediaSession *self);
/* Our master key||salt for the negotiated suite (what we encrypt with),
 * NULL when not secure. For the SRTP capture test. */
GBytes         *dp_gst_media_session_get_send_key (DpGstMediaSession *self);

/* Helpers for the plugin's pipelines: a new element of @factory, or the
 * local audio device (@what: "audio source"/"audio sink") from its
 * GStreamer description, added to @bin; the error names what is missing. */
GstElement     *dp_gst_bin_add_new                  (GstElement        *bin,
                                                    const char        *factory,
                                                    GError           **error);
GstElement     *dp_gst_bin_add_device               (GstElement        *bin,
                                                    const char        *description,
                                                    const char        *what,
                                                    GError           **error);

/* For DpGstConference (dp-gst-conference.h). */
typedef struct _DpGstConference DpGstConference;
const char     *dp_gst_media_session_audio_description (DpGstMediaSession *self,
                                                        gboolean           source);
void            dp_gst_media_session_set_conference (DpGstMediaSession *self,
                                                    DpGstConference   *conference,
                                                    guint              leg);
DpGstConference *dp_gst_media_session_get_conference (DpGstMediaSession *self);
/* The negotiated codec's audio rate (8000 before any negotiation). */
guint           dp_gst_media_session_get_sample_rate (DpGstMediaSession *self);
/* Rebuilds the running pipeline with the same negotiation (after a change
 * of conference); TRUE with nothing to do when no media flows yet. */
gboolean        dp_gst_media_session_rebuild       (DpGstMediaSession *self,
                                                    GError           **error);

G_END_DECLS
