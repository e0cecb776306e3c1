/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpSipCall: a DpCall carried by one sofia-sip nua handle (one INVITE
 * dialog). It turns nua events into DpCall states and the DpCall requests
 * into nua operations.
 *
 * Decisions (spa9x2-reference §12 leaves them open):
 * - Rejecting a ringing incoming call answers 603 Decline (the user said
 *   no; 486 would tell the server the phone is busy and trigger its
 *   call-forward-busy, which is not what a reject means). End reason
 *   "rejected".
 * - Answering a call (a waiting call, a page) while other calls are
 *   connected puts those on hold first, as the SPA does: one conversation
 *   at a time, the others resumable. The call an INVITE with Replaces ends
 *   is not held.
 * - Caller ID blocked (`Block_CID_Serv` Yes and `Block_CID_Setting` Yes,
 *   *67 and *68, or *81 and *82 for the call they prefix): the INVITE's From is
 *   `"Anonymous" <sip:anonymous@anonymous.invalid>` with `Privacy: id`
 *   (RFC 3323 / 3325). No P-Preferred-Identity is sent: the reference
 *   documents none for the SPA 5.x (it only has SIP_Remote-Party-ID_n_,
 *   which this phone does not implement). The Contact and the digest
 *   credentials still name the line's user: the proxy needs them to route
 *   and to authenticate, and `Privacy: id` asks it to withhold the identity.
 * - An incoming call still ringing when the no-answer forward timer of
 *   dp-sip-incoming.c runs out gets 302 to `Cfwd_No_Ans_Dest`, end reason
 *   "forwarded".
 * - A hold/resume re-INVITE answered 491 Request Pending (glare: the peer
 *   re-INVITEd at the same time; nua answers the peer's 491) is sent again
 *   after RFC 3261 §14.1's random delay (2.1-4 s when the phone placed the
 *   call, else 0-2 s); other failures keep the previous media state.
 * - Hold is an RFC 3264 re-INVITE made by sofia's SOA: a=sendonly, or
 *   a=inactive when the peer holds us already. RFC_2543_Call_Hold only
 *   affects what the phone *receives*: c=0.0.0.0 from a peer is taken as
 *   remote hold whatever the parameter says. The phone never sends
 *   c=0.0.0.0, because SOA cannot and RFC 3264 peers accept direction
 *   attributes.
 * - End reasons: "hangup" (this phone hung up), "remote-hangup" (BYE from
 *   the peer), "cancelled" (CANCEL either way), "rejected" (we declined),
 *   "busy" (486/600), "transferred" (blind transfer done), "shutdown",
 *   otherwise the final response's status line ("404 Not Found").
 * - DTMF goes as SIP INFO (`DTMF_Relay_MIME_Type`, `Signal=5`,
 *   `Duration=160`), one request per digit, the next sent when the
 *   previous one is answered, unless RFC 4733 applies (below).
 *
 * - Incoming REFER (the phone as transferee, RFC 3515 / RFC 5589): nua
 *   accepts it (202); the phone INVITEs the Refer-To URI on the same line
 *   (a `Replaces` URI header becomes the INVITE's Replaces header, for an
 *   attended transfer; Referred-By is copied), and nua reports the new
 *   INVITE's progress to the referrer as message/sipfrag NOTIFYs
 *   (NUTAG_NOTIFY_REFER). When the new call connects the old one ends with
 *   a BYE, reason "transferred" (unless the referrer hung up first); when
 *   it fails the old call stays. A Refer-To the phone cannot call gets a
 *   NOTIFY "SIP/2.0 400 Bad Request" (or 503 when the line cannot place
 *   calls) that terminates the implicit subscription.
 * - A dialled URI may carry one URI header, `?Replaces=...` (RFC 3261
 *   §19.1.1; the sidecar's pickup dials the caller with one): it becomes the
 *   INVITE's Replaces header. Any other URI header is refused
 *   (DP_CALL_ERROR_BAD_NUMBER naming it): a dialled string sets no headers.
 * - Incoming INVITE with Replaces (RFC 3891; dp-sip-incoming.c): matching a
 *   confirmed call or an outgoing early one, the new call is answered at
 *   once (no ringing) and the replaced one ends (BYE or CANCEL), reason
 *   "replaced"; matching nothing, or an incoming call still ringing (an
 *   early dialog this phone did not initiate), 481.
 *
 * Media (when the core has a media provider, i.e. the media plugin is
 * loaded; the line's nua then runs with NUTAG_MEDIA_ENABLE(0)):
 * - The SDP bodies are the DpMediaSession's: the INVITE carries
 *   create_offer(); the first 18x/2xx answer goes to set_answer(); an
 *   incoming offer is answered with create_answer(). An incoming INVITE
 *   without SDP gets our offer in the 200 and its answer from the ACK.
 * - An incoming offer is answered *while ringing* with the direction
 *   inactive (nothing is sent or played), so an unacceptable offer (no
 *   common codec, SRTP required and not offered) is refused at once with
 *   488 Not Acceptable Here instead of ringing; answering re-answers the
 *   same offer sendrecv (same ports; the media session builds its pipeline
 *   only then, so a ringing call opens no audio device and the 180 goes
 *   out sooner).
 * - An answer we cannot accept (e.g. plain RTP when SRTP is required)
 *   ends the call with a BYE, reason "488 Not Acceptable Here"; no RTP is
 *   sent, since the session builds no pipeline before a good answer.
 * - Hold/resume: set_direction() (sendonly, or inactive when the peer
 *   holds us already, then sendrecv) and a re-INVITE with a new offer. A
 *   peer's re-INVITE offer is answered by create_answer() (488 when it
 *   fails, the old media stays); one without SDP gets a new offer.
 * - SRTP re-keying: when the session asks (renegotiation-needed, its key
 *   nears libsrtp's limit), a re-INVITE with its new offer (new keys),
 *   keeping the hold state.
 * - BYE, CANCEL, any end: stop(). Codec/secure/SRTP suite go to the call
 *   after each negotiation; statistics every 2 s while connected and once
 *   at the end.
 * - SRTP policy: dp_sip_line_srtp_policy() (Secure_Call_Serv /
 *   Secure_Call_Setting); SDES keys travel only when the line is TLS or
 *   SDES_Over_Insecure_Transport is Yes (the media plugin decides).
 * - DTMF_Tx_Method_n_: AVT and Auto send RFC 4733 through the session
 *   when the peer's SDP has telephone-event, else INFO (Auto) or INFO as a
 *   fallback (AVT); InBand sends Q.23 tones in the audio (the session's
 *   "dtmf-inband"); INFO sends INFO; the "+INFO" methods send both.
 *   Received digits are logged as "call ID: DTMF D received
 *   (rfc4733|in-band|info)": the session reports RFC 4733 events, or, when
 *   no telephone-event was negotiated, the digits it detects in the audio.
 * Without a media provider, sofia's SOA negotiates a signalling-only SDP
 * (dp_sip_line_build_sdp()) as before.
 */
#define G_LOG_DOMAIN "dp-sip"

#include "dp-sip-private.h"

#include <string.h>

#define DTMF_DURATION_MS 160
#define STATS_INTERVAL_S 2
#define SDP_TYPE "application/sdp"
/* RFC 3323 §4.1.1.3: the From of a call with caller ID blocked. */
#define ANONYMOUS_FROM "\"Anonymous\" <sip:anonymous@anonymous.invalid>"

struct _DpSipCall
{
  DpCall parent_instance;

  DpSipLine *line;            /* NULL once the call has ended */
  nua_handle_t *nh;
  gboolean local_hold;
  gboolean remote_hold;
  gboolean hangup_requested;
  gboolean have_remote_sdp;
  char *end_reason;           /* what ENDED will say when nua terminates */
  GString *dtmf_queue;
  gboolean dtmf_in_flight;
  guint bye_timer_id;
  guint auth_attempts;
  DpSipCall *transferred_from; /* the call whose REFER made this one; ended
                                * once this one connects */
  DpSipCall *replacing;       /* compared only: the call an INVITE with
                               * Replaces ends, not held on answer() */
  int call_waiting;           /* *71 / *70 for this call; -1: CW_Setting */
  gboolean anonymous;         /* Block CID: From anonymous, Privacy: id */
  guint no_answer_id;         /* Cfwd_No_Ans_Delay timer */
  guint glare_id;             /* re-INVITE retry after a 491 */
  char *no_answer_uri;

  /* own SDP mode (media provider) */
  gboolean own_sdp;
  DpMediaSession *media;
  gboolean awaiting_answer;   /* our offer is out, its answer not applied */
  gboolean peer_telephone_event;
  char *remote_offer;         /* the INVITE's offer, answered again at answer() */
  guint stats_id;
  gulong dtmf_handler;
  gulong renegotiate_handler;
};

G_DEFINE_DYNAMIC_TYPE (DpSipCall, dp_sip_call, DP_TYPE_CALL)

static gboolean
is_connected_state (DpCallState state)
{
  return state == DP_CALL_STATE_ACTIVE || state == DP_CALL_STATE_HELD ||
         state == DP_CALL_STATE_REMOTE_HELD;
}

static void
set_end_reason (DpSipCall *self, const char *reason)
{
  /* The first reason wins: a BYE we sent after "transferred" stays a
   * transfer. */
  if (self->end_reason == NULL)
    self->end_reason = g_strdup (reason);
}

/* ---- media (own SDP mode) ---- */

/* The SDP body of a request or response, NUL-terminated, or NULL. A body
 * without Content-Type is taken as SDP (RFC 3261 requires the header, but
 * some peers omit it on INVITE). */
static char *
body_sdp (sip_t const *sip)
{
  if (sip == NULL || sip->sip_payload == NULL || sip->sip_payload->pl_len == 0)
    return NULL;
  if (sip->sip_content_type != NULL && sip->sip_content_type->c_type != NULL &&
      g_ascii_strncasecmp (sip->sip_content_type->c_type, SDP_TYPE, strlen (SDP_TYPE)) != 0)
    return NULL;
  return g_strndup (sip->sip_payload->pl_data, sip->sip_payload->pl_len);
}

static gboolean
sdp_has_telephone_event (const char *sdp)
{
  g_auto(GStrv) lines = g_strsplit (sdp, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "a=rtpmap:", 9) == 0)
      {
        g_autofree char *lower = g_ascii_strdown (lines[i], -1);

        if (strstr (lower, " telephone-event/") != NULL)
          return TRUE;
      }
  return FALSE;
}

/* What the peer's SDP says about hold and RFC 4733. */
static void
note_remote_sdp (DpSipCall *self, const char *sdp)
{
  g_auto(DpSipSdpInfo) info = { 0 };

  if (dp_sip_sdp_parse (sdp, strlen (sdp), &info, NULL))
    self->remote_hold = dp_sip_sdp_info_is_hold (&info);
  self->peer_telephone_event = sdp_has_telephone_event (sdp);
}

static void
publish_media (DpSipCall *self)
{
  const char *codec = dp_media_session_get_codec (self->media);

  if (codec != NULL)
    dp_call_set_media (DP_CALL (self), codec, dp_media_session_get_secure (self->media),
                       dp_media_session_get_srtp_suite (self->media));
}

static void
update_stats (DpSipCall *self)
{
  JsonNode *stats;

  if (self->media == NULL)
    return;
  stats = dp_media_session_get_stats (self->media);
  if (stats != NULL)
    {
      dp_call_set_stats (DP_CALL (self), stats);
      json_node_unref (stats);
    }
}

static gboolean
on_stats_timer (gpointer user_data)
{
  update_stats (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_media_dtmf (DpMediaSession *media, int digit, gpointer user_data)
{
  DpSipCall *self = user_data;

  /* Without telephone-event the media detected the digit in the audio. */
  g_message ("call %s: DTMF %c received (%s)", dp_call_get_id (DP_CALL (self)), (char) digit,
             self->peer_telephone_event ? "rfc4733" : "in-band");
}

static gboolean send_hold_reinvite (DpSipCall *self, gboolean hold, GError **error);

static gboolean
session_property_settable (DpMediaSession *media, const char *name)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (media), name);

  return pspec != NULL && (pspec->flags & G_PARAM_WRITABLE) &&
         !(pspec->flags & G_PARAM_CONSTRUCT_ONLY);
}

/* The media asks for a new offer/answer (an SRTP master key nears its
 * limit, and the new offer carries new keys): a re-INVITE that keeps the
 * hold state. While another offer is out or a glare retry waits, nothing
 * now: that retry's offer has the new keys, or the media asks again. */
static void
on_media_renegotiation_needed (DpMediaSession *media, gpointer user_data)
{
  DpSipCall *self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->nh == NULL || !self->own_sdp || self->awaiting_answer || self->glare_id != 0 ||
      !is_connected_state (dp_call_get_state (DP_CALL (self))))
    return;
  g_message ("call %s: re-INVITE for new SRTP keys", dp_call_get_id (DP_CALL (self)));
  if (!send_hold_reinvite (self, self->local_hold, &error))
    g_message ("call %s: re-INVITE for new keys not sent: %s", dp_call_get_id (DP_CALL (self)),
               error->message);
}

