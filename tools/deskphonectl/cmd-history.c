/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * deskphonectl history: the placed / received / missed calls, newest
 * first, or `history clear` to empty the lists.
 *
 *   history [--json]
 *   history clear
 *
 * Times are shown in the local time zone of deskphonectl (the daemon
 * stores unix seconds). */
#include "dp-ctl-client.h"
#include "dp-call.h"
#include "dp-call-history.h"

#include <stdio.h>

static int
list (DpDBusPhone1 *proxy, gboolean as_json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonNode *member;
  JsonArray *entries;

  if (!dp_dbus_phone1_call_list_history_sync (proxy, &reply, NULL, &error))
    return dp_ctl_fail_remote (error);
  root = dp_ctl_parse_reply (reply);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (member = json_object_get_member (json_node_get_object (root), "entries")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (member))
    return dp_ctl_fail (DP_CTL_EXIT_FAILED, _("the daemon's history has no entry list"));
  if (as_json)
    {
      dp_ctl_print_json (root);
      return DP_CTL_EXIT_OK;
    }
  entries = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      g_autoptr(GDateTime) start = NULL;
      g_autofree char *when = NULL;
      const char *name;
      const char *kind;
      DpCallHistoryKind kind_value;

      if (entry == NULL)
        continue;
      start = g_date_time_new_from_unix_local (json_object_get_int_member_with_default (entry, "start", 0));
      when = start != NULL ? g_date_time_format (start, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
      name = json_object_get_string_member_with_default (entry, "name", "");
      kind = json_object_get_string_member_with_default (entry, "kind", "?");
      if (dp_call_history_kind_from_string (kind, &kind_value))
        kind = dp_call_history_kind_label (kind_value);
      printf ("%-8s %s  line %" G_GINT64_FORMAT "  %s%s%s%s  %" G_GINT64_FORMAT "s  %s\n",
              kind, when,
              json_object_get_int_member_with_default (entry, "line", 0),
              name, *name != '\0' ? " <" : "",
              json_object_get_string_member_with_default (entry, "peer", ""),
              *name != '\0' ? ">" : "",
              json_object_get_int_member_with_default (entry, "duration_s", 0),
              dp_call_end_reason_label (json_object_get_string_member_with_default (entry, "end_reason", "")));
    }
  if (json_array_get_length (entries) == 0)
    printf (_("(no calls)\n"));
  return DP_CTL_EXIT_OK;
}

int
dp_ctl_cmd_history (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDBusPhone1) proxy = NULL;
  gboolean as_json = FALSE;

  if (!dp_ctl_parse_options (&argc, &argv, "[clear]", N_("List or clear the call history."), NULL, &as_json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (!(argc == 1 || (argc == 2 && g_str_equal (argv[1], "clear"))))
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("usage: history [--json] | history clear"));
  proxy = dp_ctl_connect (&error);
  if (proxy == NULL)
    return dp_ctl_fail_remote (error);
  if (argc == 1)
    return list (proxy, as_json);
  if (!dp_dbus_phone1_call_clear_history_sync (proxy, NULL, &error))
    return dp_ctl_fail_remote (error);
  if (as_json)
    {
      g_autoptr(JsonNode) ok = json_from_string ("{\"ok\":true}", NULL);
      dp_ctl_print_json (ok);
    }
  return DP_CTL_EXIT_OK;
}
