/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The provisioning environment: real device state behind the macros, the
 * HTTPS trust, the Log_* messages, and call tracking for "only while idle". */
#define G_LOG_DOMAIN "dp-provisioning"

#include "dp-build-config.h"
#include "dp-prov-env.h"
#include "dp-prov-clock.h"
#include <glib/gi18n-lib.h>

#include <string.h>

typedef struct {
  guint id;
  GCallback callback;
  gpointer user_data;
} CallWatch;

struct _DpProvEnv
{
  DpCore *core;
  DpConfig *config;
  DpProvDevice *device;
  DpMacroContext *macros;
  GRand *rand;

  double started_at;
  double last_resync;          /* phone seconds, < 0: never */
  double last_upgrade;
  int prvst;
  int upgst;
  char *upgerr;

  double lost_at[DP_CORE_MAX_LINES];  /* < 0 while registered */
  gulong line_handlers[DP_CORE_MAX_LINES];

  GListModel *calls;
  gulong calls_changed_id;
  GPtrArray *watched_calls;    /* DpCall with a notify::state handler */
  GArray *watches;             /* CallWatch */
  guint next_watch_id;

  char *scratch;               /* last value computed by the lookup */
};

static const char *
keep (DpProvEnv *self, char *value)
{
  g_free (self->scratch);
  self->scratch = value;
  return value;
}

static const char *
timer_value (DpProvEnv *self, double since)
{
  double now = dp_prov_clock_now ();

  return keep (self, g_strdup_printf ("%" G_GINT64_FORMAT,
                                      (gint64) MAX (0, now - (since < 0 ? self->started_at : since))));
}

/* The DpMacroLookupFunc: every value from live state, nothing cached that
 * could go stale. Unknown → NULL (the macro stays verbatim). */
static const char *
lookup_macro (const char *name, gpointer user_data)
{
  DpProvEnv *self = user_data;
  DpProvDevice *device = self->device;

  if (strcmp (name, "MA") == 0)
    return dp_prov_device_get_mac (device);
  if (strcmp (name, "MAU") == 0)
    return keep (self, g_ascii_strup (dp_prov_device_get_mac (device), -1));
  if (strcmp (name, "MAC") == 0)
    {
      const char *m = dp_prov_device_get_mac (device);

      return keep (self, g_strdup_printf ("%.2s:%.2s:%.2s:%.2s:%.2s:%.2s",
                                          m, m + 2, m + 4, m + 6, m + 8, m + 10));
    }
  if (strcmp (name, "PN") == 0)
    return dp_prov_device_get_product (device);
  if (strcmp (name, "PSN") == 0)
    return dp_prov_device_get_series (device);
  if (strcmp (name, "SN") == 0)
    return dp_prov_device_get_serial (device);
  if (strcmp (name, "SWVER") == 0)
    return dp_prov_device_get_sw_version (device);
  if (strcmp (name, "HWVER") == 0)
    return dp_prov_device_get_hw_version (device);
  if (strcmp (name, "IP") == 0)
    {
      char *ip = dp_prov_device_get_ip (device);

      return keep (self, ip != NULL ? ip : g_strdup (""));
    }
  if (strcmp (name, "EXTIP") == 0)
    return dp_config_lookup (self->config, "EXT_IP") ? dp_config_get (self->config, "EXT_IP") : "";
  if (strcmp (name, "CCERT") == 0)
    {
      g_autoptr(DpProvTrust) trust = dp_prov_env_load_trust (self, NULL);

      /* A broken certificate pair is no usable certificate. */
      return trust != NULL ? dp_prov_trust_get_ccert (trust) : "Not Installed";
    }
  if (strcmp (name, "PRVST") == 0)
    return keep (self, g_strdup_printf ("%d", self->prvst));
  if (strcmp (name, "UPGST") == 0)
    return keep (self, g_strdup_printf ("%d", self->upgst));
  if (strcmp (name, "UPGERR") == 0)
    return self->upgerr != NULL ? self->upgerr : "";
  if (strcmp (name, "UPGCOND") == 0)
    return "true";
  if (strcmp (name, "PRVTMR") == 0)
    return timer_value (self, self->last_resync);
  if (strcmp (name, "UPGTMR") == 0)
    return timer_value (self, self->last_upgrade);
  if (g_str_has_prefix (name, "REGTMR") && name[6] >= '1' && name[6] <= '6' && name[7] == '\0')
    {
      guint line = (guint) (name[6] - '0');

      if (line > dp_core_get_n_lines (self->core) || self->lost_at[line - 1] < 0)
        return "0";
      return timer_value (self, self->lost_at[line - 1]);
    }
  if (name[0] >= 'A' && name[0] <= 'P' && name[1] == '\0')
    {
      g_autofree char *param = g_strdup_printf ("GPP_%c", name[0]);

      return dp_config_get (self->config, param);
    }
  if (name[0] == 'S' && name[1] >= 'A' && name[1] <= 'D' && name[2] == '\0')
    {
      g_autofree char *param = g_strdup_printf ("GPP_S%c", name[1]);

      return dp_config_get (self->config, param);
    }
  if (g_str_has_prefix (name, "UID") && name[3] >= '1' && name[3] <= '6' && name[4] == '\0')
    {
      g_autofree char *param = g_strdup_printf ("User_ID_%c_", name[3]);

      return dp_config_lookup (self->config, param) ? dp_config_get (self->config, param) : NULL;
    }
  return NULL;
}

