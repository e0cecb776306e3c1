/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <deskphone.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dp-screen-script.h"
#include "dp-screen-softkeys.h"

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
  g_test_add_func ("/screen/script", test_script);
  g_test_add_func ("/screen/softkeys", test_softkeys);
  return g_test_run ();
}
