/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpLogger: the process-wide GLib log writer. Filters by Debug_Level, masks
 * secrets, writes to stderr and sends RFC 5424 datagrams to Syslog_Server and
 * Debug_Server. The behaviour contract is in dp-log.h. */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "dp-log"

#include "dp-log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
  TARGET_SYSLOG,
  TARGET_DEBUG,
  N_TARGETS
};

enum {
  PROP_0,
  PROP_DEBUG_LEVEL,
  PROP_VERBOSE,
  PROP_HOSTNAME,
  PROP_SYSLOG_SERVER,
  PROP_DEBUG_SERVER,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

typedef struct {
  char *spec;               /* as configured, "" when off */
  char *host;               /* NULL when off */
  guint16 port;
  GSocketAddress *address;  /* NULL while resolving or after a failed lookup */
  gboolean resolving;
  guint generation;         /* bumped on every change; stale lookups compare it */
  GCancellable *cancellable;
  GQueue pending;           /* GBytes datagrams waiting for the lookup */
} LogTarget;

struct _DpLogger {
  GObject parent_instance;

  /* Guards everything below: the writer runs on any thread. */
  GMutex lock;
  guint debug_level;
  gboolean verbose;
  char *hostname;
  GPtrArray *secrets;       /* NULL-terminated array of owned strings */
  LogTarget targets[N_TARGETS];
  GSocket *socket4;
  GSocket *socket6;
  guint64 sent;
  guint64 dropped;

  gboolean stderr_is_journal;
  guint pid;
};

G_DEFINE_FINAL_TYPE (DpLogger, dp_logger, G_TYPE_OBJECT)

typedef struct {
  DpLogger *self;
  guint which;
  guint generation;
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_object_unref (data->self);
  g_free (data);
}

static void
target_clear_pending (DpLogger *self, LogTarget *target, gboolean count_dropped)
{
  GBytes *bytes;

  while ((bytes = g_queue_pop_head (&target->pending)) != NULL)
    {
      if (count_dropped)
        self->dropped++;
      g_bytes_unref (bytes);
    }
}

/* Called with the lock held. A failed send is only counted: reporting it
 * through the log would recurse into this writer. */
static void
send_now (DpLogger *self, GSocketAddress *address, GBytes *datagram)
{
  GSocketFamily family = g_socket_address_get_family (address);
  GSocket **slot = family == G_SOCKET_FAMILY_IPV6 ? &self->socket6 : &self->socket4;
  gsize size;
  const char *data = g_bytes_get_data (datagram, &size);

  if (*slot == NULL)
    {
      *slot = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
      if (*slot == NULL)
        {
          self->dropped++;
          return;
        }
      /* A full send buffer must drop a line, never stall the caller. */
      g_socket_set_blocking (*slot, FALSE);
    }

  if (g_socket_send_to (*slot, address, data, size, NULL, NULL) == (gssize) size)
    self->sent++;
  else
    self->dropped++;
}

/* Called with the lock held. */
static void
send_to_target (DpLogger *self, LogTarget *target, GBytes *datagram)
{
  if (target->host == NULL)
    return;
  if (target->address != NULL)
    send_now (self, target->address, datagram);
  else if (target->resolving && g_queue_get_length (&target->pending) < DP_LOG_MAX_PENDING)
    g_queue_push_tail (&target->pending, g_bytes_ref (datagram));
  else
    self->dropped++;
}

static gboolean
same_destination (const LogTarget *a, const LogTarget *b)
{
  return a->host != NULL && b->host != NULL && a->port == b->port &&
         g_ascii_strcasecmp (a->host, b->host) == 0;
}

static const char *
level_name (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)
    return "ERROR";
  if (level & G_LOG_LEVEL_CRITICAL)
    return "CRITICAL";
  if (level & G_LOG_LEVEL_WARNING)
    return "WARNING";
  if (level & G_LOG_LEVEL_MESSAGE)
    return "MESSAGE";
  if (level & G_LOG_LEVEL_INFO)
    return "INFO";
  return "DEBUG";
}

