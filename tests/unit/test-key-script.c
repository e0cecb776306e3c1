/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SPA932 key scripts: conformance K8–K12 and the decisions in
 * dp-key-script.h. */
#include "dp-key-script.h"

#include <string.h>

static void
assert_fails_at (const char *text, const char *position, const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpKeyScript) script = dp_key_script_parse (text, &error);

  g_assert_null (script);
  g_assert_error (error, DP_KEY_SCRIPT_ERROR, DP_KEY_SCRIPT_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, position));
  g_assert_nonnull (strstr (error->message, words));
}

static void
test_k8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpKeyScript) script =
    dp_key_script_parse ("fnc=blf+sd+cp;sub=1002@$PROXY;ext=1002@$PROXY;nme=Mehmet", &error);
  g_autoptr(DpKeyScript) expanded = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (script->functions, ==,
                    DP_KEY_FUNCTION_BLF | DP_KEY_FUNCTION_SPEED_DIAL | DP_KEY_FUNCTION_CALL_PICKUP);
  g_assert_cmpstr (script->sub, ==, "1002@$PROXY");
  g_assert_cmpstr (script->ext, ==, "1002@$PROXY");
  g_assert_cmpstr (script->nme, ==, "Mehmet");
  g_assert_null (script->usr);
  expanded = dp_key_script_expand (script, "pbx.example.com", "2001");
  g_assert_cmpstr (expanded->sub, ==, "1002@pbx.example.com");
  g_assert_cmpstr (dp_key_script_get_dial_target (expanded), ==, "1002@pbx.example.com");
  g_assert_cmpstr (dp_key_script_get_pickup_target (expanded), ==, "1002@pbx.example.com");
}

static void
test_k9 (void)
{
  g_autoptr(DpKeyScript) script =
    dp_key_script_parse ("fnc=sd;ext=05551234567@$PROXY;nme=Mobile", NULL);
  g_autofree char *functions = NULL;

  g_assert_nonnull (script);
  g_assert_cmpuint (script->functions, ==, DP_KEY_FUNCTION_SPEED_DIAL);
  g_assert_null (script->sub);
  functions = dp_key_functions_to_string (script->functions);
  g_assert_cmpstr (functions, ==, "sd");
  g_assert_cmpstr (dp_key_script_get_dial_target (script), ==, "05551234567@$PROXY");
}

static void
test_k10_order (void)
{
  g_autoptr(DpKeyScript) a = dp_key_script_parse ("fnc=sd+blf+cp;sub=101@$PROXY;nme=Study", NULL);
  g_autoptr(DpKeyScript) b = dp_key_script_parse ("nme=Study;sub=101@$PROXY;fnc=cp+blf+sd", NULL);
  g_autofree char *functions = NULL;

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpuint (a->functions, ==, b->functions);
  g_assert_cmpstr (a->sub, ==, b->sub);
  functions = dp_key_functions_to_string (a->functions);
  g_assert_cmpstr (functions, ==, "blf+sd+cp");
  /* Speed dial without ext dials sub. */
  g_assert_cmpstr (dp_key_script_get_dial_target (a), ==, "101@$PROXY");
}

static void
test_k11 (void)
{
  g_autoptr(DpKeyScript) script = dp_key_script_parse ("fnc=blf+sd;sub=1001@10.0.0.1", NULL);

  g_assert_nonnull (script);
  g_assert_cmpuint (script->functions, ==, DP_KEY_FUNCTION_BLF | DP_KEY_FUNCTION_SPEED_DIAL);
  g_assert_null (script->nme);
  g_assert_cmpstr (script->sub, ==, "1001@10.0.0.1");
}

static void
test_k12_flat (void)
{
  guint unit = 0, key = 0;

  g_assert_true (dp_key_script_flat_to_unit_key (7, 6, &unit, &key));
  g_assert_cmpuint (unit, ==, 1);
  g_assert_cmpuint (key, ==, 1);
  g_assert_true (dp_key_script_flat_to_unit_key (38, 6, &unit, &key));
  g_assert_cmpuint (unit, ==, 1);
  g_assert_cmpuint (key, ==, 32);
  g_assert_true (dp_key_script_flat_to_unit_key (39, 6, &unit, &key));
  g_assert_cmpuint (unit, ==, 2);
  g_assert_cmpuint (key, ==, 1);
  g_assert_true (dp_key_script_flat_to_unit_key (70, 6, &unit, &key));
  g_assert_cmpuint (unit, ==, 2);
  g_assert_cmpuint (key, ==, 32);
  g_assert_false (dp_key_script_flat_to_unit_key (71, 6, &unit, &key));
  g_assert_false (dp_key_script_flat_to_unit_key (6, 6, &unit, &key));
}

static void
test_whitespace_case_usr (void)
{
  g_autoptr(DpKeyScript) script =
    dp_key_script_parse ("  FNC = BLF + Cp ; sub = 1002@pbx ; usr=2002@pbx ; nme = Front Desk ;", NULL);

  g_assert_nonnull (script);
  g_assert_cmpuint (script->functions, ==, DP_KEY_FUNCTION_BLF | DP_KEY_FUNCTION_CALL_PICKUP);
  g_assert_cmpstr (script->sub, ==, "1002@pbx");
  g_assert_cmpstr (script->nme, ==, "Front Desk");
  g_assert_cmpstr (dp_key_script_get_pickup_target (script), ==, "2002@pbx");
}