static void
stop_media (DpSipCall *self)
{
  g_clear_handle_id (&self->stats_id, g_source_remove);
  if (self->media == NULL)
    return;
  update_stats (self);
  g_clear_signal_handler (&self->dtmf_handler, self->media);
  g_clear_signal_handler (&self->renegotiate_handler, self->media);
  dp_media_session_stop (self->media);
  dp_call_set_media_session (DP_CALL (self), NULL);
  g_clear_object (&self->media);
}

/* Creates the call's media session through the core's provider. */
static gboolean
ensure_media (DpSipCall *self, GError **error)
{
  DpMediaProvider *provider;
  DpSipLine *line = self->line;

  if (self->media != NULL)
    return TRUE;
  provider = line != NULL ? dp_core_get_media_provider (line->ctx->core) : NULL;
  if (provider == NULL)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NO_PROVIDER,
                           _("no media plugin is loaded"));
      return FALSE;
    }
  self->media = dp_media_provider_create_session (provider, line->index,
                                                  line->dial_policy >= 0 &&
                                                  dp_call_get_direction (DP_CALL (self)) ==
                                                  DP_CALL_OUTGOING
                                                  ? (DpSrtpPolicy) line->dial_policy
                                                  : dp_sip_line_srtp_policy (line),
                                                  line->transport == DP_SIP_TRANSPORT_TLS,
                                                  error);
  if (self->media == NULL)
    return FALSE;
  /* Not part of the DpMediaSession contract: set it where it exists. */
  if (session_property_settable (self->media, "local-address"))
    g_object_set (self->media, "local-address", dp_sip_line_media_address (line), NULL);
  if (g_str_has_prefix (dp_sip_line_get (line, "DTMF_Tx_Method"), "InBand") &&
      session_property_settable (self->media, "dtmf-inband"))
    g_object_set (self->media, "dtmf-inband", TRUE, NULL);
  if (line->dial_codecs != NULL && dp_call_get_direction (DP_CALL (self)) == DP_CALL_OUTGOING)
    {
      if (session_property_settable (self->media, "codecs"))
        g_object_set (self->media, "codecs", line->dial_codecs, NULL);
      else
        g_message ("call %s: the media plugin takes no codec list: codec code ignored",
                   dp_call_get_id (DP_CALL (self)));
    }
  self->dtmf_handler = g_signal_connect (self->media, "dtmf-received",
                                         G_CALLBACK (on_media_dtmf), self);
  self->renegotiate_handler = g_signal_connect (self->media, "renegotiation-needed",
                                                G_CALLBACK (on_media_renegotiation_needed), self);
  /* Published for dp_core_conference(), which mixes sessions. */
  dp_call_set_media_session (DP_CALL (self), self->media);
  return TRUE;
}

/* The peer's answer to our offer (18x, 2xx or ACK). FALSE when it cannot
 * be used; the error says why. */
static gboolean
apply_answer (DpSipCall *self, const char *sdp, GError **error)
{
  if (!self->awaiting_answer || self->media == NULL)
    return TRUE;   /* a repeated answer (18x then 200) */
  if (!dp_media_session_set_answer (self->media, sdp, error))
    return FALSE;
  self->awaiting_answer = FALSE;
  note_remote_sdp (self, sdp);
  publish_media (self);
  return TRUE;
}

