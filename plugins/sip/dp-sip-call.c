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
 *   previous one is answered. RFC 4733 is the media plugin's job.
 */
#define G_LOG_DOMAIN "dp-sip"

#include "dp-sip-private.h"

#include <string.h>

#define DTMF_DURATION_MS 160

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

static void
detach (DpSipCall *self, gboolean destroy_handle)
{
  g_clear_handle_id (&self->bye_timer_id, g_source_remove);
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

static void
on_invite_response (DpSipCall *self, int status, const char *phrase, sip_t const *sip)
{
  DpCallState state = dp_call_get_state (DP_CALL (self));

  if (is_connected_state (state))
    {
      /* A re-INVITE (hold/resume) failed: the previous media state stays. */
      if (status >= 300)
        {
          g_message ("call %s: re-INVITE failed: %03d %s", dp_call_get_id (DP_CALL (self)),
                     status, phrase);
          self->local_hold = !self->local_hold;
          update_connected_state (self);
        }
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
            else
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
      break;

    case nua_i_cancel:
      set_end_reason (self, "cancelled");
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

    case nua_i_info:
      if (sip != NULL && sip->sip_payload != NULL)
        g_debug ("call %s: INFO from the peer: %.*s", dp_call_get_id (DP_CALL (self)),
                 (int) MIN (sip->sip_payload->pl_len, 80), sip->sip_payload->pl_data);
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
                   "call %s has ended", dp_call_get_id (DP_CALL (self)));
      return FALSE;
    }
  return TRUE;
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
                   "call %s is not ringing", dp_call_get_id (call));
      return FALSE;
    }
  sdp = dp_sip_line_build_sdp (self->line);
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

static gboolean
change_hold (DpSipCall *self, gboolean hold, GError **error)
{
  DpCallState state = dp_call_get_state (DP_CALL (self));

  if (!check_handle (self, error))
    return FALSE;
  if (!is_connected_state (state) || self->local_hold == hold)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
                   hold ? "call %s is not active" : "call %s is not held",
                   dp_call_get_id (DP_CALL (self)));
      return FALSE;
    }
  self->local_hold = hold;
  /* The state follows when the re-INVITE is answered (nua_i_state). */
  nua_invite (self->nh,
              SOATAG_HOLD (hold ? "audio" : NULL),
              TAG_END ());
  return TRUE;
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
                   "call %s is not connected", dp_call_get_id (call));
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

static gboolean
dp_sip_call_send_dtmf (DpCall *call, const char *digits, GError **error)
{
  DpSipCall *self = DP_SIP_CALL (call);

  if (!check_handle (self, error))
    return FALSE;
  if (!is_connected_state (dp_call_get_state (call)))
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
                   "call %s is not connected", dp_call_get_id (call));
      return FALSE;
    }
  for (const char *p = digits; *p != '\0'; p++)
    {
      g_autofree char *check = dp_sip_dtmf_info_body (*p, DTMF_DURATION_MS, NULL);

      if (check == NULL)
        {
          g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_BAD_NUMBER,
                       "'%s': character %zu is not a DTMF digit (0-9 * # A-D)",
                       digits, (gsize) (p - digits) + 1);
          return FALSE;
        }
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
  g_autoptr(DpSipCall) self = NULL;
  g_autofree char *sdp = NULL;

  self = g_object_new (DP_TYPE_SIP_CALL,
                       "line", line->index,
                       "direction", DP_CALL_OUTGOING,
                       "peer", uri,
                       NULL);
  self->line = line;
  self->nh = nua_handle (line->agent->nua, self,
                         SIPTAG_TO_STR (uri),
                         TAG_END ());
  if (self->nh == NULL)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_FAILED,
                   "cannot call '%s': sofia-sip refused the address", uri);
      self->line = NULL;
      return NULL;
    }
  sdp = dp_sip_line_build_sdp (line);
  g_ptr_array_add (line->calls, g_object_ref (self));
  dp_core_add_call (line->ctx->core, DP_CALL (self));
  nua_invite (self->nh,
              SOATAG_USER_SDP_STR (sdp),
              SOATAG_RTP_SORT (SOA_RTP_SORT_REMOTE),
              SOATAG_RTP_SELECT (SOA_RTP_SELECT_COMMON),
              TAG_END ());
  return g_steal_pointer (&self);
}

/**
 * dp_sip_call_new_incoming:
 * @line: the line the INVITE came in on
 * @nh: its handle (the call takes it over)
 * @sip: the INVITE
 *
 * Rings: answers 180 Ringing and publishes the call as RINGING.
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
