/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Benchmark (suite 'bench'): time from a NOTIFY body reaching the sidecar to
 * the key's LED changing, for 64 and 1,000 monitored keys (one subscription
 * each), and heap memory per key. Prints figures; asserts only that every
 * NOTIFY did change its LED. */
#include "dp-sidecar.h"
#include "test-subscriber.h"

#include <glib/gstdio.h>
#include <malloc.h>
#include <stdio.h>
#include <time.h>

#define NS "urn:ietf:params:xml:ns:dialog-info"
#define CT "application/dialog-info+xml"

typedef struct {
  gint64 fired_ns;
  guint n_changes;
} Probe;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
on_led_changed (DpSidecar *sidecar, guint unit, guint key, const char *state, const char *led,
                gpointer user_data)
{
  Probe *probe = user_data;

  probe->fired_ns = now_ns ();
  probe->n_changes++;
}

static gint
compare_i64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static size_t
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks;
}

static void
run (guint n_keys)
{
  g_autofree char *dir = g_dir_make_tmp ("sidecar-bench-XXXXXX", NULL);
  g_autoptr(DpCore) core = dp_core_new (dir);
  g_autoptr(TestSubscriber) subscriber = test_subscriber_new ();
  g_autoptr(DpSidecar) sidecar = NULL;
  g_autoptr(GArray) latencies = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_keys * 4);
  g_autoptr(GPtrArray) subscriptions = g_ptr_array_new ();
  static const char * const dialogs[] = {
    "<dialog id=\"d\" call-id=\"c\" local-tag=\"l\" remote-tag=\"r\" direction=\"recipient\">"
      "<state>early</state></dialog>",
    "<dialog id=\"d\" direction=\"recipient\"><state>confirmed</state></dialog>",
    "<dialog id=\"d\"><state>confirmed</state><local><target uri=\"sip:x@y\">"
      "<param pname=\"+sip.rendering\" pvalue=\"no\"/></target></local></dialog>",
    "<dialog id=\"d\"><state>terminated</state></dialog>",
  };
  Probe probe = { 0, 0 };
  size_t heap_before, heap_after;
  gint64 total_ns = 0;
  guint missed = 0;

  g_assert_true (dp_sidecar_register_parameters (dp_core_get_config (core), NULL));
  g_assert_true (dp_config_set (dp_core_get_config (core), "Proxy_1_", "pbx.test", NULL));
  g_assert_true (dp_config_set (dp_core_get_config (core), "Unit_1_Enable", "No", NULL));
  g_assert_true (dp_config_set (dp_core_get_config (core), "Unit_2_Enable", "No", NULL));
  dp_core_set_subscriber (core, DP_SUBSCRIBER (subscriber));

  heap_before = heap_in_use ();
  sidecar = dp_sidecar_new (core);
  dp_sidecar_start (sidecar);
  for (guint i = 0; i < n_keys; i++)
    {
      g_autofree char *script = g_strdup_printf ("fnc=blf+sd+cp;sub=%u@$PROXY;nme=User %u",
                                                 10000 + i, i);

      g_assert_true (dp_sidecar_set_key (sidecar, 1 + i / 32, 1 + i % 32, script, NULL));
    }
  g_assert_cmpuint (subscriber->subscriptions->len, ==, n_keys);
  for (guint i = 0; i < n_keys; i++)
    {
      g_autofree char *body = g_strdup_printf ("<dialog-info xmlns=\"" NS "\" version=\"0\" "
                                               "state=\"full\" entity=\"sip:%u@pbx.test\"/>",
                                               10000 + i);
      DpSubscription *s = subscriber->subscriptions->pdata[i];

      dp_subscription_set_state (s, DP_SUBSCRIPTION_ACTIVE, NULL);
      test_deliver (s, CT, body);
      g_ptr_array_add (subscriptions, s);
    }
  heap_after = heap_in_use ();

  g_signal_connect (sidecar, "led-changed", G_CALLBACK (on_led_changed), &probe);
  for (guint round = 0; round < G_N_ELEMENTS (dialogs); round++)
    for (guint i = 0; i < n_keys; i++)
      {
        g_autofree char *body =
          g_strdup_printf ("<?xml version=\"1.0\"?><dialog-info xmlns=\"" NS "\" version=\"%u\" "
                           "state=\"partial\" entity=\"sip:%u@pbx.test\">%s</dialog-info>",
                           round + 1, 10000 + i, dialogs[round]);
        g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
        guint before = probe.n_changes;
        gint64 start = now_ns (), latency;

        dp_subscription_deliver (subscriptions->pdata[i], CT, bytes);
        if (probe.n_changes == before)
          {
            missed++;
            continue;
          }
        latency = probe.fired_ns - start;
        total_ns += latency;
        g_array_append_val (latencies, latency);
      }
  g_array_sort (latencies, compare_i64);

  printf ("# sidecar NOTIFY -> LED, %u keys (%u subscriptions), %u NOTIFYs:\n",
          n_keys, n_keys, latencies->len + missed);
  if (latencies->len > 0)
    printf ("#   latency us: min %.1f  median %.1f  p99 %.1f  max %.1f  mean %.1f\n",
            g_array_index (latencies, gint64, 0) / 1000.0,
            g_array_index (latencies, gint64, latencies->len / 2) / 1000.0,
            g_array_index (latencies, gint64, (latencies->len * 99) / 100) / 1000.0,
            g_array_index (latencies, gint64, latencies->len - 1) / 1000.0,
            (double) total_ns / latencies->len / 1000.0);
  printf ("#   memory per key (key + script + subscription + dialog state): %.0f bytes "
          "(heap %+zd bytes for %u keys)\n",
          (double) ((gssize) heap_after - (gssize) heap_before) / n_keys,
          (gssize) heap_after - (gssize) heap_before, n_keys);
  g_assert_cmpuint (missed, ==, 0);
  g_assert_cmpuint (probe.n_changes, ==, 4 * n_keys);

  dp_sidecar_stop (sidecar);
  g_clear_object (&sidecar);
  g_clear_object (&core);
  {
    g_autofree char *state = g_build_filename (dir, "config.xml", NULL);
    g_unlink (state);
    g_rmdir (dir);
  }
}

int
main (int argc, char **argv)
{
  run (64);
  run (1000);
  return 0;
}
