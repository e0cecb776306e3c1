/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Time rules of the SPA Regional tab: `Time_Zone`, `Time_Offset__HH_mm_` and
 * `Daylight_Saving_Time_Rule`, turned into local wall-clock time for the
 * display and call history. Everything here is pure arithmetic over the
 * values passed in: nothing reads the system clock or the system zone data. */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define DP_TIME_ERROR (dp_time_error_quark ())

/**
 * DpTimeError:
 * @DP_TIME_ERROR_SYNTAX: the text does not follow the grammar
 * @DP_TIME_ERROR_RANGE: a number is outside its allowed range
 * @DP_TIME_ERROR_MISSING: a required field is absent
 *
 * Errors of the time-rule parsers. Messages read
 * `"<Kind>: position <N>: <problem>"` with N the 1-based byte position.
 */
typedef enum {
  DP_TIME_ERROR_SYNTAX,
  DP_TIME_ERROR_RANGE,
  DP_TIME_ERROR_MISSING,
} DpTimeError;

GQuark dp_time_error_quark (void);

/**
 * DpDstChange:
 * @month: 1..12
 * @day: 1..31 or -31..-1 (never 0)
 * @weekday: 0 = the exact date @month/@day, else 1 = Monday … 7 = Sunday
 * @time_seconds: time of day of the change in seconds after midnight; may be
 *   negative or reach 24:00:00 (the CSPA grammar allows a signed time), which
 *   moves the change into the neighbouring day
 *
 * One `<M>/<D>/<W>[/[+|-]HH[:mm[:ss]]]` clause of a DST rule.
 */
typedef struct {
  int month;
  int day;
  int weekday;
  int time_seconds;
} DpDstChange;

/**
 * DpDstRule:
 * @start: when daylight saving time begins
 * @end: when it ends
 * @save_seconds: what is added to standard time while it is in force; may be
 *   negative (`save=-1`) or fractional (`save=0:30`)
 *
 * A parsed `Daylight_Saving_Time_Rule`.
 */
typedef struct {
  DpDstChange start;
  DpDstChange end;
  int save_seconds;
} DpDstRule;

/**
 * dp_dst_rule_parse:
 * @text: a rule such as `start=3/8/7/02:0:0;end=11/1/7/02:0:0;save=1`
 * @rule: (out caller-allocates): the parsed rule
 * @error: return location for a #GError
 *
 * Parses `start=<M>/<D>/<W>[/T];end=<M>/<D>/<W>[/T];save=[+|-]HH[:mm[:ss]]`
 * where T is `[+|-]HH[:mm[:ss]]` (omitted parts are 0).
 *
 * Accepted: the three fields in any order, keys in any case, blanks around
 * fields and around `=`, one trailing `;`. One or two digits per number.
 *
 * Rejected, with the position: an empty rule, a field without a key (the
 * NZ example of the guide, `start=10/1/7;3/22/7;save=1`, fails at position
 * 14 because its `end=` is missing), a repeated or missing field, a month
 * outside 1..12, a day of 0 or beyond the longest length of that month
 * (February counts 29), a weekday outside 0..7, weekday 0 with a negative day
 * (an exact date must be counted from the start of the month), a time beyond
 * ±24:00:00, minutes or seconds above 59, a save beyond ±12:00:00.
 *
 * Returns: %TRUE on success
 */
gboolean dp_dst_rule_parse (const char *text,
                            DpDstRule  *rule,
                            GError    **error);

/**
 * dp_dst_rule_check:
 * @value: a `Daylight_Saving_Time_Rule` value
 * @error: return location for a #GError
 *
 * The `dstrule` syntax checker (a #DpSyntaxCheckFunc). Unlike
 * dp_dst_rule_parse(), it accepts the empty value (or blanks only): the
 * 5.1.15 factory profile leaves the rule blank, meaning no daylight saving.
 *
 * Returns: %TRUE if @value is empty or a valid rule
 */
gboolean dp_dst_rule_check (const char *value,
                            GError    **error);

/**
 * dp_dst_change_resolve_date:
 * @change: a change clause
 * @year: the year, 1..9999
 * @month: (out): the month of the change date (always @change->month)
 * @day: (out): the day of the month
 *
 * Finds the calendar date named by @change in @year, before its time of day
 * is applied:
 *
 * - weekday 0: exactly @change->day; a day that month does not have in
 *   @year (February 29 in a common year) falls on the last day of the month.
 * - day > 0: the first @change->weekday on or after the day.
 * - day < 0: the last @change->weekday on or before the day counted from the
 *   end of the month (-1 = the last day, so `10/-1/7` = last Sunday of October).
 *
 * Decision (CONFLICT DST2): the weekday search never leaves the month. The
 * guide calls `end=10/31/7` equivalent to `end=10/-1/7`; read literally,
 * "first Sunday on or after October 31" is November 2 in 2008. We keep the
 * guide's equivalence: when no such weekday remains before the month ends,
 * the last one of the month is taken (and symmetrically, for a negative day
 * counted back before the 1st, the first one of the month).
 */
void     dp_dst_change_resolve_date (const DpDstChange *change,
                                     int                year,
                                     int               *month,
                                     int               *day);

