/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SPA plain-text (SPC source) profile parser: vectors S1-S7 (spec §1.7.3)
 * and the decisions documented in dp-profile.h: quoting, comments, [n]
 * names, imports (nesting, cycles, depth, missing base folder) and errors
 * that name line and column. */
#include "dp-profile.h"

#include <glib/gstdio.h>
#include <string.h>

static DpProfile *
parse_text (const char *text, const char *base_dir)
{
  g_autoptr(GError) error = NULL;
  DpProfile *profile = dp_profile_parse_text (text, strlen (text), base_dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

static GError *
parse_text_error (const char *text, const char *base_dir)
{
  GError *error = NULL;
  g_autoptr(DpProfile) profile = dp_profile_parse_text (text, strlen (text), base_dir, &error);

  g_assert_null (profile);
  g_assert_nonnull (error);
  return error;
}

static void
assert_assignment (DpProfile *profile, guint index, const char *name, DpValueOp op,
                   const char *value, DpAccess access)
{
  const DpAssignment *a;

  g_assert_cmpuint (index, <, dp_profile_get_n_assignments (profile));
  a = dp_profile_get_assignment (profile, index);
  g_assert_cmpstr (a->name, ==, name);
  g_assert_cmpint (a->op, ==, op);
  g_assert_cmpstr (a->value, ==, value);
  g_assert_true (a->has_access);
  g_assert_cmpint (a->access, ==, access);
}

static void
test_s1_to_s4_marks (void)
{
  g_autoptr(DpProfile) p = parse_text ("Feature_Enable ! \"Enable\" ;\n"
                                       "Another_Parameter ? \"3600\" ;\n"
                                       "Hidden_Parameter \"abc123\" ;\n"
                                       "Some_Entry ! ;\n"
                                       "Other_Entry ? ;\n", NULL);

  g_assert_cmpuint (dp_profile_get_n_assignments (p), ==, 5);
  assert_assignment (p, 0, "Feature_Enable", DP_VALUE_SET, "Enable", DP_ACCESS_RW);
  assert_assignment (p, 1, "Another_Parameter", DP_VALUE_SET, "3600", DP_ACCESS_RO);
  assert_assignment (p, 2, "Hidden_Parameter", DP_VALUE_SET, "abc123", DP_ACCESS_NA);
  assert_assignment (p, 3, "Some_Entry", DP_VALUE_KEEP, NULL, DP_ACCESS_RW);
  assert_assignment (p, 4, "Other_Entry", DP_VALUE_KEEP, NULL, DP_ACCESS_RO);
}

static void
test_s6_line_index (void)
{
  g_autoptr(DpProfile) p = parse_text ("Proxy[1] \"sip.x\" ;\nLine_Enable[06] ! \"Yes\";\n", NULL);

  assert_assignment (p, 0, "Proxy_1_", DP_VALUE_SET, "sip.x", DP_ACCESS_NA);
  /* The index is a number: leading zeros go. */
  assert_assignment (p, 1, "Line_Enable_6_", DP_VALUE_SET, "Yes", DP_ACCESS_RW);
}

static void
test_s7_empty_value_vs_reset (void)
{
  g_autoptr(DpProfile) p = parse_text ("Param \"\" ;\nParam ;\nParam!\"\";\n", NULL);

  /* spec §1.7.3 CONFLICT: in plain text an empty specification resets. */
  assert_assignment (p, 0, "Param", DP_VALUE_SET, "", DP_ACCESS_NA);
  assert_assignment (p, 1, "Param", DP_VALUE_RESET, NULL, DP_ACCESS_NA);
  assert_assignment (p, 2, "Param", DP_VALUE_SET, "", DP_ACCESS_RW);
  g_assert_cmpint (dp_profile_lookup (p, "Param")->op, ==, DP_VALUE_SET);
}

static void
test_layout_and_comments (void)
{
  g_autoptr(DpProfile) p = parse_text ("# provisioning for the front desk\n\n"
                                       "Admin_Passwd \"some secret\"; Upgrade_Enable \"Yes\";\n"
                                       "\tGPP_A   # the value follows\n"
                                       "   !\n  \"a # not a comment\"   ;  # trailing\r\n"
                                       "SIP-B_Enable \"No\"; G726-16_Enable_1_ \"x\"; Ring1 \"n=a;w=1\";",
                                       NULL);

  g_assert_cmpuint (dp_profile_get_n_assignments (p), ==, 6);
  assert_assignment (p, 0, "Admin_Passwd", DP_VALUE_SET, "some secret", DP_ACCESS_NA);
  assert_assignment (p, 1, "Upgrade_Enable", DP_VALUE_SET, "Yes", DP_ACCESS_NA);
  assert_assignment (p, 2, "GPP_A", DP_VALUE_SET, "a # not a comment", DP_ACCESS_RW);
  assert_assignment (p, 3, "SIP-B_Enable", DP_VALUE_SET, "No", DP_ACCESS_NA);
  assert_assignment (p, 4, "G726-16_Enable_1_", DP_VALUE_SET, "x", DP_ACCESS_NA);
  assert_assignment (p, 5, "Ring1", DP_VALUE_SET, "n=a;w=1", DP_ACCESS_NA);
}

static void
test_quote_escapes (void)
{
  g_autoptr(DpProfile) p = parse_text ("A \"say \\\"hi\\\"\";\nB \"back\\\\slash\";\n"
                                       "C \"C:\\temp\\n\";\nD \"  spaces kept  \";\n", NULL);

  assert_assignment (p, 0, "A", DP_VALUE_SET, "say \"hi\"", DP_ACCESS_NA);
  assert_assignment (p, 1, "B", DP_VALUE_SET, "back\\slash", DP_ACCESS_NA);
  /* Other backslashes stay as written. */
  assert_assignment (p, 2, "C", DP_VALUE_SET, "C:\\temp\\n", DP_ACCESS_NA);
  assert_assignment (p, 3, "D", DP_VALUE_SET, "  spaces kept  ", DP_ACCESS_NA);
}

static void
test_empty_and_comment_only (void)
{
  g_autoptr(DpProfile) empty = parse_text ("", NULL);
  g_autoptr(DpProfile) comments = parse_text ("# nothing\n   \n# here", NULL);

  g_assert_cmpuint (dp_profile_get_n_assignments (empty), ==, 0);
  g_assert_cmpuint (dp_profile_get_n_assignments (comments), ==, 0);
}

static void
assert_error_at (const char *text, const char *where, const char *words)
{
  g_autoptr(GError) error = parse_text_error (text, NULL);

  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  if (!g_str_has_prefix (error->message, where) || strstr (error->message, words) == NULL)
    g_error ("for %s: got \"%s\", expected \"%s...%s\"", text, error->message, where, words);
}

static void
test_errors_name_line_and_column (void)
{
  assert_error_at ("A \"1\";\nB \"2\"\nC \"3\";", "line 3, column 1: ", "expected ';' after B");
  assert_error_at ("A \"1\";\n  B \"unterminated;\nC \"3\";", "line 2, column 5: ", "quoted value");
  assert_error_at ("A \"1\";\n  = \"x\";", "line 2, column 3: ", "expected a parameter name, found '='");
  assert_error_at ("A \"1\" !;", "line 1, column 7: ", "found '!'");
  assert_error_at ("A ! ? ;", "line 1, column 5: ", "found '?'");
  assert_error_at ("A \"1\" \"2\";", "line 1, column 7: ", "found '\"'");
  assert_error_at ("Proxy[x] \"1\";", "line 1, column 7: ", "line number");
  assert_error_at ("Proxy[] \"1\";", "line 1, column 7: ", "line number");
  assert_error_at ("Proxy[1 \"1\";", "line 1, column 8: ", "line number");
  assert_error_at ("A \"1\"", "line 1, column 6: ", "found end of input");
  assert_error_at ("Key=\"1\";", "line 1, column 4: ", "found '='");
  assert_error_at ("A \"1\";\n\n   B \"caf\xc3\"", "line 3, column 10: ", "UTF-8");
  assert_error_at ("1Param \"x\";", "line 1, column 1: ", "parameter name");
}

static void
test_nul_byte_rejected (void)
{
  static const char text[] = "A \"1\";\nB \"x\0y\";";
  g_autoptr(GError) error = NULL;
  g_autoptr(DpProfile) p = dp_profile_parse_text (text, sizeof text - 1, NULL, &error);

  g_assert_null (p);
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  g_assert_cmpstr (error->message, ==, "line 2, column 5: invalid UTF-8 or NUL byte");
}

typedef struct {
  char *dir;
} ImportFixture;

static void
write_file (const char *dir, const char *name, const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
import_setup (ImportFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("dp-profile-text-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *entry;

      while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, entry, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    {
      g_unlink (path);
    }
}

static void
import_teardown (ImportFixture *fixture, gconstpointer data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
test_s5_import_then_override (ImportFixture *fixture, gconstpointer data)
{
  g_autofree char *sub = g_build_filename (fixture->dir, "sub", NULL);
  g_autoptr(DpProfile) p = NULL;

  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  write_file (fixture->dir, "base.txt", "Param1 \"from base\" ;\nimport sub/inner.txt\nParam3 ? ;\n");
  /* Nested imports resolve against the importing file's folder. */
  write_file (sub, "inner.txt", "Param2 ! \"inner\";\n");

  p = parse_text ("Param0 \"first\";\n  import base.txt   # the shared part\n"
                  "Param1 \"new value overrides base\" ;\n", fixture->dir);
  g_assert_cmpuint (dp_profile_get_n_assignments (p), ==, 5);
  assert_assignment (p, 0, "Param0", DP_VALUE_SET, "first", DP_ACCESS_NA);
  assert_assignment (p, 1, "Param1", DP_VALUE_SET, "from base", DP_ACCESS_NA);
  assert_assignment (p, 2, "Param2", DP_VALUE_SET, "inner", DP_ACCESS_RW);
  assert_assignment (p, 3, "Param3", DP_VALUE_KEEP, NULL, DP_ACCESS_RO);
  assert_assignment (p, 4, "Param1", DP_VALUE_SET, "new value overrides base", DP_ACCESS_NA);
  g_assert_cmpstr (dp_profile_lookup (p, "Param1")->value, ==, "new value overrides base");
}

static void
test_import_spellings (ImportFixture *fixture, gconstpointer data)
{
  g_autofree char *absolute = g_build_filename (fixture->dir, "c.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(DpProfile) p = NULL;

  write_file (fixture->dir, "a.txt", "A \"a\";");
  write_file (fixture->dir, "b.txt", "B \"b\";");
  write_file (fixture->dir, "c.txt", "C \"c\";");
  text = g_strdup_printf ("import \"a.txt\";\nimport <b.txt>\nimport %s\n", absolute);
  p = parse_text (text, fixture->dir);
  g_assert_cmpuint (dp_profile_get_n_assignments (p), ==, 3);
  g_assert_cmpstr (dp_profile_get_assignment (p, 0)->name, ==, "A");
  g_assert_cmpstr (dp_profile_get_assignment (p, 1)->name, ==, "B");
  g_assert_cmpstr (dp_profile_get_assignment (p, 2)->name, ==, "C");
}

static void
test_import_only_between_statements (ImportFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  write_file (fixture->dir, "a.txt", "A \"a\";");
  /* `import` in the middle of a line is not a directive. */
  error = parse_text_error ("X \"1\"; import a.txt\n", fixture->dir);
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  g_assert_true (g_str_has_prefix (error->message, "line 1, column 15: "));
}

static void
test_import_errors (ImportFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) no_base = NULL;
  g_autoptr(GError) missing = NULL;
  g_autoptr(GError) inner = NULL;
  g_autoptr(GError) no_name = NULL;

  write_file (fixture->dir, "bad.txt", "Good \"1\";\nBad \"2\"\n");
  write_file (fixture->dir, "outer.txt", "import bad.txt\n");

  no_base = parse_text_error ("A \"1\";\nimport base.txt\n", NULL);
  g_assert_error (no_base, DP_PROFILE_ERROR, DP_PROFILE_ERROR_IMPORT);
  g_assert_true (g_str_has_prefix (no_base->message, "line 2, column 1: "));
  g_assert_nonnull (strstr (no_base->message, "base.txt"));

  missing = parse_text_error ("\n\n  import nothere.txt\n", fixture->dir);
  g_assert_error (missing, DP_PROFILE_ERROR, DP_PROFILE_ERROR_IMPORT);
  g_assert_true (g_str_has_prefix (missing->message, "line 3, column 3: "));
  g_assert_nonnull (strstr (missing->message, "nothere.txt"));

  /* A syntax error inside an imported file names that file. */
  inner = parse_text_error ("import outer.txt\n", fixture->dir);
  g_assert_error (inner, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (inner->message, "bad.txt: line 3, column 1: "));

  no_name = parse_text_error ("import   # nothing\n", fixture->dir);
  g_assert_error (no_name, DP_PROFILE_ERROR, DP_PROFILE_ERROR_IMPORT);
}

static void
test_import_cycle (ImportFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) self_error = NULL;
  g_autoptr(GError) loop_error = NULL;
  g_autoptr(DpProfile) diamond = NULL;

  write_file (fixture->dir, "self.txt", "A \"1\";\nimport self.txt\n");
  write_file (fixture->dir, "x.txt", "import y.txt\n");
  write_file (fixture->dir, "y.txt", "import x.txt\n");
  write_file (fixture->dir, "shared.txt", "S \"1\";\n");
  write_file (fixture->dir, "left.txt", "import shared.txt\n");

  self_error = parse_text_error ("import self.txt\n", fixture->dir);
  g_assert_error (self_error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_IMPORT);
  g_assert_nonnull (strstr (self_error->message, "cycle"));
  loop_error = parse_text_error ("import x.txt\n", fixture->dir);
  g_assert_error (loop_error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_IMPORT);
  g_assert_nonnull (strstr (loop_error->message, "cycle"));

  /* The same file twice, not inside itself, is no cycle. */
  diamond = parse_text ("import left.txt\nimport shared.txt\n", fixture->dir);
  g_assert_cmpuint (dp_profile_get_n_assignments (diamond), ==, 2);
}

static void
test_import_depth_limit (ImportFixture *fixture, gconstpointer data)
{
  g_autoptr(DpProfile) deepest = NULL;
  g_autoptr(GError) error = NULL;

  /* level1 imports level2 ... level8 is the 8th nested file: allowed. */
  for (int i = 1; i <= 9; i++)
    {
      g_autofree char *name = g_strdup_printf ("level%d.txt", i);
      g_autofree char *contents = g_strdup_printf ("L%d \"x\";\nimport level%d.txt\n", i, i + 1);

      write_file (fixture->dir, name, contents);
    }
  write_file (fixture->dir, "level8.txt", "L8 \"bottom\";\n");
  deepest = parse_text ("import level1.txt\n", fixture->dir);
  g_assert_cmpuint (dp_profile_get_n_assignments (deepest), ==, 8);
  g_assert_cmpstr (dp_profile_lookup (deepest, "L8")->value, ==, "bottom");

  write_file (fixture->dir, "level8.txt", "L8 \"x\";\nimport level9.txt\n");
  error = parse_text_error ("import level1.txt\n", fixture->dir);
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_IMPORT);
  g_assert_nonnull (strstr (error->message, "level9.txt"));
  g_assert_nonnull (strstr (error->message, "deep"));
}

static void
test_import_fan_out_limited (ImportFixture *fixture, gconstpointer data)
{
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  /* Without a total budget, diamonds multiply: 3^6 files from 6 short ones. */
  write_file (fixture->dir, "leaf.txt", "Leaf \"1\";\n");
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("fan%d.txt", i);
      g_autofree char *child = i == 0 ? g_strdup ("leaf.txt") : g_strdup_printf ("fan%d.txt", i - 1);
      g_autofree char *contents = g_strdup_printf ("import %s\nimport %s\nimport %s\n",
                                                   child, child, child);

      write_file (fixture->dir, name, contents);
    }
  g_string_append (many, "import fan4.txt\n");
  error = parse_text_error (many->str, fixture->dir);
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_IMPORT);
  g_assert_nonnull (strstr (error->message, "more than 256 imports"));
}

static void
test_parse_file_text_and_detection (ImportFixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "phone.txt", NULL);
  g_autofree char *nowhere = g_build_filename (fixture->dir, "missing.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DpProfile) p = NULL;
  g_autoptr(DpProfile) none = NULL;
  g_autoptr(GBytes) blank = g_bytes_new_static (" \n\t", 3);

  write_file (fixture->dir, "common.txt", "Resync_Periodic \"7200\";\n");
  write_file (fixture->dir, "phone.txt", "import common.txt\nDisplay_Name[1] ! \"Desk\";\n");
  /* dp_profile_parse_file() resolves imports against the file's folder. */
  p = dp_profile_parse_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dp_profile_get_n_assignments (p), ==, 2);
  assert_assignment (p, 1, "Display_Name_1_", DP_VALUE_SET, "Desk", DP_ACCESS_RW);

  none = dp_profile_parse_file (nowhere, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  g_assert_null (dp_profile_parse (blank, NULL, NULL, &error));
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  g_clear_error (&error);

  g_assert_null (dp_profile_parse_file (fixture->dir, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/profile-text/s1-s4-marks", test_s1_to_s4_marks);
  g_test_add_func ("/profile-text/s6-line-index", test_s6_line_index);
  g_test_add_func ("/profile-text/s7-empty-vs-reset", test_s7_empty_value_vs_reset);
  g_test_add_func ("/profile-text/layout-comments", test_layout_and_comments);
  g_test_add_func ("/profile-text/quote-escapes", test_quote_escapes);
  g_test_add_func ("/profile-text/empty", test_empty_and_comment_only);
  g_test_add_func ("/profile-text/errors", test_errors_name_line_and_column);
  g_test_add_func ("/profile-text/nul-byte", test_nul_byte_rejected);
  g_test_add ("/profile-text/s5-import", ImportFixture, NULL, import_setup,
              test_s5_import_then_override, import_teardown);
  g_test_add ("/profile-text/import-spellings", ImportFixture, NULL, import_setup,
              test_import_spellings, import_teardown);
  g_test_add ("/profile-text/import-position", ImportFixture, NULL, import_setup,
              test_import_only_between_statements, import_teardown);
  g_test_add ("/profile-text/import-errors", ImportFixture, NULL, import_setup,
              test_import_errors, import_teardown);
  g_test_add ("/profile-text/import-cycle", ImportFixture, NULL, import_setup,
              test_import_cycle, import_teardown);
  g_test_add ("/profile-text/import-depth", ImportFixture, NULL, import_setup,
              test_import_depth_limit, import_teardown);
  g_test_add ("/profile-text/import-fan-out", ImportFixture, NULL, import_setup,
              test_import_fan_out_limited, import_teardown);
  g_test_add ("/profile-text/parse-file", ImportFixture, NULL, import_setup,
              test_parse_file_text_and_detection, import_teardown);

  return g_test_run ();
}
