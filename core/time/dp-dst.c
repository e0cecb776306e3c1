/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Time_Zone, Time_Offset__HH_mm_ and Daylight_Saving_Time_Rule: parsers and
 * the local-time arithmetic. Calendar maths is done on day numbers of the
 * proleptic Gregorian calendar so that nothing depends on the host's zone
 * database or clock. */
#define G_LOG_DOMAIN "dp-time"

#include "dp-dst.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include <stdlib.h>
#include <string.h>

#define SECONDS_PER_DAY    86400
#define MAX_CHANGE_SECONDS (24 * 3600)
#define MAX_SAVE_SECONDS   (12 * 3600)
#define MIN_ZONE_SECONDS   (-12 * 3600)
#define MAX_ZONE_SECONDS   (14 * 3600)

G_DEFINE_QUARK (dp-time-error-quark, dp_time_error)

/* ---- calendar ---------------------------------------------------------- */

static gboolean
is_leap_year (gint64 year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month (gint64 year, int month)
{
  static const int lengths[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (month == 2 && is_leap_year (year))
    return 29;
  return lengths[month - 1];
}

/* Day number of a civil date, 0 = 1970-01-01 (proleptic Gregorian). Years
 * are shifted to start in March so that the leap day ends the year. */
static gint64
days_from_civil (gint64 year, int month, int day)
{
  gint64 y = month <= 2 ? year - 1 : year;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 year_of_era = y - era * 400;
  gint64 month_from_march = month > 2 ? month - 3 : month + 9;
  gint64 day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
  gint64 day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;

  return era * 146097 + day_of_era - 719468;
}

static gint64
floor_div (gint64 a, gint64 b)
{
  gint64 q = a / b;

  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

/* The year that contains day number @days. */
static gint64
year_of_day (gint64 days)
{
  gint64 z = days + 719468;
  gint64 era = floor_div (z, 146097);
  gint64 day_of_era = z - era * 146097;
  gint64 year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  gint64 day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  gint64 month_from_march = (5 * day_of_year + 2) / 153;
  gint64 year = year_of_era + era * 400;

  return month_from_march >= 10 ? year + 1 : year;
}

/* ISO weekday of day number @days: 1 = Monday … 7 = Sunday (1970-01-01 was a
 * Thursday). */
static int
weekday_of_day (gint64 days)
{
  return (int) (((days % 7) + 7 + 3) % 7) + 1;
}

/* ---- parsing helpers ---------------------------------------------------- */

typedef struct {
  const char *text;
  const char *kind;
  gsize pos;
} Cursor;

static gboolean G_GNUC_PRINTF (4, 5)
fail_at (const Cursor *cur, gsize pos, GError **error, const char *format, ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DP_TIME_ERROR, DP_TIME_ERROR_SYNTAX, _("%s: position %zu: %s"),
               cur->kind, pos + 1, problem);
  return FALSE;
}

static gboolean G_GNUC_PRINTF (5, 6)
fail_code_at (const Cursor *cur, gsize pos, DpTimeError code, GError **error, const char *format, ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DP_TIME_ERROR, code, _("%s: position %zu: %s"),
               cur->kind, pos + 1, problem);
  return FALSE;
}

static char
peek (const Cursor *cur)
{
  return cur->text[cur->pos];
}

static void
skip_blanks (Cursor *cur)
{
  while (peek (cur) == ' ' || peek (cur) == '\t')
    cur->pos++;
}

/* A human-readable name for the character at @pos, for error messages. */
static char *
describe_char (const Cursor *cur, gsize pos)
{
  unsigned char c = (unsigned char) cur->text[pos];

  if (c == '\0')
    return g_strdup (_("the end of the text"));
  if (c >= 0x20 && c < 0x7f)
    return g_strdup_printf ("'%c'", c);
  return g_strdup_printf ("byte 0x%02x", c);
}

/* One or two decimal digits. */
static gboolean
read_number (Cursor *cur, const char *what, int *value, GError **error)
{
  gsize start = cur->pos;
  int v = 0;

  while (g_ascii_isdigit (peek (cur)))
    {
      if (cur->pos - start == 2)
        return fail_code_at (cur, start, DP_TIME_ERROR_RANGE, error,
                             _("%s has more than two digits"), what);
      v = v * 10 + (peek (cur) - '0');
      cur->pos++;
    }
  if (cur->pos == start)
    {
      g_autofree char *found = describe_char (cur, start);
      return fail_at (cur, start, error, _("expected %s (digits), found %s"), what, found);
    }
  *value = v;
  return TRUE;
}

static gboolean
read_sign (Cursor *cur, int *sign)
{
  *sign = 1;
  if (peek (cur) == '+' || peek (cur) == '-')
    {
      if (peek (cur) == '-')
        *sign = -1;
      cur->pos++;
      return TRUE;
    }
  return FALSE;
}

/* [+|-]HH[:mm[:ss]] → signed seconds. */
static gboolean
read_clock (Cursor *cur, const char *what, int limit_seconds, int *seconds, GError **error)
{
  gsize start = cur->pos;
  int sign, hours, minutes = 0, secs = 0;
  gint64 total;

  read_sign (cur, &sign);
  if (!read_number (cur, what, &hours, error))
    return FALSE;
  if (peek (cur) == ':')
    {
      cur->pos++;
      gsize at = cur->pos;
      if (!read_number (cur, "minutes", &minutes, error))
        return FALSE;
      if (minutes > 59)
        return fail_code_at (cur, at, DP_TIME_ERROR_RANGE, error, _("minutes %d above 59"), minutes);
      if (peek (cur) == ':')
        {
          cur->pos++;
          at = cur->pos;
          if (!read_number (cur, "seconds", &secs, error))
            return FALSE;
          if (secs > 59)
            return fail_code_at (cur, at, DP_TIME_ERROR_RANGE, error, _("seconds %d above 59"), secs);
        }
    }
  total = (gint64) hours * 3600 + minutes * 60 + secs;
  if (total > limit_seconds)
    return fail_code_at (cur, start, DP_TIME_ERROR_RANGE, error,
                         _("%s beyond %c%02d:00:00"), what, sign < 0 ? '-' : '+',
                         limit_seconds / 3600);
  *seconds = sign * (int) total;
  return TRUE;
}

/* <M>/<D>/<W>[/T] */
static gboolean
read_change (Cursor *cur, DpDstChange *change, GError **error)
{
  gsize at = cur->pos;
  int sign, magnitude;

  if (!read_number (cur, "month", &change->month, error))
    return FALSE;
  if (change->month < 1 || change->month > 12)
    return fail_code_at (cur, at, DP_TIME_ERROR_RANGE, error,
                         _("month %d outside 1..12"), change->month);
  if (peek (cur) != '/')
    {
      g_autofree char *found = describe_char (cur, cur->pos);
      return fail_at (cur, cur->pos, error, _("expected '/' after the month, found %s"), found);
    }
  cur->pos++;

  at = cur->pos;
  read_sign (cur, &sign);
  if (!read_number (cur, "day", &magnitude, error))
    return FALSE;
  if (magnitude == 0)
    return fail_code_at (cur, at, DP_TIME_ERROR_RANGE, error, _("day 0 does not exist (use 1..31 or -1..-31)"));
  /* February counts 29: whether the day exists depends on the year, which
   * the rule does not name (see dp_dst_change_resolve_date()). */
  if (magnitude > days_in_month (2000, change->month))
    return fail_code_at (cur, at, DP_TIME_ERROR_RANGE, error, _("day %d beyond the %d days of month %d"),
                         sign * magnitude, days_in_month (2000, change->month), change->month);
  change->day = sign * magnitude;
  if (peek (cur) != '/')
    {
      g_autofree char *found = describe_char (cur, cur->pos);
      return fail_at (cur, cur->pos, error, _("expected '/' after the day, found %s"), found);
    }
  cur->pos++;

  at = cur->pos;
  if (!g_ascii_isdigit (peek (cur)))
    {
      g_autofree char *found = describe_char (cur, at);
      return fail_at (cur, at, error, _("expected a weekday 0..7, found %s"), found);
    }
  change->weekday = peek (cur) - '0';
  cur->pos++;
  if (change->weekday > 7 || g_ascii_isdigit (peek (cur)))
    return fail_code_at (cur, at, DP_TIME_ERROR_RANGE, error,
                         _("weekday outside 0..7 (1 = Monday … 7 = Sunday, 0 = exact date)"));
  if (change->weekday == 0 && change->day < 0)
    return fail_code_at (cur, at, DP_TIME_ERROR_RANGE, error,
                         _("weekday 0 (exact date) needs a positive day, not %d"), change->day);

  change->time_seconds = 0;
  if (peek (cur) == '/')
    {
      cur->pos++;
      if (!read_clock (cur, "time", MAX_CHANGE_SECONDS, &change->time_seconds, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- DST rule ------------------------------------------------------------ */

enum { FIELD_START, FIELD_END, FIELD_SAVE, N_FIELDS };
static const char *const field_names[N_FIELDS] = { "start", "end", "save" };

gboolean
dp_dst_rule_parse (const char *text, DpDstRule *rule, GError **error)
{
  Cursor cur = { text, "DST rule", 0 };
  gboolean seen[N_FIELDS] = { FALSE, FALSE, FALSE };
  DpDstRule parsed = { { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, 0 };

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  skip_blanks (&cur);
  if (peek (&cur) == '\0')
    return fail_code_at (&cur, cur.pos, DP_TIME_ERROR_MISSING, error, _("empty rule"));

  for (;;)
    {
      gsize field_at;
      int field = -1;

      skip_blanks (&cur);
      field_at = cur.pos;
      for (int i = 0; i < N_FIELDS; i++)
        {
          gsize len = strlen (field_names[i]);
          if (g_ascii_strncasecmp (text + cur.pos, field_names[i], len) == 0)
            {
              gsize after = cur.pos + len;
              while (text[after] == ' ' || text[after] == '\t')
                after++;
              if (text[after] == '=')
                {
                  field = i;
                  cur.pos = after + 1;
                  break;
                }
            }
        }
      if (field < 0)
        {
          gsize end = field_at;
          while (text[end] != '\0' && text[end] != ';' && end - field_at < 20)
            end++;
          g_autofree char *found = g_strndup (text + field_at, end - field_at);
          for (char *p = found; *p; p++)
            if ((unsigned char) *p < 0x20 || (unsigned char) *p >= 0x7f)
              *p = '?';
          return fail_at (&cur, field_at, error,
                          _("expected \"start=\", \"end=\" or \"save=\", found \"%s\""), found);
        }
      if (seen[field])
        return fail_at (&cur, field_at, error, _("\"%s=\" given twice"), field_names[field]);
      seen[field] = TRUE;

      skip_blanks (&cur);
      if (field == FIELD_SAVE)
        {
          if (!read_clock (&cur, "save", MAX_SAVE_SECONDS, &parsed.save_seconds, error))
            return FALSE;
        }
      else if (!read_change (&cur, field == FIELD_START ? &parsed.start : &parsed.end, error))
        return FALSE;

      skip_blanks (&cur);
      if (peek (&cur) == '\0')
        break;
      if (peek (&cur) != ';')
        {
          g_autofree char *found = describe_char (&cur, cur.pos);
          return fail_at (&cur, cur.pos, error, _("expected ';' or the end of the rule after \"%s=\", found %s"),
                          field_names[field], found);
        }
      cur.pos++;
      skip_blanks (&cur);
      /* One trailing ';' is tolerated, as profile generators emit it. */
      if (peek (&cur) == '\0')
        break;
    }

  for (int i = 0; i < N_FIELDS; i++)
    if (!seen[i])
      return fail_code_at (&cur, cur.pos, DP_TIME_ERROR_MISSING, error,
                           _("missing \"%s=\" field"), field_names[i]);

  *rule = parsed;
  return TRUE;
}

gboolean
dp_dst_rule_check (const char *value, GError **error)
{
  DpDstRule rule;
  const char *p = value;

  g_return_val_if_fail (value != NULL, FALSE);

  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '\0')
    return TRUE;
  return dp_dst_rule_parse (value, &rule, error);
}

void
dp_dst_change_resolve_date (const DpDstChange *change, int year, int *month, int *day)
{
  int length, d;

  g_return_if_fail (change != NULL);
  g_return_if_fail (change->month >= 1 && change->month <= 12);
  g_return_if_fail (change->weekday >= 0 && change->weekday <= 7);
  g_return_if_fail (change->day != 0 && ABS (change->day) <= 31);

  length = days_in_month (year, change->month);
  if (change->weekday == 0)
    {
      d = MIN (change->day, length);
    }
  else if (change->day > 0)
    {
      int from = MIN (change->day, length);
      int wd = weekday_of_day (days_from_civil (year, change->month, from));
      d = from + (change->weekday - wd + 7) % 7;
      if (d > length)
        d -= 7;
    }
  else
    {
      int from = MAX (length + 1 + change->day, 1);
      int wd = weekday_of_day (days_from_civil (year, change->month, from));
      d = from - (wd - change->weekday + 7) % 7;
      if (d < 1)
        d += 7;
    }
  *month = change->month;
  *day = d;
}

static gint64
change_local (const DpDstChange *change, gint64 year)
{
  int month, day;

  dp_dst_change_resolve_date (change, (int) year, &month, &day);
  return days_from_civil (year, month, day) * SECONDS_PER_DAY + change->time_seconds;
}

void
dp_dst_rule_transitions (const DpDstRule *rule, int year, gint64 *start_local, gint64 *end_local)
{
  g_return_if_fail (rule != NULL);
  g_return_if_fail (year >= 1 && year <= 9999);

  if (start_local != NULL)
    *start_local = change_local (&rule->start, year);
  if (end_local != NULL)
    *end_local = change_local (&rule->end, year);
}

typedef struct {
  gint64 instant;
  gboolean is_start;
} Change;

static int
compare_changes (gconstpointer a, gconstpointer b)
{
  const Change *x = a, *y = b;

  if (x->instant != y->instant)
    return x->instant < y->instant ? -1 : 1;
  /* At equal instants the start sorts first and the end wins, so a rule
   * whose changes coincide never applies. */
  return (int) y->is_start - (int) x->is_start;
}

gboolean
dp_dst_rule_is_active (const DpDstRule *rule, gint64 utc, int std_offset_seconds)
{
  Change changes[6];
  gint64 year;
  int n = 0;
  int last = -1;

  g_return_val_if_fail (rule != NULL, FALSE);

  year = year_of_day (floor_div (utc + std_offset_seconds, SECONDS_PER_DAY));

  /* The changes of the neighbouring years are looked at too: a southern
   * rule's period runs over new year, and a change time past 24:00 or below
   * 0:00 can move a change into the adjacent year. The state at @utc is the
   * kind of the last change at or before it. */
  for (gint64 y = year - 1; y <= year + 1; y++)
    {
      changes[n].instant = change_local (&rule->start, y) - std_offset_seconds;
      changes[n++].is_start = TRUE;
      changes[n].instant = change_local (&rule->end, y) - std_offset_seconds - rule->save_seconds;
      changes[n++].is_start = FALSE;
    }
  qsort (changes, n, sizeof changes[0], compare_changes);
  for (int i = 0; i < n; i++)
    if (changes[i].instant <= utc)
      last = i;

  if (last >= 0)
    return changes[last].is_start;
  /* Before every change looked at: in force if the next change ends it. */
  return !changes[0].is_start;
}

gint64
dp_time_local_from_utc (gint64 utc, int std_offset_seconds, const DpDstRule *rule, gboolean *dst_active)
{
  gboolean active = rule != NULL && dp_dst_rule_is_active (rule, utc, std_offset_seconds);

  if (dst_active != NULL)
    *dst_active = active;
  return utc + std_offset_seconds + (active ? rule->save_seconds : 0);
}

/* ---- Time_Zone / Time_Offset -------------------------------------------- */

gboolean
dp_time_zone_parse (const char *text, int *offset_seconds, GError **error)
{
  Cursor cur = { text, _("Time zone"), 0 };
  int sign, hours, minutes = 0;
  gsize at;
  gint64 total;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_ascii_strncasecmp (text, "GMT", 3) != 0)
    return fail_at (&cur, 0, error, _("expected \"GMT\" followed by an offset such as GMT-08:00"));
  cur.pos = 3;
  if (peek (&cur) == '\0')
    {
      if (offset_seconds != NULL)
        *offset_seconds = 0;
      return TRUE;
    }
  at = cur.pos;
  if (!read_sign (&cur, &sign))
    {
      g_autofree char *found = describe_char (&cur, at);
      return fail_at (&cur, at, error, _("expected '+' or '-' after GMT, found %s"), found);
    }
  if (!read_number (&cur, "hours", &hours, error))
    return FALSE;
  if (peek (&cur) == ':')
    {
      cur.pos++;
      gsize mat = cur.pos;
      if (!read_number (&cur, "minutes", &minutes, error))
        return FALSE;
      if (minutes > 59)
        return fail_code_at (&cur, mat, DP_TIME_ERROR_RANGE, error, _("minutes %d above 59"), minutes);
    }
  if (peek (&cur) != '\0')
    {
      g_autofree char *found = describe_char (&cur, cur.pos);
      return fail_at (&cur, cur.pos, error, _("unexpected %s after the offset"), found);
    }
  total = sign * ((gint64) hours * 3600 + minutes * 60);
  if (total < MIN_ZONE_SECONDS || total > MAX_ZONE_SECONDS)
    return fail_code_at (&cur, at, DP_TIME_ERROR_RANGE, error, _("offset outside GMT-12:00..GMT+14:00"));
  if (offset_seconds != NULL)
    *offset_seconds = (int) total;
  return TRUE;
}

gboolean
dp_time_zone_check (const char *value, GError **error)
{
  return dp_time_zone_parse (value, NULL, error);
}

char *
dp_time_zone_format (int offset_seconds)
{
  int magnitude = ABS (offset_seconds) / 60;

  if (magnitude == 0)
    return g_strdup ("GMT");
  return g_strdup_printf ("GMT%c%02d:%02d", offset_seconds < 0 ? '-' : '+',
                          magnitude / 60, magnitude % 60);
}

gboolean
dp_time_offset_parse (const char *text, int *offset_seconds, GError **error)
{
  Cursor cur = { text, _("Time offset"), 0 };
  int sign, hours, minutes = 0;
  gsize at;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  skip_blanks (&cur);
  if (peek (&cur) == '\0')
    {
      if (offset_seconds != NULL)
        *offset_seconds = 0;
      return TRUE;
    }
  at = cur.pos;
  read_sign (&cur, &sign);
  if (!read_number (&cur, "hours", &hours, error))
    return FALSE;
  if (hours > 23)
    return fail_code_at (&cur, at, DP_TIME_ERROR_RANGE, error, _("hours %d above 23"), hours);
  if (peek (&cur) == '/' || peek (&cur) == ':')
    {
      cur.pos++;
      gsize mat = cur.pos;
      if (!read_number (&cur, "minutes", &minutes, error))
        return FALSE;
      if (minutes > 59)
        return fail_code_at (&cur, mat, DP_TIME_ERROR_RANGE, error, _("minutes %d above 59"), minutes);
    }
  skip_blanks (&cur);
  if (peek (&cur) != '\0')
    {
      g_autofree char *found = describe_char (&cur, cur.pos);
      return fail_at (&cur, cur.pos, error, _("unexpected %s; expected HH/mm"), found);
    }
  if (offset_seconds != NULL)
    *offset_seconds = sign * (hours * 3600 + minutes * 60);
  return TRUE;
}

gboolean
dp_time_offset_check (const char *value, GError **error)
{
  return dp_time_offset_parse (value, NULL, error);
}

GDateTime *
dp_time_to_local (GDateTime *utc, const char *time_zone, const char *time_offset,
                  const char *dst_rule, GError **error)
{
  int zone = 0, extra = 0;
  DpDstRule rule = { { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, 0 };
  gboolean has_rule = FALSE;
  gboolean active;
  gint64 instant, local;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) shifted = NULL;

  g_return_val_if_fail (utc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (time_zone != NULL && *time_zone != '\0' && !dp_time_zone_parse (time_zone, &zone, error))
    return NULL;
  if (time_offset != NULL && !dp_time_offset_parse (time_offset, &extra, error))
    return NULL;
  if (dst_rule != NULL)
    {
      const char *p = dst_rule;

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p != '\0')
        {
          if (!dp_dst_rule_parse (dst_rule, &rule, error))
            return NULL;
          has_rule = TRUE;
        }
    }

  instant = g_date_time_to_unix (utc);
  local = dp_time_local_from_utc (instant, zone + extra, has_rule ? &rule : NULL, &active);

  /* GTimeZone offsets stop at ±24 h; zone + Time_Offset + save can add up
   * to more on a misconfigured phone. */
  if (local - instant >= SECONDS_PER_DAY || instant - local >= SECONDS_PER_DAY)
    {
      g_set_error (error, DP_TIME_ERROR, DP_TIME_ERROR_RANGE,
                   _("Local time: zone, offset and save add up to 24 hours or more"));
      return NULL;
    }
  tz = g_time_zone_new_offset ((gint32) (local - instant));
  shifted = g_date_time_to_timezone (utc, tz);
  if (shifted == NULL)
    {
      g_set_error (error, DP_TIME_ERROR, DP_TIME_ERROR_RANGE,
                   _("Local time: the result lies outside years 1..9999"));
      return NULL;
    }
  return g_steal_pointer (&shifted);
}