/* Status code for a media failure answered to an offer. */
static guint
media_error_status (const GError *error, const char **phrase)
{
  if (g_error_matches (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_ACCEPTABLE) ||
      g_error_matches (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP))
    {
      *phrase = sip_488_Not_acceptable;
      return 488;
    }
  *phrase = sip_503_Service_unavailable;
  return 503;
}

static void
detach (DpSipCall *self, gboolean destroy_handle)
{
  stop_media (self);
  g_clear_handle_id (&self->bye_timer_id, g_source_remove);
  g_clear_handle_id (&self->no_answer_id, g_source_remove);
  g_clear_handle_id (&self->glare_id, g_source_remove);
  if (self->nh != NULL)
    {
      nua_handle_bind (self->nh, NULL);
      if (destroy_handle)
        nua_handle_destroy (self->nh);
      self->nh = NULL;
    }
  if (self->line != NULL)
    {
      DpSipLine *line = self->line;

      self->line = NULL;
      dp_sip_line_forget_call (line, DP_CALL (self));   /* may drop the last ref */
    }
}

static void
finish (DpSipCall *self, const char *fallback_reason)
{
  g_autoptr(DpSipCall) keep = g_object_ref (self);

  set_end_reason (self, fallback_reason);
  g_clear_object (&self->transferred_from);
  g_message ("call %s ended: %s", dp_call_get_id (DP_CALL (self)), self->end_reason);
  dp_call_set_state (DP_CALL (self), DP_CALL_STATE_ENDED, self->end_reason);
  detach (self, TRUE);
}

static void
update_connected_state (DpSipCall *self)
{
  DpCallState state = DP_CALL_STATE_ACTIVE;

  if (self->local_hold)
    state = DP_CALL_STATE_HELD;
  else if (self->remote_hold)
    state = DP_CALL_STATE_REMOTE_HELD;
  if (state != dp_call_get_state (DP_CALL (self)))
    g_message ("call %s %s", dp_call_get_id (DP_CALL (self)), dp_call_state_to_string (state));
  dp_call_set_state (DP_CALL (self), state, NULL);
  if (self->transferred_from != NULL)
    {
      g_autoptr(DpSipCall) old = g_steal_pointer (&self->transferred_from);

      /* The transfer is done: leave the referrer's call (it may have sent
       * its BYE already on our NOTIFY 200). */
      if (old->nh != NULL && !old->hangup_requested &&
          is_connected_state (dp_call_get_state (DP_CALL (old))))
        {
          g_message ("call %s: transferred to call %s", dp_call_get_id (DP_CALL (old)),
                     dp_call_get_id (DP_CALL (self)));
          old->hangup_requested = TRUE;
          set_end_reason (old, "transferred");
          nua_bye (old->nh, TAG_END ());
        }
    }
  if (self->media != NULL && self->stats_id == 0)
    {
      update_stats (self);
      self->stats_id = g_timeout_add_seconds (STATS_INTERVAL_S, on_stats_timer, self);
    }
}

static void
update_media (DpSipCall *self, tagi_t tags[])
{
  const char *remote_sdp = NULL;
  const char *local_sdp = NULL;
  g_autoptr(GError) error = NULL;

  tl_gets (tags,
           SOATAG_REMOTE_SDP_STR_REF (remote_sdp),
           SOATAG_LOCAL_SDP_STR_REF (local_sdp),
           TAG_END ());

  if (remote_sdp != NULL)
    {
      g_auto(DpSipSdpInfo) info = { 0 };

      self->have_remote_sdp = TRUE;
      if (dp_sip_sdp_parse (remote_sdp, strlen (remote_sdp), &info, &error))
        {
          self->remote_hold = dp_sip_sdp_info_is_hold (&info);
          /* An answer to our offer names the codec in use first; an offer's
           * first codec is replaced below once our answer exists. */
          if (info.codec != NULL && g_strcmp0 (info.codec, dp_call_get_codec (DP_CALL (self))) != 0)
            dp_call_set_media (DP_CALL (self), info.codec, FALSE, NULL);
        }
      else
        g_warning ("call %s: cannot read the peer's SDP: %s",
                   dp_call_get_id (DP_CALL (self)), error->message);
      g_clear_error (&error);
    }
  if (local_sdp != NULL && self->have_remote_sdp)
    {
      /* Once the peer's SDP is known, SOA's local SDP lists only the common
       * codecs, the one in use first (nua reports the two SDPs in separate
       * events). */
      g_auto(DpSipSdpInfo) info = { 0 };

      if (dp_sip_sdp_parse (local_sdp, strlen (local_sdp), &info, NULL) && info.codec != NULL &&
          g_strcmp0 (info.codec, dp_call_get_codec (DP_CALL (self))) != 0)
        dp_call_set_media (DP_CALL (self), info.codec, FALSE, NULL);
    }
}

static void
send_next_dtmf (DpSipCall *self)
{
  g_autofree char *body = NULL;
  const char *mime;

  if (self->dtmf_in_flight || self->nh == NULL || self->dtmf_queue->len == 0 ||
      self->line == NULL)
    return;
  body = dp_sip_dtmf_info_body (self->dtmf_queue->str[0], DTMF_DURATION_MS, NULL);
  g_string_erase (self->dtmf_queue, 0, 1);
  if (body == NULL)
    return;
  mime = dp_config_get (self->line->ctx->config, "DTMF_Relay_MIME_Type");
  if (mime == NULL || *mime == '\0')
    mime = "application/dtmf-relay";
  self->dtmf_in_flight = TRUE;
  nua_info (self->nh,
            SIPTAG_CONTENT_TYPE_STR (mime),
            SIPTAG_PAYLOAD_STR (body),
            TAG_END ());
}

static gboolean
on_transfer_bye (gpointer user_data)
{
  DpSipCall *self = user_data;

  self->bye_timer_id = 0;
  if (self->nh != NULL)
    nua_bye (self->nh, TAG_END ());
  return G_SOURCE_REMOVE;
}

static void
on_refer_notify (DpSipCall *self, sip_t const *sip)
{
  const char *body;
  gsize len;
  guint code = 0;

  if (sip == NULL || sip->sip_payload == NULL)
    return;
  body = sip->sip_payload->pl_data;
  len = sip->sip_payload->pl_len;
  /* message/sipfrag: "SIP/2.0 200 OK" */
  if (len >= 11 && strncmp (body, "SIP/2.0 ", 8) == 0 &&
      g_ascii_isdigit (body[8]) && g_ascii_isdigit (body[9]) && g_ascii_isdigit (body[10]))
    code = (guint) ((body[8] - '0') * 100 + (body[9] - '0') * 10 + (body[10] - '0'));
  if (code >= 200 && code < 300 && self->bye_timer_id == 0 && self->line != NULL)
    {
      gint64 delay = dp_sip_line_get_int (self->line, "Referor_Bye_Delay");

      set_end_reason (self, "transferred");
      self->bye_timer_id = g_timeout_add_seconds ((guint) CLAMP (delay, 0, 3600),
                                                  on_transfer_bye, self);
    }
  else if (code >= 300)
    g_message ("call %s: transfer failed: %.*s", dp_call_get_id (DP_CALL (self)),
               (int) MIN (len, 80), body);
}

static void schedule_glare_retry (DpSipCall *self);
static DpSipCall *new_outgoing (DpSipLine *line, const char *uri, nua_handle_t *notify_nh,
                                 sip_event_t const *refer_event, const char *referred_by,
                                 const char *replaces, GError **error);

/* Ends the implicit subscription of a REFER we cannot act on. */
static void
refuse_refer (DpSipCall *self, sip_event_t const *refer_event, const char *sipfrag)
{
  if (self->nh == NULL)
    return;
  nua_notify (self->nh,
              NUTAG_SUBSTATE (nua_substate_terminated),
              TAG_IF (refer_event != NULL, SIPTAG_EVENT (refer_event)),
              SIPTAG_CONTENT_TYPE_STR ("message/sipfrag;version=2.0"),
              SIPTAG_PAYLOAD_STR (sipfrag),
              TAG_END ());
}

/* The value of the Replaces URI header of a URI ("?Replaces=..."; a Refer-To
 * or a dialled pickup), unescaped, or NULL. */
