/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The seam between the media plugin (the libpeas module, which must stay
 * light: it is loaded at start-up) and its GStreamer implementation (a
 * separate GModule, opened on the first session or tone). Nothing here
 * names a GStreamer type, so the plugin compiles and links without it.
 */
#pragma once

#include <gmodule.h>

#include <deskphone.h>

G_BEGIN_DECLS

/* Bumped when the table below changes, so that a stale backend next to a
 * newer plugin is refused with a clear error instead of crashing. */
#define DP_MEDIA_BACKEND_ABI 2

/* The file name the plugin looks for in its own folder. */
#define DP_MEDIA_BACKEND_FILE "libdpmedia-gst." G_MODULE_SUFFIX

/* The one symbol the backend exports; returns its static table. */
#define DP_MEDIA_BACKEND_SYMBOL "dp_media_backend_get"

typedef struct {
  guint abi;

  DpMediaSession *(*create_session) (DpConfig      *config,
                                     guint          line,
                                     DpSrtpPolicy   policy,
                                     gboolean       sdes_allowed,
                                     GError       **error);

  /* A DpTonePlayer, seen by the plugin as a plain GObject. */
  GObject        *(*tone_player_new) (DpConfig     *config);
  gboolean        (*tone_play)       (GObject      *player,
                                      const char   *name_or_script,
                                      GError      **error);
  void            (*tone_stop)       (GObject      *player);

  /* DpMediaProviderInterface::join_sessions for two of its sessions. */
  gboolean        (*join_sessions)   (DpMediaSession *a,
                                      DpMediaSession *b,
                                      GError        **error);
} DpMediaBackend;

typedef const DpMediaBackend *(*DpMediaBackendGetFunc) (void);

G_END_DECLS
