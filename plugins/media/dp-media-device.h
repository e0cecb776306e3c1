/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Which audio device a media pipeline opens (call sessions, the tone
 * player and the conference mixer alike), as a GStreamer description:
 * the object's own override, else $DESKPHONE_AUDIO_SOURCE / _SINK (tests,
 * benches), else `Audio_Source` / `Audio_Sink`, else autoaudiosrc /
 * autoaudiosink.
 */
#pragma once

#include <deskphone.h>

const char *dp_media_device_description (DpConfig   *config,
                                         const char *override,
                                         gboolean    source);
