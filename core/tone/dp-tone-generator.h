/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib-object.h>
#include "dp-tone-script.h"

G_BEGIN_DECLS

/**
 * SECTION:dp-tone-generator
 * @title: DpToneGenerator
 *
 * Renders a ToneScript (or a CadScript with a FreqScript) to signed 16-bit
 * mono samples, pulled buffer by buffer (e.g. from an appsrc "need-data"
 * handler). It does no I/O and keeps no clock of its own: the position is
 * the number of samples rendered so far, so the output is deterministic.
 *
 * Level reference: a sine whose peak is full scale (±32767) is +3.14 dBm0,
 * the G.711 A-law overload point, so a component at L dBm has the peak
 * amplitude 32767 × 10^((L − 3.14) / 20) and 0 dBm is −3.14 dBFS (peak).
 * Components are summed and saturated to the int16 range.
 *
 * Timing: durations are whole milliseconds and 8000, 16000 and 48000 Hz
 * have whole samples per millisecond, so on/off edges fall exactly on the
 * millisecond. Each component keeps a continuous phase across the on and
 * off times. The output ends after the total duration of the script; a
 * `*` section never ends.
 */

#define DP_TYPE_TONE_GENERATOR (dp_tone_generator_get_type ())
G_DECLARE_FINAL_TYPE (DpToneGenerator, dp_tone_generator, DP, TONE_GENERATOR, GObject)

/**
 * DP_TONE_FULL_SCALE_DBM:
 *
 * The level, in dBm0, of a full-scale sine (G.711 A-law).
 */
#define DP_TONE_FULL_SCALE_DBM 3.14

DpToneGenerator *dp_tone_generator_new               (const DpToneScript *script,
                                                       guint               sample_rate,
                                                       GError            **error);
DpToneGenerator *dp_tone_generator_new_from_string   (const char         *tone_script,
                                                       guint               sample_rate,
                                                       GError            **error);
DpToneGenerator *dp_tone_generator_new_cadence       (const char         *freq_script,
                                                       const char         *cad_script,
                                                       guint               sample_rate,
                                                       GError            **error);

gsize            dp_tone_generator_fill              (DpToneGenerator    *self,
                                                       gint16             *samples,
                                                       gsize               n_samples);
gboolean         dp_tone_generator_is_finished       (DpToneGenerator    *self);
guint            dp_tone_generator_get_sample_rate   (DpToneGenerator    *self);
guint64          dp_tone_generator_get_position      (DpToneGenerator    *self);
gint64           dp_tone_generator_get_total_samples (DpToneGenerator    *self);
void             dp_tone_generator_reset             (DpToneGenerator    *self);

double           dp_tone_level_to_amplitude          (double              level_dbm);

G_END_DECLS