static void
on_registration (DpLine *line, GParamSpec *pspec, DpProvEnv *self)
{
  guint index = dp_line_get_index (line);

  if (index < 1 || index > DP_CORE_MAX_LINES)
    return;
  if (dp_line_get_registration_state (line) == DP_REGISTRATION_REGISTERED)
    self->lost_at[index - 1] = -1;
  else if (self->lost_at[index - 1] < 0)
    self->lost_at[index - 1] = dp_prov_clock_now ();
}

static void
notify_watches (DpProvEnv *self)
{
  /* Copy: a callback may add or remove watches. */
  g_autoptr(GArray) copy = g_array_copy (self->watches);

  for (guint i = 0; i < copy->len; i++)
    {
      CallWatch *watch = &g_array_index (copy, CallWatch, i);

      ((void (*) (gpointer)) watch->callback) (watch->user_data);
    }
}

static void
on_call_state (DpCall *call, GParamSpec *pspec, DpProvEnv *self)
{
  notify_watches (self);
}

static void
disconnect_calls (DpProvEnv *self)
{
  for (guint i = 0; i < self->watched_calls->len; i++)
    g_signal_handlers_disconnect_by_func (self->watched_calls->pdata[i], on_call_state, self);
  g_ptr_array_set_size (self->watched_calls, 0);
}

static void
on_calls_changed (GListModel *model, guint position, guint removed, guint added,
                  DpProvEnv *self)
{
  guint n = g_list_model_get_n_items (model);

  disconnect_calls (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DpCall) call = g_list_model_get_item (model, i);

      g_signal_connect (call, "notify::state", G_CALLBACK (on_call_state), self);
      g_ptr_array_add (self->watched_calls, g_object_ref (call));
    }
  notify_watches (self);
}

/**
 * dp_prov_env_new:
 * @core: the core (must outlive the environment)
 * @device: (transfer full): the device facts
 *
 * Returns: (transfer full): the environment
 */
DpProvEnv *
dp_prov_env_new (DpCore *core, DpProvDevice *device)
{
  DpProvEnv *self = g_new0 (DpProvEnv, 1);
  guint n_lines;

  self->core = core;
  self->config = dp_core_get_config (core);
  self->device = device;
  self->rand = g_rand_new ();
  self->macros = dp_macro_context_new_with_lookup (lookup_macro, self, NULL);
  self->started_at = dp_prov_clock_now ();
  self->last_resync = -1;
  self->last_upgrade = -1;
  self->prvst = 0;
  self->upgst = 1;
  self->watched_calls = g_ptr_array_new_with_free_func (g_object_unref);
  self->watches = g_array_new (FALSE, TRUE, sizeof (CallWatch));

  n_lines = MIN (dp_core_get_n_lines (core), DP_CORE_MAX_LINES);
  for (guint i = 0; i < DP_CORE_MAX_LINES; i++)
    self->lost_at[i] = -1;
  for (guint i = 1; i <= n_lines; i++)
    {
      DpLine *line = dp_core_get_line (core, i);

      if (line == NULL)
        continue;
      /* Not registered at start-up: the timer runs from start-up. */
      if (dp_line_get_registration_state (line) != DP_REGISTRATION_REGISTERED)
        self->lost_at[i - 1] = self->started_at;
      self->line_handlers[i - 1] = g_signal_connect (line, "notify::registration-state",
                                                     G_CALLBACK (on_registration), self);
    }

  self->calls = g_object_ref (dp_core_get_calls (core));
  self->calls_changed_id = g_signal_connect (self->calls, "items-changed",
                                             G_CALLBACK (on_calls_changed), self);
  on_calls_changed (self->calls, 0, 0, 0, self);
  return self;
}

