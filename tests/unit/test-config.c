/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpConfig: registration and family expansion, typed validation,
 * transactional apply, signals after commit, persistence. */
#include "dp-config.h"

#include <string.h>

#include <glib/gstdio.h>

static const DpParamDecl test_decls[] = {
  { "Plain_Text", DP_PARAM_STRING, "abc", "System/General", NULL, 0, -1, 0, DP_ACCESS_RW },
  { "Flag", DP_PARAM_BOOL, "Yes", "System/General", NULL, 0, -1, 0, DP_ACCESS_NA },
  { "Count", DP_PARAM_INT, "10", "System/General", NULL, 0, 64, 0, DP_ACCESS_NA },
  { "Delay", DP_PARAM_DECIMAL, ".5", "System/General", NULL, 0, 10, 0, DP_ACCESS_NA },
  { "Optional_Port", DP_PARAM_INT, "", "System/General", NULL, 1, 65535,
    DP_PARAM_FLAG_OPTIONAL, DP_ACCESS_NA },
  { "Mode", DP_PARAM_ENUM, "UDP", "System/General", "UDP|TCP|TLS", 0, -1, 0, DP_ACCESS_NA },
  { "Secret", DP_PARAM_STRING, "", "System/General", NULL, 0, -1, DP_PARAM_FLAG_SECRET,
    DP_ACCESS_NA },
  { "Status_Value", DP_PARAM_STRING, "", "Info/Status", NULL, 0, -1, DP_PARAM_FLAG_READONLY,
    DP_ACCESS_RO },
  /* A block: all rows of Ext 1, then all rows of Ext 2. */
  { "Proxy_%u_", DP_PARAM_STRING, "", "Ext_%u/Proxy", NULL, 0, -1, 0, DP_ACCESS_NA, NULL, 2 },
  { "Expires_%u_", DP_PARAM_INT, "3600", "Ext_%u/Proxy", NULL, 0, 86400, 0, DP_ACCESS_NA, NULL, 2 },
  /* A row-major family (group without %u). */
  { "Ring%u", DP_PARAM_STRING, "", "Phone/Ring", NULL, 0, -1, 0, DP_ACCESS_NA, NULL, 3 },
  /* Two dimensions, the second only in the name. */
  { "Unit_%u_Key_%u", DP_PARAM_STRING, "", "Car/Unit_%u", NULL, 0, -1, 0, DP_ACCESS_NA, NULL, 2, 2 },
  { "Scripted", DP_PARAM_STRING, "ok", "System/General", NULL, 0, -1, 0, DP_ACCESS_NA, "test-syntax" },
};

typedef struct {
  char *dir;
  char *state_file;
  DpConfig *config;
} Fixture;

static gboolean
check_test_syntax (const char *value, GError **error)
{
  if (g_str_has_prefix (value, "ok"))
    return TRUE;
  g_set_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE,
               "position 1: expected \"ok\"");
  return FALSE;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("dp-config-XXXXXX", &error);
  g_assert_no_error (error);
  f->state_file = g_build_filename (f->dir, "config.xml", NULL);
  f->config = dp_config_new ();
  dp_config_register_syntax (f->config, "test-syntax", check_test_syntax);
  g_assert_true (dp_config_register (f->config, "test", test_decls, G_N_ELEMENTS (test_decls),
                                     &error));
  g_assert_no_error (error);
  dp_config_set_state_file (f->config, f->state_file);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_clear_object (&f->config);
  g_free (f->state_file);
  g_free (f->dir);
}

static void
test_family_order (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) names = dp_config_list (f->config);
  const char *expected[] = {
    "Plain_Text", "Flag", "Count", "Delay", "Optional_Port", "Mode", "Secret", "Status_Value",
    "Proxy_1_", "Expires_1_", "Proxy_2_", "Expires_2_",
    "Ring1", "Ring2", "Ring3",
    "Unit_1_Key_1", "Unit_1_Key_2", "Unit_2_Key_1", "Unit_2_Key_2",
    "Scripted",
  };

  g_assert_cmpuint (names->len, ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (names->pdata[i], ==, expected[i]);
  g_assert_cmpstr (dp_param_get_group (dp_config_lookup (f->config, "Expires_2_")), ==,
                   "Ext_2/Proxy");
  g_assert_cmpstr (dp_param_get_tab (dp_config_lookup (f->config, "Unit_2_Key_1")), ==, "Car");
  g_assert_cmpstr (dp_param_get_section (dp_config_lookup (f->config, "Unit_2_Key_1")), ==,
                   "Unit_2");
}

