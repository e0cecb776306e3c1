/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Firmware upgrade: rule, download, signature, version limit, installer
 * (see dp-prov-upgrade.h). */
#define G_LOG_DOMAIN "dp-provisioning"

#include "dp-build-config.h"
#include "dp-prov-upgrade.h"
#include "dp-prov-clock.h"
#include "dp-delay-list.h"
#include <glib/gi18n-lib.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <string.h>

#define STATE_FILE "upgrade-state.ini"
#define STATE_GROUP "Upgrade"
#define DOWNLOAD_TIMEOUT_S 600

enum {
  SIGNAL_ATTEMPTED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

struct _DpProvUpgrade
{
  GObject parent_instance;

  DpProvEnv *env;
  DpConfig *config;
  const char *state;         /* static string */

  guint retry_id;
  double retry_at;
  guint retry_count;
  guint calls_watch;
  char *failed_rule;         /* failed, with no retry (delay 0) */
  char *failed_url;

  /* The running attempt. */
  GCancellable *cancellable;
  DpRuleResult *result;
  DpMacroContext *attempt;
  char *rule_text;
  gboolean explicit;
  GBytes *image;
  char *image_path;
  char *version;

  /* Status. */
  char *last_result;
  char *last_error;
  char *last_url;
  char *last_version;
  gsize size;
  guint64 received;          /* download progress */
  guint64 total;
};

G_DEFINE_FINAL_TYPE (DpProvUpgrade, dp_prov_upgrade, G_TYPE_OBJECT)

static void attempt_start (DpProvUpgrade *self);

/* ---- helpers ---------------------------------------------------------- */

/**
 * dp_prov_upgrade_version_from_path:
 * @path: a URL path
 *
 * Returns: (transfer full) (nullable): the version in the file name
 */
char *
dp_prov_upgrade_version_from_path (const char *path)
{
  g_autoptr(GRegex) regex = g_regex_new ("(?:^|[-_])(\\d+(?:\\.\\d+)+(?:\\([A-Za-z0-9._-]+\\))?)",
                                         G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *clean = g_strdup (path);
  char *query = strchr (clean, '?');
  const char *base;

  if (query != NULL)
    *query = '\0';
  base = strrchr (clean, '/');
  base = base != NULL ? base + 1 : clean;
  if (!g_regex_match (regex, base, G_REGEX_MATCH_DEFAULT, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

static gboolean
is_version (const char *text)
{
  return g_regex_match_simple ("^\\d+(\\.\\d+)+(\\([A-Za-z0-9._-]+\\))?$", text,
                               G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT);
}

/**
 * dp_prov_upgrade_verify_signature:
 * @image: the image
 * @signature: the detached signature
 * @key_pem_path: the PEM public key
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @signature is a valid signature of @image by the key
 */
gboolean
dp_prov_upgrade_verify_signature (GBytes *image, GBytes *signature, const char *key_pem_path,
                                  GError **error)
{
  g_autofree char *pem = NULL;
  gsize pem_len = 0;
  gnutls_pubkey_t key = NULL;
  gnutls_datum_t pem_datum, data, sig;
  gnutls_sign_algorithm_t algo;
  int pk, rc;

  if (!g_file_get_contents (key_pem_path, &pem, &pem_len, error))
    return FALSE;
  gnutls_pubkey_init (&key);
  pem_datum.data = (unsigned char *) pem;
  pem_datum.size = (unsigned int) pem_len;
  rc = gnutls_pubkey_import (key, &pem_datum, GNUTLS_X509_FMT_PEM);
  if (rc < 0)
    {
      gnutls_pubkey_deinit (key);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: not a PEM public key: %s"), key_pem_path, gnutls_strerror (rc));
      return FALSE;
    }
  pk = gnutls_pubkey_get_pk_algorithm (key, NULL);
  switch (pk)
    {
    case GNUTLS_PK_RSA: algo = GNUTLS_SIGN_RSA_SHA256; break;
    case GNUTLS_PK_ECDSA: algo = GNUTLS_SIGN_ECDSA_SHA256; break;
    case GNUTLS_PK_EDDSA_ED25519: algo = GNUTLS_SIGN_EDDSA_ED25519; break;
    default:
      gnutls_pubkey_deinit (key);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s: key type %s is not supported (RSA, ECDSA or Ed25519)"),
                   key_pem_path, gnutls_pk_get_name (pk));
      return FALSE;
    }
  data.data = (unsigned char *) g_bytes_get_data (image, NULL);
  data.size = (unsigned int) g_bytes_get_size (image);
  sig.data = (unsigned char *) g_bytes_get_data (signature, NULL);
  sig.size = (unsigned int) g_bytes_get_size (signature);
  rc = gnutls_pubkey_verify_data2 (key, algo, 0, &data, &sig);
  gnutls_pubkey_deinit (key);
  if (rc < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("bad image signature: %s"), gnutls_strerror (rc));
      return FALSE;
    }
  return TRUE;
}

static char *
state_path (DpProvUpgrade *self, const char *name)
{
  const char *dir = dp_core_get_state_dir (dp_prov_env_get_core (self->env));

  if (g_path_is_absolute (name))
    return g_strdup (name);
  return g_build_filename (dir, name, NULL);
}

static gboolean
already_done (DpProvUpgrade *self, const char *rule, const char *url)
{
  g_autofree char *path = state_path (self, STATE_FILE);
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *done_rule = NULL;
  g_autofree char *done_url = NULL;

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, NULL))
    return FALSE;
  done_rule = g_key_file_get_string (keyfile, STATE_GROUP, "Rule", NULL);
  done_url = g_key_file_get_string (keyfile, STATE_GROUP, "Url", NULL);
  return g_strcmp0 (done_rule, rule) == 0 && g_strcmp0 (done_url, url) == 0;
}

static void
record_done (DpProvUpgrade *self, const char *rule, const char *url)
{
  g_autofree char *path = state_path (self, STATE_FILE);
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_key_file_set_string (keyfile, STATE_GROUP, "Rule", rule);
  g_key_file_set_string (keyfile, STATE_GROUP, "Url", url);
  if (!g_key_file_save_to_file (keyfile, path, &error))
    g_warning ("cannot record the upgrade in %s: %s", path, error->message);
}

static void
clear_attempt (DpProvUpgrade *self)
{
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->result, dp_rule_result_free);
  g_clear_pointer (&self->attempt, dp_macro_context_unref);
  g_clear_pointer (&self->rule_text, g_free);
  g_clear_pointer (&self->image, g_bytes_unref);
  g_clear_pointer (&self->image_path, g_free);
  g_clear_pointer (&self->version, g_free);
}

