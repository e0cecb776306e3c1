/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The resync engine: schedule, sequence of rules, fetch, decode, apply
 * (see dp-prov-resync.h for the behaviour and the decisions). */
#define G_LOG_DOMAIN "dp-provisioning"

#include "dp-build-config.h"
#include "dp-prov-resync.h"
#include "dp-prov-alias.h"
#include "dp-prov-clock.h"
#include "dp-delay-list.h"
#include <glib/gi18n-lib.h>

#include <string.h>

#define RANDOM_DELAY_UNIT 20.0

typedef enum {
  STATE_IDLE,
  STATE_SCHEDULED,
  STATE_WAITING_IDLE,
  STATE_RUNNING,
  STATE_DISABLED,
} State;

static const char *const state_names[] = {
  "idle", "scheduled", "waiting-for-idle", "resyncing", "disabled",
};

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

struct _DpProvResync
{
  GObject parent_instance;

  DpProvEnv *env;
  DpConfig *config;
  State state;

  /* What runs next. */
  guint timer_id;
  double next_at;            /* phone seconds, when timer_id != 0 */
  int next_prvst;
  char *next_rule;           /* explicit rule text, or NULL */
  gboolean queued;           /* a request arrived while running */
  int queued_prvst;
  char *queued_rule;
  guint retry_count;
  guint periodic_count;

  /* Waiting for the calls to end. */
  guint calls_watch;
  guint countdown_id;

  guint trigger_id;
  char *trigger_error;       /* last trigger error logged, to log it once */
  gulong enable_changed_id;
  gulong trigger_changed_id[2];
  gboolean started;             /* dp_prov_resync_start() was called */

  /* The running sequence. */
  GCancellable *cancellable;
  GPtrArray *rules;          /* rule texts */
  GPtrArray *rule_names;
  guint index;
  int prvst;
  DpMacroContext *attempt;   /* overlay of the current attempt */
  DpRuleResult *result;

  /* Status. */
  char *last_result;         /* "success" | "failure" */
  char *last_error;
  char *last_url;
  GDateTime *last_time;
  guint n_applied;
};

G_DEFINE_FINAL_TYPE (DpProvResync, dp_prov_resync, G_TYPE_OBJECT)

static void run_sequence (DpProvResync *self, int prvst, const char *rule);
static void step (DpProvResync *self);

static const char *
prvst_name (int prvst)
{
  switch (prvst)
    {
    case -1: return "request";
    case 0: return "power-up";
    case 1: return "periodic";
    default: return "retry";
    }
}

static void
clear_timer (DpProvResync *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  if (self->calls_watch != 0)
    {
      dp_prov_env_unwatch_calls (self->env, self->calls_watch);
      self->calls_watch = 0;
    }
}

static void
start_when_allowed (DpProvResync *self, int prvst, const char *rule);

static gboolean
on_timer (gpointer data)
{
  DpProvResync *self = data;
  g_autofree char *rule = g_steal_pointer (&self->next_rule);

  self->timer_id = 0;
  start_when_allowed (self, self->next_prvst, rule);
  return G_SOURCE_REMOVE;
}

static void
schedule (DpProvResync *self, double delay, int prvst, const char *rule)
{
  clear_timer (self);
  g_free (self->next_rule);
  self->next_rule = g_strdup (rule);
  self->next_prvst = prvst;
  self->next_at = dp_prov_clock_now () + delay;
  self->timer_id = dp_prov_clock_timeout_add (delay, on_timer, self);
  self->state = STATE_SCHEDULED;
  g_debug ("next resync (%s) in %.0f s", prvst_name (prvst), delay);
}

static double
pick_delay (DpProvResync *self, const char *parameter, guint attempt)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) list = dp_delay_list_parse (dp_config_get (self->config, parameter),
                                                     &error);

  if (list == NULL)
    {
      /* The catalogue validates the value; only a value set before the
       * syntax existed gets here. */
      g_warning ("%s: %s; using 3600", parameter, error->message);
      return 3600;
    }
  return dp_delay_list_pick (list, attempt, dp_prov_env_get_rand (self->env));
}

/* ---- waiting for idle ------------------------------------------------ */

