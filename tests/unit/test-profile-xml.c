/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Flat-profile XML parser: conformance vectors X1-X14 (spec §1.7.1), the
 * decisions documented in dp-profile.h, hostile input, and the whole SPA962
 * 5.1.15 dump from the shared corpus. */
#include "dp-profile.h"

#include <string.h>

static DpProfile *
parse_xml (const char *xml)
{
  g_autoptr(GError) error = NULL;
  DpProfile *profile = dp_profile_parse_xml (xml, strlen (xml), &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

static DpProfile *
parse_flat (const char *inner)
{
  g_autofree char *xml = g_strdup_printf ("<flat-profile>%s</flat-profile>", inner);

  return parse_xml (xml);
}

static void
assert_set (DpProfile *profile, const char *name, const char *value)
{
  const DpAssignment *a = dp_profile_lookup (profile, name);

  g_assert_nonnull (a);
  g_assert_cmpint (a->op, ==, DP_VALUE_SET);
  g_assert_cmpstr (a->value, ==, value);
}

static GError *
parse_xml_error (const char *xml)
{
  GError *error = NULL;
  g_autoptr(DpProfile) profile = dp_profile_parse_xml (xml, strlen (xml), &error);

  g_assert_null (profile);
  g_assert_nonnull (error);
  return error;
}

static void
test_x1_open_close_is_empty_string (void)
{
  g_autoptr(DpProfile) p = parse_flat ("<GPP_A>\n</GPP_A><GPP_E></GPP_E>");

  assert_set (p, "GPP_A", "");
  assert_set (p, "GPP_E", "");
  g_assert_false (dp_profile_lookup (p, "GPP_A")->has_access);
}

static void
test_x2_empty_element_keeps (void)
{
  g_autoptr(DpProfile) p = parse_flat ("<GPP_B/>");
  const DpAssignment *a = dp_profile_lookup (p, "GPP_B");

  g_assert_cmpuint (dp_profile_get_n_assignments (p), ==, 1);
  g_assert_nonnull (a);
  g_assert_cmpint (a->op, ==, DP_VALUE_KEEP);
  g_assert_null (a->value);
  g_assert_false (a->has_access);
}

static void
test_x3_x4_ua_on_empty_element (void)
{
  g_autoptr(DpProfile) p = parse_flat ("<Dial_Plan_1_ ua=\"ro\"/>"
                                       "<SIP_TOS_DiffServ_Value_1_ ua=\"na\"/>"
                                       "<Dial_Plan_2_ ua=\"rw\" />");
  const DpAssignment *a = dp_profile_lookup (p, "Dial_Plan_1_");

  g_assert_cmpint (a->op, ==, DP_VALUE_KEEP);
  g_assert_true (a->has_access);
  g_assert_cmpint (a->access, ==, DP_ACCESS_RO);
  a = dp_profile_lookup (p, "SIP_TOS_DiffServ_Value_1_");
  g_assert_cmpint (a->op, ==, DP_VALUE_KEEP);
  g_assert_true (a->has_access);
  g_assert_cmpint (a->access, ==, DP_ACCESS_NA);
  a = dp_profile_lookup (p, "Dial_Plan_2_");
  g_assert_true (a->has_access);
  g_assert_cmpint (a->access, ==, DP_ACCESS_RW);
}

static void
test_ua_with_value_and_case (void)
{
  g_autoptr(DpProfile) p = parse_flat ("<Display_Name_1_ ua=\"RW\">Bob</Display_Name_1_>");
  const DpAssignment *a = dp_profile_lookup (p, "Display_Name_1_");

  g_assert_cmpint (a->op, ==, DP_VALUE_SET);
  g_assert_cmpstr (a->value, ==, "Bob");
  g_assert_true (a->has_access);
  g_assert_cmpint (a->access, ==, DP_ACCESS_RW);
}

static void
test_bad_ua_is_named (void)
{
  g_autoptr(GError) error = parse_xml_error ("<flat-profile>\n<GPP_A ua=\"admin\">x</GPP_A>\n"
                                             "</flat-profile>");

  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "\"admin\""));
  g_assert_nonnull (strstr (error->message, "GPP_A"));
  g_assert_nonnull (strstr (error->message, "line 2"));
}

static void
test_x5_entities (void)
{
  g_autoptr(DpProfile) p = parse_flat ("<Dial_Plan_1_>\n( S0 &lt;:18005551212&gt; )\n</Dial_Plan_1_>"
                                       "<GPP_F>&amp;&apos;&quot;&lt;&gt;</GPP_F>");

  assert_set (p, "Dial_Plan_1_", "( S0 <:18005551212> )");
  assert_set (p, "GPP_F", "&'\"<>");
}

