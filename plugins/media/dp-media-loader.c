/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Opens the GStreamer media backend (DP_MEDIA_BACKEND_FILE) from the media
 * plugin's own folder the first time a session or tone needs it. Until
 * then no GStreamer library is mapped: an idle phone does not pay for it
 * in memory or start-up time. The folder is the plugin's, so the installed
 * plugin finds the installed backend and the build tree's plugin (tests)
 * finds the one built beside it.
 *
 * A failed open is not remembered: the error goes to the call or tone that
 * asked, and the next one tries again (a package being upgraded).
 */
#define G_LOG_DOMAIN "dp-media"

#include "dp-media-loader.h"

#include <gmodule.h>

static char *backend_directory;
static const DpMediaBackend *backend;

void
dp_media_loader_set_directory (const char *directory)
{
  g_free (backend_directory);
  backend_directory = g_strdup (directory);
}

const DpMediaBackend *
dp_media_loader_get (GError **error)
{
  g_autofree char *path = NULL;
  GModule *module;
  DpMediaBackendGetFunc get = NULL;
  const DpMediaBackend *table;

  if (backend != NULL)
    return backend;
  if (backend_directory == NULL)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NO_PROVIDER,
                           "the media plugin does not know its folder, so it cannot find "
                           DP_MEDIA_BACKEND_FILE);
      return NULL;
    }
  path = g_build_filename (backend_directory, DP_MEDIA_BACKEND_FILE, NULL);
  /* LOCAL: the backend's symbols are its own business. */
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NO_PROVIDER,
                   "the media backend %s cannot be loaded: %s", path, g_module_error ());
      return NULL;
    }
  if (!g_module_symbol (module, DP_MEDIA_BACKEND_SYMBOL, (gpointer *) &get) || get == NULL ||
      (table = get ()) == NULL || table->abi != DP_MEDIA_BACKEND_ABI)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NO_PROVIDER,
                   "%s is not a media backend for this plugin (no %s with ABI %d)", path,
                   DP_MEDIA_BACKEND_SYMBOL, DP_MEDIA_BACKEND_ABI);
      g_module_close (module);
      return NULL;
    }
  /* Its GTypes and GStreamer's global state point into it. */
  g_module_make_resident (module);
  g_debug ("media backend loaded from %s", path);
  backend = table;
  return backend;
}
