/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure parts of the provisioning fetcher: User-Agent format (spec §1.9),
 * scheme names and default ports (§1.3), log URLs, HTTP URI building, and
 * the Provisioning_Key_Pins parser. The network parts are in
 * test-prov-tftp.c and test-prov-transport.c. */
#include "dp-prov-fetch.h"
#include "dp-prov-http.h"
#include "dp-prov-trust.h"

#include <string.h>

static void
test_user_agent (void)
{
  static const struct { const char *product, *model, *version, *serial, *expected; } cases[] = {
    { "Linksys", "SPA-962", "6.1.5(a)", "4MM00F903042", "Linksys/SPA-962-6.1.5(a) (4MM00F903042)" },
    { "Deskphone", "SPA-942", "0.1.0", "88019FA42805", "Deskphone/SPA-942-0.1.0 (88019FA42805)" },
    { "Deskphone", "SPA-962", "0.1.0", "", "Deskphone/SPA-962-0.1.0" },
    { "Deskphone", "SPA-962", "0.1.0", NULL, "Deskphone/SPA-962-0.1.0" },
    /* header injection and format-breaking bytes are neutralised */
    { "Desk phone", "SPA/962", "1.0\r\nX: y", "S(N)\n", "Desk_phone/SPA_962-1.0__X:_y (S_N__)" },
    { "D\xc3\xa9sk", "M", "1", "s", "D__sk/M-1 (s)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ua = dp_prov_user_agent_build (cases[i].product, cases[i].model,
                                                      cases[i].version, cases[i].serial);
      g_assert_cmpstr (ua, ==, cases[i].expected);
    }
}

static void
test_schemes (void)
{
  DpProvScheme scheme;

  g_assert_true (dp_prov_scheme_from_string ("TFTP", &scheme));
  g_assert_cmpint (scheme, ==, DP_PROV_SCHEME_TFTP);
  g_assert_true (dp_prov_scheme_from_string ("https", &scheme));
  g_assert_cmpint (scheme, ==, DP_PROV_SCHEME_HTTPS);
  g_assert_false (dp_prov_scheme_from_string ("ftp", &scheme));
  g_assert_false (dp_prov_scheme_from_string (NULL, &scheme));
  g_assert_cmpuint (dp_prov_scheme_default_port (DP_PROV_SCHEME_TFTP), ==, 69);
  g_assert_cmpuint (dp_prov_scheme_default_port (DP_PROV_SCHEME_HTTP), ==, 80);
  g_assert_cmpuint (dp_prov_scheme_default_port (DP_PROV_SCHEME_HTTPS), ==, 443);
  g_assert_cmpstr (dp_prov_scheme_to_string (DP_PROV_SCHEME_HTTP), ==, "http");
}

static void
test_urls (void)
{
  g_autoptr(DpProvFetchRequest) tftp = dp_prov_fetch_request_new (DP_PROV_SCHEME_TFTP, "192.168.1.130",
                                                                  0, "/profiles/init.cfg");
  g_autoptr(DpProvFetchRequest) v6 = dp_prov_fetch_request_new (DP_PROV_SCHEME_HTTPS, "::1", 8443,
                                                                "/profile?Linksys");
  g_autoptr(DpProvFetchRequest) spaces = dp_prov_fetch_request_new (DP_PROV_SCHEME_HTTP, "prov.example.net",
                                                                    8080, "/a b/\xc3\xa9.cfg?x=1 2");
  g_autoptr(DpProvFetchRequest) bad_host = dp_prov_fetch_request_new (DP_PROV_SCHEME_HTTP, "evil.net/x@",
                                                                      0, "/a");
  g_autoptr(DpProvFetchRequest) relative = dp_prov_fetch_request_new (DP_PROV_SCHEME_HTTP, "h", 0, "a.cfg");
  g_autoptr(DpProvFetchRequest) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url1 = dp_prov_fetch_request_to_url (tftp);
  g_autofree char *url2 = dp_prov_fetch_request_to_url (v6);
  g_autofree char *uri_v6 = dp_prov_http_build_uri (v6, &error);
  g_autofree char *uri_spaces = NULL;
  char *bad;

  g_assert_cmpstr (url1, ==, "tftp://192.168.1.130:69/profiles/init.cfg");
  g_assert_cmpstr (url2, ==, "https://[::1]:8443/profile?Linksys");
  g_assert_no_error (error);
  g_assert_cmpstr (uri_v6, ==, "https://[::1]:8443/profile?Linksys");
  uri_spaces = dp_prov_http_build_uri (spaces, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uri_spaces, ==, "http://prov.example.net:8080/a%20b/%C3%A9.cfg?x=1%202");

  bad = dp_prov_http_build_uri (bad_host, &error);
  g_assert_null (bad);
  g_assert_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "position 9: character '/'"));
  g_clear_error (&error);
  bad = dp_prov_http_build_uri (relative, &error);
  g_assert_null (bad);
  g_assert_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID);
  g_clear_error (&error);

  spaces->uid = g_strdup ("u");
  spaces->pwd = g_strdup ("p");
  spaces->body = g_bytes_new_static ("b", 1);
  copy = dp_prov_fetch_request_copy (spaces);
  g_assert_cmpstr (copy->pwd, ==, "p");
  g_assert_true (copy->body == spaces->body);
  g_assert_cmpuint (dp_prov_fetch_request_get_port (tftp), ==, 69);
}

