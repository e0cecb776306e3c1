/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Macro expansion: the vectors M1–M7 of conformance-vectors.md §3.1 and the
 * rules of spa9x2-reference.md §1.6. */
#include "dp-macro.h"

#include <string.h>

/* The [DER] device of conformance-vectors.md §3. */
static DpMacroContext *
device_context (const char *mac)
{
  DpMacroContext *ctx = dp_macro_context_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (dp_macro_context_set_mac (ctx, mac, &error));
  g_assert_no_error (error);
  dp_macro_context_set (ctx, "SN", "88012BA01234");
  dp_macro_context_set (ctx, "PN", "SPA962");
  dp_macro_context_set (ctx, "PSN", "962");
  dp_macro_context_set (ctx, "SWVER", "5.1.15(aSC)");
  return ctx;
}

static void
assert_expands (DpMacroContext *ctx, DpMacroFlags flags, const char *text, const char *expected)
{
  g_autofree char *out = dp_macro_expand (text, ctx, flags);

  g_assert_cmpstr (out, ==, expected);
}

static void
test_m1_parenthesised (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ("000E08012345");

  assert_expands (ctx, 0, "spa$(MAU)config.cfg", "spa000E08012345config.cfg");
}

static void
test_m2_unknown_verbatim (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ("000E08012345");

  assert_expands (ctx, 0, "spa$STRANGE$MAU.cfg", "spa$STRANGE000E08012345.cfg");
  assert_expands (ctx, 0, "$(STRANGE)/$(MAUX)", "$(STRANGE)/$(MAUX)");
  assert_expands (ctx, 0, "$1$-$.$", "$1$-$.$");
}

static void
test_m3_no_recursion (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ("000E08012345");

  assert_expands (ctx, 0, "$$MAU", "$MAU");
  assert_expands (ctx, 0, "$$$MAU", "$000E08012345");
  assert_expands (ctx, 0, "$$$$", "$$");
  /* A value that itself looks like a macro is put in as is. */
  dp_macro_context_set (ctx, "A", "$MA$$");
  assert_expands (ctx, 0, "x$Ay", "x$MA$$y");
}

static void
test_m4_m5_substrings (void)
{
  g_autoptr(DpMacroContext) ctx = dp_macro_context_new ();

  dp_macro_context_set (ctx, "A", "ABCDEF");
  assert_expands (ctx, 0, "$(A:2)", "CDEF");
  assert_expands (ctx, 0, "$(A:2:3)", "CDE");
  assert_expands (ctx, 0, "$(A:0)", "ABCDEF");
  assert_expands (ctx, 0, "$(A:0:0)", "");
  /* Decision: offsets at or past the end give "", lengths stop at the end. */
  assert_expands (ctx, 0, "[$(A:6)]", "[]");
  assert_expands (ctx, 0, "[$(A:99:2)]", "[]");
  assert_expands (ctx, 0, "[$(A:4:99)]", "[EF]");
  assert_expands (ctx, 0, "[$(A:99999999999999999999999)]", "[]");
  /* characters, not bytes, when the value is UTF-8 */
  dp_macro_context_set (ctx, "B", "éàü");
  assert_expands (ctx, 0, "$(B:1:1)", "à");
}

static void
test_m6_m7_mac_forms (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ("00:0e:08:aa:bb:cc");

  assert_expands (ctx, 0, "tftp://192.168.1.200/spa$MA.cfg", "tftp://192.168.1.200/spa000e08aabbcc.cfg");
  assert_expands (ctx, 0, "$MAC", "00:0e:08:aa:bb:cc");
  assert_expands (ctx, 0, "$MAU", "000E08AABBCC");
}

