/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test-subscriber.h"

#include <string.h>

struct _TestSubscription
{
  DpSubscription parent_instance;
};

G_DEFINE_FINAL_TYPE (TestSubscription, test_subscription, DP_TYPE_SUBSCRIPTION)

static void
test_subscription_class_init (TestSubscriptionClass *klass)
{
}

static void
test_subscription_init (TestSubscription *self)
{
}

static void test_subscriber_iface_init (DpSubscriberInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestSubscriber, test_subscriber, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DP_TYPE_SUBSCRIBER,
                                                      test_subscriber_iface_init))

static DpSubscription *
test_subscriber_subscribe (DpSubscriber *subscriber, guint line, const char *target,
                           const char *event, const char *accept, guint expires, GError **error)
{
  TestSubscriber *self = TEST_SUBSCRIBER (subscriber);
  DpSubscription *subscription;

  self->n_subscribe++;
  self->last_line = line;
  self->last_expires = expires;
  g_free (self->last_event);
  self->last_event = g_strdup (event);
  g_free (self->last_accept);
  self->last_accept = g_strdup (accept);
  if (self->refuse)
    {
      self->n_refused++;
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_FAILED, "refused by the test");
      return NULL;
    }
  subscription = g_object_new (TEST_TYPE_SUBSCRIPTION, "target", target, "event", event,
                               "line", line, NULL);
  g_ptr_array_add (self->subscriptions, g_object_ref (subscription));
  return subscription;
}

static void
test_subscriber_iface_init (DpSubscriberInterface *iface)
{
  iface->subscribe = test_subscriber_subscribe;
}

static void
test_subscriber_finalize (GObject *object)
{
  TestSubscriber *self = TEST_SUBSCRIBER (object);

  g_ptr_array_unref (self->subscriptions);
  g_free (self->last_event);
  g_free (self->last_accept);
  G_OBJECT_CLASS (test_subscriber_parent_class)->finalize (object);
}

static void
test_subscriber_class_init (TestSubscriberClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_subscriber_finalize;
}

static void
test_subscriber_init (TestSubscriber *self)
{
  self->subscriptions = g_ptr_array_new_with_free_func (g_object_unref);
}

TestSubscriber *
test_subscriber_new (void)
{
  return g_object_new (TEST_TYPE_SUBSCRIBER, NULL);
}

/* The newest subscription to @target that has not ended. */
DpSubscription *
test_subscriber_find (TestSubscriber *self, const char *target)
{
  for (guint i = self->subscriptions->len; i > 0; i--)
    {
      DpSubscription *subscription = self->subscriptions->pdata[i - 1];

      if (strcmp (dp_subscription_get_target (subscription), target) == 0 &&
          dp_subscription_get_state (subscription) != DP_SUBSCRIPTION_TERMINATED)
        return subscription;
    }
  return NULL;
}

guint
test_subscriber_count_live (TestSubscriber *self)
{
  guint n = 0;

  for (guint i = 0; i < self->subscriptions->len; i++)
    if (dp_subscription_get_state (self->subscriptions->pdata[i]) != DP_SUBSCRIPTION_TERMINATED)
      n++;
  return n;
}

void
test_deliver (DpSubscription *subscription, const char *content_type, const char *body)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  dp_subscription_deliver (subscription, content_type, bytes);
}

/* ---- dialer ------------------------------------------------------------ */

static void test_dialer_iface_init (DpCallProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestDialer, test_dialer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DP_TYPE_CALL_PROVIDER,
                                                      test_dialer_iface_init))

static DpCall *
test_dialer_dial (DpCallProvider *provider, guint line, const char *target, GError **error)
{
  TestDialer *self = TEST_DIALER (provider);
  g_autofree char *id = g_strdup_printf ("test-%u", self->calls->len + 1);
  DpCall *call = g_object_new (DP_TYPE_CALL, "id", id, "line", line, NULL);

  self->last_line = line;
  g_ptr_array_add (self->targets, g_strdup (target));
  g_ptr_array_add (self->calls, call);
  return call;
}

static void
test_dialer_iface_init (DpCallProviderInterface *iface)
{
  iface->dial = test_dialer_dial;
}

static void
test_dialer_finalize (GObject *object)
{
  TestDialer *self = TEST_DIALER (object);

  g_ptr_array_unref (self->targets);
  g_ptr_array_unref (self->calls);
  G_OBJECT_CLASS (test_dialer_parent_class)->finalize (object);
}

static void
test_dialer_class_init (TestDialerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_dialer_finalize;
}

static void
test_dialer_init (TestDialer *self)
{
  self->targets = g_ptr_array_new_with_free_func (g_free);
  self->calls = g_ptr_array_new_with_free_func (g_object_unref);
}

TestDialer *
test_dialer_new (void)
{
  return g_object_new (TEST_TYPE_DIALER, NULL);
}
