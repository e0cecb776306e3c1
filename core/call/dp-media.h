/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * DpSrtpPolicy:
 * @DP_SRTP_OFF: offer and accept plain RTP only
 * @DP_SRTP_OPTIONAL: offer SRTP (SDES) and accept plain RTP when the peer has none
 * @DP_SRTP_REQUIRED: SRTP or no call: an offer without acceptable crypto is
 *   refused (the signalling answers 488) and plain RTP is never sent
 */
typedef enum {
  DP_SRTP_OFF,
  DP_SRTP_OPTIONAL,
  DP_SRTP_REQUIRED,
} DpSrtpPolicy;

/**
 * DpMediaDirection:
 * @DP_MEDIA_SENDRECV: both ways
 * @DP_MEDIA_SENDONLY: we send, do not receive (we hold with music)
 * @DP_MEDIA_RECVONLY: we receive only
 * @DP_MEDIA_INACTIVE: nothing flows (held both ways)
 */
typedef enum {
  DP_MEDIA_SENDRECV,
  DP_MEDIA_SENDONLY,
  DP_MEDIA_RECVONLY,
  DP_MEDIA_INACTIVE,
} DpMediaDirection;

#define DP_MEDIA_ERROR (dp_media_error_quark ())

/**
 * DpMediaError:
 * @DP_MEDIA_ERROR_NO_PROVIDER: no media plugin is loaded
 * @DP_MEDIA_ERROR_SDP: the remote SDP is malformed (message names the line)
 * @DP_MEDIA_ERROR_NOT_ACCEPTABLE: no common codec, or SRTP required and not
 *   offered/answered (the signalling answers 488 Not Acceptable Here)
 * @DP_MEDIA_ERROR_RESOURCE: no RTP port, codec or device available
 * @DP_MEDIA_ERROR_STATE: the request does not fit the session's state
 * @DP_MEDIA_ERROR_FAILED: anything else
 * @DP_MEDIA_ERROR_NOT_SUPPORTED: the provider lacks an optional capability
 *   (e.g. tones); appended last so the values above keep their numbers
 */
typedef enum {
  DP_MEDIA_ERROR_NO_PROVIDER,
  DP_MEDIA_ERROR_SDP,
  DP_MEDIA_ERROR_NOT_ACCEPTABLE,
  DP_MEDIA_ERROR_RESOURCE,
  DP_MEDIA_ERROR_STATE,
  DP_MEDIA_ERROR_FAILED,
  DP_MEDIA_ERROR_NOT_SUPPORTED,
} DpMediaError;

GQuark dp_media_error_quark (void);

#define DP_TYPE_MEDIA_SESSION (dp_media_session_get_type ())
G_DECLARE_DERIVABLE_TYPE (DpMediaSession, dp_media_session, DP, MEDIA_SESSION, GObject)

/**
 * DpMediaSessionClass:
 * @parent_class: the parent class
 * @create_offer: the local SDP offer (a whole SDP body) for the current
 *   direction and policy
 * @create_answer: answers @offer; fails with %DP_MEDIA_ERROR_NOT_ACCEPTABLE
 *   when nothing in it is acceptable; media starts flowing after this
 * @set_answer: takes the peer's answer to our last offer; media starts
 * @set_direction: changes the direction for the next offer/answer (hold)
 * @send_dtmf: sends one DTMF event (RFC 4733, in-band fallback)
 * @stop: ends the session; no packet is sent afterwards
 * @get_stats: RTP/RTCP statistics for status (packets/bytes sent and
 *   received, lost, jitter_ms, rtt_ms, rtcp_received, rtcp_mux)
 *
 * One call's media, implemented by the media plugin. The sip plugin creates
 * it through the core's media provider and feeds it the SDP it signals, so a
 * vendor can swap the media plugin (e.g. for a hardware DSP) without touching
 * SIP. Codec, security and state show in the properties.
 */
struct _DpMediaSessionClass
{
  GObjectClass parent_class;

  char     *(*create_offer)  (DpMediaSession   *self,
                              GError          **error);
  char     *(*create_answer) (DpMediaSession   *self,
                              const char       *offer,
                              GError          **error);
  gboolean  (*set_answer)    (DpMediaSession   *self,
                              const char       *answer,
                              GError          **error);
  gboolean  (*set_direction) (DpMediaSession   *self,
                              DpMediaDirection  direction,
                              GError          **error);
  gboolean  (*send_dtmf)     (DpMediaSession   *self,
                              char              digit,
                              guint             duration_ms,
                              GError          **error);
  void      (*stop)          (DpMediaSession   *self);
  JsonNode *(*get_stats)     (DpMediaSession   *self);

  /*< private >*/
  gpointer padding[8];
};

