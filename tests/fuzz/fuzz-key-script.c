/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for the SPA932 key-script parser, checker and expansion. */
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dp-key-script.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(DpKeyScript) script = dp_key_script_parse (text, &error);

  if (script != NULL)
    {
      g_autoptr(DpKeyScript) expanded = dp_key_script_expand (script, "pbx.example:5060", "1001");
      g_autofree char *functions = dp_key_functions_to_string (script->functions);

      if (script->functions == 0 || script->functions > 7 || functions[0] == '\0')
        abort ();
      if ((script->functions & DP_KEY_FUNCTION_BLF) && script->sub == NULL)
        abort ();
      if ((script->functions & DP_KEY_FUNCTION_SPEED_DIAL) &&
          dp_key_script_get_dial_target (expanded) == NULL)
        abort ();
      if (script->nme != NULL && !g_utf8_validate (script->nme, -1, NULL))
        abort ();
      if (!dp_key_script_check (text, NULL))
        abort ();
    }
  else if (error == NULL || strstr (error->message, "position ") == NULL)
    abort ();
  return 0;
}
