/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The history and directory half of org.deskphone.Phone1: ListHistory,
 * ClearHistory, ListDirectory, AddContact, UpdateContact, DeleteContact and
 * the DirectoryChanged signal, over the core's DpCallHistory and
 * DpDirectory. Validation is the directory's (DP_DIRECTORY_ERROR_INVALID,
 * registered as org.deskphone.Phone1.Error.DirectoryInvalid). */
#define G_LOG_DOMAIN "dp-dbus"

#include "dp-phone-service-private.h"

static void
return_json (GDBusMethodInvocation *invocation, JsonNode *node)
{
  g_autofree char *json = json_to_string (node, FALSE);

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", json));
}

static gboolean
on_handle_list_history (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                        DpPhoneService *self)
{
  g_autoptr(JsonNode) node =
    dp_call_history_to_json (dp_core_get_call_history (dp_phone_service_get_core (self)));

  return_json (invocation, node);
  return TRUE;
}

static gboolean
on_handle_clear_history (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                         DpPhoneService *self)
{
  DpCallHistory *history = dp_core_get_call_history (dp_phone_service_get_core (self));
  g_autoptr(GError) error = NULL;

  dp_call_history_clear (history);
  if (!dp_call_history_save (history, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    dp_dbus_phone1_complete_clear_history (skeleton, invocation);
  return TRUE;
}

static gboolean
on_handle_list_directory (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                          DpPhoneService *self)
{
  g_autoptr(JsonNode) node =
    dp_directory_to_json (dp_core_get_directory (dp_phone_service_get_core (self)));

  return_json (invocation, node);
  return TRUE;
}

static gboolean
on_handle_add_contact (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                       const char *name, const char *number, DpPhoneService *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = dp_directory_add_contact (dp_core_get_directory (dp_phone_service_get_core (self)),
                                                  name, number, &error);

  if (id == NULL)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    dp_dbus_phone1_complete_add_contact (skeleton, invocation, id);
  return TRUE;
}

static gboolean
on_handle_update_contact (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                          const char *id, const char *name, const char *number,
                          DpPhoneService *self)
{
  g_autoptr(GError) error = NULL;

  if (!dp_directory_update_contact (dp_core_get_directory (dp_phone_service_get_core (self)),
                                    id, name, number, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    dp_dbus_phone1_complete_update_contact (skeleton, invocation);
  return TRUE;
}

static gboolean
on_handle_delete_contact (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                          const char *id, DpPhoneService *self)
{
  g_autoptr(GError) error = NULL;

  if (!dp_directory_delete_contact (dp_core_get_directory (dp_phone_service_get_core (self)),
                                    id, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    dp_dbus_phone1_complete_delete_contact (skeleton, invocation);
  return TRUE;
}

/* Every change, whoever made it (screen, web UI, D-Bus), reaches clients. */
static void
on_directory_changed (DpDirectory *directory, DpPhoneService *self)
{
  DpDBusPhone1 *skeleton = dp_phone_service_get_skeleton (self);

  if (skeleton != NULL)
    dp_dbus_phone1_emit_directory_changed (skeleton);
}

void
dp_phone_service_connect_directory (DpPhoneService *self)
{
  DpDBusPhone1 *skeleton = dp_phone_service_get_skeleton (self);

  g_signal_connect (skeleton, "handle-list-history", G_CALLBACK (on_handle_list_history), self);
  g_signal_connect (skeleton, "handle-clear-history", G_CALLBACK (on_handle_clear_history), self);
  g_signal_connect (skeleton, "handle-list-directory", G_CALLBACK (on_handle_list_directory), self);
  g_signal_connect (skeleton, "handle-add-contact", G_CALLBACK (on_handle_add_contact), self);
  g_signal_connect (skeleton, "handle-update-contact", G_CALLBACK (on_handle_update_contact), self);
  g_signal_connect (skeleton, "handle-delete-contact", G_CALLBACK (on_handle_delete_contact), self);
  g_signal_connect_object (dp_core_get_directory (dp_phone_service_get_core (self)), "changed",
                           G_CALLBACK (on_directory_changed), self, 0);
}