static void
write_stderr (DpLogger *self, GLogLevelFlags level, const char *domain, const char *message)
{
  g_autoptr(GString) line = g_string_sized_new (128);

  if (self->stderr_is_journal)
    {
      g_string_append_printf (line, "<%u>", dp_log_level_to_severity (level));
    }
  else
    {
      gint64 now = g_get_real_time ();
      time_t seconds = (time_t) (now / G_USEC_PER_SEC);
      struct tm tm;

      if (localtime_r (&seconds, &tm) != NULL)
        g_string_append_printf (line, "%02d:%02d:%02d.%03d ", tm.tm_hour, tm.tm_min, tm.tm_sec,
                                (int) ((now % G_USEC_PER_SEC) / 1000));
      g_string_append_printf (line, "%s ", level_name (level));
    }
  if (domain != NULL && *domain != '\0')
    g_string_append_printf (line, "%s: ", domain);
  g_string_append (line, message);
  if (line->len == 0 || line->str[line->len - 1] != '\n')
    g_string_append_c (line, '\n');

  /* One fwrite per line: stdio's stream lock keeps lines from different
   * threads whole. */
  fwrite (line->str, 1, line->len, stderr);
  fflush (stderr);
}

GLogWriterOutput
dp_logger_writer_func (GLogLevelFlags   log_level,
                       const GLogField *fields,
                       gsize            n_fields,
                       gpointer         user_data)
{
  DpLogger *self = user_data;
  g_autofree char *domain = NULL;
  g_autofree char *message = NULL;
  g_autofree char *scrubbed = NULL;
  g_autoptr(GBytes) datagram = NULL;
  gboolean enabled, to_stderr, to_syslog, to_debug;

  g_return_val_if_fail (DP_IS_LOGGER (self), G_LOG_WRITER_UNHANDLED);

  for (gsize i = 0; i < n_fields; i++)
    {
      char **slot = NULL;

      if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        slot = &message;
      else if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        slot = &domain;
      if (slot == NULL || *slot != NULL || fields[i].value == NULL)
        continue;
      if (fields[i].length < 0)
        *slot = g_strdup (fields[i].value);
      else
        *slot = g_strndup (fields[i].value, (gsize) fields[i].length);
    }
  if (message == NULL)
    message = g_strdup ("");

  g_mutex_lock (&self->lock);

  enabled = dp_log_level_enabled (self->debug_level, log_level, domain);
  to_stderr = enabled || self->verbose;
  to_debug = enabled && self->targets[TARGET_DEBUG].host != NULL;
  to_syslog = enabled && self->targets[TARGET_SYSLOG].host != NULL &&
              dp_log_level_to_severity (log_level) < 7;
  if (!to_stderr && !to_syslog && !to_debug)
    {
      g_mutex_unlock (&self->lock);
      return G_LOG_WRITER_HANDLED;
    }

  scrubbed = dp_log_scrub (message, (const char * const *) self->secrets->pdata);

  if (to_syslog || to_debug)
    {
      datagram = dp_log_format_rfc5424 (log_level, domain, scrubbed, g_get_real_time (),
                                        self->hostname, self->pid, DP_LOG_MAX_DATAGRAM);
      if (to_syslog)
        send_to_target (self, &self->targets[TARGET_SYSLOG], datagram);
      if (to_debug && !(to_syslog && same_destination (&self->targets[TARGET_SYSLOG],
                                                       &self->targets[TARGET_DEBUG])))
        send_to_target (self, &self->targets[TARGET_DEBUG], datagram);
    }

  g_mutex_unlock (&self->lock);

  /* Outside the lock: a stalled stderr pipe must not hold up the network
   * destinations of other threads. */
  if (to_stderr)
    write_stderr (self, log_level, domain, scrubbed);

  return G_LOG_WRITER_HANDLED;
}

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LookupData *data = user_data;
  DpLogger *self = data->self;
  LogTarget *target = &self->targets[data->which];
  g_autoptr(GError) error = NULL;
  g_autofree char *failed_host = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);

  g_mutex_lock (&self->lock);
  if (target->generation == data->generation)
    {
      target->resolving = FALSE;
      g_clear_object (&target->cancellable);
      if (addresses != NULL)
        {
          GBytes *bytes;

          target->address = g_inet_socket_address_new (addresses->data, target->port);
          while ((bytes = g_queue_pop_head (&target->pending)) != NULL)
            {
              send_now (self, target->address, bytes);
              g_bytes_unref (bytes);
            }
        }
      else
        {
          target_clear_pending (self, target, TRUE);
          failed_host = g_strdup (target->host);
        }
    }
  g_mutex_unlock (&self->lock);

  g_resolver_free_addresses (addresses);

  /* Logged outside the lock: the writer takes it. */
  if (failed_host != NULL)
    g_warning ("%s “%s”: cannot resolve the name, not sending there: %s",
               data->which == TARGET_SYSLOG ? "Syslog_Server" : "Debug_Server",
               failed_host, error->message);

  lookup_data_free (data);
}

