/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The GStreamer media backend: the GModule the media plugin opens on the
 * first call or tone (dp-media-loader.c). It only adapts the session and
 * tone player to the GStreamer-free table of dp-media-backend.h; both
 * initialise GStreamer themselves on first use.
 */
#define G_LOG_DOMAIN "dp-media"

#include "dp-media-backend.h"
#include "dp-gst-conference.h"
#include "dp-gst-media-session.h"
#include "dp-tone-player.h"

#include <gmodule.h>

static GObject *
tone_player_new (DpConfig *config)
{
  return G_OBJECT (dp_tone_player_new (config));
}

static gboolean
tone_play (GObject *player, const char *name_or_script, GError **error)
{
  return dp_tone_player_play (DP_TONE_PLAYER (player), name_or_script, error);
}

static void
tone_stop (GObject *player)
{
  dp_tone_player_stop (DP_TONE_PLAYER (player));
}

static const DpMediaBackend gst_backend = {
  .abi = DP_MEDIA_BACKEND_ABI,
  .create_session = dp_gst_media_session_new,
  .tone_player_new = tone_player_new,
  .tone_play = tone_play,
  .tone_stop = tone_stop,
  .join_sessions = dp_gst_conference_join_sessions,
};

G_MODULE_EXPORT const DpMediaBackend *dp_media_backend_get (void);

const DpMediaBackend *
dp_media_backend_get (void)
{
  return &gst_backend;
}
