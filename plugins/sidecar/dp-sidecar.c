/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The SPA932 key model: key scripts from DpConfig, one dialog subscription
 * per watched resource, lamp state → LED script, presses → dial / pickup.
 * The decisions are listed in dp-sidecar.h. */
#define G_LOG_DOMAIN "dp-sidecar"

#include "dp-sidecar.h"

#include <string.h>
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#define SIDECAR_MODULE "sidecar"
#define TEST_MODE_LED "c=a"
#define OFF_LED "c=o"

typedef struct _Watch Watch;

typedef struct {
  guint unit;
  guint key;
  char *raw;              /* the configured script, as written */
  DpKeyScript *script;    /* expanded; NULL for an empty key */
  Watch *watch;           /* NULL unless blf */
  DpBlfState state;
  const char *led;        /* interned */
} Key;

struct _Watch {
  DpSidecar *sidecar;     /* unowned: the sidecar owns the watch */
  char *target;
  GPtrArray *keys;        /* Key*, unowned */
  DpSubscription *subscription;
  gulong state_id;
  gulong notify_id;
  DpDialogSet *dialogs;
  gboolean resync;        /* re-subscribed: wait for full state, keep the old */
  guint retry_id;
  guint64 rejected;
};

struct _DpSidecar
{
  GObject parent_instance;

  DpCore *core;
  DpConfig *config;
  GHashTable *keys;       /* (unit << 16 | key) -> Key* */
  GHashTable *watches;    /* target -> Watch* */
  gulong config_id;
  gulong line_ids[DP_CORE_MAX_LINES];
  DpRegistrationState line_states[DP_CORE_MAX_LINES];
  gboolean started;
};

enum {
  SIGNAL_LED_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DpSidecar, dp_sidecar, G_TYPE_OBJECT)

static const struct {
  DpBlfState state;
  const char *param;
  const char *fallback;
} led_params[] = {
  { DP_BLF_STATE_IDLE, "Sidecar_Idle_LED", "c=g" },
  { DP_BLF_STATE_RINGING, "Sidecar_Ringing_LED", "c=r;p=f" },
  { DP_BLF_STATE_BUSY, "Sidecar_Busy_LED", "c=r" },
  { DP_BLF_STATE_HELD, "Sidecar_Held_LED", "c=r;p=s" },
  { DP_BLF_STATE_UNKNOWN, "Sidecar_Unknown_LED", "c=a" },
};

static const DpParamDecl sidecar_params[] = {
  { .name = "Sidecar_Idle_LED", .type = DP_PARAM_STRING, .default_value = "c=g",
    .group = "SPA932/LED", .flags = DP_PARAM_FLAG_EXTENSION, .syntax = "ledscript" },
  { .name = "Sidecar_Ringing_LED", .type = DP_PARAM_STRING, .default_value = "c=r;p=f",
    .group = "SPA932/LED", .flags = DP_PARAM_FLAG_EXTENSION, .syntax = "ledscript" },
  { .name = "Sidecar_Busy_LED", .type = DP_PARAM_STRING, .default_value = "c=r",
    .group = "SPA932/LED", .flags = DP_PARAM_FLAG_EXTENSION, .syntax = "ledscript" },
  { .name = "Sidecar_Held_LED", .type = DP_PARAM_STRING, .default_value = "c=r;p=s",
    .group = "SPA932/LED", .flags = DP_PARAM_FLAG_EXTENSION, .syntax = "ledscript" },
  { .name = "Sidecar_Unknown_LED", .type = DP_PARAM_STRING, .default_value = "c=a",
    .group = "SPA932/LED", .flags = DP_PARAM_FLAG_EXTENSION, .syntax = "ledscript" },
  /* Later-firmware parameter (SPA5xx); the default is UNCONFIRMED for the
   * SPA9x2 — *98 is what the later consoles ship with. */
  { .name = "Attendant_Console_Call_Pickup_Code", .type = DP_PARAM_STRING,
    .default_value = "*98", .group = "SPA932/General", .flags = DP_PARAM_FLAG_EXTENSION },
  /* 6.x line-key functions (not in the 5.1.15 catalogue). */
  { .name = "Extended_Function_%u_", .type = DP_PARAM_STRING, .default_value = "",
    .group = "Phone/Line_Key_%u", .flags = DP_PARAM_FLAG_EXTENSION, .syntax = "keyscript",
    .user_access = DP_ACCESS_RO, .count1 = DP_SIDECAR_LINE_KEYS },
};

static void watch_subscribe (Watch *watch, gboolean keep_state);

static guint
key_id (guint unit, guint key)
{
  return unit << 16 | key;
}

/* ---- parameters -------------------------------------------------------- */

/**
 * dp_sidecar_register_parameters:
 * @config: the configuration
 * @error: return location for a #GError
 *
 * Registers the sidecar's extension parameters (once: a second call after
 * a deactivate/activate cycle finds them registered and succeeds) and the
 * "keyscript" syntax checker the catalogue's `Unit_u_Key_k` rows name.
 *
 * Returns: %TRUE on success
 */
