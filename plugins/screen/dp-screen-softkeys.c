/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-screen"

#include "dp-build-config.h"
#include "dp-screen-softkeys.h"

#include <glib/gi18n-lib.h>

static const struct {
  const char *id;
  const char *label;
} labels[] = {
  { "redial", N_("Redial") },
  { "dir", N_("Dir") },
  { "cfwd", N_("Cfwd") },
  { "cfwd-off", N_("-Cfwd") },
  { "dnd", N_("DND") },
  { "dnd-off", N_("-DND") },
  { "dial", N_("Dial") },
  { "delchar", N_("<<") },
  { "cancel", N_("Cancel") },
  { "answer", N_("Answer") },
  { "ignore", N_("Ignore") },
  { "endcall", N_("EndCall") },
  { "hold", N_("Hold") },
  { "resume", N_("Resume") },
  { "conf", N_("Conf") },
  { "xfer", N_("Xfer") },
  { "newcall", N_("NewCall") },
};

/**
 * dp_screen_softkey_label:
 * @id: a softkey id
 *
 * Returns: the translated label (in the current gettext language), or
 *   %NULL for an unknown id
 */
const char *
dp_screen_softkey_label (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].id, id))
      return _(labels[i].label);
  return NULL;
}

/**
 * dp_screen_softkeys_for:
 * @context: the state
 * @ids: (out caller-allocates) (array fixed-size=5): the softkey ids, left to right
 *
 * Returns: how many softkeys are shown (at most %DP_SCREEN_MAX_SOFTKEYS)
 */
guint
dp_screen_softkeys_for (const DpScreenSoftkeyContext *context, const char **ids)
{
  guint n = 0;

#define ADD(id) (ids[n++] = (id))
  if (context->entry != DP_SCREEN_ENTRY_NONE)
    {
      ADD ("dial");
      if (context->has_digits)
        ADD ("delchar");
      ADD ("cancel");
    }
  else if (context->has_call)
    {
      switch (context->state)
        {
        case DP_CALL_STATE_RINGING:
          ADD ("answer");
          ADD ("ignore");
          break;
        case DP_CALL_STATE_ACTIVE:
          ADD ("hold");
          if (context->can_conference)
            ADD ("conf");
          ADD ("xfer");
          ADD ("endcall");
          break;
        case DP_CALL_STATE_REMOTE_HELD:
          ADD ("hold");
          ADD ("xfer");
          ADD ("endcall");
          break;
        case DP_CALL_STATE_HELD:
          ADD ("resume");
          ADD ("endcall");
          ADD ("newcall");
          break;
        case DP_CALL_STATE_DIALING:
        case DP_CALL_STATE_PROCEEDING:
        case DP_CALL_STATE_RINGBACK:
        case DP_CALL_STATE_ENDED:
        default:
          ADD ("endcall");
          break;
        }
    }
  else if (context->off_hook)
    {
      ADD ("dial");
      if (context->has_digits)
        ADD ("delchar");
      ADD ("cancel");
      ADD ("dir");
    }
  else
    {
      ADD ("redial");
      ADD ("dir");
      ADD (context->cfwd ? "cfwd-off" : "cfwd");
      ADD (context->dnd ? "dnd-off" : "dnd");
    }
#undef ADD
  g_assert (n <= DP_SCREEN_MAX_SOFTKEYS);
  return n;
}