static gboolean
set_target (DpLogger *self, guint which, const char *server, GError **error)
{
  LogTarget *target = &self->targets[which];
  g_autofree char *host = NULL;
  g_autoptr(GCancellable) old_cancellable = NULL;
  g_autoptr(GInetAddress) numeric = NULL;
  g_autoptr(GCancellable) lookup_cancellable = NULL;
  LookupData *lookup = NULL;
  guint16 port;

  if (!dp_log_parse_server (server, &host, &port, error))
    return FALSE;

  if (host != NULL)
    {
      if (g_ascii_strcasecmp (host, "localhost") == 0)
        numeric = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      else
        numeric = g_inet_address_new_from_string (host);
    }

  g_mutex_lock (&self->lock);

  if (g_strcmp0 (target->host, host) == 0 && (host == NULL || target->port == port) &&
      (host == NULL || target->address != NULL || target->resolving))
    {
      /* Re-applying the same value (every config apply does) must not
       * restart a lookup or drop what is queued; a name whose lookup
       * failed is looked up again. */
      g_free (target->spec);
      target->spec = g_strdup (server ? server : "");
      g_mutex_unlock (&self->lock);
      return TRUE;
    }

  target->generation++;
  old_cancellable = g_steal_pointer (&target->cancellable);
  target->resolving = FALSE;
  target_clear_pending (self, target, TRUE);
  g_clear_object (&target->address);
  g_free (target->spec);
  target->spec = g_strdup (server ? server : "");
  g_free (target->host);
  target->host = g_steal_pointer (&host);
  target->port = port;

  if (target->host != NULL)
    {
      if (numeric != NULL)
        {
          target->address = g_inet_socket_address_new (numeric, port);
        }
      else
        {
          target->resolving = TRUE;
          target->cancellable = g_cancellable_new ();
          lookup_cancellable = g_object_ref (target->cancellable);
          lookup = g_new0 (LookupData, 1);
          lookup->self = g_object_ref (self);
          lookup->which = which;
          lookup->generation = target->generation;
          host = g_strdup (target->host);
        }
    }
  g_mutex_unlock (&self->lock);

  if (old_cancellable != NULL)
    g_cancellable_cancel (old_cancellable);

  if (lookup != NULL)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      g_resolver_lookup_by_name_async (resolver, host, lookup_cancellable,
                                       on_lookup_done, lookup);
    }

  g_object_notify_by_pspec (G_OBJECT (self),
                            props[which == TARGET_SYSLOG ? PROP_SYSLOG_SERVER : PROP_DEBUG_SERVER]);
  return TRUE;
}

