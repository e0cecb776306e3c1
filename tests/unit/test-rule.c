/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Profile rules, conditions and triggers: the vectors U1–U7 of
 * conformance-vectors.md §3.2 and the worked examples of
 * spa9x2-reference.md §1.3–§1.5, §1.10 and §2. */
#include "dp-rule.h"

#include <string.h>

#define DHCP66 "10.0.0.5"

/* The [DER] device of conformance-vectors.md §3. */
static DpMacroContext *
device_context (void)
{
  DpMacroContext *ctx = dp_macro_context_new ();

  g_assert_true (dp_macro_context_set_mac (ctx, "00:0e:08:aa:bb:cc", NULL));
  dp_macro_context_set (ctx, "SN", "88012BA01234");
  dp_macro_context_set (ctx, "PN", "SPA962");
  dp_macro_context_set (ctx, "PSN", "962");
  dp_macro_context_set (ctx, "SWVER", "5.1.15(aSC)");
  for (char c = 'A'; c <= 'P'; c++)
    {
      char name[2] = { c, '\0' };
      dp_macro_context_set (ctx, name, "");
    }
  return ctx;
}

static DpRuleResult *
evaluate_kind (const char *text, DpRuleKind kind, DpMacroContext *ctx, const char *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpRule) rule = dp_rule_parse_kind (text, kind, &error);
  DpRuleResult *result = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (rule);
  g_assert_true (dp_rule_evaluate (rule, ctx, server, &result, &error));
  g_assert_no_error (error);
  return result;
}

static DpRuleResult *
evaluate (const char *text, DpMacroContext *ctx)
{
  return evaluate_kind (text, DP_RULE_KIND_PROFILE, ctx, DHCP66);
}

static void
assert_url (const DpRuleResult *r, const char *scheme, const char *server, guint port,
            const char *path)
{
  g_autofree char *url = g_strdup_printf ("%s://%s:%u%s", scheme, server, port, path);

  g_assert_false (r->skip);
  g_assert_true (r->has_url);
  g_assert_cmpstr (r->scheme, ==, scheme);
  g_assert_cmpstr (r->server, ==, server);
  g_assert_cmpuint (r->port, ==, port);
  g_assert_cmpstr (r->path, ==, path);
  g_assert_cmpstr (r->url, ==, url);
}

/* Asserts a parse error with @code whose message starts with
 * "<what>: position <position>:". */
static void
assert_parse_error (const char *text, DpRuleKind kind, DpRuleError code, guint position)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpRule) rule = dp_rule_parse_kind (text, kind, &error);
  g_autofree char *expected = g_strdup_printf ("position %u:", position);

  if (rule != NULL)
    g_error ("'%s' parsed but should not", text);
  g_assert_error (error, DP_RULE_ERROR, (gint) code);
  if (strstr (error->message, expected) == NULL)
    g_error ("'%s': message '%s' lacks '%s'", text, error->message, expected);
}

static void
assert_eval_error (const char *text, DpMacroContext *ctx, const char *server,
                   DpRuleError code, guint position)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpRule) rule = dp_rule_parse (text, &error);
  g_autoptr(DpRuleResult) result = NULL;
  g_autofree char *expected = g_strdup_printf ("position %u:", position);

  g_assert_no_error (error);
  g_assert_false (dp_rule_evaluate (rule, ctx, server, &result, &error));
  g_assert_null (result);
  g_assert_error (error, DP_RULE_ERROR, (gint) code);
  if (strstr (error->message, expected) == NULL)
    g_error ("'%s': message '%s' lacks '%s'", text, error->message, expected);
}

/* ---- URL defaulting (U1–U7) -------------------------------------------- */

static void
test_u1_path_only (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(DpRuleResult) r = evaluate ("/$MA.cfg", ctx);

  assert_url (r, "tftp", DHCP66, 69, "/000e08aabbcc.cfg");
  g_assert_cmpint (r->method, ==, DP_RULE_METHOD_GET);
  g_assert_cmpuint (r->assignments->len, ==, 0);
  g_assert_null (r->key);
  g_assert_null (r->body);
}

static void
test_u2_server_without_scheme (void)
{
  g_autoptr(DpRuleResult) r = evaluate ("192.168.1.130/profiles/init.cfg", NULL);

  assert_url (r, "tftp", "192.168.1.130", 69, "/profiles/init.cfg");
}

static void
test_u3_u4_u5_schemes_and_ports (void)
{
  g_autoptr(DpRuleResult) r3 = evaluate ("http://prov.x/p.cfg", NULL);
  g_autoptr(DpRuleResult) r4 = evaluate ("https://secure.me.com/profile?Linksys", NULL);
  g_autoptr(DpRuleResult) r5 = evaluate ("tftp://prov.telco.com:6900/Linksys/config/spa2102.cfg", NULL);
  g_autoptr(DpRuleResult) r6 = evaluate ("HTTP://neptune.speak.net:8080/prov/a/b.cfg", NULL);

  assert_url (r3, "http", "prov.x", 80, "/p.cfg");
  assert_url (r4, "https", "secure.me.com", 443, "/profile?Linksys");
  assert_url (r5, "tftp", "prov.telco.com", 6900, "/Linksys/config/spa2102.cfg");
  assert_url (r6, "http", "neptune.speak.net", 8080, "/prov/a/b.cfg");
}

