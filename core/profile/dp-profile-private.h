/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Helpers shared by the profile parsers; not installed. */
#pragma once

#include "dp-profile.h"

G_BEGIN_DECLS

/* Reads a regular file of at most @max_size bytes (G_FILE_ERROR on I/O
 * failures, DP_PROFILE_ERROR_TOO_LARGE when bigger). The contents are
 * NUL-terminated; @length excludes the NUL. */
gboolean dp_profile_read_file (const char  *path,
                               gsize        max_size,
                               char       **contents,
                               gsize       *length,
                               GError     **error);

G_END_DECLS