static gboolean
on_retry (gpointer data)
{
  DpProvUpgrade *self = data;

  self->retry_id = 0;
  self->state = "idle";
  dp_prov_upgrade_check (self);
  return G_SOURCE_REMOVE;
}

static void
finish (DpProvUpgrade *self, const GError *error)
{
  gboolean success = error == NULL;
  g_autofree char *err = NULL;

  if (success)
    {
      err = g_strdup (self->version != NULL ? self->version : self->result->path);
      if (!self->explicit)
        record_done (self, self->rule_text, self->result->url);
      self->retry_count = 0;
    }
  else
    err = g_strdup (error->message);
  dp_macro_context_set (self->attempt, "ERR", err);
  dp_prov_env_log (self->env, success ? "Log_Upgrade_Success_Msg" : "Log_Upgrade_Failure_Msg",
                   self->attempt);
  dp_prov_env_mark_upgrade (self->env, success ? 1 : 2, success ? "" : err);

  g_free (self->last_result);
  self->last_result = g_strdup (success ? "success" : "failure");
  g_free (self->last_error);
  self->last_error = success ? NULL : g_strdup (err);
  g_free (self->last_version);
  self->last_version = g_strdup (self->version);
  self->state = "idle";

  if (!success)
    {
      g_autoptr(GArray) list = dp_delay_list_parse (
        dp_config_get (self->config, "Upgrade_Error_Retry_Delay"), NULL);
      double delay = list != NULL
                       ? dp_delay_list_pick (list, self->retry_count, dp_prov_env_get_rand (self->env))
                       : 3600;

      self->retry_count++;
      g_free (self->failed_rule);
      g_free (self->failed_url);
      self->failed_rule = NULL;
      self->failed_url = NULL;
      if (delay <= 0)
        {
          self->failed_rule = g_strdup (self->rule_text);
          self->failed_url = g_strdup (self->result->url);
        }
      else
        {
          self->retry_at = dp_prov_clock_now () + delay;
          self->retry_id = dp_prov_clock_timeout_add (delay, on_retry, self);
          self->state = "scheduled";
        }
    }
  clear_attempt (self);
  g_signal_emit (self, signals[SIGNAL_ATTEMPTED], 0, success);
}

static void
on_installed (GObject *source, GAsyncResult *res, gpointer data)
{
  DpProvUpgrade *self = data;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_wait_check_finish (G_SUBPROCESS (source), res, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_prefix_error (&error, _("installer failed: "));
          finish (self, error);
        }
    }
  else
    finish (self, NULL);
  g_object_unref (self);
}

