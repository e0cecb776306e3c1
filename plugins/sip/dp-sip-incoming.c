/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The incoming-call policy of a line: what the phone answers to a new
 * INVITE (spa9x2-reference §5.1, §8.1 supplementary services, User tab).
 *
 * Decisions, in the order they are checked:
 * - An INVITE that sofia parsed but RFC 3261 forbids (a From, To or Contact
 *   URI sofia could not read, a CSeq of 2^31 or more; found by PROTOS
 *   c07-sip): 400 with the reason (malformed_invite()).
 * - An INVITE whose `Accept` header does not accept application/sdp (no
 *   entry application/sdp, application/ * or * / * with q > 0; an empty
 *   Accept accepts nothing, RFC 3261 20.1): 406 Not Acceptable with
 *   `Accept: application/sdp`, since every answer the phone can give
 *   carries SDP (RFC 4475 3.3.15 / sdp01).
 * - An INVITE with Replaces (RFC 3891): see on_incoming_replaces().
 * - Block anonymous callers (`Block_ANC_Setting` Yes and `Block_ANC_Serv`
 *   Yes): a caller whose From is anonymous (user `anonymous`, or host
 *   `anonymous.invalid`, RFC 3323 §4.1.1.3) or whose request carries
 *   `Privacy: id`, `user` or `header` gets 433 Anonymity Disallowed
 *   (RFC 5079).
 * - `DND_Setting` Yes: 486 Busy Here.
 * - `Cfwd_All_Dest` set (and `Cfwd_All_Serv` Yes): 302 Moved Temporarily
 *   to it (a number becomes sip:NUMBER@Proxy_n_).
 * - The line should be registered and is not, and `Ans_Call_Without_Reg_n_`
 *   is No: 480 Temporarily Unavailable.
 * - The phone is in a call (any line has a call that is not an incoming
 *   call still ringing): with call waiting on (`CW_Setting`, overridden for
 *   the duration of a call placed after *71 / *70) the new call rings as a
 *   waiting call: 180, the media provider plays `Call_Waiting_Tone` until
 *   it stops ringing, and both calls are listed; answering it holds the
 *   other connected calls (dp-sip-call.c). With call waiting off the phone
 *   is busy: 302 to `Cfwd_Busy_Dest` when set (and `Cfwd_Busy_Serv` Yes),
 *   else 486 Busy Here.
 * - A page (an INVITE with `Call-Info: ...;answer-after=0`, or an
 *   `Alert-Info` naming `intercom`, `auto-answer` or `autoanswer`) is
 *   answered at once, with `Page_Tone` played, when `Auto_Answer_Page` and
 *   `Paging_Serv` are Yes and the phone is not in a call (the catalogue
 *   has no "auto-answer on an active call" parameter, so a page during a
 *   call rings as a waiting call). `Auth_Page_n_` Yes asks pages to
 *   authenticate, which this phone cannot check yet: such pages ring as
 *   ordinary calls (logged), rather than opening the speaker unchecked.
 * - Otherwise the call rings; with `Cfwd_No_Ans_Dest` set (and
 *   `Cfwd_No_Ans_Serv` Yes) a call still ringing after `Cfwd_No_Ans_Delay`
 *   seconds gets 302 to it (after the 180, no CANCEL involved); end reason
 *   "forwarded". A delay of 0 forwards at once after the 180.
 */
#define G_LOG_DOMAIN "dp-sip"

#include "dp-sip-private.h"

#include <string.h>

/* Whether the Accept list of a request lets us answer with SDP. No Accept
 * header means application/sdp (RFC 3261 20.1). */
static gboolean
accepts_sdp (sip_t const *sip)
{
  if (sip == NULL || sip->sip_accept == NULL)
    return TRUE;
  for (sip_accept_t const *ac = sip->sip_accept; ac != NULL; ac = ac->ac_next)
    {
      /* ac_type is the whole "type/subtype". */
      const char *type = ac->ac_type;

      if (type == NULL || *type == '\0')
        continue;
      if (ac->ac_q != NULL && g_ascii_strtod (ac->ac_q, NULL) <= 0.0)
        continue;
      if (g_ascii_strcasecmp (type, "application/sdp") == 0 ||
          g_ascii_strcasecmp (type, "application/*") == 0 ||
          g_ascii_strcasecmp (type, "*/*") == 0)
        return TRUE;
    }
  return FALSE;
}

