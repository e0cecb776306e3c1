/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for the dialog-info+xml parser and the dialog state: every
 * accepted document is applied twice (the second time must be stale). */
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dp-dialog-info.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDialogInfo) info = dp_dialog_info_parse (data, size, &error);
  g_autoptr(DpDialogSet) set = NULL;

  if (info == NULL)
    {
      if (error == NULL || error->message[0] == '\0')
        abort ();
      return 0;
    }
  if (info->entity == NULL || info->dialogs->len > DP_DIALOG_INFO_MAX_DIALOGS)
    abort ();
  set = dp_dialog_set_new ();
  if (dp_dialog_set_apply (set, info, &error) == info->partial)
    abort ();
  g_clear_error (&error);
  if (!info->partial)
    {
      DpBlfState state = dp_dialog_set_get_blf_state (set);

      if (state < DP_BLF_STATE_IDLE || state > DP_BLF_STATE_HELD)
        abort ();
      if ((state == DP_BLF_STATE_RINGING) != (dp_dialog_set_get_ringing (set) != NULL))
        abort ();
      if (dp_dialog_set_apply (set, info, &error) ||
          !g_error_matches (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_STALE))
        abort ();
    }
  return 0;
}
