/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Unit tests of the provisioning engine's pure parts (delay lists, device
 * facts, alias maps, the fetched-profile pipeline, image versions) and of
 * the resync scheduler in process: a real DpCore, DpCalls and a libsoup
 * server on 127.0.0.1, in accelerated time. */
#include <deskphone.h>
#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dp-prov-alias.h"
#include "dp-prov-clock.h"
#include "dp-delay-list.h"
#include "dp-prov-device.h"
#include "dp-prov-env.h"
#include "dp-prov-report.h"
#include "dp-prov-resync.h"
#include "dp-prov-upgrade.h"

/* ---- delay lists ------------------------------------------------------ */

static void
test_delay_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) list = dp_delay_list_parse (" 1800+300, 3600 +600,7200+ 900 ", &error);
  g_autoptr(GArray) plain = dp_delay_list_parse ("3600", &error);
  g_autoptr(GArray) empty = dp_delay_list_parse ("", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpuint (g_array_index (list, DpDelay, 0).base, ==, 1800);
  g_assert_cmpuint (g_array_index (list, DpDelay, 0).random, ==, 300);
  g_assert_cmpuint (g_array_index (list, DpDelay, 1).base, ==, 3600);
  g_assert_cmpuint (g_array_index (list, DpDelay, 1).random, ==, 600);
  g_assert_cmpuint (g_array_index (list, DpDelay, 2).random, ==, 900);
  g_assert_cmpuint (plain->len, ==, 1);
  g_assert_cmpuint (g_array_index (plain, DpDelay, 0).base, ==, 3600);
  g_assert_cmpuint (g_array_index (plain, DpDelay, 0).random, ==, 0);
  g_assert_cmpuint (empty->len, ==, 1);
  g_assert_cmpuint (g_array_index (empty, DpDelay, 0).base, ==, 0);
}