static char *
substitute (const char *arg, const char *file, const char *version)
{
  GString *out = g_string_new (NULL);

  for (const char *p = arg; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] == 'f')
        g_string_append (out, file), p++;
      else if (p[0] == '%' && p[1] == 'v')
        g_string_append (out, version != NULL ? version : ""), p++;
      else if (p[0] == '%' && p[1] == '%')
        g_string_append_c (out, '%'), p++;
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
install (DpProvUpgrade *self)
{
  g_autoptr(GError) error = NULL;
  const char *command = dp_config_get (self->config, "Upgrade_Install_Command");
  g_auto(GStrv) argv = NULL;
  g_autofree char *dir = state_path (self, "upgrade");
  g_autofree char *base = NULL;
  g_autoptr(GSubprocess) child = NULL;

  if (!dp_prov_env_is_idle (self->env))
    {
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           _("a call started during the download; not installing"));
      finish (self, error);
      return;
    }
  if (command == NULL || *command == '\0')
    {
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("no installer configured (Upgrade_Install_Command is empty)"));
      finish (self, error);
      return;
    }
  if (!g_shell_parse_argv (command, NULL, &argv, &error))
    {
      g_prefix_error (&error, "Upgrade_Install_Command: ");
      finish (self, error);
      return;
    }
  base = g_path_get_basename (self->result->path);
  if (strchr (base, '?') != NULL)
    *strchr (base, '?') = '\0';
  if (*base == '\0' || strcmp (base, "/") == 0 || strcmp (base, ".") == 0 || strcmp (base, "..") == 0)
    {
      g_free (base);
      base = g_strdup ("image.bin");
    }
  g_mkdir_with_parents (dir, 0700);
  self->image_path = g_build_filename (dir, base, NULL);
  if (!g_file_set_contents (self->image_path, g_bytes_get_data (self->image, NULL),
                            (gssize) g_bytes_get_size (self->image), &error))
    {
      finish (self, error);
      return;
    }
  for (guint i = 0; argv[i] != NULL; i++)
    {
      char *replaced = substitute (argv[i], self->image_path, self->version);

      g_free (argv[i]);
      argv[i] = replaced;
    }
  self->state = "installing";
  g_message ("installing %s (%s)", self->image_path, self->version ? self->version : "version unknown");
  child = g_subprocess_newv ((const char * const *) argv, G_SUBPROCESS_FLAGS_NONE, &error);
  if (child == NULL)
    {
      g_prefix_error (&error, _("installer: "));
      finish (self, error);
      return;
    }
  g_subprocess_wait_check_async (child, self->cancellable, on_installed, g_object_ref (self));
}

static void
on_signature (GObject *source, GAsyncResult *res, gpointer data)
{
  DpProvUpgrade *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sig = dp_prov_fetch_finish (res, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  if (sig == NULL)
    {
      g_prefix_error (&error, _("signature %s.sig: "), self->result->url);
      finish (self, error);
    }
  else
    {
      g_autofree char *key = state_path (self, dp_config_get (self->config, "Upgrade_Signing_Key"));

      self->state = "verifying";
      if (!dp_prov_upgrade_verify_signature (self->image, sig, key, &error))
        finish (self, error);
      else
        install (self);
    }
  g_object_unref (self);
}

static gboolean
check_version (DpProvUpgrade *self, GError **error)
{
  const char *limit = dp_config_get (self->config, "Downgrade_Rev_Limit");
  g_autofree char *expr = NULL;
  gboolean ok = FALSE;

  if (limit == NULL || *limit == '\0')
    return TRUE;
  if (!is_version (limit))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Downgrade_Rev_Limit '%s' is not a version"), limit);
      return FALSE;
    }
  if (self->version == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("image version unknown (no version in the file name) and "
                   "Downgrade_Rev_Limit is %s"), limit);
      return FALSE;
    }
  /* Both sides checked to be versions, so the expression is exactly one
   * comparison; the rule language defines the version order. */
  expr = g_strdup_printf ("%s ge %s", self->version, limit);
  if (!dp_condition_eval (expr, NULL, &ok, error))
    return FALSE;
  if (!ok)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("image version %s is below Downgrade_Rev_Limit %s"), self->version, limit);
      return FALSE;
    }
  return TRUE;
}

