/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <deskphone.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dp-call-history.h"
#include "dp-screen-directory.h"
#include "dp-screen-script.h"
#include "dp-screen-softkeys.h"

static void
test_history_round_trip_and_bound (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dp-screen-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.json", NULL);
  g_autoptr(DpCallHistory) history = dp_call_history_new (path);
  g_autoptr(DpCallHistory) again = dp_call_history_new (path);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < DP_CALL_HISTORY_MAX_PER_KIND + 5; i++)
    dp_call_history_add (history, DP_CALL_HISTORY_MISSED, "sip:1@h", "", 1, i, 0, "cancelled");
  dp_call_history_add (history, DP_CALL_HISTORY_PLACED, "sip:2000@h", "Bob", 2, 7, 42, "hangup");
  g_assert_cmpuint (dp_call_history_get_n_entries (history), ==, DP_CALL_HISTORY_MAX_PER_KIND + 1);
  g_assert_true (dp_call_history_save (history, &error));
  g_assert_no_error (error);
  g_assert_true (dp_call_history_load (again, &error));
  g_assert_cmpuint (dp_call_history_get_n_entries (again), ==, DP_CALL_HISTORY_MAX_PER_KIND + 1);
  g_assert_cmpstr (dp_call_history_last_of_kind (again, DP_CALL_HISTORY_PLACED)->peer, ==, "sip:2000@h");
  g_assert_cmpint (dp_call_history_get_entry (again, 0)->duration_s, ==, 42);
  /* the oldest missed calls went */
  g_assert_cmpint (dp_call_history_get_entry (again, 1)->start, ==, DP_CALL_HISTORY_MAX_PER_KIND + 4);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_history_bad_input (void)
{
  g_autoptr(DpCallHistory) history = dp_call_history_new (NULL);
  g_autoptr(GError) error = NULL;

  dp_call_history_add (history, DP_CALL_HISTORY_PLACED, "x", "", 1, 1, 0, "");
  g_assert_false (dp_call_history_load_data (history, "{\"version\":1,\"entries\":[{\"kind\":\"lost\","
                                             "\"peer\":\"x\",\"line\":1,\"start\":1,\"duration_s\":0}]}", -1, &error));
  g_assert_nonnull (strstr (error->message, "entry 1: member \"kind\""));
  g_clear_error (&error);
  g_assert_false (dp_call_history_load_data (history, "{\"version\":1,\"entries\":[{\"kind\":\"placed\","
                                             "\"peer\":\"x\",\"line\":99,\"start\":1,\"duration_s\":0}]}", -1, &error));
  g_assert_nonnull (strstr (error->message, "member \"line\" is 99"));
  g_clear_error (&error);
  g_assert_false (dp_call_history_load_data (history, "{\"version\":1,\"entries\":[", -1, &error));
  g_clear_error (&error);
  g_assert_false (dp_call_history_load_data (history, "{\"version\":2,\"entries\":[]}", -1, &error));
  g_assert_nonnull (strstr (error->message, "version"));
  /* nothing changed */
  g_assert_cmpuint (dp_call_history_get_n_entries (history), ==, 1);
}