static char *
uri_header_replaces (url_t const *url)
{
  g_auto(GStrv) fields = NULL;

  if (url == NULL || url->url_headers == NULL)
    return NULL;
  fields = g_strsplit (url->url_headers, "&", -1);
  for (guint i = 0; fields[i] != NULL; i++)
    if (g_ascii_strncasecmp (fields[i], "Replaces=", 9) == 0)
      return g_uri_unescape_string (fields[i] + 9, NULL);
  return NULL;
}

static void
on_refer (DpSipCall *self, sip_t const *sip, tagi_t tags[])
{
  sip_event_t const *refer_event = NULL;
  su_home_t home[1] = { SU_HOME_INIT (home) };
  g_autoptr(GError) error = NULL;
  g_autofree char *replaces = NULL;
  g_autofree char *target = NULL;
  char *referred_by = NULL;
  url_t *url;
  DpSipCall *next;

  tl_gets (tags, NUTAG_REFER_EVENT_REF (refer_event), TAG_END ());
  if (sip == NULL || sip->sip_refer_to == NULL)
    {
      refuse_refer (self, refer_event, "SIP/2.0 400 Bad Request");
      return;
    }
  if (self->line == NULL || self->line->agent == NULL)
    {
      refuse_refer (self, refer_event, "SIP/2.0 503 Service Unavailable");
      return;
    }
  url = url_hdup (home, sip->sip_refer_to->r_url);
  replaces = uri_header_replaces (url);
  if (url != NULL)
    url->url_headers = NULL;
  target = url != NULL ? g_strdup (url_as_string (home, url)) : NULL;
  if (sip->sip_referred_by != NULL)
    referred_by = sip_header_as_string (home, (sip_header_t const *) sip->sip_referred_by);
  g_message ("call %s: REFER to %s%s", dp_call_get_id (DP_CALL (self)),
             target ? target : "(none)", replaces ? " with Replaces" : "");
  next = target != NULL && (url->url_type == url_sip || url->url_type == url_sips)
    ? new_outgoing (self->line, target, self->nh, refer_event, referred_by, replaces, &error)
    : NULL;
  if (next == NULL)
    {
      g_message ("call %s: transfer refused: %s", dp_call_get_id (DP_CALL (self)),
                 error ? error->message : "Refer-To is not a SIP URI");
      refuse_refer (self, refer_event, "SIP/2.0 400 Bad Request");
    }
  else
    {
      next->transferred_from = g_object_ref (self);
      g_object_unref (next);   /* the line and the core hold it */
    }
  su_home_deinit (home);
}

static void
on_invite_response (DpSipCall *self, int status, const char *phrase, sip_t const *sip)
{
  DpCallState state = dp_call_get_state (DP_CALL (self));

  if (self->own_sdp && status >= 180 && status < 300 && self->awaiting_answer)
    {
      g_autofree char *sdp = body_sdp (sip);
      g_autoptr(GError) error = NULL;

      if (sdp != NULL && !apply_answer (self, sdp, &error))
        {
          g_message ("call %s: the peer's answer is not acceptable: %s",
                     dp_call_get_id (DP_CALL (self)), error->message);
          if (status >= 200)
            {
              /* The 200 is ACKed by nua; the BYE follows in the ready
               * state. No media was ever started. */
              self->awaiting_answer = FALSE;
              set_end_reason (self, "488 Not Acceptable Here");
              if (!is_connected_state (state))
                self->hangup_requested = TRUE;
              else if (self->nh != NULL)
                nua_bye (self->nh, TAG_END ());
            }
        }
    }

  if (is_connected_state (state))
    {
      if (status == 491 && self->nh != NULL)
        {
          self->awaiting_answer = FALSE;
          schedule_glare_retry (self);
          return;
        }
      /* A re-INVITE (hold/resume) failed: the previous media state stays. */
      if (status >= 300)
        {
          g_message ("call %s: re-INVITE failed: %03d %s", dp_call_get_id (DP_CALL (self)),
                     status, phrase);
          self->local_hold = !self->local_hold;
          self->awaiting_answer = FALSE;
          if (self->media != NULL)
            dp_media_session_set_direction (self->media,
                                            self->local_hold ? DP_MEDIA_SENDONLY
                                                             : DP_MEDIA_SENDRECV, NULL);
          update_connected_state (self);
        }
      else if (status >= 200 && self->own_sdp)
        update_connected_state (self);
      return;
    }

  if (status == 180 || status == 183)
    dp_call_set_state (DP_CALL (self), DP_CALL_STATE_RINGBACK, NULL);
  else if (status < 200 && state == DP_CALL_STATE_DIALING)
    dp_call_set_state (DP_CALL (self), DP_CALL_STATE_PROCEEDING, NULL);
  else if ((status == 401 || status == 407) && self->auth_attempts == 0 && self->line != NULL &&
           !self->hangup_requested)
    {
      sip_www_authenticate_t const *au = sip ? sip->sip_www_authenticate : NULL;
      const char *realm;

      if (au == NULL && sip != NULL)
        au = (sip_www_authenticate_t const *) sip->sip_proxy_authenticate;
      realm = au ? msg_params_find (au->au_params, "realm=") : NULL;
      if (realm != NULL)
        {
          g_autofree char *user = dp_sip_line_get_bool (self->line, "Use_Auth_ID")
            ? g_strdup (dp_sip_line_get (self->line, "Auth_ID"))
            : g_strdup (dp_sip_line_get (self->line, "User_ID"));
          g_autofree char *creds =
            dp_sip_digest_credentials (realm, user, dp_sip_line_get (self->line, "Password"));

          self->auth_attempts++;
          nua_authenticate (self->nh, NUTAG_AUTH (creds), TAG_END ());
          return;
        }
    }
  if (status >= 300)
    {
      g_autofree char *line = g_strdup_printf ("%03d %s", status, phrase);

      if (status == 486 || status == 600)
        set_end_reason (self, "busy");
      else if (status == 487 && self->hangup_requested)
        set_end_reason (self, "cancelled");
      else
        set_end_reason (self, line);
    }
}

/* "Signal=5\r\nDuration=160" (application/dtmf-relay) -> '5'; 0 when
 * the body names no DTMF digit. */
static char
info_dtmf_digit (const char *body)
{
  for (const char *p = body; p != NULL && *p != '\0'; p = strchr (p, '\n'), p = p ? p + 1 : NULL)
    {
      while (*p == ' ' || *p == '\t')
        p++;
      if (g_ascii_strncasecmp (p, "Signal", 6) == 0)
        {
          p += 6;
          while (*p == ' ' || *p == '\t')
            p++;
          if (*p != '=')
            continue;
          p++;
          while (*p == ' ' || *p == '\t')
            p++;
          if (g_ascii_isdigit (*p) || *p == '*' || *p == '#' ||
              (g_ascii_toupper (*p) >= 'A' && g_ascii_toupper (*p) <= 'D'))
            return g_ascii_toupper (*p);
          return '\0';
        }
    }
  return '\0';
}

/* A re-INVITE from the peer (own SDP mode): answer its offer, or offer
 * when it has none (the answer comes in the ACK). */
static void
on_reinvite (DpSipCall *self, sip_t const *sip)
{
  g_autofree char *offer = body_sdp (sip);
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;

  if (self->nh == NULL)
    return;
  if (self->media == NULL)
    {
      nua_respond (self->nh, SIP_488_NOT_ACCEPTABLE, TAG_END ());
      return;
    }
  if (offer != NULL)
    body = dp_media_session_create_answer (self->media, offer, &error);
  else
    body = dp_media_session_create_offer (self->media, &error);
  if (body == NULL)
    {
      const char *phrase;
      guint status = media_error_status (error, &phrase);

      g_message ("call %s: re-INVITE refused (%u): %s", dp_call_get_id (DP_CALL (self)),
                 status, error->message);
      nua_respond (self->nh, status, phrase, TAG_END ());
      return;
    }
  if (offer != NULL)
    {
      note_remote_sdp (self, offer);
      publish_media (self);
    }
  else
    self->awaiting_answer = TRUE;
  nua_respond (self->nh, SIP_200_OK,
               SIPTAG_CONTENT_TYPE_STR (SDP_TYPE),
               SIPTAG_PAYLOAD_STR (body),
               TAG_END ());
  if (offer != NULL && is_connected_state (dp_call_get_state (DP_CALL (self))))
    update_connected_state (self);
}

