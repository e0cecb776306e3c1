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