static void
test_u6_no_path (void)
{
  assert_parse_error ("prov.x", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_URL, 7);
  assert_parse_error ("http://prov.x", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_URL, 14);
  g_assert_false (dp_profile_rule_check ("prov.x", NULL));
  /* with a macro the fault shows after expansion */
  {
    g_autoptr(DpMacroContext) ctx = device_context ();

    dp_macro_context_set (ctx, "B", "prov.x");
    assert_eval_error ("  $B", ctx, DHCP66, DP_RULE_ERROR_URL, 3);
  }
}

static void
test_u7_comment_is_empty_rule (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpRule) rule = dp_rule_parse ("# http://192.168.1.200/sample.cfg", &error);
  g_autoptr(DpRuleResult) r = NULL;
  g_autoptr(DpRuleResult) empty = evaluate ("", NULL);
  g_autoptr(DpRuleResult) blank = evaluate ("  \t ", NULL);

  g_assert_no_error (error);
  g_assert_cmpuint (dp_rule_get_n_alternatives (rule), ==, 0);
  g_assert_true (dp_rule_evaluate (rule, NULL, NULL, &r, &error));
  g_assert_true (r->skip);
  g_assert_cmpuint (r->alternative, ==, 0);
  g_assert_true (empty->skip);
  g_assert_true (blank->skip);
  g_assert_true (dp_profile_rule_check ("# http://192.168.1.200/sample.cfg", NULL));
  g_assert_true (dp_profile_rule_check ("", NULL));
}

static void
test_comment_after_rule (void)
{
  g_autoptr(DpRuleResult) r = evaluate ("http://p.tel.com/a.cfg # the old one: http://x/y", NULL);
  g_autoptr(DpRuleResult) q = evaluate ("[--key \"a#b\"] http://p.tel.com/a.cfg#frag", NULL);

  assert_url (r, "http", "p.tel.com", 80, "/a.cfg");
  /* a '#' inside quotes is text; outside it starts the comment */
  g_assert_cmpstr (q->key, ==, "a#b");
  assert_url (q, "http", "p.tel.com", 80, "/a.cfg");
}

static void
test_default_server (void)
{
  g_autoptr(DpRuleResult) port = evaluate_kind ("/spa$PSN.cfg", DP_RULE_KIND_PROFILE, NULL,
                                                "10.0.0.5:6969");
  g_autoptr(DpRuleResult) empty_host = evaluate ("http:///x.cfg", NULL);
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(DpRuleResult) factory = evaluate ("/spa$PSN.cfg", ctx);

  assert_url (port, "tftp", "10.0.0.5", 6969, "/spa$PSN.cfg");
  assert_url (empty_host, "http", DHCP66, 80, "/x.cfg");
  assert_url (factory, "tftp", DHCP66, 69, "/spa962.cfg");

  assert_eval_error ("/spa$PSN.cfg", ctx, NULL, DP_RULE_ERROR_NO_SERVER, 1);
  assert_eval_error ("  /spa.cfg", ctx, "", DP_RULE_ERROR_NO_SERVER, 3);
  assert_eval_error ("/spa.cfg", ctx, "bad host!", DP_RULE_ERROR_NO_SERVER, 1);
}

static void
test_bad_urls (void)
{
  assert_parse_error ("ftp://x/y.cfg", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_URL, 1);
  assert_parse_error ("http://x:0/y", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_URL, 10);
  assert_parse_error ("http://x:65536/y", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_URL, 10);
  assert_parse_error ("http://x:/y", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_URL, 10);
  assert_parse_error ("http://x:8a/y", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_URL, 11);
  assert_parse_error ("http://:80/y", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_URL, 8);
  assert_parse_error ("http://a,b/y", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_URL, 9);
  assert_parse_error ("http://x/a http://y/b", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_SYNTAX, 12);
}

static void
test_ipv6_and_encoding (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(DpRuleResult) v6 = evaluate ("http://[::1]:8080/p.cfg", NULL);
  g_autoptr(DpRuleResult) enc = NULL;

  g_assert_cmpstr (v6->server, ==, "::1");
  g_assert_cmpuint (v6->port, ==, 8080);
  g_assert_cmpstr (v6->url, ==, "http://[::1]:8080/p.cfg");

  dp_macro_context_set (ctx, "CCERT", "Not Installed");
  enc = evaluate ("https://p.tel.com/config?c=$CCERT", ctx);
  g_assert_cmpstr (enc->path, ==, "/config?c=Not%20Installed");
}

/* ---- alternatives and conditions (§1.3 worked examples) ---------------- */

static void
test_worked_plain (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(DpRuleResult) r = evaluate ("http://remote.server.com/Linksys/$MA.cfg", ctx);

  assert_url (r, "http", "remote.server.com", 80, "/Linksys/000e08aabbcc.cfg");
  g_assert_cmpuint (r->alternative, ==, 1);
}

