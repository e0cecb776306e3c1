/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpPhoneService: exports the core on D-Bus as org.deskphone.Phone1 at
 * /org/deskphone/Phone1. Every method answers from the domain objects; no
 * state lives here. */
#define G_LOG_DOMAIN "dp-dbus"

#include "dp-phone-service-private.h"
#include "dp-dbus-errors.h"

#include <json-glib/json-glib.h>
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#define DP_PHONE_OBJECT_PATH "/org/deskphone/Phone1"

struct _DpPhoneService {
  GObject parent_instance;

  DpCore *core;
  DpDBusPhone1 *skeleton;
  gulong changed_id;
};

G_DEFINE_FINAL_TYPE (DpPhoneService, dp_phone_service, G_TYPE_OBJECT)

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* The core's error domains are registered with D-Bus names, so a GError
 * travels to the client with its domain and code intact. */
static void
return_error (GDBusMethodInvocation *invocation, const GError *error)
{
  g_dbus_method_invocation_return_gerror (invocation, error);
}

static gboolean
on_handle_status (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation, DpPhoneService *self)
{
  g_autoptr(JsonNode) status = dp_core_build_status (self->core);
  g_autofree char *json = node_to_string (status);

  dp_dbus_phone1_complete_status (skeleton, invocation, json);
  return TRUE;
}

static gboolean
on_handle_get_parameter (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                         const char *name, DpPhoneService *self)
{
  g_autoptr(JsonNode) node = dp_config_param_to_json (dp_core_get_config (self->core), name);
  g_autofree char *json = NULL;

  if (node == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, DP_CONFIG_ERROR,
                                             DP_CONFIG_ERROR_UNKNOWN_PARAMETER,
                                             _("unknown parameter %s"), name);
      return TRUE;
    }
  json = node_to_string (node);
  dp_dbus_phone1_complete_get_parameter (skeleton, invocation, json);
  return TRUE;
}

static gboolean
on_handle_set_parameter (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                         const char *name, const char *value, DpPhoneService *self)
{
  g_autoptr(GError) error = NULL;

  if (!dp_config_set (dp_core_get_config (self->core), name, value, &error))
    {
      return_error (invocation, error);
      return TRUE;
    }
  dp_dbus_phone1_complete_set_parameter (skeleton, invocation);
  return TRUE;
}

static gboolean
on_handle_apply_profile (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                         GVariant *profile_variant, const char *key, DpPhoneService *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_variant_get_data_as_bytes (profile_variant);
  g_autoptr(DpProfile) profile = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  DpApplyStats stats = { 0 };

  /* Plain-text imports would read files as the daemon: not over D-Bus. */
  profile = dp_profile_parse (bytes, *key ? key : NULL, NULL, &error);
  if (profile == NULL ||
      !dp_config_apply (dp_core_get_config (self->core), profile, &stats, &error))
    {
      return_error (invocation, error);
      return TRUE;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "applied");
  json_builder_add_int_value (builder, stats.applied);
  json_builder_set_member_name (builder, "unchanged");
  json_builder_add_int_value (builder, stats.unchanged);
  json_builder_set_member_name (builder, "unknown");
  json_builder_add_int_value (builder, stats.unknown);
  json_builder_set_member_name (builder, "ignored_readonly");
  json_builder_add_int_value (builder, stats.ignored_readonly);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = node_to_string (root);
  dp_dbus_phone1_complete_apply_profile (skeleton, invocation, json);
  return TRUE;
}

static gboolean
on_handle_dump_config (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                       DpPhoneService *self)
{
  DpConfig *config = dp_core_get_config (self->core);
  g_autoptr(GPtrArray) names = dp_config_list (config);
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_sized_new (names->len);
  g_autofree char *json = NULL;

  for (guint i = 0; i < names->len; i++)
    json_array_add_element (array, dp_config_param_to_json (config, names->pdata[i]));
  json_node_take_array (root, array);
  json = node_to_string (root);
  dp_dbus_phone1_complete_dump_config (skeleton, invocation, json);
  return TRUE;
}

static gboolean
on_handle_list_plugins (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                        DpPhoneService *self)
{
  g_autoptr(JsonNode) plugins = dp_core_build_status_member (self->core, "plugins");
  g_autofree char *json = node_to_string (plugins);

  dp_dbus_phone1_complete_list_plugins (skeleton, invocation, json);
  return TRUE;
}

