/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * deskphonectl call commands: dial, answer, hangup, hold, resume, transfer,
 * dtmf, conference, and the calls / lines listings. A call id is optional everywhere:
 * without one the daemon picks the current call. */
#include "dp-ctl-client.h"
#include "dp-call.h"

#include <stdio.h>

static int
fail_call (GError *error)
{
  if (g_error_matches (error, DP_CALL_ERROR, DP_CALL_ERROR_BAD_NUMBER))
    {
      g_dbus_error_strip_remote_error (error);
      return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "%s", error->message);
    }
  return dp_ctl_fail_remote (error);
}

static void
print_ok (gboolean as_json, const char *call_id)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (!as_json)
    {
      if (call_id != NULL)
        printf ("%s\n", call_id);
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, TRUE);
  if (call_id != NULL)
    {
      json_builder_set_member_name (builder, "call");
      json_builder_add_string_value (builder, call_id);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  dp_ctl_print_json (root);
}

int
dp_ctl_cmd_dial (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDBusPhone1) proxy = NULL;
  g_autofree char *call_id = NULL;
  gboolean as_json = FALSE;
  int line = 0;
  GOptionEntry entries[] = {
    { "line", 0, 0, G_OPTION_ARG_INT, &line, N_("Line to call from (default: first enabled)"), "N" },
    { NULL }
  };

  if (!dp_ctl_parse_options (&argc, &argv, "NUMBER", N_("Place a call."), entries, &as_json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc != 2)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("usage: dial [--line N] NUMBER"));
  if (line < 0 || line > 6)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("--line must be 1 to 6, not %d"), line);
  proxy = dp_ctl_connect (&error);
  if (proxy == NULL ||
      !dp_dbus_phone1_call_dial_sync (proxy, (guint) line, argv[1], &call_id, NULL, &error))
    return fail_call (error);
  print_ok (as_json, call_id);
  return DP_CTL_EXIT_OK;
}

typedef gboolean (*SimpleCall) (DpDBusPhone1 *proxy, const char *id, GCancellable *cancellable,
                                GError **error);

static int
run_simple (int argc, char **argv, const char *summary, SimpleCall call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDBusPhone1) proxy = NULL;
  gboolean as_json = FALSE;

  if (!dp_ctl_parse_options (&argc, &argv, "[CALL-ID]", summary, NULL, &as_json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc > 2)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("usage: %s [CALL-ID]"), argv[0]);
  proxy = dp_ctl_connect (&error);
  if (proxy == NULL || !call (proxy, argc == 2 ? argv[1] : "", NULL, &error))
    return fail_call (error);
  print_ok (as_json, NULL);
  return DP_CTL_EXIT_OK;
}

int
dp_ctl_cmd_answer (int argc, char **argv)
{
  return run_simple (argc, argv, N_("Answer the ringing call."), dp_dbus_phone1_call_answer_sync);
}

int
dp_ctl_cmd_hangup (int argc, char **argv)
{
  return run_simple (argc, argv, N_("End, reject or cancel a call."), dp_dbus_phone1_call_hangup_sync);
}

int
dp_ctl_cmd_hold (int argc, char **argv)
{
  return run_simple (argc, argv, N_("Put a call on hold."), dp_dbus_phone1_call_hold_sync);
}

int
dp_ctl_cmd_resume (int argc, char **argv)
{
  return run_simple (argc, argv, N_("Take a call off hold."), dp_dbus_phone1_call_resume_sync);
}

static int
run_with_argument (int argc, char **argv, const char *usage, const char *summary,
                   gboolean (*call) (DpDBusPhone1 *, const char *, const char *, GCancellable *,
                                     GError **))
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDBusPhone1) proxy = NULL;
  g_autofree char *call_id = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "call", 0, 0, G_OPTION_ARG_STRING, &call_id, N_("The call (default: the current one)"), "ID" },
    { NULL }
  };

  if (!dp_ctl_parse_options (&argc, &argv, usage, summary, entries, &as_json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc != 2)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("usage: %s [--call ID] %s"), argv[0], usage);
  proxy = dp_ctl_connect (&error);
  if (proxy == NULL || !call (proxy, call_id ? call_id : "", argv[1], NULL, &error))
    return fail_call (error);
  print_ok (as_json, NULL);
  return DP_CTL_EXIT_OK;
}