gboolean
dp_sidecar_register_parameters (DpConfig *config, GError **error)
{
  const DpParam *existing;

  g_return_val_if_fail (DP_IS_CONFIG (config), FALSE);

  dp_config_register_syntax (config, "keyscript", dp_key_script_check);
  existing = dp_config_lookup (config, "Sidecar_Idle_LED");
  if (existing != NULL)
    {
      if (g_strcmp0 (dp_param_get_owner (existing), SIDECAR_MODULE) == 0)
        return TRUE;
      g_set_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_ACTIVATE,
                   _("Sidecar_Idle_LED is already registered by '%s'"),
                   dp_param_get_owner (existing));
      return FALSE;
    }
  return dp_config_register (config, SIDECAR_MODULE, sidecar_params,
                             G_N_ELEMENTS (sidecar_params), error);
}

static guint
sidecar_line (DpSidecar *self)
{
  for (guint i = 1; i <= dp_core_get_n_lines (self->core); i++)
    {
      g_autofree char *name = g_strdup_printf ("Line_Enable_%u_", i);

      if (dp_config_get_bool (self->config, name))
        return i;
    }
  return 1;
}

static const char *
config_get_indexed (DpSidecar *self, const char *format, ...) G_GNUC_PRINTF (2, 3);

static const char *
config_get_indexed (DpSidecar *self, const char *format, ...)
{
  g_autofree char *name = NULL;
  va_list args;

  va_start (args, format);
  name = g_strdup_vprintf (format, args);
  va_end (args);

  return dp_config_lookup (self->config, name) ? dp_config_get (self->config, name) : NULL;
}

static guint
retry_interval (DpSidecar *self)
{
  gint64 seconds = dp_config_get_int (self->config, "Subscribe_Retry_Interval");

  /* 0 would retry in a tight loop against a refusing server. */
  return (guint) CLAMP (seconds, 1, 86400);
}

/* ---- keys and LEDs ----------------------------------------------------- */

static gboolean
is_blank (const char *value)
{
  if (value == NULL)
    return TRUE;
  while (*value == ' ' || *value == '\t')
    value++;
  return *value == '\0';
}

static const char *
led_for_state (DpSidecar *self, DpBlfState state)
{
  if (dp_config_get_bool (self->config, "Test_Mode_Enable"))
    return g_intern_static_string (TEST_MODE_LED);
  if (state == DP_BLF_STATE_OFF)
    return g_intern_static_string (OFF_LED);
  for (gsize i = 0; i < G_N_ELEMENTS (led_params); i++)
    if (led_params[i].state == state)
      {
        const char *value = dp_config_lookup (self->config, led_params[i].param)
                            ? dp_config_get (self->config, led_params[i].param) : NULL;
        DpLedScript parsed;

        /* Blank means the built-in default; a value that slipped past the
         * checker (an older state file) must not leave the key dark. */
        if (is_blank (value) || !dp_led_script_parse (value, &parsed, NULL))
          return g_intern_static_string (led_params[i].fallback);
        return g_intern_string (value);
      }
  return g_intern_static_string (OFF_LED);
}

static DpBlfState
key_compute_state (Key *key)
{
  Watch *watch = key->watch;
  DpSubscriptionState state;

  if (key->script == NULL || watch == NULL)
    return DP_BLF_STATE_OFF;
  if (watch->subscription == NULL)
    return DP_BLF_STATE_UNKNOWN;
  state = dp_subscription_get_state (watch->subscription);
  if (state == DP_SUBSCRIPTION_FAILED || state == DP_SUBSCRIPTION_TERMINATED)
    return DP_BLF_STATE_UNKNOWN;
  return dp_dialog_set_get_blf_state (watch->dialogs);
}

static void
key_update (DpSidecar *self, Key *key)
{
  DpBlfState state = key_compute_state (key);
  const char *led = led_for_state (self, state);

  if (state == key->state && led == key->led)
    return;
  /* One line per change: the integration tests read the order of the
   * transitions from the daemon's log (a poll could miss a short state). */
  g_debug ("key %u/%u: %s -> %s (led %s)", key->unit, key->key,
           dp_blf_state_to_string (key->state), dp_blf_state_to_string (state), led);
  key->state = state;
  if (led == key->led)
    return;
  key->led = led;
  g_signal_emit (self, signals[SIGNAL_LED_CHANGED], 0, key->unit, key->key,
                 dp_blf_state_to_string (state), led);
  if (self->core != NULL)
    dp_core_notify_status (self->core, "sidecar");
}

static void
watch_update_keys (Watch *watch)
{
  for (guint i = 0; i < watch->keys->len; i++)
    key_update (watch->sidecar, watch->keys->pdata[i]);
}

static void
update_all_keys (DpSidecar *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->keys);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    key_update (self, value);
}

