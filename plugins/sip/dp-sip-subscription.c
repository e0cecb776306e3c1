/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpSipSubscription: a DpSubscription (RFC 6665) carried by one nua
 * handle. The sip plugin hands these out through DpSubscriber (the sidecar's
 * busy-lamp fields) and uses one per line itself for MWI.
 *
 * Decisions:
 * - The SUBSCRIBE goes to the target (`user@host[:port]`, a number on the
 *   line's proxy, or a SIP URI) with `Event`, `Accept` (when given) and
 *   `Expires`; nua refreshes it before it expires. A challenge (401/407) is
 *   answered once per request with the line's credentials.
 * - States: PENDING until the SUBSCRIBE is accepted (2xx) or a NOTIFY says
 *   `active`; a NOTIFY saying `pending` goes back to PENDING (reason
 *   _("authorization pending")). A refusal, a timeout or a NOTIFY that
 *   terminates the subscription makes it FAILED with the status line
 *   ("404 Not Found") or "terminated: <reason>"; a fresh SUBSCRIBE (new
 *   handle, new dialog) follows after the retry interval, or at once for
 *   the reasons `deactivated` and `timeout` (RFC 6665 4.1.3), or after the
 *   `retry-after` of the NOTIFY or the Retry-After of the response.
 * - Retry interval: `Subscribe_Retry_Interval` (SPA932 tab) for the
 *   `dialog` package when the parameter exists, else `Sub_Retry_Intvl`.
 * - A line that should register (`Register_n_` Yes with a proxy) sends its
 *   SUBSCRIBEs once it is registered; whenever it registers again after
 *   having lost its registration (server restart, failure), every live
 *   subscription is renewed with a fresh SUBSCRIBE, because the server has
 *   likely lost its dialog state. A line without a nua (disabled) keeps
 *   them PENDING (_("line not in service")) until it runs. Subscriptions made
 *   before the plugin has started the line (activation defers the start to
 *   the main loop) wait PENDING with no reason and go out when it starts:
 *   no state change is seen before the server's answer.
 * - cancel() sends SUBSCRIBE with Expires: 0 and is TERMINATED at once
 *   ("cancelled"); the handle lives on until the un-SUBSCRIBE is answered,
 *   also when the object is freed first (the line adopts the handle).
 * - NOTIFY bodies (any content type) are passed to dp_subscription_deliver()
 *   as received; nua answers the NOTIFY with 200.
 */
#define G_LOG_DOMAIN "dp-sip"

#include "dp-sip-private.h"

#include <stdlib.h>
#include <string.h>

struct _DpSipSubscription
{
  DpSubscription parent_instance;

  DpSipLine *line;          /* NULL once the line is gone */
  nua_handle_t *nh;
  char *uri;
  char *accept;
  guint expires;
  guint auth_attempts;
  guint retry_id;
  gboolean unsubscribing;   /* the handle carries our Expires: 0 */
  gboolean notified_pending;
};

G_DEFINE_DYNAMIC_TYPE (DpSipSubscription, dp_sip_subscription, DP_TYPE_SUBSCRIPTION)

static const char *
id (DpSipSubscription *self)
{
  return dp_subscription_get_target (DP_SUBSCRIPTION (self));
}

/* Lets go of the handle: destroyed at once, or, while an un-SUBSCRIBE is
 * in flight, given to the line which destroys it when it is answered. */
static void
release_handle (DpSipSubscription *self)
{
  nua_handle_t *nh = self->nh;

  if (nh == NULL)
    return;
  self->nh = NULL;
  nua_handle_bind (nh, NULL);
  if (self->unsubscribing && self->line != NULL)
    dp_sip_line_adopt_handle (self->line, nh);
  else
    nua_handle_destroy (nh);
  self->unsubscribing = FALSE;
}

static guint
retry_interval (DpSipSubscription *self)
{
  DpConfig *config = self->line->ctx->config;
  const char *event = dp_subscription_get_event (DP_SUBSCRIPTION (self));
  gint64 seconds;

  if (g_strcmp0 (event, "dialog") == 0 &&
      dp_config_lookup (config, "Subscribe_Retry_Interval") != NULL)
    seconds = dp_config_get_int (config, "Subscribe_Retry_Interval");
  else
    seconds = dp_config_get_int (config, "Sub_Retry_Intvl");
  return (guint) CLAMP (seconds, 1, 86400);
}

static gboolean
on_retry (gpointer user_data)
{
  DpSipSubscription *self = user_data;

  self->retry_id = 0;
  dp_sip_subscription_restart (self);
  return G_SOURCE_REMOVE;
}

static void
fail (DpSipSubscription *self, const char *reason, gint64 retry_after)
{
  guint delay;

  release_handle (self);
  if (self->line == NULL)
    return;
  delay = retry_after >= 0 ? (guint) MIN (retry_after, 86400) : retry_interval (self);
  g_message ("subscription %s (%s): %s, retry in %u s", id (self),
             dp_subscription_get_event (DP_SUBSCRIPTION (self)), reason, delay);
  dp_subscription_set_state (DP_SUBSCRIPTION (self), DP_SUBSCRIPTION_FAILED, reason);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (delay == 0)
    self->retry_id = g_idle_add (on_retry, self);
  else
    self->retry_id = g_timeout_add_seconds (delay, on_retry, self);
}

/**
 * dp_sip_subscription_restart:
 *
 * Sends a fresh SUBSCRIBE on a new handle of the line's current nua, or
 * leaves the subscription PENDING until the line can subscribe.
 */
void
dp_sip_subscription_restart (DpSipSubscription *self)
{
  DpSubscription *sub = DP_SUBSCRIPTION (self);
  g_autofree char *expires = NULL;

  if (dp_subscription_get_state (sub) == DP_SUBSCRIPTION_TERMINATED || self->line == NULL)
    return;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  release_handle (self);
  self->auth_attempts = 0;
  self->notified_pending = FALSE;
  if (!dp_sip_line_can_subscribe (self->line))
    {
      const char *reason = _("waiting for registration");

      /* A line the plugin has not started yet (it starts from the main loop
       * after activation) is not "out of service": the subscription stays
       * PENDING without a reason and the start sends it, so a user that
       * subscribed early sees no state change before the first answer. */
      if (!self->line->configured)
        reason = NULL;
      else if (self->line->agent == NULL)
        reason = _("line not in service");
      dp_subscription_set_state (sub, DP_SUBSCRIPTION_PENDING, reason);
      return;
    }
  self->nh = nua_handle (self->line->agent->nua, self, SIPTAG_TO_STR (self->uri), TAG_END ());
  if (self->nh == NULL)
    {
      fail (self, _("sofia-sip refused the target"), -1);
      return;
    }
  expires = g_strdup_printf ("%u", self->expires);
  dp_subscription_set_state (sub, DP_SUBSCRIPTION_PENDING, NULL);
  g_debug ("subscription %s: SUBSCRIBE %s", id (self), dp_subscription_get_event (sub));
  nua_subscribe (self->nh,
                 SIPTAG_EVENT_STR (dp_subscription_get_event (sub)),
                 TAG_IF (self->accept != NULL, SIPTAG_ACCEPT_STR (self->accept)),
                 SIPTAG_EXPIRES_STR (expires),
                 TAG_END ());
}

/**
 * dp_sip_subscription_agent_lost:
 *
 * The line's nua is being replaced: the handle goes down with it (nua's
 * shutdown ends the subscription); a new SUBSCRIBE follows on the new nua.
 */
void
dp_sip_subscription_agent_lost (DpSipSubscription *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->nh != NULL)
    {
      nua_handle_bind (self->nh, NULL);
      self->nh = NULL;
    }
  self->unsubscribing = FALSE;
  if (dp_subscription_get_state (DP_SUBSCRIPTION (self)) != DP_SUBSCRIPTION_TERMINATED)
    dp_subscription_set_state (DP_SUBSCRIPTION (self), DP_SUBSCRIPTION_PENDING,
                               _("line not in service"));
}