static void
test_worked_regtmr (void)
{
  const char *rule = "($REGTMR1 eq 0)? http://p.tel.com/has-reg.cfg | [--post a] http://p.tel.com/lost-reg?";
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(DpRuleResult) registered = NULL;
  g_autoptr(DpRuleResult) lost = NULL;

  dp_macro_context_set (ctx, "REGTMR1", "0");
  registered = evaluate (rule, ctx);
  assert_url (registered, "http", "p.tel.com", 80, "/has-reg.cfg");
  g_assert_cmpint (registered->method, ==, DP_RULE_METHOD_GET);
  g_assert_null (registered->body);
  g_assert_cmpuint (registered->alternative, ==, 1);

  dp_macro_context_set (ctx, "REGTMR1", "312");
  dp_macro_context_set (ctx, "A", "Product = \"$PN\"; MAC_Addr = \"$MA\";");
  lost = evaluate (rule, ctx);
  assert_url (lost, "http", "p.tel.com", 80, "/lost-reg?");
  g_assert_cmpint (lost->method, ==, DP_RULE_METHOD_POST);
  g_assert_cmpstr (lost->post, ==, "a");
  g_assert_cmpstr (lost->body, ==, "Product = \"SPA962\"; MAC_Addr = \"000e08aabbcc\";");
  g_assert_cmpuint (lost->alternative, ==, 2);

  /* an unset timer is reported, naming its position */
  dp_macro_context_set (ctx, "REGTMR1", NULL);
  assert_eval_error (rule, ctx, DHCP66, DP_RULE_ERROR_TYPE, 2);
}

static void
test_worked_ccert (void)
{
  const char *rule = "(\"$CCERT\" eq \"Installed\")? https://p.tel.com/config? | https://p.tel.com/config?Linksys$MAU";
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(DpRuleResult) unique = NULL;
  g_autoptr(DpRuleResult) generic = NULL;

  dp_macro_context_set (ctx, "CCERT", "Installed");
  unique = evaluate (rule, ctx);
  assert_url (unique, "https", "p.tel.com", 443, "/config?");
  dp_macro_context_set (ctx, "CCERT", "Not Installed");
  generic = evaluate (rule, ctx);
  assert_url (generic, "https", "p.tel.com", 443, "/config?Linksys000E08AABBCC");
}

static void
test_worked_provisioned_flag (void)
{
  const char *rule = "(\"$A\" ne \"Provisioned\")? (Line_Enable_1_ = \"No\";)! https://p.tel.com/init-prov | https://p.tel.com/configs";
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(DpRuleResult) fresh = evaluate (rule, ctx);
  g_autoptr(DpRuleResult) done = NULL;

  assert_url (fresh, "https", "p.tel.com", 443, "/init-prov");
  g_assert_cmpuint (fresh->assignments->len, ==, 1);
  g_assert_cmpstr (dp_rule_result_lookup (fresh, "Line_Enable_1_"), ==, "No");

  dp_macro_context_set (ctx, "A", "Provisioned");
  done = evaluate (rule, ctx);
  assert_url (done, "https", "p.tel.com", 443, "/configs");
  g_assert_cmpuint (done->assignments->len, ==, 0);
}

static void
test_worked_alias (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(DpRuleResult) r = NULL;
  g_autoptr(DpRuleResult) m = NULL;

  dp_macro_context_set (ctx, "B", "/CPE/name = /flat-profile/Display_Name_1_ ;");
  r = evaluate ("[--alias b] https://p.tel.com/account/spa$MA.xml", ctx);
  assert_url (r, "https", "p.tel.com", 443, "/account/spa000e08aabbcc.xml");
  g_assert_cmpstr (r->alias, ==, "b");
  g_assert_cmpstr (r->alias_map, ==, "/CPE/name = /flat-profile/Display_Name_1_ ;");
  g_assert_cmpint (r->method, ==, DP_RULE_METHOD_GET);

  dp_macro_context_set (ctx, "M", "/CPE/SIP-Credentials/number = /flat-profile/User_ID_1_ ; # $MA");
  m = evaluate ("[--alias m ] http://acct.voipservice.net/credentials/spa$MA.xml", ctx);
  g_assert_cmpstr (m->alias, ==, "m");
  g_assert_cmpstr (m->alias_map, ==, "/CPE/SIP-Credentials/number = /flat-profile/User_ID_1_ ; # 000e08aabbcc");
}

static void
test_assignments (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(DpRuleResult) r = NULL;
  g_autoptr(DpRuleResult) seq = NULL;
  g_autoptr(DpRuleResult) only = NULL;

  dp_macro_context_set (ctx, "B", "42");
  r = evaluate ("( User_ID_1_ = \"uid$B\" ; c = \"\" ; d = \"$MA\" ; )! http://p/x.cfg", ctx);
  g_assert_cmpuint (r->assignments->len, ==, 3);
  g_assert_cmpstr (((DpRuleAssignment *) r->assignments->pdata[0])->name, ==, "User_ID_1_");
  g_assert_cmpstr (((DpRuleAssignment *) r->assignments->pdata[0])->value, ==, "uid42");
  g_assert_cmpstr (((DpRuleAssignment *) r->assignments->pdata[1])->name, ==, "GPP_C");
  g_assert_cmpstr (((DpRuleAssignment *) r->assignments->pdata[1])->value, ==, "");
  g_assert_cmpstr (((DpRuleAssignment *) r->assignments->pdata[2])->name, ==, "GPP_D");
  g_assert_cmpstr (((DpRuleAssignment *) r->assignments->pdata[2])->value, ==, "000e08aabbcc");

  /* assignments are done in order before the fetch, and the fetch sees them */
  seq = evaluate ("(a = \"x$B\"; b = \"[$A]\"; f = \"body $B\")! [--post f] http://p/$A/$B.cfg", ctx);
  g_assert_cmpstr (dp_rule_result_lookup (seq, "GPP_A"), ==, "x42");
  g_assert_cmpstr (dp_rule_result_lookup (seq, "GPP_B"), ==, "[x42]");
  g_assert_cmpstr (seq->body, ==, "body [x42]");
  g_assert_cmpstr (seq->path, ==, "/x42/[x42].cfg");
  /* ... without touching the caller's state */
  g_assert_cmpstr (dp_macro_context_lookup (ctx, "A"), ==, "");

  /* an alternative may only assign */
  only = evaluate ("( \"$A\" eq \"\" )? ( a = \"Provisioned\" )!", ctx);
  g_assert_false (only->skip);
  g_assert_false (only->has_url);
  g_assert_null (only->url);
  g_assert_cmpstr (dp_rule_result_lookup (only, "GPP_A"), ==, "Provisioned");
}

