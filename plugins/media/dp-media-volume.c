/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Volume settings as gains; see dp-media-volume.h.
 */
#include "dp-media-volume.h"

#include <math.h>

/**
 * dp_media_volume_gain:
 * @config: (nullable): the store
 * @param: a 0..15 volume parameter
 * @fallback: the level when @config or @param is missing
 *
 * Returns: the linear gain for that level
 */
double
dp_media_volume_gain (DpConfig *config, const char *param, gint64 fallback)
{
  gint64 level = fallback;

  if (config != NULL && dp_config_get (config, param) != NULL)
    level = dp_config_get_int (config, param);
  level = CLAMP (level, 0, 15);
  if (level == 0)
    return 0.0;
  return pow (10.0, (double) (level - 15) * 2.0 / 20.0);
}

/* Audio_Path -> its volume parameter and the SPA default of that one. */
static const struct {
  const char *path;
  const char *param;
  gint64 fallback;
} paths[] = {
  { "Handset", "Handset_Volume", 10 },
  { "Speaker", "Speaker_Volume", 8 },
  { "Headset", "Headset_Volume", 10 },
};

static guint
current_path (DpConfig *config)
{
  const char *path = config != NULL ? dp_config_get (config, DP_MEDIA_AUDIO_PATH_PARAM) : NULL;

  for (guint i = 0; path != NULL && i < G_N_ELEMENTS (paths); i++)
    if (g_ascii_strcasecmp (path, paths[i].path) == 0)
      return i;
  return 0;
}

/**
 * dp_media_call_volume_gain:
 * @config: (nullable): the store
 *
 * Returns: the gain a call plays at on the current Audio_Path
 */
double
dp_media_call_volume_gain (DpConfig *config)
{
  guint i = current_path (config);

  return dp_media_volume_gain (config, paths[i].param, paths[i].fallback);
}