/**
 * dp_sip_subscription_line_gone:
 *
 * The plugin stops: the subscription ends for good ("shutdown").
 */
void
dp_sip_subscription_line_gone (DpSipSubscription *self)
{
  g_autoptr(DpSipSubscription) keep = g_object_ref (self);

  dp_sip_subscription_agent_lost (self);
  self->line = NULL;
  dp_subscription_set_state (DP_SUBSCRIPTION (self), DP_SUBSCRIPTION_TERMINATED, "shutdown");
}

static gint64
terminated_retry_after (sip_subscription_state_t const *ss)
{
  const char *reason = ss != NULL ? ss->ss_reason : NULL;

  if (ss != NULL && ss->ss_retry_after != NULL)
    return (gint64) strtoul (ss->ss_retry_after, NULL, 10);
  /* RFC 6665 4.1.3: re-subscribe at once. */
  if (reason != NULL && (g_ascii_strcasecmp (reason, "deactivated") == 0 ||
                         g_ascii_strcasecmp (reason, "timeout") == 0))
    return 0;
  return -1;
}

static void
on_notify (DpSipSubscription *self, sip_t const *sip, tagi_t tags[])
{
  DpSubscription *sub = DP_SUBSCRIPTION (self);
  sip_subscription_state_t const *ss = sip != NULL ? sip->sip_subscription_state : NULL;
  const char *substate = ss != NULL ? ss->ss_substate : NULL;

  if (sip != NULL && sip->sip_payload != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (sip->sip_payload->pl_data, sip->sip_payload->pl_len);
      g_autofree char *type = sip->sip_content_type != NULL && sip->sip_content_type->c_type
        ? g_ascii_strdown (sip->sip_content_type->c_type, -1) : g_strdup ("");

      dp_subscription_deliver (sub, type, body);
    }
  if (self->unsubscribing || dp_subscription_get_state (sub) == DP_SUBSCRIPTION_TERMINATED)
    {
      if (substate != NULL && g_ascii_strcasecmp (substate, "terminated") == 0)
        release_handle (self);
      return;
    }
  if (substate == NULL)
    return;
  if (g_ascii_strcasecmp (substate, "active") == 0)
    {
      self->notified_pending = FALSE;
      dp_subscription_set_state (sub, DP_SUBSCRIPTION_ACTIVE, NULL);
    }
  else if (g_ascii_strcasecmp (substate, "pending") == 0)
    {
      self->notified_pending = TRUE;
      dp_subscription_set_state (sub, DP_SUBSCRIPTION_PENDING, _("authorization pending"));
    }
  else if (g_ascii_strcasecmp (substate, "terminated") == 0)
    {
      g_autofree char *reason = g_strdup_printf ("terminated: %s",
                                                 ss->ss_reason ? ss->ss_reason : "no reason");

      fail (self, reason, terminated_retry_after (ss));
    }
}