static void
test_delay_errors (void)
{
  static const struct { const char *text; const char *message; } cases[] = {
    { "hourly", "position 1: expected the delay" },
    { "3600,", "position 6: expected the delay in seconds, found the end" },
    { "3600+", "position 6: expected the random extra delay" },
    { "1800+300 3600", "position 10: unexpected '3'" },
    { "1,2;3", "position 4: unexpected ';'" },
    { "2147483648", "position 1: delay is larger than 2147483647" },
    { "-5", "position 1: expected the delay" },
    { "10+99999999999", "position 4: random extra delay is larger" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (dp_delay_list_check (cases[i].text, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("'%s': got '%s', expected '%s'", cases[i].text, error->message, cases[i].message);
    }
  g_assert_true (dp_delay_list_check ("2147483647+2147483647", NULL));
}

static void
test_delay_pick (void)
{
  g_autoptr(GArray) list = dp_delay_list_parse ("30,60+10,120", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gboolean saw_extra = FALSE;

  g_assert_cmpfloat (dp_delay_list_pick (list, 0, rand), ==, 30);
  for (int i = 0; i < 200; i++)
    {
      double d = dp_delay_list_pick (list, 1, rand);

      g_assert_cmpfloat (d, >=, 60);
      g_assert_cmpfloat (d, <=, 70);
      saw_extra |= d > 61;
    }
  g_assert_true (saw_extra);
  g_assert_cmpfloat (dp_delay_list_pick (list, 2, rand), ==, 120);
  g_assert_cmpfloat (dp_delay_list_pick (list, 50, rand), ==, 120);   /* last repeats */
}

/* ---- device facts ----------------------------------------------------- */

static char *
make_sysfs (void)
{
  g_autoptr(GError) error = NULL;
  char *root = g_dir_make_tmp ("dp-sysfs-XXXXXX", &error);
  static const char *const ifaces[][2] = {
    { "lo", "00:00:00:00:00:00" }, { "dummy0", "00:00:00:00:00:00" },
    { "wlan0", "00:0e:08:11:22:33" }, { "eth0", "00:0E:08:AA:BB:CC" },
  };

  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (ifaces); i++)
    {
      g_autofree char *dir = g_build_filename (root, ifaces[i][0], NULL);
      g_autofree char *file = g_build_filename (dir, "address", NULL);
      g_autofree char *text = g_strdup_printf ("%s\n", ifaces[i][1]);

      g_mkdir_with_parents (dir, 0755);
      g_file_set_contents (file, text, -1, &error);
      g_assert_no_error (error);
    }
  return root;
}

static void
test_device_sysfs_defaults (void)
{
  g_autofree char *root = make_sysfs ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DpProvDevice) device = dp_prov_device_new_from_keyfile (NULL, root, "0.1.0", &error);
  g_autofree char *ua = NULL;
  g_autofree char *model = NULL;

  g_assert_no_error (error);
  /* sorted by name: dummy0 (zero address, skipped), eth0 */
  g_assert_cmpstr (dp_prov_device_get_mac (device), ==, "000e08aabbcc");
  g_assert_cmpstr (dp_prov_device_get_interface (device), ==, "eth0");
  g_assert_cmpstr (dp_prov_device_get_serial (device), ==, "000E08AABBCC");
  g_assert_cmpstr (dp_prov_device_get_product (device), ==, "SPA962");
  g_assert_cmpstr (dp_prov_device_get_series (device), ==, "962");
  g_assert_cmpstr (dp_prov_device_get_hw_version (device), ==, "1.0.0");
  model = dp_prov_device_get_model (device);
  g_assert_cmpstr (model, ==, "SPA-962");
  ua = dp_prov_device_build_user_agent (device);
  g_assert_cmpstr (ua, ==, "Deskphone/SPA-962-0.1.0 (000E08AABBCC)");
}

static void
test_device_ini (void)
{
  g_autofree char *root = make_sysfs ();
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GKeyFile) bad = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DpProvDevice) device = NULL;
  g_autoptr(DpProvDevice) none = NULL;

  g_assert_true (g_key_file_load_from_data (keyfile,
    "[Device]\nMac=00-0e-08-12-34-56\nSerial=88012BA01234\nProduct=SPA942\n"
    "ProductSeries=942\nHardwareVersion=1.88.1\n", -1, G_KEY_FILE_NONE, NULL));
  device = dp_prov_device_new_from_keyfile (keyfile, root, "0.1.0", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dp_prov_device_get_mac (device), ==, "000e08123456");
  g_assert_null (dp_prov_device_get_interface (device));
  g_assert_cmpstr (dp_prov_device_get_serial (device), ==, "88012BA01234");
  g_assert_cmpstr (dp_prov_device_get_series (device), ==, "942");
  g_assert_cmpstr (dp_prov_device_get_hw_version (device), ==, "1.88.1");

  g_assert_true (g_key_file_load_from_data (bad, "[Device]\nMac=00:0e:08:zz:00:00\n", -1,
                                            G_KEY_FILE_NONE, NULL));
  none = dp_prov_device_new_from_keyfile (bad, root, "0.1.0", &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "Mac=00:0e:08:zz:00:00"));
}

/* ---- alias maps and the decode pipeline ------------------------------- */

static const char foreign[] =
  "<?xml version=\"1.0\"?>\n<CPE>\n  <SIP-Credentials>\n    <name>  Bob\n Smith </name>\n"
  "    <number>2001</number>\n    <auth-secret>s3cret</auth-secret>\n  </SIP-Credentials>\n"
  "  <other><auth-secret>second</auth-secret></other>\n</CPE>\n";

static void
test_alias_map (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) map = dp_prov_alias_map_parse (
    " /CPE/SIP-Credentials/name = /flat-profile/Display_Name_1_ ;"
    "/CPE/SIP-Credentials/number=/flat-profile/User_ID_1_;"
    " /SIP-Credentials/auth-secret = /flat-profile/Password_1_ ; ", &error);
  g_autoptr(DpProfile) profile = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (map->len, ==, 3);
  profile = dp_prov_alias_apply (map, foreign, strlen (foreign), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dp_profile_get_n_assignments (profile), ==, 3);
  g_assert_cmpstr (dp_profile_lookup (profile, "Display_Name_1_")->value, ==, "Bob  Smith");
  g_assert_cmpstr (dp_profile_lookup (profile, "User_ID_1_")->value, ==, "2001");
  /* the suffix names SIP-Credentials, so /CPE/other/auth-secret does not match */
  g_assert_cmpstr (dp_profile_lookup (profile, "Password_1_")->value, ==, "s3cret");
}