/**
 * dp_dst_rule_transitions:
 * @rule: a rule
 * @year: the year, 1..9999
 * @start_local: (out) (optional): local wall-clock time of the start of
 *   daylight saving in @year, as seconds since 1970-01-01T00:00:00 on the
 *   local clock
 * @end_local: (out) (optional): the same for the end in @year
 *
 * The two changes that happen in @year, as local wall-clock times.
 *
 * Decision (UNCONFIRMED in the guide): the time of each clause is the local
 * clock reading at the moment of the change, before the clock moves: the
 * start time is in standard time, the end time is in daylight time. That is
 * how the rules are written in practice (US `end=11/1/7/2` ends at 2:00
 * daylight time; the usual EU rule `end=10/-1/7/3` ends at 03:00 CEST =
 * 01:00 UTC), and it makes these values the clock readings shown for the
 * changes.
 *
 * Southern hemisphere (start later in the year than end, e.g.
 * `start=10/4/0/2;end=4/4/0/3`): daylight saving is in force across the new
 * year; @end_local is the change in @year that ends the period begun in the
 * previous year, @start_local the one that begins the period running into the
 * next year, so @end_local < @start_local.
 */
void     dp_dst_rule_transitions (const DpDstRule *rule,
                                  int              year,
                                  gint64          *start_local,
                                  gint64          *end_local);

/**
 * dp_dst_rule_is_active:
 * @rule: a rule
 * @utc: a UTC time (seconds since the Unix epoch)
 * @std_offset_seconds: standard-time offset east of UTC (zone + Time_Offset)
 *
 * Whether daylight saving is in force at @utc. A rule whose start and end
 * fall on the same instant is never in force.
 *
 * Returns: %TRUE when the save applies
 */
gboolean dp_dst_rule_is_active (const DpDstRule *rule,
                                gint64           utc,
                                int              std_offset_seconds);

/**
 * dp_time_local_from_utc:
 * @utc: a UTC time (seconds since the Unix epoch), in years 1..9999
 * @std_offset_seconds: standard-time offset east of UTC
 * @rule: (nullable): the DST rule, or %NULL for none
 * @dst_active: (out) (optional): whether the DST save was applied
 *
 * Returns: local wall-clock time as seconds since 1970-01-01T00:00:00 on the
 *   local clock
 */
gint64   dp_time_local_from_utc (gint64           utc,
                                 int              std_offset_seconds,
                                 const DpDstRule *rule,
                                 gboolean        *dst_active);

/**
 * dp_time_zone_parse:
 * @text: a `Time_Zone` value: `GMT`, `GMT-08:00`, `GMT+05:30`
 * @offset_seconds: (out) (optional): the offset east of UTC
 * @error: return location for a #GError
 *
 * Accepts `GMT` alone and `GMT` followed by a sign, one or two hour digits
 * and optional `:mm` (so the `GMT%+03d:%02d` form integrators write, and
 * `GMT+00:00` for UTC). The `GMT` prefix is matched in any case. Decision
 * (half-hour zones UNCONFIRMED on 5.x): any minutes 00..59 are accepted
 * (India +05:30, Nepal +05:45), within -12:00..+14:00.
 *
 * Returns: %TRUE on success
 */
gboolean dp_time_zone_parse (const char *text,
                             int        *offset_seconds,
                             GError    **error);

/**
 * dp_time_zone_check:
 * @value: a `Time_Zone` value
 * @error: return location for a #GError
 *
 * The `timezone` syntax checker (a #DpSyntaxCheckFunc): dp_time_zone_parse().
 *
 * Returns: %TRUE if @value is valid
 */
gboolean dp_time_zone_check (const char *value,
                             GError    **error);

/**
 * dp_time_zone_format:
 * @offset_seconds: offset east of UTC (whole minutes)
 *
 * Formats an offset as the SPA zone list does: `GMT` for UTC (the list's
 * spelling; `GMT+00:00` is also parsed), else `GMT-05:00`, `GMT+05:30`.
 *
 * Returns: (transfer full): the zone name
 */
char    *dp_time_zone_format (int offset_seconds);

/**
 * dp_time_offset_parse:
 * @text: a `Time_Offset__HH_mm_` value
 * @offset_seconds: (out) (optional): the extra offset
 * @error: return location for a #GError
 *
 * The extra offset added to the zone offset: empty (0), or
 * `[+|-]HH[/mm]` (the parameter's own HH/mm notation) or `[+|-]HH[:mm]`,
 * less than 24 hours either way.
 *
 * Returns: %TRUE on success
 */
gboolean dp_time_offset_parse (const char *text,
                               int        *offset_seconds,
                               GError    **error);

/**
 * dp_time_offset_check:
 * @value: a `Time_Offset__HH_mm_` value
 * @error: return location for a #GError
 *
 * The `timeoffset` syntax checker (a #DpSyntaxCheckFunc).
 *
 * Returns: %TRUE if @value is valid
 */
gboolean dp_time_offset_check (const char *value,
                               GError    **error);

/**
 * dp_time_to_local:
 * @utc: a time (any zone; converted by its instant)
 * @time_zone: (nullable): the `Time_Zone` value; %NULL or empty = GMT
 * @time_offset: (nullable): the `Time_Offset__HH_mm_` value; %NULL or empty = 0
 * @dst_rule: (nullable): the `Daylight_Saving_Time_Rule`; %NULL or empty = no DST
 * @error: return location for a #GError
 *
 * The convenience used for display and call history: the instant of @utc
 * as a #GDateTime in a fixed-offset zone equal to the local clock.
 *
 * Returns: (transfer full) (nullable): the local time, or %NULL with @error
 *   set when a value is malformed or the result is outside years 1..9999
 */
GDateTime *dp_time_to_local (GDateTime  *utc,
                             const char *time_zone,
                             const char *time_offset,
                             const char *dst_rule,
                             GError    **error);

G_END_DECLS
