/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for the rule language: the input is parsed as a profile,
 * upgrade and report rule, as a condition and as a resync trigger; every
 * rule that parses is evaluated against a device whose values are picked
 * to reach both branches of typical conditions. */
#include "dp-rule.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
assert_positioned (GError **error)
{
  g_assert_nonnull (*error);
  g_assert_true ((*error)->domain == DP_RULE_ERROR);
  g_assert_nonnull (strstr ((*error)->message, "position "));
  g_clear_error (error);
}

static void
check_result (const DpRuleResult *r)
{
  g_autoptr(JsonNode) node = dp_rule_result_to_json (r);
  g_autoptr(DpRuleResult) copy = dp_rule_result_copy (r);

  g_assert_nonnull (node);
  if (r->skip)
    {
      g_assert_false (r->has_url);
      g_assert_cmpuint (r->assignments->len, ==, 0);
      return;
    }
  g_assert_cmpuint (r->alternative, >=, 1);
  if (r->has_url)
    {
      g_assert_nonnull (r->url);
      g_assert_true (r->port >= 1 && r->port <= 65535);
      g_assert_true (r->path[0] == '/');
      g_assert_null (strpbrk (r->path, " \t\r\n#"));
      g_assert_true (g_str_equal (r->scheme, "tftp") || g_str_equal (r->scheme, "http") ||
                     g_str_equal (r->scheme, "https"));
    }
  g_assert_cmpuint (copy->assignments->len, ==, r->assignments->len);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const DpRuleKind kinds[] = {
    DP_RULE_KIND_PROFILE, DP_RULE_KIND_UPGRADE, DP_RULE_KIND_REPORT,
  };
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(DpMacroContext) ctx = dp_macro_context_new ();
  GError *error = NULL;
  gboolean result;

  g_assert_true (dp_macro_context_set_mac (ctx, "000e08aabbcc", NULL));
  dp_macro_context_set (ctx, "SWVER", "5.1.15(aSC)");
  dp_macro_context_set (ctx, "PN", "SPA962");
  dp_macro_context_set (ctx, "PSN", "962");
  dp_macro_context_set (ctx, "REGTMR1", "0");
  dp_macro_context_set (ctx, "PRVTMR", "700");
  dp_macro_context_set (ctx, "CCERT", "Installed");
  dp_macro_context_set (ctx, "A", "Provisioned");
  dp_macro_context_set (ctx, "B", "1.2.3");
  dp_macro_context_set (ctx, "C", "host.example:8080");
  dp_macro_context_set (ctx, "D", "$A \"x\" | ( ] #");
  dp_macro_context_set (ctx, "SA", "secret");

  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(DpRule) rule = dp_rule_parse_kind (text, kinds[k], &error);

      if (rule == NULL)
        {
          assert_positioned (&error);
          continue;
        }
      g_assert_cmpint (dp_rule_get_kind (rule), ==, kinds[k]);
      for (int with_server = 0; with_server < 2; with_server++)
        {
          g_autoptr(DpRuleResult) r = NULL;

          if (dp_rule_evaluate (rule, with_server ? ctx : NULL,
                                with_server ? "10.0.0.5" : NULL, &r, &error))
            check_result (r);
          else
            {
              g_assert_null (r);
              assert_positioned (&error);
            }
        }
    }

  if (!dp_condition_eval (text, ctx, &result, &error))
    assert_positioned (&error);
  if (!dp_condition_check (text, &error))
    assert_positioned (&error);
  if (!dp_trigger_evaluate (text, ctx, &result, &error))
    assert_positioned (&error);
  if (!dp_trigger_check (text, &error))
    assert_positioned (&error);
  return 0;
}
