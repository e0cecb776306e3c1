/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The sidecar key model in process: a test DpSubscriber stands in for the
 * sip plugin and delivers real dialog-info documents. Checks every state →
 * LED transition, the subscription life (refresh, failure → unknown →
 * retry, re-registration, version gaps), malformed bodies, presses and the
 * status member. */
#include "dp-sidecar.h"
#include "test-subscriber.h"

#include <glib/gstdio.h>
#include <string.h>

#define NS "urn:ietf:params:xml:ns:dialog-info"
#define CT "application/dialog-info+xml"
#define T1002 "sip:1002@pbx.test"

typedef struct {
  char *dir;
  DpCore *core;
  DpConfig *config;
  TestSubscriber *subscriber;
  TestDialer *dialer;
  DpSidecar *sidecar;
  GPtrArray *changes;   /* "U/K state led" */
} Fixture;

static void
on_led_changed (DpSidecar *sidecar, guint unit, guint key, const char *state, const char *led,
                gpointer user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->changes, g_strdup_printf ("%u/%u %s %s", unit, key, state, led));
}

static void
set (Fixture *f, const char *name, const char *value)
{
  g_autoptr(GError) error = NULL;

  if (!dp_config_set (f->config, name, value, &error))
    g_error ("set %s=%s: %s", name, value, error->message);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("sidecar-XXXXXX", &error);
  g_assert_no_error (error);
  f->core = dp_core_new (f->dir);
  f->config = dp_core_get_config (f->core);
  g_assert_true (dp_sidecar_register_parameters (f->config, &error));
  g_assert_no_error (error);
  /* Idempotent across deactivate/activate. */
  g_assert_true (dp_sidecar_register_parameters (f->config, &error));
  set (f, "Proxy_1_", "pbx.test");
  set (f, "User_ID_1_", "2001");
  set (f, "Unit_1_Key_1", "fnc=blf+sd+cp;sub=1002@$PROXY;nme=Mehmet");
  set (f, "Unit_1_Key_2", "fnc=blf;sub=1003@$PROXY;nme=Ayse");
  set (f, "Unit_1_Key_3", "fnc=sd;ext=05551234567;nme=Mobile");
  set (f, "Unit_1_Key_4", "fnc=blf+sd;sub=1002@$PROXY");
  set (f, "Unit_2_Enable", "No");
  f->subscriber = test_subscriber_new ();
  f->dialer = test_dialer_new ();
  if (data == NULL)
    dp_core_set_subscriber (f->core, DP_SUBSCRIBER (f->subscriber));
  dp_core_set_call_provider (f->core, DP_CALL_PROVIDER (f->dialer));
  f->sidecar = dp_sidecar_new (f->core);
  f->changes = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->sidecar, "led-changed", G_CALLBACK (on_led_changed), f);
  dp_sidecar_start (f->sidecar);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  dp_sidecar_stop (f->sidecar);
  g_clear_object (&f->sidecar);
  g_clear_object (&f->core);
  g_clear_object (&f->subscriber);
  g_clear_object (&f->dialer);
  g_ptr_array_unref (f->changes);
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (f->dir, name, NULL);
        g_unlink (path);
      }
  }
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* Bounded loop on the default context until @done or @seconds pass. */
static gboolean
iterate_until (gboolean (*done) (Fixture *f), Fixture *f, double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (!done (f) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  return done (f);
}

static void
iterate_for (double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

static char *
doc (guint version, const char *state, const char *dialogs)
{
  return g_strdup_printf ("<?xml version=\"1.0\"?><dialog-info xmlns=\"" NS "\" version=\"%u\" "
                          "state=\"%s\" entity=\"" T1002 "\">%s</dialog-info>",
                          version, state, dialogs);
}

static void
notify (DpSubscription *subscription, guint version, const char *state, const char *dialogs)
{
  g_autofree char *body = doc (version, state, dialogs);

  test_deliver (subscription, CT, body);
}

#define RINGING "<dialog id=\"d1\" call-id=\"c1@h\" local-tag=\"l1\" remote-tag=\"r1\" " \
                "direction=\"recipient\"><state>early</state></dialog>"
#define RINGING_FROM_CALLER \
  "<dialog id=\"d1\" call-id=\"c1@h\" local-tag=\"l1\" remote-tag=\"r1\" direction=\"recipient\">" \
  "<state>early</state><remote><identity>sip:1001@other.test</identity>" \
  "<target uri=\"sip:1001@10.0.0.7:5062\"/></remote></dialog>"
#define RINGING_NO_TARGET \
  "<dialog id=\"d1\" call-id=\"c1@h\" local-tag=\"l1\" remote-tag=\"r1\" direction=\"recipient\">" \
  "<state>early</state><remote><identity>sip:1001@other.test</identity></remote></dialog>"
#define BUSY "<dialog id=\"d1\" direction=\"recipient\"><state>confirmed</state></dialog>"
#define HELD "<dialog id=\"d1\"><state>confirmed</state><local><target uri=\"sip:1002@h\">" \
             "<param pname=\"+sip.rendering\" pvalue=\"no\"/></target></local></dialog>"
#define ENDED "<dialog id=\"d1\"><state>terminated</state></dialog>"

static void
assert_key (Fixture *f, guint key, DpBlfState state, const char *led)
{
  g_assert_cmpstr (dp_blf_state_to_string (dp_sidecar_get_key_state (f->sidecar, 1, key)), ==,
                   dp_blf_state_to_string (state));
  g_assert_cmpstr (dp_sidecar_get_key_led (f->sidecar, 1, key), ==, led);
}

static void
assert_last_change (Fixture *f, const char *expected)
{
  g_assert_cmpuint (f->changes->len, >, 0);
  g_assert_cmpstr (f->changes->pdata[f->changes->len - 1], ==, expected);
}

static void
test_subscribe_and_states (Fixture *f, gconstpointer data)
{
  DpSubscription *s = test_subscriber_find (f->subscriber, T1002);

  /* One shared subscription for keys 1 and 4, one for key 2; none for 3. */
  g_assert_nonnull (s);
  g_assert_cmpuint (f->subscriber->n_subscribe, ==, 2);
  g_assert_cmpstr (f->subscriber->last_event, ==, "dialog");
  g_assert_cmpstr (f->subscriber->last_accept, ==, CT);
  g_assert_cmpuint (f->subscriber->last_expires, ==, 1800);
  g_assert_cmpuint (f->subscriber->last_line, ==, 1);
  g_assert_cmpuint (dp_sidecar_get_n_keys (f->sidecar), ==, 32);

  assert_key (f, 1, DP_BLF_STATE_UNKNOWN, "c=a");
  assert_key (f, 3, DP_BLF_STATE_OFF, "c=o");
  assert_key (f, 5, DP_BLF_STATE_OFF, "c=o");

  dp_subscription_set_state (s, DP_SUBSCRIPTION_ACTIVE, NULL);
  assert_key (f, 1, DP_BLF_STATE_UNKNOWN, "c=a");
  g_ptr_array_set_size (f->changes, 0);

  notify (s, 0, "full", "");
  assert_key (f, 1, DP_BLF_STATE_IDLE, "c=g");
  assert_key (f, 4, DP_BLF_STATE_IDLE, "c=g");
  assert_key (f, 2, DP_BLF_STATE_UNKNOWN, "c=a");
  g_assert_cmpuint (f->changes->len, ==, 2);

  notify (s, 1, "partial", RINGING);
  assert_key (f, 1, DP_BLF_STATE_RINGING, "c=r;p=f");
  assert_last_change (f, "1/4 ringing c=r;p=f");
  notify (s, 2, "partial", BUSY);
  assert_key (f, 1, DP_BLF_STATE_BUSY, "c=r");
  notify (s, 3, "partial", HELD);
  assert_key (f, 1, DP_BLF_STATE_HELD, "c=r;p=s");
  assert_last_change (f, "1/4 held c=r;p=s");
  notify (s, 4, "partial", ENDED);
  assert_key (f, 1, DP_BLF_STATE_IDLE, "c=g");
  notify (s, 5, "full", BUSY);
  assert_key (f, 4, DP_BLF_STATE_BUSY, "c=r");
  /* 2 (idle) + 4 transitions × 2 keys + busy × 2. */
  g_assert_cmpuint (f->changes->len, ==, 12);
  g_assert_cmpuint (dp_sidecar_get_n_rejected (f->sidecar), ==, 0);
}

static void
test_malformed (Fixture *f, gconstpointer data)
{
  DpSubscription *s = test_subscriber_find (f->subscriber, T1002);
  g_autofree char *good_ringing = doc (2, "partial", RINGING);
  const char *bad[] = {
    "",
    "<dialog-info",
    "<dialog-info xmlns=\"" NS "\" version=\"2\" state=\"partial\" entity=\"e\">"
      "<dialog id=\"d1\"><state>ringing</state></dialog></dialog-info>",
    "<!DOCTYPE x [<!ENTITY a \"b\">]><dialog-info xmlns=\"" NS "\" version=\"2\" "
      "state=\"full\" entity=\"&a;\"/>",
    "<dialog-info xmlns=\"urn:other\" version=\"2\" state=\"full\" entity=\"e\"/>",
  };

  dp_subscription_set_state (s, DP_SUBSCRIPTION_ACTIVE, NULL);
  notify (s, 1, "full", BUSY);
  assert_key (f, 1, DP_BLF_STATE_BUSY, "c=r");
  g_ptr_array_set_size (f->changes, 0);

  g_test_expect_message ("dp-sidecar", G_LOG_LEVEL_WARNING, "*rejected*");
  g_test_expect_message ("dp-sidecar", G_LOG_LEVEL_WARNING, "*rejected*");
  g_test_expect_message ("dp-sidecar", G_LOG_LEVEL_WARNING, "*rejected*");
  g_test_expect_message ("dp-sidecar", G_LOG_LEVEL_WARNING, "*rejected*DOCTYPE*");
  g_test_expect_message ("dp-sidecar", G_LOG_LEVEL_WARNING, "*rejected*namespace*");
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    test_deliver (s, CT, bad[i]);
  /* Right body, wrong type. */
  g_test_expect_message ("dp-sidecar", G_LOG_LEVEL_WARNING, "*rejected*content type*");
  test_deliver (s, "application/pidf+xml", good_ringing);
  /* Stale: version 1 again. */
  g_test_expect_message ("dp-sidecar", G_LOG_LEVEL_WARNING, "*rejected*not newer*");
  notify (s, 1, "full", "");
  g_test_assert_expected_messages ();

  assert_key (f, 1, DP_BLF_STATE_BUSY, "c=r");
  assert_key (f, 4, DP_BLF_STATE_BUSY, "c=r");
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_cmpuint (dp_sidecar_get_n_rejected (f->sidecar), ==, 7);
  /* And it still works afterwards. */
  test_deliver (s, CT, good_ringing);
  assert_key (f, 1, DP_BLF_STATE_RINGING, "c=r;p=f");
}

static gboolean
resubscribed_1002 (Fixture *f)
{
  return f->subscriber->n_subscribe >= 3;
}

static void
test_failure_and_retry (Fixture *f, gconstpointer data)
{
  DpSubscription *s = test_subscriber_find (f->subscriber, T1002);
  DpSubscription *again;

  set (f, "Subscribe_Retry_Interval", "1");
  dp_subscription_set_state (s, DP_SUBSCRIPTION_ACTIVE, NULL);
  notify (s, 0, "full", BUSY);
  assert_key (f, 1, DP_BLF_STATE_BUSY, "c=r");

  /* The server refuses a refresh: unknown at once, retried after 1 s. */
  dp_subscription_set_state (s, DP_SUBSCRIPTION_FAILED, "403 Forbidden");
  assert_key (f, 1, DP_BLF_STATE_UNKNOWN, "c=a");
  iterate_for (0.3);
  g_assert_cmpuint (f->subscriber->n_subscribe, ==, 2);
  g_assert_true (iterate_until (resubscribed_1002, f, 3.0));
  again = test_subscriber_find (f->subscriber, T1002);
  g_assert_true (again != s);
  g_assert_cmpint (dp_subscription_get_state (s), ==, DP_SUBSCRIPTION_TERMINATED);
  /* Re-subscription keeps the last dialog state visible... */
  assert_key (f, 1, DP_BLF_STATE_BUSY, "c=r");
  /* ...until the new full state (its version count restarts). */
  dp_subscription_set_state (again, DP_SUBSCRIPTION_ACTIVE, NULL);
  notify (again, 0, "full", "");
  assert_key (f, 1, DP_BLF_STATE_IDLE, "c=g");
}

static gboolean
refused_twice (Fixture *f)
{
  return f->subscriber->n_refused >= 4;
}

static gboolean
has_1002 (Fixture *f)
{
  return test_subscriber_find (f->subscriber, T1002) != NULL;
}

static void
test_refused_subscribe (Fixture *f, gconstpointer data)
{
  set (f, "Subscribe_Retry_Interval", "1");
  f->subscriber->refuse = TRUE;
  g_test_expect_message ("dp-sidecar", G_LOG_LEVEL_WARNING, "*cannot subscribe*refused*");
  g_test_expect_message ("dp-sidecar", G_LOG_LEVEL_WARNING, "*cannot subscribe*refused*");
  set (f, "Subscribe_Expires", "600");   /* re-subscribes both watches: refused */
  g_test_assert_expected_messages ();
  assert_key (f, 1, DP_BLF_STATE_UNKNOWN, "c=a");
  assert_key (f, 2, DP_BLF_STATE_UNKNOWN, "c=a");
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_fatal_mask ("dp-sidecar", G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_assert_true (iterate_until (refused_twice, f, 3.0));
  f->subscriber->refuse = FALSE;
  g_assert_true (iterate_until (has_1002, f, 3.0));
  g_assert_cmpuint (f->subscriber->last_expires, ==, 600);
}

static void
test_no_subscriber_yet (Fixture *f, gconstpointer data)
{
  /* Started without a subscriber: every BLF key unknown, then alive once
   * the sip plugin provides one. */
  assert_key (f, 1, DP_BLF_STATE_UNKNOWN, "c=a");
  assert_key (f, 2, DP_BLF_STATE_UNKNOWN, "c=a");
  set (f, "Subscribe_Retry_Interval", "1");
  dp_core_set_subscriber (f->core, DP_SUBSCRIBER (f->subscriber));
  g_assert_cmpuint (f->subscriber->n_subscribe, ==, 0);
  g_assert_true (iterate_until (has_1002, f, 4.0));
  notify (test_subscriber_find (f->subscriber, T1002), 0, "full", RINGING);
  assert_key (f, 1, DP_BLF_STATE_RINGING, "c=r;p=f");
}

static gboolean
has_new_1002 (Fixture *f)
{
  DpSubscription *s = test_subscriber_find (f->subscriber, T1002);

  return s != NULL && s != f->subscriber->subscriptions->pdata[0];
}

static void
test_refresh_triggers (Fixture *f, gconstpointer data)
{
  DpSubscription *first = test_subscriber_find (f->subscriber, T1002);
  DpSubscription *s;
  DpLine *line = dp_core_get_line (f->core, 1);
  guint n;

  g_assert_true (first == f->subscriber->subscriptions->pdata[0]);
  /* Expiry changed: both watches subscribe again with the new value. */
  set (f, "Subscribe_Expires", "120");
  g_assert_cmpuint (f->subscriber->n_subscribe, ==, 4);
  g_assert_cmpuint (f->subscriber->last_expires, ==, 120);
  g_assert_cmpuint (test_subscriber_count_live (f->subscriber), ==, 2);
  g_assert_cmpint (dp_subscription_get_state (first), ==, DP_SUBSCRIPTION_TERMINATED);

  /* The notifier ends it with "timeout": subscribe again at once. */
  s = test_subscriber_find (f->subscriber, T1002);
  dp_subscription_set_state (s, DP_SUBSCRIPTION_TERMINATED, "timeout");
  iterate_for (0.05);
  g_assert_cmpuint (f->subscriber->n_subscribe, ==, 5);
  g_assert_nonnull (test_subscriber_find (f->subscriber, T1002));

  /* Line registers again: every watch re-subscribes. */
  n = f->subscriber->n_subscribe;
  dp_line_set_registration (line, DP_REGISTRATION_REGISTERED, NULL);
  g_assert_cmpuint (f->subscriber->n_subscribe, ==, n + 2);
  dp_line_set_registration (line, DP_REGISTRATION_REGISTERED, NULL);
  g_assert_cmpuint (f->subscriber->n_subscribe, ==, n + 2);
  dp_line_set_registration (line, DP_REGISTRATION_FAILED, "503");
  dp_line_set_registration (line, DP_REGISTRATION_REGISTERED, NULL);
  g_assert_cmpuint (f->subscriber->n_subscribe, ==, n + 4);

  /* A partial NOTIFY with a version gap: state kept, full state asked for. */
  s = test_subscriber_find (f->subscriber, T1002);
  notify (s, 10, "full", BUSY);
  assert_key (f, 1, DP_BLF_STATE_BUSY, "c=r");
  n = f->subscriber->n_subscribe;
  notify (s, 12, "partial", ENDED);
  assert_key (f, 1, DP_BLF_STATE_BUSY, "c=r");
  iterate_for (0.05);
  g_assert_cmpuint (f->subscriber->n_subscribe, ==, n + 1);
  g_assert_true (test_subscriber_find (f->subscriber, T1002) != s);
  g_assert_true (has_new_1002 (f));
}

static void
test_led_config_and_test_mode (Fixture *f, gconstpointer data)
{
  DpSubscription *s = test_subscriber_find (f->subscriber, T1002);

  notify (s, 0, "full", "");
  set (f, "Sidecar_Idle_LED", "c=g;p=s");
  assert_key (f, 1, DP_BLF_STATE_IDLE, "c=g;p=s");
  assert_last_change (f, "1/4 idle c=g;p=s");
  /* Blank: the documented default. */
  set (f, "Sidecar_Idle_LED", "");
  assert_key (f, 1, DP_BLF_STATE_IDLE, "c=g");
  g_assert_false (dp_config_set (f->config, "Sidecar_Busy_LED", "c=x", NULL));

  set (f, "Test_Mode_Enable", "Yes");
  for (guint key = 1; key <= 32; key++)
    g_assert_cmpstr (dp_sidecar_get_key_led (f->sidecar, 1, key), ==, "c=a");
  assert_key (f, 1, DP_BLF_STATE_IDLE, "c=a");
  set (f, "Test_Mode_Enable", "No");
  assert_key (f, 1, DP_BLF_STATE_IDLE, "c=g");
  assert_key (f, 3, DP_BLF_STATE_OFF, "c=o");
}

static void
test_config_keys (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  /* The checker guards the parameter. */
  g_assert_false (dp_config_set (f->config, "Unit_1_Key_5", "fnc=blf", &error));
  g_assert_nonnull (error);
  /* Unit 2 on: 32 more keys. */
  set (f, "Unit_2_Enable", "Yes");
  g_assert_cmpuint (dp_sidecar_get_n_keys (f->sidecar), ==, 64);
  set (f, "Unit_2_Key_32", "fnc=blf;sub=1009@$PROXY");
  g_assert_nonnull (test_subscriber_find (f->subscriber, "sip:1009@pbx.test"));
  /* Key 4 moves away from 1002: 1002 stays watched for key 1. */
  set (f, "Unit_1_Key_4", "fnc=sd;ext=1");
  g_assert_nonnull (test_subscriber_find (f->subscriber, T1002));
  set (f, "Unit_1_Key_1", "");
  g_assert_null (test_subscriber_find (f->subscriber, T1002));
  /* $PROXY follows Proxy_1_. */
  set (f, "Proxy_1_", "other.test");
  g_assert_nonnull (test_subscriber_find (f->subscriber, "sip:1003@other.test"));
  g_assert_null (test_subscriber_find (f->subscriber, "sip:1003@pbx.test"));
  /* A line key with Extended_Function_1_ only counts once Extension_1_ is Disabled. */
  set (f, "Extended_Function_1_", "fnc=blf+sd;sub=1005@$PROXY;nme=Line");
  g_assert_null (dp_sidecar_get_key_led (f->sidecar, 0, 1));
  set (f, "Extension_1_", "Disabled");
  g_assert_cmpstr (dp_sidecar_get_key_led (f->sidecar, 0, 1), ==, "c=a");
  g_assert_nonnull (test_subscriber_find (f->subscriber, "sip:1005@other.test"));
  /* Unit 1 off: its keys go. */
  set (f, "Unit_1_Enable", "No");
  g_assert_null (dp_sidecar_get_key_led (f->sidecar, 1, 2));
  g_assert_null (test_subscriber_find (f->subscriber, "sip:1003@other.test"));
}

static const char *
last_dialled (Fixture *f)
{
  g_assert_cmpuint (f->dialer->targets->len, >, 0);
  return f->dialer->targets->pdata[f->dialer->targets->len - 1];
}

static void
test_press (Fixture *f, gconstpointer data)
{
  DpSubscription *s = test_subscriber_find (f->subscriber, T1002);
  g_autoptr(GError) error = NULL;

  /* Speed dial only. */
  g_assert_true (dp_sidecar_press (f->sidecar, 1, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (last_dialled (f), ==, "05551234567");
  g_assert_cmpuint (f->dialer->last_line, ==, 1);
  /* BLF only, idle: nothing to do. */
  g_assert_false (dp_sidecar_press (f->sidecar, 1, 2, &error));
  g_assert_error (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (dp_sidecar_press (f->sidecar, 1, 9, &error));
  g_assert_error (error, DP_CALL_ERROR, DP_CALL_ERROR_BAD_NUMBER);
  g_clear_error (&error);

  /* Busy, no cp: speed dial sub. With cp but busy: speed dial too. */
  notify (s, 0, "full", BUSY);
  g_assert_true (dp_sidecar_press (f->sidecar, 1, 4, NULL));
  g_assert_cmpstr (last_dialled (f), ==, T1002);
  g_assert_true (dp_sidecar_press (f->sidecar, 1, 1, NULL));
  g_assert_cmpstr (last_dialled (f), ==, T1002);

  /* Ringing + cp, Broadsoft (the default): directed pickup code. */
  notify (s, 1, "full", RINGING);
  g_assert_true (dp_sidecar_press (f->sidecar, 1, 1, NULL));
  g_assert_cmpstr (last_dialled (f), ==, "*981002");
  set (f, "Attendant_Console_Call_Pickup_Code", "**#");
  g_assert_true (dp_sidecar_press (f->sidecar, 1, 1, NULL));
  g_assert_cmpstr (last_dialled (f), ==, "**#1002");
  /* Ringing but no cp: speed dial. */
  g_assert_true (dp_sidecar_press (f->sidecar, 1, 4, NULL));
  g_assert_cmpstr (last_dialled (f), ==, T1002);

  /* Asterisk with identifiers: INVITE with Replaces. */
  set (f, "Server_Type", "Asterisk");
  g_assert_true (dp_sidecar_press (f->sidecar, 1, 1, NULL));
  g_assert_cmpstr (last_dialled (f), ==,
                   T1002 "?Replaces=c1%40h%3Bto-tag%3Dl1%3Bfrom-tag%3Dr1%3Bearly-only");
  /* A plain RFC 3265/4235 server: to the caller, with the caller's tags;
   * its Contact (remote target) first, else its identity, else the code. */
  set (f, "Server_Type", "RFC3265_4235");
  notify (s, 2, "full", RINGING_FROM_CALLER);
  g_assert_true (dp_sidecar_press (f->sidecar, 1, 1, NULL));
  g_assert_cmpstr (last_dialled (f), ==,
                   "sip:1001@10.0.0.7:5062?Replaces=c1%40h%3Bto-tag%3Dr1%3Bfrom-tag%3Dl1%3Bearly-only");
  notify (s, 3, "full", RINGING_NO_TARGET);
  g_assert_true (dp_sidecar_press (f->sidecar, 1, 1, NULL));
  g_assert_cmpstr (last_dialled (f), ==,
                   "sip:1001@other.test?Replaces=c1%40h%3Bto-tag%3Dr1%3Bfrom-tag%3Dl1%3Bearly-only");
  notify (s, 4, "full", RINGING);
  g_assert_true (dp_sidecar_press (f->sidecar, 1, 1, NULL));
  g_assert_cmpstr (last_dialled (f), ==, "**#1002");
  set (f, "Server_Type", "Asterisk");

  /* Asterisk without identifiers: the code again. */
  notify (s, 5, "full", "<dialog id=\"x\"><state>early</state></dialog>");
  g_assert_true (dp_sidecar_press (f->sidecar, 1, 1, NULL));
  g_assert_cmpstr (last_dialled (f), ==, "**#1002");
  /* usr= names whom to pick up. */
  set (f, "Unit_1_Key_1", "fnc=blf+cp;sub=1002@$PROXY;usr=3002@$PROXY");
  g_assert_true (dp_sidecar_press (f->sidecar, 1, 1, NULL));
  g_assert_cmpstr (last_dialled (f), ==, "**#3002");

  /* Through the core action. */
  dp_core_add_action (f->core, "sidecar-press", dp_sidecar_press_action,
                      g_object_ref (f->sidecar), g_object_unref);
  g_assert_true (dp_core_run_action (f->core, "sidecar-press", "1/3", NULL));
  g_assert_cmpstr (last_dialled (f), ==, "05551234567");
  g_assert_false (dp_core_run_action (f->core, "sidecar-press", "1-3", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "UNIT/KEY"));
}

static void
test_status (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) status = NULL;
  JsonArray *keys;
  JsonObject *key1;

  notify (test_subscriber_find (f->subscriber, T1002), 0, "full", RINGING);
  dp_core_add_status_section (f->core, "sidecar", dp_sidecar_status_section,
                              g_object_ref (f->sidecar), g_object_unref);
  status = dp_core_build_status (f->core);
  keys = json_object_get_array_member (json_node_get_object (status), "sidecar");
  g_assert_cmpuint (json_array_get_length (keys), ==, 32);
  key1 = json_array_get_object_element (keys, 0);
  g_assert_cmpint (json_object_get_int_member (key1, "unit"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (key1, "key"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (key1, "function"), ==, "blf+sd+cp");
  g_assert_cmpstr (json_object_get_string_member (key1, "label"), ==, "Mehmet");
  g_assert_cmpstr (json_object_get_string_member (key1, "state"), ==, "ringing");
  g_assert_cmpstr (json_object_get_string_member (key1, "led"), ==, "c=r;p=f");
  g_assert_cmpstr (json_object_get_string_member (key1, "target"), ==, T1002);
  g_assert_cmpstr (json_object_get_string_member (key1, "led_color"), ==, "red");
  g_assert_cmpstr (json_object_get_string_member (key1, "led_pattern"), ==, "fast-blink");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (key1, "led_timing_ms")),
                    ==, 2);
  g_assert_cmpint (json_array_get_int_element (
                     json_object_get_array_member (key1, "led_timing_ms"), 0), ==, 100);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (keys, 2),
                                                  "state"), ==, "off");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func, data) \
  g_test_add ("/sidecar/" path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("subscribe-and-states", test_subscribe_and_states, NULL);
  ADD ("malformed", test_malformed, NULL);
  ADD ("failure-and-retry", test_failure_and_retry, NULL);
  ADD ("refused-subscribe", test_refused_subscribe, NULL);
  ADD ("no-subscriber-yet", test_no_subscriber_yet, "no subscriber");
  ADD ("refresh-triggers", test_refresh_triggers, NULL);
  ADD ("led-config-and-test-mode", test_led_config_and_test_mode, NULL);
  ADD ("config-keys", test_config_keys, NULL);
  ADD ("press", test_press, NULL);
  ADD ("status", test_status, NULL);
  return g_test_run ();
}
