/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * `deskphonectl rule RULE [--trigger] [--upgrade] [--report]
 *  [--set NAME=VALUE]... [--server HOST[:PORT]] [--json]` (architecture §4.2):
 * evaluates a Profile_Rule / Upgrade_Rule / Report_Rule, or with --trigger a
 * bare Resync_Trigger condition, offline against the device state given with
 * --set, and prints what the phone would do.
 *
 * --set takes a parameter or a device fact:
 * - GPP_A…GPP_P, GPP_SA…GPP_SD give the macros $A…$P, $SA…$SD; they default
 *   to "" (the factory value of those parameters), so `$A` expands to "" when
 *   not set. User_ID_n_ gives $UIDn.
 * - Provisioning_TFTP_Server (or --server) stands in for DHCP option 66.
 * - Any macro name (MA, SN, PN, SWVER, REGTMR1, PRVTMR, CCERT, EXTIP, …) sets
 *   that fact. MA, MAU and MAC are derived from one another when only some
 *   are given (any MAC spelling is accepted); PSN is derived from PN (the
 *   digits from the first one on: SPA962 → 962) when not given. UPGCOND is
 *   "true", as on every firmware since 2.0.6.
 * - Other parameter names are accepted and change nothing a rule reads.
 * Facts not given are unknown: their macros stay verbatim (no MAC is
 * invented), and a condition that needs one fails with exit 2. */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "deskphonectl"

#include <stdio.h>
#include <string.h>

#include "dp-ctl.h"
#include "dp-ctl-rule.h"
#include "dp-rule.h"


static gboolean
is_parameter_name (const char *name)
{
  if (name[0] == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.' && *p != '[' && *p != ']')
      return FALSE;
  return TRUE;
}

static gboolean
derive_mac (DpMacroContext *ctx, GHashTable *given, GError **error)
{
  static const char *const forms[] = { "MA", "MAC", "MAU" };
  g_autoptr(DpMacroContext) derived = dp_macro_context_new ();
  const char *source = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (forms) && source == NULL; i++)
    if (g_hash_table_contains (given, forms[i]))
      source = forms[i];
  if (source == NULL)
    return TRUE;
  if (!dp_macro_context_set_mac (derived, dp_macro_context_lookup (ctx, source), error))
    {
      g_prefix_error (error, "--set %s: ", source);
      return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (forms); i++)
    if (!g_hash_table_contains (given, forms[i]))
      dp_macro_context_set (ctx, forms[i], dp_macro_context_lookup (derived, forms[i]));
  return TRUE;
}

DpMacroContext *
dp_ctl_rule_context_new (char      **sets,
                         char      **default_server,
                         GError    **error)
{
  g_autoptr(DpMacroContext) ctx = dp_macro_context_new ();
  g_autoptr(GHashTable) given = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  static const char *const secrets[] = { "SA", "SB", "SC", "SD" };

  for (char c = 'A'; c <= 'P'; c++)
    {
      char name[2] = { c, '\0' };
      dp_macro_context_set (ctx, name, "");
    }
  for (gsize i = 0; i < G_N_ELEMENTS (secrets); i++)
    dp_macro_context_set (ctx, secrets[i], "");
  dp_macro_context_set (ctx, "UPGCOND", "true");

  for (gsize i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      const char *eq = strchr (sets[i], '=');
      g_autofree char *name = eq != NULL ? g_strndup (sets[i], eq - sets[i]) : NULL;
      const char *value = eq != NULL ? eq + 1 : NULL;
      const char *macro;

      if (name == NULL || !is_parameter_name (name))
        {
          g_set_error (error, DP_RULE_ERROR, DP_RULE_ERROR_SYNTAX,
                       _("--set '%s': expected NAME=VALUE with a parameter or macro name"), sets[i]);
          return NULL;
        }
      if (g_str_equal (name, "Provisioning_TFTP_Server"))
        {
          g_free (*default_server);
          *default_server = g_strdup (value);
          continue;
        }
      macro = dp_macro_name_for_parameter (name);
      if (macro == NULL && dp_macro_name_is_known (name, DP_MACRO_FLAGS_SECRETS))
        macro = name;
      if (macro == NULL)
        continue;   /* a parameter no macro reads */
      dp_macro_context_set (ctx, macro, value);
      g_hash_table_add (given, g_strdup (macro));
    }

  if (!derive_mac (ctx, given, error))
    return NULL;
  if (g_hash_table_contains (given, "PN") && !g_hash_table_contains (given, "PSN"))
    {
      const char *pn = dp_macro_context_lookup (ctx, "PN");
      const char *digits = strpbrk (pn, "0123456789");

      if (digits != NULL)
        dp_macro_context_set (ctx, "PSN", digits);
    }
  return g_steal_pointer (&ctx);
}

