/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Unit tests of the web UI's pure parts: PBKDF2 hashes, sessions, back-off,
 * Restricted_Access_Domains matching, form handling and the export.
 */
#include <deskphone.h>
#include <string.h>

#include "dp-webui-auth.h"
#include "dp-webui-forms.h"
#include "dp-webui-render.h"
#include "dp-webui-server.h"

/* RFC 7914 §11: PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1), first 32
 * of its 64 bytes. */
static void
test_pbkdf2_vector (void)
{
  static const guint8 expected[32] = {
    0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f, 0xec, 0x16, 0x91, 0xc2, 0x25, 0x44, 0xb6, 0x05,
    0xf9, 0x41, 0x85, 0x21, 0x6d, 0xde, 0x04, 0x65, 0xe6, 0x8b, 0x9d, 0x57, 0xc2, 0x0d, 0xac, 0xbc,
  };
  guint8 out[32];
  g_autoptr(GError) error = NULL;

  g_assert_true (dp_webui_pbkdf2_sha256 ("passwd", (const guint8 *) "salt", 4, 1, out, sizeof out, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (out, sizeof out, expected, sizeof expected);
}

static void
test_hash_roundtrip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = dp_webui_hash_password ("correct horse", 2000, &error);
  g_autofree char *b = dp_webui_hash_password ("correct horse", 2000, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (a, "$pbkdf2-sha256$2000$"));
  g_assert_null (strstr (a, "correct"));
  /* Salted: the same password never gives the same hash. */
  g_assert_cmpstr (a, !=, b);
  g_assert_true (dp_webui_is_password_hash (a));
  g_assert_true (dp_webui_verify_password (a, "correct horse"));
  g_assert_true (dp_webui_verify_password (b, "correct horse"));
  g_assert_false (dp_webui_verify_password (a, "correct hors"));
  g_assert_false (dp_webui_verify_password (a, ""));
}

static void
test_hash_malformed (void)
{
  static const char *bad[] = {
    "$pbkdf2-sha256$", "$pbkdf2-sha256$2000$", "$pbkdf2-sha256$2000$c2FsdHNhbHQ=$",
    "$pbkdf2-sha256$10$c2FsdHNhbHQ=$/8K5ThhkvcTBaQpMdsUp5zX6Oe8SSn3EYgcJeO6JdeI=",
    "$pbkdf2-sha256$x$c2FsdHNhbHQ=$/8K5ThhkvcTBaQpMdsUp5zX6Oe8SSn3EYgcJeO6JdeI=",
    "$pbkdf2-sha256$2000$c2FsdHNhbHQ=$c2hvcnQ=",
    "$pbkdf2-sha256$2000$c2Fs!HNhbHQ=$/8K5ThhkvcTBaQpMdsUp5zX6Oe8SSn3EYgcJeO6JdeI=",
    "$pbkdf2-sha256$2000$c2FsdHNhbHQ=$/8K5ThhkvcTBaQpMdsUp5zX6Oe8SSn3EYgcJeO6JdeI=$extra",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (dp_webui_is_password_hash (bad[i]));
      /* A malformed hash verifies nothing, not even its own text. */
      g_assert_false (dp_webui_verify_password (bad[i], bad[i]));
      g_assert_false (dp_webui_verify_password (bad[i], ""));
    }
  /* Empty stored value: the account is closed. */
  g_assert_false (dp_webui_verify_password ("", ""));
  /* A plain SPA value not yet rehashed still verifies. */
  g_assert_true (dp_webui_verify_password ("plain", "plain"));
  g_assert_false (dp_webui_verify_password ("plain", "plai"));
}

static void
test_const_equal (void)
{
  g_assert_true (dp_webui_const_equal ("abc", "abc"));
  g_assert_false (dp_webui_const_equal ("abc", "abd"));
  g_assert_false (dp_webui_const_equal ("abc", "abcd"));
  g_assert_false (dp_webui_const_equal ("", "a"));
  g_assert_true (dp_webui_const_equal ("", ""));
  g_assert_false (dp_webui_const_equal (NULL, "a"));
}

static void
test_sessions (void)
{
  g_autoptr(DpWebuiSessions) sessions = dp_webui_sessions_new ();
  const DpWebuiSession *s = dp_webui_sessions_create (sessions, DP_WEBUI_ROLE_ADMIN, 1000);
  g_autofree char *id = g_strdup (s->id);

  g_assert_cmpuint (strlen (s->id), ==, 64);
  g_assert_cmpuint (strlen (s->csrf), ==, 64);
  g_assert_cmpstr (s->id, !=, s->csrf);
  g_assert_true (dp_webui_sessions_lookup (sessions, id, 1000 + DP_WEBUI_SESSION_IDLE_US - 1) == s);
  /* The lookup renewed it. */
  g_assert_true (dp_webui_sessions_lookup (sessions, id, 1000 + 2 * DP_WEBUI_SESSION_IDLE_US - 2) == s);
  g_assert_null (dp_webui_sessions_lookup (sessions, id, 1000 + 4 * DP_WEBUI_SESSION_IDLE_US));
  g_assert_cmpuint (dp_webui_sessions_count (sessions), ==, 0);
  g_assert_null (dp_webui_sessions_lookup (sessions, "", 0));
  g_assert_null (dp_webui_sessions_lookup (sessions, NULL, 0));

  for (guint i = 0; i < DP_WEBUI_MAX_SESSIONS + 10; i++)
    dp_webui_sessions_create (sessions, DP_WEBUI_ROLE_USER, 2000 + i);
  g_assert_cmpuint (dp_webui_sessions_count (sessions), ==, DP_WEBUI_MAX_SESSIONS);
}

static void
test_backoff (void)
{
  g_autoptr(DpWebuiBackoff) backoff = dp_webui_backoff_new ();
  gint64 t = 5 * G_USEC_PER_SEC;

  for (guint i = 0; i < DP_WEBUI_FREE_FAILURES; i++)
    {
      g_assert_cmpuint (dp_webui_backoff_locked_for_s (backoff, "10.0.0.1", t), ==, 0);
      dp_webui_backoff_failure (backoff, "10.0.0.1", t);
    }
  g_assert_cmpuint (dp_webui_backoff_locked_for_s (backoff, "10.0.0.1", t), ==, 0);
  dp_webui_backoff_failure (backoff, "10.0.0.1", t);
  g_assert_cmpuint (dp_webui_backoff_locked_for_s (backoff, "10.0.0.1", t), ==, 1);
  g_assert_cmpuint (dp_webui_backoff_locked_for_s (backoff, "10.0.0.2", t), ==, 0);
  t += G_USEC_PER_SEC;
  g_assert_cmpuint (dp_webui_backoff_locked_for_s (backoff, "10.0.0.1", t), ==, 0);
  dp_webui_backoff_failure (backoff, "10.0.0.1", t);
  g_assert_cmpuint (dp_webui_backoff_locked_for_s (backoff, "10.0.0.1", t), ==, 2);
  for (guint i = 0; i < 20; i++)
    dp_webui_backoff_failure (backoff, "10.0.0.1", t);
  g_assert_cmpuint (dp_webui_backoff_locked_for_s (backoff, "10.0.0.1", t), ==, DP_WEBUI_MAX_LOCK_S);
  dp_webui_backoff_success (backoff, "10.0.0.1");
  g_assert_cmpuint (dp_webui_backoff_locked_for_s (backoff, "10.0.0.1", t), ==, 0);
}

static void
test_restricted (void)
{
  g_assert_true (dp_webui_client_allowed ("", "192.0.2.7", "phone"));
  g_assert_true (dp_webui_client_allowed (" , ", "192.0.2.7", "phone"));
  g_assert_true (dp_webui_client_allowed ("10.0.0.0/8, 192.0.2.7", "192.0.2.7", "x"));
  g_assert_true (dp_webui_client_allowed ("10.0.0.0/8", "10.1.2.3", "x"));
  g_assert_false (dp_webui_client_allowed ("10.0.0.0/8", "11.1.2.3", "x"));
  g_assert_false (dp_webui_client_allowed ("10.0.0.0/8;192.0.2.8", "192.0.2.7", "x"));
  g_assert_true (dp_webui_client_allowed ("fd00::/8", "fd12::1", "[fd12::2]:80"));
  g_assert_true (dp_webui_client_allowed ("example.com", "192.0.2.7", "phone.example.com:8080"));
  g_assert_true (dp_webui_client_allowed ("example.com", "192.0.2.7", "EXAMPLE.com"));
  g_assert_false (dp_webui_client_allowed ("example.com", "192.0.2.7", "badexample.com"));
  g_assert_false (dp_webui_client_allowed ("example.com", "192.0.2.7", "example.com.evil.net"));
  g_assert_false (dp_webui_client_allowed ("example.com", "192.0.2.7", NULL));
  g_assert_false (dp_webui_client_allowed ("not-a-mask/99", "192.0.2.7", "x"));
}

static const DpParamDecl form_decls[] = {
  { .name = "T_Text", .type = DP_PARAM_STRING, .default_value = "a", .group = "SIP/General", .user_access = DP_ACCESS_RW },
  { .name = "T_Int", .type = DP_PARAM_INT, .default_value = "5", .group = "SIP/General", .min = 1, .max = 10, .user_access = DP_ACCESS_RW },
  { .name = "T_Bool", .type = DP_PARAM_BOOL, .default_value = "1", .group = "SIP/General", .user_access = DP_ACCESS_RO },
  { .name = "T_Enum", .type = DP_PARAM_ENUM, .default_value = "x", .group = "Regional/General", .choices = "x|y", .user_access = DP_ACCESS_NA },
  { .name = "T_Secret", .type = DP_PARAM_STRING, .default_value = "s3cr&t", .group = "Ext_1/Sub", .flags = DP_PARAM_FLAG_SECRET },
  { .name = "T_Status", .type = DP_PARAM_STRING, .default_value = "up", .group = "Info/Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "T_Admin", .type = DP_PARAM_STRING, .default_value = "é<", .group = "System/General", .flags = DP_PARAM_FLAG_ADMIN_ONLY, .user_access = DP_ACCESS_RW },
};

static DpConfig *
form_config (void)
{
  DpConfig *config = dp_config_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (dp_config_register (config, "test", form_decls, G_N_ELEMENTS (form_decls), &error));
  g_assert_no_error (error);
  return config;
}

static GHashTable *
form_new (const char *first, ...)
{
  GHashTable *form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    g_hash_table_insert (form, g_strdup (name), g_strdup (va_arg (args, const char *)));
  va_end (args);
  return form;
}

static GHashTable *
errors_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
test_form_all_or_nothing (void)
{
  g_autoptr(DpConfig) config = form_config ();
  g_autoptr(GHashTable) form = form_new ("csrf", "t", "T_Text", "new", "T_Int", "11",
                                         "T_Enum", "z", "T_Bool", "Yes", NULL);
  g_autoptr(GHashTable) errors = errors_new ();
  guint applied = 99;

  g_assert_false (dp_webui_form_apply (config, form, DP_WEBUI_ROLE_ADMIN, errors, &applied));
  /* Both bad fields are reported, each under its own name. */
  g_assert_cmpuint (g_hash_table_size (errors), ==, 2);
  g_assert_nonnull (strstr (g_hash_table_lookup (errors, "T_Int"), "T_Int"));
  g_assert_nonnull (g_hash_table_lookup (errors, "T_Enum"));
  g_assert_cmpstr (dp_config_get (config, "T_Text"), ==, "a");

  g_hash_table_insert (form, g_strdup ("T_Int"), g_strdup ("7"));
  g_hash_table_insert (form, g_strdup ("T_Enum"), g_strdup ("Y"));
  g_hash_table_remove_all (errors);
  g_assert_true (dp_webui_form_apply (config, form, DP_WEBUI_ROLE_ADMIN, errors, &applied));
  /* T_Bool "Yes" means the same as its "1": not an assignment. */
  g_assert_cmpuint (applied, ==, 3);
  g_assert_cmpstr (dp_config_get (config, "T_Text"), ==, "new");
  g_assert_cmpstr (dp_config_get (config, "T_Int"), ==, "7");
  g_assert_cmpstr (dp_config_get (config, "T_Bool"), ==, "1");
}

static void
test_form_user_rights (void)
{
  g_autoptr(DpConfig) config = form_config ();
  const char *refused[][2] = {
    { "T_Bool", "No" },      /* ro */
    { "T_Enum", "y" },       /* na */
    { "T_Secret", "x" },     /* secret, na */
    { "T_Status", "down" },  /* status value */
    { "T_Admin", "x" },      /* admin only, even though rw */
    { "No_Such_Param", "x" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GHashTable) form = form_new ("T_Text", "changed", refused[i][0], refused[i][1], NULL);
      g_autoptr(GHashTable) errors = errors_new ();

      g_assert_false (dp_webui_form_apply (config, form, DP_WEBUI_ROLE_USER, errors, NULL));
      g_assert_cmpuint (g_hash_table_size (errors), ==, 1);
      g_assert_cmpstr (dp_config_get (config, "T_Text"), ==, "a");
    }
  {
    g_autoptr(GHashTable) form = form_new ("T_Text", "mine", "T_Int", "2", NULL);
    g_autoptr(GHashTable) errors = errors_new ();

    g_assert_true (dp_webui_form_apply (config, form, DP_WEBUI_ROLE_USER, errors, NULL));
    g_assert_cmpstr (dp_config_get (config, "T_Text"), ==, "mine");
  }
}

static void
test_form_secret (void)
{
  g_autoptr(DpConfig) config = form_config ();
  g_autoptr(GHashTable) form = form_new ("T_Secret", "", NULL);
  g_autoptr(GHashTable) errors = errors_new ();
  guint applied = 99;

  g_assert_true (dp_webui_form_apply (config, form, DP_WEBUI_ROLE_ADMIN, errors, &applied));
  g_assert_cmpuint (applied, ==, 0);
  g_assert_cmpstr (dp_config_get (config, "T_Secret"), ==, "s3cr&t");
  g_hash_table_insert (form, g_strdup ("T_Secret"), g_strdup ("other"));
  g_assert_true (dp_webui_form_apply (config, form, DP_WEBUI_ROLE_ADMIN, errors, &applied));
  g_assert_cmpstr (dp_config_get (config, "T_Secret"), ==, "other");
}

static void
test_error_field (void)
{
  g_autoptr(DpConfig) config = form_config ();
  g_autofree char *a = dp_webui_error_field (config, "T_Int: value \"x\" is invalid: y");
  g_autofree char *b = dp_webui_error_field (config, "unknown parameter T_Text");
  g_autofree char *c = dp_webui_error_field (config, "state file: disk full");

  g_assert_cmpstr (a, ==, "T_Int");
  g_assert_cmpstr (b, ==, "T_Text");
  g_assert_cmpstr (c, ==, DP_WEBUI_GENERAL_ERROR);
}

static void
test_export (void)
{
  g_autoptr(DpConfig) config = form_config ();
  g_autofree char *xml = dp_webui_export_profile (config);
  g_autoptr(GError) error = NULL;
  g_autoptr(DpProfile) profile = NULL;
  const DpAssignment *secret;

  g_assert_nonnull (strstr (xml, "<T_Int group=\"SIP/General\" ua=\"rw\">5</T_Int>"));
  g_assert_nonnull (strstr (xml, "<T_Secret group=\"Ext_1/Sub\" ua=\"na\"/>"));
  g_assert_null (strstr (xml, "s3cr"));
  g_assert_nonnull (strstr (xml, "<T_Admin group=\"System/General\" ua=\"rw\">&#233;&lt;</T_Admin>"));

  /* The export parses back, and re-importing it leaves the secret alone. */
  profile = dp_profile_parse_xml (xml, strlen (xml), &error);
  g_assert_no_error (error);
  secret = dp_profile_lookup (profile, "T_Secret");
  g_assert_nonnull (secret);
  g_assert_cmpint (secret->op, ==, DP_VALUE_KEEP);
  g_assert_true (dp_config_apply (config, profile, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dp_config_get (config, "T_Secret"), ==, "s3cr&t");
  g_assert_cmpstr (dp_config_get (config, "T_Int"), ==, "5");
}

static void
test_page_visibility (void)
{
  g_autoptr(DpConfig) config = form_config ();
  g_autoptr(DpCore) core = NULL;

  g_assert_true (dp_webui_param_visible (config, dp_config_lookup (config, "T_Secret"), DP_WEBUI_ROLE_ADMIN));
  g_assert_false (dp_webui_param_visible (config, dp_config_lookup (config, "T_Secret"), DP_WEBUI_ROLE_USER));
  g_assert_false (dp_webui_param_visible (config, dp_config_lookup (config, "T_Enum"), DP_WEBUI_ROLE_USER));
  g_assert_true (dp_webui_param_visible (config, dp_config_lookup (config, "T_Bool"), DP_WEBUI_ROLE_USER));
  g_assert_false (dp_webui_param_editable (config, dp_config_lookup (config, "T_Bool"), DP_WEBUI_ROLE_USER));
  g_assert_true (dp_webui_param_editable (config, dp_config_lookup (config, "T_Bool"), DP_WEBUI_ROLE_ADMIN));
  g_assert_false (dp_webui_param_editable (config, dp_config_lookup (config, "T_Status"), DP_WEBUI_ROLE_ADMIN));
}

static void
test_chart (void)
{
  DpWebuiSample samples[] = { { 0, 1.5, 0 }, { 1, 4.0, 2 }, { 2, 2.0, 3 } };
  g_autofree char *svg = dp_webui_chart_svg (samples, G_N_ELEMENTS (samples), DP_WEBUI_LANG_EN);

  g_assert_nonnull (strstr (svg, "<svg"));
  g_assert_nonnull (strstr (svg, "polyline class=\"jitter\" points=\"30.0,85.0 240.0,10.0 450.0,70.0"));
  g_assert_nonnull (strstr (svg, "jitter max 4.0 ms"));
  g_assert_null (strstr (svg, "<script"));
}

static void
test_lang (void)
{
  g_assert_cmpint (dp_webui_lang_from_selection (""), ==, DP_WEBUI_LANG_EN);
  g_assert_cmpint (dp_webui_lang_from_selection ("English-US"), ==, DP_WEBUI_LANG_EN);
  g_assert_cmpint (dp_webui_lang_from_selection ("french"), ==, DP_WEBUI_LANG_FR);
  g_assert_cmpint (dp_webui_lang_from_selection ("German"), ==, DP_WEBUI_LANG_DE);
  g_assert_cmpint (dp_webui_lang_from_selection ("Klingon"), ==, DP_WEBUI_LANG_EN);
  /* Translations follow the process language (gettext), switched by the
   * l10n plugin: tests/l10n checks them. */
  g_assert_cmpstr (dp_webui_tr (DP_WEBUI_LANG_DE, "no such text"), ==, "no such text");
}

static void
test_form_decode (void)
{
  static const char ok[] = "csrf=abc&Speed_Dial_2=555+1234&Name=Zo%C3%AB";
  static const char bad_value[] = "csrf=abc&Speed_Dial_2=555%FF%FE1";
  static const char bad_name[] = "na%E9me=1";
  static const char overlong[] = "x=%C0%AF";
  static const char with_nul[] = "a=1\0b=2";
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GError) error = NULL;

  form = dp_webui_form_decode (ok, strlen (ok), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (form, "Speed_Dial_2"), ==, "555 1234");
  g_assert_cmpstr (g_hash_table_lookup (form, "Name"), ==, "Zo\xc3\xab");
  g_clear_pointer (&form, g_hash_table_unref);

  form = dp_webui_form_decode (bad_value, strlen (bad_value), &error);
  g_assert_null (form);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "form field Speed_Dial_2: the value is not valid UTF-8 (byte 3)");
  g_clear_error (&error);

  form = dp_webui_form_decode (bad_name, strlen (bad_name), &error);
  g_assert_null (form);
  g_assert_cmpstr (error->message, ==, "form field name \"na\\351me\" is not valid UTF-8 (byte 2)");
  g_clear_error (&error);

  /* An overlong encoding of '/' is not UTF-8 either. */
  form = dp_webui_form_decode (overlong, strlen (overlong), &error);
  g_assert_null (form);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  form = dp_webui_form_decode (with_nul, sizeof with_nul - 1, &error);
  g_assert_null (form);
  g_assert_cmpstr (error->message, ==, "form data: NUL byte at offset 3");
  g_clear_error (&error);

  form = dp_webui_form_decode ("", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (form), ==, 0);
}

static void
test_body_limit (void)
{
  g_assert_cmpint (dp_webui_body_limit ("POST", "/admin/import"), ==, 16 * 1024 * 1024);
  g_assert_cmpint (dp_webui_body_limit ("POST", "/admin/submit"), ==, 64 * 1024);
  g_assert_cmpint (dp_webui_body_limit ("POST", "/login"), ==, 64 * 1024);
  /* Only the import's POST gets the large limit. */
  g_assert_cmpint (dp_webui_body_limit ("GET", "/admin/import"), ==, 64 * 1024);
  g_assert_cmpint (dp_webui_body_limit ("POST", "/admin/import/"), ==, 64 * 1024);
  g_assert_cmpint (dp_webui_body_limit (NULL, NULL), ==, 64 * 1024);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/webui/pbkdf2-vector", test_pbkdf2_vector);
  g_test_add_func ("/webui/hash-roundtrip", test_hash_roundtrip);
  g_test_add_func ("/webui/hash-malformed", test_hash_malformed);
  g_test_add_func ("/webui/const-equal", test_const_equal);
  g_test_add_func ("/webui/sessions", test_sessions);
  g_test_add_func ("/webui/backoff", test_backoff);
  g_test_add_func ("/webui/restricted-access-domains", test_restricted);
  g_test_add_func ("/webui/form-all-or-nothing", test_form_all_or_nothing);
  g_test_add_func ("/webui/form-user-rights", test_form_user_rights);
  g_test_add_func ("/webui/form-secret", test_form_secret);
  g_test_add_func ("/webui/error-field", test_error_field);
  g_test_add_func ("/webui/export", test_export);
  g_test_add_func ("/webui/visibility", test_page_visibility);
  g_test_add_func ("/webui/chart", test_chart);
  g_test_add_func ("/webui/lang", test_lang);
  g_test_add_func ("/webui/form-decode", test_form_decode);
  g_test_add_func ("/webui/body-limit", test_body_limit);
  return g_test_run ();
}
