/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gst/gst.h>
#include "dp-config.h"
#include "dp-ring-script.h"
#include "dp-tone-script.h"

G_BEGIN_DECLS

/**
 * DpTonePlayer:
 *
 * Plays call-progress tones and rings to the local audio sink with
 * `appsrc ! audioconvert ! audioresample ! volume ! <sink>`. Samples are
 * rendered on the streaming thread (appsrc "need-data") at
 * %DP_TONE_PLAYER_RATE Hz, S16LE mono; GStreamer is initialised by the first
 * dp_tone_player_play(), never before.
 *
 * What dp_tone_player_play() accepts, tried in this order:
 * 1. a tone parameter name (Dial_Tone, Outside_Dial_Tone, Prompt_Tone,
 *    Busy_Tone, Reorder_Tone, Off_Hook_Warning_Tone, Ring_Back_Tone,
 *    Call_Waiting_Tone, Confirm_Tone, SIT1_Tone..SIT4_Tone, MWI_Dial_Tone,
 *    Cfwd_Dial_Tone, Holding_Tone, Conference_Tone,
 *    Secure_Call_Indication_Tone, Page_Tone, Alert_Tone; `SIT1`..`SIT4`
 *    are accepted for the SIT tones): its ToneScript from the config;
 * 2. `Ring1`..`Ring10`: that RingScript from the config, its `c=` cadence
 *    from `Cadence_n` (the factory cadence when there is no config);
 * 3. a literal ToneScript, then a literal RingScript.
 * Anything else fails with %DP_MEDIA_ERROR_FAILED and the parser's message.
 *
 * Rings (decisions, tested in tests/media/test-media-tones.c):
 * - Built-in waveforms are synthesised, at -13 dBm0 per component:
 *   1 "mechanical bell": 1000 Hz + 2700 Hz (a bell's inharmonic partial)
 *     struck 20 times a second (amplitude |sin(20πt)|, like a clapper);
 *   2 "typical ring": an electronic trill alternating 1000 Hz and 1250 Hz
 *     every 25 ms;
 *   3 "classic ring": 440 Hz + 480 Hz steady (the classic North-American
 *     ring pair);
 *   4 "sweep": a linear sweep 400 → 3200 Hz every 500 ms, phase continuous.
 *   A URL waveform (downloaded ring file) is not played: play fails with
 *   %DP_MEDIA_ERROR_RESOURCE (the download belongs to provisioning).
 * - The cadence gates the waveform: on = waveform, off = silence. `c=0`
 *   (natural length) plays the waveform without gating.
 * - `b=` (break): after the cadence's total length, silence for b, then
 *   the cadence again, for ever unless `t=` is given. Without `b=` the
 *   cadence plays once.
 * - `t=` (total): the ring stops after t whatever the cadence.
 *
 * Volume: rings are scaled by `Ringer_Volume` (0–15: 0 mutes, else
 * (v − 15) × 2 dB, so 15 is unity); tones play at their scripted level.
 * The sink is, in order: the "audio-sink" property, DESKPHONE_AUDIO_SINK,
 * the `Audio_Sink` parameter, autoaudiosink (same precedence as sessions).
 *
 * One sound at a time: play replaces what is playing. Signal "finished"
 * (no arguments) is emitted on the main context when a finite sound ended
 * (EOS reached the sink) or the pipeline failed; dp_tone_player_stop() is
 * silent at once and emits nothing.
 */
#define DP_TYPE_TONE_PLAYER (dp_tone_player_get_type ())
G_DECLARE_FINAL_TYPE (DpTonePlayer, dp_tone_player, DP, TONE_PLAYER, GObject)

#define DP_TONE_PLAYER_RATE 16000

/* Built-in ring waveform parameters (shared with the tests' expectations
 * through the documentation above, not through code). */

DpTonePlayer *dp_tone_player_new              (DpConfig     *config);
gboolean      dp_tone_player_play             (DpTonePlayer *self,
                                               const char   *name_or_script,
                                               GError      **error);
void          dp_tone_player_stop             (DpTonePlayer *self);
gboolean      dp_tone_player_is_playing       (DpTonePlayer *self);
/* Cut every sound after @ms (0 = no limit); ends with EOS so file sinks
 * are finalised. For tests and for bounded prompts. */
void          dp_tone_player_set_max_duration (DpTonePlayer *self,
                                               guint         ms);
void          dp_tone_player_set_audio_sink   (DpTonePlayer *self,
                                               const char   *description);
/* For tests: the current pipeline or NULL (transfer none). */
GstElement   *dp_tone_player_get_pipeline     (DpTonePlayer *self);

/* True when @name is one of the tone parameters or Ring1..Ring10. */
gboolean      dp_tone_player_is_known_name    (const char   *name);

G_END_DECLS
