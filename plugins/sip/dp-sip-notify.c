/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Out-of-dialog NOTIFY on a line (spa9x2-reference §1.10) and MWI.
 *
 * Decisions:
 * - `Event: resync` and `check-sync` (the latter is UNCONFIRMED on the
 *   SPA9x2; Wazo sends it, so it is honoured) run the core action "resync",
 *   `report` runs "report", `reboot`, `reboot_now` and `restart_now` run
 *   "reboot". The NOTIFY is answered 200 first and the action runs from an
 *   idle callback, so that the answer leaves before a reboot; the outcome
 *   is logged ("NOTIFY resync: ...").
 * - `Auth_Resync-Reboot_n_` Yes: the phone challenges the sender with 401
 *   and a Digest `WWW-Authenticate` (realm = `Proxy_n_`, or "deskphone"
 *   when empty; MD5, qop=auth; a fresh random nonce per challenge, usable
 *   once) and accepts the NOTIFY whose Authorization carries the line's
 *   own credentials (auth user and `Password_n_`, as for REGISTER), as the
 *   SPA does. A missing or stale Authorization gets a new challenge; a wrong
 *   user or password gets 403 Forbidden.
 * - `Resync_From_SIP` No refuses resync (and check-sync) with 403 Forbidden,
 *   after authentication; report and reboot are not gated by it.
 * - `Event: message-summary` (unsolicited MWI, RFC 3842) is accepted
 *   without authentication: it only switches the message-waiting lamp.
 * - Any other event: 489 Bad Event with Allow-Events listing the above.
 * - MWI: when `Voice_Mail_Server_n_` is set the line subscribes to
 *   `message-summary` at `Mailbox_ID_n_@Voice_Mail_Server_n_` (`User_ID_n_`
 *   when Mailbox_ID is empty), Expires 3600. A NOTIFY (subscribed or not)
 *   sets `Message_Waiting_n_` (the SPA's parameter is the lamp's state,
 *   changed by the network and settable by hand) and the line's
 *   message-waiting status; setting the parameter by hand sets the status.
 */
#define G_LOG_DOMAIN "dp-sip"

#include "dp-sip-private.h"

#include <string.h>

#define MWI_EXPIRES 3600
#define ALLOW_EVENTS "resync, check-sync, report, reboot, reboot_now, restart_now, message-summary"

typedef struct {
  DpCore *core;
  char *action;
  char *event;
  guint line;
} PendingAction;

static gboolean
run_action (gpointer user_data)
{
  PendingAction *pending = user_data;
  g_autoptr(GError) error = NULL;

  if (dp_core_run_action (pending->core, pending->action, NULL, &error))
    g_message ("line %u: NOTIFY %s: %s started", pending->line, pending->event, pending->action);
  else
    g_message ("line %u: NOTIFY %s: cannot run %s: %s", pending->line, pending->event,
               pending->action, error->message);
  return G_SOURCE_REMOVE;
}

static void
pending_action_free (gpointer data)
{
  PendingAction *pending = data;

  g_object_unref (pending->core);
  g_free (pending->action);
  g_free (pending->event);
  g_free (pending);
}