static void
test_skip_and_order (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(DpRuleResult) none = NULL;
  g_autoptr(DpRuleResult) second = NULL;

  dp_macro_context_set (ctx, "A", "1");
  none = evaluate ("($A eq 2)? /two.cfg | ($A eq 3)? /three.cfg", ctx);
  g_assert_true (none->skip);
  g_assert_cmpuint (none->assignments->len, ==, 0);
  g_assert_null (none->url);

  second = evaluate ("($A eq 2)? /two.cfg | ($A eq 1)? /one.cfg | /other.cfg", ctx);
  assert_url (second, "tftp", DHCP66, 69, "/one.cfg");
  g_assert_cmpuint (second->alternative, ==, 2);

  /* every alternative but the last needs a condition */
  assert_parse_error ("/a.cfg | /b.cfg", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_UNCONDITIONED, 1);
  assert_parse_error ("($A eq 1)? /a.cfg |  [--key k] /b.cfg | /c.cfg", DP_RULE_KIND_PROFILE,
                      DP_RULE_ERROR_UNCONDITIONED, 22);
}

static void
test_options (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(DpRuleResult) bare = evaluate ("[--key VerySecretValue] http://p/x.cfg", ctx);
  g_autoptr(DpRuleResult) quoted = evaluate ("[--key \"my secret phrase\"] http://p/x.cfg", ctx);
  g_autoptr(DpRuleResult) secret = NULL;
  g_autoptr(DpRuleResult) combo = NULL;
  g_autoptr(DpRuleResult) auth = NULL;

  g_assert_cmpstr (bare->key, ==, "VerySecretValue");
  g_assert_cmpstr (quoted->key, ==, "my secret phrase");

  dp_macro_context_set (ctx, "SB", "sb-secret");
  dp_macro_context_set (ctx, "SC", "sc-secret");
  dp_macro_context_set (ctx, "G", "Ser_Num = \"$SN\"; Key = \"$SB\";");
  secret = evaluate ("[--key $SC] http://p/$SC.cfg", ctx);
  g_assert_cmpstr (secret->key, ==, "sc-secret");
  g_assert_cmpstr (secret->path, ==, "/$SC.cfg");   /* only --key sees secrets */

  combo = evaluate ("[--key \"$SB\" --post g] http://ps.one.com/cpe/resyncs?", ctx);
  g_assert_cmpstr (combo->key, ==, "sb-secret");
  g_assert_cmpstr (combo->body, ==, "Ser_Num = \"88012BA01234\"; Key = \"$SB\";");
  g_assert_cmpint (combo->method, ==, DP_RULE_METHOD_POST);

  dp_macro_context_set (ctx, "B", "1234");
  auth = evaluate ("[--alias a --key abracadabra321 --post c --uid u$B --pwd \"p w\"] https://h/x", ctx);
  g_assert_cmpstr (auth->alias, ==, "a");
  g_assert_cmpstr (auth->key, ==, "abracadabra321");
  g_assert_cmpstr (auth->post, ==, "c");
  g_assert_cmpstr (auth->uid, ==, "u1234");
  g_assert_cmpstr (auth->pwd, ==, "p w");

  assert_parse_error ("[--key] /x", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_SYNTAX, 7);
  assert_parse_error ("[--post q] /x", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_SYNTAX, 9);
  assert_parse_error ("[--post ab] /x", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_SYNTAX, 9);
  assert_parse_error ("[--key a --key b] /x", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_SYNTAX, 10);
  assert_parse_error ("[--cache a] /x", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_SYNTAX, 2);
  assert_parse_error ("[key a] /x", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_SYNTAX, 2);
  assert_parse_error ("[--key \"open] /x", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_SYNTAX, 8);
  assert_parse_error ("[--key a /x", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_SYNTAX, 1);
  assert_parse_error ("[--delta] /x", DP_RULE_KIND_PROFILE, DP_RULE_ERROR_NOT_ALLOWED, 2);
}