static void
test_pins (void)
{
  static const char b64[] = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  static const char hex[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  g_autofree char *colon_hex = NULL;
  g_autofree char *list = NULL;
  g_autoptr(GPtrArray) pins = NULL;
  g_autoptr(GError) error = NULL;
  GString *s = g_string_new (NULL);
  static const struct { const char *text; const char *message; } bad[] = {
    { "sha256/short", "position 8: a pin is 64 hex digits" },
    { "abc", "position 3: a pin is 64 hex digits" },
    { "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSu!U=", "position 42: '!' is not a base64" },
    { "e3b0, zz", "position 1: hex pin has 2 bytes, not 32" },
    { "sha256/", "position 1: a pin is 64 hex digits" },
    { "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855aa",
      "position 65: a pin is 64 hex digits" },
  };

  for (guint i = 0; i < 32; i++)
    g_string_append_printf (s, i ? ":%c%c" : "%c%c", g_ascii_toupper (hex[2 * i]), g_ascii_toupper (hex[2 * i + 1]));
  colon_hex = g_string_free (s, FALSE);
  list = g_strdup_printf (" sha256/%s ,%s;\t%s  ", b64, hex, colon_hex);

  pins = dp_prov_pins_parse (list, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pins->len, ==, 3);
  /* base64 and hex spell the same SHA-256 (of the empty string) */
  g_assert_true (g_bytes_equal (g_ptr_array_index (pins, 0), g_ptr_array_index (pins, 1)));
  g_assert_true (g_bytes_equal (g_ptr_array_index (pins, 1), g_ptr_array_index (pins, 2)));
  g_clear_pointer (&pins, g_ptr_array_unref);

  pins = dp_prov_pins_parse ("  , ", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pins->len, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      GPtrArray *none = dp_prov_pins_parse (bad[i].text, &error);

      g_assert_null (none);
      g_assert_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID);
      if (strstr (error->message, bad[i].message) == NULL)
        g_error ("\"%s\": message \"%s\" lacks \"%s\"", bad[i].text, error->message, bad[i].message);
      g_clear_error (&error);
    }
}

static void
test_trust_defaults (void)
{
  g_autoptr(DpProvTrust) trust = dp_prov_trust_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (dp_prov_trust_get_ccert (trust), ==, "Not Installed");
  g_assert_null (dp_prov_trust_get_client_certificate (trust));
  g_assert_cmpuint (dp_prov_trust_get_n_cas (trust), ==, 0);
  g_assert_false (dp_prov_trust_add_ca_pem (trust, "not a certificate", -1, &error));
  g_assert_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TRUST);
  g_clear_error (&error);
  /* a failed pin update keeps the previous pins */
  g_assert_true (dp_prov_trust_set_pins (trust, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", &error));
  g_assert_false (dp_prov_trust_set_pins (trust, "bogus", &error));
  g_assert_cmpuint (dp_prov_trust_get_n_pins (trust), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/prov-fetch/user-agent", test_user_agent);
  g_test_add_func ("/prov-fetch/schemes", test_schemes);
  g_test_add_func ("/prov-fetch/urls", test_urls);
  g_test_add_func ("/prov-fetch/pins", test_pins);
  g_test_add_func ("/prov-fetch/trust-defaults", test_trust_defaults);

  return g_test_run ();
}
