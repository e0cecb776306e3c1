/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Time_Zone / Time_Offset / Daylight_Saving_Time_Rule: the vectors of
 * conformance-vectors.md §5 and the rules of spa9x2-reference.md §6. */
#include "dp-dst.h"

#include <string.h>

/* Local seconds (seconds since 1970-01-01T00:00:00 on the local clock) of a
 * civil date-time, computed with GDateTime so the test does not share the
 * library's calendar code. */
static gint64
local_seconds (int year, int month, int day, int hour, int minute, int second)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (year, month, day, hour, minute, second);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static char *
format_local (gint64 local)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (local);

  g_assert_nonnull (dt);
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
}

static DpDstRule
parse_ok (const char *text)
{
  DpDstRule rule;
  g_autoptr(GError) error = NULL;

  g_assert_true (dp_dst_rule_parse (text, &rule, &error));
  g_assert_no_error (error);
  return rule;
}

static void
assert_transitions (const char *text, int year, const char *start, const char *end)
{
  DpDstRule rule = parse_ok (text);
  gint64 s, e;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;

  dp_dst_rule_transitions (&rule, year, &s, &e);
  start_text = format_local (s);
  end_text = format_local (e);
  g_assert_cmpstr (start_text, ==, start);
  g_assert_cmpstr (end_text, ==, end);
}

/* DST1: the AG default, last-Sunday-of-October end. */
static void
test_dst1_default (void)
{
  const char *rule = "start=4/1/7;end=10/-1/7;save=1";

  assert_transitions (rule, 2008, "2008-04-06T00:00:00", "2008-10-26T00:00:00");
  assert_transitions (rule, 2009, "2009-04-05T00:00:00", "2009-10-25T00:00:00");
  assert_transitions (rule, 2010, "2010-04-04T00:00:00", "2010-10-31T00:00:00");
  assert_transitions (rule, 2024, "2024-04-07T00:00:00", "2024-10-27T00:00:00");
  assert_transitions (rule, 2025, "2025-04-06T00:00:00", "2025-10-26T00:00:00");
  g_assert_cmpint (parse_ok (rule).save_seconds, ==, 3600);
}

/* DST2 (CONFLICT): the guide's equivalent spellings of the US pre-2007
 * rule give the same changes every year; `end=10/31/7` is the last Sunday of
 * October, not the first Sunday on or after October 31 (2008: Oct 26, not
 * Nov 2). */
static void
test_dst2_equivalent_forms (void)
{
  DpDstRule a = parse_ok ("start=4/1/7/0:0:0;end=10/31/7/0:0:0;save=1");
  DpDstRule b = parse_ok ("start=4/1/7;end=10/-1/7;save=1");
  DpDstRule c = parse_ok ("start=4/1/7/0;end=10/-1/7/0;save=1");

  for (int year = 1970; year <= 2100; year++)
    {
      gint64 as, ae, bs, be, cs, ce;

      dp_dst_rule_transitions (&a, year, &as, &ae);
      dp_dst_rule_transitions (&b, year, &bs, &be);
      dp_dst_rule_transitions (&c, year, &cs, &ce);
      g_assert_cmpint (as, ==, bs);
      g_assert_cmpint (ae, ==, be);
      g_assert_cmpint (cs, ==, bs);
      g_assert_cmpint (ce, ==, be);
    }
  assert_transitions ("start=4/1/7;end=10/31/7;save=1", 2008,
                      "2008-04-06T00:00:00", "2008-10-26T00:00:00");
  /* When October 31 is itself a Sunday it is the day. */
  assert_transitions ("start=4/1/7;end=10/31/7;save=1", 2010,
                      "2010-04-04T00:00:00", "2010-10-31T00:00:00");
}

/* DST3: US 2007+. */
static void
test_dst3_us (void)
{
  const char *rule = "start=3/8/7/02:0:0;end=11/1/7/02:0:0;save=1";

  assert_transitions (rule, 2008, "2008-03-09T02:00:00", "2008-11-02T02:00:00");
  assert_transitions (rule, 2009, "2009-03-08T02:00:00", "2009-11-01T02:00:00");
  assert_transitions (rule, 2010, "2010-03-14T02:00:00", "2010-11-07T02:00:00");
  assert_transitions (rule, 2024, "2024-03-10T02:00:00", "2024-11-03T02:00:00");
  assert_transitions (rule, 2025, "2025-03-09T02:00:00", "2025-11-02T02:00:00");
}