/* Every value of the header @name, lower-cased and joined by newlines:
 * the parsed ones (@first, a chain) and those sofia kept as unknown
 * (extension headers its parser was not built with). */
static char *
header_text (sip_t const *sip, sip_header_t const *first, const char *name)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  GString *text = g_string_new (NULL);

  for (sip_header_t const *h = first; h != NULL; h = (sip_header_t const *) h->sh_next)
    {
      char *value = sip_header_as_string (home, h);

      if (value != NULL)
        g_string_append_printf (text, "%s\n", value);
    }
  for (sip_unknown_t const *un = sip ? sip->sip_unknown : NULL; un != NULL; un = un->un_next)
    if (un->un_name != NULL && un->un_value != NULL && g_ascii_strcasecmp (un->un_name, name) == 0)
      g_string_append_printf (text, "%s\n", un->un_value);
  su_home_deinit (home);
  {
    char *lower = g_ascii_strdown (text->str, -1);

    g_string_free (text, TRUE);
    return lower;
  }
}

/* RFC 3323: an anonymous From, or a Privacy asking to hide the identity. */
static gboolean
is_anonymous (sip_t const *sip)
{
  url_t const *url;
  g_autofree char *privacy = NULL;
  g_auto(GStrv) values = NULL;

  if (sip == NULL)
    return FALSE;
  url = sip->sip_from != NULL ? sip->sip_from->a_url : NULL;
  if (url != NULL && ((url->url_user != NULL && g_ascii_strcasecmp (url->url_user, "anonymous") == 0) ||
                      (url->url_host != NULL &&
                       g_ascii_strcasecmp (url->url_host, "anonymous.invalid") == 0)))
    return TRUE;
  privacy = header_text (sip, (sip_header_t const *) sip->sip_privacy, "Privacy");
  values = g_strsplit_set (privacy, ";,\n ", -1);
  for (guint i = 0; values[i] != NULL; i++)
    if (g_str_equal (values[i], "id") || g_str_equal (values[i], "user") ||
        g_str_equal (values[i], "header"))
      return TRUE;
  return FALSE;
}

/* A page / intercom call: Call-Info answer-after=0 or an auto-answer
 * Alert-Info (the forms Asterisk, FreeSWITCH and Broadsoft send). */
static gboolean
is_page (sip_t const *sip)
{
  g_autofree char *call_info = NULL;
  g_autofree char *alert_info = NULL;

  if (sip == NULL)
    return FALSE;
  call_info = header_text (sip, (sip_header_t const *) sip->sip_call_info, "Call-Info");
  alert_info = header_text (sip, (sip_header_t const *) sip_alert_info (sip), "Alert-Info");
  for (const char *p = strstr (call_info, "answer-after"); p != NULL;
       p = strstr (p + 1, "answer-after"))
    {
      const char *v = p + strlen ("answer-after");

      while (*v == ' ')
        v++;
      if (*v == '=')
        {
          v++;
          while (*v == ' ' || *v == '"')
            v++;
          if (*v == '0' && !g_ascii_isdigit (v[1]))
            return TRUE;
        }
    }
  return strstr (alert_info, "intercom") != NULL || strstr (alert_info, "auto-answer") != NULL ||
         strstr (alert_info, "autoanswer") != NULL;
}

/* Whether a call keeps the phone busy: anything but an incoming call that
 * still rings (the user is not in it yet). */
static gboolean
call_occupies (DpCall *call)
{
  DpCallState state = dp_call_get_state (call);

  return state != DP_CALL_STATE_ENDED &&
         !(state == DP_CALL_STATE_RINGING && dp_call_get_direction (call) == DP_CALL_INCOMING);
}