static void
test_register_is_atomic (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const DpParamDecl clash[] = {
    { "Fresh", DP_PARAM_STRING, "", "X/Y", NULL, 0, -1, 0, DP_ACCESS_NA },
    { "Count", DP_PARAM_INT, "1", "X/Y", NULL, 0, -1, 0, DP_ACCESS_NA },
  };
  const DpParamDecl bad_default[] = {
    { "Fresh", DP_PARAM_INT, "many", "X/Y", NULL, 0, -1, 0, DP_ACCESS_NA },
  };

  g_assert_false (dp_config_register (f->config, "other", clash, 2, &error));
  g_assert_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_DUPLICATE);
  g_assert_null (dp_config_lookup (f->config, "Fresh"));
  g_clear_error (&error);
  g_assert_false (dp_config_register (f->config, "other", bad_default, 1, &error));
  g_assert_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "many"));
}

static void
test_types (Fixture *f, gconstpointer data)
{
  struct { const char *name, *value; gboolean ok; } cases[] = {
    { "Flag", "No", TRUE }, { "Flag", "enable", TRUE }, { "Flag", "1", TRUE },
    { "Flag", "Disable", TRUE }, { "Flag", "maybe", FALSE }, { "Flag", "", FALSE },
    { "Count", "64", TRUE }, { "Count", "65", FALSE }, { "Count", "-1", FALSE },
    { "Count", "0x10", TRUE }, { "Count", "1.5", FALSE }, { "Count", "12abc", FALSE },
    { "Delay", ".25", TRUE }, { "Delay", "0.030", TRUE }, { "Delay", "10.5", FALSE },
    { "Delay", "1e3", FALSE }, { "Delay", ".", FALSE },
    { "Optional_Port", "", TRUE }, { "Optional_Port", "0", FALSE },
    { "Mode", "tls", TRUE }, { "Mode", "SCTP", FALSE },
    { "Scripted", "ok then", TRUE }, { "Scripted", "bad", FALSE }, { "Scripted", "", TRUE },
    { "Plain_Text", "\xff\xfe", FALSE },
    { "Plain_Text", "bell\x07", FALSE }, { "Plain_Text", "line\nbreak", FALSE },
    { "Plain_Text", "tab\tkept", TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = dp_config_validate (f->config, cases[i].name, cases[i].value, &error);

      if (ok != cases[i].ok)
        g_error ("%s = \"%s\": expected %s", cases[i].name, cases[i].value,
                 cases[i].ok ? "valid" : "invalid");
      if (!ok)
        {
          g_assert_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE);
          g_assert_nonnull (strstr (error->message, cases[i].name));
        }
    }
  g_assert_true (dp_config_set (f->config, "Count", "0x10", NULL));
  g_assert_cmpint (dp_config_get_int (f->config, "Count"), ==, 16);
  g_assert_true (dp_config_set (f->config, "Flag", "Disable", NULL));
  g_assert_false (dp_config_get_bool (f->config, "Flag"));
  g_assert_cmpfloat_with_epsilon (dp_config_get_double (f->config, "Delay"), 0.5, 1e-9);
}

