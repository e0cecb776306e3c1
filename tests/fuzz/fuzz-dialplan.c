/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for the dial plan parser and the dialer. Input: the plan text,
 * optionally a newline and keys to feed (`T` lets the armed timer fire, `#`
 * is the send key, other bytes are skipped). Every plan that parses is also
 * run with the factory codes and IP dialing on. */
#include <stdint.h>
#include <string.h>

#include "dp-dialplan.h"

#define MAX_KEYS 512

static void
drain (GPtrArray *events)
{
  for (guint i = 0; i < events->len; i++)
    {
      DpDialEvent *event = g_ptr_array_index (events, i);

      /* The events must be self-consistent whatever the input. */
      if (event->type == DP_DIAL_EVENT_SEND && event->number == NULL)
        __builtin_trap ();
      if (event->type == DP_DIAL_EVENT_TIMER && event->seconds == 0)
        __builtin_trap ();
    }
  g_ptr_array_unref (events);
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  char *keys = strchr (text, '\n');
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDialPlan) plan = NULL;
  g_autoptr(DpDialer) dialer = NULL;
  guint fed = 0;

  if (keys != NULL)
    *keys++ = '\0';
  plan = dp_dial_plan_parse (text, &error);
  if (plan == NULL)
    {
      /* A rejection always says where. */
      if (error == NULL || strstr (error->message, "position ") == NULL)
        __builtin_trap ();
      return 0;
    }
  if (!dp_dial_plan_check (text, NULL))
    __builtin_trap ();

  dialer = dp_dialer_new (plan);
  dp_dialer_add_default_codes (dialer);
  dp_dialer_set_ip_dialing (dialer, TRUE);
  drain (dp_dialer_start (dialer));
  for (const char *k = keys; k != NULL && *k != '\0' && fed < MAX_KEYS; k++, fed++)
    {
      if (*k == 'T')
        drain (dp_dialer_timer_expired (dialer));
      else if (dp_dial_key_is_valid (*k))
        drain (dp_dialer_press_key (dialer, *k));
    }
  /* Whatever happened, the send key ends it. */
  drain (dp_dialer_send (dialer));
  if (!dp_dialer_is_finished (dialer))
    __builtin_trap ();
  return 0;
}