static void
on_subscribe_response (DpSipSubscription *self, int status, const char *phrase,
                       sip_t const *sip)
{
  g_autofree char *reason = NULL;
  gint64 retry_after = -1;

  if (status < 200)
    return;
  if ((status == 401 || status == 407) && self->auth_attempts == 0 && self->line != NULL &&
      dp_sip_line_authenticate (self->line, self->nh, sip))
    {
      self->auth_attempts++;
      return;
    }
  if (status < 300)
    {
      self->auth_attempts = 0;
      if (!self->notified_pending)
        dp_subscription_set_state (DP_SUBSCRIPTION (self), DP_SUBSCRIPTION_ACTIVE, NULL);
      return;
    }
  if (sip != NULL && sip->sip_retry_after != NULL && sip->sip_retry_after->af_delta > 0)
    retry_after = sip->sip_retry_after->af_delta;
  reason = g_strdup_printf ("%03d %s", status, phrase ? phrase : "");
  fail (self, reason, retry_after);
}

/**
 * dp_sip_subscription_handle_event:
 *
 * Every nua event on the subscription's handle (dispatched by the line).
 */
void
dp_sip_subscription_handle_event (DpSipSubscription *self,
                                  nua_event_t        event,
                                  int                status,
                                  const char        *phrase,
                                  sip_t const       *sip,
                                  tagi_t             tags[])
{
  g_autoptr(DpSipSubscription) keep = g_object_ref (self);

  switch (event)
    {
    case nua_r_subscribe:
      if (!self->unsubscribing)
        on_subscribe_response (self, status, phrase, sip);
      break;
    case nua_r_unsubscribe:
      /* A 2xx is followed by the terminating NOTIFY (on_notify releases the
       * handle then); destroying it now would un-SUBSCRIBE once more. */
      if (status >= 300)
        release_handle (self);
      break;
    case nua_i_notify:
      on_notify (self, sip, tags);
      break;
    default:
      break;
    }
}

