/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * deskphonectl profile FILE [--key K] [--json]: parse a profile offline (XML,
 * plain text, gzip, encrypted) and print its assignments in order, so an
 * admin can check a file before putting it on the provisioning server. */
#include "dp-ctl.h"
#include "dp-profile.h"

#include <stdio.h>

static JsonNode *
profile_to_json (DpProfile *profile)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < dp_profile_get_n_assignments (profile); i++)
    {
      const DpAssignment *a = dp_profile_get_assignment (profile, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, a->name);
      json_builder_set_member_name (builder, "value");
      if (a->op == DP_VALUE_SET)
        json_builder_add_string_value (builder, a->value);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "access");
      if (a->has_access)
        json_builder_add_string_value (builder, dp_access_to_string (a->access));
      else
        json_builder_add_null_value (builder);
      /* value null alone means "keep"; a reset must not look the same. */
      if (a->op == DP_VALUE_RESET)
        {
          json_builder_set_member_name (builder, "reset");
          json_builder_add_boolean_value (builder, TRUE);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static void
print_listing (DpProfile *profile)
{
  for (guint i = 0; i < dp_profile_get_n_assignments (profile); i++)
    {
      const DpAssignment *a = dp_profile_get_assignment (profile, i);
      g_autofree char *access = a->has_access
                                ? g_strdup_printf ("  [user %s]", dp_access_to_string (a->access))
                                : g_strdup ("");

      switch (a->op)
        {
        case DP_VALUE_SET:
          printf ("%s = %s%s\n", a->name, a->value, access);
          break;
        case DP_VALUE_RESET:
          printf (_("%s (factory default)%s\n"), a->name, access);
          break;
        case DP_VALUE_KEEP:
        default:
          printf (_("%s (unchanged)%s\n"), a->name, access);
          break;
        }
    }
}

int
dp_ctl_cmd_profile (int argc, char **argv)
{
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DpProfile) profile = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "key", 'k', 0, G_OPTION_ARG_STRING, &key,
      N_("Passphrase of an encrypted profile (openssl enc -k)"), "K" },
    { NULL }
  };

  if (!dp_ctl_parse_options (&argc, &argv, "FILE",
                             N_("Parse a profile (XML, plain text, gzip, encrypted) and print "
                             "its assignments in order."), entries, &as_json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc != 2)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("profile takes exactly one FILE argument"));

  profile = dp_profile_parse_file (argv[1], key, &error);
  if (profile == NULL)
    {
      /* Unreadable file: the operation failed; anything else is bad input. */
      if (error->domain == G_FILE_ERROR)
        return dp_ctl_fail (DP_CTL_EXIT_FAILED, "%s", error->message);
      return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "%s: %s", argv[1], error->message);
    }

  if (as_json)
    {
      g_autoptr(JsonNode) root = profile_to_json (profile);

      dp_ctl_print_json (root);
    }
  else
    {
      print_listing (profile);
    }
  return DP_CTL_EXIT_OK;
}
