/* SPDX-License-Identifier: GPL-2.0-or-later */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "dp-tone"

#include "dp-script.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>
#include "dp-tone-script.h"
#include "dp-ring-script.h"
#include "dp-led-script.h"

#include <string.h>

G_DEFINE_QUARK (dp-script-error-quark, dp_script_error)

static const char * const kind_names[] = {
  [DP_SCRIPT_KIND_UNKNOWN] = "unknown",
  [DP_SCRIPT_KIND_FREQ] = "freq",
  [DP_SCRIPT_KIND_TONE] = "tone",
  [DP_SCRIPT_KIND_CAD] = "cad",
  [DP_SCRIPT_KIND_RING] = "ring",
  [DP_SCRIPT_KIND_LED] = "led",
};

/**
 * dp_script_kind_to_string:
 * @kind: a #DpScriptKind
 *
 * Returns: "freq", "tone", "cad", "ring", "led" or "unknown"
 */
const char *
dp_script_kind_to_string (DpScriptKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (kind_names))
    return "unknown";
  return kind_names[kind];
}

/**
 * dp_script_kind_from_string:
 * @text: "freq", "tone", "cad", "ring" or "led" (any case)
 * @kind: (out): the kind
 *
 * Returns: %TRUE if @text names a kind
 */
gboolean
dp_script_kind_from_string (const char   *text,
                            DpScriptKind *kind)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (guint i = DP_SCRIPT_KIND_FREQ; i < G_N_ELEMENTS (kind_names); i++)
    if (g_ascii_strcasecmp (text, kind_names[i]) == 0)
      {
        if (kind != NULL)
          *kind = (DpScriptKind) i;
        return TRUE;
      }
  return FALSE;
}

/* Classifies a `key=value;…` script by its field names: n, w, b, t only
 * exist in RingScripts, p and u only in LED scripts, and `c` is a number in
 * a RingScript but a colour letter in an LED script. */
static DpScriptKind
detect_field_script (const char *text)
{
  g_auto(GStrv) fields = g_strsplit (text, ";", -1);
  gboolean digit_cadence = FALSE, letter_cadence = FALSE;

  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *f = fields[i];
      const char *eq;
      char key;

      while (g_ascii_isspace (*f))
        f++;
      key = *f;
      eq = strchr (f, '=');
      if (eq == NULL)
        continue;
      if (strchr ("nwbt", key) != NULL && key != '\0')
        return DP_SCRIPT_KIND_RING;
      if (key == 'p' || key == 'u')
        return DP_SCRIPT_KIND_LED;
      if (key == 'c')
        {
          eq++;
          while (g_ascii_isspace (*eq))
            eq++;
          if (g_ascii_isdigit (*eq))
            digit_cadence = TRUE;
          else
            letter_cadence = TRUE;
        }
    }
  if (digit_cadence)
    return DP_SCRIPT_KIND_RING;
  if (letter_cadence)
    return DP_SCRIPT_KIND_LED;
  return DP_SCRIPT_KIND_UNKNOWN;
}

/**
 * dp_script_detect_kind:
 * @text: a script
 *
 * Guesses which script language @text is written in, without validating
 * it: a `@` makes a FreqScript (or a ToneScript when a `;` or `(` follows),
 * a leading number or `*` a CadScript, and `name=value` fields a RingScript
 * (fields n, w, b, t or a numeric c) or an LED script (fields p, u or a
 * letter c). A malformed script thus still gets the parser that can name
 * its fault.
 *
 * Returns: the kind, or %DP_SCRIPT_KIND_UNKNOWN
 */
DpScriptKind
dp_script_detect_kind (const char *text)
{
  const char *p = text;

  g_return_val_if_fail (text != NULL, DP_SCRIPT_KIND_UNKNOWN);

  while (g_ascii_isspace (*p))
    p++;
  if (strchr (p, '@') != NULL)
    return strpbrk (p, ";(") != NULL ? DP_SCRIPT_KIND_TONE : DP_SCRIPT_KIND_FREQ;
  if (g_ascii_isdigit (*p) || *p == '.' || *p == '*')
    return DP_SCRIPT_KIND_CAD;
  if (g_ascii_isalpha (*p))
    return detect_field_script (p);
  return DP_SCRIPT_KIND_UNKNOWN;
}

static void
add_ms (JsonBuilder *b,
        const char  *member,
        gint64       ms)
{
  json_builder_set_member_name (b, member);
  if (ms < 0)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, ms);
}

