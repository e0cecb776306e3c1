/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dp-ctl-client.h"
#include "dp-config.h"
#include "dp-profile.h"
#include "dp-dbus-errors.h"

#define DP_BUS_NAME "org.deskphone.Phone1"
#define DP_OBJECT_PATH "/org/deskphone/Phone1"

static DpDBusPhone1 *
connect_on (GBusType bus_type, GError **error)
{
  g_autoptr(GDBusConnection) connection = g_bus_get_sync (bus_type, NULL, error);
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  if (connection == NULL)
    return NULL;
  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", DP_BUS_NAME), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, error);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(b)", &has_owner);
  if (!has_owner)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("deskphoned is not running on the %s bus"),
                   bus_type == G_BUS_TYPE_SYSTEM ? "system" : "session");
      return NULL;
    }
  return dp_dbus_phone1_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                        DP_BUS_NAME, DP_OBJECT_PATH, NULL, error);
}

DpDBusPhone1 *
dp_ctl_connect (GError **error)
{
  const char *bus = g_getenv ("DESKPHONE_BUS");
  DpDBusPhone1 *proxy;

  dp_dbus_register_errors ();
  if (bus != NULL && g_str_equal (bus, "system"))
    return connect_on (G_BUS_TYPE_SYSTEM, error);
  if (bus != NULL && g_str_equal (bus, "session"))
    return connect_on (G_BUS_TYPE_SESSION, error);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    {
      proxy = connect_on (G_BUS_TYPE_SESSION, NULL);
      if (proxy != NULL)
        return proxy;
    }
  return connect_on (G_BUS_TYPE_SYSTEM, error);
}

int
dp_ctl_fail_remote (GError *error)
{
  gboolean bad_input = error->domain == DP_PROFILE_ERROR ||
                       g_error_matches (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_UNKNOWN_PARAMETER) ||
                       g_error_matches (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE) ||
                       g_error_matches (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_READONLY);

  g_dbus_error_strip_remote_error (error);
  return dp_ctl_fail (bad_input ? DP_CTL_EXIT_BAD_INPUT : DP_CTL_EXIT_FAILED, "%s", error->message);
}

JsonNode *
dp_ctl_parse_reply (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  if (node == NULL)
    dp_ctl_fail (DP_CTL_EXIT_FAILED, _("the daemon sent invalid JSON: %s"),
                 error ? error->message : _("empty reply"));
  return node;
}