int
dp_ctl_cmd_transfer (int argc, char **argv)
{
  return run_with_argument (argc, argv, "TARGET",
                            N_("Transfer a call to a number, or to another call with call:ID."),
                            dp_dbus_phone1_call_transfer_sync);
}

int
dp_ctl_cmd_dtmf (int argc, char **argv)
{
  return run_with_argument (argc, argv, "DIGITS", N_("Send DTMF digits on a call."),
                            dp_dbus_phone1_call_send_dtmf_sync);
}

int
dp_ctl_cmd_conference (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDBusPhone1) proxy = NULL;
  gboolean as_json = FALSE;

  if (!dp_ctl_parse_options (&argc, &argv, "CALL-A CALL-B",
                             "Join two connected calls in a three-way conference "
                             "(hangup without an id then ends both).", NULL, &as_json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc != 3)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "usage: conference CALL-A CALL-B");
  proxy = dp_ctl_connect (&error);
  if (proxy == NULL || !dp_dbus_phone1_call_conference_sync (proxy, argv[1], argv[2], NULL, &error))
    return fail_call (error);
  print_ok (as_json, NULL);
  return DP_CTL_EXIT_OK;
}

static int
run_listing (int argc, char **argv, const char *summary,
             gboolean (*call) (DpDBusPhone1 *, char **, GCancellable *, GError **),
             void (*print) (JsonObject *))
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDBusPhone1) proxy = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  gboolean as_json = FALSE;
  JsonArray *items;

  if (!dp_ctl_parse_options (&argc, &argv, "", summary, NULL, &as_json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc > 1)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("%s takes no arguments"), argv[0]);
  proxy = dp_ctl_connect (&error);
  if (proxy == NULL || !call (proxy, &json, NULL, &error))
    return dp_ctl_fail_remote (error);
  root = dp_ctl_parse_reply (json);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return DP_CTL_EXIT_FAILED;
  if (as_json)
    {
      dp_ctl_print_json (root);
      return DP_CTL_EXIT_OK;
    }
  items = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (items); i++)
    print (json_array_get_object_element (items, i));
  return DP_CTL_EXIT_OK;
}

static void
print_call (JsonObject *call)
{
  printf ("%-4s line %" G_GINT64_FORMAT " %-8s %-11s %s%s\n",
          json_object_get_string_member (call, "id"),
          json_object_get_int_member (call, "line"),
          json_object_get_string_member (call, "direction"),
          dp_ctl_call_state_label (json_object_get_string_member (call, "state")),
          json_object_get_null_member (call, "peer") ? ""
                                                    : json_object_get_string_member (call, "peer"),
          json_object_get_boolean_member_with_default (call, "conference", FALSE)
          ? " (conference)" : "");
}

static void
print_line (JsonObject *line)
{
  printf ("line %" G_GINT64_FORMAT "  %-8s %-20s %s\n",
          json_object_get_int_member (line, "index"),
          json_object_get_boolean_member (line, "enabled") ? _("enabled") : _("disabled"),
          json_object_get_string_member_with_default (line, "user", ""),
          dp_ctl_registration_label (json_object_get_string_member_with_default (line, "registration", "")));
}

int
dp_ctl_cmd_calls (int argc, char **argv)
{
  return run_listing (argc, argv, N_("List the current calls."), dp_dbus_phone1_call_list_calls_sync,
                      print_call);
}

int
dp_ctl_cmd_lines (int argc, char **argv)
{
  return run_listing (argc, argv, N_("List the lines and their registration."),
                      dp_dbus_phone1_call_list_lines_sync, print_line);
}