/* ---- watches ----------------------------------------------------------- */

static void
watch_drop_subscription (Watch *watch)
{
  g_autoptr(DpSubscription) subscription = g_steal_pointer (&watch->subscription);

  if (subscription == NULL)
    return;
  /* Disconnect first: our own cancel must not read as the notifier ending it. */
  g_clear_signal_handler (&watch->state_id, subscription);
  g_clear_signal_handler (&watch->notify_id, subscription);
  dp_subscription_cancel (subscription);
}

static void
watch_free (Watch *watch)
{
  g_clear_handle_id (&watch->retry_id, g_source_remove);
  watch_drop_subscription (watch);
  dp_dialog_set_free (watch->dialogs);
  g_ptr_array_unref (watch->keys);
  g_free (watch->target);
  g_free (watch);
}

static gboolean
on_retry (gpointer user_data)
{
  Watch *watch = user_data;

  watch->retry_id = 0;
  if (watch->subscription == NULL ||
      dp_subscription_get_state (watch->subscription) != DP_SUBSCRIPTION_ACTIVE)
    watch_subscribe (watch, TRUE);
  return G_SOURCE_REMOVE;
}

static gboolean
on_resubscribe_now (gpointer user_data)
{
  Watch *watch = user_data;

  watch->retry_id = 0;
  watch_subscribe (watch, TRUE);
  return G_SOURCE_REMOVE;
}

/* From inside the subscription's own signal handlers: dropping the
 * subscription there would pull it from under its emission, so go
 * through the main loop. */
static void
watch_resubscribe_soon (Watch *watch)
{
  g_clear_handle_id (&watch->retry_id, g_source_remove);
  watch->retry_id = g_idle_add (on_resubscribe_now, watch);
}

static void
watch_schedule_retry (Watch *watch)
{
  if (watch->retry_id != 0)
    return;
  watch->retry_id = g_timeout_add_seconds (retry_interval (watch->sidecar), on_retry, watch);
}

static void
on_subscription_state (DpSubscription *subscription, gpointer user_data)
{
  Watch *watch = user_data;
  DpSubscriptionState state = dp_subscription_get_state (subscription);
  const char *reason = dp_subscription_get_reason (subscription);

  g_debug ("subscription to %s: %s (%s)", watch->target,
           dp_subscription_state_to_string (state), reason ? reason : "");
  switch (state)
    {
    case DP_SUBSCRIPTION_ACTIVE:
      g_clear_handle_id (&watch->retry_id, g_source_remove);
      break;
    case DP_SUBSCRIPTION_FAILED:
      watch_schedule_retry (watch);
      break;
    case DP_SUBSCRIPTION_TERMINATED:
      if (g_strcmp0 (reason, "deactivated") == 0 || g_strcmp0 (reason, "timeout") == 0)
        watch_resubscribe_soon (watch);
      else
        watch_schedule_retry (watch);
      break;
    case DP_SUBSCRIPTION_PENDING:
    default:
      break;
    }
  watch_update_keys (watch);
}

static void
on_notify_body (DpSubscription *subscription, const char *content_type, GBytes *body,
                gpointer user_data)
{
  Watch *watch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDialogInfo) info = dp_dialog_info_parse_notify (content_type, body, &error);

  if (info == NULL)
    {
      watch->rejected++;
      g_warning ("NOTIFY for %s rejected: %s", watch->target, error->message);
      return;
    }
  if (watch->resync)
    {
      if (info->partial)
        {
          g_debug ("NOTIFY for %s: partial state while waiting for full state", watch->target);
          return;
        }
      dp_dialog_set_reset (watch->dialogs);
      watch->resync = FALSE;
    }
  if (!dp_dialog_set_apply (watch->dialogs, info, &error))
    {
      watch->rejected++;
      if (g_error_matches (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_OUT_OF_SEQUENCE))
        {
          g_message ("NOTIFY for %s: %s; subscribing again for full state",
                     watch->target, error->message);
          watch_resubscribe_soon (watch);
        }
      else
        g_warning ("NOTIFY for %s rejected: %s", watch->target, error->message);
      return;
    }
  watch_update_keys (watch);
}

/* (Re)subscribes. @keep_state keeps the keys showing the last known dialog
 * state until the new subscription's full state replaces it. */