static void
test_longest_name (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ("000e08aabbcc");

  /* the longest macro name starting the run wins */
  assert_expands (ctx, 0, "spa$MAU", "spa000E08AABBCC");
  assert_expands (ctx, 0, "$MAUX", "000E08AABBCCX");
  assert_expands (ctx, 0, "$MACHINE", "00:0e:08:aa:bb:ccHINE");
  assert_expands (ctx, 0, "/spa$PSN.cfg", "/spa962.cfg");
  assert_expands (ctx, 0, "$PNX$SNY", "SPA962X88012BA01234Y");
  dp_macro_context_set (ctx, "D", "dd");
  dp_macro_context_set (ctx, "E", "ee");
  assert_expands (ctx, 0, "http://neptune.speak.net:8080/prov/$D/$E.cfg",
                  "http://neptune.speak.net:8080/prov/dd/ee.cfg");
  assert_expands (ctx, 0, "$DE", "ddE");
  /* names are case-sensitive */
  assert_expands (ctx, 0, "$ma$(ma)", "$ma$(ma)");
}

static void
test_known_name_without_value (void)
{
  g_autoptr(DpMacroContext) ctx = dp_macro_context_new ();

  /* Known names whose value is unknown stay exactly as written. */
  assert_expands (ctx, 0, "/$MA.cfg", "/$MA.cfg");
  assert_expands (ctx, 0, "$(MA:2:3)-$(SN)", "$(MA:2:3)-$(SN)");
  assert_expands (NULL, 0, "a$MAUb$$c", "a$MAUb$c");
  /* ... but MAC is not MA + "C" when only MA is set. */
  dp_macro_context_set (ctx, "MA", "000e08aabbcc");
  assert_expands (ctx, 0, "$MAC", "$MAC");
  /* an empty value is a value */
  dp_macro_context_set (ctx, "EXTIP", "");
  assert_expands (ctx, 0, "[$EXTIP]", "[]");
  /* and NULL hides a value again */
  dp_macro_context_set (ctx, "MA", NULL);
  assert_expands (ctx, 0, "$MA", "$MA");
}

static void
test_secrets_only_under_key (void)
{
  g_autoptr(DpMacroContext) ctx = dp_macro_context_new ();

  dp_macro_context_set (ctx, "SA", "s3cret");
  dp_macro_context_set (ctx, "SD", "other");
  dp_macro_context_set (ctx, "A", "gppa");
  assert_expands (ctx, 0, "$SA $(SA) $GPP_SA $SD", "$SA $(SA) $GPP_SA $SD");
  assert_expands (ctx, DP_MACRO_FLAGS_SECRETS, "$SA $(SA:1:3) $GPP_SA $SD",
                  "s3cret 3cr s3cret other");
  /* GPP letters work under either flag */
  assert_expands (ctx, DP_MACRO_FLAGS_SECRETS, "$A", "gppa");
  g_assert_false (dp_macro_name_is_known ("SB", DP_MACRO_FLAGS_NONE));
  g_assert_true (dp_macro_name_is_known ("SB", DP_MACRO_FLAGS_SECRETS));
  g_assert_false (dp_macro_name_is_known ("SE", DP_MACRO_FLAGS_SECRETS));
}

static void
test_gpp_and_aliases (void)
{
  g_autoptr(DpMacroContext) ctx = dp_macro_context_new ();

  dp_macro_context_set (ctx, "B", "bee");
  dp_macro_context_set (ctx, "P", "pee");
  assert_expands (ctx, 0, "$B/$GPP_B/$(GPP_P:1)/$Q", "bee/bee/ee/$Q");
  /* METH is the deprecated name of SCHEME */
  dp_macro_context_set (ctx, "SCHEME", "https");
  assert_expands (ctx, 0, "$METH://$SCHEME", "https://https");
  dp_macro_context_set (ctx, "METH", "http");
  assert_expands (ctx, 0, "$METH", "http");

  g_assert_cmpstr (dp_macro_name_for_parameter ("GPP_A"), ==, "A");
  g_assert_cmpstr (dp_macro_name_for_parameter ("GPP_P"), ==, "P");
  g_assert_cmpstr (dp_macro_name_for_parameter ("GPP_SC"), ==, "SC");
  g_assert_cmpstr (dp_macro_name_for_parameter ("User_ID_2_"), ==, "UID2");
  g_assert_null (dp_macro_name_for_parameter ("GPP_Q"));
  g_assert_null (dp_macro_name_for_parameter ("GPP_SE"));
  g_assert_null (dp_macro_name_for_parameter ("Line_Enable_1_"));
}

