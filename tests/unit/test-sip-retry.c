/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The sip plugin's registration retry schedule (dp-sip-retry.c, compiled
 * in: it needs nothing but GLib). */
#include "../../plugins/sip/dp-sip-retry.c"

static void
test_short_then_long (void)
{
  DpSipRetryPolicy policy = { .interval = 30, .long_interval = 1200 };

  for (guint n = 1; n <= DP_SIP_RETRY_SHORT_ATTEMPTS; n++)
    g_assert_cmpuint (dp_sip_retry_delay (&policy, n, 0.5), ==, 30);
  g_assert_cmpuint (dp_sip_retry_delay (&policy, DP_SIP_RETRY_SHORT_ATTEMPTS + 1, 0.5), ==,
                    1200);
  g_assert_cmpuint (dp_sip_retry_delay (&policy, 1000, 0.5), ==, 1200);
  /* 0 counts as the first failure; an interval of 0 as 1 s. */
  g_assert_cmpuint (dp_sip_retry_delay (&policy, 0, 0.5), ==, 30);
  policy.interval = 0;
  g_assert_cmpuint (dp_sip_retry_delay (&policy, 1, 0.5), ==, 1);
}

static void
test_long_zero_stops (void)
{
  DpSipRetryPolicy policy = { .interval = 5, .long_interval = 0 };

  g_assert_cmpuint (dp_sip_retry_delay (&policy, DP_SIP_RETRY_SHORT_ATTEMPTS, 0.0), ==, 5);
  g_assert_cmpuint (dp_sip_retry_delay (&policy, DP_SIP_RETRY_SHORT_ATTEMPTS + 1, 0.0), ==, 0);
}

static void
test_exponential_to_cap (void)
{
  DpSipRetryPolicy policy = { .interval = 30, .long_interval = 1200, .cap = 200 };
  const guint expected[] = { 30, 60, 120, 200, 200, 200 };

  for (guint n = 1; n <= G_N_ELEMENTS (expected); n++)
    g_assert_cmpuint (dp_sip_retry_delay (&policy, n, 0.0), ==, expected[n - 1]);
  /* Many failures: no overflow, still the cap. */
  g_assert_cmpuint (dp_sip_retry_delay (&policy, G_MAXUINT, 0.0), ==, 200);
  /* A cap below the interval wins. */
  policy.cap = 10;
  g_assert_cmpuint (dp_sip_retry_delay (&policy, 1, 0.0), ==, 10);
}

static void
test_random_delay (void)
{
  DpSipRetryPolicy policy = { .interval = 30, .long_interval = 1200, .random_delay = 10,
                              .long_random_delay = 100 };

  g_assert_cmpuint (dp_sip_retry_delay (&policy, 1, 0.0), ==, 30);
  g_assert_cmpuint (dp_sip_retry_delay (&policy, 1, 0.999), ==, 40);
  g_assert_cmpuint (dp_sip_retry_delay (&policy, 1, 1.0), ==, 40);
  g_assert_cmpuint (dp_sip_retry_delay (&policy, 1, 0.5), >=, 30);
  g_assert_cmpuint (dp_sip_retry_delay (&policy, 1, 0.5), <=, 40);
  g_assert_cmpuint (dp_sip_retry_delay (&policy, DP_SIP_RETRY_SHORT_ATTEMPTS + 1, 0.999), ==,
                    1300);
  /* Huge values are bounded to a day each. */
  policy.long_interval = G_MAXUINT;
  policy.long_random_delay = 0;
  g_assert_cmpuint (dp_sip_retry_delay (&policy, DP_SIP_RETRY_SHORT_ATTEMPTS + 1, 0.0), ==,
                    86400);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/retry/short-then-long", test_short_then_long);
  g_test_add_func ("/sip/retry/long-zero-stops", test_long_zero_stops);
  g_test_add_func ("/sip/retry/exponential-to-cap", test_exponential_to_cap);
  g_test_add_func ("/sip/retry/random-delay", test_random_delay);
  return g_test_run ();
}