/* Other documented rules: Egypt (negative day, Friday/Thursday) and the later
 * Cisco default (hour only). */
static void
test_documented_examples (void)
{
  /* last Friday of April, last Thursday of September */
  assert_transitions ("start=4/-1/5;end=9/-1/4;save=1", 2025,
                      "2025-04-25T00:00:00", "2025-09-25T00:00:00");
  assert_transitions ("start=4/-1/5;end=9/-1/4;save=1", 2008,
                      "2008-04-25T00:00:00", "2008-09-25T00:00:00");
  assert_transitions ("start=3/-1/7/2;end=10/-1/7/2;save=1", 2025,
                      "2025-03-30T02:00:00", "2025-10-26T02:00:00");
  assert_transitions ("start=3/-1/7/2;end=10/-1/7/3;save=1", 2024,
                      "2024-03-31T02:00:00", "2024-10-27T03:00:00");
  /* negative day other than -1: last Sunday on or before the 7th from the end */
  assert_transitions ("start=3/-7/7;end=10/-8/1;save=1", 2025,
                      "2025-03-23T00:00:00", "2025-10-20T00:00:00");
  /* a negative time moves the change into the previous day */
  assert_transitions ("start=3/-1/7/-1;end=10/-1/7/+24;save=1", 2025,
                      "2025-03-29T23:00:00", "2025-10-27T00:00:00");
}

/* DST7: exact dates (weekday 0), southern hemisphere. */
static void
test_dst7_exact_date_southern (void)
{
  const char *text = "start=10/4/0/2:0:0;end=4/4/0/3:0:0;save=1";
  DpDstRule rule = parse_ok (text);
  gint64 std = -3 * 3600;

  for (int year = 2000; year <= 2030; year++)
    {
      g_autofree char *start = g_strdup_printf ("%d-10-04T02:00:00", year);
      g_autofree char *end = g_strdup_printf ("%d-04-04T03:00:00", year);
      assert_transitions (text, year, start, end);
    }

  /* In force across new year, not in the southern winter. */
  g_assert_true (dp_dst_rule_is_active (&rule, local_seconds (2025, 1, 1, 0, 0, 0) - std, (int) std));
  g_assert_true (dp_dst_rule_is_active (&rule, local_seconds (2024, 12, 31, 23, 0, 0) - std, (int) std));
  g_assert_false (dp_dst_rule_is_active (&rule, local_seconds (2025, 6, 15, 12, 0, 0) - std, (int) std));
  /* the end at 03:00 daylight time = 02:00 standard */
  g_assert_true (dp_dst_rule_is_active (&rule, local_seconds (2025, 4, 4, 1, 59, 59) - std, (int) std));
  g_assert_false (dp_dst_rule_is_active (&rule, local_seconds (2025, 4, 4, 2, 0, 0) - std, (int) std));
  /* the start at 02:00 standard time */
  g_assert_false (dp_dst_rule_is_active (&rule, local_seconds (2025, 10, 4, 1, 59, 59) - std, (int) std));
  g_assert_true (dp_dst_rule_is_active (&rule, local_seconds (2025, 10, 4, 2, 0, 0) - std, (int) std));
}

/* A southern rule written with weekdays (the NZ rule once its end= is
 * restored): start month > end month. */
static void
test_southern_weekday_rule (void)
{
  DpDstRule rule = parse_ok ("start=9/-1/7/2;end=4/1/7/3;save=1");
  int nz = 12 * 3600;
  gboolean dst;
  gint64 local;
  g_autofree char *text = NULL;

  /* 2025: ends Sunday April 6 03:00 NZDT, starts Sunday September 28 02:00 NZST */
  assert_transitions ("start=9/-1/7/2;end=4/1/7/3;save=1", 2025,
                      "2025-09-28T02:00:00", "2025-04-06T03:00:00");
  local = dp_time_local_from_utc (local_seconds (2025, 1, 15, 0, 0, 0), nz, &rule, &dst);
  g_assert_true (dst);
  text = format_local (local);
  g_assert_cmpstr (text, ==, "2025-01-15T13:00:00");
  g_clear_pointer (&text, g_free);
  local = dp_time_local_from_utc (local_seconds (2025, 7, 15, 0, 0, 0), nz, &rule, &dst);
  g_assert_false (dst);
  text = format_local (local);
  g_assert_cmpstr (text, ==, "2025-07-15T12:00:00");
}