static void
test_every_macro_of_the_table (void)
{
  static const char *const names[] = {
    "MA", "MAU", "MAC", "PN", "PSN", "SN", "CCERT", "IP", "EXTIP", "SWVER", "HWVER",
    "PRVST", "UPGST", "UPGERR", "PRVTMR", "UPGTMR", "REGTMR1", "REGTMR2", "UPGCOND",
    "SCHEME", "SERV", "SERVIP", "PORT", "PATH", "ERR",
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P",
  };
  g_autoptr(DpMacroContext) ctx = dp_macro_context_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *value = g_strdup_printf ("<%s>", names[i]);
      g_autofree char *text = g_strdup_printf ("$(%s)", names[i]);
      g_autofree char *out = NULL;

      g_assert_true (dp_macro_name_is_known (names[i], 0));
      out = dp_macro_expand (text, ctx, 0);
      g_assert_cmpstr (out, ==, text);   /* unknown until set */
      g_clear_pointer (&out, g_free);
      dp_macro_context_set (ctx, names[i], value);
      out = dp_macro_expand (text, ctx, 0);
      g_assert_cmpstr (out, ==, value);
    }
}

static const char *
lookup_device (const char *name, gpointer data)
{
  int *calls = data;

  (*calls)++;
  if (g_str_equal (name, "PRVTMR"))
    return "700";
  if (g_str_equal (name, "IP"))
    return "192.168.1.100";
  return NULL;
}

static void
test_lookup_function_and_overlay (void)
{
  int calls = 0;
  g_autoptr(DpMacroContext) ctx = dp_macro_context_new_with_lookup (lookup_device, &calls, NULL);
  g_autoptr(DpMacroContext) overlay = NULL;

  assert_expands (ctx, 0, "$IP:$PRVTMR:$SN", "192.168.1.100:700:$SN");
  g_assert_cmpint (calls, ==, 3);
  /* values set on the context win over the function */
  dp_macro_context_set (ctx, "IP", "10.0.0.9");
  assert_expands (ctx, 0, "$IP", "10.0.0.9");

  overlay = dp_macro_context_new_overlay (ctx);
  dp_macro_context_set (overlay, "PRVTMR", "1");
  assert_expands (overlay, 0, "$IP/$PRVTMR", "10.0.0.9/1");
  assert_expands (ctx, 0, "$PRVTMR", "700");
}

static void
test_malformed_forms (void)
{
  static const struct {
    const char *text;
    guint position;
  } bad[] = {
    { "abc$(MA", 4 },
    { "$(MA:x)", 6 },
    { "$()", 3 },
    { "$(MA:1:)", 8 },
    { "$(MA:1:2:3)", 9 },
    { "$(MA-1)", 5 },
    { "ok $(A) then $(", 14 },
  };
  g_autoptr(DpMacroContext) ctx = dp_macro_context_new ();

  dp_macro_context_set (ctx, "MA", "000e08aabbcc");
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = g_strdup_printf ("Macro: position %u:", bad[i].position);
      g_autofree char *out = NULL;

      g_assert_false (dp_macro_check (bad[i].text, &error));
      g_assert_error (error, DP_RULE_ERROR, DP_RULE_ERROR_SYNTAX);
      if (!g_str_has_prefix (error->message, expected))
        g_error ("%s: got '%s', expected prefix '%s'", bad[i].text, error->message, expected);
      /* the lenient expansion keeps them verbatim */
      out = dp_macro_expand (bad[i].text, ctx, 0);
      g_assert_nonnull (strstr (out, "$("));
    }
  g_assert_true (dp_macro_check ("$(A) $(A:1) $(A:1:2) $STRANGE $$ $ $(FOO)", NULL));
  {
    g_autofree char *out = dp_macro_expand ("$(MA$MA", ctx, 0);
    g_assert_cmpstr (out, ==, "$(MA000e08aabbcc");
  }
}