/**
 * dp_sip_call_handle_event:
 *
 * Every nua event on the call's handle comes here (the line dispatches on
 * the handle magic).
 */
void
dp_sip_call_handle_event (DpSipCall   *self,
                          nua_event_t  event,
                          int          status,
                          const char  *phrase,
                          sip_t const *sip,
                          tagi_t       tags[])
{
  g_autoptr(DpSipCall) keep = g_object_ref (self);

  switch (event)
    {
    case nua_r_invite:
      on_invite_response (self, status, phrase, sip);
      break;

    case nua_i_state:
      {
        int callstate = nua_callstate_init;

        tl_gets (tags, NUTAG_CALLSTATE_REF (callstate), TAG_END ());
        update_media (self, tags);
        switch (callstate)
          {
          case nua_callstate_ready:
            if (self->hangup_requested)
              {
                /* Our CANCEL lost the race against the 200: end it now. */
                set_end_reason (self, "cancelled");
                nua_bye (self->nh, TAG_END ());
              }
            else if (self->glare_id == 0)   /* a 491'd re-INVITE changed nothing yet */
              update_connected_state (self);
            break;
          case nua_callstate_terminated:
            finish (self, status >= 300 ? phrase : "ended");
            break;
          default:
            break;
          }
        break;
      }

    case nua_i_bye:
      set_end_reason (self, "remote-hangup");
      stop_media (self);
      break;

    case nua_i_invite:
      /* Only reaches us in own SDP mode: with SOA, nua answers re-INVITEs. */
      on_reinvite (self, sip);
      break;

    case nua_i_ack:
      if (self->own_sdp && self->awaiting_answer)
        {
          g_autofree char *sdp = body_sdp (sip);
          g_autoptr(GError) error = NULL;

          if (sdp == NULL || !apply_answer (self, sdp, &error))
            {
              g_message ("call %s: the ACK carries no usable answer: %s",
                         dp_call_get_id (DP_CALL (self)),
                         error != NULL ? error->message : "no SDP");
              self->awaiting_answer = FALSE;
              set_end_reason (self, "488 Not Acceptable Here");
              if (self->nh != NULL)
                nua_bye (self->nh, TAG_END ());
            }
          else
            update_connected_state (self);
        }
      break;

    case nua_i_cancel:
      set_end_reason (self, "cancelled");
      stop_media (self);
      break;

    case nua_r_info:
      self->dtmf_in_flight = FALSE;
      if (status >= 300)
        g_message ("call %s: INFO DTMF refused: %03d %s", dp_call_get_id (DP_CALL (self)),
                   status, phrase);
      send_next_dtmf (self);
      break;

    case nua_r_refer:
      if (status >= 300)
        g_message ("call %s: REFER refused: %03d %s", dp_call_get_id (DP_CALL (self)),
                   status, phrase);
      break;

    case nua_i_notify:
      on_refer_notify (self, sip);
      break;

    case nua_i_refer:
      on_refer (self, sip, tags);
      break;

    case nua_i_info:
      if (sip != NULL && sip->sip_payload != NULL)
        {
          g_autofree char *body = g_strndup (sip->sip_payload->pl_data,
                                             MIN (sip->sip_payload->pl_len, 1024));
          char digit = info_dtmf_digit (body);

          g_debug ("call %s: INFO from the peer: %.80s", dp_call_get_id (DP_CALL (self)), body);
          if (digit != '\0')
            g_message ("call %s: DTMF %c received (info)", dp_call_get_id (DP_CALL (self)),
                       digit);
        }
      break;

    default:
      break;
    }
}

/**
 * dp_sip_call_terminate:
 *
 * Ends the call at once (line going away, plugin deactivated): the call is
 * ENDED for the core now; sofia finishes the signalling (BYE, CANCEL or a
 * final response) while the nua shuts down.
 */
void
dp_sip_call_terminate (DpSipCall *self, const char *reason)
{
  g_autoptr(DpSipCall) keep = g_object_ref (self);
  DpCallState state = dp_call_get_state (DP_CALL (self));

  if (self->nh != NULL)
    {
      if (is_connected_state (state))
        nua_bye (self->nh, TAG_END ());
      else if (dp_call_get_direction (DP_CALL (self)) == DP_CALL_INCOMING)
        nua_respond (self->nh, SIP_480_TEMPORARILY_UNAVAILABLE, TAG_END ());
      else if (state != DP_CALL_STATE_ENDED)
        nua_cancel (self->nh, TAG_END ());
    }
  set_end_reason (self, reason);
  dp_call_set_state (DP_CALL (self), DP_CALL_STATE_ENDED, self->end_reason);
  /* The handle stays with nua so that nua_shutdown() can finish it. */
  detach (self, FALSE);
}

static gboolean
check_handle (DpSipCall *self, GError **error)
{
  if (self->nh == NULL || self->line == NULL)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
                   _("call %s has ended"), dp_call_get_id (DP_CALL (self)));
      return FALSE;
    }
  return TRUE;
}

/* Answering a call while in another (a waiting call, a page) puts the
 * other connected calls on hold, as the SPA does: one conversation at a
 * time, the others can be resumed. */
static void
hold_other_calls (DpSipCall *self)
{
  GListModel *calls;
  guint n;

  if (self->line == NULL)
    return;
  calls = dp_core_get_calls (self->line->ctx->core);
  n = g_list_model_get_n_items (calls);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DpCall) other = g_list_model_get_item (calls, i);
      g_autoptr(GError) error = NULL;
      DpCallState state = dp_call_get_state (other);

      if (other == DP_CALL (self) || other == DP_CALL (self->replacing) ||
          (state != DP_CALL_STATE_ACTIVE && state != DP_CALL_STATE_REMOTE_HELD))
        continue;
      if (dp_call_hold (other, &error))
        g_message ("call %s held to answer call %s", dp_call_get_id (other),
                   dp_call_get_id (DP_CALL (self)));
      else
        g_message ("call %s not held: %s", dp_call_get_id (other), error->message);
    }
}

static gboolean
dp_sip_call_answer (DpCall *call, GError **error)
{
  DpSipCall *self = DP_SIP_CALL (call);
  g_autofree char *sdp = NULL;

  if (!check_handle (self, error))
    return FALSE;
  if (dp_call_get_direction (call) != DP_CALL_INCOMING ||
      dp_call_get_state (call) != DP_CALL_STATE_RINGING)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
                   _("call %s is not ringing"), dp_call_get_id (call));
      return FALSE;
    }
  if (self->own_sdp)
    {
      g_autoptr(GError) media_error = NULL;

      if (self->media == NULL && !ensure_media (self, &media_error))
        sdp = NULL;
      else if (self->remote_offer != NULL)
        {
          /* The offer was answered inactive while ringing: answer it again
           * both ways (same ports and keys, the valves open). */
          dp_media_session_set_direction (self->media, DP_MEDIA_SENDRECV, NULL);
          sdp = dp_media_session_create_answer (self->media, self->remote_offer, &media_error);
          if (sdp != NULL)
            publish_media (self);
        }
      else
        {
          sdp = dp_media_session_create_offer (self->media, &media_error);
          self->awaiting_answer = sdp != NULL;
        }
      if (sdp == NULL)
        {
          const char *phrase;
          guint status = media_error_status (media_error, &phrase);

          g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_FAILED,
                       _("call %s cannot be answered: %s"), dp_call_get_id (call),
                       media_error->message);
          self->hangup_requested = TRUE;
          set_end_reason (self, status == 488 ? "488 Not Acceptable Here" : "no media");
          nua_respond (self->nh, status, phrase, TAG_END ());
          return FALSE;
        }
      hold_other_calls (self);
      g_clear_handle_id (&self->no_answer_id, g_source_remove);
      nua_respond (self->nh, SIP_200_OK,
                   SIPTAG_CONTENT_TYPE_STR (SDP_TYPE),
                   SIPTAG_PAYLOAD_STR (sdp),
                   TAG_END ());
      return TRUE;
    }
  sdp = dp_sip_line_build_sdp (self->line);
  hold_other_calls (self);
  g_clear_handle_id (&self->no_answer_id, g_source_remove);
  nua_respond (self->nh, SIP_200_OK,
               SOATAG_USER_SDP_STR (sdp),
               TAG_END ());
  return TRUE;
}

