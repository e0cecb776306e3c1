/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * DpSubscriptionState:
 * @DP_SUBSCRIPTION_PENDING: SUBSCRIBE sent, no final answer yet
 * @DP_SUBSCRIPTION_ACTIVE: accepted; NOTIFYs arrive and it is refreshed
 * @DP_SUBSCRIPTION_FAILED: refused or timed out; the provider retries after
 *   `Subscribe_Retry_Interval` / `Sub_Retry_Intvl`
 * @DP_SUBSCRIPTION_TERMINATED: ended by either side (cancelled). Final.
 */
typedef enum {
  DP_SUBSCRIPTION_PENDING,
  DP_SUBSCRIPTION_ACTIVE,
  DP_SUBSCRIPTION_FAILED,
  DP_SUBSCRIPTION_TERMINATED,
} DpSubscriptionState;

const char *dp_subscription_state_to_string (DpSubscriptionState state);

#define DP_TYPE_SUBSCRIPTION (dp_subscription_get_type ())
G_DECLARE_DERIVABLE_TYPE (DpSubscription, dp_subscription, DP, SUBSCRIPTION, GObject)

/**
 * DpSubscriptionClass:
 * @parent_class: the parent class
 * @cancel: unsubscribe (SUBSCRIBE with Expires: 0) and end
 *
 * A SIP event subscription (RFC 6665), e.g. `dialog` (RFC 4235) for a
 * busy-lamp field. The subscriber plugin (sip) subclasses it; users (the
 * sidecar) watch "state-changed" and "notify".
 */
struct _DpSubscriptionClass
{
  GObjectClass parent_class;

  void (*cancel) (DpSubscription *self);

  /*< private >*/
  gpointer padding[8];
};

const char          *dp_subscription_get_target  (DpSubscription      *self);
const char          *dp_subscription_get_event   (DpSubscription      *self);
guint                dp_subscription_get_line    (DpSubscription      *self);
DpSubscriptionState  dp_subscription_get_state   (DpSubscription      *self);
const char          *dp_subscription_get_reason  (DpSubscription      *self);
void                 dp_subscription_cancel      (DpSubscription      *self);

/* For providers. */
void                 dp_subscription_set_state   (DpSubscription      *self,
                                                  DpSubscriptionState  state,
                                                  const char          *reason);
void                 dp_subscription_deliver     (DpSubscription      *self,
                                                  const char          *content_type,
                                                  GBytes              *body);

#define DP_TYPE_SUBSCRIBER (dp_subscriber_get_type ())
G_DECLARE_INTERFACE (DpSubscriber, dp_subscriber, DP, SUBSCRIBER, GObject)

/**
 * DpSubscriberInterface:
 * @g_iface: the parent interface
 * @subscribe: subscribe on @line to @event at @target (a SIP URI or
 *   user@host), asking for @accept bodies, refreshed every @expires seconds
 *
 * Implemented by the plugin that speaks SIP; plugins like the sidecar use it
 * through dp_core_get_subscriber().
 */
struct _DpSubscriberInterface
{
  GTypeInterface g_iface;

  DpSubscription * (*subscribe) (DpSubscriber  *self,
                                 guint          line,
                                 const char    *target,
                                 const char    *event,
                                 const char    *accept,
                                 guint          expires,
                                 GError       **error);
};

DpSubscription *dp_subscriber_subscribe (DpSubscriber  *self,
                                         guint          line,
                                         const char    *target,
                                         const char    *event,
                                         const char    *accept,
                                         guint          expires,
                                         GError       **error);

G_END_DECLS
