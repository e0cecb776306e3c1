/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-prov"

#include "dp-build-config.h"
#include "dp-prov-http.h"
#include "dp-profile.h"
#include <glib/gi18n-lib.h>

#include <string.h>
#include <libsoup/soup.h>

#define READ_CHUNK 65536

typedef struct {
  GTask *task;                  /* strong; NULL once completed */
  DpProvFetchRequest *req;
  char *url;
  SoupSession *session;
  SoupMessage *message;
  GTlsDatabase *database;       /* https only */
  GInputStream *body;
  GByteArray *data;

  GCancellable *cancellable;    /* ours: cancelled by the caller's or the timeout */
  GCancellable *caller_cancellable;
  gulong caller_handler;
  GSource *timeout_source;
  GMainContext *context;
  gboolean timed_out;
  gboolean certificate_requested;
  gboolean challenged;
  guint64 total;                /* Content-Length, 0 when unknown (progress) */
  gboolean default_database_swapped;
} HttpFetch;

/* Why the default database is swapped around the TLS connection's creation:
 * libsoup 3 creates its GTlsClientConnection with g_initable_new() and only
 * then sets the session's database on it. glib-networking's initable_init
 * builds the connection's GnuTLS credentials from the database the
 * connection has at that moment, the process default, and for the default
 * (system) database that means parsing the whole system CA bundle on every
 * connection (measured: one read of ca-certificates.crt per resync, about
 * half of the daemon's CPU in a resync) although our own database replaces
 * it a few instructions later and the system CAs are never consulted. While
 * our database is the default, the connection starts with it (a database
 * that is not GnuTLS's own gets empty credentials; verification goes
 * through the database), so the bundle is never read.
 *
 * The window is synchronous on this thread: SoupConnection notifies
 * remote-address right before it creates the TLS connection and emits
 * TLS_HANDSHAKING right after, with no main-loop iteration in between, and
 * nothing else in the daemon creates TLS client connections off the main
 * thread. The override is removed there, or at the latest when the fetch
 * ends. Nothing else in deskphone sets a default database, so removing the
 * override (NULL) restores the backend's own default. */
static void
default_database_restore (HttpFetch *f)
{
  if (!f->default_database_swapped)
    return;
  f->default_database_swapped = FALSE;
  g_tls_backend_set_default_database (g_tls_backend_get_default (), NULL);
}

static void
on_remote_address (SoupMessage *message, GParamSpec *pspec, gpointer user_data)
{
  HttpFetch *f = user_data;

  if (f->database == NULL || f->default_database_swapped ||
      soup_message_get_remote_address (message) == NULL)
    return;
  g_tls_backend_set_default_database (g_tls_backend_get_default (), f->database);
  f->default_database_swapped = TRUE;
}

static void
on_network_event (SoupMessage *message, GSocketClientEvent event, GIOStream *connection,
                  gpointer user_data)
{
  HttpFetch *f = user_data;

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING || event == G_SOCKET_CLIENT_COMPLETE)
    default_database_restore (f);
}

static void
http_fetch_free (HttpFetch *f)
{
  default_database_restore (f);
  if (f->caller_handler != 0)
    g_cancellable_disconnect (f->caller_cancellable, f->caller_handler);
  if (f->timeout_source != NULL)
    {
      g_source_destroy (f->timeout_source);
      g_source_unref (f->timeout_source);
    }
  g_clear_object (&f->caller_cancellable);
  g_clear_object (&f->cancellable);
  g_clear_object (&f->body);
  if (f->message != NULL)
    g_signal_handlers_disconnect_by_data (f->message, f);
  g_clear_object (&f->message);
  g_clear_object (&f->session);
  g_clear_object (&f->database);
  g_clear_pointer (&f->req, dp_prov_fetch_request_free);
  g_clear_pointer (&f->url, g_free);
  g_clear_pointer (&f->context, g_main_context_unref);
  if (f->data != NULL)
    g_byte_array_unref (f->data);
  g_free (f);
}

static void
fetch_complete (HttpFetch *f, GBytes *result, GError *error)
{
  GTask *task = g_steal_pointer (&f->task);

  if (f->timeout_source != NULL)
    {
      g_source_destroy (f->timeout_source);
      g_clear_pointer (&f->timeout_source, g_source_unref);
    }
  /* Drops the connection if the body was not read to its end. */
  g_cancellable_cancel (f->cancellable);
  dp_prov_fetch_task_return (task, result, error);
}

