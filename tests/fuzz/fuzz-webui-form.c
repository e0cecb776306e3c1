/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for web form input: the body of a POST to the web UI is
 * decoded exactly as the server does (soup_form_decode) and submitted
 * through dp_webui_form_apply() as a user and as an admin, against a small
 * catalogue covering every kind of field (text, bounded int, bool, enum,
 * secret, status value, admin-only). Checks: a refused submission reports
 * at least one error and changes nothing; an accepted one reports none; the
 * exported profile (whatever values the form managed to set) always reads
 * back through the XML profile parser with one assignment per parameter. */
#include <deskphone.h>
#include <libsoup/soup.h>
#include <stdint.h>
#include <stdlib.h>

#include "dp-webui-forms.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const DpParamDecl fuzz_decls[] = {
  { .name = "F_Text", .type = DP_PARAM_STRING, .default_value = "a", .group = "SIP/General", .user_access = DP_ACCESS_RW },
  { .name = "F_Int", .type = DP_PARAM_INT, .default_value = "5", .group = "SIP/General", .min = 1, .max = 10, .user_access = DP_ACCESS_RW },
  { .name = "F_Bool", .type = DP_PARAM_BOOL, .default_value = "1", .group = "SIP/General", .user_access = DP_ACCESS_RW },
  { .name = "F_Enum", .type = DP_PARAM_ENUM, .default_value = "x", .group = "Regional/General", .choices = "x|y|z", .user_access = DP_ACCESS_RW },
  { .name = "F_Secret", .type = DP_PARAM_STRING, .default_value = "s3cr&t", .group = "Ext_1/Sub", .flags = DP_PARAM_FLAG_SECRET },
  { .name = "F_Status", .type = DP_PARAM_STRING, .default_value = "up", .group = "Info/Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "F_Admin", .type = DP_PARAM_STRING, .default_value = "b", .group = "System/General", .flags = DP_PARAM_FLAG_ADMIN_ONLY, .user_access = DP_ACCESS_RW },
};

static void
submit (const char *text, DpWebuiRole role)
{
  g_autoptr(DpConfig) config = dp_config_new ();
  g_autoptr(GHashTable) form = soup_form_decode (text);
  g_autoptr(GHashTable) errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(DpProfile) exported = NULL;
  g_autofree char *xml = NULL;
  guint applied = G_MAXUINT;

  if (!dp_config_register (config, "fuzz", fuzz_decls, G_N_ELEMENTS (fuzz_decls), &error))
    abort ();
  if (dp_webui_form_apply (config, form, role, errors, &applied))
    {
      if (g_hash_table_size (errors) != 0 || applied > G_N_ELEMENTS (fuzz_decls))
        abort ();
    }
  else
    {
      if (g_hash_table_size (errors) == 0)
        abort ();
      /* All or nothing: a refused form leaves the defaults in place. */
      for (gsize i = 0; i < G_N_ELEMENTS (fuzz_decls); i++)
        if (g_strcmp0 (dp_config_get (config, fuzz_decls[i].name), fuzz_decls[i].default_value) != 0)
          abort ();
    }

  xml = dp_webui_export_profile (config);
  exported = dp_profile_parse_xml (xml, strlen (xml), &error);
  if (exported == NULL || dp_profile_get_n_assignments (exported) != G_N_ELEMENTS (fuzz_decls))
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* The server reads the body as a C string (g_strndup), so a NUL ends it. */
  g_autofree char *text = g_strndup ((const char *) data, size);

  submit (text, DP_WEBUI_ROLE_USER);
  submit (text, DP_WEBUI_ROLE_ADMIN);
  return 0;
}