static void
test_upgrade_rule (void)
{
  const char *rule = "( $SWVER ne 2.0.6 )? http://ps.tell.com/sw/spa021024.bin";
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(DpRuleResult) old = NULL;
  g_autoptr(DpRuleResult) current = NULL;
  g_autoptr(DpRuleResult) assign = NULL;

  dp_macro_context_set (ctx, "SWVER", "2.0.5");
  old = evaluate_kind (rule, DP_RULE_KIND_UPGRADE, ctx, NULL);
  assert_url (old, "http", "ps.tell.com", 80, "/sw/spa021024.bin");
  dp_macro_context_set (ctx, "SWVER", "2.0.6");
  current = evaluate_kind (rule, DP_RULE_KIND_UPGRADE, ctx, NULL);
  g_assert_true (current->skip);

  assign = evaluate_kind ("(b = \"x\")! tftp://192.168.2.207/$PN.bin", DP_RULE_KIND_UPGRADE, ctx, NULL);
  assert_url (assign, "tftp", "192.168.2.207", 69, "/SPA962.bin");
  g_assert_cmpstr (dp_rule_result_lookup (assign, "GPP_B"), ==, "x");

  /* options are not supported in Upgrade_Rule */
  assert_parse_error ("( $SWVER ne 2.0.6 )? [--key k] http://x/y.bin", DP_RULE_KIND_UPGRADE,
                      DP_RULE_ERROR_NOT_ALLOWED, 22);
  g_assert_false (dp_upgrade_rule_check ("[--post a] http://x/y.bin", NULL));
  g_assert_true (dp_upgrade_rule_check ("http://prov.service.com/spa841/spa841-00-09-01.bin", NULL));
  g_assert_true (dp_profile_rule_check ("[--post a] http://x/y.bin", NULL));
}

static void
test_report_rule (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(DpRuleResult) http = NULL;
  g_autoptr(DpRuleResult) tftp = NULL;

  http = evaluate_kind ("[ --key secretphrase ] http://prov.serv.net/spa/$MA/rep.xml.enc",
                        DP_RULE_KIND_REPORT, ctx, NULL);
  assert_url (http, "http", "prov.serv.net", 80, "/spa/000e08aabbcc/rep.xml.enc");
  g_assert_cmpint (http->method, ==, DP_RULE_METHOD_POST);
  g_assert_cmpstr (http->key, ==, "secretphrase");

  dp_macro_context_set (ctx, "K", "kk");
  tftp = evaluate_kind ("[ --key $K --delta ] tftp://ps.callhome.net/$MA/rep.xml.enc",
                        DP_RULE_KIND_REPORT, ctx, NULL);
  g_assert_cmpint (tftp->method, ==, DP_RULE_METHOD_PUT);
  g_assert_cmpstr (tftp->key, ==, "kk");
  g_assert_true (tftp->delta);

  g_assert_false (dp_report_rule_check ("[--post a] http://x/y", NULL));
  g_assert_true (dp_report_rule_check ("", NULL));
}