static void
fetch_fail (HttpFetch *f, DpProvFetchError code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
fetch_fail (HttpFetch *f, DpProvFetchError code, const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  fetch_complete (f, NULL, g_error_new (DP_PROV_FETCH_ERROR, code, "%s: %s", f->url, text));
}

static gboolean
host_char_ok (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == ':' || c == '%';
}

/**
 * dp_prov_http_build_uri:
 * @req: an http or https request
 * @error: a #GError
 *
 * Builds the URI the request goes to, percent-encoding spaces and non-ASCII
 * path bytes. Pure function.
 *
 * Returns: (transfer full) (nullable): the URI, or %NULL with
 *   %DP_PROV_FETCH_ERROR_INVALID naming the bad position
 */
char *
dp_prov_http_build_uri (const DpProvFetchRequest *req, GError **error)
{
  g_autoptr(GString) path = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path_only = NULL;
  const char *query;

  g_return_val_if_fail (req != NULL, NULL);

  if (req->server == NULL || *req->server == '\0')
    {
      g_set_error_literal (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID,
                           _("no server to fetch from"));
      return NULL;
    }
  for (const char *p = req->server; *p; p++)
    if (!host_char_ok (*p))
      {
        g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID,
                     _("server name position %d: character '%c' is not allowed in a host name"),
                     (int) (p - req->server) + 1, g_ascii_isprint (*p) ? *p : '?');
        return NULL;
      }
  if (req->path == NULL || req->path[0] != '/')
    {
      g_set_error_literal (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID,
                           _("the path must start with '/'"));
      return NULL;
    }

  path = g_string_new (NULL);
  for (const char *p = req->path; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x20 || c == 0x7f)
        {
          g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID,
                       _("path position %d: control character 0x%02x"), (int) (p - req->path) + 1, c);
          return NULL;
        }
      if (c == ' ' || c >= 0x80 || c == '#')
        g_string_append_printf (path, "%%%02X", c);
      else
        g_string_append_c (path, (char) c);
    }

  query = strchr (path->str, '?');
  path_only = query != NULL ? g_strndup (path->str, (gsize) (query - path->str))
                            : g_strdup (path->str);
  uri = g_uri_build (G_URI_FLAGS_ENCODED, dp_prov_scheme_to_string (req->scheme), NULL,
                     req->server, dp_prov_fetch_request_get_port (req),
                     path_only, query != NULL ? query + 1 : NULL, NULL);
  return g_uri_to_string (uri);
}

static void on_read (GObject *source, GAsyncResult *result, gpointer user_data);

static void
read_next (HttpFetch *f)
{
  g_input_stream_read_bytes_async (f->body, READ_CHUNK, G_PRIORITY_DEFAULT, f->cancellable,
                                   on_read, g_object_ref (f->task));
}

static gboolean
cancelled_by_caller_or_timeout (HttpFetch *f, GError *error)
{
  if (f->timed_out)
    {
      fetch_fail (f, DP_PROV_FETCH_ERROR_TIMEOUT, _("no complete answer within %u s"),
                  f->req->timeout_s);
      return TRUE;
    }
  if (f->caller_cancellable != NULL && g_cancellable_is_cancelled (f->caller_cancellable))
    {
      fetch_complete (f, NULL, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                            _("%s: cancelled"), f->url));
      return TRUE;
    }
  return FALSE;
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  HttpFetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  gsize len;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (f->task == NULL)
    return;
  if (chunk == NULL)
    {
      if (!cancelled_by_caller_or_timeout (f, error))
        fetch_fail (f, DP_PROV_FETCH_ERROR_FAILED, _("reading the body failed: %s"), error->message);
      return;
    }

  len = g_bytes_get_size (chunk);
  if (len == 0)
    {
      fetch_complete (f, g_byte_array_free_to_bytes (g_steal_pointer (&f->data)), NULL);
      return;
    }
  if (len > f->req->max_size - f->data->len)
    {
      fetch_fail (f, DP_PROV_FETCH_ERROR_TOO_LARGE, _("body is larger than %zu bytes"),
                  f->req->max_size);
      return;
    }
  g_byte_array_append (f->data, g_bytes_get_data (chunk, NULL), (guint) len);
  if (f->req->progress != NULL)
    f->req->progress (f->data->len, f->total, f->req->progress_data);
  read_next (f);
}