static void
test_x6_trim (void)
{
  g_autoptr(DpProfile) p = parse_flat ("<Resync_Periodic> 7200\n</Resync_Periodic>"
                                       "<GPP_G>\t a b \r\n</GPP_G>");

  assert_set (p, "Resync_Periodic", "7200");
  assert_set (p, "GPP_G", "a b");
}

static void
test_x7_nested_in_other_elements (void)
{
  g_autoptr(DpProfile) p = parse_xml ("<top-level><generator>x</generator>"
                                      "<flat-profile device=\"Linksys\"><Resync_On_Reset> Yes"
                                      "</Resync_On_Reset></flat-profile></top-level>");

  g_assert_cmpuint (dp_profile_get_n_assignments (p), ==, 1);
  assert_set (p, "Resync_On_Reset", "Yes");
  g_assert_null (dp_profile_lookup (p, "generator"));
  g_assert_null (dp_profile_lookup (p, "device"));
}

static void
test_x8_last_wins (void)
{
  g_autoptr(DpProfile) p = parse_flat ("<GPP_C>a</GPP_C><GPP_C>b</GPP_C>");

  /* Both are kept in document order; the applier (and lookup) take the last. */
  g_assert_cmpuint (dp_profile_get_n_assignments (p), ==, 2);
  g_assert_cmpstr (dp_profile_get_assignment (p, 0)->value, ==, "a");
  assert_set (p, "GPP_C", "b");
}

static void
test_x9_newlines_become_spaces (void)
{
  g_autoptr(DpProfile) p = parse_flat ("<Text_Logo>line1\nline2</Text_Logo>"
                                       "<GPP_H>a\r\nb\rc&#10;d\te</GPP_H>");

  assert_set (p, "Text_Logo", "line1 line2");
  /* XML turns CRLF and CR into LF; each LF then becomes one space; TAB stays. */
  assert_set (p, "GPP_H", "a b c d\te");
}

static void
test_x10_numeric_references (void)
{
  g_autoptr(DpProfile) p = parse_flat ("<GPP_D>&#x41;&#66;</GPP_D><GPP_I>&#40;&#x2e;</GPP_I>");

  assert_set (p, "GPP_D", "AB");
  assert_set (p, "GPP_I", "(.");
}

static void
test_x11_x12_names_kept_as_written (void)
{
  g_autoptr(DpProfile) p = parse_flat ("<Foo>1</Foo><resync_on_reset>No</resync_on_reset>");

  /* The parser keeps every name; unknown ones are ignored when applied,
   * and tags are case-sensitive, so these never reach Resync_On_Reset. */
  assert_set (p, "Foo", "1");
  assert_set (p, "resync_on_reset", "No");
  g_assert_null (dp_profile_lookup (p, "Resync_On_Reset"));
}

static void
test_x13_outside_flat_profile_ignored (void)
{
  g_autoptr(DpProfile) p = parse_xml ("<config><GPP_A>outside</GPP_A>"
                                      "<flat-profile><GPP_B>in</GPP_B></flat-profile>"
                                      "<GPP_C>after</GPP_C></config>");

  g_assert_cmpuint (dp_profile_get_n_assignments (p), ==, 1);
  assert_set (p, "GPP_B", "in");
}

static void
test_x14_other_attributes_ignored (void)
{
  g_autoptr(DpProfile) p = parse_flat ("<Profile_Rule_B group=\"Provisioning/Configuration_Profile\">"
                                       "x</Profile_Rule_B>");

  assert_set (p, "Profile_Rule_B", "x");
  g_assert_false (dp_profile_lookup (p, "Profile_Rule_B")->has_access);
}

static void
test_nested_flat_profile_is_container (void)
{
  g_autoptr(DpProfile) p = parse_flat ("<GPP_A>1</GPP_A><flat-profile><GPP_B>2</GPP_B>"
                                       "</flat-profile><GPP_C/>");

  g_assert_cmpuint (dp_profile_get_n_assignments (p), ==, 3);
  g_assert_cmpstr (dp_profile_get_assignment (p, 0)->name, ==, "GPP_A");
  g_assert_cmpstr (dp_profile_get_assignment (p, 1)->name, ==, "GPP_B");
  g_assert_cmpstr (dp_profile_get_assignment (p, 2)->name, ==, "GPP_C");
  g_assert_null (dp_profile_lookup (p, "flat-profile"));
}

static void
test_cdata_comments_pi_declaration (void)
{
  g_autoptr(DpProfile) p = parse_xml ("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                                      "<!-- provisioning -->\n<flat-profile>\n"
                                      "<GPP_A><![CDATA[<a&b>]]></GPP_A>\n"
                                      "<GPP_B>x<!-- note -->y</GPP_B><?pi data?>\n"
                                      "<GPP_C>caf\xc3\xa9</GPP_C>\n</flat-profile>\n");

  g_assert_cmpuint (dp_profile_get_n_assignments (p), ==, 3);
  assert_set (p, "GPP_A", "<a&b>");
  assert_set (p, "GPP_B", "xy");
  assert_set (p, "GPP_C", "caf\xc3\xa9");
}