static void
test_rule_syntax_errors (void)
{
  static const struct {
    const char *text;
    DpRuleError code;
    guint position;
  } cases[] = {
    { "( $A eq 1 ? /x", DP_RULE_ERROR_SYNTAX, 1 },
    { "$A eq 1 )? /x", DP_RULE_ERROR_SYNTAX, 9 },
    { "( $A eq 1 ) /x", DP_RULE_ERROR_SYNTAX, 13 },
    { "( $A eq 1 )? |", DP_RULE_ERROR_SYNTAX, 15 },
    { "| /x", DP_RULE_ERROR_SYNTAX, 1 },
    { "($A eq 1)? ($A eq 2)? /x", DP_RULE_ERROR_SYNTAX, 12 },
    { "(a = \"1\")! ($A eq 2)? /x", DP_RULE_ERROR_SYNTAX, 12 },
    { "[--key k] (a = \"1\")! /x", DP_RULE_ERROR_SYNTAX, 11 },
    { "(a = \"1\")! (b = \"1\")! /x", DP_RULE_ERROR_SYNTAX, 12 },
    { "(a = 1)! /x", DP_RULE_ERROR_SYNTAX, 6 },
    { "(a \"1\")! /x", DP_RULE_ERROR_SYNTAX, 4 },
    { "(= \"1\")! /x", DP_RULE_ERROR_SYNTAX, 2 },
    { "(a = \"1\" b = \"2\")! /x", DP_RULE_ERROR_SYNTAX, 10 },
    { "(a = \"1)! /x", DP_RULE_ERROR_SYNTAX, 6 },
    { "/x\"y", DP_RULE_ERROR_SYNTAX, 3 },
    { "/x ]", DP_RULE_ERROR_SYNTAX, 4 },
    { "http://h/$(MA", DP_RULE_ERROR_SYNTAX, 10 },
    { "(a = \"$(A:x)\")! /x", DP_RULE_ERROR_SYNTAX, 11 },
    { "( $A eq 1 or $A eq 2 )? /x", DP_RULE_ERROR_NOT_ALLOWED, 11 },
    { "( )? /x", DP_RULE_ERROR_SYNTAX, 2 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_parse_error (cases[i].text, DP_RULE_KIND_PROFILE, cases[i].code, cases[i].position);
}

static void
test_whitespace_and_newlines (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(DpRuleResult) r = NULL;

  dp_macro_context_set (ctx, "A", "x");
  r = evaluate ("\n  (\"$A\" eq \"x\") ?\n  ( b = \"1\" ; ) !\n  [ --key k ]\n  http://h/p.cfg\n| /other.cfg\n", ctx);
  assert_url (r, "http", "h", 80, "/p.cfg");
  g_assert_cmpstr (dp_rule_result_lookup (r, "GPP_B"), ==, "1");
  g_assert_cmpstr (r->key, ==, "k");
}

static void
test_result_json_and_macros (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(DpRuleResult) r = NULL;
  g_autoptr(DpRuleResult) copy = NULL;
  g_autoptr(DpRuleResult) skip = evaluate ("", NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) skip_node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *skip_text = NULL;
  g_autofree char *log = NULL;

  r = evaluate ("(c = \"1\"; c = \"2\")! [--key k] http://h:81/p.cfg", ctx);
  copy = dp_rule_result_copy (r);
  node = dp_rule_result_to_json (copy);
  text = json_to_string (node, FALSE);
  g_assert_cmpstr (text, ==,
                   "{\"assign\":{\"GPP_C\":\"2\"},\"method\":\"GET\",\"url\":\"http://h:81/p.cfg\","
                   "\"scheme\":\"http\",\"server\":\"h\",\"port\":81,\"path\":\"/p.cfg\","
                   "\"body\":null,\"key\":\"k\",\"alias\":null,\"uid\":null,\"pwd\":null,"
                   "\"alternative\":1}");
  skip_node = dp_rule_result_to_json (skip);
  skip_text = json_to_string (skip_node, FALSE);
  g_assert_cmpstr (skip_text, ==, "{\"skip\":true}");

  dp_rule_result_set_macros (r, ctx);
  dp_macro_context_set (ctx, "SERVIP", "127.0.0.1");
  log = dp_macro_expand ("$PN $MAC -- Requesting resync $SCHEME://$SERVIP:$PORT$PATH ($METH $SERV)", ctx, 0);
  g_assert_cmpstr (log, ==, "SPA962 00:0e:08:aa:bb:cc -- Requesting resync http://127.0.0.1:81/p.cfg (http h)");
}

/* ---- conditions -------------------------------------------------------- */

static gboolean
cond (DpMacroContext *ctx, const char *expr)
{
  g_autoptr(GError) error = NULL;
  gboolean result = -1;

  if (!dp_condition_eval (expr, ctx, &result, &error))
    g_error ("'%s': %s", expr, error->message);
  g_assert_true (dp_condition_check (expr, NULL));
  return result;
}

static void
assert_cond_error (DpMacroContext *ctx, const char *expr, DpRuleError code, guint position)
{
  g_autoptr(GError) error = NULL;
  gboolean result = FALSE;
  g_autofree char *expected = g_strdup_printf ("Condition: position %u:", position);

  g_assert_false (dp_condition_eval (expr, ctx, &result, &error));
  g_assert_error (error, DP_RULE_ERROR, (gint) code);
  if (!g_str_has_prefix (error->message, expected))
    g_error ("'%s': message '%s' lacks '%s'", expr, error->message, expected);
}

static void
test_condition_integers (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();

  dp_macro_context_set (ctx, "REGTMR1", "400");
  dp_macro_context_set (ctx, "PRVTMR", "1300");
  dp_macro_context_set (ctx, "EXTIP", "66.43.16.52");
  dp_macro_context_set (ctx, "PRVST", "-1");
  g_assert_true (cond (ctx, "$REGTMR1 gt 300 and $PRVTMR gt 1200 and \"$EXTIP\" ne \"\""));
  g_assert_false (cond (ctx, "$REGTMR1 gt 300 and $PRVTMR gt 1300"));
  g_assert_true (cond (ctx, "$PRVST eq -1 and $PRVST lt 0"));
  g_assert_true (cond (ctx, "10 > 9"));     /* numbers, not text */
  g_assert_true (cond (ctx, "007 = 7"));

  static const struct { const char *op; gboolean lt, eq, gt; } ops[] = {
    { "eq", 0, 1, 0 }, { "=", 0, 1, 0 }, { "EQ", 0, 1, 0 },
    { "ne", 1, 0, 1 }, { "!=", 1, 0, 1 }, { "!", 1, 0, 1 },
    { "lt", 1, 0, 0 }, { "<", 1, 0, 0 },
    { "le", 1, 1, 0 }, { "<=", 1, 1, 0 },
    { "gt", 0, 0, 1 }, { ">", 0, 0, 1 },
    { "ge", 0, 1, 1 }, { ">=", 0, 1, 1 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      g_autofree char *lt = g_strdup_printf ("3 %s 4", ops[i].op);
      g_autofree char *eq = g_strdup_printf ("4 %s 4", ops[i].op);
      g_autofree char *gt = g_strdup_printf ("5 %s 4", ops[i].op);

      g_assert_cmpint (cond (ctx, lt), ==, ops[i].lt);
      g_assert_cmpint (cond (ctx, eq), ==, ops[i].eq);
      g_assert_cmpint (cond (ctx, gt), ==, ops[i].gt);
    }
  /* symbols need no blanks around them */
  g_assert_true (cond (ctx, "5>4 and 3<4 and 4<=4 and 4>=4 and 3!=4 and 4=4 and 3!4"));
  g_assert_true (cond (ctx, "$REGTMR1>=400"));
}

static void
test_condition_versions (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();

  dp_macro_context_set (ctx, "CCERT", "Installed");
  dp_macro_context_set (ctx, "SWVER", "2.0.6");
  g_assert_true (cond (ctx, "$SWVER ge 2.0.6 and \"$CCERT\" eq \"Installed\""));
  g_assert_true (cond (ctx, "$SWVER gt 2.0.5"));
  g_assert_true (cond (ctx, "$SWVER lt 2.0.10"));      /* numeric components */
  g_assert_true (cond (ctx, "$SWVER eq 2.0.6.0"));     /* missing components are 0 */
  g_assert_true (cond (ctx, "2.0 eq 2.0.0 and 2 lt 2.0.1 and 3 gt 2.9.9"));
  g_assert_true (cond (ctx, "1.0.31(b) lt 1.0.33"));
  /* decision: no suffix < any suffix, suffixes in ASCII order */
  g_assert_true (cond (ctx, "2.0.6 lt 2.0.6(b)"));
  g_assert_true (cond (ctx, "2.0.6(a) lt 2.0.6(b)"));
  g_assert_true (cond (ctx, "2.0.6(b) ne 2.0.6"));
  g_assert_true (cond (ctx, "2.0.3(0412s) lt 2.0.3(G)"));
  g_assert_true (cond (ctx, "2.0.6(b) lt 2.0.7"));
  g_assert_true (cond (ctx, "5.1.15(aSC) eq 5.1.15(aSC)"));
  dp_macro_context_set (ctx, "SWVER", "5.1.15(aSC)");
  g_assert_true (cond (ctx, "$SWVER gt 5.1.15 and $SWVER lt 5.1.16 and $SWVER ge 2.0.6"));
}

static void
test_condition_legacy (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();

  dp_macro_context_set (ctx, "SWVER", "1.0.31(b)");
  g_assert_true (cond (ctx, "! 1.0.33"));
  g_assert_true (cond (ctx, "!1.0.33"));
  g_assert_true (cond (ctx, "< 1.0.33"));
  g_assert_true (cond (ctx, "ge 1.0.31"));
  g_assert_true (cond (ctx, "! 1.0.33 and $SWVER ne 1.0.30"));
  dp_macro_context_set (ctx, "SWVER", "1.0.33");
  g_assert_false (cond (ctx, "! 1.0.33"));
  g_assert_true (cond (ctx, "$SWVER ! 1.0.32"));

  /* without $SWVER the legacy form cannot be evaluated */
  dp_macro_context_set (ctx, "SWVER", NULL);
  assert_cond_error (ctx, "  ! 1.0.33", DP_RULE_ERROR_TYPE, 3);
}

static void
test_condition_strings (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();

  dp_macro_context_set (ctx, "A", "has \"quote\" and eq");
  dp_macro_context_set (ctx, "B", "10");
  /* a value cannot break out of its quotes or add operators */
  g_assert_true (cond (ctx, "\"$A\" ne \"\""));
  g_assert_true (cond (ctx, "\"$B\" eq \"10\""));
  g_assert_false (cond (ctx, "\"$B\" eq \"010\""));   /* strings compare as text */
  g_assert_true (cond (ctx, "\"$B\" eq 10"));         /* a quoted side makes both text */
  g_assert_true (cond (ctx, "\"$(B:1)\" = \"0\""));
  g_assert_true (cond (ctx, "\"a b\" != \"a  b\""));

  assert_cond_error (ctx, "\"$B\" lt \"9\"", DP_RULE_ERROR_TYPE, 6);
  assert_cond_error (ctx, "$B gt abc", DP_RULE_ERROR_TYPE, 7);
  assert_cond_error (ctx, "$PN eq 1", DP_RULE_ERROR_TYPE, 1);     /* expands to SPA962 */
  assert_cond_error (ctx, "$STRANGE eq 1", DP_RULE_ERROR_TYPE, 1);
  assert_cond_error (ctx, "$UPGTMR eq 1", DP_RULE_ERROR_TYPE, 1); /* no value */
  assert_cond_error (ctx, "99999999999999999999 gt 1", DP_RULE_ERROR_TYPE, 1);
}

static void
test_condition_syntax (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();
  static const struct {
    const char *expr;
    DpRuleError code;
    guint position;
  } cases[] = {
    { "", DP_RULE_ERROR_SYNTAX, 1 },
    { "   ", DP_RULE_ERROR_SYNTAX, 1 },
    { "$A", DP_RULE_ERROR_SYNTAX, 3 },
    { "1 2", DP_RULE_ERROR_SYNTAX, 3 },
    { "1 eq", DP_RULE_ERROR_SYNTAX, 5 },
    { "1 eq eq 2", DP_RULE_ERROR_SYNTAX, 6 },
    { "1 eq 2 and", DP_RULE_ERROR_SYNTAX, 11 },
    { "1 eq 2 3 eq 3", DP_RULE_ERROR_SYNTAX, 8 },
    { "and 1 eq 2", DP_RULE_ERROR_SYNTAX, 1 },
    { "1 == 1", DP_RULE_ERROR_SYNTAX, 4 },
    { "1 eq 1 or 2 eq 2", DP_RULE_ERROR_NOT_ALLOWED, 8 },
    { "1 eq 1 OR 2 eq 2", DP_RULE_ERROR_NOT_ALLOWED, 8 },
    { "(1 eq 1)", DP_RULE_ERROR_SYNTAX, 1 },
    { "\"abc eq 1", DP_RULE_ERROR_SYNTAX, 1 },
    { "1 eq $(A", DP_RULE_ERROR_SYNTAX, 6 },
    { "2.0.6(b eq 1", DP_RULE_ERROR_SYNTAX, 6 },
    { "2.0.6() eq 1", DP_RULE_ERROR_TYPE, 1 },
    { "2.0.x eq 1", DP_RULE_ERROR_TYPE, 1 },
    { "abc eq 1", DP_RULE_ERROR_TYPE, 1 },
    { "1 lt \"2\"", DP_RULE_ERROR_TYPE, 3 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      assert_cond_error (ctx, cases[i].expr, cases[i].code, cases[i].position);
      g_assert_false (dp_condition_check (cases[i].expr, &error));
      g_assert_nonnull (error);
    }
}

static void
test_condition_short_circuit (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();

  /* evaluation stops at the first false comparison */
  g_assert_false (cond (ctx, "1 eq 2 and $UPGTMR gt 3"));
}

/* ---- triggers ---------------------------------------------------------- */

static void
test_triggers (void)
{
  g_autoptr(DpMacroContext) ctx = device_context ();
  g_autoptr(GError) error = NULL;
  gboolean result = TRUE;

  g_assert_true (dp_trigger_evaluate ("", ctx, &result, &error));
  g_assert_false (result);
  result = TRUE;
  g_assert_true (dp_trigger_evaluate ("  # $UPGTMR gt 300", ctx, &result, &error));
  g_assert_false (result);

  dp_macro_context_set (ctx, "UPGTMR", "301");
  dp_macro_context_set (ctx, "PRVTMR", "600");
  g_assert_true (dp_trigger_evaluate ("$UPGTMR gt 300 and $PRVTMR ge 600", ctx, &result, &error));
  g_assert_true (result);
  g_assert_true (dp_trigger_evaluate ("$UPGTMR gt 300 and $PRVTMR ge 601 # later", ctx, &result, &error));
  g_assert_false (result);
  g_assert_no_error (error);

  /* triggers are bare: the rule wrapper is an error */
  g_assert_false (dp_trigger_evaluate ("($UPGTMR gt 300)?", ctx, &result, &error));
  g_assert_error (error, DP_RULE_ERROR, DP_RULE_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "Resync trigger: position 1:"));
  g_clear_error (&error);

  g_assert_true (dp_trigger_check ("", NULL));
  g_assert_true (dp_trigger_check ("# nothing", NULL));
  g_assert_true (dp_trigger_check ("$PRVTMR ge 600", NULL));
  g_assert_false (dp_trigger_check ("$PRVTMR ge", &error));
  g_assert_true (g_str_has_prefix (error->message, "Resync trigger: position 11:"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rule/url/u1-path-only", test_u1_path_only);
  g_test_add_func ("/rule/url/u2-server-without-scheme", test_u2_server_without_scheme);
  g_test_add_func ("/rule/url/u3-u5-schemes-ports", test_u3_u4_u5_schemes_and_ports);
  g_test_add_func ("/rule/url/u6-no-path", test_u6_no_path);
  g_test_add_func ("/rule/url/u7-comment", test_u7_comment_is_empty_rule);
  g_test_add_func ("/rule/url/comment-after-rule", test_comment_after_rule);
  g_test_add_func ("/rule/url/default-server", test_default_server);
  g_test_add_func ("/rule/url/bad", test_bad_urls);
  g_test_add_func ("/rule/url/ipv6-encoding", test_ipv6_and_encoding);
  g_test_add_func ("/rule/worked/plain", test_worked_plain);
  g_test_add_func ("/rule/worked/regtmr", test_worked_regtmr);
  g_test_add_func ("/rule/worked/ccert", test_worked_ccert);
  g_test_add_func ("/rule/worked/provisioned-flag", test_worked_provisioned_flag);
  g_test_add_func ("/rule/worked/alias", test_worked_alias);
  g_test_add_func ("/rule/assignments", test_assignments);
  g_test_add_func ("/rule/skip-and-order", test_skip_and_order);
  g_test_add_func ("/rule/options", test_options);
  g_test_add_func ("/rule/upgrade", test_upgrade_rule);
  g_test_add_func ("/rule/report", test_report_rule);
  g_test_add_func ("/rule/syntax-errors", test_rule_syntax_errors);
  g_test_add_func ("/rule/whitespace", test_whitespace_and_newlines);
  g_test_add_func ("/rule/result-json-macros", test_result_json_and_macros);
  g_test_add_func ("/condition/integers", test_condition_integers);
  g_test_add_func ("/condition/versions", test_condition_versions);
  g_test_add_func ("/condition/legacy", test_condition_legacy);
  g_test_add_func ("/condition/strings", test_condition_strings);
  g_test_add_func ("/condition/syntax", test_condition_syntax);
  g_test_add_func ("/condition/short-circuit", test_condition_short_circuit);
  g_test_add_func ("/trigger/evaluate", test_triggers);
  return g_test_run ();
}
