/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "dp-config.h"

G_BEGIN_DECLS

/* Registers the checkers of every script syntax the core knows (dial plans,
 * tone/cadence/ring/LED scripts, DST rules, service codes) so that a profile
 * with a malformed script is rejected before anything is applied. */
void dp_core_register_syntaxes (DpConfig *config);

G_END_DECLS