static void
test_empty_flat_profile (void)
{
  g_autoptr(DpProfile) p = parse_xml ("<flat-profile/>");

  g_assert_cmpuint (dp_profile_get_n_assignments (p), ==, 0);
}

static void
test_malformed_names_line_and_column (void)
{
  g_autoptr(GError) mismatch = parse_xml_error ("<flat-profile>\n<GPP_A>x</GPP_B>\n</flat-profile>");
  g_autoptr(GError) unclosed = parse_xml_error ("<flat-profile>\n<GPP_A>x");
  g_autoptr(GError) entity = parse_xml_error ("<flat-profile>\n\n<GPP_A>&nbsp;</GPP_A></flat-profile>");
  g_autoptr(GError) two_roots = parse_xml_error ("<flat-profile/><flat-profile/>");
  g_autoptr(GError) empty = parse_xml_error ("");
  g_autoptr(GError) bad_utf8 = parse_xml_error ("<flat-profile><A>\xff</A></flat-profile>");

  g_assert_error (mismatch, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  g_assert_true (g_str_has_prefix (mismatch->message, "line 2, column "));
  g_assert_error (unclosed, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  g_assert_true (g_str_has_prefix (unclosed->message, "line 2, column "));
  g_assert_error (entity, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  g_assert_true (g_str_has_prefix (entity->message, "line 3, column "));
  g_assert_nonnull (strstr (entity->message, "nbsp"));
  g_assert_error (two_roots, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  g_assert_error (empty, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  g_assert_error (bad_utf8, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
}

static void
test_element_inside_parameter_is_error (void)
{
  g_autoptr(GError) error = parse_xml_error ("<flat-profile>\n<Text_Logo>a<b>x</b>c</Text_Logo>"
                                             "</flat-profile>");

  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  g_assert_true (g_str_has_prefix (error->message, "line 2, column "));
  g_assert_nonnull (strstr (error->message, "<b>"));
  g_assert_nonnull (strstr (error->message, "Text_Logo"));
}

static void
test_no_flat_profile_is_error (void)
{
  g_autoptr(GError) error = parse_xml_error ("<html><body>404 Not Found</body></html>");

  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "flat-profile"));
}

static void
test_doctype_rejected (void)
{
  /* Billion laughs and an external entity: refused before any expansion. */
  g_autoptr(GError) bomb = parse_xml_error (
    "<?xml version=\"1.0\"?>\n<!-- c -->\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n]>\n"
    "<flat-profile><GPP_A>&lol3;</GPP_A></flat-profile>");
  g_autoptr(GError) external = parse_xml_error (
    "<!DOCTYPE flat-profile [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
    "<flat-profile><GPP_A>&x;</GPP_A></flat-profile>");
  g_autoptr(GError) public_dtd = parse_xml_error (
    "<!DOCTYPE flat-profile SYSTEM \"http://127.0.0.1:9/x.dtd\"><flat-profile/>");

  g_assert_error (bomb, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  g_assert_true (g_str_has_prefix (bomb->message, "line 3, column 1: "));
  g_assert_nonnull (strstr (bomb->message, "DOCTYPE"));
  g_assert_error (external, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (external->message, "DOCTYPE"));
  g_assert_error (public_dtd, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
}

static void
test_document_order (void)
{
  g_autoptr(DpProfile) p = parse_flat ("<Z>1</Z><A/><M>2</M>");

  g_assert_cmpuint (dp_profile_get_n_assignments (p), ==, 3);
  g_assert_cmpstr (dp_profile_get_assignment (p, 0)->name, ==, "Z");
  g_assert_cmpint (dp_profile_get_assignment (p, 1)->op, ==, DP_VALUE_KEEP);
  g_assert_cmpstr (dp_profile_get_assignment (p, 2)->value, ==, "2");
}

static void
test_parse_detects_xml (void)
{
  static const char xml[] = "  \n<flat-profile><GPP_A>v</GPP_A></flat-profile>";
  g_autoptr(GBytes) bytes = g_bytes_new_static (xml, sizeof xml - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(DpProfile) p = dp_profile_parse (bytes, NULL, NULL, &error);

  g_assert_no_error (error);
  assert_set (p, "GPP_A", "v");
}

/* The SPA962 5.1.15 dump: every element, in order, equal to parameters.tsv. */
static void
test_spa962_dump (void)
{
  const char *shared = g_getenv ("DP_SHARED_DIR");
  g_autofree char *xml_path = NULL;
  g_autofree char *tsv_path = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *tsv = NULL;
  g_auto(GStrv) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DpProfile) p = NULL;
  guint n_rows = 0;
  guint n_keep = 0;

  if (shared == NULL)
    {
      g_test_skip ("DP_SHARED_DIR is not set");
      return;
    }
  xml_path = g_build_filename (shared, "corpora", "spa962-dump", "spa962-5.1.15.xml", NULL);
  tsv_path = g_build_filename (shared, "corpora", "spa962-dump", "parameters.tsv", NULL);
  g_assert_true (g_file_get_contents (tsv_path, &tsv, NULL, &error));
  g_assert_no_error (error);

  p = dp_profile_parse_file (xml_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dp_profile_get_n_assignments (p), ==, 1227);

  rows = g_strsplit (tsv, "\n", -1);
  g_assert_true (g_str_has_prefix (rows[0], "name\tgroup\tvalue\t"));
  for (guint i = 1; rows[i] != NULL; i++)
    {
      g_auto(GStrv) cols = NULL;
      const DpAssignment *a;

      if (rows[i][0] == '\0')
        continue;
      cols = g_strsplit (rows[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (cols), ==, 5);
      g_assert_cmpuint (n_rows, <, dp_profile_get_n_assignments (p));
      a = dp_profile_get_assignment (p, n_rows);
      g_assert_cmpstr (a->name, ==, cols[0]);
      g_assert_false (a->has_access);
      if (a->op == DP_VALUE_KEEP)
        {
          /* `<X group="..."/>`: the dump's way of writing an empty value. */
          g_assert_cmpstr (cols[2], ==, "");
          n_keep++;
        }
      else
        {
          g_assert_cmpint (a->op, ==, DP_VALUE_SET);
          g_assert_cmpstr (a->value, ==, cols[2]);
        }
      n_rows++;
    }
  g_assert_cmpuint (n_rows, ==, 1227);
  g_assert_cmpuint (n_keep, >, 0);

  /* Spot checks of odd real names and values. */
  g_assert_cmpstr (dp_profile_lookup (p, "Software_Version")->value, ==, "5.1.15(aSC)");
  g_assert_nonnull (dp_profile_lookup (p, "Primary__DNS"));
  g_assert_nonnull (dp_profile_lookup (p, "SIP_100REL_Enable_6_"));
  g_assert_cmpint (dp_profile_lookup (p, "Current_IP")->op, ==, DP_VALUE_SET);
  g_assert_cmpint (dp_profile_lookup (p, "Domain")->op, ==, DP_VALUE_KEEP);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/profile-xml/x1-open-close-empty", test_x1_open_close_is_empty_string);
  g_test_add_func ("/profile-xml/x2-empty-element-keeps", test_x2_empty_element_keeps);
  g_test_add_func ("/profile-xml/x3-x4-ua", test_x3_x4_ua_on_empty_element);
  g_test_add_func ("/profile-xml/ua-with-value", test_ua_with_value_and_case);
  g_test_add_func ("/profile-xml/bad-ua", test_bad_ua_is_named);
  g_test_add_func ("/profile-xml/x5-entities", test_x5_entities);
  g_test_add_func ("/profile-xml/x6-trim", test_x6_trim);
  g_test_add_func ("/profile-xml/x7-nested", test_x7_nested_in_other_elements);
  g_test_add_func ("/profile-xml/x8-last-wins", test_x8_last_wins);
  g_test_add_func ("/profile-xml/x9-newlines", test_x9_newlines_become_spaces);
  g_test_add_func ("/profile-xml/x10-numeric-refs", test_x10_numeric_references);
  g_test_add_func ("/profile-xml/x11-x12-names", test_x11_x12_names_kept_as_written);
  g_test_add_func ("/profile-xml/x13-outside", test_x13_outside_flat_profile_ignored);
  g_test_add_func ("/profile-xml/x14-attributes", test_x14_other_attributes_ignored);
  g_test_add_func ("/profile-xml/nested-flat-profile", test_nested_flat_profile_is_container);
  g_test_add_func ("/profile-xml/cdata-comments", test_cdata_comments_pi_declaration);
  g_test_add_func ("/profile-xml/empty-flat-profile", test_empty_flat_profile);
  g_test_add_func ("/profile-xml/malformed", test_malformed_names_line_and_column);
  g_test_add_func ("/profile-xml/element-in-parameter", test_element_inside_parameter_is_error);
  g_test_add_func ("/profile-xml/no-flat-profile", test_no_flat_profile_is_error);
  g_test_add_func ("/profile-xml/doctype", test_doctype_rejected);
  g_test_add_func ("/profile-xml/order", test_document_order);
  g_test_add_func ("/profile-xml/parse-detects-xml", test_parse_detects_xml);
  g_test_add_func ("/profile-xml/spa962-dump", test_spa962_dump);

  return g_test_run ();
}
