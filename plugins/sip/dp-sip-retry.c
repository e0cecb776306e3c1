/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Registration retry back-off (spa9x2-reference §12.1 timers).
 *
 * Decisions (the SPA documents name the parameters, not the schedule):
 * - Without `Reg_Retry_Intvl_Cap`: the first DP_SIP_RETRY_SHORT_ATTEMPTS
 *   consecutive failures are retried after `Reg_Retry_Intvl`, later ones
 *   after `Reg_Retry_Long_Intvl` (a registrar that keeps failing is asked
 *   less often); a long interval of 0 stops retrying.
 * - With `Reg_Retry_Intvl_Cap`: exponential back-off, `Reg_Retry_Intvl`
 *   doubled per consecutive failure up to the cap; the long interval is
 *   not used (the cap is the back-off's ceiling).
 * - Each wait gets a random extra delay up to `Reg_Retry_Random_Delay`
 *   (short / capped waits) or `Reg_Retry_Long_Random_Delay` (long ones),
 *   so phones that lost a registrar together do not return together.
 * - A 503's Retry-After overrides all of this (dp-sip-line.c); a success
 *   starts the count again.
 */
#include "dp-sip-retry.h"

/* Longest wait computed (one day): keeps the arithmetic in range. */
#define MAX_DELAY 86400u

/* 0 .. @range seconds, evenly spread for @random in [0, 1). */
static guint
jitter (guint range, double random)
{
  range = MIN (range, MAX_DELAY);
  return MIN ((guint) (CLAMP (random, 0.0, 1.0) * (range + 1)), range);
}

/**
 * dp_sip_retry_delay:
 * @policy: the configured intervals
 * @failures: consecutive failures so far, counting the one just seen (≥ 1)
 * @random: a random number in [0, 1) for the random extra delay
 *
 * Returns: seconds to wait before the next attempt, or 0 to stop retrying.
 */
guint
dp_sip_retry_delay (const DpSipRetryPolicy *policy, guint failures, double random)
{
  guint64 base = CLAMP (policy->interval, 1, MAX_DELAY);

  failures = MAX (failures, 1);
  if (policy->cap > 0)
    {
      guint cap = MIN (policy->cap, MAX_DELAY);

      /* base * 2^(failures-1), without overflowing the shift. */
      for (guint i = 1; i < failures && base < cap; i++)
        base *= 2;
      return (guint) MIN (base, cap) + jitter (policy->random_delay, random);
    }
  if (failures <= DP_SIP_RETRY_SHORT_ATTEMPTS)
    return (guint) base + jitter (policy->random_delay, random);
  if (policy->long_interval == 0)
    return 0;
  return MIN (policy->long_interval, MAX_DELAY) + jitter (policy->long_random_delay, random);
}
