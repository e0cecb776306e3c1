/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for the FreqScript / ToneScript / CadScript parsers, the kind
 * detection + JSON decode, and the tone generator on whatever parses. */
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dp-script.h"
#include "dp-tone-script.h"
#include "dp-tone-generator.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_cadence (const DpCadScript *cad,
               guint              n_components)
{
  if (cad->n_sections < 1 || cad->n_sections > DP_TONE_MAX_SECTIONS)
    abort ();
  for (guint i = 0; i < cad->n_sections; i++)
    {
      const DpToneSection *s = &cad->sections[i];

      if (s->n_segments < 1 || s->n_segments > DP_TONE_MAX_SEGMENTS || s->duration_ms < -1)
        abort ();
      for (guint j = 0; j < s->n_segments; j++)
        if (s->segments[j].on_ms < -1 || s->segments[j].off_ms < -1 ||
            (s->segments[j].components >> n_components) != 0)
          abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  DpFreqScript freq;
  DpCadScript cad;
  DpToneScript tone;

  if (dp_freq_script_parse (text, &freq, &error))
    {
      if (freq.n_components < 1 || freq.n_components > DP_TONE_MAX_COMPONENTS)
        abort ();
    }
  else if (error == NULL || strstr (error->message, "position ") == NULL)
    abort ();
  g_clear_error (&error);

  if (dp_cad_script_parse (text, &cad, &error))
    check_cadence (&cad, 0);
  else if (error == NULL || strstr (error->message, "position ") == NULL)
    abort ();
  g_clear_error (&error);

  if (dp_tone_script_parse (text, &tone, &error))
    {
      g_autoptr(DpToneGenerator) gen = NULL;

      check_cadence (&tone.cadence, tone.freq.n_components);
      gen = dp_tone_generator_new (&tone, 48000, NULL);
      if (gen != NULL)
        {
          gint16 buf[2048];

          /* Bounded: enough to cross many short segments. */
          for (guint i = 0; i < 8; i++)
            if (dp_tone_generator_fill (gen, buf, G_N_ELEMENTS (buf)) < G_N_ELEMENTS (buf))
              break;
        }
    }
  else if (error == NULL || strstr (error->message, "position ") == NULL)
    abort ();
  g_clear_error (&error);

  node = dp_script_to_json (text, DP_SCRIPT_KIND_UNKNOWN, &error);
  if ((node == NULL) == (error == NULL))
    abort ();
  return 0;
}
