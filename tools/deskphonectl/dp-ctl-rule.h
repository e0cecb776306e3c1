/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The offline device state the `rule` and `macro` subcommands evaluate
 * against, built from their --set NAME=VALUE options (cmd-rule.c). */
#pragma once

#include "dp-macro.h"

DpMacroContext *dp_ctl_rule_context_new (char      **sets,
                                         char      **default_server,
                                         GError    **error);