static void
test_alias_errors (void)
{
  static const struct { const char *map; const char *message; } cases[] = {
    { "CPE/name = /flat-profile/A", "position 1: expected a path" },
    { "/CPE/name /flat-profile/A", "position 11: expected '='" },
    { "/CPE/name = /other/A", "position 13: the target must be /flat-profile/Param_Name" },
    { "/CPE/name = /flat-profile/A/B", "position 13: the target" },
    { "/CPE//name = /flat-profile/A", "position 6: expected an element name" },
    { "/a = /flat-profile/A x", "position 22: expected ';'" },
  };
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) map = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(GPtrArray) m = dp_prov_alias_map_parse (cases[i].map, &e);

      g_assert_null (m);
      if (e == NULL || strstr (e->message, cases[i].message) == NULL)
        g_error ("'%s': got '%s', expected '%s'", cases[i].map, e ? e->message : "no error",
                 cases[i].message);
    }
  for (int i = 0; i < 31; i++)
    g_string_append_printf (many, "/x%d = /flat-profile/GPP_A;", i);
  map = dp_prov_alias_map_parse (many->str, &error);
  g_assert_null (map);
  g_assert_nonnull (strstr (error->message, "more than 30 entries"));
}

static void
test_decode_pipeline (void)
{
  const char *flat = "<flat-profile><GPP_A>plain</GPP_A></flat-profile>";
  g_autoptr(GBytes) plain = g_bytes_new_static (flat, strlen (flat));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sealed = dp_profile_encrypt (plain, "k3y", &error);
  g_autoptr(GBytes) foreign_bytes = g_bytes_new_static (foreign, strlen (foreign));
  g_autoptr(GBytes) foreign_sealed = dp_profile_encrypt (foreign_bytes, "k3y", &error);
  g_autoptr(DpProfile) p1 = NULL;
  g_autoptr(DpProfile) p2 = NULL;
  g_autoptr(DpProfile) p3 = NULL;
  g_autoptr(DpProfile) p4 = NULL;

  g_assert_no_error (error);
  p1 = dp_prov_profile_decode (sealed, "k3y", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dp_profile_lookup (p1, "GPP_A")->value, ==, "plain");
  p2 = dp_prov_profile_decode (sealed, "wrong", NULL, &error);
  g_assert_null (p2);
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_DECRYPT);
  g_clear_error (&error);
  p3 = dp_prov_profile_decode (foreign_sealed, "k3y", "/number = /flat-profile/User_ID_2_;", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dp_profile_lookup (p3, "User_ID_2_")->value, ==, "2001");
  p4 = dp_prov_profile_decode (foreign_sealed, NULL, "/number = /flat-profile/User_ID_2_;", &error);
  g_assert_null (p4);
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_NEEDS_KEY);
}

static void
test_alias_rejects_doctype (void)
{
  const char *doc = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x><n>&e;</n></x>";
  g_autoptr(GPtrArray) map = dp_prov_alias_map_parse ("/n = /flat-profile/GPP_A", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DpProfile) profile = dp_prov_alias_apply (map, doc, strlen (doc), &error);

  g_assert_null (profile);
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
}

