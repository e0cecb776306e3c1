/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SIP event subscriptions as the rest of the phone sees them. */
#define G_LOG_DOMAIN "dp-core"

#include "dp-subscription.h"
#include "dp-call.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

typedef struct {
  char *target;
  char *event;
  guint line;
  DpSubscriptionState state;
  char *reason;
} DpSubscriptionPrivate;

enum {
  PROP_0,
  PROP_TARGET,
  PROP_EVENT,
  PROP_LINE,
  N_PROPS
};

enum {
  SIGNAL_STATE_CHANGED,
  SIGNAL_NOTIFY,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_TYPE_WITH_PRIVATE (DpSubscription, dp_subscription, G_TYPE_OBJECT)
G_DEFINE_INTERFACE (DpSubscriber, dp_subscriber, G_TYPE_OBJECT)

#define PRIV(self) ((DpSubscriptionPrivate *) dp_subscription_get_instance_private (self))

const char *
dp_subscription_state_to_string (DpSubscriptionState state)
{
  static const char * const names[] = { "pending", "active", "failed", "terminated" };

  return (guint) state < G_N_ELEMENTS (names) ? names[state] : "unknown";
}

static void
default_cancel (DpSubscription *self)
{
  dp_subscription_set_state (self, DP_SUBSCRIPTION_TERMINATED, "cancelled");
}

static void
dp_subscription_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DpSubscriptionPrivate *priv = PRIV (DP_SUBSCRIPTION (object));

  switch (prop_id)
    {
    case PROP_TARGET: g_value_set_string (value, priv->target); break;
    case PROP_EVENT: g_value_set_string (value, priv->event); break;
    case PROP_LINE: g_value_set_uint (value, priv->line); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dp_subscription_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  DpSubscriptionPrivate *priv = PRIV (DP_SUBSCRIPTION (object));

  switch (prop_id)
    {
    case PROP_TARGET: priv->target = g_value_dup_string (value); break;
    case PROP_EVENT: priv->event = g_value_dup_string (value); break;
    case PROP_LINE: priv->line = g_value_get_uint (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dp_subscription_finalize (GObject *object)
{
  DpSubscriptionPrivate *priv = PRIV (DP_SUBSCRIPTION (object));

  g_free (priv->target);
  g_free (priv->event);
  g_free (priv->reason);
  G_OBJECT_CLASS (dp_subscription_parent_class)->finalize (object);
}

static void
dp_subscription_class_init (DpSubscriptionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dp_subscription_get_property;
  object_class->set_property = dp_subscription_set_property;
  object_class->finalize = dp_subscription_finalize;
  klass->cancel = default_cancel;

  props[PROP_TARGET] = g_param_spec_string ("target", NULL, NULL, NULL,
                                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                            G_PARAM_STATIC_STRINGS);
  props[PROP_EVENT] = g_param_spec_string ("event", NULL, NULL, NULL,
                                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                           G_PARAM_STATIC_STRINGS);
  props[PROP_LINE] = g_param_spec_uint ("line", NULL, NULL, 0, 64, 1,
                                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                        G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * DpSubscription::state-changed:
   * @subscription: the subscription
   */
  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DpSubscription::notify-body:
   * @subscription: the subscription
   * @content_type: the body's type (e.g. application/dialog-info+xml)
   * @body: the body, as received (hostile input: parse with care)
   */
  signals[SIGNAL_NOTIFY] =
    g_signal_new ("notify-body", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BYTES);
}

static void
dp_subscription_init (DpSubscription *self)
{
}

const char *
dp_subscription_get_target (DpSubscription *self)
{
  g_return_val_if_fail (DP_IS_SUBSCRIPTION (self), NULL);
  return PRIV (self)->target;
}

const char *
dp_subscription_get_event (DpSubscription *self)
{
  g_return_val_if_fail (DP_IS_SUBSCRIPTION (self), NULL);
  return PRIV (self)->event;
}

guint
dp_subscription_get_line (DpSubscription *self)
{
  g_return_val_if_fail (DP_IS_SUBSCRIPTION (self), 0);
  return PRIV (self)->line;
}

DpSubscriptionState
dp_subscription_get_state (DpSubscription *self)
{
  g_return_val_if_fail (DP_IS_SUBSCRIPTION (self), DP_SUBSCRIPTION_TERMINATED);
  return PRIV (self)->state;
}

const char *
dp_subscription_get_reason (DpSubscription *self)
{
  g_return_val_if_fail (DP_IS_SUBSCRIPTION (self), NULL);
  return PRIV (self)->reason;
}

void
dp_subscription_cancel (DpSubscription *self)
{
  g_return_if_fail (DP_IS_SUBSCRIPTION (self));

  if (PRIV (self)->state != DP_SUBSCRIPTION_TERMINATED)
    DP_SUBSCRIPTION_GET_CLASS (self)->cancel (self);
}

/**
 * dp_subscription_set_state:
 * @self: a #DpSubscription
 * @state: the new state
 * @reason: (nullable): why (the status line of a refusal ...)
 *
 * For providers. Terminated is final.
 */
void
dp_subscription_set_state (DpSubscription *self, DpSubscriptionState state, const char *reason)
{
  DpSubscriptionPrivate *priv;

  g_return_if_fail (DP_IS_SUBSCRIPTION (self));

  priv = PRIV (self);
  if (priv->state == DP_SUBSCRIPTION_TERMINATED)
    return;
  if (priv->state == state && g_strcmp0 (priv->reason, reason) == 0)
    return;
  priv->state = state;
  g_free (priv->reason);
  priv->reason = g_strdup (reason);
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
}

/**
 * dp_subscription_deliver:
 * @self: a #DpSubscription
 * @content_type: the NOTIFY body's content type
 * @body: the body
 *
 * For providers: passes a NOTIFY body on.
 */
void
dp_subscription_deliver (DpSubscription *self, const char *content_type, GBytes *body)
{
  g_return_if_fail (DP_IS_SUBSCRIPTION (self));

  g_signal_emit (self, signals[SIGNAL_NOTIFY], 0, content_type, body);
}

static void
dp_subscriber_default_init (DpSubscriberInterface *iface)
{
}

/**
 * dp_subscriber_subscribe:
 * @self: a #DpSubscriber
 * @line: the line to subscribe from, from 1
 * @target: the resource (SIP URI or user@host)
 * @event: the event package, e.g. "dialog"
 * @accept: (nullable): the body type wanted, e.g. "application/dialog-info+xml"
 * @expires: refresh interval in seconds
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the subscription (pending)
 */
DpSubscription *
dp_subscriber_subscribe (DpSubscriber *self, guint line, const char *target, const char *event,
                         const char *accept, guint expires, GError **error)
{
  DpSubscriberInterface *iface;

  g_return_val_if_fail (DP_IS_SUBSCRIBER (self), NULL);
  g_return_val_if_fail (target != NULL && event != NULL, NULL);

  iface = DP_SUBSCRIBER_GET_IFACE (self);
  if (iface->subscribe == NULL)
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_NOT_SUPPORTED,
                           _("the subscriber cannot subscribe"));
      return NULL;
    }
  return iface->subscribe (self, line, target, event, accept, expires, error);
}