static void
dp_sip_subscription_cancel (DpSubscription *subscription)
{
  DpSipSubscription *self = DP_SIP_SUBSCRIPTION (subscription);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->nh != NULL && !self->unsubscribing)
    {
      self->unsubscribing = TRUE;
      nua_unsubscribe (self->nh, SIPTAG_EXPIRES_STR ("0"), TAG_END ());
    }
  g_message ("subscription %s (%s) cancelled", id (self),
             dp_subscription_get_event (subscription));
  DP_SUBSCRIPTION_CLASS (dp_sip_subscription_parent_class)->cancel (subscription);
}

static void
dp_sip_subscription_dispose (GObject *object)
{
  DpSipSubscription *self = DP_SIP_SUBSCRIPTION (object);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->line != NULL)
    {
      /* Dropped without cancel(): un-SUBSCRIBE all the same. */
      if (self->nh != NULL && !self->unsubscribing)
        {
          self->unsubscribing = TRUE;
          nua_unsubscribe (self->nh, SIPTAG_EXPIRES_STR ("0"), TAG_END ());
        }
      release_handle (self);
      dp_sip_line_forget_subscription (self->line, self);
      self->line = NULL;
    }
  G_OBJECT_CLASS (dp_sip_subscription_parent_class)->dispose (object);
}

static void
dp_sip_subscription_finalize (GObject *object)
{
  DpSipSubscription *self = DP_SIP_SUBSCRIPTION (object);

  g_free (self->uri);
  g_free (self->accept);
  G_OBJECT_CLASS (dp_sip_subscription_parent_class)->finalize (object);
}

static void
dp_sip_subscription_class_init (DpSipSubscriptionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dp_sip_subscription_dispose;
  G_OBJECT_CLASS (klass)->finalize = dp_sip_subscription_finalize;
  DP_SUBSCRIPTION_CLASS (klass)->cancel = dp_sip_subscription_cancel;
}

static void
dp_sip_subscription_class_finalize (DpSipSubscriptionClass *klass)
{
}

static void
dp_sip_subscription_init (DpSipSubscription *self)
{
}

void
dp_sip_subscription_register_type_in (GTypeModule *module)
{
  dp_sip_subscription_register_type (module);
}

/**
 * dp_sip_subscription_new:
 * @line: the line subscribing
 * @target: `user@host[:port]`, a number (on `Proxy_n_`) or a SIP URI
 * @event: the event package
 * @accept: (nullable): the Accept header
 * @expires: seconds (0: 3600)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the subscription, PENDING; the
 *   line keeps a weak reference
 */
DpSipSubscription *
dp_sip_subscription_new (DpSipLine   *line,
                         const char  *target,
                         const char  *event,
                         const char  *accept,
                         guint        expires,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uri = NULL;
  DpSipSubscription *self;

  for (const char *p = event; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-.!%*_+`'~", *p) == NULL)
      {
        g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_FAILED,
                     _("event '%s': character %zu is not allowed in an event package name"),
                     event, (gsize) (p - event) + 1);
        return NULL;
      }
  if (*event == '\0' || (accept != NULL && strpbrk (accept, "\r\n") != NULL))
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_FAILED,
                   *event == '\0' ? "the event package is empty"
                                  : "the Accept value holds a line break");
      return NULL;
    }
  uri = dp_sip_target_uri (target, dp_sip_line_get (line, "Proxy"), line->transport,
                           &local_error);
  if (uri == NULL)
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_BAD_NUMBER, local_error->message);
      return NULL;
    }
  self = g_object_new (DP_TYPE_SIP_SUBSCRIPTION,
                       "target", target,
                       "event", event,
                       "line", line->index,
                       NULL);
  self->line = line;
  self->uri = g_steal_pointer (&uri);
  self->accept = accept != NULL && *accept != '\0' ? g_strdup (accept) : NULL;
  self->expires = expires > 0 ? expires : 3600;
  g_ptr_array_add (line->subscriptions, self);
  g_message ("line %u: subscribing to %s at %s (expires %u)", line->index, event, self->uri,
             self->expires);
  dp_sip_subscription_restart (self);
  return self;
}