static void
test_image_version (void)
{
  static const char *const cases[][2] = {
    { "/fw/deskphone-1.2.3.img", "1.2.3" },
    { "/sw/spa962-5.1.15(aSC).bin", "5.1.15(aSC)" },
    { "/fw_2.0.6.bin?x=1.2.3", "2.0.6" },
    { "/Linksys/spa021025.bin", NULL },
    { "/fw/1.4.img", "1.4" },
    { "/v1.2/image.bin", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *version = dp_prov_upgrade_version_from_path (cases[i][0]);

      g_assert_cmpstr (version, ==, cases[i][1]);
    }
}

static void
test_report_document (void)
{
  g_autoptr(DpConfig) config = dp_config_new ();
  static const DpParamDecl decls[] = {
    { .name = "GPP_A", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/GPP" },
    { .name = "Password_1_", .type = DP_PARAM_STRING, .default_value = "", .group = "Ext_1/Auth",
      .flags = DP_PARAM_FLAG_SECRET },
  };
  g_autofree char *open_doc = NULL;
  g_autofree char *sealed_doc = NULL;
  g_autoptr(DpProfile) parsed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (dp_config_register (config, "test", decls, G_N_ELEMENTS (decls), NULL));
  g_assert_true (dp_config_set (config, "GPP_A", "a<b", NULL));
  g_assert_true (dp_config_set (config, "Password_1_", "pw", NULL));
  open_doc = dp_prov_report_build (config, FALSE);
  sealed_doc = dp_prov_report_build (config, TRUE);
  g_assert_nonnull (strstr (open_doc, "<GPP_A ua=\"na\" group=\"Provisioning/GPP\">a&lt;b</GPP_A>"));
  g_assert_nonnull (strstr (open_doc, "<Password_1_ ua=\"na\" group=\"Ext_1/Auth\"></Password_1_>"));
  g_assert_nonnull (strstr (sealed_doc, ">pw</Password_1_>"));
  parsed = dp_profile_parse_xml (sealed_doc, strlen (sealed_doc), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dp_profile_lookup (parsed, "GPP_A")->value, ==, "a<b");
}

/* ---- the scheduler in process ----------------------------------------- */

typedef struct {
  DpCore *core;
  DpProvEnv *env;
  DpProvResync *resync;
  SoupServer *server;
  guint port;
  guint hits;
  char *state_dir;
} Fixture;

static void
serve (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
       gpointer data)
{
  Fixture *f = data;
  static const char body[] = "<flat-profile><GPP_P>served</GPP_P></flat-profile>";

  f->hits++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GSList) uris = NULL;
  g_autofree char *rule = NULL;
  DpConfig *config;
  DpProvDevice *device;

  f->state_dir = g_dir_make_tmp ("dp-prov-engine-XXXXXX", &error);
  g_assert_no_error (error);
  f->core = dp_core_new (f->state_dir);
  config = dp_core_get_config (f->core);
  dp_config_register_syntax (config, "delaylist", dp_delay_list_check);

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, "/", serve, f, NULL);
  g_assert_true (soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  rule = g_strdup_printf ("http://127.0.0.1:%u/p.xml", f->port);
  g_assert_true (dp_config_set (config, "Profile_Rule", rule, &error));
  g_assert_true (dp_config_set (config, "Resync_Random_Delay", "0", &error));
  g_assert_true (dp_config_set (config, "Forced_Resync_Delay", "200", &error));
  g_assert_no_error (error);

  g_assert_true (g_key_file_load_from_data (keyfile, "[Device]\nMac=000e08aabbcc\n", -1, 0, NULL));
  device = dp_prov_device_new_from_keyfile (keyfile, "/nonexistent", "0.1.0", &error);
  g_assert_no_error (error);
  f->env = dp_prov_env_new (f->core, device);
  f->resync = dp_prov_resync_new (f->env);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_object_run_dispose (G_OBJECT (f->resync));
  g_clear_object (&f->resync);
  g_clear_pointer (&f->env, dp_prov_env_free);
  g_clear_object (&f->server);
  g_clear_object (&f->core);
  /* the state dir only holds the saved configuration */
  {
    g_autofree char *state = g_build_filename (f->state_dir, "config.xml", NULL);
    g_autoptr(GDir) dir = g_dir_open (f->state_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (f->state_dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (f->state_dir);
  }
  g_free (f->state_dir);
}

static gboolean
on_deadline (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the default main context for @ms real milliseconds. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_deadline, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static const char *
state_of (Fixture *f)
{
  static char state[64];
  g_autoptr(JsonNode) node = dp_prov_resync_to_json (f->resync);

  g_strlcpy (state, json_object_get_string_member (json_node_get_object (node), "state"), sizeof state);
  return state;
}

/* Forced_Resync_Delay: a due resync waits for the calls to end, then for
 * the idle countdown, restarted by a new call. 1 phone s = 1 ms. */
static void
test_forced_resync_delay (Fixture *f, gconstpointer data)
{
  g_autoptr(DpCall) call = g_object_new (DP_TYPE_CALL, "id", "c1", "line", 1, NULL);
  g_autoptr(DpCall) call2 = g_object_new (DP_TYPE_CALL, "id", "c2", "line", 1, NULL);
  DpConfig *config = dp_core_get_config (f->core);

  dp_call_set_state (call, DP_CALL_STATE_ACTIVE, NULL);
  dp_core_add_call (f->core, call);
  dp_prov_resync_start (f->resync);           /* power-up, delay 0 */
  run_for (100);
  g_assert_cmpstr (state_of (f), ==, "waiting-for-idle");
  g_assert_cmpuint (f->hits, ==, 0);

  dp_call_set_state (call, DP_CALL_STATE_ENDED, "done");
  run_for (100);                               /* countdown of 200 phone s */
  g_assert_cmpuint (f->hits, ==, 0);
  dp_call_set_state (call2, DP_CALL_STATE_RINGING, NULL);
  dp_core_add_call (f->core, call2);           /* a new call stops it */
  run_for (250);
  g_assert_cmpuint (f->hits, ==, 0);
  dp_call_set_state (call2, DP_CALL_STATE_ENDED, "done");
  run_for (120);                               /* restarted: not yet */
  g_assert_cmpuint (f->hits, ==, 0);
  run_for (300);
  g_assert_cmpuint (f->hits, ==, 1);
  g_assert_cmpstr (dp_config_get (config, "GPP_P"), ==, "served");
  g_assert_cmpstr (state_of (f), ==, "scheduled");    /* periodic */
}

/* An explicit request waits for the calls only, not for the countdown. */
static void
test_explicit_waits_for_idle_only (Fixture *f, gconstpointer data)
{
  g_autoptr(DpCall) call = g_object_new (DP_TYPE_CALL, "id", "c1", "line", 1, NULL);

  dp_call_set_state (call, DP_CALL_STATE_ACTIVE, NULL);
  dp_core_add_call (f->core, call);
  g_assert_true (dp_prov_resync_request (f->resync, NULL, NULL));
  run_for (100);
  g_assert_cmpuint (f->hits, ==, 0);
  dp_call_set_state (call, DP_CALL_STATE_ENDED, "done");
  run_for (100);
  g_assert_cmpuint (f->hits, ==, 1);
}

static void
test_request_rejects_bad_rule (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (dp_prov_resync_request (f->resync, "( $A eq )? http://x/y", &error));
  g_assert_error (error, DP_RULE_ERROR, DP_RULE_ERROR_SYNTAX);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  dp_prov_clock_set_scale (0.001);

  g_test_add_func ("/prov-engine/delay/parse", test_delay_parse);
  g_test_add_func ("/prov-engine/delay/errors", test_delay_errors);
  g_test_add_func ("/prov-engine/delay/pick", test_delay_pick);
  g_test_add_func ("/prov-engine/device/sysfs-defaults", test_device_sysfs_defaults);
  g_test_add_func ("/prov-engine/device/ini", test_device_ini);
  g_test_add_func ("/prov-engine/alias/map", test_alias_map);
  g_test_add_func ("/prov-engine/alias/errors", test_alias_errors);
  g_test_add_func ("/prov-engine/alias/doctype", test_alias_rejects_doctype);
  g_test_add_func ("/prov-engine/decode", test_decode_pipeline);
  g_test_add_func ("/prov-engine/upgrade/version", test_image_version);
  g_test_add_func ("/prov-engine/report/document", test_report_document);
  g_test_add ("/prov-engine/resync/forced-delay", Fixture, NULL, fixture_setup,
              test_forced_resync_delay, fixture_teardown);
  g_test_add ("/prov-engine/resync/explicit-idle", Fixture, NULL, fixture_setup,
              test_explicit_waits_for_idle_only, fixture_teardown);
  g_test_add ("/prov-engine/resync/bad-rule", Fixture, NULL, fixture_setup,
              test_request_rejects_bad_rule, fixture_teardown);
  return g_test_run ();
}
