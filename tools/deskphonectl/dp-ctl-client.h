/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The online half of deskphonectl: a proxy for org.deskphone.Phone1 on the
 * bus the daemon runs on. */
#pragma once

#include "dp-ctl.h"
#include "dp-dbus-generated.h"

/* Connects to the running daemon. The bus is DESKPHONE_BUS (session or
 * system) when set; otherwise the session bus if the daemon is there, else
 * the system bus. */
DpDBusPhone1 *dp_ctl_connect (GError **error);

/* Turns a failed call into the exit code of the contract: invalid input
 * (unknown parameter, invalid value, malformed profile ...) is 2, anything
 * else 1. Prints the message without the D-Bus error name. */
int dp_ctl_fail_remote (GError *error);

/* Parses @text as JSON; NULL (and a message) if the daemon sent garbage. */
JsonNode *dp_ctl_parse_reply (const char *text);