static void
watch_subscribe (Watch *watch, gboolean keep_state)
{
  DpSidecar *self = watch->sidecar;
  DpSubscriber *subscriber = dp_core_get_subscriber (self->core);
  g_autoptr(GError) error = NULL;
  gint64 expires = dp_config_get_int (self->config, "Subscribe_Expires");

  g_clear_handle_id (&watch->retry_id, g_source_remove);
  watch_drop_subscription (watch);
  if (keep_state && dp_dialog_set_has_state (watch->dialogs))
    watch->resync = TRUE;
  else
    {
      dp_dialog_set_reset (watch->dialogs);
      watch->resync = FALSE;
    }

  if (subscriber == NULL)
    {
      g_debug ("no subscriber yet for %s; retrying in %u s", watch->target,
               retry_interval (self));
      watch_schedule_retry (watch);
    }
  else
    {
      watch->subscription = dp_subscriber_subscribe (subscriber, sidecar_line (self),
                                                     watch->target, "dialog",
                                                     DP_DIALOG_INFO_CONTENT_TYPE,
                                                     (guint) CLAMP (expires, 0, G_MAXUINT),
                                                     &error);
      if (watch->subscription == NULL)
        {
          g_warning ("cannot subscribe to %s: %s", watch->target,
                     error ? error->message : "no reason given");
          watch_schedule_retry (watch);
        }
      else
        {
          watch->state_id = g_signal_connect (watch->subscription, "state-changed",
                                              G_CALLBACK (on_subscription_state), watch);
          watch->notify_id = g_signal_connect (watch->subscription, "notify-body",
                                               G_CALLBACK (on_notify_body), watch);
          if (dp_subscription_get_state (watch->subscription) == DP_SUBSCRIPTION_FAILED)
            watch_schedule_retry (watch);
        }
    }
  watch_update_keys (watch);
}

static char *
watch_target (const char *sub)
{
  if (g_str_has_prefix (sub, "sip:") || g_str_has_prefix (sub, "sips:"))
    return g_strdup (sub);
  return g_strconcat ("sip:", sub, NULL);
}

static void
key_detach (DpSidecar *self, Key *key)
{
  Watch *watch = key->watch;

  if (watch == NULL)
    return;
  key->watch = NULL;
  g_ptr_array_remove_fast (watch->keys, key);
  if (watch->keys->len == 0)
    g_hash_table_remove (self->watches, watch->target);
}

static void
key_attach (DpSidecar *self, Key *key)
{
  g_autofree char *target = watch_target (key->script->sub);
  Watch *watch = g_hash_table_lookup (self->watches, target);

  if (watch == NULL)
    {
      watch = g_new0 (Watch, 1);
      watch->sidecar = self;
      watch->target = g_steal_pointer (&target);
      watch->keys = g_ptr_array_new ();
      watch->dialogs = dp_dialog_set_new ();
      g_hash_table_insert (self->watches, watch->target, watch);
      g_ptr_array_add (watch->keys, key);
      key->watch = watch;
      if (self->started)
        watch_subscribe (watch, FALSE);
      return;
    }
  g_ptr_array_add (watch->keys, key);
  key->watch = watch;
}

static void
key_free (gpointer data)
{
  Key *key = data;

  g_free (key->raw);
  dp_key_script_free (key->script);
  g_free (key);
}

static void
remove_key (DpSidecar *self, guint unit, guint key)
{
  Key *k = g_hash_table_lookup (self->keys, GUINT_TO_POINTER (key_id (unit, key)));

  if (k == NULL)
    return;
  key_detach (self, k);
  g_hash_table_remove (self->keys, GUINT_TO_POINTER (key_id (unit, key)));
}

static gboolean
same_script (const DpKeyScript *a, const DpKeyScript *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->functions == b->functions && g_strcmp0 (a->sub, b->sub) == 0 &&
         g_strcmp0 (a->ext, b->ext) == 0 && g_strcmp0 (a->usr, b->usr) == 0 &&
         g_strcmp0 (a->nme, b->nme) == 0;
}

/**
 * dp_sidecar_set_key:
 * @self: a #DpSidecar
 * @unit: 0 for line keys, 1.. for sidecar units
 * @key: from 1
 * @script: (nullable): the key script ("" or %NULL: an unused key)
 * @error: return location for a #GError
 *
 * Configures one key directly (the configuration goes through here too;
 * the benchmark uses it for more keys than two units hold). On error the
 * key becomes unused.
 *
 * Returns: %TRUE if @script is valid
 */
gboolean
dp_sidecar_set_key (DpSidecar *self, guint unit, guint key, const char *script, GError **error)
{
  g_autoptr(DpKeyScript) parsed = NULL;
  g_autoptr(DpKeyScript) expanded = NULL;
  gboolean ok = TRUE;
  Key *k;

  g_return_val_if_fail (DP_IS_SIDECAR (self), FALSE);
  g_return_val_if_fail (key >= 1 && unit < 0xffff && key < 0xffff, FALSE);

  if (!is_blank (script))
    {
      guint line = sidecar_line (self);

      parsed = dp_key_script_parse (script, error);
      if (parsed != NULL)
        expanded = dp_key_script_expand (parsed, config_get_indexed (self, "Proxy_%u_", line),
                                         config_get_indexed (self, "User_ID_%u_", line));
      else
        ok = FALSE;
    }

  k = g_hash_table_lookup (self->keys, GUINT_TO_POINTER (key_id (unit, key)));
  if (k == NULL)
    {
      k = g_new0 (Key, 1);
      k->unit = unit;
      k->key = key;
      k->state = DP_BLF_STATE_OFF;
      k->led = led_for_state (self, DP_BLF_STATE_OFF);
      g_hash_table_insert (self->keys, GUINT_TO_POINTER (key_id (unit, key)), k);
    }
  else if (same_script (k->script, expanded))
    {
      g_free (k->raw);
      k->raw = g_strdup (script);
      return ok;
    }
  key_detach (self, k);
  g_clear_pointer (&k->script, dp_key_script_free);
  g_free (k->raw);
  k->raw = g_strdup (script);
  k->script = g_steal_pointer (&expanded);
  if (k->script != NULL && (k->script->functions & DP_KEY_FUNCTION_BLF))
    key_attach (self, k);
  key_update (self, k);
  return ok;
}

