/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for the time-rule parsers: Daylight_Saving_Time_Rule,
 * Time_Zone and Time_Offset__HH_mm_, and the evaluation of every rule that
 * parses (transitions over a range of years, local time around them). */
#include "dp-dst.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  DpDstRule rule;
  int offset = 0;
  GError *error = NULL;

  if (dp_dst_rule_parse (text, &rule, &error))
    {
      static const int years[] = { 1, 1970, 2024, 2025, 2100, 9999 };

      g_assert_true (dp_dst_rule_check (text, NULL));
      for (gsize i = 0; i < G_N_ELEMENTS (years); i++)
        {
          gint64 start, end;
          int month, day;

          dp_dst_rule_transitions (&rule, years[i], &start, &end);
          dp_dst_change_resolve_date (&rule.start, years[i], &month, &day);
          g_assert_true (month == rule.start.month && day >= 1 && day <= 31);
          dp_dst_change_resolve_date (&rule.end, years[i], &month, &day);
          g_assert_true (month == rule.end.month && day >= 1 && day <= 31);
          if (years[i] > 1 && years[i] < 9999)
            {
              dp_time_local_from_utc (start, -8 * 3600, &rule, NULL);
              dp_time_local_from_utc (end + 3600, 14 * 3600, &rule, NULL);
            }
        }
    }
  else
    {
      /* every rejection names a position */
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "position "));
      g_clear_error (&error);
    }

  if (dp_time_zone_parse (text, &offset, &error))
    {
      g_autofree char *back = dp_time_zone_format (offset);
      int again = 1;

      g_assert_true (dp_time_zone_parse (back, &again, NULL));
      g_assert_cmpint (again, ==, offset);
    }
  else
    {
      g_assert_nonnull (strstr (error->message, "position "));
      g_clear_error (&error);
    }

  if (!dp_time_offset_parse (text, &offset, &error))
    {
      g_assert_nonnull (strstr (error->message, "position "));
      g_clear_error (&error);
    }
  else
    {
      g_assert_cmpint (ABS (offset), <, 24 * 3600);
    }
  return 0;
}
