/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * `deskphonectl macro TEXT [--set NAME=VALUE]... [--secrets] [--json]`
 * (architecture §4.2): expands the provisioning macros of TEXT against the
 * device state given with --set (same rules as `deskphonectl rule`; facts
 * not given stay verbatim). --secrets expands $SA…$SD as inside a --key
 * argument. A malformed `$(` form exits 2 naming its position. */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "deskphonectl"

#include <stdio.h>

#include "dp-ctl.h"
#include "dp-ctl-rule.h"
#include "dp-macro.h"


int
dp_ctl_cmd_macro (int argc, char **argv)
{
  g_auto(GStrv) sets = NULL;
  g_autofree char *server = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expanded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DpMacroContext) ctx = NULL;
  gboolean json = FALSE, secrets = FALSE;
  GOptionEntry entries[] = {
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      N_("A parameter or device fact (GPP_A, MA, SN, PN, SWVER, …)"), "NAME=VALUE" },
    { "secrets", 0, 0, G_OPTION_ARG_NONE, &secrets,
      N_("Expand $SA…$SD as inside a --key argument"), NULL },
    { NULL }
  };

  if (!dp_ctl_parse_options (&argc, &argv, "TEXT",
                             N_("Expand SPA provisioning macros ($NAME, $(NAME:p:q), $$)."),
                             entries, &json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc < 2)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT,
                        _("usage: macro TEXT [--set NAME=VALUE]... [--secrets] [--json]"));

  text = g_strjoinv (" ", argv + 1);
  if (!dp_macro_check (text, &error))
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "%s", error->message);
  ctx = dp_ctl_rule_context_new (sets, &server, &error);
  if (ctx == NULL)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "%s", error->message);

  expanded = dp_macro_expand (text, ctx, secrets ? DP_MACRO_FLAGS_SECRETS : DP_MACRO_FLAGS_NONE);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, expanded);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      dp_ctl_print_json (root);
    }
  else
    printf ("%s\n", expanded);
  return DP_CTL_EXIT_OK;
}