static void
add_frequencies (JsonBuilder        *b,
                 const DpFreqScript *freq)
{
  json_builder_set_member_name (b, "frequencies");
  json_builder_begin_array (b);
  for (guint i = 0; i < freq->n_components; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, i + 1);
      json_builder_set_member_name (b, "frequency");
      json_builder_add_int_value (b, freq->components[i].frequency_hz);
      json_builder_set_member_name (b, "level");
      json_builder_add_double_value (b, freq->components[i].level_dbm);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_sections (JsonBuilder       *b,
              const DpCadScript *cad,
              gboolean           with_components)
{
  json_builder_set_member_name (b, "sections");
  json_builder_begin_array (b);
  for (guint i = 0; i < cad->n_sections; i++)
    {
      const DpToneSection *section = &cad->sections[i];

      json_builder_begin_object (b);
      add_ms (b, "duration_ms", section->duration_ms);
      json_builder_set_member_name (b, "segments");
      json_builder_begin_array (b);
      for (guint j = 0; j < section->n_segments; j++)
        {
          const DpToneSegment *seg = &section->segments[j];

          json_builder_begin_object (b);
          add_ms (b, "on_ms", seg->on_ms);
          add_ms (b, "off_ms", seg->off_ms);
          if (with_components)
            {
              json_builder_set_member_name (b, "components");
              json_builder_begin_array (b);
              for (guint k = 0; k < DP_TONE_MAX_COMPONENTS; k++)
                if (seg->components & (1u << k))
                  json_builder_add_int_value (b, k + 1);
              json_builder_end_array (b);
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_ms (b, "total_ms", dp_cad_script_get_total_ms (cad));
}

static void
add_ring (JsonBuilder        *b,
          const DpRingScript *ring)
{
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, ring->name);
  json_builder_set_member_name (b, "waveform");
  if (ring->waveform == DP_RING_WAVEFORM_URL)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, ring->waveform);
  json_builder_set_member_name (b, "waveform_name");
  json_builder_add_string_value (b, dp_ring_waveform_to_string (ring->waveform));
  json_builder_set_member_name (b, "url");
  if (ring->waveform == DP_RING_WAVEFORM_URL)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, ring->url);
      json_builder_set_member_name (b, "scheme");
      json_builder_add_string_value (b, ring->url_scheme);
      json_builder_set_member_name (b, "host");
      json_builder_add_string_value (b, ring->url_host);
      json_builder_set_member_name (b, "port");
      json_builder_add_int_value (b, ring->url_port);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, ring->url_path);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "cadence");
  json_builder_add_int_value (b, ring->cadence);
  json_builder_set_member_name (b, "cadence_default");
  if (dp_ring_default_cadence (ring->cadence) != NULL)
    json_builder_add_string_value (b, dp_ring_default_cadence (ring->cadence));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "natural_length");
  json_builder_add_boolean_value (b, ring->cadence == 0);
  add_ms (b, "break_ms", ring->break_ms);
  add_ms (b, "total_ms", ring->total_ms);
}

static void
add_led (JsonBuilder       *b,
         const DpLedScript *led)
{
  guint timing[DP_LED_MAX_TIMING];
  guint n = dp_led_script_get_timing (led, timing);

  json_builder_set_member_name (b, "color");
  json_builder_add_string_value (b, dp_led_color_to_string (led->color));
  json_builder_set_member_name (b, "pattern");
  json_builder_add_string_value (b, dp_led_pattern_to_string (led->pattern));
  json_builder_set_member_name (b, "pattern_code");
  json_builder_add_string_value (b, dp_led_pattern_to_code (led->pattern));
  json_builder_set_member_name (b, "steady");
  json_builder_add_boolean_value (b, n == 0);
  json_builder_set_member_name (b, "timing_ms");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_int_value (b, timing[i]);
  json_builder_end_array (b);
}

/**
 * dp_script_to_json:
 * @text: a script
 * @kind: its kind, or %DP_SCRIPT_KIND_UNKNOWN to detect it with
 *   dp_script_detect_kind()
 * @error: return location for a #DP_SCRIPT_ERROR naming the position
 *
 * Decodes @text into a JSON object with a "kind" member ("freq", "tone",
 * "cad", "ring", "led") and the decoded fields. Durations are integer
 * milliseconds (`*_ms`), %NULL for `*` (infinite) or an absent value.
 *
 * Returns: (transfer full) (nullable): the decode, or %NULL on error
 */
JsonNode *
dp_script_to_json (const char   *text,
                   DpScriptKind  kind,
                   GError      **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  union {
    DpFreqScript freq;
    DpCadScript cad;
    DpToneScript tone;
    DpRingScript ring;
    DpLedScript led;
  } u;
  gboolean ok = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  if (kind == DP_SCRIPT_KIND_UNKNOWN)
    kind = dp_script_detect_kind (text);

  switch (kind)
    {
    case DP_SCRIPT_KIND_FREQ: ok = dp_freq_script_parse (text, &u.freq, error); break;
    case DP_SCRIPT_KIND_TONE: ok = dp_tone_script_parse (text, &u.tone, error); break;
    case DP_SCRIPT_KIND_CAD: ok = dp_cad_script_parse (text, &u.cad, error); break;
    case DP_SCRIPT_KIND_RING: ok = dp_ring_script_parse (text, &u.ring, error); break;
    case DP_SCRIPT_KIND_LED: ok = dp_led_script_parse (text, &u.led, error); break;
    case DP_SCRIPT_KIND_UNKNOWN:
    default:
      {
        gsize pos = 0;

        while (text[pos] != '\0' && g_ascii_isspace (text[pos]))
          pos++;
        g_set_error (error, DP_SCRIPT_ERROR, DP_SCRIPT_ERROR_UNKNOWN_KIND,
                     _("script: position %zu: cannot tell the kind of script "
                     "(FreqScript, ToneScript, CadScript, RingScript or LED script)"),
                     pos + 1);
        return NULL;
      }
    }
  if (!ok)
    return NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, dp_script_kind_to_string (kind));
  json_builder_set_member_name (b, "script");
  json_builder_add_string_value (b, text);
  switch (kind)
    {
    case DP_SCRIPT_KIND_FREQ:
      add_frequencies (b, &u.freq);
      break;
    case DP_SCRIPT_KIND_TONE:
      add_frequencies (b, &u.tone.freq);
      add_sections (b, &u.tone.cadence, TRUE);
      break;
    case DP_SCRIPT_KIND_CAD:
      add_sections (b, &u.cad, FALSE);
      break;
    case DP_SCRIPT_KIND_RING:
      add_ring (b, &u.ring);
      break;
    case DP_SCRIPT_KIND_LED:
      add_led (b, &u.led);
      break;
    case DP_SCRIPT_KIND_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