void
dp_prov_env_free (DpProvEnv *self)
{
  if (self == NULL)
    return;
  for (guint i = 1; i <= DP_CORE_MAX_LINES; i++)
    if (self->line_handlers[i - 1] != 0)
      {
        DpLine *line = dp_core_get_line (self->core, i);

        if (line != NULL)
          g_signal_handler_disconnect (line, self->line_handlers[i - 1]);
      }
  disconnect_calls (self);
  g_ptr_array_unref (self->watched_calls);
  g_clear_signal_handler (&self->calls_changed_id, self->calls);
  g_clear_object (&self->calls);
  g_array_unref (self->watches);
  dp_macro_context_unref (self->macros);
  dp_prov_device_free (self->device);
  g_rand_free (self->rand);
  g_free (self->upgerr);
  g_free (self->scratch);
  g_free (self);
}

DpCore *dp_prov_env_get_core (DpProvEnv *self) { return self->core; }
DpConfig *dp_prov_env_get_config (DpProvEnv *self) { return self->config; }
DpProvDevice *dp_prov_env_get_device (DpProvEnv *self) { return self->device; }
DpMacroContext *dp_prov_env_get_macros (DpProvEnv *self) { return self->macros; }
GRand *dp_prov_env_get_rand (DpProvEnv *self) { return self->rand; }

/**
 * dp_prov_env_mark_resync:
 * @self: the environment
 * @prvst: `$PRVST` of the attempt starting now
 *
 * Restarts `$PRVTMR`.
 */
void
dp_prov_env_mark_resync (DpProvEnv *self, int prvst)
{
  self->prvst = prvst;
  self->last_resync = dp_prov_clock_now ();
}

/**
 * dp_prov_env_mark_upgrade:
 * @self: the environment
 * @upgst: `$UPGST` (1 first attempt, 2 retry)
 * @upgerr: (nullable): `$UPGERR`; %NULL keeps the previous one
 *
 * Restarts `$UPGTMR`.
 */
void
dp_prov_env_mark_upgrade (DpProvEnv *self, int upgst, const char *upgerr)
{
  self->upgst = upgst;
  self->last_upgrade = dp_prov_clock_now ();
  if (upgerr != NULL)
    {
      g_free (self->upgerr);
      self->upgerr = g_strdup (upgerr);
    }
}

/**
 * dp_prov_env_is_idle:
 * @self: the environment
 *
 * Returns: %TRUE when no call exists that has not ended
 */
gboolean
dp_prov_env_is_idle (DpProvEnv *self)
{
  guint n = g_list_model_get_n_items (self->calls);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DpCall) call = g_list_model_get_item (self->calls, i);

      if (dp_call_get_state (call) != DP_CALL_STATE_ENDED)
        return FALSE;
    }
  return TRUE;
}

/**
 * dp_prov_env_watch_calls:
 * @self: the environment
 * @callback: a `void (*) (gpointer user_data)`, called when a call appears,
 *   goes away or changes state
 * @user_data: its data
 *
 * Returns: the watch id for dp_prov_env_unwatch_calls()
 */
guint
dp_prov_env_watch_calls (DpProvEnv *self, GCallback callback, gpointer user_data)
{
  CallWatch watch = { ++self->next_watch_id, callback, user_data };

  g_array_append_val (self->watches, watch);
  return watch.id;
}

void
dp_prov_env_unwatch_calls (DpProvEnv *self, guint watch_id)
{
  for (guint i = 0; i < self->watches->len; i++)
    if (g_array_index (self->watches, CallWatch, i).id == watch_id)
      {
        g_array_remove_index (self->watches, i);
        return;
      }
}

/**
 * dp_prov_env_load_trust:
 * @self: the environment
 * @error: return location for a #GError
 *
 * Loads the HTTPS trust from `Provisioning_CA`, `Provisioning_Key_Pins` and
 * the client certificate in the state dir, afresh for every use, so a
 * changed CA, pin or certificate applies to the next fetch.
 *
 * Returns: (transfer full) (nullable): the trust
 */