/* DST8: weekday 0 needs a positive day. */
static void
test_dst8_exact_date_negative_day (void)
{
  DpDstRule rule;
  g_autoptr(GError) error = NULL;

  g_assert_false (dp_dst_rule_parse ("start=4/-1/0;end=10/-1/7;save=1", &rule, &error));
  g_assert_error (error, DP_TIME_ERROR, DP_TIME_ERROR_RANGE);
  g_assert_nonnull (strstr (error->message, "position 12:"));
  g_assert_false (dp_dst_rule_check ("start=4/-1/0;end=10/-1/7;save=1", NULL));
}

static gint64
local_at (const DpDstRule *rule, int std, int y, int mo, int d, int h, int mi, int s, gboolean *dst)
{
  return dp_time_local_from_utc (local_seconds (y, mo, d, h, mi, s), std, rule, dst);
}

static void
assert_local (const DpDstRule *rule, int std, int y, int mo, int d, int h, int mi, int s,
              const char *expected, gboolean expected_dst)
{
  gboolean dst;
  g_autofree char *text = format_local (local_at (rule, std, y, mo, d, h, mi, s, &dst));

  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpint (dst, ==, expected_dst);
}

/* Local time around the US changes in GMT-08:00: the clock jumps from
 * 01:59:59 PST to 03:00:00 PDT, and back from 01:59:59 PDT to 01:00:00 PST
 * (each rule time is the clock reading before the change). */
static void
test_local_time_us (void)
{
  DpDstRule rule = parse_ok ("start=3/8/7/02:0:0;end=11/1/7/02:0:0;save=1");
  int pst = -8 * 3600;

  assert_local (&rule, pst, 2025, 3, 9, 9, 59, 59, "2025-03-09T01:59:59", FALSE);
  assert_local (&rule, pst, 2025, 3, 9, 10, 0, 0, "2025-03-09T03:00:00", TRUE);
  assert_local (&rule, pst, 2025, 7, 4, 19, 0, 0, "2025-07-04T12:00:00", TRUE);
  assert_local (&rule, pst, 2025, 11, 2, 8, 59, 59, "2025-11-02T01:59:59", TRUE);
  assert_local (&rule, pst, 2025, 11, 2, 9, 0, 0, "2025-11-02T01:00:00", FALSE);
  assert_local (&rule, pst, 2025, 12, 31, 12, 0, 0, "2025-12-31T04:00:00", FALSE);
  /* new year in UTC is still the old year locally */
  assert_local (&rule, pst, 2026, 1, 1, 3, 0, 0, "2025-12-31T19:00:00", FALSE);
  assert_local (NULL, pst, 2025, 7, 4, 19, 0, 0, "2025-07-04T11:00:00", FALSE);
}

/* DST9 and fractional saves. */
static void
test_dst9_negative_and_fractional_save (void)
{
  DpDstRule minus = parse_ok ("start=4/1/7;end=10/-1/7;save=-1");
  DpDstRule half = parse_ok ("start=4/1/7;end=10/-1/7;save=0:30");
  DpDstRule odd = parse_ok ("start=4/1/7;end=10/-1/7;save=+1:30:15");

  g_assert_cmpint (minus.save_seconds, ==, -3600);
  g_assert_cmpint (half.save_seconds, ==, 1800);
  g_assert_cmpint (odd.save_seconds, ==, 5415);
  g_assert_cmpint (parse_ok ("start=4/1/7;end=10/-1/7;save=-0:30").save_seconds, ==, -1800);

  /* GMT+01:00: one hour is subtracted during the period. */
  assert_local (&minus, 3600, 2025, 7, 1, 12, 0, 0, "2025-07-01T12:00:00", TRUE);
  assert_local (&minus, 3600, 2025, 1, 1, 12, 0, 0, "2025-01-01T13:00:00", FALSE);
  /* The start (00:00 standard) is at 23:00 UTC the day before; the clock goes
   * from 23:59:59 back to 23:00:00 of April 5. */
  assert_local (&minus, 3600, 2025, 4, 5, 22, 59, 59, "2025-04-05T23:59:59", FALSE);
  assert_local (&minus, 3600, 2025, 4, 5, 23, 0, 0, "2025-04-05T23:00:00", TRUE);
  /* The end at 00:00 of the reduced clock = 00:00 UTC, back to 01:00. */
  assert_local (&minus, 3600, 2025, 10, 25, 23, 59, 59, "2025-10-25T23:59:59", TRUE);
  assert_local (&minus, 3600, 2025, 10, 26, 0, 0, 0, "2025-10-26T01:00:00", FALSE);

  assert_local (&half, 0, 2025, 7, 1, 12, 0, 0, "2025-07-01T12:30:00", TRUE);
  assert_local (&half, 0, 2025, 2, 1, 12, 0, 0, "2025-02-01T12:00:00", FALSE);
}