static void on_calls_changed (gpointer data);

static gboolean
on_countdown (gpointer data)
{
  DpProvResync *self = data;
  g_autofree char *rule = g_steal_pointer (&self->next_rule);

  self->countdown_id = 0;
  if (!dp_prov_env_is_idle (self->env))
    return G_SOURCE_REMOVE;  /* on_calls_changed saw it and waits again */
  if (self->calls_watch != 0)
    {
      dp_prov_env_unwatch_calls (self->env, self->calls_watch);
      self->calls_watch = 0;
    }
  run_sequence (self, self->next_prvst, rule);
  return G_SOURCE_REMOVE;
}

static void
on_calls_changed (gpointer data)
{
  DpProvResync *self = data;

  if (self->state != STATE_WAITING_IDLE)
    return;
  if (!dp_prov_env_is_idle (self->env))
    {
      /* A new call restarts the countdown once the phone is idle again. */
      g_clear_handle_id (&self->countdown_id, g_source_remove);
      return;
    }
  if (self->countdown_id == 0)
    {
      double delay = self->next_prvst == -1
                       ? 0 : (double) dp_config_get_int (self->config, "Forced_Resync_Delay");

      self->next_at = dp_prov_clock_now () + delay;
      self->countdown_id = dp_prov_clock_timeout_add (delay, on_countdown, self);
    }
}

static void
start_when_allowed (DpProvResync *self, int prvst, const char *rule)
{
  if (!dp_config_get_bool (self->config, "Provision_Enable"))
    {
      self->state = STATE_DISABLED;
      return;
    }
  if (dp_prov_env_is_idle (self->env))
    {
      run_sequence (self, prvst, rule);
      return;
    }
  clear_timer (self);
  g_free (self->next_rule);
  self->next_rule = g_strdup (rule);
  self->next_prvst = prvst;
  self->state = STATE_WAITING_IDLE;
  self->calls_watch = dp_prov_env_watch_calls (self->env, G_CALLBACK (on_calls_changed), self);
  g_message ("resync (%s) deferred: a call is in progress", prvst_name (prvst));
}

/* ---- the sequence ---------------------------------------------------- */

static void
finish (DpProvResync *self, const GError *error)
{
  gboolean success = error == NULL;
  double delay;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->attempt, dp_macro_context_unref);
  g_clear_pointer (&self->result, dp_rule_result_free);
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_clear_pointer (&self->rule_names, g_ptr_array_unref);
  g_clear_pointer (&self->last_time, g_date_time_unref);
  self->last_time = g_date_time_new_now_utc ();
  g_free (self->last_result);
  self->last_result = g_strdup (success ? "success" : "failure");
  g_free (self->last_error);
  self->last_error = success ? NULL : g_strdup (error->message);
  self->state = STATE_IDLE;

  if (success)
    {
      self->retry_count = 0;
      delay = pick_delay (self, "Resync_Periodic", self->periodic_count);
      if (delay > 0)
        {
          self->periodic_count++;
          schedule (self, delay, 1, NULL);
        }
    }
  else
    {
      self->periodic_count = 0;
      delay = pick_delay (self, "Resync_Error_Retry_Delay", self->retry_count++);
      schedule (self, MAX (delay, 1), 2, NULL);
    }

  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, success);

  if (self->queued)
    {
      g_autofree char *rule = g_steal_pointer (&self->queued_rule);

      self->queued = FALSE;
      start_when_allowed (self, self->queued_prvst, rule);
    }
}

static void
fail (DpProvResync *self, const GError *error)
{
  g_autofree char *err = dp_prov_env_describe_error (error);
  g_autoptr(DpMacroContext) ctx = self->attempt != NULL
                                    ? dp_macro_context_ref (self->attempt)
                                    : dp_macro_context_new_overlay (dp_prov_env_get_macros (self->env));
  g_autoptr(GError) described = g_error_new_literal (error->domain, error->code, err);

  dp_macro_context_set (ctx, "ERR", err);
  dp_prov_env_log (self->env, "Log_Resync_Failure_Msg", ctx);
  finish (self, described);
}

