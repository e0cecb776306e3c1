/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Audio device descriptions; see dp-media-device.h.
 */
#include "dp-media-device.h"

/**
 * dp_media_device_description:
 * @config: (nullable): the store
 * @override: (nullable): the caller's own description, if it has one
 * @source: %TRUE for the microphone, %FALSE for the speaker
 *
 * Returns: the description to parse; never empty
 */
const char *
dp_media_device_description (DpConfig *config, const char *override, gboolean source)
{
  const char *value = override;

  if (value == NULL || *value == '\0')
    value = g_getenv (source ? "DESKPHONE_AUDIO_SOURCE" : "DESKPHONE_AUDIO_SINK");
  if ((value == NULL || *value == '\0') && config != NULL)
    value = dp_config_get (config, source ? "Audio_Source" : "Audio_Sink");
  if (value == NULL || *value == '\0')
    value = source ? "autoaudiosrc" : "autoaudiosink";
  return value;
}