/* Brings every configured key in line with the configuration. */
static void
reload_keys (DpSidecar *self)
{
  for (guint unit = 1; unit <= DP_SIDECAR_UNITS; unit++)
    {
      g_autofree char *enable = g_strdup_printf ("Unit_%u_Enable", unit);
      gboolean enabled = dp_config_get_bool (self->config, enable);

      for (guint key = 1; key <= DP_SIDECAR_KEYS_PER_UNIT; key++)
        {
          g_autofree char *name = g_strdup_printf ("Unit_%u_Key_%u", unit, key);
          g_autoptr(GError) error = NULL;

          if (!enabled)
            {
              remove_key (self, unit, key);
              continue;
            }
          if (!dp_sidecar_set_key (self, unit, key, dp_config_get (self->config, name), &error))
            g_warning ("%s ignored: %s", name, error->message);
        }
    }
  for (guint key = 1; key <= DP_SIDECAR_LINE_KEYS; key++)
    {
      const char *function = config_get_indexed (self, "Extended_Function_%u_", key);
      const char *extension = config_get_indexed (self, "Extension_%u_", key);
      g_autoptr(GError) error = NULL;

      if (function == NULL || *function == '\0' || g_strcmp0 (extension, "Disabled") != 0)
        {
          remove_key (self, 0, key);
          continue;
        }
      if (!dp_sidecar_set_key (self, 0, key, function, &error))
        g_warning ("Extended_Function_%u_ ignored: %s", key, error->message);
    }
}

static void
resubscribe_all (DpSidecar *self)
{
  GHashTableIter iter;
  gpointer value;
  g_autoptr(GPtrArray) watches = g_ptr_array_new ();

  /* Collect first: a subscribe may call back into the table. */
  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (watches, value);
  for (guint i = 0; i < watches->len; i++)
    watch_subscribe (watches->pdata[i], TRUE);
}

/* A shorter interval should not wait out a long timer armed before. */
static void
reschedule_retries (DpSidecar *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Watch *watch = value;

      if (watch->retry_id == 0)
        continue;
      g_clear_handle_id (&watch->retry_id, g_source_remove);
      watch_schedule_retry (watch);
    }
}

static gboolean
name_matches (const char *name, const char *prefix, const char *suffix)
{
  return g_str_has_prefix (name, prefix) && g_str_has_suffix (name, suffix);
}

static void
on_config_changed (DpConfig *config, const char *name, gpointer user_data)
{
  DpSidecar *self = user_data;

  if (name_matches (name, "Unit_", "") || name_matches (name, "Extended_Function_", "_") ||
      name_matches (name, "Extension_", "_") || name_matches (name, "Proxy_", "_") ||
      name_matches (name, "User_ID_", "_") || name_matches (name, "Line_Enable_", "_"))
    reload_keys (self);
  else if (strcmp (name, "Subscribe_Expires") == 0)
    resubscribe_all (self);
  else if (strcmp (name, "Subscribe_Retry_Interval") == 0)
    reschedule_retries (self);
  else if (strcmp (name, "Test_Mode_Enable") == 0 || name_matches (name, "Sidecar_", "_LED"))
    update_all_keys (self);
}

static void
on_line_registration (DpLine *line, GParamSpec *pspec, gpointer user_data)
{
  DpSidecar *self = user_data;
  guint index = dp_line_get_index (line);
  DpRegistrationState state = dp_line_get_registration_state (line);
  DpRegistrationState before;

  if (index < 1 || index > DP_CORE_MAX_LINES)
    return;
  before = self->line_states[index - 1];
  self->line_states[index - 1] = state;
  /* The registrar (or the phone's address) may have changed: subscriptions
   * made before are likely dead, so renew them (§ issue 7, point 2). */
  if (state == DP_REGISTRATION_REGISTERED && before != DP_REGISTRATION_REGISTERED &&
      index == sidecar_line (self))
    resubscribe_all (self);
}

/* ---- lifecycle --------------------------------------------------------- */

/**
 * dp_sidecar_start:
 * @self: a #DpSidecar
 *
 * Loads the keys and subscribes.
 */
