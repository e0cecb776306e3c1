/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * deskphonectl resync [URL] | upgrade [URL]: start an action a plugin
 * handles (provisioning). Progress and result show in `status`. */
#include "dp-ctl-client.h"

#include <stdio.h>

static int
run_action (int argc, char **argv, const char *name, const char *summary)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDBusPhone1) proxy = NULL;
  gboolean as_json = FALSE;

  if (!dp_ctl_parse_options (&argc, &argv, "[URL]", summary, NULL, &as_json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc > 2)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("usage: %s [URL]"), name);
  proxy = dp_ctl_connect (&error);
  if (proxy == NULL ||
      !dp_dbus_phone1_call_run_action_sync (proxy, name, argc == 2 ? argv[1] : "", NULL, &error))
    return dp_ctl_fail_remote (error);
  if (as_json)
    printf ("{\"started\": true}\n");
  return DP_CTL_EXIT_OK;
}

int
dp_ctl_cmd_resync (int argc, char **argv)
{
  return run_action (argc, argv, "resync", N_("Resync the configuration now (optionally from URL)."));
}

int
dp_ctl_cmd_upgrade (int argc, char **argv)
{
  return run_action (argc, argv, "upgrade", N_("Upgrade the firmware now (optionally from URL)."));
}