/* Field order, case, blanks and a trailing ';' do not matter. */
static void
test_lenient_spellings (void)
{
  DpDstRule a = parse_ok ("start=3/8/7/02:0:0;end=11/1/7/02:0:0;save=1");
  DpDstRule b = parse_ok (" save = 1 ; END=11/1/7/2 ; Start=03/08/7/2:00:00 ;");

  g_assert_cmpmem (&a, sizeof a, &b, sizeof b);
  g_assert_true (dp_dst_rule_check ("", NULL));
  g_assert_true (dp_dst_rule_check ("   ", NULL));
  g_assert_true (dp_dst_rule_check ("start=4/1/7;end=10/-1/7;save=1", NULL));
}

typedef struct {
  const char *rule;
  int position;
  const char *fragment;
} BadRule;

static void
test_malformed_rules (void)
{
  static const BadRule cases[] = {
    /* the NZ example as printed: the second field has no key */
    { "start=10/1/7;3/22/7;save=1", 14, "expected \"start=\"" },
    { "", 1, "empty rule" },
    { "start=4/1/7;save=1", 19, "missing \"end=\"" },
    { "start=4/1/7;end=10/-1/7", 24, "missing \"save=\"" },
    { "end=10/-1/7;save=1", 19, "missing \"start=\"" },
    { "start=13/1/7;end=10/-1/7;save=1", 7, "month 13" },
    { "start=0/1/7;end=10/-1/7;save=1", 7, "month 0" },
    { "start=4/0/7;end=10/-1/7;save=1", 9, "day 0" },
    { "start=4/31/7;end=10/-1/7;save=1", 9, "day 31 beyond" },
    { "start=2/30/0;end=10/-1/7;save=1", 9, "day 30 beyond" },
    { "start=4/-32/7;end=10/-1/7;save=1", 9, "day -32 beyond" },
    { "start=4/123/7;end=10/-1/7;save=1", 9, "more than two digits" },
    { "start=4/1/8;end=10/-1/7;save=1", 11, "weekday" },
    { "start=4/1/17;end=10/-1/7;save=1", 11, "weekday" },
    { "start=4/1;end=10/-1/7;save=1", 10, "expected '/' after the day" },
    { "start=4/1/7/25;end=10/-1/7;save=1", 13, "beyond" },
    { "start=4/1/7/2:60;end=10/-1/7;save=1", 15, "minutes 60" },
    { "start=4/1/7/2:0:61;end=10/-1/7;save=1", 17, "seconds 61" },
    { "start=4/1/7/2:;end=10/-1/7;save=1", 15, "expected minutes" },
    { "start=4/1/7;end=10/-1/7;save=13", 30, "beyond" },
    { "start=4/1/7;end=10/-1/7;save=", 30, "expected save" },
    { "start=4/1/7;end=10/-1/7;save=1h", 31, "expected ';'" },
    { "start=4/1/7;start=4/1/7;end=10/-1/7;save=1", 13, "given twice" },
    { "start=4/1/7;;end=10/-1/7;save=1", 13, "expected \"start=\"" },
    { "start=4/1/7;end=10/-1/7;save=1;;", 32, "expected \"start=\"" },
    { "start 4/1/7;end=10/-1/7;save=1", 1, "expected \"start=\"" },
    { "start=4.1.7;end=10/-1/7;save=1", 8, "expected '/' after the month" },
    { "start=4/1/7;end=10/-1/7;save=1\n", 31, "byte 0x0a" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DpDstRule rule;
      g_autoptr(GError) error = NULL;
      g_autofree char *where = g_strdup_printf ("position %d:", cases[i].position);

      g_test_message ("rule %s", cases[i].rule);
      g_assert_false (dp_dst_rule_parse (cases[i].rule, &rule, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == DP_TIME_ERROR);
      g_assert_true (g_str_has_prefix (error->message, "DST rule: "));
      if (strstr (error->message, where) == NULL || strstr (error->message, cases[i].fragment) == NULL)
        g_error ("rule \"%s\": got \"%s\", want %s … %s", cases[i].rule, error->message, where,
                 cases[i].fragment);
      if (cases[i].rule[0] != '\0')
        g_assert_false (dp_dst_rule_check (cases[i].rule, NULL));
    }
}

/* Reference for the date rules, written independently with GDate. */
static int
reference_day (int year, int month, int day, int weekday)
{
  int length = g_date_get_days_in_month (month, year);
  int step, from, stop;

  if (weekday == 0)
    return MIN (day, length);
  if (day > 0)
    {
      from = MIN (day, length), stop = length + 1, step = 1;
    }
  else
    {
      from = MAX (length + 1 + day, 1), stop = 0, step = -1;
    }
  for (int i = 0; i < 7; i++)
    {
      int d = from + i * step;
      if (d == stop)
        break;
      GDate date;
      g_date_clear (&date, 1);
      g_date_set_dmy (&date, d, month, year);
      if ((int) g_date_get_weekday (&date) == weekday)
        return d;
    }
  /* the window ran out of the month: the nearest one inside it */
  for (int i = 0; i < 7; i++)
    {
      int d = (day > 0 ? length - i : 1 + i);
      GDate date;
      g_date_clear (&date, 1);
      g_date_set_dmy (&date, d, month, year);
      if ((int) g_date_get_weekday (&date) == weekday)
        return d;
    }
  g_assert_not_reached ();
}

static void
test_date_resolution_exhaustive (void)
{
  for (int year = 1996; year <= 2031; year++)
    for (int month = 1; month <= 12; month++)
      for (int weekday = 0; weekday <= 7; weekday++)
        for (int day = -31; day <= 31; day++)
          {
            DpDstChange change = { month, day, weekday, 0 };
            int m, d;

            if (day == 0 || ABS (day) > (month == 2 ? 29 : (int) g_date_get_days_in_month (month, 2000)))
              continue;
            if (weekday == 0 && day < 0)
              continue;
            dp_dst_change_resolve_date (&change, year, &m, &d);
            g_assert_cmpint (m, ==, month);
            if (d != reference_day (year, month, day, weekday))
              g_error ("%d: %d/%d/%d gave day %d, want %d", year, month, day, weekday, d,
                       reference_day (year, month, day, weekday));
          }
}

/* February 29 in a common year falls on February 28. */
static void
test_exact_leap_day (void)
{
  assert_transitions ("start=2/29/0;end=10/-1/7;save=1", 2024,
                      "2024-02-29T00:00:00", "2024-10-27T00:00:00");
  assert_transitions ("start=2/29/0;end=10/-1/7;save=1", 2025,
                      "2025-02-28T00:00:00", "2025-10-26T00:00:00");
}

/* dp_dst_rule_is_active() agrees with the transitions at every hour of
 * several years, for a northern and a southern rule. */
static void
test_active_matches_transitions (void)
{
  const char *rules[] = {
    "start=3/8/7/02:0:0;end=11/1/7/02:0:0;save=1",
    "start=10/4/0/2:0:0;end=4/4/0/3:0:0;save=1",
    "start=4/1/7;end=10/-1/7;save=-1",
  };
  int std = -5 * 3600;

  for (gsize r = 0; r < G_N_ELEMENTS (rules); r++)
    {
      DpDstRule rule = parse_ok (rules[r]);
      for (int year = 2023; year <= 2026; year++)
        {
          gint64 s, e, t0 = local_seconds (year, 1, 1, 0, 0, 0) - std;
          gint64 s_utc, e_utc;

          dp_dst_rule_transitions (&rule, year, &s, &e);
          s_utc = s - std;
          e_utc = e - std - rule.save_seconds;
          for (gint64 t = t0; t < t0 + 365 * 86400; t += 3600)
            {
              gboolean want = s_utc < e_utc ? (t >= s_utc && t < e_utc) : (t >= s_utc || t < e_utc);
              g_assert_cmpint (dp_dst_rule_is_active (&rule, t, std), ==, want);
            }
        }
    }
}

/* Start and end at the same instant: daylight saving never applies. */
static void
test_coinciding_changes (void)
{
  DpDstRule rule = parse_ok ("start=6/1/0/2;end=6/1/0/3;save=1");

  for (int hour = 0; hour < 24; hour++)
    g_assert_false (dp_dst_rule_is_active (&rule, local_seconds (2025, 6, 1, hour, 0, 0), 0));
  g_assert_false (dp_dst_rule_is_active (&rule, local_seconds (2025, 12, 1, 0, 0, 0), 0));
}

static void
test_time_zone_parse (void)
{
  static const struct { const char *text; int seconds; } good[] = {
    { "GMT", 0 }, { "GMT+00:00", 0 }, { "GMT-00:00", 0 }, { "GMT-08:00", -8 * 3600 },
    { "GMT-05:00", -5 * 3600 }, { "GMT+01:00", 3600 }, { "GMT+05:30", 5 * 3600 + 1800 },
    { "GMT+05:45", 5 * 3600 + 2700 }, { "GMT-12:00", -12 * 3600 }, { "GMT+13:00", 13 * 3600 },
    { "GMT+14:00", 14 * 3600 }, { "GMT+5", 5 * 3600 }, { "gmt-3:30", -(3 * 3600 + 1800) },
  };
  static const struct { const char *text; int position; } bad[] = {
    { "", 1 }, { "PST", 1 }, { "UTC+01:00", 1 }, { "GMT 01:00", 4 }, { "GMT+", 5 },
    { "GMT+01:60", 8 }, { "GMT+15:00", 4 }, { "GMT-12:30", 4 }, { "GMT+01:00x", 10 },
    { "GMT+100:00", 5 }, { "GMT+01:", 8 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      int seconds = 12345;
      g_autoptr(GError) error = NULL;

      g_assert_true (dp_time_zone_parse (good[i].text, &seconds, &error));
      g_assert_no_error (error);
      g_assert_cmpint (seconds, ==, good[i].seconds);
      g_assert_true (dp_time_zone_check (good[i].text, NULL));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      int seconds = 12345;
      g_autoptr(GError) error = NULL;
      g_autofree char *where = g_strdup_printf ("Time zone: position %d:", bad[i].position);

      g_assert_false (dp_time_zone_parse (bad[i].text, &seconds, &error));
      g_assert_nonnull (error);
      if (!g_str_has_prefix (error->message, where))
        g_error ("zone \"%s\": got \"%s\", want %s", bad[i].text, error->message, where);
      g_assert_cmpint (seconds, ==, 12345);
    }
}

static void
test_time_zone_format (void)
{
  static const struct { int seconds; const char *text; } cases[] = {
    { -5 * 3600, "GMT-05:00" }, { 3600, "GMT+01:00" }, { 0, "GMT" },
    { 5 * 3600 + 1800, "GMT+05:30" }, { -(3 * 3600 + 1800), "GMT-03:30" },
    { -8 * 3600, "GMT-08:00" }, { 13 * 3600, "GMT+13:00" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = dp_time_zone_format (cases[i].seconds);
      int back = 1;

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_true (dp_time_zone_parse (text, &back, NULL));
      g_assert_cmpint (back, ==, cases[i].seconds);
    }
}

static void
test_time_offset_parse (void)
{
  static const struct { const char *text; int seconds; } good[] = {
    { "", 0 }, { "1", 3600 }, { "01/30", 5400 }, { "-02/15", -(2 * 3600 + 900) },
    { "+3:00", 3 * 3600 }, { "23/59", 23 * 3600 + 59 * 60 },
  };
  static const struct { const char *text; int position; } bad[] = {
    { "24", 1 }, { "1/60", 3 }, { "1h", 2 }, { "/30", 1 }, { "1/", 3 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      int seconds = 12345;
      g_assert_true (dp_time_offset_parse (good[i].text, &seconds, NULL));
      g_assert_cmpint (seconds, ==, good[i].seconds);
      g_assert_true (dp_time_offset_check (good[i].text, NULL));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *where = g_strdup_printf ("Time offset: position %d:", bad[i].position);

      g_assert_false (dp_time_offset_parse (bad[i].text, NULL, &error));
      if (!g_str_has_prefix (error->message, where))
        g_error ("offset \"%s\": got \"%s\", want %s", bad[i].text, error->message, where);
    }
}

static void
test_time_to_local (void)
{
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2025, 7, 4, 19, 0, 0);
  g_autoptr(GDateTime) winter = g_date_time_new_utc (2025, 1, 4, 19, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *text = NULL;

  local = dp_time_to_local (utc, "GMT-08:00", "", "start=3/8/7/02:0:0;end=11/1/7/02:0:0;save=1", &error);
  g_assert_no_error (error);
  text = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
  g_assert_cmpstr (text, ==, "2025-07-04T12:00:00-07:00");
  g_assert_true (g_date_time_equal (local, utc));
  g_clear_pointer (&local, g_date_time_unref);
  g_clear_pointer (&text, g_free);

  /* Time_Offset adds to the zone; DST off in winter */
  local = dp_time_to_local (winter, "GMT-08:00", "01/30", "start=3/8/7/02:0:0;end=11/1/7/02:0:0;save=1", &error);
  g_assert_no_error (error);
  text = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
  g_assert_cmpstr (text, ==, "2025-01-04T12:30:00-06:30");
  g_clear_pointer (&local, g_date_time_unref);
  g_clear_pointer (&text, g_free);

  /* blank rule = no DST; NULL zone = GMT */
  local = dp_time_to_local (utc, "GMT+05:30", NULL, "", &error);
  g_assert_no_error (error);
  text = g_date_time_format (local, "%H:%M");
  g_assert_cmpstr (text, ==, "00:30");
  g_clear_pointer (&local, g_date_time_unref);
  g_clear_pointer (&text, g_free);
  local = dp_time_to_local (utc, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  text = g_date_time_format (local, "%H:%M");
  g_assert_cmpstr (text, ==, "19:00");
  g_clear_pointer (&local, g_date_time_unref);

  g_assert_null (dp_time_to_local (utc, "GMT-08:00", NULL, "start=10/1/7;3/22/7;save=1", &error));
  g_assert_error (error, DP_TIME_ERROR, DP_TIME_ERROR_SYNTAX);
  g_clear_error (&error);
  g_assert_null (dp_time_to_local (utc, "PST", NULL, NULL, &error));
  g_assert_error (error, DP_TIME_ERROR, DP_TIME_ERROR_SYNTAX);
  g_clear_error (&error);
  g_assert_null (dp_time_to_local (utc, "GMT+14:00", "23/00", NULL, &error));
  g_assert_error (error, DP_TIME_ERROR, DP_TIME_ERROR_RANGE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dst/dst1-default", test_dst1_default);
  g_test_add_func ("/dst/dst2-equivalent-forms", test_dst2_equivalent_forms);
  g_test_add_func ("/dst/dst3-us", test_dst3_us);
  g_test_add_func ("/dst/documented-examples", test_documented_examples);
  g_test_add_func ("/dst/dst7-exact-date-southern", test_dst7_exact_date_southern);
  g_test_add_func ("/dst/southern-weekday-rule", test_southern_weekday_rule);
  g_test_add_func ("/dst/dst8-exact-date-negative-day", test_dst8_exact_date_negative_day);
  g_test_add_func ("/dst/local-time-us", test_local_time_us);
  g_test_add_func ("/dst/dst9-negative-fractional-save", test_dst9_negative_and_fractional_save);
  g_test_add_func ("/dst/lenient-spellings", test_lenient_spellings);
  g_test_add_func ("/dst/malformed", test_malformed_rules);
  g_test_add_func ("/dst/date-resolution-exhaustive", test_date_resolution_exhaustive);
  g_test_add_func ("/dst/exact-leap-day", test_exact_leap_day);
  g_test_add_func ("/dst/active-matches-transitions", test_active_matches_transitions);
  g_test_add_func ("/dst/coinciding-changes", test_coinciding_changes);
  g_test_add_func ("/time-zone/parse", test_time_zone_parse);
  g_test_add_func ("/time-zone/format", test_time_zone_format);
  g_test_add_func ("/time-offset/parse", test_time_offset_parse);
  g_test_add_func ("/time/to-local", test_time_to_local);

  return g_test_run ();
}