static void
fail_tls (HttpFetch *f, GError *error)
{
  g_autofree char *failure = dp_prov_trust_database_get_failure (f->database);
  GTlsCertificate *client = dp_prov_trust_get_client_certificate (f->req->trust);

  if (failure != NULL)
    fetch_fail (f, DP_PROV_FETCH_ERROR_TRUST, _("server certificate rejected: %s"), failure);
  else if (dp_prov_trust_database_get_verified (f->database) && client == NULL &&
           (f->certificate_requested ||
            g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED)))
    fetch_fail (f, DP_PROV_FETCH_ERROR_TRUST, _("client certificate: the server requires one and "
                "none is installed (%s)"), error->message);
  else if (dp_prov_trust_database_get_verified (f->database))
    fetch_fail (f, DP_PROV_FETCH_ERROR_TRUST, _("client certificate refused by the server: the "
                "TLS handshake failed after the server certificate was accepted (%s)"),
                error->message);
  else
    fetch_fail (f, DP_PROV_FETCH_ERROR_TRUST, _("TLS handshake failed: %s"), error->message);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  HttpFetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  guint status;

  f->body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  default_database_restore (f);
  if (f->task == NULL)
    return;
  if (f->body == NULL)
    {
      if (cancelled_by_caller_or_timeout (f, error))
        return;
      if (error->domain == G_TLS_ERROR)
        fail_tls (f, error);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        fetch_fail (f, DP_PROV_FETCH_ERROR_TIMEOUT, _("no answer in time: %s"), error->message);
      else if (f->database != NULL && dp_prov_trust_database_get_verified (f->database) &&
               !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        /* The server hung up after we accepted it: with TLS 1.3 that is how
         * a refused client certificate looks to the client. */
        fail_tls (f, error);
      else
        fetch_fail (f, DP_PROV_FETCH_ERROR_FAILED, "%s", error->message);
      return;
    }

  if (f->database != NULL && !dp_prov_trust_database_get_verified (f->database))
    {
      /* Never reached with our database in place; refuse rather than trust
       * a connection whose certificate deskphone did not check. */
      fetch_fail (f, DP_PROV_FETCH_ERROR_TRUST, _("server certificate was not verified"));
      return;
    }

  status = soup_message_get_status (f->message);
  headers = soup_message_get_response_headers (f->message);
  if (status == 404 || status == 410)
    {
      fetch_fail (f, DP_PROV_FETCH_ERROR_NOT_FOUND, "HTTP %u %s", status,
                  soup_message_get_reason_phrase (f->message));
      return;
    }
  if (status == 401 || status == 407)
    {
      if (f->req->uid == NULL)
        fetch_fail (f, DP_PROV_FETCH_ERROR_AUTH, _("HTTP %u: the server requires authentication "
                    "and no credentials (--uid/--pwd) were given"), status);
      else
        fetch_fail (f, DP_PROV_FETCH_ERROR_AUTH, _("HTTP %u: credentials of user \"%s\" rejected"),
                    status, f->req->uid);
      return;
    }
  if (f->req->scheme == DP_PROV_SCHEME_HTTPS && f->certificate_requested &&
      (status == 400 || status == 495 || status == 496))
    {
      if (dp_prov_trust_get_client_certificate (f->req->trust) == NULL)
        fetch_fail (f, DP_PROV_FETCH_ERROR_TRUST, _("client certificate: the server requires one "
                    "and none is installed (HTTP %u)"), status);
      else
        fetch_fail (f, DP_PROV_FETCH_ERROR_TRUST, _("client certificate refused by the server "
                    "(HTTP %u after it asked for the certificate)"), status);
      return;
    }
  if (status >= 300 && status < 400)
    {
      const char *location = soup_message_headers_get_one (headers, "Location");

      fetch_fail (f, DP_PROV_FETCH_ERROR_SERVER, _("HTTP %u: redirect to %s not followed"), status,
                  location ? location : "(no Location)");
      return;
    }
  if (status < 200 || status >= 300)
    {
      fetch_fail (f, DP_PROV_FETCH_ERROR_SERVER, "HTTP %u %s", status,
                  soup_message_get_reason_phrase (f->message));
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      (guint64) soup_message_headers_get_content_length (headers) > f->req->max_size)
    {
      fetch_fail (f, DP_PROV_FETCH_ERROR_TOO_LARGE, _("Content-Length %lld"
                  " is larger than %zu bytes"),
                  (long long) soup_message_headers_get_content_length (headers), f->req->max_size);
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    f->total = (guint64) soup_message_headers_get_content_length (headers);
  f->data = g_byte_array_new ();
  read_next (f);
}

static gboolean
on_authenticate (SoupMessage *message, SoupAuth *auth, gboolean retrying, gpointer user_data)
{
  HttpFetch *f = user_data;

  f->challenged = TRUE;
  if (retrying || f->req->uid == NULL)
    return FALSE;
  soup_auth_authenticate (auth, f->req->uid, f->req->pwd ? f->req->pwd : "");
  return TRUE;
}

static gboolean
on_request_certificate (SoupMessage *message, GTlsClientConnection *connection, gpointer user_data)
{
  HttpFetch *f = user_data;

  f->certificate_requested = TRUE;
  soup_message_set_tls_client_certificate (message,
                                           dp_prov_trust_get_client_certificate (f->req->trust));
  return TRUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  HttpFetch *f = user_data;

  g_clear_pointer (&f->timeout_source, g_source_unref);
  f->timed_out = TRUE;
  g_cancellable_cancel (f->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *caller, gpointer user_data)
{
  GCancellable *ours = user_data;

  g_cancellable_cancel (ours);
}

/**
 * dp_prov_http_fetch_async:
 * @req: an http or https request
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: for @callback
 *
 * Starts an HTTP(S) fetch; see the section doc.
 */
void
dp_prov_http_fetch_async (const DpProvFetchRequest *req,
                          GCancellable             *cancellable,
                          GAsyncReadyCallback       callback,
                          gpointer                  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  HttpFetch *f;
  GTask *task;

  g_return_if_fail (req != NULL);
  g_return_if_fail (req->scheme == DP_PROV_SCHEME_HTTP || req->scheme == DP_PROV_SCHEME_HTTPS);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dp_prov_http_fetch_async);
  g_task_set_check_cancellable (task, FALSE);
  f = g_new0 (HttpFetch, 1);
  f->task = task;
  g_task_set_task_data (task, f, (GDestroyNotify) http_fetch_free);
  f->req = dp_prov_fetch_request_copy (req);
  if (f->req->max_size == 0)
    f->req->max_size = DP_PROFILE_MAX_SIZE;
  if (f->req->timeout_s == 0)
    f->req->timeout_s = DP_PROV_FETCH_DEFAULT_TIMEOUT_S;
  f->context = g_main_context_ref_thread_default ();
  f->cancellable = g_cancellable_new ();
  f->url = dp_prov_fetch_request_to_url (f->req);

  uri = dp_prov_http_build_uri (f->req, &error);
  if (uri == NULL)
    {
      g_prefix_error (&error, "%s: ", f->url);
      fetch_complete (f, NULL, g_steal_pointer (&error));
      return;
    }
  if (f->req->scheme == DP_PROV_SCHEME_HTTPS)
    {
      if (f->req->trust == NULL || dp_prov_trust_get_n_cas (f->req->trust) == 0)
        {
          fetch_fail (f, DP_PROV_FETCH_ERROR_TRUST, _("unknown CA: no provisioning CA installed"));
          return;
        }
      f->database = dp_prov_trust_create_database (f->req->trust);
    }

  f->session = soup_session_new_with_options ("user-agent", f->req->user_agent
                                                              ? f->req->user_agent
                                                              : "deskphone/" PACKAGE_VERSION,
                                              "timeout", f->req->timeout_s,
                                              "idle-timeout", f->req->timeout_s,
                                              "max-conns-per-host", 1,
                                              NULL);
  soup_session_set_proxy_resolver (f->session, NULL);
  /* https: our database only. http: redirects are off, so no TLS ever. */
  if (f->database != NULL)
    soup_session_set_tls_database (f->session, f->database);

  f->message = soup_message_new (f->req->method == DP_PROV_METHOD_POST ? "POST" : "GET", uri);
  if (f->message == NULL)
    {
      fetch_fail (f, DP_PROV_FETCH_ERROR_INVALID, _("not a valid URI: %s"), uri);
      return;
    }
  soup_message_add_flags (f->message, SOUP_MESSAGE_NO_REDIRECT);
  if (f->req->method == DP_PROV_METHOD_POST)
    {
      g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

      soup_message_set_request_body_from_bytes (f->message,
                                                f->req->content_type
                                                  ? f->req->content_type
                                                  : "text/plain; charset=utf-8",
                                                f->req->body ? f->req->body : empty);
    }
  g_signal_connect (f->message, "authenticate", G_CALLBACK (on_authenticate), f);
  g_signal_connect (f->message, "request-certificate", G_CALLBACK (on_request_certificate), f);
  if (f->database != NULL)
    {
      g_signal_connect (f->message, "notify::remote-address", G_CALLBACK (on_remote_address), f);
      g_signal_connect (f->message, "network-event", G_CALLBACK (on_network_event), f);
    }

  if (cancellable != NULL)
    {
      f->caller_cancellable = g_object_ref (cancellable);
      f->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                 g_object_ref (f->cancellable), g_object_unref);
    }
  f->timeout_source = g_timeout_source_new_seconds (f->req->timeout_s);
  g_source_set_callback (f->timeout_source, on_timeout, f, NULL);
  g_source_attach (f->timeout_source, f->context);

  soup_session_send_async (f->session, f->message, G_PRIORITY_DEFAULT, f->cancellable,
                           on_sent, g_object_ref (task));
}

/**
 * dp_prov_http_fetch_finish:
 * @result: the #GAsyncResult
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the body, or %NULL with @error set
 */
GBytes *
dp_prov_http_fetch_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
