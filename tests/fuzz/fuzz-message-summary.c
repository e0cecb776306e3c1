/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for the sip plugin's RFC 3842 message-summary reader: the body
 * of an unsolicited NOTIFY is hostile input from any host that can reach the
 * line. The source is included (like fuzz-sip-sdp.c) because the sip plugin
 * is a module, not a library. The input is parsed from an exact-size copy
 * without a terminating NUL, so a read past the end is caught by ASan. */
#include "../../plugins/sip/dp-sip-util.c"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *body = g_memdup2 (data, size);
  GError *error = NULL;
  gboolean waiting = 2;
  guint new_messages = 1234, old_messages = 5678;
  gboolean ok;

  ok = dp_sip_message_summary_parse (body, size, &waiting, &new_messages, &old_messages, &error);
  if (ok)
    {
      /* Success means a yes/no Messages-Waiting line was read. */
      if (error != NULL || (waiting != TRUE && waiting != FALSE))
        abort ();
    }
  else
    {
      /* A failure names the problem; the counts never keep stale values. */
      if (error == NULL || error->message == NULL || error->message[0] == '\0')
        abort ();
      g_clear_error (&error);
    }
  if (new_messages == 1234 || old_messages == 5678)
    abort ();

  /* The optional outputs may be left out. */
  ok = dp_sip_message_summary_parse (body, size, &waiting, NULL, NULL, &error);
  g_clear_error (&error);
  (void) ok;
  g_free (body);
  return 0;
}
