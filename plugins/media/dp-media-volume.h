/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The SPA's volume settings (0..15) as linear gains for GStreamer's
 * `volume` element. The SPA gives no figures; ours: 15 is unity, each step
 * down is 2 dB, 0 mutes (so 8, the Ringer/Speaker default, is -14 dB and
 * 10, the Handset/Headset default, -10 dB).
 *
 * Which setting a call uses: `Handset_Volume`. The phone has no off-hook,
 * speaker or headset state yet (no hook switch on a desktop Linux box), and
 * a desk phone's call is a handset call unless a key says otherwise;
 * `Speaker_Volume` and `Headset_Volume` are kept in the store for when that
 * state exists. A change applies at once to the calls in progress.
 */
#pragma once

#include <deskphone.h>

#define DP_MEDIA_CALL_VOLUME_PARAM "Handset_Volume"

double dp_media_volume_gain (DpConfig   *config,
                             const char *param,
                             gint64      fallback);