static void
on_image (GObject *source, GAsyncResult *res, gpointer data)
{
  DpProvUpgrade *self = data;
  g_autoptr(GError) error = NULL;
  const char *signing_key;

  self->image = dp_prov_fetch_finish (res, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  if (self->image == NULL)
    {
      finish (self, error);
      g_object_unref (self);
      return;
    }
  self->size = g_bytes_get_size (self->image);
  if (!check_version (self, &error))
    {
      finish (self, error);
      g_object_unref (self);
      return;
    }
  signing_key = dp_config_get (self->config, "Upgrade_Signing_Key");
  if (signing_key != NULL && *signing_key != '\0')
    {
      g_autoptr(DpProvFetchRequest) req = dp_prov_env_make_request (self->env, self->result, 64 * 1024, &error);

      if (req == NULL)
        finish (self, error);
      else
        {
          char *sig_path;

          /* URL + ".sig": before any query string. */
          if (strchr (req->path, '?') != NULL)
            {
              char *q = strchr (req->path, '?');

              sig_path = g_strdup_printf ("%.*s.sig%s", (int) (q - req->path), req->path, q);
            }
          else
            sig_path = g_strconcat (req->path, ".sig", NULL);
          g_free (req->path);
          req->path = sig_path;
          req->timeout_s = DOWNLOAD_TIMEOUT_S;
          self->state = "verifying";
          dp_prov_fetch_async (req, self->cancellable, on_signature, g_object_ref (self));
        }
    }
  else
    install (self);
  g_object_unref (self);
}

static void
on_progress (guint64 received, guint64 total, gpointer data)
{
  DpProvUpgrade *self = data;

  self->received = received;
  self->total = total;
}

static void
download (DpProvUpgrade *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpProvFetchRequest) req = dp_prov_env_make_request (self->env, self->result,
                                                                DP_PROV_UPGRADE_MAX_SIZE, &error);

  if (req == NULL)
    {
      finish (self, error);
      return;
    }
  req->timeout_s = DOWNLOAD_TIMEOUT_S;
  /* The upgrader outlives the fetch: dispose cancels it first. */
  req->progress = on_progress;
  req->progress_data = self;
  self->state = "downloading";
  self->size = 0;
  self->received = 0;
  self->total = 0;
  dp_prov_env_log (self->env, "Log_Upgrade_Request_Msg", self->attempt);
  dp_prov_fetch_async (req, self->cancellable, on_image, g_object_ref (self));
}

static void
on_calls_changed (gpointer data)
{
  DpProvUpgrade *self = data;

  if (!dp_prov_env_is_idle (self->env))
    return;
  dp_prov_env_unwatch_calls (self->env, self->calls_watch);
  self->calls_watch = 0;
  download (self);
}

static void
attempt_start (DpProvUpgrade *self)
{
  g_free (self->last_url);
  self->last_url = g_strdup (self->result->url);
  self->version = dp_prov_upgrade_version_from_path (self->result->path);
  dp_rule_result_set_macros (self->result, self->attempt);
  dp_macro_context_set (self->attempt, "SERVIP", self->result->server);
  self->cancellable = g_cancellable_new ();
  if (!dp_prov_env_is_idle (self->env))
    {
      self->state = "waiting-for-idle";
      self->calls_watch = dp_prov_env_watch_calls (self->env, G_CALLBACK (on_calls_changed), self);
      return;
    }
  download (self);
}

static gboolean
evaluate (DpProvUpgrade *self, const char *text, gboolean explicit, GError **error)
{
  g_autoptr(DpRule) rule = dp_rule_parse_kind (text, DP_RULE_KIND_UPGRADE, error);
  g_autoptr(DpRuleResult) result = NULL;
  g_autoptr(DpMacroContext) ctx = dp_macro_context_new_overlay (dp_prov_env_get_macros (self->env));

  if (rule == NULL ||
      !dp_rule_evaluate (rule, ctx, dp_config_get (self->config, "Provisioning_TFTP_Server"),
                         &result, error))
    {
      g_prefix_error (error, "Upgrade_Rule: ");
      return FALSE;
    }
  if (result->skip)
    return TRUE;
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
  if (!result->has_url)
    return TRUE;
  if (!explicit && already_done (self, text, result->url))
    {
      g_debug ("upgrade %s already done", result->url);
      return TRUE;
    }
  if (!explicit && g_strcmp0 (self->failed_rule, text) == 0 &&
      g_strcmp0 (self->failed_url, result->url) == 0)
    return TRUE;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->result = g_steal_pointer (&result);
  self->attempt = g_steal_pointer (&ctx);
  self->rule_text = g_strdup (text);
  self->explicit = explicit;
  attempt_start (self);
  return TRUE;
}

