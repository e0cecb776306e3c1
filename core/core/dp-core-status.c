/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The status document (architecture §4.3). The core fills in what it knows
 * itself (version, uptime, ports, configured lines, language); plugins add
 * sections (plugins, calls, provisioning, sidecar, feeds) and may replace
 * the line list with live registration state. A section no plugin provides
 * is reported empty, never invented. */
#define G_LOG_DOMAIN "dp-core"

#include "dp-build-config.h"
#include "dp-core-private.h"

#include <glib/gi18n-lib.h>

#define DP_MAX_LINES DP_CORE_MAX_LINES

static void
add_ports (DpCore *self, JsonBuilder *builder)
{
  guint web = dp_core_get_port (self, "web", 0);
  guint web_https = dp_core_get_port (self, "web-https", 0);

  json_builder_set_member_name (builder, "ports");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sip");
  json_builder_begin_object (builder);
  for (guint line = 1; line <= DP_MAX_LINES; line++)
    {
      guint port = dp_core_get_port (self, "sip", line);

      if (port != 0)
        {
          g_autofree char *key = g_strdup_printf ("%u", line);
          json_builder_set_member_name (builder, key);
          json_builder_add_int_value (builder, port);
        }
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "web");
  if (web != 0)
    json_builder_add_int_value (builder, web);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "web_https");
  if (web_https != 0)
    json_builder_add_int_value (builder, web_https);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

/* Each extension: its configuration and the live state of its DpLine. With
 * no call provider nothing registers, and the status says so. */
static JsonNode *
configured_lines (DpCore *self)
{
  DpConfig *config = dp_core_get_config (self);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint line = 1; line <= DP_MAX_LINES; line++)
    {
      g_autofree char *enable = g_strdup_printf ("Line_Enable_%u_", line);
      g_autofree char *user = g_strdup_printf ("User_ID_%u_", line);
      g_autofree char *proxy = g_strdup_printf ("Proxy_%u_", line);

      if (dp_config_lookup (config, enable) == NULL)
        break;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, line);
      json_builder_set_member_name (builder, "enabled");
      json_builder_add_boolean_value (builder, dp_config_get_bool (config, enable));
      json_builder_set_member_name (builder, "user");
      json_builder_add_string_value (builder, dp_config_get (config, user));
      json_builder_set_member_name (builder, "proxy");
      json_builder_add_string_value (builder, dp_config_get (config, proxy));
      if (dp_core_get_call_provider (self) == NULL)
        {
          json_builder_set_member_name (builder, "registration");
          json_builder_add_string_value (builder, DP_REGISTRATION_UNAVAILABLE);
          json_builder_set_member_name (builder, "last_error");
          json_builder_add_string_value (builder, _("no SIP plugin is loaded"));
        }
      else
        {
          g_autoptr(JsonNode) live = dp_line_to_json (dp_core_get_line (self, line));
          JsonObject *object = json_node_get_object (live);
          GList *members = json_object_get_members (object);

          for (GList *m = members; m != NULL; m = m->next)
            if (!g_str_equal (m->data, "index"))
              {
                json_builder_set_member_name (builder, m->data);
                json_builder_add_value (builder,
                                        json_node_copy (json_object_get_member (object, m->data)));
              }
          g_list_free (members);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
current_calls (DpCore *self)
{
  GListModel *calls = dp_core_get_calls (self);
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr(DpCall) call = g_list_model_get_item (calls, i);
      json_array_add_element (array, dp_call_to_json (call));
    }
  json_node_take_array (node, array);
  return node;
}

static JsonNode *
empty_array (void)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, json_array_new ());
  return node;
}

static JsonNode *
unavailable_object (const char *reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, "unavailable");
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * dp_core_build_status_member:
 * @self: a #DpCore
 * @name: "plugins", "lines", "calls", "provisioning", "sidecar", "feeds"
 *   or a section a plugin registered
 *
 * Builds one member of the status document, as dp_core_build_status() does,
 * without building the others: the section a plugin registered under
 * @name, else what the core knows by itself.
 *
 * Returns: (transfer full) (nullable): the member, or %NULL for an unknown name
 */
JsonNode *
dp_core_build_status_member (DpCore *self, const char *name)
{
  JsonNode *node;

  g_return_val_if_fail (DP_IS_CORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  node = dp_core_build_section (self, name);
  if (node != NULL)
    return node;
  if (g_str_equal (name, "lines"))
    return configured_lines (self);
  if (g_str_equal (name, "calls"))
    return current_calls (self);
  if (g_str_equal (name, "provisioning"))
    return unavailable_object (_("no provisioning plugin is loaded"));
  if (g_str_equal (name, "plugins") || g_str_equal (name, "sidecar") || g_str_equal (name, "feeds"))
    return empty_array ();
  return NULL;
}

static void
add_member (DpCore *self, JsonBuilder *builder, const char *name)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_value (builder, dp_core_build_status_member (self, name));
}

/**
 * dp_core_build_status:
 * @self: a #DpCore
 *
 * Returns: (transfer full): the status document
 */
JsonNode *
dp_core_build_status (DpCore *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (DP_IS_CORE (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, dp_core_get_version (self));
  json_builder_set_member_name (builder, "uptime_s");
  json_builder_add_int_value (builder, dp_core_get_uptime_s (self));
  json_builder_set_member_name (builder, "state_dir");
  json_builder_add_string_value (builder, dp_core_get_state_dir (self));
  add_ports (self, builder);
  add_member (self, builder, "plugins");
  add_member (self, builder, "lines");
  add_member (self, builder, "calls");
  add_member (self, builder, "provisioning");
  add_member (self, builder, "sidecar");
  add_member (self, builder, "feeds");
  dp_core_add_other_sections (self, builder);
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, dp_core_get_language (self));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