/* -1: the phone is in no call; else whether call waiting applies (the
 * per-call *71 / *70 of a call in progress, else CW_Setting). */
static int
call_waiting_state (DpSipLine *line)
{
  GListModel *calls = dp_core_get_calls (line->ctx->core);
  guint n = g_list_model_get_n_items (calls);
  int busy = -1;
  int override = -1;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DpCall) call = g_list_model_get_item (calls, i);

      if (!call_occupies (call))
        continue;
      busy = 1;
      if (DP_IS_SIP_CALL (call) && dp_sip_call_get_call_waiting (DP_SIP_CALL (call)) >= 0)
        override = dp_sip_call_get_call_waiting (DP_SIP_CALL (call));
    }
  if (busy < 0)
    return -1;
  if (override >= 0)
    return override;
  return dp_config_get_bool (line->ctx->config, "CW_Setting");
}

/* The URI a forward destination stands for, or NULL (logged). */
char *
dp_sip_line_forward_uri (DpSipLine *line, const char *destination, const char *parameter)
{
  g_autoptr(GError) error = NULL;
  char *uri = dp_sip_target_uri (destination, dp_sip_line_get (line, "Proxy"), line->transport,
                                 &error);

  if (uri == NULL)
    g_warning ("line %u: %s '%s' is not a usable destination: %s", line->index, parameter,
               destination, error->message);
  return uri;
}

/* The forward destination of @dest_param when set and its service
 * parameter is Yes, as a URI; else NULL. */
static char *
forward_target (DpSipLine *line, const char *dest_param, const char *serv_param)
{
  const char *dest = dp_config_get (line->ctx->config, dest_param);

  if (dest == NULL || *dest == '\0' || !dp_config_get_bool (line->ctx->config, serv_param))
    return NULL;
  return dp_sip_line_forward_uri (line, dest, dest_param);
}

static void
refuse (nua_handle_t *nh, int status, const char *phrase)
{
  nua_respond (nh, status, phrase, TAG_END ());
  nua_handle_destroy (nh);
}

static void
redirect (DpSipLine *line, nua_handle_t *nh, const char *uri, const char *why)
{
  g_autofree char *contact = g_strdup_printf ("<%s>", uri);

  g_message ("line %u: incoming call forwarded to %s (302, %s)", line->index, uri, why);
  nua_respond (nh, SIP_302_MOVED_TEMPORARILY, SIPTAG_CONTACT_STR (contact), TAG_END ());
  nua_handle_destroy (nh);
}

/**
 * dp_sip_line_play_tone:
 *
 * Plays a tone parameter (`Call_Waiting_Tone`, `Page_Tone`, ...) through
 * the core's media provider; a phone without one (or whose provider plays
 * no tones) logs why and goes on: the call itself does not depend on it.
 */
gboolean
dp_sip_line_play_tone (DpSipLine *line, const char *tone)
{
  DpMediaProvider *provider = dp_core_get_media_provider (line->ctx->core);
  g_autoptr(GError) error = NULL;

  if (provider == NULL)
    {
      g_message ("line %u: no media provider: %s not played", line->index, tone);
      return FALSE;
    }
  if (!dp_media_provider_play_tone (provider, tone, &error))
    {
      g_message ("line %u: %s not played: %s", line->index, tone, error->message);
      return FALSE;
    }
  g_message ("line %u: playing %s", line->index, tone);
  return TRUE;
}

/* The waiting call stopped ringing (answered, forwarded, gone): the call
 * waiting tone stops with it. */
static void
on_waiting_state_changed (DpCall *call, int old_state, gpointer user_data)
{
  DpSipLine *line = user_data;
  DpMediaProvider *provider;

  if (dp_call_get_state (call) == DP_CALL_STATE_RINGING)
    return;
  g_signal_handlers_disconnect_by_func (call, on_waiting_state_changed, user_data);
  provider = dp_core_get_media_provider (line->ctx->core);
  if (provider != NULL)
    {
      dp_media_provider_stop_tone (provider);
      g_message ("line %u: call %s no longer waiting: Call_Waiting_Tone stopped", line->index,
                 dp_call_get_id (call));
    }
}