static DpProfile *
profile_from_assignments (const DpRuleResult *result)
{
  DpProfile *profile = dp_profile_new ();

  for (guint i = 0; i < result->assignments->len; i++)
    {
      const DpRuleAssignment *a = result->assignments->pdata[i];

      dp_profile_add (profile, a->name, DP_VALUE_SET, a->value, FALSE, DP_ACCESS_NA);
    }
  return profile;
}

static void
on_fetched (GObject *source, GAsyncResult *res, gpointer data)
{
  DpProvResync *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = dp_prov_fetch_finish (res, &error);
  g_autoptr(DpProfile) profile = NULL;
  DpApplyStats stats = { 0 };

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  if (bytes == NULL)
    {
      if (g_error_matches (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_NOT_FOUND) &&
          !dp_config_get_bool (self->config, "Resync_Fails_On_FNF"))
        {
          g_message ("%s: file not found, counted as success (Resync_Fails_On_FNF is No)",
                     self->result->url);
          dp_macro_context_set (self->attempt, "ERR", "file not found");
          dp_prov_env_log (self->env, "Log_Resync_Success_Msg", self->attempt);
          step (self);
        }
      else
        fail (self, error);
      g_object_unref (self);
      return;
    }

  profile = dp_prov_profile_decode (bytes, self->result->key,
                                    self->result->alias != NULL ? self->result->alias_map : NULL,
                                    &error);
  if (profile == NULL || !dp_config_apply (self->config, profile, &stats, &error))
    {
      g_prefix_error (&error, "%s: ", self->result->url);
      fail (self, error);
      g_object_unref (self);
      return;
    }
  self->n_applied += stats.applied;
  g_debug ("%s: %u changed, %u unchanged, %u unknown", self->result->url,
           stats.applied, stats.unchanged, stats.unknown);
  dp_macro_context_set (self->attempt, "ERR", "");
  dp_prov_env_log (self->env, "Log_Resync_Success_Msg", self->attempt);
  step (self);
  g_object_unref (self);
}

static void
fetch (DpProvResync *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpProvFetchRequest) req = dp_prov_env_make_request (self->env, self->result, 0, &error);

  if (req == NULL)
    {
      fail (self, error);
      return;
    }
  dp_prov_env_log (self->env, "Log_Resync_Request_Msg", self->attempt);
  dp_prov_fetch_async (req, self->cancellable, on_fetched, g_object_ref (self));
}

static void
on_resolved (GObject *source, GAsyncResult *res, gpointer data)
{
  DpProvResync *self = data;
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), res, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  if (addresses != NULL)
    {
      GInetAddress *chosen = addresses->data;
      g_autofree char *ip = NULL;

      /* $SERVIP goes into URL-shaped log lines: prefer IPv4 as the SPA. */
      for (GList *l = addresses; l != NULL; l = l->next)
        if (g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV4)
          {
            chosen = l->data;
            break;
          }
      ip = g_inet_address_to_string (chosen);

      dp_macro_context_set (self->attempt, "SERVIP", ip);
      g_resolver_free_addresses (addresses);
    }
  /* A name that does not resolve fails in the fetch, with its message. */
  fetch (self);
  g_object_unref (self);
}

/* Evaluates the next rule; returns after starting an asynchronous fetch or
 * when the sequence is over. */
