/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * deskphonectl feeds [--refresh [N]]: the RSS feeds the phone shows (the
 * "feeds" member of Status), or a refresh of all feeds / feed N. */
#include "dp-ctl-client.h"

#include <stdio.h>

static int
refresh (DpDBusPhone1 *proxy, const char *which)
{
  g_autoptr(GError) error = NULL;

  if (!dp_dbus_phone1_call_run_action_sync (proxy, "feeds-refresh", which ? which : "", NULL,
                                            &error))
    return dp_ctl_fail_remote (error);
  return DP_CTL_EXIT_OK;
}

int
dp_ctl_cmd_feeds (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDBusPhone1) proxy = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  gboolean as_json = FALSE, do_refresh = FALSE;
  GOptionEntry entries[] = {
    { "refresh", 0, 0, G_OPTION_ARG_NONE, &do_refresh, N_("Fetch now (all feeds, or feed N)"), NULL },
    { NULL }
  };
  JsonArray *feeds;

  if (!dp_ctl_parse_options (&argc, &argv, "[N]", N_("Show or refresh the RSS feeds."), entries,
                             &as_json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc > 2 || (argc == 2 && !do_refresh))
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("usage: feeds [--json] | feeds --refresh [N]"));
  proxy = dp_ctl_connect (&error);
  if (proxy == NULL)
    return dp_ctl_fail_remote (error);
  if (do_refresh)
    return refresh (proxy, argc == 2 ? argv[1] : NULL);
  if (!dp_dbus_phone1_call_status_sync (proxy, &json, NULL, &error))
    return dp_ctl_fail_remote (error);
  root = dp_ctl_parse_reply (json);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return DP_CTL_EXIT_FAILED;
  {
    JsonNode *member = json_object_get_member (json_node_get_object (root), "feeds");

    if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
      return dp_ctl_fail (DP_CTL_EXIT_FAILED, _("the daemon's status has no feed list"));
    if (as_json)
      {
        dp_ctl_print_json (member);
        return DP_CTL_EXIT_OK;
      }
    feeds = json_node_get_array (member);
  }
  for (guint i = 0; i < json_array_get_length (feeds); i++)
    {
      JsonObject *feed = json_array_get_object_element (feeds, i);
      JsonNode *items = json_object_get_member (feed, "items");
      JsonNode *feed_error = json_object_get_member (feed, "error");

      printf (_("%s  %s  %u items%s%s\n"),
              json_object_get_string_member_with_default (feed, "name", ""),
              json_object_get_string_member_with_default (feed, "url", ""),
              items && JSON_NODE_HOLDS_ARRAY (items) ? json_array_get_length (json_node_get_array (items)) : 0,
              feed_error && !JSON_NODE_HOLDS_NULL (feed_error) ? _("  error: ") : "",
              feed_error && !JSON_NODE_HOLDS_NULL (feed_error) ? json_node_get_string (feed_error) : "");
    }
  return DP_CTL_EXIT_OK;
}