static void
dp_logger_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DpLogger *self = DP_LOGGER (object);

  switch (prop_id)
    {
    case PROP_DEBUG_LEVEL:
      g_value_set_uint (value, dp_logger_get_debug_level (self));
      break;
    case PROP_VERBOSE:
      g_value_set_boolean (value, dp_logger_get_verbose (self));
      break;
    case PROP_HOSTNAME:
      g_mutex_lock (&self->lock);
      g_value_set_string (value, self->hostname);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_SYSLOG_SERVER:
      g_value_set_string (value, dp_logger_get_syslog_server (self));
      break;
    case PROP_DEBUG_SERVER:
      g_value_set_string (value, dp_logger_get_debug_server (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dp_logger_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  DpLogger *self = DP_LOGGER (object);

  switch (prop_id)
    {
    case PROP_DEBUG_LEVEL:
      dp_logger_set_debug_level (self, g_value_get_uint (value));
      break;
    case PROP_VERBOSE:
      dp_logger_set_verbose (self, g_value_get_boolean (value));
      break;
    case PROP_HOSTNAME:
      dp_logger_set_hostname (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dp_logger_dispose (GObject *object)
{
  DpLogger *self = DP_LOGGER (object);
  GCancellable *cancellables[N_TARGETS] = { NULL, };

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < N_TARGETS; i++)
    {
      self->targets[i].generation++;
      self->targets[i].resolving = FALSE;
      cancellables[i] = g_steal_pointer (&self->targets[i].cancellable);
      target_clear_pending (self, &self->targets[i], FALSE);
      g_clear_object (&self->targets[i].address);
    }
  g_clear_object (&self->socket4);
  g_clear_object (&self->socket6);
  g_mutex_unlock (&self->lock);

  /* Outside the lock: cancelling may run handlers synchronously. */
  for (guint i = 0; i < N_TARGETS; i++)
    if (cancellables[i] != NULL)
      {
        g_cancellable_cancel (cancellables[i]);
        g_object_unref (cancellables[i]);
      }

  G_OBJECT_CLASS (dp_logger_parent_class)->dispose (object);
}

static void
dp_logger_finalize (GObject *object)
{
  DpLogger *self = DP_LOGGER (object);

  for (guint i = 0; i < N_TARGETS; i++)
    {
      g_free (self->targets[i].spec);
      g_free (self->targets[i].host);
    }
  g_free (self->hostname);
  g_ptr_array_unref (self->secrets);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (dp_logger_parent_class)->finalize (object);
}

static void
dp_logger_class_init (DpLoggerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dp_logger_get_property;
  object_class->set_property = dp_logger_set_property;
  object_class->dispose = dp_logger_dispose;
  object_class->finalize = dp_logger_finalize;

  /**
   * DpLogger:debug-level:
   *
   * The SPA `Debug_Level` (0..3).
   */
  props[PROP_DEBUG_LEVEL] =
    g_param_spec_uint ("debug-level", NULL, NULL, 0, DP_LOG_MAX_DEBUG_LEVEL, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DpLogger:verbose:
   *
   * Every message goes to stderr, whatever the debug level.
   */
  props[PROP_VERBOSE] =
    g_param_spec_boolean ("verbose", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DpLogger:hostname:
   *
   * The RFC 5424 HOSTNAME field.
   */
  props[PROP_HOSTNAME] =
    g_param_spec_string ("hostname", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DpLogger:syslog-server:
   *
   * The `Syslog_Server` in use ("" when off); set it with
   * dp_logger_set_syslog_server().
   */
  props[PROP_SYSLOG_SERVER] =
    g_param_spec_string ("syslog-server", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * DpLogger:debug-server:
   *
   * The `Debug_Server` in use ("" when off); set it with
   * dp_logger_set_debug_server().
   */
  props[PROP_DEBUG_SERVER] =
    g_param_spec_string ("debug-server", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
dp_logger_init (DpLogger *self)
{
  g_mutex_init (&self->lock);
  self->secrets = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->secrets, NULL);
  self->hostname = g_strdup (g_get_host_name ());
  for (guint i = 0; i < N_TARGETS; i++)
    {
      self->targets[i].spec = g_strdup ("");
      g_queue_init (&self->targets[i].pending);
    }
  self->stderr_is_journal = g_log_writer_is_journald (fileno (stderr));
  self->pid = (guint) getpid ();
}

DpLogger *
dp_logger_new (void)
{
  return g_object_new (DP_TYPE_LOGGER, NULL);
}

void
dp_logger_install (DpLogger *self)
{
  g_return_if_fail (DP_IS_LOGGER (self));

  g_log_set_writer_func (dp_logger_writer_func, g_object_ref (self), g_object_unref);
}

void
dp_logger_set_debug_level (DpLogger *self,
                           guint     level)
{
  gboolean changed;

  g_return_if_fail (DP_IS_LOGGER (self));

  level = MIN (level, DP_LOG_MAX_DEBUG_LEVEL);
  g_mutex_lock (&self->lock);
  changed = self->debug_level != level;
  self->debug_level = level;
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DEBUG_LEVEL]);
}

guint
dp_logger_get_debug_level (DpLogger *self)
{
  guint level;

  g_return_val_if_fail (DP_IS_LOGGER (self), 0);

  g_mutex_lock (&self->lock);
  level = self->debug_level;
  g_mutex_unlock (&self->lock);
  return level;
}

gboolean
dp_logger_set_syslog_server (DpLogger    *self,
                             const char  *server,
                             GError     **error)
{
  g_return_val_if_fail (DP_IS_LOGGER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return set_target (self, TARGET_SYSLOG, server, error);
}

/* The string is only replaced by the setters, which run on the caller's
 * (main) thread, so handing it out without the lock is safe there. */
const char *
dp_logger_get_syslog_server (DpLogger *self)
{
  g_return_val_if_fail (DP_IS_LOGGER (self), NULL);

  return self->targets[TARGET_SYSLOG].spec;
}

gboolean
dp_logger_set_debug_server (DpLogger    *self,
                            const char  *server,
                            GError     **error)
{
  g_return_val_if_fail (DP_IS_LOGGER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return set_target (self, TARGET_DEBUG, server, error);
}

const char *
dp_logger_get_debug_server (DpLogger *self)
{
  g_return_val_if_fail (DP_IS_LOGGER (self), NULL);

  return self->targets[TARGET_DEBUG].spec;
}

void
dp_logger_set_verbose (DpLogger *self,
                       gboolean  verbose)
{
  gboolean changed;

  g_return_if_fail (DP_IS_LOGGER (self));

  verbose = !!verbose;
  g_mutex_lock (&self->lock);
  changed = self->verbose != verbose;
  self->verbose = verbose;
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_VERBOSE]);
}

gboolean
dp_logger_get_verbose (DpLogger *self)
{
  gboolean verbose;

  g_return_val_if_fail (DP_IS_LOGGER (self), FALSE);

  g_mutex_lock (&self->lock);
  verbose = self->verbose;
  g_mutex_unlock (&self->lock);
  return verbose;
}

void
dp_logger_set_hostname (DpLogger   *self,
                        const char *hostname)
{
  g_return_if_fail (DP_IS_LOGGER (self));

  g_mutex_lock (&self->lock);
  g_free (self->hostname);
  self->hostname = g_strdup (hostname != NULL && *hostname != '\0' ? hostname : g_get_host_name ());
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HOSTNAME]);
}

void
dp_logger_add_secret (DpLogger   *self,
                      const char *value)
{
  g_return_if_fail (DP_IS_LOGGER (self));

  if (value == NULL || strlen (value) < DP_LOG_MIN_SECRET_LENGTH)
    return;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i + 1 < self->secrets->len; i++)
    if (strcmp (self->secrets->pdata[i], value) == 0)
      {
        g_mutex_unlock (&self->lock);
        return;
      }
  /* Keep the array NULL-terminated for dp_log_scrub(). */
  self->secrets->pdata[self->secrets->len - 1] = g_strdup (value);
  g_ptr_array_add (self->secrets, NULL);
  g_mutex_unlock (&self->lock);
}

void
dp_logger_clear_secrets (DpLogger *self)
{
  g_return_if_fail (DP_IS_LOGGER (self));

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->secrets, 0);
  g_ptr_array_add (self->secrets, NULL);
  g_mutex_unlock (&self->lock);
}

gboolean
dp_logger_would_log (DpLogger       *self,
                     GLogLevelFlags  level,
                     const char     *domain)
{
  gboolean result;

  g_return_val_if_fail (DP_IS_LOGGER (self), FALSE);

  g_mutex_lock (&self->lock);
  result = self->verbose || dp_log_level_enabled (self->debug_level, level, domain);
  g_mutex_unlock (&self->lock);
  return result;
}

void
dp_logger_get_counters (DpLogger *self,
                        guint64  *sent,
                        guint64  *dropped)
{
  g_return_if_fail (DP_IS_LOGGER (self));

  g_mutex_lock (&self->lock);
  if (sent)
    *sent = self->sent;
  if (dropped)
    *dropped = self->dropped;
  g_mutex_unlock (&self->lock);
}
