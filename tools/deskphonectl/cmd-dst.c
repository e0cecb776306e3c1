/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * deskphonectl dst RULE --year Y [--zone GMT-08:00] [--offset HH/mm] [--json]
 *
 * Evaluates a Daylight_Saving_Time_Rule offline and prints when daylight
 * saving starts and ends in year Y, as local wall-clock times:
 *   {"start":"2025-03-09T02:00:00","end":"2025-11-02T02:00:00","save":"+01:00",
 *    "zone":"GMT-08:00","start_utc":"2025-03-09T10:00:00Z",
 *    "end_utc":"2025-11-02T09:00:00Z","southern":false}
 *
 * "start"/"end" are the clock readings at which each change happens (the
 * start in standard time, the end in daylight time; see
 * dp_dst_rule_transitions()), so they do not depend on the zone. The zone
 * (default GMT-08:00, the SPA default) and the optional Time_Offset only
 * place the changes in UTC ("start_utc"/"end_utc"). For a southern-hemisphere
 * rule (daylight saving across new year) both printed changes are the ones
 * happening in year Y: "end" ends the period begun in Y-1 and comes before
 * "start", which begins the period running into Y+1; "southern" is then true. */
#define G_LOG_DOMAIN "deskphonectl"

#include "dp-ctl.h"
#include "dp-dst.h"

static char *
format_local (gint64 local)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (local);

  /* Only reachable at the edges of years 1 and 9999. */
  if (dt == NULL)
    return NULL;
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
}

static char *
format_utc (gint64 utc)
{
  g_autofree char *text = format_local (utc);

  return text != NULL ? g_strconcat (text, "Z", NULL) : NULL;
}

static char *
format_save (int seconds)
{
  int magnitude = ABS (seconds);
  char sign = seconds < 0 ? '-' : '+';

  if (magnitude % 60 != 0)
    return g_strdup_printf ("%c%02d:%02d:%02d", sign, magnitude / 3600, magnitude / 60 % 60,
                            magnitude % 60);
  return g_strdup_printf ("%c%02d:%02d", sign, magnitude / 3600, magnitude / 60 % 60);
}

static void
add_string_or_null (JsonBuilder *builder, const char *member, const char *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

int
dp_ctl_cmd_dst (int argc, char **argv)
{
  int year = 0;
  g_autofree char *zone_text = NULL;
  g_autofree char *offset_text = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "year", 'y', 0, G_OPTION_ARG_INT, &year, N_("Year to evaluate (1..9999, required)"), "Y" },
    { "zone", 'z', 0, G_OPTION_ARG_STRING, &zone_text, N_("Time_Zone (default GMT-08:00)"), "ZONE" },
    { "offset", 0, 0, G_OPTION_ARG_STRING, &offset_text, N_("Time_Offset__HH_mm_ (default none)"), "HH/mm" },
    { NULL, 0, 0, 0, NULL, NULL, NULL }
  };
  g_autoptr(GError) error = NULL;
  DpDstRule rule;
  int zone = 0, extra = 0;
  gint64 start, end;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  g_autofree char *start_utc = NULL;
  g_autofree char *end_utc = NULL;
  g_autofree char *save_text = NULL;
  g_autofree char *zone_name = NULL;

  if (!dp_ctl_parse_options (&argc, &argv, "RULE",
                             N_("Print when a Daylight_Saving_Time_Rule starts and ends in a year."),
                             entries, &json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc != 2)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("dst: expected exactly one RULE argument"));
  if (year < 1 || year > 9999)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("dst: --year Y (1..9999) is required"));
  if (!dp_dst_rule_parse (argv[1], &rule, &error))
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "%s", error->message);
  if (!dp_time_zone_parse (zone_text != NULL ? zone_text : "GMT-08:00", &zone, &error))
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "--zone: %s", error->message);
  if (offset_text != NULL && !dp_time_offset_parse (offset_text, &extra, &error))
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "--offset: %s", error->message);

  dp_dst_rule_transitions (&rule, year, &start, &end);
  start_text = format_local (start);
  end_text = format_local (end);
  start_utc = format_utc (start - zone - extra);
  end_utc = format_utc (end - zone - extra - rule.save_seconds);
  save_text = format_save (rule.save_seconds);
  zone_name = dp_time_zone_format (zone);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_string_or_null (builder, "start", start_text);
      add_string_or_null (builder, "end", end_text);
      add_string_or_null (builder, "save", save_text);
      add_string_or_null (builder, "zone", zone_name);
      add_string_or_null (builder, "start_utc", start_utc);
      add_string_or_null (builder, "end_utc", end_utc);
      json_builder_set_member_name (builder, "southern");
      json_builder_add_boolean_value (builder, end < start);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      dp_ctl_print_json (root);
    }
  else
    {
      g_print ("start %s  (%s)\n", start_text != NULL ? start_text : "-", start_utc != NULL ? start_utc : "-");
      g_print ("end   %s  (%s)\n", end_text != NULL ? end_text : "-", end_utc != NULL ? end_utc : "-");
      g_print ("save  %s  zone %s%s\n", save_text, zone_name,
               end < start ? _("  (southern: in force across new year)") : "");
    }
  return DP_CTL_EXIT_OK;
}
