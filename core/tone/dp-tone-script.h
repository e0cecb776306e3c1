/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib-object.h>
#include "dp-script.h"

G_BEGIN_DECLS

/**
 * SECTION:dp-tone-script
 * @title: FreqScript, ToneScript, CadScript
 *
 * Parsers for the SPA9x2 tone languages (spa9x2-reference.md §4.1):
 *
 * - FreqScript `F1@L1[,F2@L2[,…,F6@L6]]`: up to 6 components, F a whole
 *   number of Hz (1–20000), L in dBm with at most 1 decimal.
 * - CadScript `S1[;S2]`, `Si = Di(on1/off1[,on2/off2 …])`, up to 6 segments.
 * - ToneScript `FreqScript;Z1[;Z2]`, `Zi = Di(on/off/f[,on/off/f …])`, up to
 *   6 segments, `f = n1[+n2…]` 1-based component indexes summed, `0` silence.
 *
 * Segments play in order and repeat until the section length Di has
 * elapsed, then the next section starts; the script ends after the last.
 *
 * Decisions where the documents leave room (each one is tested):
 *
 * - Durations (Di, on, off) are seconds with at most 3 decimals (1 ms); a
 *   4th decimal (`.1234`) is rejected, not truncated, so the administrator
 *   learns the value cannot be represented. Largest duration: 65535 s.
 * - `*` means infinite and is accepted for Di, on and off. An infinite on
 *   (or off) time holds that state for the rest of the section; sections
 *   after an infinite Di never play (accepted, as the SPA does not forbid it).
 * - At most 2 sections (the SPA9x2 guide documents `Z1[;Z2]` only; more is
 *   UNCONFIRMED, so it is rejected rather than guessed).
 * - Scripts longer than %DP_SCRIPT_MAX_LENGTH (127) characters are rejected.
 * - A section whose segments all last 0 s is rejected (it would never
 *   advance); a section length of 0 is accepted and plays nothing.
 * - Levels range from -90 to +3 dBm: +3.14 dBm0 is the largest sine a G.711
 *   channel carries, so the AGd misprint `480@10` is rejected.
 * - Component indexes must name an existing frequency (`1+3` with two
 *   frequencies is rejected), may not repeat, and `0` stands alone.
 * - Spaces and tabs are tolerated between any two tokens (the guide allows
 *   them after commas), never inside a number.
 */

/**
 * DP_TONE_MAX_COMPONENTS:
 *
 * Most frequencies in a FreqScript.
 */
#define DP_TONE_MAX_COMPONENTS 6
/**
 * DP_TONE_MAX_SEGMENTS:
 *
 * Most on/off segments in one section.
 */
#define DP_TONE_MAX_SEGMENTS 6
/**
 * DP_TONE_MAX_SECTIONS:
 *
 * Most sections in a ToneScript or CadScript.
 */
#define DP_TONE_MAX_SECTIONS 2
/**
 * DP_TONE_INFINITE:
 *
 * A duration written `*`.
 */
#define DP_TONE_INFINITE ((gint64) -1)

/**
 * DpToneComponent:
 * @frequency_hz: the frequency in Hz
 * @level_dbm: the level in dBm (0.1 dB steps)
 *
 * One sine of a FreqScript.
 */
typedef struct {
  guint frequency_hz;
  double level_dbm;
} DpToneComponent;

/**
 * DpFreqScript:
 * @n_components: how many of @components are used (1–6)
 * @components: the frequencies, in script order
 *
 * A decoded FreqScript.
 */
typedef struct {
  guint n_components;
  DpToneComponent components[DP_TONE_MAX_COMPONENTS];
} DpFreqScript;

/**
 * DpToneSegment:
 * @on_ms: on time in ms, or %DP_TONE_INFINITE
 * @off_ms: off time in ms, or %DP_TONE_INFINITE
 * @components: bit (i-1) set when component i sounds during the on time;
 *   0 means silence (ToneScript `0`, and always 0 in a CadScript)
 *
 * One on/off step of a section.
 */
typedef struct {
  gint64 on_ms;
  gint64 off_ms;
  guint components;
} DpToneSegment;

/**
 * DpToneSection:
 * @duration_ms: section length in ms, or %DP_TONE_INFINITE
 * @n_segments: how many of @segments are used (1–6)
 * @segments: the segments, repeated in order until @duration_ms elapses
 *
 * One section of a CadScript or ToneScript.
 */
typedef struct {
  gint64 duration_ms;
  guint n_segments;
  DpToneSegment segments[DP_TONE_MAX_SEGMENTS];
} DpToneSection;

/**
 * DpCadScript:
 * @n_sections: how many of @sections are used (1–2)
 * @sections: the sections, played in order
 *
 * A decoded CadScript (ring and call-waiting cadences).
 */
typedef struct {
  guint n_sections;
  DpToneSection sections[DP_TONE_MAX_SECTIONS];
} DpCadScript;

/**
 * DpToneScript:
 * @freq: the frequencies
 * @cadence: the sections; each segment's @components selects from @freq
 *
 * A decoded ToneScript (call-progress tones).
 */
typedef struct {
  DpFreqScript freq;
  DpCadScript cadence;
} DpToneScript;

gboolean  dp_freq_script_parse        (const char         *text,
                                       DpFreqScript       *out,
                                       GError            **error);
gboolean  dp_cad_script_parse         (const char         *text,
                                       DpCadScript        *out,
                                       GError            **error);
gboolean  dp_tone_script_parse        (const char         *text,
                                       DpToneScript       *out,
                                       GError            **error);

gint64    dp_cad_script_get_total_ms  (const DpCadScript  *cadence);
void      dp_tone_script_from_cadence (const DpFreqScript *freq,
                                       const DpCadScript  *cadence,
                                       DpToneScript       *out);

gboolean  dp_freq_script_check        (const char         *value,
                                       GError            **error);
gboolean  dp_cad_script_check         (const char         *value,
                                       GError            **error);
gboolean  dp_tone_script_check        (const char         *value,
                                       GError            **error);

G_END_DECLS