char         *dp_media_session_create_offer  (DpMediaSession   *self,
                                              GError          **error);
char         *dp_media_session_create_answer (DpMediaSession   *self,
                                              const char       *offer,
                                              GError          **error);
gboolean      dp_media_session_set_answer    (DpMediaSession   *self,
                                              const char       *answer,
                                              GError          **error);
gboolean      dp_media_session_set_direction (DpMediaSession   *self,
                                              DpMediaDirection  direction,
                                              GError          **error);
gboolean      dp_media_session_send_dtmf     (DpMediaSession   *self,
                                              char              digit,
                                              guint             duration_ms,
                                              GError          **error);
void          dp_media_session_stop          (DpMediaSession   *self);
JsonNode     *dp_media_session_get_stats     (DpMediaSession   *self);

guint         dp_media_session_get_line      (DpMediaSession   *self);
DpSrtpPolicy  dp_media_session_get_policy    (DpMediaSession   *self);
const char   *dp_media_session_get_codec     (DpMediaSession   *self);
gboolean      dp_media_session_get_secure    (DpMediaSession   *self);
const char   *dp_media_session_get_srtp_suite (DpMediaSession  *self);

/* For media plugins. */
void          dp_media_session_set_negotiated (DpMediaSession  *self,
                                               const char      *codec,
                                               gboolean         secure,
                                               const char      *srtp_suite);
void          dp_media_session_emit_dtmf      (DpMediaSession  *self,
                                               char             digit);
void          dp_media_session_request_renegotiation (DpMediaSession *self);

#define DP_TYPE_MEDIA_PROVIDER (dp_media_provider_get_type ())
G_DECLARE_INTERFACE (DpMediaProvider, dp_media_provider, DP, MEDIA_PROVIDER, GObject)

/**
 * DpMediaProviderInterface:
 * @g_iface: the parent interface
 * @create_session: a new session for a call on @line with @policy;
 *   @signalling_secure tells whether the SIP leg is TLS (SDES keys are only
 *   offered over TLS unless the administrator allows it)
 * @play_tone: (optional) plays a tone or ring on the local audio device:
 *   a tone parameter name (`Dial_Tone`, `Busy_Tone`, ... `Alert_Tone`),
 *   `Ring1`..`Ring10`, or a literal ToneScript/RingScript; replaces what
 *   is playing. A provider that leaves it NULL makes dp_media_provider_play_tone() fail with
 *   %DP_MEDIA_ERROR_NOT_SUPPORTED.
 * @stop_tone: (optional) silences the tone or ring at once
 * @join_sessions: (optional) local three-way conference: mixes two call
 *   sessions of this provider with the local audio device, so that each
 *   far end hears the local microphone and the other far end, the local
 *   speaker hears both far ends, and nobody hears themselves. The mix
 *   lasts until one of the sessions stops; the other then goes back to the
 *   local device alone (the call stays connected). Fails with
 *   %DP_MEDIA_ERROR_STATE when a session is stopped, already mixed or not
 *   one of this provider's, %DP_MEDIA_ERROR_NOT_SUPPORTED when left NULL.
 *
 * @play_tone, @stop_tone and then @join_sessions were appended after
 * @create_session so providers built before them keep working (the slots
 * are then NULL).
 * The core and other plugins use them through the wrappers and never name
 * the media plugin; the media plugin also exposes them as the core actions
 * "play-tone" (argument: as @play_tone) and "stop-tone".
 */
struct _DpMediaProviderInterface
{
  GTypeInterface g_iface;

  DpMediaSession * (*create_session) (DpMediaProvider  *self,
                                      guint             line,
                                      DpSrtpPolicy      policy,
                                      gboolean          signalling_secure,
                                      GError          **error);
  gboolean         (*play_tone)      (DpMediaProvider  *self,
                                      const char       *name_or_script,
                                      GError          **error);
  void             (*stop_tone)      (DpMediaProvider  *self);
  gboolean         (*join_sessions)  (DpMediaProvider  *self,
                                      DpMediaSession   *a,
                                      DpMediaSession   *b,
                                      GError          **error);
};

DpMediaSession *dp_media_provider_create_session (DpMediaProvider  *self,
                                                  guint             line,
                                                  DpSrtpPolicy      policy,
                                                  gboolean          signalling_secure,
                                                  GError          **error);
gboolean        dp_media_provider_play_tone      (DpMediaProvider  *self,
                                                  const char       *name_or_script,
                                                  GError          **error);
void            dp_media_provider_stop_tone      (DpMediaProvider  *self);
gboolean        dp_media_provider_join_sessions  (DpMediaProvider  *self,
                                                  DpMediaSession   *a,
                                                  DpMediaSession   *b,
                                                  GError          **error);

G_END_DECLS
