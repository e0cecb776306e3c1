/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "dp-core.h"
#include "dp-log.h"

G_BEGIN_DECLS

/* Keeps @logger in step with the configuration: Debug_Level, Syslog_Server,
 * Debug_Server, and the values of every secret parameter (so that they are
 * masked wherever they would appear in a message). */
void dp_daemon_logging_bind (DpLogger *logger, DpConfig *config);

G_END_DECLS