static void
test_expand (void)
{
  g_autofree char *a = dp_key_script_expand_value ("$USER-$PROXY-$PROXY", "p", "u");
  g_autofree char *b = dp_key_script_expand_value ("$EXT@$PROXYX$", NULL, "u");
  g_autofree char *c = dp_key_script_expand_value ("$$USER", "p", "u");

  g_assert_cmpstr (a, ==, "u-p-p");
  /* Only $PROXY and $USER expand; NULL is empty. */
  g_assert_cmpstr (b, ==, "$EXT@X$");
  g_assert_cmpstr (c, ==, "$u");
  g_assert_null (dp_key_script_expand_value (NULL, "p", "u"));
}

static void
test_errors (void)
{
  assert_fails_at ("", "position 1", "empty");
  assert_fails_at ("sub=1@a", "position 7", "no 'fnc'");
  assert_fails_at ("fnc=blf+xx;sub=1@a", "position 9", "unknown function 'xx'");
  assert_fails_at ("fnc=blf+;sub=1@a", "position 9", "empty function");
  assert_fails_at ("fnc=blf+blf;sub=1@a", "position 9", "twice");
  assert_fails_at ("fnc=blf;sub=1@a;sub=2@a", "position 17", "'sub' appears twice");
  assert_fails_at ("fnc=blf;sbu=1@a", "position 9", "unknown field 'sbu'");
  assert_fails_at ("fnc=blf;sub", "position 9", "name=value");
  assert_fails_at ("fnc=blf", "position 1", "'blf' needs a 'sub'");
  assert_fails_at ("fnc=sd;nme=x", "position 1", "'sd' needs");
  assert_fails_at ("fnc=cp+sd;ext=1", "position 1", "'cp' needs 'blf'");
  assert_fails_at ("fnc=blf;sub=10 02@a", "position 15", "0x20");
  assert_fails_at ("fnc=blf;sub=<1@a>", "position 13", "0x3c");
  assert_fails_at ("fnc=sd;ext=", "position 12", "'ext' is empty");
  assert_fails_at ("fnc=sd;ext=1;nme=a\x01", "position 19", "control character");
  assert_fails_at ("fnc=sd;ext=1;nme=\xff", "position 18", "UTF-8");
}

static void
test_limits (void)
{
  g_autofree char *label = g_strnfill (DP_KEY_SCRIPT_MAX_LABEL + 1, 'x');
  g_autofree char *too_long_label = g_strconcat ("fnc=sd;ext=1;nme=", label, NULL);
  g_autofree char *pad = g_strnfill (DP_KEY_SCRIPT_MAX_LENGTH, ' ');
  g_autofree char *too_long = g_strconcat ("fnc=sd;ext=1", pad, NULL);
  g_autofree char *ok_label = g_strconcat ("fnc=sd;ext=1;nme=", label + 1, NULL);
  g_autoptr(DpKeyScript) script = dp_key_script_parse (ok_label, NULL);

  g_assert_nonnull (script);
  assert_fails_at (too_long_label, "position 18", "longer than 64");
  assert_fails_at (too_long, "position 256", "longer than 255");
}

static void
test_check (void)
{
  g_autoptr(GError) error = NULL;

  /* Empty means an unused key. */
  g_assert_true (dp_key_script_check ("", NULL));
  g_assert_true (dp_key_script_check ("   ", NULL));
  g_assert_true (dp_key_script_check ("fnc=blf+sd;sub=1001@10.0.0.1", NULL));
  g_assert_false (dp_key_script_check ("fnc=blf", &error));
  g_assert_error (error, DP_KEY_SCRIPT_ERROR, DP_KEY_SCRIPT_ERROR_SYNTAX);
}

static void
test_copy (void)
{
  g_autoptr(DpKeyScript) script = dp_key_script_parse ("fnc=blf+cp;sub=1@a;usr=2@a;nme=N", NULL);
  g_autoptr(DpKeyScript) copy = dp_key_script_copy (script);

  g_assert_cmpuint (copy->functions, ==, script->functions);
  g_assert_cmpstr (copy->usr, ==, "2@a");
  g_assert_true (copy->usr != script->usr);
  g_assert_true (G_TYPE_IS_BOXED (dp_key_script_get_type ()));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/key-script/k8", test_k8);
  g_test_add_func ("/key-script/k9", test_k9);
  g_test_add_func ("/key-script/k10-order", test_k10_order);
  g_test_add_func ("/key-script/k11", test_k11);
  g_test_add_func ("/key-script/k12-flat", test_k12_flat);
  g_test_add_func ("/key-script/whitespace-case-usr", test_whitespace_case_usr);
  g_test_add_func ("/key-script/expand", test_expand);
  g_test_add_func ("/key-script/errors", test_errors);
  g_test_add_func ("/key-script/limits", test_limits);
  g_test_add_func ("/key-script/check", test_check);
  g_test_add_func ("/key-script/copy", test_copy);
  return g_test_run ();
}
