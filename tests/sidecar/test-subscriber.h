/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A DpSubscriber for in-process sidecar tests: records every SUBSCRIBE and
 * lets the test drive the subscriptions (state, NOTIFY bodies). Also a
 * DpCallProvider that records what is dialled. */
#pragma once

#include <deskphone.h>

G_BEGIN_DECLS

#define TEST_TYPE_SUBSCRIPTION (test_subscription_get_type ())
G_DECLARE_FINAL_TYPE (TestSubscription, test_subscription, TEST, SUBSCRIPTION, DpSubscription)

#define TEST_TYPE_SUBSCRIBER (test_subscriber_get_type ())
G_DECLARE_FINAL_TYPE (TestSubscriber, test_subscriber, TEST, SUBSCRIBER, GObject)

struct _TestSubscriber
{
  GObject parent_instance;

  GPtrArray *subscriptions;   /* every subscription made, in order */
  guint n_subscribe;
  guint n_refused;
  guint last_expires;
  guint last_line;
  char *last_event;
  char *last_accept;
  gboolean refuse;            /* subscribe() fails */
};

TestSubscriber *test_subscriber_new  (void);
DpSubscription *test_subscriber_find (TestSubscriber *self,
                                      const char     *target);
guint           test_subscriber_count_live (TestSubscriber *self);
void            test_deliver         (DpSubscription *subscription,
                                      const char     *content_type,
                                      const char     *body);

#define TEST_TYPE_DIALER (test_dialer_get_type ())
G_DECLARE_FINAL_TYPE (TestDialer, test_dialer, TEST, DIALER, GObject)

struct _TestDialer
{
  GObject parent_instance;

  GPtrArray *targets;         /* char* */
  GPtrArray *calls;           /* DpCall* */
  guint last_line;
};

TestDialer *test_dialer_new (void);

G_END_DECLS
