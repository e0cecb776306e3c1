/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Bench: dial-plan matching throughput. A realistic North-American plan
 * (the SPA default plus outside-line, substitution and barred sequences)
 * is parsed once; numbers of every kind (service codes, 7 and 11 digit,
 * international with a timer expiry, barred) are dialed key by key through
 * a fresh DpDialer, as the phone does for each call. Prints numbers dialed
 * per second and keys per second, then a JSON line; asserts only that the
 * transcripts are the expected ones (a broken engine must not look fast).
 *
 * Usage: bench-dialplan [ROUNDS]   (default 20000 numbers; callgrind runs
 * use a small count so that its instruction total is deterministic).
 */
#define G_LOG_DOMAIN "bench-dialplan"

#include <deskphone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLAN "(*xx|[3469]11|0|00|<9,:>[2-9]xxxxxx|<9,:>1[2-9]xx[2-9]xxxxxx|" \
             "<9,:>011xxxxxxxxx.|1900xxxxxxx!|<8:1650>xxxxxxx|[2-9]xxxxxxS0)"

typedef struct {
  const char *keys;     /* 'T' = the armed interdigit timer fires */
  DpDialEventType last; /* the final event the plan must give */
} Number;

static const Number numbers[] = {
  { "*69", DP_DIAL_EVENT_SEND },
  { "911T", DP_DIAL_EVENT_SEND },
  { "95551212", DP_DIAL_EVENT_SEND },
  { "914085551212", DP_DIAL_EVENT_SEND },
  { "9011442071234567T", DP_DIAL_EVENT_SEND },
  { "19005551234", DP_DIAL_EVENT_REJECT },
  { "85551212", DP_DIAL_EVENT_SEND },
  { "5551212", DP_DIAL_EVENT_SEND },
};

static DpDialEventType
dial (DpDialPlan *plan, const char *keys, guint *n_keys)
{
  g_autoptr(DpDialer) dialer = dp_dialer_new (plan);
  g_autoptr(GPtrArray) events = dp_dialer_start (dialer);
  DpDialEventType last = DP_DIAL_EVENT_TONE;

  for (const char *k = keys; *k != '\0' && !dp_dialer_is_finished (dialer); k++)
    {
      g_clear_pointer (&events, g_ptr_array_unref);
      events = *k == 'T' ? dp_dialer_timer_expired (dialer) : dp_dialer_press_key (dialer, *k);
      (*n_keys)++;
    }
  if (events != NULL && events->len > 0)
    last = ((DpDialEvent *) events->pdata[events->len - 1])->type;
  return last;
}

int
main (int argc, char **argv)
{
  guint rounds = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 20000;
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDialPlan) plan = dp_dial_plan_parse (PLAN, &error);
  guint n_keys = 0;
  gint64 start, elapsed;
  double seconds;

  if (plan == NULL)
    {
      fprintf (stderr, "bench-dialplan: %s\n", error->message);
      return 1;
    }
  if (rounds == 0)
    rounds = 1;
  start = g_get_monotonic_time ();
  for (guint i = 0; i < rounds; i++)
    {
      const Number *number = &numbers[i % G_N_ELEMENTS (numbers)];
      DpDialEventType last = dial (plan, number->keys, &n_keys);

      if (last != number->last)
        {
          fprintf (stderr, "bench-dialplan: %s ended with event %d, expected %d\n",
                   number->keys, last, number->last);
          return 1;
        }
    }
  elapsed = MAX (g_get_monotonic_time () - start, 1);
  seconds = elapsed / 1e6;
  printf ("dial plan matching: %u numbers (%u keys) in %.3f s: %.0f numbers/s, %.0f keys/s, "
          "%.2f us per number\n", rounds, n_keys, seconds, rounds / seconds, n_keys / seconds,
          elapsed / (double) rounds);
  printf ("{\"numbers\": %u, \"keys\": %u, \"numbers_per_s\": %.0f, \"keys_per_s\": %.0f, "
          "\"us_per_number\": %.3f}\n", rounds, n_keys, rounds / seconds, n_keys / seconds,
          elapsed / (double) rounds);
  return 0;
}