DpCore *
dp_phone_service_get_core (DpPhoneService *self)
{
  return self->core;
}

DpDBusPhone1 *
dp_phone_service_get_skeleton (DpPhoneService *self)
{
  return self->skeleton;
}

static gboolean
on_handle_run_action (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                      const char *name, const char *argument, DpPhoneService *self)
{
  g_autoptr(GError) error = NULL;

  if (!dp_core_run_action (self->core, name, *argument ? argument : NULL, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    dp_dbus_phone1_complete_run_action (skeleton, invocation);
  return TRUE;
}

/* Key presses are the "sidecar-press" action of whichever plugin provides
 * keys; this typed method is what a GUI calls. */
static gboolean
on_handle_press_key (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                     guint unit, guint key, DpPhoneService *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *argument = g_strdup_printf ("%u/%u", unit, key);

  if (!dp_core_run_action (self->core, "sidecar-press", argument, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    dp_dbus_phone1_complete_press_key (skeleton, invocation);
  return TRUE;
}

static void
on_status_changed (DpCore *core, const char *section, DpPhoneService *self)
{
  dp_dbus_phone1_emit_status_changed (self->skeleton, section);
}

static void
on_config_changed (DpConfig *config, const char *name, DpPhoneService *self)
{
  dp_dbus_phone1_emit_parameter_changed (self->skeleton, name);
}

static void
dp_phone_service_dispose (GObject *object)
{
  DpPhoneService *self = DP_PHONE_SERVICE (object);

  dp_phone_service_unexport (self);
  if (self->core != NULL && self->changed_id != 0)
    g_clear_signal_handler (&self->changed_id, dp_core_get_config (self->core));
  g_clear_object (&self->skeleton);
  g_clear_object (&self->core);

  G_OBJECT_CLASS (dp_phone_service_parent_class)->dispose (object);
}

static void
dp_phone_service_class_init (DpPhoneServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dp_phone_service_dispose;
}

static void
dp_phone_service_init (DpPhoneService *self)
{
}

DpPhoneService *
dp_phone_service_new (DpCore *core)
{
  DpPhoneService *self = g_object_new (DP_TYPE_PHONE_SERVICE, NULL);

  dp_dbus_register_errors ();
  self->core = g_object_ref (core);
  self->skeleton = dp_dbus_phone1_skeleton_new ();
  dp_dbus_phone1_set_version (self->skeleton, dp_core_get_version (core));
  g_signal_connect (self->skeleton, "handle-status", G_CALLBACK (on_handle_status), self);
  g_signal_connect (self->skeleton, "handle-get-parameter",
                    G_CALLBACK (on_handle_get_parameter), self);
  g_signal_connect (self->skeleton, "handle-set-parameter",
                    G_CALLBACK (on_handle_set_parameter), self);
  g_signal_connect (self->skeleton, "handle-apply-profile",
                    G_CALLBACK (on_handle_apply_profile), self);
  g_signal_connect (self->skeleton, "handle-dump-config",
                    G_CALLBACK (on_handle_dump_config), self);
  g_signal_connect (self->skeleton, "handle-list-plugins",
                    G_CALLBACK (on_handle_list_plugins), self);
  g_signal_connect (self->skeleton, "handle-run-action",
                    G_CALLBACK (on_handle_run_action), self);
  g_signal_connect (self->skeleton, "handle-press-key",
                    G_CALLBACK (on_handle_press_key), self);
  g_signal_connect_object (core, "status-changed", G_CALLBACK (on_status_changed), self, 0);
  dp_phone_service_connect_calls (self);
  dp_phone_service_connect_directory (self);
  self->changed_id = g_signal_connect (dp_core_get_config (core), "changed",
                                       G_CALLBACK (on_config_changed), self);
  return self;
}

gboolean
dp_phone_service_export (DpPhoneService *self, GDBusConnection *connection, GError **error)
{
  g_return_val_if_fail (DP_IS_PHONE_SERVICE (self), FALSE);

  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton),
                                           connection, DP_PHONE_OBJECT_PATH, error);
}

void
dp_phone_service_unexport (DpPhoneService *self)
{
  GDBusInterfaceSkeleton *skeleton = G_DBUS_INTERFACE_SKELETON (self->skeleton);

  if (skeleton != NULL && g_dbus_interface_skeleton_get_connection (skeleton) != NULL)
    g_dbus_interface_skeleton_unexport (skeleton);
}