static void
step (DpProvResync *self)
{
  DpMacroContext *macros = dp_prov_env_get_macros (self->env);
  const char *default_server = dp_config_get (self->config, "Provisioning_TFTP_Server");

  while (self->index < self->rules->len)
    {
      const char *text = self->rules->pdata[self->index];
      const char *name = self->rule_names->pdata[self->index];
      g_autoptr(GError) error = NULL;
      g_autoptr(DpRule) rule = NULL;

      self->index++;
      g_clear_pointer (&self->attempt, dp_macro_context_unref);
      g_clear_pointer (&self->result, dp_rule_result_free);
      self->attempt = dp_macro_context_new_overlay (macros);

      rule = dp_rule_parse (text, &error);
      if (rule == NULL ||
          !dp_rule_evaluate (rule, self->attempt, default_server, &self->result, &error))
        {
          g_prefix_error (&error, "%s: ", name);
          fail (self, error);
          return;
        }
      if (self->result->skip)
        continue;
      if (self->result->assignments->len > 0)
        {
          g_autoptr(DpProfile) assignments = profile_from_assignments (self->result);

          if (!dp_config_apply (self->config, assignments, NULL, &error))
            {
              g_prefix_error (&error, _("%s assignments: "), name);
              fail (self, error);
              return;
            }
        }
      if (!self->result->has_url)
        continue;

      dp_rule_result_set_macros (self->result, self->attempt);
      g_free (self->last_url);
      self->last_url = g_strdup (self->result->url);
      if (g_hostname_is_ip_address (self->result->server))
        {
          dp_macro_context_set (self->attempt, "SERVIP", self->result->server);
          fetch (self);
        }
      else
        {
          g_autoptr(GResolver) resolver = g_resolver_get_default ();

          dp_macro_context_set (self->attempt, "SERVIP", self->result->server);
          g_resolver_lookup_by_name_async (resolver, self->result->server, self->cancellable,
                                           on_resolved, g_object_ref (self));
        }
      return;
    }
  finish (self, NULL);
}

static void
run_sequence (DpProvResync *self, int prvst, const char *rule)
{
  static const char *const names[] = { "Profile_Rule", "Profile_Rule_B", "Profile_Rule_C",
                                       "Profile_Rule_D" };

  clear_timer (self);
  self->state = STATE_RUNNING;
  self->prvst = prvst;
  dp_prov_env_mark_resync (self->env, prvst);
  self->cancellable = g_cancellable_new ();
  self->rules = g_ptr_array_new_with_free_func (g_free);
  self->rule_names = g_ptr_array_new_with_free_func (g_free);
  if (rule != NULL)
    {
      g_ptr_array_add (self->rules, g_strdup (rule));
      g_ptr_array_add (self->rule_names, g_strdup (_("requested rule")));
    }
  else
    for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_ptr_array_add (self->rules, g_strdup (dp_config_get (self->config, names[i])));
        g_ptr_array_add (self->rule_names, g_strdup (names[i]));
      }
  self->index = 0;
  g_debug ("resync (%s) starts", prvst_name (prvst));
  step (self);
}

/* ---- triggers -------------------------------------------------------- */

static gboolean on_trigger_poll (gpointer data);

static gboolean
triggers_set (DpProvResync *self)
{
  for (guint n = 1; n <= 2; n++)
    {
      g_autofree char *name = g_strdup_printf ("Resync_Trigger_%u", n);
      const char *text = dp_config_get (self->config, name);

      if (text != NULL && *text != '\0')
        return TRUE;
    }
  return FALSE;
}

/* The poll runs only while there is something to evaluate: an idle phone
 * without triggers (the factory state) must not wake up every
 * DP_PROV_TRIGGER_PERIOD seconds for nothing. Re-evaluated when a trigger
 * or Provision_Enable changes. */
static void
update_trigger_poll (DpProvResync *self)
{
  gboolean wanted = self->started && triggers_set (self) &&
                    dp_config_get_bool (self->config, "Provision_Enable");

  if (wanted && self->trigger_id == 0)
    self->trigger_id = dp_prov_clock_timeout_add (DP_PROV_TRIGGER_PERIOD, on_trigger_poll, self);
  else if (!wanted)
    g_clear_handle_id (&self->trigger_id, g_source_remove);
}

static void
on_trigger_changed (DpConfig *config, const char *name, DpProvResync *self)
{
  update_trigger_poll (self);
}

static gboolean
on_trigger_poll (gpointer data)
{
  DpProvResync *self = data;

  self->trigger_id = 0;
  update_trigger_poll (self);
  if (self->state == STATE_RUNNING || self->state == STATE_WAITING_IDLE ||
      !dp_config_get_bool (self->config, "Provision_Enable"))
    return G_SOURCE_REMOVE;
  for (guint n = 1; n <= 2; n++)
    {
      g_autofree char *name = g_strdup_printf ("Resync_Trigger_%u", n);
      const char *text = dp_config_get (self->config, name);
      g_autoptr(GError) error = NULL;
      gboolean fire = FALSE;

      if (text == NULL || *text == '\0')
        continue;
      if (!dp_trigger_evaluate (text, dp_prov_env_get_macros (self->env), &fire, &error))
        {
          g_autofree char *message = g_strdup_printf ("%s: %s", name, error->message);

          /* Once per distinct problem, not every poll. */
          if (g_strcmp0 (message, self->trigger_error) != 0)
            g_warning ("%s", message);
          g_free (self->trigger_error);
          self->trigger_error = g_steal_pointer (&message);
          continue;
        }
      if (fire)
        {
          g_message ("%s is true: resync", name);
          start_when_allowed (self, 1, NULL);
          break;
        }
    }
  return G_SOURCE_REMOVE;
}

