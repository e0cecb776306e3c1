/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for the RingScript and LED script parsers and their JSON. */
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dp-script.h"
#include "dp-ring-script.h"
#include "dp-led-script.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ring_json = NULL;
  g_autoptr(JsonNode) led_json = NULL;
  DpRingScript ring;
  DpLedScript led;

  if (dp_ring_script_parse (text, &ring, &error))
    {
      if (ring.name[0] == '\0' || ring.cadence > 9 || ring.waveform > DP_RING_WAVEFORM_SWEEP ||
          !g_utf8_validate (ring.name, -1, NULL))
        abort ();
      if (ring.waveform == DP_RING_WAVEFORM_URL &&
          (ring.url_host[0] == '\0' || ring.url_path[0] != '/' || ring.url_port == 0))
        abort ();
    }
  else if (error == NULL || strstr (error->message, "position ") == NULL)
    abort ();
  g_clear_error (&error);

  if (dp_led_script_parse (text, &led, &error))
    {
      guint timing[DP_LED_MAX_TIMING];
      guint n = dp_led_script_get_timing (&led, timing);

      if (n > DP_LED_MAX_TIMING || n % 2 != 0 ||
          (led.pattern == DP_LED_PATTERN_USER) != (led.n_timing > 0))
        abort ();
    }
  else if (error == NULL || strstr (error->message, "position ") == NULL)
    abort ();
  g_clear_error (&error);

  ring_json = dp_script_to_json (text, DP_SCRIPT_KIND_RING, &error);
  if ((ring_json == NULL) == (error == NULL))
    abort ();
  g_clear_error (&error);
  led_json = dp_script_to_json (text, DP_SCRIPT_KIND_LED, &error);
  if ((led_json == NULL) == (error == NULL))
    abort ();
  return 0;
}