void
dp_sidecar_start (DpSidecar *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (DP_IS_SIDECAR (self));

  if (self->started)
    return;
  self->started = TRUE;
  self->config_id = g_signal_connect (self->config, "changed",
                                      G_CALLBACK (on_config_changed), self);
  for (guint i = 1; i <= dp_core_get_n_lines (self->core) && i <= DP_CORE_MAX_LINES; i++)
    {
      DpLine *line = dp_core_get_line (self->core, i);

      self->line_states[i - 1] = dp_line_get_registration_state (line);
      self->line_ids[i - 1] = g_signal_connect (line, "notify::registration-state",
                                                G_CALLBACK (on_line_registration), self);
    }
  reload_keys (self);
  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Watch *) value)->subscription == NULL && ((Watch *) value)->retry_id == 0)
      watch_subscribe (value, FALSE);
}

/**
 * dp_sidecar_stop:
 * @self: a #DpSidecar
 *
 * Unsubscribes everything and forgets the keys.
 */
void
dp_sidecar_stop (DpSidecar *self)
{
  g_return_if_fail (DP_IS_SIDECAR (self));

  if (!self->started)
    return;
  self->started = FALSE;
  g_clear_signal_handler (&self->config_id, self->config);
  for (guint i = 1; i <= dp_core_get_n_lines (self->core) && i <= DP_CORE_MAX_LINES; i++)
    g_clear_signal_handler (&self->line_ids[i - 1], dp_core_get_line (self->core, i));
  g_hash_table_remove_all (self->keys);
  g_hash_table_remove_all (self->watches);
}

/* ---- presses ----------------------------------------------------------- */

static char *
user_part (const char *target)
{
  const char *start = target;
  const char *at;

  if (g_str_has_prefix (start, "sip:"))
    start += 4;
  else if (g_str_has_prefix (start, "sips:"))
    start += 5;
  at = strchr (start, '@');
  return at ? g_strndup (start, at - start) : g_strdup (start);
}

/* A number without a host goes through the line's own dial path; a
 * user@host becomes a SIP URI. */
static char *
dial_string (const char *target)
{
  if (strchr (target, '@') == NULL || g_str_has_prefix (target, "sip:") ||
      g_str_has_prefix (target, "sips:"))
    return g_strdup (target);
  return g_strconcat ("sip:", target, NULL);
}

/* The caller's URI from a ringing dialog seen by the watched user: the
 * remote target (its Contact) when the notifier sent one, else the remote
 * identity (its address of record, routed by the proxy). */
static const char *
dialog_caller_uri (const DpDialog *dialog)
{
  if (dialog->remote_target != NULL && (g_str_has_prefix (dialog->remote_target, "sip:") ||
                                        g_str_has_prefix (dialog->remote_target, "sips:")))
    return dialog->remote_target;
  if (dialog->remote_identity != NULL && (g_str_has_prefix (dialog->remote_identity, "sip:") ||
                                          g_str_has_prefix (dialog->remote_identity, "sips:")))
    return dialog->remote_identity;
  return NULL;
}

/* `URI?Replaces=call-id;to-tag=..;from-tag=..;early-only`, the tags given
 * from the point of view of the UA that receives the INVITE (RFC 3891 §3:
 * to-tag is its local tag). */
static char *
replaces_target (const char *uri, const char *call_id, const char *to_tag, const char *from_tag)
{
  g_autofree char *value = g_strdup_printf ("%s;to-tag=%s;from-tag=%s;early-only",
                                            call_id, to_tag, from_tag);
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  return g_strdup_printf ("%s?Replaces=%s", uri, escaped);
}

/* What a pickup press dials (see "Pickup" in dp-sidecar.h), or NULL with
 * @error set. */
static char *
pickup_dial_string (DpSidecar *self, Key *key, GError **error)
{
  const DpDialog *dialog = dp_dialog_set_get_ringing (key->watch->dialogs);
  const char *server = dp_config_get (self->config, "Server_Type");
  const char *target = dp_key_script_get_pickup_target (key->script);
  gboolean identified = dialog != NULL && dp_dialog_has_identifiers (dialog);
  const char *code;
  g_autofree char *user = NULL;

  if (identified && g_ascii_strcasecmp (server, "RFC3265_4235") == 0 &&
      dialog_caller_uri (dialog) != NULL)
    return replaces_target (dialog_caller_uri (dialog), dialog->call_id,
                            dialog->remote_tag, dialog->local_tag);
  if (identified && g_ascii_strcasecmp (server, "Asterisk") == 0)
    {
      g_autofree char *uri = NULL;

      if (strchr (target, '@') == NULL)
        {
          const char *proxy = config_get_indexed (self, "Proxy_%u_", sidecar_line (self));

          uri = g_strdup_printf ("sip:%s@%s", target, proxy ? proxy : "");
        }
      else
        uri = dial_string (target);
      return replaces_target (uri, dialog->call_id, dialog->local_tag, dialog->remote_tag);
    }
  code = dp_config_get (self->config, "Attendant_Console_Call_Pickup_Code");
  if (code == NULL || *code == '\0')
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_NOT_SUPPORTED,
                           _("Attendant_Console_Call_Pickup_Code is empty"));
      return NULL;
    }
  user = user_part (target);
  return g_strconcat (code, user, NULL);
}