DpProvTrust *
dp_prov_env_load_trust (DpProvEnv *self, GError **error)
{
  const char *ca = dp_config_lookup (self->config, "Provisioning_CA")
                     ? dp_config_get (self->config, "Provisioning_CA") : NULL;
  const char *pins = dp_config_lookup (self->config, "Provisioning_Key_Pins")
                       ? dp_config_get (self->config, "Provisioning_Key_Pins") : NULL;

  return dp_prov_trust_new_for_state_dir (dp_core_get_state_dir (self->core), ca, pins, error);
}

/**
 * dp_prov_env_make_request:
 * @self: the environment
 * @result: an evaluated rule with a URL
 * @max_size: body limit, 0 = profile limit
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the fetch request (User-Agent, body,
 *   credentials, and for https the trust)
 */
DpProvFetchRequest *
dp_prov_env_make_request (DpProvEnv *self, const DpRuleResult *result, gsize max_size,
                          GError **error)
{
  g_autoptr(DpProvFetchRequest) req = NULL;
  DpProvScheme scheme;

  if (!dp_prov_scheme_from_string (result->scheme, &scheme))
    {
      g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID,
                   _("unsupported scheme '%s'"), result->scheme ? result->scheme : "");
      return NULL;
    }
  req = dp_prov_fetch_request_new (scheme, result->server, (guint16) result->port, result->path);
  req->user_agent = dp_prov_device_build_user_agent (self->device);
  req->max_size = max_size;
  if (result->method == DP_RULE_METHOD_POST)
    {
      req->method = DP_PROV_METHOD_POST;
      req->body = g_bytes_new (result->body ? result->body : "",
                               result->body ? strlen (result->body) : 0);
    }
  req->uid = g_strdup (result->uid);
  req->pwd = g_strdup (result->pwd);
  if (scheme == DP_PROV_SCHEME_HTTPS)
    {
      req->trust = dp_prov_env_load_trust (self, error);
      if (req->trust == NULL)
        return NULL;
    }
  return g_steal_pointer (&req);
}

/**
 * dp_prov_env_log:
 * @self: the environment
 * @parameter: a `Log_*_Msg` parameter
 * @ctx: the attempt's macros
 *
 * Logs the macro-expanded message at %G_LOG_LEVEL_MESSAGE in the
 * `dp-provisioning` domain (the core logger forwards it to syslog). An
 * empty message logs nothing, as on the SPA.
 */
void
dp_prov_env_log (DpProvEnv *self, const char *parameter, DpMacroContext *ctx)
{
  const char *text = dp_config_get (self->config, parameter);
  g_autofree char *expanded = NULL;

  if (text == NULL || *text == '\0')
    return;
  expanded = dp_macro_expand (text, ctx, DP_MACRO_FLAGS_NONE);
  g_log ("dp-provisioning", G_LOG_LEVEL_MESSAGE, "%s", expanded);
}

/**
 * dp_prov_env_describe_error:
 * @error: a fetch, profile or config error
 *
 * Returns: (transfer full): the `$ERR` text: a short SPA-like kind
 *   (`http_get failed`, `file not found`, `tls failed` …) and the detail.
 *   The kind stays English in every language, as on the SPA (log servers
 *   match these keywords); the detail is in the phone's language.
 */
char *
dp_prov_env_describe_error (const GError *error)
{
  const char *kind = "failed";

  if (error->domain == DP_PROV_FETCH_ERROR)
    switch ((DpProvFetchError) error->code)
      {
      case DP_PROV_FETCH_ERROR_NOT_FOUND: kind = "file not found"; break;
      case DP_PROV_FETCH_ERROR_TRUST: kind = "tls failed"; break;
      case DP_PROV_FETCH_ERROR_AUTH: kind = "auth failed"; break;
      case DP_PROV_FETCH_ERROR_TIMEOUT: kind = "timeout"; break;
      default: kind = "fetch failed"; break;
      }
  else if (error->domain == DP_PROFILE_ERROR)
    kind = error->code == DP_PROFILE_ERROR_DECRYPT || error->code == DP_PROFILE_ERROR_NEEDS_KEY
             ? "decrypt failed" : "bad profile";
  else if (error->domain == DP_CONFIG_ERROR)
    kind = "apply failed";
  else if (error->domain == DP_RULE_ERROR)
    kind = error->code == DP_RULE_ERROR_NO_SERVER ? "no server" : "bad rule";
  return g_strdup_printf ("%s: %s", kind, error->message);
}