static const char *
action_of_event (const char *event)
{
  static const struct { const char *event; const char *action; } map[] = {
    { "resync", "resync" }, { "check-sync", "resync" }, { "report", "report" },
    { "reboot", "reboot" }, { "reboot_now", "reboot" }, { "restart_now", "reboot" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_ascii_strcasecmp (event, map[i].event) == 0)
      return map[i].action;
  return NULL;
}

static const char *
notify_realm (DpSipLine *line)
{
  const char *proxy = dp_sip_line_get (line, "Proxy");

  return *proxy != '\0' ? proxy : "deskphone";
}

static void
challenge (DpSipLine *line, nua_t *nua, nua_handle_t *nh)
{
  g_autofree char *header = NULL;
  guint32 r[4];

  for (gsize i = 0; i < G_N_ELEMENTS (r); i++)
    r[i] = g_random_int ();
  g_free (line->notify_nonce);
  line->notify_nonce = g_strdup_printf ("%08x%08x%08x%08x", r[0], r[1], r[2], r[3]);
  header = g_strdup_printf ("Digest realm=\"%s\", nonce=\"%s\", algorithm=MD5, qop=\"auth\"",
                            notify_realm (line), line->notify_nonce);
  nua_respond (nh, SIP_401_UNAUTHORIZED,
               NUTAG_WITH_THIS (nua),
               SIPTAG_WWW_AUTHENTICATE_STR (header),
               TAG_END ());
}

/* TRUE when the request may go on; otherwise it has been answered. */
static gboolean
check_auth (DpSipLine *line, nua_t *nua, nua_handle_t *nh, sip_t const *sip, const char *event)
{
  g_autofree char *user = NULL;
  char authorization[2048];
  g_autoptr(GError) error = NULL;

  if (!dp_sip_line_get_bool (line, "Auth_Resync-Reboot"))
    return TRUE;
  if (sip->sip_authorization == NULL || line->notify_nonce == NULL)
    {
      g_message ("line %u: NOTIFY %s: challenged", line->index, event);
      challenge (line, nua, nh);
      return FALSE;
    }
  /* Re-encode the parsed header: sofia keeps the parameters split. */
  if (sip_header_e (authorization, sizeof authorization,
                    (sip_header_t const *) sip->sip_authorization, 0) <= 0)
    {
      nua_respond (nh, SIP_400_BAD_REQUEST, NUTAG_WITH_THIS (nua), TAG_END ());
      return FALSE;
    }
  user = dp_sip_line_auth_user (line);
  {
    const char *value = strchr (authorization, ':');

    value = value != NULL ? value + 1 : authorization;
    if (dp_sip_digest_verify ("NOTIFY", dp_sip_line_get (line, "Password"), value, user,
                              notify_realm (line), line->notify_nonce, &error))
      {
        /* A nonce is good for one request: a replay gets a new challenge. */
        g_clear_pointer (&line->notify_nonce, g_free);
        return TRUE;
      }
  }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    {
      g_message ("line %u: NOTIFY %s refused: %s", line->index, event, error->message);
      g_clear_pointer (&line->notify_nonce, g_free);
      nua_respond (nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS (nua), TAG_END ());
      return FALSE;
    }
  g_message ("line %u: NOTIFY %s: challenged again (%s)", line->index, event, error->message);
  challenge (line, nua, nh);
  return FALSE;
}

/**
 * dp_sip_line_mwi_body:
 *
 * A message-summary body arrived (subscribed or not): switch the lamp.
 */
void
dp_sip_line_mwi_body (DpSipLine *line, const char *body, gsize len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = dp_sip_line_param (line, "Message_Waiting");
  gboolean waiting = FALSE;
  guint new_messages = 0, old_messages = 0;
  DpLine *dp_line = dp_core_get_line (line->ctx->core, line->index);

  if (!dp_sip_message_summary_parse (body, len, &waiting, &new_messages, &old_messages, &error))
    {
      g_message ("line %u: MWI ignored: %s", line->index, error->message);
      return;
    }
  g_message ("line %u: message waiting %s (%u new, %u old)", line->index,
             waiting ? "yes" : "no", new_messages, old_messages);
  if (dp_line != NULL)
    dp_line_set_message_waiting (dp_line, waiting);
  if (dp_config_get_bool (line->ctx->config, name) != waiting &&
      !dp_config_set (line->ctx->config, name, waiting ? "Yes" : "No", &error))
    g_warning ("line %u: cannot set %s: %s", line->index, name, error->message);
}

/**
 * dp_sip_line_incoming_notify:
 * @status: what nua did with it (< 200: the application answers)
 *
 * A NOTIFY outside any subscription of ours.
 */
void
dp_sip_line_incoming_notify (DpSipLine *line, nua_t *nua, nua_handle_t *nh, int status,
                             sip_t const *sip)
{
  const char *event = sip != NULL && sip->sip_event != NULL ? sip->sip_event->o_type : NULL;
  const char *action;
  PendingAction *pending;

  if (status >= 200)
    {
      g_debug ("line %u: NOTIFY answered by sofia: %d", line->index, status);
      return;
    }
  if (event == NULL)
    {
      g_message ("line %u: NOTIFY without Event refused", line->index);
      nua_respond (nh, 489, "Bad Event", NUTAG_WITH_THIS (nua),
                   SIPTAG_ALLOW_EVENTS_STR (ALLOW_EVENTS), TAG_END ());
      return;
    }
  if (g_ascii_strcasecmp (event, "message-summary") == 0)
    {
      nua_respond (nh, SIP_200_OK, NUTAG_WITH_THIS (nua), TAG_END ());
      if (sip->sip_payload != NULL)
        dp_sip_line_mwi_body (line, sip->sip_payload->pl_data, sip->sip_payload->pl_len);
      return;
    }
  action = action_of_event (event);
  if (action == NULL)
    {
      g_message ("line %u: NOTIFY with unknown event '%.40s' refused (489)", line->index, event);
      nua_respond (nh, 489, "Bad Event", NUTAG_WITH_THIS (nua),
                   SIPTAG_ALLOW_EVENTS_STR (ALLOW_EVENTS), TAG_END ());
      return;
    }
  if (!check_auth (line, nua, nh, sip, event))
    return;
  if (g_strcmp0 (action, "resync") == 0 &&
      !dp_config_get_bool (line->ctx->config, "Resync_From_SIP"))
    {
      g_message ("line %u: NOTIFY %s refused: Resync_From_SIP is No", line->index, event);
      nua_respond (nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS (nua), TAG_END ());
      return;
    }
  nua_respond (nh, SIP_200_OK, NUTAG_WITH_THIS (nua), TAG_END ());
  g_message ("line %u: NOTIFY %s accepted: running %s", line->index, event, action);
  pending = g_new0 (PendingAction, 1);
  pending->core = g_object_ref (line->ctx->core);
  pending->action = g_strdup (action);
  pending->event = g_ascii_strdown (event, -1);
  pending->line = line->index;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, run_action, pending, pending_action_free);
}