static void
on_enable_changed (DpConfig *config, const char *name, DpProvResync *self)
{
  if (dp_config_get_bool (config, "Provision_Enable") && self->state == STATE_DISABLED)
    dp_prov_resync_start (self);
  else
    update_trigger_poll (self);
}

/* ---- GObject --------------------------------------------------------- */

static void
dp_prov_resync_dispose (GObject *object)
{
  DpProvResync *self = DP_PROV_RESYNC (object);

  clear_timer (self);
  g_clear_handle_id (&self->trigger_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->config != NULL)
    {
      g_clear_signal_handler (&self->enable_changed_id, self->config);
      g_clear_signal_handler (&self->trigger_changed_id[0], self->config);
      g_clear_signal_handler (&self->trigger_changed_id[1], self->config);
    }
  G_OBJECT_CLASS (dp_prov_resync_parent_class)->dispose (object);
}

static void
dp_prov_resync_finalize (GObject *object)
{
  DpProvResync *self = DP_PROV_RESYNC (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->attempt, dp_macro_context_unref);
  g_clear_pointer (&self->result, dp_rule_result_free);
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_clear_pointer (&self->rule_names, g_ptr_array_unref);
  g_clear_pointer (&self->last_time, g_date_time_unref);
  g_free (self->next_rule);
  g_free (self->queued_rule);
  g_free (self->trigger_error);
  g_free (self->last_result);
  g_free (self->last_error);
  g_free (self->last_url);
  G_OBJECT_CLASS (dp_prov_resync_parent_class)->finalize (object);
}

