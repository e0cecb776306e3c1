/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "dp-config.h"
#include "dp-param-private.h"

G_BEGIN_DECLS

/* Atomic persistence (dp-config-store.c). */
gboolean dp_config_store_write (const char *path,
                                const char *contents,
                                gsize       length,
                                GError    **error);

/* Removes temporary files of interrupted saves next to @path. */
void     dp_config_store_remove_leftovers (const char *path);

G_END_DECLS