static gboolean
pickup (DpSidecar *self, Key *key, GError **error)
{
  const char *target = dp_key_script_get_pickup_target (key->script);
  g_autofree char *dial = pickup_dial_string (self, key, error);

  if (dial == NULL)
    return FALSE;
  g_message ("key %u/%u: picking up %s with %s", key->unit, key->key, target, dial);
  return dp_core_dial (self->core, sidecar_line (self), dial, error) != NULL;
}

/**
 * dp_sidecar_press:
 * @self: a #DpSidecar
 * @unit: the unit (0: line keys)
 * @key: the key, from 1
 * @error: return location for a #GError
 *
 * Returns: %TRUE if a call was started
 */
gboolean
dp_sidecar_press (DpSidecar *self, guint unit, guint key, GError **error)
{
  Key *k;
  g_autofree char *dial = NULL;

  g_return_val_if_fail (DP_IS_SIDECAR (self), FALSE);

  k = g_hash_table_lookup (self->keys, GUINT_TO_POINTER (key_id (unit, key)));
  if (k == NULL || k->script == NULL)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_BAD_NUMBER,
                   _("key %u/%u is not configured"), unit, key);
      return FALSE;
    }
  if ((k->script->functions & DP_KEY_FUNCTION_CALL_PICKUP) && k->state == DP_BLF_STATE_RINGING)
    return pickup (self, k, error);
  if (!(k->script->functions & DP_KEY_FUNCTION_SPEED_DIAL))
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
                   (k->script->functions & DP_KEY_FUNCTION_CALL_PICKUP)
                   ? "key %u/%u: nothing is ringing to pick up"
                   : "key %u/%u has no speed dial", unit, key);
      return FALSE;
    }
  dial = dial_string (dp_key_script_get_dial_target (k->script));
  return dp_core_dial (self->core, sidecar_line (self), dial, error) != NULL;
}

/**
 * dp_sidecar_press_action:
 * @core: the core
 * @argument: "UNIT/KEY" (unit 0: line keys)
 * @user_data: the #DpSidecar
 * @error: return location for a #GError
 *
 * The "sidecar-press" core action.
 *
 * Returns: %TRUE if a call was started
 */
gboolean
dp_sidecar_press_action (DpCore *core, const char *argument, gpointer user_data, GError **error)
{
  DpSidecar *self = DP_SIDECAR (user_data);
  g_auto(GStrv) parts = NULL;
  guint64 unit, key;

  parts = argument ? g_strsplit (argument, "/", -1) : NULL;
  if (parts == NULL || g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, 0xfffe, &unit, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, 0xfffe, &key, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("sidecar-press: '%s' is not UNIT/KEY (e.g. 1/5)"), argument ? argument : "");
      return FALSE;
    }
  return dp_sidecar_press (self, (guint) unit, (guint) key, error);
}

/* ---- queries ----------------------------------------------------------- */

guint
dp_sidecar_get_n_keys (DpSidecar *self)
{
  g_return_val_if_fail (DP_IS_SIDECAR (self), 0);
  return g_hash_table_size (self->keys);
}

DpBlfState
dp_sidecar_get_key_state (DpSidecar *self, guint unit, guint key)
{
  Key *k;

  g_return_val_if_fail (DP_IS_SIDECAR (self), DP_BLF_STATE_OFF);
  k = g_hash_table_lookup (self->keys, GUINT_TO_POINTER (key_id (unit, key)));
  return k ? k->state : DP_BLF_STATE_OFF;
}

/**
 * dp_sidecar_get_key_led:
 * @self: a #DpSidecar
 * @unit: the unit
 * @key: the key
 *
 * Returns: (nullable): the key's LED script, %NULL for no such key
 */
const char *
dp_sidecar_get_key_led (DpSidecar *self, guint unit, guint key)
{
  Key *k;

  g_return_val_if_fail (DP_IS_SIDECAR (self), NULL);
  k = g_hash_table_lookup (self->keys, GUINT_TO_POINTER (key_id (unit, key)));
  return k ? k->led : NULL;
}

/**
 * dp_sidecar_get_n_rejected:
 * @self: a #DpSidecar
 *
 * Returns: how many NOTIFY bodies were rejected, over the current watches
 */
guint64
dp_sidecar_get_n_rejected (DpSidecar *self)
{
  GHashTableIter iter;
  gpointer value;
  guint64 total = 0;

  g_return_val_if_fail (DP_IS_SIDECAR (self), 0);
  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    total += ((Watch *) value)->rejected;
  return total;
}

static gint
compare_keys (gconstpointer a, gconstpointer b)
{
  const Key *ka = *(const Key * const *) a;
  const Key *kb = *(const Key * const *) b;

  guint ia = key_id (ka->unit, ka->key), ib = key_id (kb->unit, kb->key);

  return ia < ib ? -1 : ia > ib;
}

