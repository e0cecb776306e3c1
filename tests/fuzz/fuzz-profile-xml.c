/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target: flat-profile XML parser. Any input must give a profile or an
 * error, never a crash or a leak; a successful parse is re-checked for the
 * invariants the appliers rely on. */
#include "dp-profile.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpProfile) profile = dp_profile_parse_xml ((const char *) data, size, &error);

  if (profile == NULL)
    {
      g_assert (error != NULL && error->domain == DP_PROFILE_ERROR);
      return 0;
    }
  for (guint i = 0; i < dp_profile_get_n_assignments (profile); i++)
    {
      const DpAssignment *a = dp_profile_get_assignment (profile, i);

      g_assert (a->name != NULL && a->name[0] != '\0');
      g_assert ((a->op == DP_VALUE_SET) == (a->value != NULL));
      g_assert (a->value == NULL || g_utf8_validate (a->value, -1, NULL));
      g_assert (a->value == NULL || strchr (a->value, '\n') == NULL);
    }
  return 0;
}
