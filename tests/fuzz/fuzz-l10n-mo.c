/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for the dictionary validator of the l10n plugin
 * (dp_l10n_mo_validate): a dictionary comes from the provisioning server
 * (Dictionary_Server_Script) and is installed only if it passes, after which
 * glibc reads it, so every offset and string must be checked here. The
 * source is included because the l10n plugin is a module. The first input
 * byte picks the expected language (none, "de" or "fr"); the rest is the
 * catalogue, in an exact-size copy so a read past the end is caught. */
#include "../../plugins/l10n/dp-l10n-mo.c"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const languages[] = { NULL, "de", "fr" };
  const char *expected;
  guint8 *copy;
  DpL10nMoInfo info = { NULL, 0 };
  GError *error = NULL;

  if (size == 0)
    return 0;
  expected = languages[data[0] % G_N_ELEMENTS (languages)];
  copy = g_memdup2 (data + 1, size - 1);
  if (dp_l10n_mo_validate (copy, size - 1, expected, &info, &error))
    {
      /* An accepted catalogue always names its language, and the right one. */
      if (error != NULL || info.language == NULL || info.language[0] == '\0')
        abort ();
      if (expected != NULL && g_ascii_strncasecmp (info.language, expected, 2) != 0)
        abort ();
      dp_l10n_mo_info_clear (&info);
    }
  else
    {
      if (error == NULL || error->message[0] == '\0' || info.language != NULL)
        abort ();
      g_clear_error (&error);
    }
  g_free (copy);
  return 0;
}