static void
test_directory (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dp-screen-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "directory.json", NULL);
  g_autoptr(DpScreenDirectory) directory = dp_screen_directory_new (path);
  g_autoptr(DpScreenDirectory) again = dp_screen_directory_new (path);
  g_autoptr(GError) error = NULL;
  guint index = 99;

  g_assert_true (dp_screen_directory_add (directory, "  zoe ", "2001", &index, &error));
  g_assert_cmpuint (index, ==, 0);
  g_assert_true (dp_screen_directory_add (directory, "Alice", "2000", &index, &error));
  g_assert_cmpuint (index, ==, 0);
  g_assert_false (dp_screen_directory_add (directory, "Bad", "20 00", NULL, &error));
  g_assert_nonnull (strstr (error->message, "number: character 3"));
  g_clear_error (&error);
  g_assert_false (dp_screen_directory_add (directory, "", "1", NULL, &error));
  g_clear_error (&error);
  g_assert_true (dp_screen_directory_edit (directory, 1, "Bob", "sip:bob@example.com", &index, &error));
  g_assert_cmpuint (index, ==, 1);
  g_assert_false (dp_screen_directory_delete (directory, 5, &error));
  g_clear_error (&error);
  g_assert_true (dp_screen_directory_load (again, &error));
  g_assert_cmpuint (dp_screen_directory_get_n_entries (again), ==, 2);
  g_assert_cmpstr (dp_screen_directory_get_entry (again, 0)->name, ==, "Alice");
  g_assert_cmpstr (dp_screen_directory_get_entry (again, 1)->number, ==, "sip:bob@example.com");
  g_assert_true (dp_screen_directory_delete (again, 0, &error));
  g_assert_true (dp_screen_directory_load (directory, &error));
  g_assert_cmpuint (dp_screen_directory_get_n_entries (directory), ==, 1);
  g_assert_false (dp_screen_directory_load_data (directory, "{\"version\":1,\"entries\":[{\"name\":\"a\\u0001\",\"number\":\"1\"}]}", -1, &error));
  g_assert_nonnull (strstr (error->message, "entry 1: name: character 2"));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_script (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) steps = dp_screen_script_parse ("# demo\n\npress key-5\ntype dir-name Alice  B\n"
                                                       "wait-call ringback 5\nwait-idle\nwait 10\n"
                                                       "screenshot idle\nlog hello there\n", -1, &error);
  DpScreenStep *step;

  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, ==, 7);
  step = steps->pdata[1];
  g_assert_cmpint (step->kind, ==, DP_SCREEN_STEP_TYPE);
  g_assert_cmpstr (step->text, ==, "Alice  B");
  step = steps->pdata[2];
  g_assert_cmpint (step->state, ==, DP_CALL_STATE_RINGBACK);
  g_assert_cmpuint (step->ms, ==, 5000);
  g_assert_cmpuint (((DpScreenStep *) steps->pdata[3])->ms, ==, 20000);
  g_assert_cmpuint (((DpScreenStep *) steps->pdata[2])->line, ==, 5);

  static const struct { const char *text; const char *message; } bad[] = {
    { "press\n", "line 1: “press” takes exactly one name" },
    { "\npress a/b\n", "line 2: “a/b” is not a name" },
    { "wait-call flying\n", "line 1: “wait-call” needs a call state" },
    { "wait-idle 0\n", "line 1: “wait-idle” takes an optional timeout" },
    { "wait 600001\n", "line 1: “wait” takes milliseconds" },
    { "dance now\n", "line 1: unknown step “dance”" },
    { "press a\x01\n", "line 1: control character at column 8" },
    { "press \xff\n", "line 1: not valid UTF-8" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) none = dp_screen_script_parse (bad[i].text, -1, &error);
      g_assert_null (none);
      g_assert_nonnull (error);
      if (!g_str_has_prefix (error->message, bad[i].message))
        g_error ("%s: got “%s”", bad[i].text, error->message);
      g_clear_error (&error);
    }
  {
    char nul[] = "press a\0b\n";
    g_autoptr(GPtrArray) none = dp_screen_script_parse (nul, sizeof nul - 1, &error);
    g_assert_null (none);
    g_clear_error (&error);
  }
}

static char *
keys_for (DpScreenSoftkeyContext context)
{
  const char *ids[DP_SCREEN_MAX_SOFTKEYS];
  guint n = dp_screen_softkeys_for (&context, ids);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%s", i ? " " : "", ids[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_softkeys (void)
{
  struct { DpScreenSoftkeyContext context; const char *keys; } cases[] = {
    { { 0 }, "redial dir cfwd dnd" },
    { { .dnd = TRUE, .cfwd = TRUE }, "redial dir cfwd-off dnd-off" },
    { { .off_hook = TRUE }, "dial cancel dir" },
    { { .off_hook = TRUE, .has_digits = TRUE }, "dial delchar cancel dir" },
    { { .entry = DP_SCREEN_ENTRY_CFWD }, "dial cancel" },
    { { .has_call = TRUE, .state = DP_CALL_STATE_RINGING }, "answer ignore" },
    { { .has_call = TRUE, .state = DP_CALL_STATE_RINGBACK }, "endcall" },
    { { .has_call = TRUE, .state = DP_CALL_STATE_ACTIVE }, "hold xfer endcall" },
    { { .has_call = TRUE, .state = DP_CALL_STATE_ACTIVE, .can_conference = TRUE }, "hold conf xfer endcall" },
    { { .has_call = TRUE, .state = DP_CALL_STATE_HELD }, "resume endcall newcall" },
    { { .has_call = TRUE, .state = DP_CALL_STATE_REMOTE_HELD }, "hold xfer endcall" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *keys = keys_for (cases[i].context);
      g_assert_cmpstr (keys, ==, cases[i].keys);
    }
  g_assert_cmpstr (dp_screen_softkey_label ("endcall"), ==, "EndCall");
  g_assert_null (dp_screen_softkey_label ("nope"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/screen/history/round-trip-and-bound", test_history_round_trip_and_bound);
  g_test_add_func ("/screen/history/bad-input", test_history_bad_input);
  g_test_add_func ("/screen/directory", test_directory);
  g_test_add_func ("/screen/script", test_script);
  g_test_add_func ("/screen/softkeys", test_softkeys);
  return g_test_run ();
}
