/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "dp-media-backend.h"

G_BEGIN_DECLS

/* The folder the plugin was loaded from; the backend is looked up there. */
void                  dp_media_loader_set_directory (const char  *directory);

/* Opens the backend on first use (it then stays loaded for the process's
 * life). Fails with DP_MEDIA_ERROR_NO_PROVIDER naming the file and why. */
const DpMediaBackend *dp_media_loader_get           (GError     **error);

G_END_DECLS