/* RFC 3891: an INVITE that replaces one of our calls is answered at once
 * (no ringing, DND and forwarding do not apply: the user is in that call
 * already) and the replaced call ends; see dp-sip-call.c. */
static void
on_incoming_replaces (DpSipLine *line, nua_handle_t *nh, sip_t const *sip)
{
  nua_handle_t *old_nh = nua_handle_by_replaces (line->agent->nua, sip->sip_replaces);
  gpointer magic = old_nh != NULL ? nua_handle_magic (old_nh) : NULL;
  DpSipCall *old = magic != NULL && G_TYPE_CHECK_INSTANCE_TYPE (magic, DP_TYPE_SIP_CALL)
    ? g_object_ref (DP_SIP_CALL (magic)) : NULL;
  g_autoptr(GError) error = NULL;

  if (old_nh != NULL)
    nua_handle_unref (old_nh);
  if (old == NULL || dp_call_get_state (DP_CALL (old)) == DP_CALL_STATE_ENDED ||
      (dp_call_get_direction (DP_CALL (old)) == DP_CALL_INCOMING &&
       dp_call_get_state (DP_CALL (old)) == DP_CALL_STATE_RINGING))
    {
      g_message ("line %u: INVITE with Replaces matches no replaceable call (481)",
                 line->index);
      refuse (nh, SIP_481_NO_TRANSACTION);
      g_clear_object (&old);
      return;
    }
  g_autoptr(DpSipCall) call = dp_sip_call_new_incoming (line, nh, sip);
  if (call != NULL)
    {
      g_message ("line %u: incoming call %s replaces call %s", line->index,
                 dp_call_get_id (DP_CALL (call)), dp_call_get_id (DP_CALL (old)));
      /* The replaced call is not "another call" to hold: it ends. */
      dp_sip_call_set_replacing (call, old);
      if (!dp_call_answer (DP_CALL (call), &error))
        g_message ("line %u: cannot answer the replacing call: %s", line->index,
                   error->message);
      else
        dp_sip_call_replace (old);
    }
  g_object_unref (old);
}

/* What sofia's parser lets through but RFC 3261 forbids in an INVITE that
 * would start a call, as a 400 reason phrase; NULL when nothing is wrong.
 * sofia keeps a From/To/Contact whose URI it cannot parse (url_invalid)
 * and a CSeq number of 2^31 or more: PROTOS c07-sip sip-to-left-paranthesis
 * ("To: x <<<<sip:...>"), sip-contact-left-paranthesis and sip-cseq-integer
 * (2147483648) rang as calls, which could never be answered or ended
 * properly. A missing Contact stays allowed (RFC 2543 peers, RFC 4475
 * inv2543). */
static const char *
malformed_invite (sip_t const *sip)
{
  if (sip == NULL)
    return NULL;
  if (sip->sip_from != NULL && sip->sip_from->a_url->url_type == url_invalid)
    return "Bad From URI";
  if (sip->sip_to != NULL && sip->sip_to->a_url->url_type == url_invalid)
    return "Bad To URI";
  for (sip_contact_t const *m = sip->sip_contact; m != NULL; m = m->m_next)
    if (m->m_url->url_type == url_invalid)
      return "Bad Contact URI";
  if (sip->sip_cseq != NULL && sip->sip_cseq->cs_seq > G_MAXINT32)
    return "CSeq number too large";
  return NULL;
}

/**
 * dp_sip_line_incoming_invite:
 * @line: the line the INVITE came in on
 * @nh: its handle (taken over: answered and destroyed, or given to a call)
 * @sip: the INVITE
 *
 * Applies the policy at the top of this file.
 */