static gboolean
dp_sip_call_hangup (DpCall *call, GError **error)
{
  DpSipCall *self = DP_SIP_CALL (call);
  DpCallState state = dp_call_get_state (call);

  if (!check_handle (self, error))
    return FALSE;
  if (self->hangup_requested)
    return TRUE;
  self->hangup_requested = TRUE;
  if (is_connected_state (state))
    {
      set_end_reason (self, "hangup");
      nua_bye (self->nh, TAG_END ());
    }
  else if (dp_call_get_direction (call) == DP_CALL_INCOMING)
    {
      set_end_reason (self, "rejected");
      nua_respond (self->nh, SIP_603_DECLINE, TAG_END ());
    }
  else
    {
      set_end_reason (self, "cancelled");
      nua_cancel (self->nh, TAG_END ());
    }
  return TRUE;
}

/* Sends the re-INVITE that puts the call on hold or takes it off. */
static gboolean
send_hold_reinvite (DpSipCall *self, gboolean hold, GError **error)
{
  if (self->own_sdp && self->media != NULL)
    {
      g_autoptr(GError) media_error = NULL;
      g_autofree char *offer = NULL;
      /* RFC 3264 §8.4: a held stream that the peer holds too is inactive. */
      DpMediaDirection direction = !hold ? DP_MEDIA_SENDRECV
                                         : self->remote_hold ? DP_MEDIA_INACTIVE
                                                             : DP_MEDIA_SENDONLY;

      if (!dp_media_session_set_direction (self->media, direction, &media_error) ||
          (offer = dp_media_session_create_offer (self->media, &media_error)) == NULL)
        {
          g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_FAILED, _("call %s: %s"),
                       dp_call_get_id (DP_CALL (self)), media_error->message);
          return FALSE;
        }
      self->local_hold = hold;
      self->awaiting_answer = TRUE;
      nua_invite (self->nh,
                  SIPTAG_CONTENT_TYPE_STR (SDP_TYPE),
                  SIPTAG_PAYLOAD_STR (offer),
                  TAG_END ());
      return TRUE;
    }
  self->local_hold = hold;
  /* The state follows when the re-INVITE is answered (nua_i_state). */
  nua_invite (self->nh,
              SOATAG_HOLD (hold ? "audio" : NULL),
              TAG_END ());
  return TRUE;
}

static gboolean
change_hold (DpSipCall *self, gboolean hold, GError **error)
{
  DpCallState state = dp_call_get_state (DP_CALL (self));

  if (!check_handle (self, error))
    return FALSE;
  if (!is_connected_state (state) || self->local_hold == hold || self->glare_id != 0)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
                   self->glare_id != 0 ? _("call %s: a re-INVITE waits for its retry")
                   : hold ? _("call %s is not active") : _("call %s is not held"),
                   dp_call_get_id (DP_CALL (self)));
      return FALSE;
    }
  return send_hold_reinvite (self, hold, error);
}

static gboolean
on_glare_retry (gpointer user_data)
{
  DpSipCall *self = user_data;
  g_autoptr(GError) error = NULL;

  self->glare_id = 0;
  if (self->nh == NULL || !is_connected_state (dp_call_get_state (DP_CALL (self))))
    return G_SOURCE_REMOVE;
  g_message ("call %s: re-INVITE sent again after 491", dp_call_get_id (DP_CALL (self)));
  if (!send_hold_reinvite (self, self->local_hold, &error))
    {
      g_message ("call %s: re-INVITE not sent again: %s", dp_call_get_id (DP_CALL (self)),
                 error->message);
      self->local_hold = !self->local_hold;
      update_connected_state (self);
    }
  return G_SOURCE_REMOVE;
}

/* RFC 3261 §14.1: a re-INVITE answered 491 (both ends re-INVITEd at once)
 * is sent again after a random delay: 2.1 to 4 s when this phone owns the
 * Call-ID (it placed the call), else 0 to 2 s, in units of 10 ms. */
static void
schedule_glare_retry (DpSipCall *self)
{
  guint delay_ms = dp_call_get_direction (DP_CALL (self)) == DP_CALL_OUTGOING
    ? (guint) g_random_int_range (210, 401) * 10
    : (guint) g_random_int_range (0, 201) * 10;

  g_clear_handle_id (&self->glare_id, g_source_remove);
  g_message ("call %s: re-INVITE glare (491), retry in %u ms", dp_call_get_id (DP_CALL (self)),
             delay_ms);
  self->glare_id = g_timeout_add (delay_ms, on_glare_retry, self);
}

static gboolean
dp_sip_call_hold (DpCall *call, GError **error)
{
  return change_hold (DP_SIP_CALL (call), TRUE, error);
}

static gboolean
dp_sip_call_resume (DpCall *call, GError **error)
{
  return change_hold (DP_SIP_CALL (call), FALSE, error);
}

static gboolean
dp_sip_call_transfer (DpCall *call, const char *target, GError **error)
{
  DpSipCall *self = DP_SIP_CALL (call);
  g_autofree char *uri = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!check_handle (self, error))
    return FALSE;
  if (!is_connected_state (dp_call_get_state (call)))
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
                   _("call %s is not connected"), dp_call_get_id (call));
      return FALSE;
    }
  uri = dp_sip_target_uri (target, dp_sip_line_get (self->line, "Proxy"),
                           self->line->transport, &local_error);
  if (uri == NULL)
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_BAD_NUMBER,
                           local_error->message);
      return FALSE;
    }
  nua_refer (self->nh, SIPTAG_REFER_TO_STR (uri), TAG_END ());
  return TRUE;
}

/* Attended transfer (RFC 5589 §7): REFER our peer to @other's peer with
 * a Replaces naming @other's dialog, so that the new INVITE takes its
 * place. Both calls end when the transfer succeeds (NOTIFY 2xx here, then
 * Referor_Bye_Delay_n_; the replaced dialog gets a BYE from its peer). */
static gboolean
dp_sip_call_transfer_to_call (DpCall *call, DpCall *other_call, GError **error)
{
  DpSipCall *self = DP_SIP_CALL (call);
  DpSipCall *other;
  su_home_t home[1] = { SU_HOME_INIT (home) };
  sip_replaces_t *replaces;
  char *replaces_str;
  g_autoptr(GString) escaped = NULL;
  g_autofree char *refer_to = NULL;

  if (!check_handle (self, error))
    return FALSE;
  if (!DP_IS_SIP_CALL (other_call) || !check_handle (DP_SIP_CALL (other_call), error) ||
      !is_connected_state (dp_call_get_state (call)) ||
      !is_connected_state (dp_call_get_state (other_call)))
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
                   _("calls %s and %s must both be connected SIP calls"), dp_call_get_id (call),
                   dp_call_get_id (other_call));
      return FALSE;
    }
  other = DP_SIP_CALL (other_call);
  replaces = nua_handle_make_replaces (other->nh, home, 0);
  replaces_str = replaces ? sip_header_as_string (home, (sip_header_t const *) replaces) : NULL;
  if (replaces_str == NULL)
    {
      su_home_deinit (home);
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_FAILED,
                   _("call %s has no dialog to replace"), dp_call_get_id (other_call));
      return FALSE;
    }
  /* The Replaces value becomes a URI header: escape what URI syntax
   * reserves (';' '=' '@' ' ' and friends). */
  escaped = g_string_new (NULL);
  for (const char *p = replaces_str; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || strchr ("-_.!~*'()", *p) != NULL)
        g_string_append_c (escaped, *p);
      else
        g_string_append_printf (escaped, "%%%02X", (guchar) *p);
    }
  su_home_deinit (home);
  refer_to = g_strdup_printf ("<%s?Replaces=%s>", dp_call_get_peer (other_call), escaped->str);
  g_message ("call %s: attended transfer to call %s: Refer-To %s", dp_call_get_id (call),
             dp_call_get_id (other_call), refer_to);
  nua_refer (self->nh, SIPTAG_REFER_TO_STR (refer_to), TAG_END ());
  return TRUE;
}