static gboolean
busy (DpProvUpgrade *self)
{
  return self->result != NULL;
}

/**
 * dp_prov_upgrade_check:
 * @self: the upgrader
 *
 * Evaluates `Upgrade_Rule` and starts an attempt when it gives a URL not
 * yet done. Problems are logged.
 */
void
dp_prov_upgrade_check (DpProvUpgrade *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DP_PROV_IS_UPGRADE (self));

  /* A pending retry owns the next attempt; evaluating now would turn
   * Resync_After_Upgrade_Attempt into a loop. */
  if (busy (self) || self->retry_id != 0 || !dp_config_get_bool (self->config, "Upgrade_Enable"))
    return;
  if (!evaluate (self, dp_config_get (self->config, "Upgrade_Rule"), FALSE, &error))
    g_warning ("upgrade: %s", error->message);
}

/**
 * dp_prov_upgrade_request:
 * @self: the upgrader
 * @rule: (nullable): a URL or upgrade rule to use instead of
 *   `Upgrade_Rule` (attempted even if done before); %NULL or "" = evaluate
 *   `Upgrade_Rule` (also attempted again)
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the attempt started (or there was nothing to do)
 */
gboolean
dp_prov_upgrade_request (DpProvUpgrade *self, const char *rule, GError **error)
{
  g_return_val_if_fail (DP_PROV_IS_UPGRADE (self), FALSE);

  if (!dp_config_get_bool (self->config, "Upgrade_Enable"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           _("upgrades are disabled (Upgrade_Enable is No)"));
      return FALSE;
    }
  if (busy (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, _("an upgrade is already in progress"));
      return FALSE;
    }
  if (rule == NULL || *rule == '\0')
    rule = dp_config_get (self->config, "Upgrade_Rule");
  return evaluate (self, rule, TRUE, error);
}

/**
 * dp_prov_upgrade_to_json:
 * @self: the upgrader
 *
 * Returns: (transfer full): the `upgrade` status object
 */
JsonNode *
dp_prov_upgrade_to_json (DpProvUpgrade *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *fields[][2] = {
    { "state", self->state },
    { "last_result", self->last_result },
    { "last_error", self->last_error },
    { "last_url", self->last_url },
    { "version", busy (self) ? self->version : self->last_version },
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
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, (gint64) self->size);
  json_builder_set_member_name (b, "received");
  json_builder_add_int_value (b, (gint64) self->received);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, (gint64) self->total);
  json_builder_set_member_name (b, "progress");
  if (self->total > 0)
    json_builder_add_double_value (b, MIN (1.0, (double) self->received / (double) self->total));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "next_retry_in_s");
  if (self->retry_id != 0)
    json_builder_add_double_value (b, MAX (0, self->retry_at - dp_prov_clock_now ()));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
dp_prov_upgrade_dispose (GObject *object)
{
  DpProvUpgrade *self = DP_PROV_UPGRADE (object);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->calls_watch != 0)
    {
      dp_prov_env_unwatch_calls (self->env, self->calls_watch);
      self->calls_watch = 0;
    }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (dp_prov_upgrade_parent_class)->dispose (object);
}

static void
dp_prov_upgrade_finalize (GObject *object)
{
  DpProvUpgrade *self = DP_PROV_UPGRADE (object);

  clear_attempt (self);
  g_free (self->last_result);
  g_free (self->last_error);
  g_free (self->last_url);
  g_free (self->last_version);
  g_free (self->failed_rule);
  g_free (self->failed_url);
  G_OBJECT_CLASS (dp_prov_upgrade_parent_class)->finalize (object);
}

static void
dp_prov_upgrade_class_init (DpProvUpgradeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dp_prov_upgrade_dispose;
  object_class->finalize = dp_prov_upgrade_finalize;

  /**
   * DpProvUpgrade::attempted:
   * @success: whether the image was installed
   *
   * An upgrade attempt ended (Resync_After_Upgrade_Attempt).
   */
  signals[SIGNAL_ATTEMPTED] = g_signal_new ("attempted", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
dp_prov_upgrade_init (DpProvUpgrade *self)
{
  self->state = "idle";
}

/**
 * dp_prov_upgrade_new:
 * @env: the environment (must outlive the upgrader)
 *
 * Returns: (transfer full): the upgrader
 */
DpProvUpgrade *
dp_prov_upgrade_new (DpProvEnv *env)
{
  DpProvUpgrade *self = g_object_new (DP_PROV_TYPE_UPGRADE, NULL);

  self->env = env;
  self->config = dp_prov_env_get_config (env);
  return self;
}