void
dp_sip_line_incoming_invite (DpSipLine *line, nua_handle_t *nh, sip_t const *sip)
{
  DpConfig *config = line->ctx->config;
  g_autofree char *forward = NULL;
  int waiting;
  gboolean page;
  const char *malformed = malformed_invite (sip);

  if (malformed != NULL)
    {
      g_message ("line %u: incoming INVITE refused (400): %s", line->index, malformed);
      nua_respond (nh, 400, malformed, TAG_END ());
      nua_handle_destroy (nh);
      return;
    }
  if (!accepts_sdp (sip))
    {
      g_message ("line %u: incoming INVITE does not accept application/sdp (406)",
                 line->index);
      nua_respond (nh, SIP_406_NOT_ACCEPTABLE, SIPTAG_ACCEPT_STR ("application/sdp"),
                   TAG_END ());
      nua_handle_destroy (nh);
      return;
    }
  if (sip != NULL && sip->sip_replaces != NULL)
    {
      on_incoming_replaces (line, nh, sip);
      return;
    }
  if (dp_config_get_bool (config, "Block_ANC_Setting") &&
      dp_config_get_bool (config, "Block_ANC_Serv") && is_anonymous (sip))
    {
      g_message ("line %u: anonymous caller refused (433)", line->index);
      refuse (nh, 433, "Anonymity Disallowed");
      return;
    }
  if (dp_config_get_bool (config, "DND_Setting"))
    {
      g_message ("line %u: do not disturb: incoming call refused (486)", line->index);
      refuse (nh, SIP_486_BUSY_HERE);
      return;
    }
  forward = forward_target (line, "Cfwd_All_Dest", "Cfwd_All_Serv");
  if (forward != NULL)
    {
      redirect (line, nh, forward, "forward all");
      return;
    }
  if (dp_sip_line_is_unregistered (line) && !dp_sip_line_get_bool (line, "Ans_Call_Without_Reg"))
    {
      refuse (nh, SIP_480_TEMPORARILY_UNAVAILABLE);
      return;
    }
  waiting = call_waiting_state (line);
  if (waiting == 0)
    {
      forward = forward_target (line, "Cfwd_Busy_Dest", "Cfwd_Busy_Serv");
      if (forward != NULL)
        redirect (line, nh, forward, "busy");
      else
        {
          g_message ("line %u: in a call, call waiting off: incoming call refused (486)",
                     line->index);
          refuse (nh, SIP_486_BUSY_HERE);
        }
      return;
    }

  g_autoptr(DpSipCall) call = dp_sip_call_new_incoming (line, nh, sip);
  if (call == NULL)
    return;
  g_message ("line %u: incoming call %s from %s%s", line->index,
             dp_call_get_id (DP_CALL (call)), dp_call_get_peer (DP_CALL (call)),
             waiting > 0 ? " (call waiting)" : "");
  page = is_page (sip);
  if (page && waiting < 0 && dp_config_get_bool (config, "Auto_Answer_Page") &&
      dp_config_get_bool (config, "Paging_Serv"))
    {
      g_autoptr(GError) error = NULL;

      if (dp_sip_line_get_bool (line, "Auth_Page"))
        g_message ("line %u: page not auto-answered: Auth_Page is Yes and page "
                   "authentication is not supported; ringing", line->index);
      else if (!dp_call_answer (DP_CALL (call), &error))
        g_message ("line %u: page not auto-answered: %s", line->index, error->message);
      else
        {
          g_message ("line %u: page: call %s answered automatically", line->index,
                     dp_call_get_id (DP_CALL (call)));
          dp_sip_line_play_tone (line, "Page_Tone");
          return;
        }
    }
  if (waiting > 0 && dp_sip_line_play_tone (line, "Call_Waiting_Tone"))
    g_signal_connect (call, "state-changed", G_CALLBACK (on_waiting_state_changed), line);
  forward = forward_target (line, "Cfwd_No_Ans_Dest", "Cfwd_No_Ans_Serv");
  if (forward != NULL)
    dp_sip_call_forward_on_no_answer (call, (guint) CLAMP (dp_config_get_int (config,
                                                                             "Cfwd_No_Ans_Delay"),
                                                           0, 255), forward);
}