static void
dp_prov_resync_class_init (DpProvResyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dp_prov_resync_dispose;
  object_class->finalize = dp_prov_resync_finalize;

  /**
   * DpProvResync::finished:
   * @success: whether every rule succeeded
   *
   * A resync sequence ended (the upgrade check runs after it).
   */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
dp_prov_resync_init (DpProvResync *self)
{
  self->state = STATE_IDLE;
}

/**
 * dp_prov_resync_new:
 * @env: the environment (must outlive the engine)
 *
 * Returns: (transfer full): an engine that does nothing until started
 */
DpProvResync *
dp_prov_resync_new (DpProvEnv *env)
{
  DpProvResync *self = g_object_new (DP_PROV_TYPE_RESYNC, NULL);

  self->env = env;
  self->config = dp_prov_env_get_config (env);
  self->enable_changed_id = g_signal_connect (self->config, "changed::Provision_Enable",
                                              G_CALLBACK (on_enable_changed), self);
  self->trigger_changed_id[0] = g_signal_connect (self->config, "changed::Resync_Trigger_1",
                                                  G_CALLBACK (on_trigger_changed), self);
  self->trigger_changed_id[1] = g_signal_connect (self->config, "changed::Resync_Trigger_2",
                                                  G_CALLBACK (on_trigger_changed), self);
  return self;
}

/**
 * dp_prov_resync_start:
 * @self: the engine
 *
 * The power-up behaviour: schedules the start-up resync when
 * `Resync_On_Reset` is Yes and starts evaluating the triggers.
 */
void
dp_prov_resync_start (DpProvResync *self)
{
  g_return_if_fail (DP_PROV_IS_RESYNC (self));

  self->started = TRUE;
  update_trigger_poll (self);
  if (!dp_config_get_bool (self->config, "Provision_Enable"))
    {
      self->state = STATE_DISABLED;
      return;
    }
  if (dp_config_get_bool (self->config, "Resync_On_Reset"))
    {
      gint64 units = dp_config_get_int (self->config, "Resync_Random_Delay");
      double delay = units > 0 ? g_rand_double_range (dp_prov_env_get_rand (self->env), 0,
                                                      (double) units * RANDOM_DELAY_UNIT)
                               : 0;

      schedule (self, delay, 0, NULL);
    }
  else
    self->state = STATE_IDLE;
}

/**
 * dp_prov_resync_request:
 * @self: the engine
 * @rule: (nullable): a URL or one-rule text to use instead of the profile
 *   rules, or %NULL / "" for the configured rules
 * @error: return location for a #GError
 *
 * An explicit resync (`$PRVST` -1): now, after the running one, or when
 * the calls end.
 *
 * Returns: %TRUE if the resync was started or queued; %FALSE when
 *   `Provision_Enable` is No or @rule does not parse
 */
gboolean
dp_prov_resync_request (DpProvResync *self, const char *rule, GError **error)
{
  g_return_val_if_fail (DP_PROV_IS_RESYNC (self), FALSE);

  if (rule != NULL && *rule == '\0')
    rule = NULL;
  if (!dp_config_get_bool (self->config, "Provision_Enable"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           _("provisioning is disabled (Provision_Enable is No)"));
      return FALSE;
    }
  if (rule != NULL)
    {
      g_autoptr(DpRule) parsed = dp_rule_parse (rule, error);

      if (parsed == NULL)
        return FALSE;
    }
  if (self->state == STATE_RUNNING)
    {
      self->queued = TRUE;
      self->queued_prvst = -1;
      g_free (self->queued_rule);
      self->queued_rule = g_strdup (rule);
      return TRUE;
    }
  start_when_allowed (self, -1, rule);
  return TRUE;
}

gboolean
dp_prov_resync_is_running (DpProvResync *self)
{
  g_return_val_if_fail (DP_PROV_IS_RESYNC (self), FALSE);
  return self->state == STATE_RUNNING;
}

static void
add_string_or_null (JsonBuilder *builder, const char *member, const char *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * dp_prov_resync_to_json:
 * @self: the engine
 *
 * The resync part of the `provisioning` status section: `state`
 * (idle|scheduled|waiting-for-idle|resyncing|disabled), `last_result`
 * (success|failure|null), `last_error`, `last_url`, `last_time` (UTC ISO
 * 8601), `next_resync` (UTC ISO 8601 wall-clock time of the next attempt,
 * null when none), `next_resync_in_s` (phone seconds), `next_kind`
 * (power-up|periodic|retry|request), `retries` (consecutive failures) and
 * `time_scale`.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
dp_prov_resync_to_json (DpProvResync *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean pending = self->timer_id != 0 || self->countdown_id != 0;

  json_builder_begin_object (builder);
  add_string_or_null (builder, "state", state_names[self->state]);
  add_string_or_null (builder, "last_result", self->last_result);
  add_string_or_null (builder, "last_error", self->last_error);
  add_string_or_null (builder, "last_url", self->last_url);
  if (self->last_time != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (self->last_time);

      add_string_or_null (builder, "last_time", text);
    }
  else
    add_string_or_null (builder, "last_time", NULL);
  if (pending)
    {
      double in = MAX (0, self->next_at - dp_prov_clock_now ());
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) at = g_date_time_add_seconds (now, in * dp_prov_clock_get_scale ());
      g_autofree char *text = g_date_time_format_iso8601 (at);

      add_string_or_null (builder, "next_resync", text);
      json_builder_set_member_name (builder, "next_resync_in_s");
      json_builder_add_double_value (builder, in);
      add_string_or_null (builder, "next_kind", prvst_name (self->next_prvst));
    }
  else
    {
      add_string_or_null (builder, "next_resync", NULL);
      add_string_or_null (builder, "next_resync_in_s", NULL);
      add_string_or_null (builder, "next_kind", NULL);
    }
  json_builder_set_member_name (builder, "retries");
  json_builder_add_int_value (builder, self->retry_count);
  json_builder_set_member_name (builder, "time_scale");
  json_builder_add_double_value (builder, dp_prov_clock_get_scale ());
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
