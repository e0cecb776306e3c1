/* SPDX-License-Identifier: GPL-2.0-or-later */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "dp-tone"

#include "dp-tone-generator.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#define INFINITE_SAMPLES G_MAXINT64

struct _DpToneGenerator
{
  GObject parent_instance;

  DpToneScript script;
  guint sample_rate;
  guint samples_per_ms;
  double amplitude[DP_TONE_MAX_COMPONENTS];
  /* Phase of each component as an index into one second of samples: the
   * frequencies are whole Hz, so (index × f) mod rate never drifts. */
  guint phase[DP_TONE_MAX_COMPONENTS];

  guint section;
  guint segment;
  gint64 section_pos;
  gint64 segment_pos;
  guint64 position;
  gboolean finished;
};

G_DEFINE_FINAL_TYPE (DpToneGenerator, dp_tone_generator, G_TYPE_OBJECT)

static void
dp_tone_generator_class_init (DpToneGeneratorClass *klass)
{
}

static void
dp_tone_generator_init (DpToneGenerator *self)
{
}

/**
 * dp_tone_level_to_amplitude:
 * @level_dbm: a level in dBm0
 *
 * Returns: the peak amplitude, in int16 units, of a sine at @level_dbm
 *   (see %DP_TONE_FULL_SCALE_DBM)
 */
double
dp_tone_level_to_amplitude (double level_dbm)
{
  return 32767.0 * pow (10.0, (level_dbm - DP_TONE_FULL_SCALE_DBM) / 20.0);
}

static gint64
to_samples (DpToneGenerator *self,
            gint64           ms)
{
  return ms == DP_TONE_INFINITE ? INFINITE_SAMPLES : ms * self->samples_per_ms;
}

/* The generator may be handed a script built by hand, so it checks what
 * its loop relies on instead of trusting the parser. */
