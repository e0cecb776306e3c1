/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * deskphonectl: one tool, two kinds of subcommands (architecture §4.2).
 * Offline ones work on their arguments alone, so an administrator can test a
 * profile, dial plan or tone script before provisioning it; online ones talk
 * to the running deskphoned over D-Bus. Exit codes: 0 success, 1 operation
 * failed, 2 bad input. */
#include "dp-build-config.h"
#include "dp-ctl.h"
#include "dp-ctl-commands.h"

#include <stdio.h>
#include <string.h>

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  gboolean online;
  const char *summary;
} Command;

static const Command commands[] = {
  { "profile", dp_ctl_cmd_profile, FALSE, N_("Parse a profile and print its assignments") },
  { "dialplan", dp_ctl_cmd_dialplan, FALSE, N_("Run keys through a dial plan (virtual time)") },
  { "tone", dp_ctl_cmd_tone, FALSE, N_("Decode a Freq/Tone/Cad/Ring/LED script") },
  { "dst", dp_ctl_cmd_dst, FALSE, N_("Daylight-saving start and end of a rule in a year") },
  { "rule", dp_ctl_cmd_rule, FALSE, N_("Evaluate a Profile_Rule / Upgrade_Rule / trigger") },
  { "macro", dp_ctl_cmd_macro, FALSE, N_("Expand provisioning macros in a text") },
  { "status", dp_ctl_cmd_status, TRUE, N_("Show the phone's status") },
  { "config", dp_ctl_cmd_config, TRUE, N_("Read or change the configuration (get, set, dump, apply)") },
  { "plugins", dp_ctl_cmd_plugins, TRUE, N_("List plugins and their state") },
  { "lines", dp_ctl_cmd_lines, TRUE, N_("List lines and their registration") },
  { "calls", dp_ctl_cmd_calls, TRUE, N_("List the current calls") },
  { "dial", dp_ctl_cmd_dial, TRUE, N_("[--line N] NUMBER: place a call") },
  { "answer", dp_ctl_cmd_answer, TRUE, N_("[ID]: answer the ringing call") },
  { "hangup", dp_ctl_cmd_hangup, TRUE, N_("[ID]: end, reject or cancel a call") },
  { "hold", dp_ctl_cmd_hold, TRUE, N_("[ID]: put a call on hold") },
  { "resume", dp_ctl_cmd_resume, TRUE, N_("[ID]: take a call off hold") },
  { "transfer", dp_ctl_cmd_transfer, TRUE, N_("[--call ID] TARGET|call:ID: transfer a call") },
  { "dtmf", dp_ctl_cmd_dtmf, TRUE, N_("[--call ID] DIGITS: send DTMF") },
  { "conference", dp_ctl_cmd_conference, TRUE, N_("CALL-A CALL-B: three-way conference") },
  { "resync", dp_ctl_cmd_resync, TRUE, N_("[URL]: resync the configuration now") },
  { "upgrade", dp_ctl_cmd_upgrade, TRUE, N_("[URL]: upgrade the firmware now") },
  { "feeds", dp_ctl_cmd_feeds, TRUE, N_("RSS feeds and their items (--refresh [N])") },
  { "sidecar", dp_ctl_cmd_sidecar, TRUE, N_("[--press U/K]: sidecar keys, state and LED") },
  { "language", dp_ctl_cmd_language, TRUE, N_("[NAME]: show or switch the language") },
  { "history", dp_ctl_cmd_history, TRUE, N_("[clear]: placed, received and missed calls") },
  { "directory", dp_ctl_cmd_directory, TRUE, N_("[add|edit|delete|dial ...]: the personal directory") },
};

static void
usage (FILE *out)
{
  fprintf (out, "%s\n\n%s\n", _("Usage: deskphonectl COMMAND [ARGS...] [--json]"),
           _("Offline commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (!commands[i].online)
      fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Commands for the running deskphoned (D-Bus; DESKPHONE_BUS=session|system):"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (commands[i].online)
      fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run 'deskphonectl COMMAND --help' for a command's options."));
}

int
main (int argc, char **argv)
{
  dp_ctl_init_locale ();

  if (argc < 2)
    {
      usage (stderr);
      return DP_CTL_EXIT_BAD_INPUT;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      usage (stdout);
      return DP_CTL_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      printf ("deskphonectl %s\n", PACKAGE_VERSION);
      return DP_CTL_EXIT_OK;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("unknown command \"%s\" (see deskphonectl --help)"),
                      argv[1]);
}
