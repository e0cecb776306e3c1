/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The SPA's volume settings (0..15) as linear gains for GStreamer's
 * `volume` element. The SPA gives no figures; ours: 15 is unity, each step
 * down is 2 dB, 0 mutes (so 8, the Ringer/Speaker default, is -14 dB and
 * 10, the Handset/Headset default, -10 dB).
 *
 * Which setting a call uses follows `Audio_Path` (a deskphone extension
 * registered by the media plugin, as there is no hook switch on a desktop
 * Linux box to tell): Handset (the default) -> `Handset_Volume`, Speaker ->
 * `Speaker_Volume`, Headset -> `Headset_Volume`. The GUI sets it when the
 * user lifts the handset or presses the speaker or headset key; a change of
 * the path or of its volume applies at once to the calls in progress.
 */
#pragma once

#include <deskphone.h>

#define DP_MEDIA_AUDIO_PATH_PARAM "Audio_Path"

double dp_media_volume_gain (DpConfig   *config,
                             const char *param,
                             gint64      fallback);

/* The gain of the current Audio_Path's volume parameter. */
double      dp_media_call_volume_gain  (DpConfig *config);
