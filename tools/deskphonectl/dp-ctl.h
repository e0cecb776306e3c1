/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Shared by the deskphonectl subcommands. Each subcommand lives in
 * cmd-<name>.c as `int dp_ctl_cmd_<name> (int argc, char **argv)`: argv[0] is
 * the subcommand name, the function parses its own options (every subcommand
 * takes --json) and returns the exit code. */
#pragma once

#include "dp-build-config.h"

#include <glib.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

/* Exit codes of the contract (architecture §4.2). */
enum {
  DP_CTL_EXIT_OK = 0,
  DP_CTL_EXIT_FAILED = 1,
  DP_CTL_EXIT_BAD_INPUT = 2,
};

/* Sets the locale from the environment and binds the "deskphone" catalogues
 * ($DESKPHONE_LOCALEDIR when set, else LOCALEDIR), so that messages and help
 * texts follow LANG / LC_MESSAGES / LANGUAGE. */
void dp_ctl_init_locale (void);

/* The translated labels of the call and registration state identifiers
 * of the daemon's JSON (dp_call_state_label(), dp_registration_label());
 * an identifier this tool does not know as is. */
const char *dp_ctl_call_state_label (const char *state);
const char *dp_ctl_registration_label (const char *registration);

/* Prints @node as pretty JSON on stdout, followed by a newline. */
void dp_ctl_print_json (JsonNode *node);

/* Prints "deskphonectl: <message>" on stderr and returns @code. */
int  dp_ctl_fail (int code, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Parses @entries (plus --json, stored in *json) from argc/argv; on an option
 * error prints it and returns FALSE. Leaves the positional arguments in argv.
 * @parameter_string, @summary and the entries' descriptions are msgids
 * (mark them with N_()): they are translated when the help is shown. */
gboolean dp_ctl_parse_options (int *argc, char ***argv, const char *parameter_string,
                               const char *summary, GOptionEntry *entries,
                               gboolean *json);