static void
test_set_mac (void)
{
  static const char *const good[] = {
    "000e08aabbcc", "000E08AABBCC", "00:0e:08:aa:bb:cc", "00-0E-08-AA-BB-CC",
  };
  static const char *const bad[] = {
    "", "000e08aabbc", "000e08aabbccd", "00:0e:08:aa:bb", "00:0e08:aa:bb:cc",
    "00:0e-08:aa:bb:cc", "00::0e:08:aa:bb:cc", "zz0e08aabbcc", ":000e08aabbcc",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(DpMacroContext) ctx = dp_macro_context_new ();

      g_assert_true (dp_macro_context_set_mac (ctx, good[i], NULL));
      g_assert_cmpstr (dp_macro_context_lookup (ctx, "MA"), ==, "000e08aabbcc");
      g_assert_cmpstr (dp_macro_context_lookup (ctx, "MAU"), ==, "000E08AABBCC");
      g_assert_cmpstr (dp_macro_context_lookup (ctx, "MAC"), ==, "00:0e:08:aa:bb:cc");
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(DpMacroContext) ctx = dp_macro_context_new ();
      g_autoptr(GError) error = NULL;

      g_assert_false (dp_macro_context_set_mac (ctx, bad[i], &error));
      g_assert_nonnull (strstr (error->message, "position "));
      g_assert_null (dp_macro_context_lookup (ctx, "MA"));
    }
}

static void
test_log_messages (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ("000e08aabbcc");

  dp_macro_context_set (ctx, "SCHEME", "http");
  dp_macro_context_set (ctx, "SERVIP", "10.0.0.5");
  dp_macro_context_set (ctx, "PORT", "80");
  dp_macro_context_set (ctx, "PATH", "/spa962.cfg");
  dp_macro_context_set (ctx, "ERR", "http_get failed");
  assert_expands (ctx, 0, "$PN $MAC -- Requesting resync $SCHEME://$SERVIP:$PORT$PATH",
                  "SPA962 00:0e:08:aa:bb:cc -- Requesting resync http://10.0.0.5:80/spa962.cfg");
  assert_expands (ctx, 0, "$PN $MAC -- Resync failed: $ERR",
                  "SPA962 00:0e:08:aa:bb:cc -- Resync failed: http_get failed");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/macro/m1-parenthesised", test_m1_parenthesised);
  g_test_add_func ("/macro/m2-unknown-verbatim", test_m2_unknown_verbatim);
  g_test_add_func ("/macro/m3-no-recursion", test_m3_no_recursion);
  g_test_add_func ("/macro/m4-m5-substrings", test_m4_m5_substrings);
  g_test_add_func ("/macro/m6-m7-mac-forms", test_m6_m7_mac_forms);
  g_test_add_func ("/macro/longest-name", test_longest_name);
  g_test_add_func ("/macro/known-name-without-value", test_known_name_without_value);
  g_test_add_func ("/macro/secrets-only-under-key", test_secrets_only_under_key);
  g_test_add_func ("/macro/gpp-and-aliases", test_gpp_and_aliases);
  g_test_add_func ("/macro/every-macro", test_every_macro_of_the_table);
  g_test_add_func ("/macro/lookup-and-overlay", test_lookup_function_and_overlay);
  g_test_add_func ("/macro/malformed", test_malformed_forms);
  g_test_add_func ("/macro/set-mac", test_set_mac);
  g_test_add_func ("/macro/log-messages", test_log_messages);
  return g_test_run ();
}