static void
test_secret_not_in_errors (Fixture *f, gconstpointer data)
{
  const DpParamDecl secret_int[] = {
    { "Pin", DP_PARAM_INT, "", "X/Y", NULL, 0, 9999, DP_PARAM_FLAG_SECRET | DP_PARAM_FLAG_OPTIONAL,
      DP_ACCESS_NA },
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (dp_config_register (f->config, "t", secret_int, 1, NULL));
  g_assert_false (dp_config_set (f->config, "Pin", "hunter2", &error));
  g_assert_null (strstr (error->message, "hunter2"));
  g_assert_nonnull (strstr (error->message, "Pin"));
}

typedef struct {
  Fixture *f;
  GPtrArray *seen;
} SignalLog;

static void
on_changed (DpConfig *config, const char *name, SignalLog *log)
{
  g_autofree char *contents = NULL;

  /* After the commit: the new value is readable and already on disk. */
  g_assert_true (g_file_get_contents (log->f->state_file, &contents, NULL, NULL));
  if (!g_str_equal (name, "Flag"))
    g_assert_nonnull (strstr (contents, dp_config_get (config, name)));
  g_ptr_array_add (log->seen, g_strdup (name));
}

static void
test_apply_transaction_and_signals (Fixture *f, gconstpointer data)
{
  g_autoptr(DpProfile) good = dp_profile_new ();
  g_autoptr(DpProfile) bad = dp_profile_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  SignalLog log = { f, seen };
  DpApplyStats stats;
  gulong id;

  id = g_signal_connect (f->config, "changed", G_CALLBACK (on_changed), &log);

  dp_profile_add (good, "Proxy_1_", DP_VALUE_SET, "first", FALSE, DP_ACCESS_NA);
  dp_profile_add (good, "Proxy_1_", DP_VALUE_SET, "last wins", FALSE, DP_ACCESS_NA);
  dp_profile_add (good, "Count", DP_VALUE_SET, "10", FALSE, DP_ACCESS_NA);      /* unchanged */
  dp_profile_add (good, "Flag", DP_VALUE_KEEP, NULL, TRUE, DP_ACCESS_RO);        /* access only */
  dp_profile_add (good, "Nobody_Knows", DP_VALUE_SET, "x", FALSE, DP_ACCESS_NA);
  dp_profile_add (good, "Status_Value", DP_VALUE_SET, "x", FALSE, DP_ACCESS_NA);
  g_assert_true (dp_config_apply (f->config, good, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 2);
  g_assert_cmpuint (stats.unchanged, ==, 1);
  g_assert_cmpuint (stats.unknown, ==, 1);
  g_assert_cmpuint (stats.ignored_readonly, ==, 1);
  g_assert_cmpstr (dp_config_get (f->config, "Proxy_1_"), ==, "last wins");
  g_assert_cmpint (dp_config_get_access (f->config, "Flag"), ==, DP_ACCESS_RO);
  g_assert_cmpstr (dp_config_get (f->config, "Status_Value"), ==, "");
  /* Exactly one signal per changed parameter. */
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpstr (seen->pdata[0], ==, "Proxy_1_");
  g_assert_cmpstr (seen->pdata[1], ==, "Flag");

  dp_profile_add (bad, "Proxy_2_", DP_VALUE_SET, "would change", FALSE, DP_ACCESS_NA);
  dp_profile_add (bad, "Expires_2_", DP_VALUE_SET, "never", FALSE, DP_ACCESS_NA);
  g_assert_false (dp_config_apply (f->config, bad, NULL, &error));
  g_assert_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "Expires_2_"));
  g_assert_nonnull (strstr (error->message, "never"));
  g_assert_nonnull (strstr (error->message, "integer"));
  g_assert_cmpstr (dp_config_get (f->config, "Proxy_2_"), ==, "");
  g_assert_cmpuint (seen->len, ==, 2);
  g_signal_handler_disconnect (f->config, id);
}

static void
count_signal (DpConfig *config, const char *name, guint *count)
{
  (*count)++;
}

static void
test_reset_op_and_detailed_signal (Fixture *f, gconstpointer data)
{
  g_autoptr(DpProfile) profile = dp_profile_new ();
  guint plain_text_changes = 0;

  g_assert_true (dp_config_set (f->config, "Plain_Text", "changed", NULL));
  g_signal_connect (f->config, "changed::Plain_Text", G_CALLBACK (count_signal),
                    &plain_text_changes);
  g_assert_true (dp_config_set (f->config, "Count", "11", NULL));
  g_assert_cmpuint (plain_text_changes, ==, 0);
  dp_profile_add (profile, "Plain_Text", DP_VALUE_RESET, NULL, FALSE, DP_ACCESS_NA);
  g_assert_true (dp_config_apply (f->config, profile, NULL, NULL));
  g_assert_cmpstr (dp_config_get (f->config, "Plain_Text"), ==, "abc");
  g_assert_cmpuint (plain_text_changes, ==, 1);
  /* Applying the same again changes nothing and signals nothing. */
  g_assert_true (dp_config_apply (f->config, profile, NULL, NULL));
  g_assert_cmpuint (plain_text_changes, ==, 1);
}