static void
on_mwi_notify_body (DpSubscription *subscription, const char *content_type, GBytes *body,
                    gpointer user_data)
{
  DpSipLine *line = user_data;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  dp_sip_line_mwi_body (line, data ? data : "", len);
}

/**
 * dp_sip_line_update_mwi:
 *
 * Starts, replaces or ends the line's message-summary subscription after a
 * configuration change, and mirrors `Message_Waiting_n_` in the status.
 */
void
dp_sip_line_update_mwi (DpSipLine *line)
{
  const char *server = dp_sip_line_get (line, "Voice_Mail_Server");
  const char *mailbox = dp_sip_line_get (line, "Mailbox_ID");
  g_autofree char *target = NULL;
  DpLine *dp_line = dp_core_get_line (line->ctx->core, line->index);

  if (dp_line != NULL)
    dp_line_set_message_waiting (dp_line, dp_sip_line_get_bool (line, "Message_Waiting"));

  if (*mailbox == '\0')
    mailbox = dp_sip_line_get (line, "User_ID");
  if (*server != '\0' && *mailbox != '\0' && line->agent != NULL)
    target = strchr (server, '@') != NULL || g_str_has_prefix (server, "sip:")
      ? g_strdup (server) : g_strdup_printf ("%s@%s", mailbox, server);
  if (g_strcmp0 (target, line->mwi_signature) == 0 && (target == NULL || line->mwi != NULL))
    return;
  if (line->mwi != NULL)
    {
      g_autoptr(DpSipSubscription) old = g_steal_pointer (&line->mwi);

      g_signal_handlers_disconnect_by_data (old, line);
      dp_subscription_cancel (DP_SUBSCRIPTION (old));
    }
  g_free (line->mwi_signature);
  line->mwi_signature = g_strdup (target);
  if (target != NULL)
    {
      g_autoptr(GError) error = NULL;

      line->mwi = dp_sip_subscription_new (line, target, "message-summary",
                                           "application/simple-message-summary",
                                           MWI_EXPIRES, &error);
      if (line->mwi == NULL)
        g_warning ("line %u: no MWI subscription: %s", line->index, error->message);
      else
        g_signal_connect (line->mwi, "notify-body", G_CALLBACK (on_mwi_notify_body), line);
    }
}
