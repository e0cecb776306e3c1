/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Report_Rule: an XML dump of all parameters POSTed to the server (see
 * dp-prov-report.h). */
#define G_LOG_DOMAIN "dp-provisioning"

#include "dp-build-config.h"
#include "dp-prov-report.h"
#include <glib/gi18n-lib.h>

#include <string.h>

struct _DpProvReport
{
  GObject parent_instance;

  DpProvEnv *env;
  DpConfig *config;
  GCancellable *cancellable;

  char *state;
  char *last_result;
  char *last_error;
  char *last_url;
};

G_DEFINE_FINAL_TYPE (DpProvReport, dp_prov_report, G_TYPE_OBJECT)

/**
 * dp_prov_report_build:
 * @config: the configuration
 * @include_secrets: write the values of secret parameters
 *
 * Returns: (transfer full): the report document
 */
char *
dp_prov_report_build (DpConfig *config, gboolean include_secrets)
{
  g_autoptr(GPtrArray) names = dp_config_list (config);
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flat-profile>\n");

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      const DpParam *param = dp_config_lookup (config, name);
      gboolean secret = (dp_param_get_flags (param) & DP_PARAM_FLAG_SECRET) != 0;
      g_autofree char *group = g_markup_escape_text (dp_param_get_group (param), -1);
      g_autofree char *value = NULL;

      value = g_markup_escape_text (secret && !include_secrets ? "" : dp_config_get (config, name), -1);
      g_string_append_printf (out, "  <%s ua=\"%s\" group=\"%s\">%s</%s>\n", name,
                              dp_access_to_string (dp_config_get_access (config, name)),
                              group, value, name);
    }
  g_string_append (out, "</flat-profile>\n");
  return g_string_free (out, FALSE);
}

static void
set_str (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static void
on_sent (GObject *source, GAsyncResult *res, gpointer data)
{
  DpProvReport *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = dp_prov_fetch_finish (res, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_str (&self->state, "idle");
      set_str (&self->last_result, answer != NULL ? "success" : "failure");
      set_str (&self->last_error, error != NULL ? error->message : NULL);
      if (answer != NULL)
        g_message ("report sent to %s", self->last_url);
      else
        g_warning ("report to %s failed: %s", self->last_url, error->message);
      g_clear_object (&self->cancellable);
    }
  g_object_unref (self);
}

/**
 * dp_prov_report_request:
 * @self: the reporter
 * @rule: (nullable): a URL / report rule instead of `Report_Rule`
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the report is on its way
 */
gboolean
dp_prov_report_request (DpProvReport *self, const char *rule, GError **error)
{
  g_autoptr(DpRule) parsed = NULL;
  g_autoptr(DpRuleResult) result = NULL;
  g_autoptr(DpMacroContext) ctx = NULL;
  g_autoptr(DpProvFetchRequest) req = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_val_if_fail (DP_PROV_IS_REPORT (self), FALSE);

  if (self->cancellable != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, _("a report is already being sent"));
      return FALSE;
    }
  if (rule == NULL || *rule == '\0')
    rule = dp_config_get (self->config, "Report_Rule");
  parsed = dp_rule_parse_kind (rule, DP_RULE_KIND_REPORT, error);
  ctx = dp_macro_context_new_overlay (dp_prov_env_get_macros (self->env));
  if (parsed == NULL ||
      !dp_rule_evaluate (parsed, ctx, dp_config_get (self->config, "Provisioning_TFTP_Server"),
                         &result, error))
    {
      g_prefix_error (error, "Report_Rule: ");
      return FALSE;
    }
  if (result->skip || !result->has_url)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Report_Rule gives no URL to send the report to"));
      return FALSE;
    }
  if (result->method != DP_RULE_METHOD_POST)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s: reports over TFTP (PUT) are not supported; use http or https"),
                   result->url);
      return FALSE;
    }
  if (result->assignments->len > 0)
    {
      g_autoptr(DpProfile) profile = dp_profile_new ();

      for (guint i = 0; i < result->assignments->len; i++)
        {
          const DpRuleAssignment *a = result->assignments->pdata[i];

          dp_profile_add (profile, a->name, DP_VALUE_SET, a->value, FALSE, DP_ACCESS_NA);
        }
      if (!dp_config_apply (self->config, profile, NULL, error))
        return FALSE;
    }

  xml = dp_prov_report_build (self->config, result->key != NULL);
  body = g_bytes_new (xml, strlen (xml));
  if (result->key != NULL)
    {
      g_autoptr(GBytes) sealed = dp_profile_encrypt (body, result->key, error);

      if (sealed == NULL)
        return FALSE;
      g_bytes_unref (body);
      body = g_steal_pointer (&sealed);
    }
  req = dp_prov_env_make_request (self->env, result, 0, error);
  if (req == NULL)
    return FALSE;
  g_clear_pointer (&req->body, g_bytes_unref);
  req->body = g_bytes_ref (body);
  req->method = DP_PROV_METHOD_POST;
  req->content_type = g_strdup (result->key != NULL ? "application/octet-stream" : "application/xml");

  set_str (&self->state, "sending");
  set_str (&self->last_url, result->url);
  self->cancellable = g_cancellable_new ();
  dp_prov_fetch_async (req, self->cancellable, on_sent, g_object_ref (self));
  return TRUE;
}

/**
 * dp_prov_report_to_json:
 * @self: the reporter
 *
 * Returns: (transfer full): the `report` status object (state, last_result,
 *   last_error, last_url)
 */
JsonNode *
dp_prov_report_to_json (DpProvReport *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *fields[][2] = {
    { "state", self->state },
    { "last_result", self->last_result },
    { "last_error", self->last_error },
    { "last_url", self->last_url },
  };

  json_builder_begin_object (b);
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      json_builder_set_member_name (b, fields[i][0]);
      if (fields[i][1] != NULL)
        json_builder_add_string_value (b, fields[i][1]);
      else
        json_builder_add_null_value (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
dp_prov_report_dispose (GObject *object)
{
  DpProvReport *self = DP_PROV_REPORT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (dp_prov_report_parent_class)->dispose (object);
}

static void
dp_prov_report_finalize (GObject *object)
{
  DpProvReport *self = DP_PROV_REPORT (object);

  g_clear_object (&self->cancellable);
  g_free (self->state);
  g_free (self->last_result);
  g_free (self->last_error);
  g_free (self->last_url);
  G_OBJECT_CLASS (dp_prov_report_parent_class)->finalize (object);
}

static void
dp_prov_report_class_init (DpProvReportClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dp_prov_report_dispose;
  G_OBJECT_CLASS (klass)->finalize = dp_prov_report_finalize;
}

static void
dp_prov_report_init (DpProvReport *self)
{
  self->state = g_strdup ("idle");
}

/**
 * dp_prov_report_new:
 * @env: the environment (must outlive the reporter)
 *
 * Returns: (transfer full): the reporter
 */
DpProvReport *
dp_prov_report_new (DpProvEnv *env)
{
  DpProvReport *self = g_object_new (DP_PROV_TYPE_REPORT, NULL);

  self->env = env;
  self->config = dp_prov_env_get_config (env);
  return self;
}