static gboolean
dp_sip_call_send_dtmf (DpCall *call, const char *digits, GError **error)
{
  DpSipCall *self = DP_SIP_CALL (call);

  if (!check_handle (self, error))
    return FALSE;
  if (!is_connected_state (dp_call_get_state (call)))
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
                   _("call %s is not connected"), dp_call_get_id (call));
      return FALSE;
    }
  for (const char *p = digits; *p != '\0'; p++)
    {
      g_autofree char *check = dp_sip_dtmf_info_body (*p, DTMF_DURATION_MS, NULL);

      if (check == NULL)
        {
          g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_BAD_NUMBER,
                       _("'%s': character %zu is not a DTMF digit (0-9 * # A-D)"),
                       digits, (gsize) (p - digits) + 1);
          return FALSE;
        }
    }
  {
    const char *method = dp_sip_line_get (self->line, "DTMF_Tx_Method");
    gboolean info = FALSE;
    gboolean media = FALSE;

    if (self->media != NULL && dp_media_session_get_codec (self->media) != NULL)
      {
        if (g_str_has_prefix (method, "AVT") || g_strcmp0 (method, "Auto") == 0)
          media = self->peer_telephone_event;
        else if (g_str_has_prefix (method, "InBand"))
          media = TRUE;
      }
    info = !media || g_str_has_suffix (method, "+INFO");
    if (media)
      for (const char *p = digits; *p != '\0'; p++)
        {
          g_autoptr(GError) media_error = NULL;

          if (!dp_media_session_send_dtmf (self->media, *p, DTMF_DURATION_MS, &media_error))
            {
              /* e.g. Opus: no 8 kHz telephone-event; INFO still works. */
              g_message ("call %s: DTMF %c not sent in the media (%s): using INFO",
                         dp_call_get_id (call), *p, media_error->message);
              info = TRUE;
            }
        }
    if (!info)
      return TRUE;
  }
  g_string_append (self->dtmf_queue, digits);
  send_next_dtmf (self);
  return TRUE;
}

static void
dp_sip_call_dispose (GObject *object)
{
  DpSipCall *self = DP_SIP_CALL (object);

  g_clear_handle_id (&self->bye_timer_id, g_source_remove);
  g_clear_handle_id (&self->no_answer_id, g_source_remove);
  g_clear_handle_id (&self->glare_id, g_source_remove);
  stop_media (self);
  if (self->nh != NULL)
    {
      nua_handle_bind (self->nh, NULL);
      self->nh = NULL;
    }
  self->line = NULL;
  G_OBJECT_CLASS (dp_sip_call_parent_class)->dispose (object);
}

static void
dp_sip_call_finalize (GObject *object)
{
  DpSipCall *self = DP_SIP_CALL (object);

  g_free (self->end_reason);
  g_free (self->remote_offer);
  g_free (self->no_answer_uri);
  g_string_free (self->dtmf_queue, TRUE);
  G_OBJECT_CLASS (dp_sip_call_parent_class)->finalize (object);
}

static void
dp_sip_call_class_init (DpSipCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  DpCallClass *call_class = DP_CALL_CLASS (klass);

  object_class->dispose = dp_sip_call_dispose;
  object_class->finalize = dp_sip_call_finalize;
  call_class->answer = dp_sip_call_answer;
  call_class->hangup = dp_sip_call_hangup;
  call_class->hold = dp_sip_call_hold;
  call_class->resume = dp_sip_call_resume;
  call_class->transfer = dp_sip_call_transfer;
  call_class->transfer_to_call = dp_sip_call_transfer_to_call;
  call_class->send_dtmf = dp_sip_call_send_dtmf;
}

static void
dp_sip_call_class_finalize (DpSipCallClass *klass)
{
}

static void
dp_sip_call_init (DpSipCall *self)
{
  self->dtmf_queue = g_string_new (NULL);
  self->call_waiting = -1;
}

void
dp_sip_call_register_type_in (GTypeModule *module)
{
  dp_sip_call_register_type (module);
}

/**
 * dp_sip_call_new_outgoing:
 * @line: the line placing the call
 * @uri: the request URI
 * @error: return location for a #GError
 *
 * Sends the INVITE. The call is added to the line and the core.
 */
DpSipCall *
dp_sip_call_new_outgoing (DpSipLine *line, const char *uri, GError **error)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  url_t *url = url_make (home, uri);
  g_autofree char *address = NULL;
  g_autofree char *replaces = NULL;
  DpSipCall *call = NULL;

  /* URI headers (RFC 3261 §19.1.1): `Replaces` becomes the INVITE's
   * Replaces header (a sidecar pickup dials one); a dialled string may set
   * no other header. The request URI is the address without them. */
  if (url != NULL && url->url_headers != NULL)
    {
      g_auto(GStrv) fields = g_strsplit (url->url_headers, "&", -1);

      for (guint i = 0; fields[i] != NULL; i++)
        if (g_ascii_strncasecmp (fields[i], "Replaces=", 9) != 0)
          {
            g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_BAD_NUMBER,
                         _("cannot call '%s': the URI header '%s' is not supported (only Replaces)"),
                         uri, fields[i]);
            goto out;
          }
      replaces = uri_header_replaces (url);
      url->url_headers = NULL;
      address = g_strdup (url_as_string (home, url));
    }
  call = new_outgoing (line, address ? address : uri, NULL, NULL, NULL, replaces, error);
out:
  su_home_deinit (home);
  return call;
}

/* With @notify_nh: a call made for a REFER received on that handle (nua
 * NOTIFYs its progress there); @referred_by and @replaces are header
 * values for the INVITE. */
static DpSipCall *
new_outgoing (DpSipLine *line, const char *uri, nua_handle_t *notify_nh,
              sip_event_t const *refer_event, const char *referred_by, const char *replaces,
              GError **error)
{
  g_autoptr(DpSipCall) self = NULL;
  g_autofree char *sdp = NULL;

  self = g_object_new (DP_TYPE_SIP_CALL,
                       "line", line->index,
                       "direction", DP_CALL_OUTGOING,
                       "peer", uri,
                       NULL);
  self->line = line;
  self->call_waiting = line->dial_call_waiting;
  self->anonymous = dp_config_get_bool (line->ctx->config, "Block_CID_Serv") &&
    (line->dial_block_cid >= 0 ? line->dial_block_cid
                               : dp_config_get_bool (line->ctx->config, "Block_CID_Setting"));
  self->nh = nua_handle (line->agent->nua, self,
                         SIPTAG_TO_STR (uri),
                         TAG_IF (self->anonymous, SIPTAG_FROM_STR (ANONYMOUS_FROM)),
                         TAG_END ());
  if (self->nh == NULL)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_FAILED,
                   _("cannot call '%s': sofia-sip refused the address"), uri);
      self->line = NULL;
      return NULL;
    }
  self->own_sdp = line->agent->own_sdp;
  if (self->own_sdp)
    {
      g_autoptr(GError) media_error = NULL;

      if (!ensure_media (self, &media_error) ||
          (sdp = dp_media_session_create_offer (self->media, &media_error)) == NULL)
        {
          g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_FAILED, _("cannot call '%s': %s"),
                       uri, media_error->message);
          stop_media (self);
          nua_handle_bind (self->nh, NULL);
          nua_handle_destroy (self->nh);
          self->nh = NULL;
          self->line = NULL;
          return NULL;
        }
      self->awaiting_answer = TRUE;
      g_ptr_array_add (line->calls, g_object_ref (self));
      dp_core_add_call (line->ctx->core, DP_CALL (self));
      nua_invite (self->nh,
                  SIPTAG_CONTENT_TYPE_STR (SDP_TYPE),
                  SIPTAG_PAYLOAD_STR (sdp),
                  TAG_IF (notify_nh != NULL, NUTAG_NOTIFY_REFER (notify_nh)),
                  TAG_IF (refer_event != NULL, NUTAG_REFER_EVENT (refer_event)),
                  TAG_IF (referred_by != NULL, SIPTAG_REFERRED_BY_STR (referred_by)),
                  TAG_IF (replaces != NULL, SIPTAG_REPLACES_STR (replaces)),
                  TAG_IF (self->anonymous, SIPTAG_PRIVACY_STR ("id")),
                  TAG_END ());
      return g_steal_pointer (&self);
    }
  sdp = dp_sip_line_build_sdp (line);
  g_ptr_array_add (line->calls, g_object_ref (self));
  dp_core_add_call (line->ctx->core, DP_CALL (self));
  nua_invite (self->nh,
              SOATAG_USER_SDP_STR (sdp),
              SOATAG_RTP_SORT (SOA_RTP_SORT_REMOTE),
              SOATAG_RTP_SELECT (SOA_RTP_SELECT_COMMON),
              TAG_IF (notify_nh != NULL, NUTAG_NOTIFY_REFER (notify_nh)),
              TAG_IF (refer_event != NULL, NUTAG_REFER_EVENT (refer_event)),
              TAG_IF (referred_by != NULL, SIPTAG_REFERRED_BY_STR (referred_by)),
              TAG_IF (replaces != NULL, SIPTAG_REPLACES_STR (replaces)),
              TAG_IF (self->anonymous, SIPTAG_PRIVACY_STR ("id")),
              TAG_END ());
  return g_steal_pointer (&self);
}

