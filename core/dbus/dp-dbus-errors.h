/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/**
 * dp_dbus_register_errors:
 *
 * Maps the core's error domains (#DpConfigError, #DpProfileError,
 * #DpCallError, #DpDirectoryError) to D-Bus
 * error names `org.deskphone.Phone1.Error.*`, so that errors keep their
 * domain and code across the bus. The service and every C client call it
 * once; calling it again is harmless.
 */
void dp_dbus_register_errors (void);

G_END_DECLS