static void
test_persistence_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr(DpConfig) reloaded = dp_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  const DpParamDecl late[] = {
    { "Late_Plugin_Value", DP_PARAM_STRING, "default", "P/Q", NULL, 0, -1, 0, DP_ACCESS_NA },
  };

  g_assert_true (dp_config_set (f->config, "Proxy_2_", "a<b&\"c\"", NULL));
  g_assert_true (dp_config_set (f->config, "Secret", "pa55w0rd", NULL));
  g_assert_true (dp_config_register (f->config, "plugin", late, 1, NULL));
  g_assert_true (dp_config_set (f->config, "Late_Plugin_Value", "kept", NULL));

  dp_config_register_syntax (reloaded, "test-syntax", check_test_syntax);
  g_assert_true (dp_config_register (reloaded, "test", test_decls, G_N_ELEMENTS (test_decls), NULL));
  dp_config_set_state_file (reloaded, f->state_file);
  g_assert_true (dp_config_load (reloaded, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dp_config_get (reloaded, "Proxy_2_"), ==, "a<b&\"c\"");
  g_assert_cmpstr (dp_config_get (reloaded, "Secret"), ==, "pa55w0rd");
  /* Not registered yet: kept, and written back by the next save. */
  g_assert_null (dp_config_get (reloaded, "Late_Plugin_Value"));
  g_assert_true (dp_config_set (reloaded, "Count", "5", NULL));
  g_assert_true (g_file_get_contents (f->state_file, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "kept"));
  g_assert_true (dp_config_register (reloaded, "plugin", late, 1, NULL));
  g_assert_cmpstr (dp_config_get (reloaded, "Late_Plugin_Value"), ==, "kept");
  /* Only non-default values are stored. */
  g_assert_null (strstr (contents, "Expires_1_"));
}

static void
test_damaged_state_changes_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (f->state_file, "<flat-profile><Count>7</Coun", -1, NULL));
  g_assert_false (dp_config_load (f->config, &error));
  g_assert_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_STORAGE);
  g_assert_cmpstr (dp_config_get (f->config, "Count"), ==, "10");
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (f->state_file,
                                      "<flat-profile><Count>7</Count><Flag>perhaps</Flag>"
                                      "</flat-profile>", -1, NULL));
  g_assert_false (dp_config_load (f->config, &error));
  g_assert_nonnull (strstr (error->message, "Flag"));
  g_assert_cmpstr (dp_config_get (f->config, "Count"), ==, "10");
}

static void
test_failed_save_changes_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *blocked = g_build_filename (f->dir, "not-a-folder", NULL);
  g_autofree char *impossible = g_build_filename (blocked, "config.xml", NULL);
  guint signals = 0;

  /* A regular file where the state folder should be: the save must fail. */
  g_assert_true (g_file_set_contents (blocked, "", 0, NULL));
  dp_config_set_state_file (f->config, impossible);
  g_signal_connect (f->config, "changed", G_CALLBACK (count_signal), &signals);
  g_assert_false (dp_config_set (f->config, "Count", "20", &error));
  g_assert_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_STORAGE);
  g_assert_cmpstr (dp_config_get (f->config, "Count"), ==, "10");
  g_assert_cmpuint (signals, ==, 0);
}

static void
test_reset_all (Fixture *f, gconstpointer data)
{
  g_assert_true (dp_config_set (f->config, "Count", "20", NULL));
  g_assert_true (dp_config_reset (f->config, NULL));
  g_assert_cmpstr (dp_config_get (f->config, "Count"), ==, "10");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/config/family-order", test_family_order);
  ADD ("/config/register-is-atomic", test_register_is_atomic);
  ADD ("/config/types", test_types);
  ADD ("/config/secret-not-in-errors", test_secret_not_in_errors);
  ADD ("/config/apply-transaction-and-signals", test_apply_transaction_and_signals);
  ADD ("/config/reset-op", test_reset_op_and_detailed_signal);
  ADD ("/config/persistence-round-trip", test_persistence_round_trip);
  ADD ("/config/damaged-state-changes-nothing", test_damaged_state_changes_nothing);
  ADD ("/config/failed-save-changes-nothing", test_failed_save_changes_nothing);
  ADD ("/config/reset-all", test_reset_all);
#undef ADD
  return g_test_run ();
}