/**
 * dp_sip_call_new_incoming:
 * @line: the line the INVITE came in on
 * @nh: its handle (the call takes it over)
 * @sip: the INVITE
 *
 * Rings: answers 180 Ringing and publishes the call as RINGING. In own
 * SDP mode an offer the media session refuses is answered 488 (or 503 when
 * media is unavailable) instead, and %NULL is returned.
 */
DpSipCall *
dp_sip_call_new_incoming (DpSipLine *line, nua_handle_t *nh, sip_t const *sip)
{
  g_autoptr(DpSipCall) self = NULL;
  g_autofree char *sdp = NULL;
  char peer[512] = "";
  const char *display = NULL;

  if (sip != NULL && sip->sip_from != NULL)
    {
      url_e (peer, sizeof peer - 1, sip->sip_from->a_url);
      peer[sizeof peer - 1] = '\0';
      display = sip->sip_from->a_display;
    }
  self = g_object_new (DP_TYPE_SIP_CALL,
                       "line", line->index,
                       "direction", DP_CALL_INCOMING,
                       "peer", peer,
                       NULL);
  if (display != NULL)
    {
      g_autofree char *name = g_strdup (display);
      gsize len = strlen (name);

      if (len >= 2 && name[0] == '"' && name[len - 1] == '"')
        {
          memmove (name, name + 1, len - 2);
          name[len - 2] = '\0';
        }
      dp_call_set_peer (DP_CALL (self), peer, name);
    }
  self->line = line;
  self->nh = nh;
  nua_handle_bind (nh, self);
  self->own_sdp = line->agent != NULL && line->agent->own_sdp;
  if (self->own_sdp)
    {
      g_autoptr(GError) media_error = NULL;
      g_autofree char *answer = NULL;

      self->remote_offer = body_sdp (sip);
      if (self->remote_offer == NULL && sip != NULL && sip->sip_payload != NULL &&
          sip->sip_payload->pl_len > 0)
        {
          /* A body that is not SDP (RFC 3261 §21.4.13). */
          g_message ("line %u: incoming call from %s refused (415): body is not SDP",
                     line->index, peer);
          nua_handle_bind (nh, NULL);
          self->nh = NULL;
          self->line = NULL;
          nua_respond (nh, SIP_415_UNSUPPORTED_MEDIA, SIPTAG_ACCEPT_STR (SDP_TYPE), TAG_END ());
          nua_handle_destroy (nh);
          return NULL;
        }
      /* Answered inactive now so that a bad offer is refused before the
       * phone rings (see the top of the file). */
      if (ensure_media (self, &media_error) && self->remote_offer != NULL &&
          dp_media_session_set_direction (self->media, DP_MEDIA_INACTIVE, &media_error))
        answer = dp_media_session_create_answer (self->media, self->remote_offer, &media_error);
      if (media_error != NULL)
        {
          const char *phrase;
          guint status = media_error_status (media_error, &phrase);

          g_message ("line %u: incoming call from %s refused (%u): %s", line->index, peer,
                     status, media_error->message);
          stop_media (self);
          nua_handle_bind (nh, NULL);
          self->nh = NULL;
          self->line = NULL;
          nua_respond (nh, status, phrase, TAG_END ());
          nua_handle_destroy (nh);
          return NULL;
        }
      if (self->remote_offer != NULL)
        note_remote_sdp (self, self->remote_offer);
      g_ptr_array_add (line->calls, g_object_ref (self));
      dp_call_set_state (DP_CALL (self), DP_CALL_STATE_RINGING, NULL);
      dp_core_add_call (line->ctx->core, DP_CALL (self));
      nua_respond (nh, SIP_180_RINGING, TAG_END ());
      return g_steal_pointer (&self);
    }
  sdp = dp_sip_line_build_sdp (line);
  /* SOA answers the offer with this when the user answers. */
  nua_set_hparams (nh, SOATAG_USER_SDP_STR (sdp),
                   SOATAG_RTP_SORT (SOA_RTP_SORT_LOCAL),
                   SOATAG_RTP_SELECT (SOA_RTP_SELECT_COMMON),
                   TAG_END ());
  g_ptr_array_add (line->calls, g_object_ref (self));
  dp_call_set_state (DP_CALL (self), DP_CALL_STATE_RINGING, NULL);
  dp_core_add_call (line->ctx->core, DP_CALL (self));
  nua_respond (nh, SIP_180_RINGING, TAG_END ());
  return g_steal_pointer (&self);
}

/**
 * dp_sip_call_replace:
 * @self: the call an incoming INVITE with Replaces names
 *
 * Ends @self for the call that replaces it (RFC 3891): BYE when connected,
 * CANCEL when it is our outgoing early call. Returns %FALSE, doing
 * nothing, for a call that cannot be replaced (an incoming call still
 * ringing, or one ending): the INVITE then gets 481.
 */
gboolean
dp_sip_call_replace (DpSipCall *self)
{
  DpCallState state = dp_call_get_state (DP_CALL (self));

  if (self->nh == NULL || self->hangup_requested || state == DP_CALL_STATE_ENDED ||
      (dp_call_get_direction (DP_CALL (self)) == DP_CALL_INCOMING &&
       !is_connected_state (state)))
    return FALSE;
  self->hangup_requested = TRUE;
  set_end_reason (self, "replaced");
  if (is_connected_state (state))
    nua_bye (self->nh, TAG_END ());
  else
    nua_cancel (self->nh, TAG_END ());
  return TRUE;
}

/* Cfwd_No_Ans_Delay ran out while the call was still ringing. */
static gboolean
on_no_answer (gpointer user_data)
{
  DpSipCall *self = user_data;
  g_autofree char *contact = NULL;

  self->no_answer_id = 0;
  if (self->nh == NULL || self->hangup_requested ||
      dp_call_get_state (DP_CALL (self)) != DP_CALL_STATE_RINGING)
    return G_SOURCE_REMOVE;
  contact = g_strdup_printf ("<%s>", self->no_answer_uri);
  g_message ("call %s: not answered, forwarded to %s (302)", dp_call_get_id (DP_CALL (self)),
             self->no_answer_uri);
  self->hangup_requested = TRUE;
  set_end_reason (self, "forwarded");
  nua_respond (self->nh, SIP_302_MOVED_TEMPORARILY, SIPTAG_CONTACT_STR (contact), TAG_END ());
  return G_SOURCE_REMOVE;
}

/**
 * dp_sip_call_forward_on_no_answer:
 * @self: an incoming call that rings
 * @seconds: `Cfwd_No_Ans_Delay`
 * @uri: where to send the caller
 *
 * Answers 302 to @uri when the call still rings after @seconds (the
 * timer stops when the call is answered or ends).
 */
void
dp_sip_call_forward_on_no_answer (DpSipCall *self, guint seconds, const char *uri)
{
  g_clear_handle_id (&self->no_answer_id, g_source_remove);
  g_free (self->no_answer_uri);
  self->no_answer_uri = g_strdup (uri);
  self->no_answer_id = g_timeout_add_seconds (seconds, on_no_answer, self);
}

/**
 * dp_sip_call_get_call_waiting:
 *
 * The call waiting setting dialled for this call (*71: 1, *70: 0), or -1
 * when `CW_Setting` applies.
 */
int
dp_sip_call_get_call_waiting (DpSipCall *self)
{
  return self->call_waiting;
}

/**
 * dp_sip_call_set_replacing:
 *
 * Names the call that @self replaces (RFC 3891): answering @self puts the
 * other calls on hold, but that one ends instead.
 */
void
dp_sip_call_set_replacing (DpSipCall *self, DpSipCall *replaced)
{
  self->replacing = replaced;
}