static gboolean
validate (const DpToneScript *script,
          guint               sample_rate,
          GError            **error)
{
  const DpFreqScript *freq = &script->freq;
  const DpCadScript *cad = &script->cadence;

  if (sample_rate < 8000 || sample_rate > 192000 || sample_rate % 1000 != 0)
    {
      g_set_error (error, DP_SCRIPT_ERROR, DP_SCRIPT_ERROR_UNRENDERABLE,
                   _("sample rate %u Hz is not a multiple of 1000 Hz from 8000 to 192000"),
                   sample_rate);
      return FALSE;
    }
  if (freq->n_components > DP_TONE_MAX_COMPONENTS ||
      cad->n_sections == 0 || cad->n_sections > DP_TONE_MAX_SECTIONS)
    {
      g_set_error (error, DP_SCRIPT_ERROR, DP_SCRIPT_ERROR_LIMIT,
                   _("the script has %u frequencies and %u sections"),
                   freq->n_components, cad->n_sections);
      return FALSE;
    }
  for (guint i = 0; i < freq->n_components; i++)
    if (freq->components[i].frequency_hz == 0 ||
        freq->components[i].frequency_hz * 2 >= sample_rate)
      {
        g_set_error (error, DP_SCRIPT_ERROR, DP_SCRIPT_ERROR_UNRENDERABLE,
                     _("frequency %u (%u Hz) cannot be rendered at %u Hz"), i + 1,
                     freq->components[i].frequency_hz, sample_rate);
        return FALSE;
      }
  for (guint i = 0; i < cad->n_sections; i++)
    {
      const DpToneSection *section = &cad->sections[i];
      gboolean moves = FALSE;

      if (section->n_segments == 0 || section->n_segments > DP_TONE_MAX_SEGMENTS ||
          section->duration_ms < DP_TONE_INFINITE)
        {
          g_set_error (error, DP_SCRIPT_ERROR, DP_SCRIPT_ERROR_LIMIT,
                       _("section %u is malformed"), i + 1);
          return FALSE;
        }
      for (guint j = 0; j < section->n_segments; j++)
        {
          const DpToneSegment *seg = &section->segments[j];

          if (seg->on_ms < DP_TONE_INFINITE || seg->off_ms < DP_TONE_INFINITE ||
              (seg->components >> freq->n_components) != 0)
            {
              g_set_error (error, DP_SCRIPT_ERROR, DP_SCRIPT_ERROR_RANGE,
                           _("segment %u of section %u is malformed"), j + 1, i + 1);
              return FALSE;
            }
          if (seg->on_ms != 0 || seg->off_ms != 0)
            moves = TRUE;
        }
      if (!moves)
        {
          g_set_error (error, DP_SCRIPT_ERROR, DP_SCRIPT_ERROR_RANGE,
                       _("the segments of section %u all last 0 seconds"), i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * dp_tone_generator_new:
 * @script: a decoded ToneScript
 * @sample_rate: samples per second: a multiple of 1000 from 8000 to 192000
 *   (8000, 16000 and 48000 are the rates of the media plugin)
 * @error: return location for a #GError
 *
 * Fails when a frequency is at or above half the sample rate.
 *
 * Returns: (transfer full) (nullable): a generator positioned at the start
 */
DpToneGenerator *
dp_tone_generator_new (const DpToneScript *script,
                       guint               sample_rate,
                       GError            **error)
{
  DpToneGenerator *self;

  g_return_val_if_fail (script != NULL, NULL);

  if (!validate (script, sample_rate, error))
    return NULL;

  self = g_object_new (DP_TYPE_TONE_GENERATOR, NULL);
  self->script = *script;
  self->sample_rate = sample_rate;
  self->samples_per_ms = sample_rate / 1000;
  for (guint i = 0; i < script->freq.n_components; i++)
    self->amplitude[i] = dp_tone_level_to_amplitude (script->freq.components[i].level_dbm);
  dp_tone_generator_reset (self);
  return self;
}

/**
 * dp_tone_generator_new_from_string:
 * @tone_script: a ToneScript
 * @sample_rate: samples per second (see dp_tone_generator_new())
 * @error: return location for a #GError naming the position of a fault
 *
 * Returns: (transfer full) (nullable): a generator, or %NULL
 */
DpToneGenerator *
dp_tone_generator_new_from_string (const char *tone_script,
                                   guint       sample_rate,
                                   GError    **error)
{
  DpToneScript script;

  g_return_val_if_fail (tone_script != NULL, NULL);

  if (!dp_tone_script_parse (tone_script, &script, error))
    return NULL;
  return dp_tone_generator_new (&script, sample_rate, error);
}

/**
 * dp_tone_generator_new_cadence:
 * @freq_script: a FreqScript, all of whose components sound in the on times
 * @cad_script: a CadScript
 * @sample_rate: samples per second (see dp_tone_generator_new())
 * @error: return location for a #GError naming the position of a fault
 *
 * Returns: (transfer full) (nullable): a generator, or %NULL
 */
DpToneGenerator *
dp_tone_generator_new_cadence (const char *freq_script,
                               const char *cad_script,
                               guint       sample_rate,
                               GError    **error)
{
  DpFreqScript freq;
  DpCadScript cad;
  DpToneScript script;

  g_return_val_if_fail (freq_script != NULL && cad_script != NULL, NULL);

  if (!dp_freq_script_parse (freq_script, &freq, error) ||
      !dp_cad_script_parse (cad_script, &cad, error))
    return NULL;
  dp_tone_script_from_cadence (&freq, &cad, &script);
  return dp_tone_generator_new (&script, sample_rate, error);
}

/**
 * dp_tone_generator_reset:
 * @self: a #DpToneGenerator
 *
 * Rewinds to the start of the script.
 */
void
dp_tone_generator_reset (DpToneGenerator *self)
{
  g_return_if_fail (DP_IS_TONE_GENERATOR (self));

  memset (self->phase, 0, sizeof self->phase);
  self->section = 0;
  self->segment = 0;
  self->section_pos = 0;
  self->segment_pos = 0;
  self->position = 0;
  self->finished = FALSE;
}

/* Moves past elapsed sections and segments; FALSE once the script is over.
 * Terminates because every section has a segment of non-zero length. */
static gboolean
settle (DpToneGenerator *self)
{
  const DpCadScript *cad = &self->script.cadence;

  while (!self->finished)
    {
      const DpToneSection *section;
      const DpToneSegment *seg;
      gint64 on, off;

      if (self->section >= cad->n_sections)
        {
          self->finished = TRUE;
          break;
        }
      section = &cad->sections[self->section];
      if (self->section_pos >= to_samples (self, section->duration_ms))
        {
          self->section++;
          self->segment = 0;
          self->section_pos = 0;
          self->segment_pos = 0;
          continue;
        }
      seg = &section->segments[self->segment];
      on = to_samples (self, seg->on_ms);
      off = to_samples (self, seg->off_ms);
      if (on != INFINITE_SAMPLES && off != INFINITE_SAMPLES && self->segment_pos >= on + off)
        {
          self->segment = (self->segment + 1) % section->n_segments;
          self->segment_pos = 0;
          continue;
        }
      return TRUE;
    }
  return FALSE;
}

/**
 * dp_tone_generator_fill:
 * @self: a #DpToneGenerator
 * @samples: (out caller-allocates) (array length=n_samples): the buffer
 * @n_samples: the size of @samples
 *
 * Renders the next @n_samples samples.
 *
 * Returns: how many samples were written; fewer than @n_samples (possibly
 *   0) only when the script has ended
 */
gsize
dp_tone_generator_fill (DpToneGenerator *self,
                        gint16          *samples,
                        gsize            n_samples)
{
  const DpFreqScript *freq;
  gsize written = 0;
  double step;

  g_return_val_if_fail (DP_IS_TONE_GENERATOR (self), 0);
  g_return_val_if_fail (samples != NULL || n_samples == 0, 0);

  step = 2.0 * G_PI / self->sample_rate;
  freq = &self->script.freq;
  while (written < n_samples && settle (self))
    {
      const DpToneSegment *seg =
        &self->script.cadence.sections[self->section].segments[self->segment];
      gint64 on = to_samples (self, seg->on_ms);
      guint active = self->segment_pos < on ? seg->components : 0;
      double acc = 0.0;

      for (guint c = 0; c < freq->n_components; c++)
        {
          if (active & (1u << c))
            acc += self->amplitude[c] * sin (step * self->phase[c]);
          self->phase[c] = (self->phase[c] + freq->components[c].frequency_hz) % self->sample_rate;
        }
      acc = round (acc);
      samples[written++] = (gint16) CLAMP (acc, -32768.0, 32767.0);

      self->section_pos++;
      self->segment_pos++;
      self->position++;
    }
  return written;
}

/**
 * dp_tone_generator_is_finished:
 * @self: a #DpToneGenerator
 *
 * Returns: %TRUE once every sample of the script has been rendered
 */
gboolean
dp_tone_generator_is_finished (DpToneGenerator *self)
{
  g_return_val_if_fail (DP_IS_TONE_GENERATOR (self), TRUE);

  return !settle (self);
}

/**
 * dp_tone_generator_get_sample_rate:
 * @self: a #DpToneGenerator
 *
 * Returns: the sample rate in Hz
 */
guint
dp_tone_generator_get_sample_rate (DpToneGenerator *self)
{
  g_return_val_if_fail (DP_IS_TONE_GENERATOR (self), 0);

  return self->sample_rate;
}

/**
 * dp_tone_generator_get_position:
 * @self: a #DpToneGenerator
 *
 * Returns: how many samples have been rendered since the start
 */
guint64
dp_tone_generator_get_position (DpToneGenerator *self)
{
  g_return_val_if_fail (DP_IS_TONE_GENERATOR (self), 0);

  return self->position;
}

/**
 * dp_tone_generator_get_total_samples:
 * @self: a #DpToneGenerator
 *
 * Returns: the length of the whole script in samples, or -1 when it never
 *   ends
 */
gint64
dp_tone_generator_get_total_samples (DpToneGenerator *self)
{
  gint64 total_ms;

  g_return_val_if_fail (DP_IS_TONE_GENERATOR (self), -1);

  total_ms = dp_cad_script_get_total_ms (&self->script.cadence);
  return total_ms == DP_TONE_INFINITE ? -1 : total_ms * self->samples_per_ms;
}
