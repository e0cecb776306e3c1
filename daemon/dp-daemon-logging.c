/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "deskphoned"

#include "dp-daemon-logging.h"

static void
apply_servers (DpLogger *logger, DpConfig *config)
{
  g_autoptr(GError) error = NULL;
  const char *host_name = dp_config_get (config, "HostName");

  /* Syslog lines carry the configured host name, as the SPA's do; blank
   * means the system's own. */
  dp_logger_set_hostname (logger, host_name && *host_name ? host_name : g_get_host_name ());

  dp_logger_set_debug_level (logger, (guint) CLAMP (dp_config_get_int (config, "Debug_Level"), 0, 3));
  if (!dp_logger_set_syslog_server (logger, dp_config_get (config, "Syslog_Server"), &error))
    {
      g_warning ("Syslog_Server: %s", error->message);
      g_clear_error (&error);
    }
  if (!dp_logger_set_debug_server (logger, dp_config_get (config, "Debug_Server"), &error))
    g_warning ("Debug_Server: %s", error->message);
}

/* The names of the secret parameters, found by one scan of the catalogue
 * and kept on the logger. Parameters are never unregistered, so the list
 * is stale only when the count of parameters has grown (a plugin loaded).
 * Without it a profile changing N secrets scanned every parameter N times
 * (a sixth of a 2,000-parameter resync's instructions). */
typedef struct {
  guint n_params;
  GPtrArray *names;   /* const char *, owned by the DpParams */
} SecretNames;

static void
secret_names_free (SecretNames *cache)
{
  g_ptr_array_unref (cache->names);
  g_free (cache);
}

static GPtrArray *
secret_names (DpLogger *logger, DpConfig *config)
{
  SecretNames *cache = g_object_get_data (G_OBJECT (logger), "dp-secret-names");
  guint n_params = dp_config_get_n_params (config);

  if (cache == NULL || cache->n_params != n_params)
    {
      g_autoptr(GPtrArray) names = dp_config_list (config);

      cache = g_new0 (SecretNames, 1);
      cache->n_params = n_params;
      cache->names = g_ptr_array_new ();
      for (guint i = 0; i < names->len; i++)
        if (dp_param_get_flags (dp_config_lookup (config, names->pdata[i])) & DP_PARAM_FLAG_SECRET)
          g_ptr_array_add (cache->names, names->pdata[i]);
      g_object_set_data_full (G_OBJECT (logger), "dp-secret-names", cache,
                              (GDestroyNotify) secret_names_free);
    }
  return cache->names;
}

static void
collect_secrets (DpLogger *logger, DpConfig *config)
{
  GPtrArray *names = secret_names (logger, config);

  dp_logger_clear_secrets (logger);
  for (guint i = 0; i < names->len; i++)
    {
      const char *value = dp_config_get (config, names->pdata[i]);

      if (value != NULL && *value != '\0')
        dp_logger_add_secret (logger, value);
    }
}

static void
on_changed (DpConfig *config, const char *name, DpLogger *logger)
{
  const DpParam *param = dp_config_lookup (config, name);

  if (g_str_equal (name, "Debug_Level") || g_str_equal (name, "Syslog_Server") ||
      g_str_equal (name, "Debug_Server") || g_str_equal (name, "HostName"))
    apply_servers (logger, config);
  else if (param != NULL && (dp_param_get_flags (param) & DP_PARAM_FLAG_SECRET))
    collect_secrets (logger, config);
}

void
dp_daemon_logging_bind (DpLogger *logger, DpConfig *config)
{
  apply_servers (logger, config);
  collect_secrets (logger, config);
  g_signal_connect_object (config, "changed", G_CALLBACK (on_changed), logger, 0);
}
