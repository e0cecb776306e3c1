/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The provisioning clock: phone seconds, optionally accelerated for tests
 * (see dp-prov-clock.h). */
#define G_LOG_DOMAIN "dp-provisioning"

#include "dp-prov-clock.h"

#include <math.h>

static double time_scale = -1;

/**
 * dp_prov_clock_get_scale:
 *
 * Returns: real seconds per phone second (`DESKPHONE_TIME_SCALE`, default 1)
 */
double
dp_prov_clock_get_scale (void)
{
  if (time_scale < 0)
    {
      const char *text = g_getenv (DP_PROV_TIME_SCALE_ENV);
      char *end = NULL;
      double value;

      time_scale = 1;
      if (text == NULL || *text == '\0')
        return time_scale;
      value = g_ascii_strtod (text, &end);
      if (end == text || *end != '\0' || !isfinite (value) || value <= 0 || value > 1000)
        g_warning ("%s=%s is not a positive number up to 1000; using real time",
                   DP_PROV_TIME_SCALE_ENV, text);
      else
        time_scale = value;
    }
  return time_scale;
}

/**
 * dp_prov_clock_set_scale:
 * @scale: real seconds per phone second (> 0)
 *
 * Overrides the environment (unit tests).
 */
void
dp_prov_clock_set_scale (double scale)
{
  g_return_if_fail (scale > 0);
  time_scale = scale;
}

/**
 * dp_prov_clock_now:
 *
 * Returns: monotonic time in phone seconds (arbitrary origin)
 */
double
dp_prov_clock_now (void)
{
  return (double) g_get_monotonic_time () / G_USEC_PER_SEC / dp_prov_clock_get_scale ();
}

/**
 * dp_prov_clock_timeout_add:
 * @seconds: phone seconds (>= 0)
 * @func: the callback
 * @data: its data
 *
 * g_timeout_add() in phone seconds, on the thread-default main context.
 *
 * Returns: the source id
 */
guint
dp_prov_clock_timeout_add (double seconds, GSourceFunc func, gpointer data)
{
  double ms = MAX (seconds, 0) * 1000.0 * dp_prov_clock_get_scale ();

  /* g_timeout_add takes a guint; clamp far futures (years) rather than wrap. */
  if (ms > (double) G_MAXUINT - 1)
    ms = (double) G_MAXUINT - 1;
  return g_timeout_add ((guint) ms, func, data);
}