/**
 * dp_sidecar_to_json:
 * @self: a #DpSidecar
 *
 * The status "sidecar" member: an array, ordered by unit then key, of
 * `{"unit","key","function","label","state","led"}` plus `target` (the
 * watched URI or null), `led_color`, `led_pattern`, `led_timing_ms` (the
 * blink cycle from the LED script engine) and `rejected` (NOTIFY bodies
 * refused for the key's subscription).
 *
 * Returns: (transfer full): the array
 */
JsonNode *
dp_sidecar_to_json (DpSidecar *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) keys = NULL;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (DP_IS_SIDECAR (self), NULL);

  keys = g_ptr_array_sized_new (g_hash_table_size (self->keys));
  g_hash_table_iter_init (&iter, self->keys);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (keys, value);
  g_ptr_array_sort (keys, compare_keys);
  json_builder_begin_array (builder);
  for (guint i = 0; i < keys->len; i++)
    {
      Key *k = keys->pdata[i];
      g_autofree char *functions = dp_key_functions_to_string (k->script ? k->script->functions : 0);
      DpLedScript led;
      guint timing[DP_LED_MAX_TIMING];
      guint n_timing = 0;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "unit");
      json_builder_add_int_value (builder, k->unit);
      json_builder_set_member_name (builder, "key");
      json_builder_add_int_value (builder, k->key);
      json_builder_set_member_name (builder, "function");
      json_builder_add_string_value (builder, functions);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, k->script && k->script->nme ? k->script->nme : "");
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, dp_blf_state_to_string (k->state));
      json_builder_set_member_name (builder, "led");
      json_builder_add_string_value (builder, k->led);
      json_builder_set_member_name (builder, "target");
      if (k->watch != NULL)
        json_builder_add_string_value (builder, k->watch->target);
      else
        json_builder_add_null_value (builder);
      if (dp_led_script_parse (k->led, &led, NULL))
        {
          n_timing = dp_led_script_get_timing (&led, timing);
          json_builder_set_member_name (builder, "led_color");
          json_builder_add_string_value (builder, dp_led_color_to_string (led.color));
          json_builder_set_member_name (builder, "led_pattern");
          json_builder_add_string_value (builder, dp_led_pattern_to_string (led.pattern));
        }
      json_builder_set_member_name (builder, "led_timing_ms");
      json_builder_begin_array (builder);
      for (guint t = 0; t < n_timing; t++)
        json_builder_add_int_value (builder, timing[t]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "rejected");
      json_builder_add_int_value (builder, k->watch ? (gint64) k->watch->rejected : 0);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/**
 * dp_sidecar_status_section:
 * @core: the core
 * @user_data: the #DpSidecar
 *
 * The #DpStatusSectionFunc of the "sidecar" status member.
 *
 * Returns: (transfer full): dp_sidecar_to_json()
 */
JsonNode *
dp_sidecar_status_section (DpCore *core, gpointer user_data)
{
  return dp_sidecar_to_json (DP_SIDECAR (user_data));
}

/* ---- GObject ----------------------------------------------------------- */

static void
dp_sidecar_dispose (GObject *object)
{
  DpSidecar *self = DP_SIDECAR (object);

  if (self->core != NULL)
    dp_sidecar_stop (self);
  g_clear_pointer (&self->keys, g_hash_table_unref);
  g_clear_pointer (&self->watches, g_hash_table_unref);
  g_clear_object (&self->config);
  g_clear_object (&self->core);
  G_OBJECT_CLASS (dp_sidecar_parent_class)->dispose (object);
}

static void
dp_sidecar_class_init (DpSidecarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dp_sidecar_dispose;

  /**
   * DpSidecar::led-changed:
   * @sidecar: the sidecar
   * @unit: the unit (0: line keys)
   * @key: the key, from 1
   * @state: the key state ("off", "unknown", "idle", "ringing", "busy", "held")
   * @led: the LED script now shown
   *
   * Emitted on every change of a key's LED script.
   */
  signals[SIGNAL_LED_CHANGED] =
    g_signal_new ("led-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_STRING);
}

static void
dp_sidecar_init (DpSidecar *self)
{
  self->keys = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, key_free);
  /* Keys detach before they go, so a watch outlives none of its keys. */
  self->watches = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) watch_free);
}

/**
 * dp_sidecar_new:
 * @core: the core
 *
 * Returns: (transfer full): a sidecar; call dp_sidecar_start()
 */
DpSidecar *
dp_sidecar_new (DpCore *core)
{
  DpSidecar *self;

  g_return_val_if_fail (DP_IS_CORE (core), NULL);

  self = g_object_new (DP_TYPE_SIDECAR, NULL);
  self->core = g_object_ref (core);
  self->config = g_object_ref (dp_core_get_config (core));
  return self;
}