static void
print_text (const DpRuleResult *r)
{
  if (r->skip)
    {
      printf ("skip: no alternative applies\n");
      return;
    }
  printf ("alternative %u\n", r->alternative);
  for (guint i = 0; i < r->assignments->len; i++)
    {
      const DpRuleAssignment *a = g_ptr_array_index (r->assignments, i);
      printf ("assign %s = \"%s\"\n", a->name, a->value);
    }
  if (r->has_url)
    printf ("%s %s\n", dp_rule_method_to_string (r->method), r->url);
  else
    printf ("no fetch\n");
  if (r->body != NULL)
    printf ("body (GPP_%c): %s\n", g_ascii_toupper (r->post[0]), r->body);
  if (r->key != NULL)
    printf ("key: %s\n", r->key);
  if (r->alias != NULL)
    printf ("alias (GPP_%c): %s\n", g_ascii_toupper (r->alias[0]), r->alias_map);
  if (r->uid != NULL)
    printf ("uid: %s\n", r->uid);
  if (r->pwd != NULL)
    printf ("pwd: %s\n", r->pwd);
  if (r->delta)
    printf ("delta report\n");
}

int
dp_ctl_cmd_rule (int argc, char **argv)
{
  g_auto(GStrv) sets = NULL;
  g_autofree char *server = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DpMacroContext) ctx = NULL;
  gboolean json = FALSE, trigger = FALSE, upgrade = FALSE, report = FALSE;
  GOptionEntry entries[] = {
    { "trigger", 't', 0, G_OPTION_ARG_NONE, &trigger,
      N_("Evaluate a bare Resync_Trigger condition"), NULL },
    { "upgrade", 'u', 0, G_OPTION_ARG_NONE, &upgrade,
      N_("The rule is an Upgrade_Rule (no [options])"), NULL },
    { "report", 'r', 0, G_OPTION_ARG_NONE, &report,
      N_("The rule is a Report_Rule"), NULL },
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      N_("A parameter or device fact (GPP_A, MA, SN, PN, SWVER, REGTMR1, …)"), "NAME=VALUE" },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("Default server (stands in for DHCP option 66)"), "HOST[:PORT]" },
    { NULL }
  };

  if (!dp_ctl_parse_options (&argc, &argv, "RULE",
                             N_("Evaluate a profile/upgrade/report rule or a resync trigger offline."),
                             entries, &json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc < 2)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT,
                        _("usage: rule RULE [--trigger|--upgrade|--report] [--set NAME=VALUE]... "
                        "[--server HOST] [--json]"));
  if (trigger + upgrade + report > 1)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT,
                        _("--trigger, --upgrade and --report exclude each other"));

  /* An unquoted rule with blanks arrives split. */
  text = g_strjoinv (" ", argv + 1);
  ctx = dp_ctl_rule_context_new (sets, &server, &error);
  if (ctx == NULL)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "%s", error->message);

  if (trigger)
    {
      gboolean fires = FALSE;

      if (!dp_trigger_evaluate (text, ctx, &fires, &error))
        return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "%s", error->message);
      if (json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "trigger");
          json_builder_add_boolean_value (b, fires);
          json_builder_end_object (b);
          root = json_builder_get_root (b);
          dp_ctl_print_json (root);
        }
      else
        printf ("trigger: %s\n", fires ? "true" : "false");
      return DP_CTL_EXIT_OK;
    }

  {
    DpRuleKind kind = upgrade ? DP_RULE_KIND_UPGRADE
                      : report ? DP_RULE_KIND_REPORT : DP_RULE_KIND_PROFILE;
    g_autoptr(DpRule) rule = dp_rule_parse_kind (text, kind, &error);
    g_autoptr(DpRuleResult) result = NULL;

    if (rule == NULL || !dp_rule_evaluate (rule, ctx, server, &result, &error))
      return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "%s", error->message);
    if (json)
      {
        g_autoptr(JsonNode) root = dp_rule_result_to_json (result);
        dp_ctl_print_json (root);
      }
    else
      print_text (result);
  }
  return DP_CTL_EXIT_OK;
}
