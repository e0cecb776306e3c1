/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-prov"

#include "dp-build-config.h"
#include "dp-prov-fetch.h"
#include "dp-prov-http.h"
#include "dp-prov-tftp.h"
#include "dp-profile.h"
#include <glib/gi18n-lib.h>

#include <string.h>

G_DEFINE_QUARK (dp-prov-fetch-error-quark, dp_prov_fetch_error)

static const char *const scheme_names[] = { "tftp", "http", "https" };
static const guint16 scheme_ports[] = { 69, 80, 443 };

/**
 * dp_prov_scheme_to_string:
 * @scheme: a #DpProvScheme
 *
 * Returns: `tftp`, `http` or `https`
 */
const char *
dp_prov_scheme_to_string (DpProvScheme scheme)
{
  g_return_val_if_fail (scheme <= DP_PROV_SCHEME_HTTPS, "tftp");
  return scheme_names[scheme];
}

/**
 * dp_prov_scheme_from_string:
 * @text: a scheme name (any case)
 * @scheme: (out): the scheme
 *
 * Returns: %TRUE if @text names a provisioning scheme
 */
gboolean
dp_prov_scheme_from_string (const char *text, DpProvScheme *scheme)
{
  g_return_val_if_fail (scheme != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (scheme_names); i++)
    if (g_ascii_strcasecmp (text, scheme_names[i]) == 0)
      {
        *scheme = (DpProvScheme) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * dp_prov_scheme_default_port:
 * @scheme: a #DpProvScheme
 *
 * Returns: 69, 80 or 443 (spec §1.3)
 */
guint16
dp_prov_scheme_default_port (DpProvScheme scheme)
{
  g_return_val_if_fail (scheme <= DP_PROV_SCHEME_HTTPS, 69);
  return scheme_ports[scheme];
}

/**
 * dp_prov_fetch_request_new:
 * @scheme: transport
 * @server: (nullable): host name or IP literal
 * @port: port, 0 = the scheme's default
 * @path: (nullable): absolute path, may carry `?query`
 *
 * Returns: (transfer full): a GET request with default limits
 */
DpProvFetchRequest *
dp_prov_fetch_request_new (DpProvScheme  scheme,
                           const char   *server,
                           guint16       port,
                           const char   *path)
{
  DpProvFetchRequest *req = g_new0 (DpProvFetchRequest, 1);

  req->scheme = scheme;
  req->server = g_strdup (server);
  req->port = port;
  req->path = g_strdup (path);
  req->method = DP_PROV_METHOD_GET;
  return req;
}

/**
 * dp_prov_fetch_request_copy:
 * @req: a request
 *
 * Returns: (transfer full): a deep copy
 */
DpProvFetchRequest *
dp_prov_fetch_request_copy (const DpProvFetchRequest *req)
{
  DpProvFetchRequest *copy;

  g_return_val_if_fail (req != NULL, NULL);

  copy = g_new0 (DpProvFetchRequest, 1);
  *copy = *req;
  copy->server = g_strdup (req->server);
  copy->path = g_strdup (req->path);
  copy->body = req->body ? g_bytes_ref (req->body) : NULL;
  copy->content_type = g_strdup (req->content_type);
  copy->uid = g_strdup (req->uid);
  copy->pwd = g_strdup (req->pwd);
  copy->user_agent = g_strdup (req->user_agent);
  copy->trust = req->trust ? g_object_ref (req->trust) : NULL;
  return copy;
}

/**
 * dp_prov_fetch_request_free:
 * @req: (nullable): a request
 *
 * Frees @req and everything it holds.
 */
void
dp_prov_fetch_request_free (DpProvFetchRequest *req)
{
  if (req == NULL)
    return;
  g_free (req->server);
  g_free (req->path);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->content_type);
  g_free (req->uid);
  if (req->pwd != NULL)
    {
      memset (req->pwd, 0, strlen (req->pwd));
      g_free (req->pwd);
    }
  g_free (req->user_agent);
  g_clear_object (&req->trust);
  g_free (req);
}

/**
 * dp_prov_fetch_request_get_port:
 * @req: a request
 *
 * Returns: the port the request goes to (the scheme default when unset)
 */
guint16
dp_prov_fetch_request_get_port (const DpProvFetchRequest *req)
{
  g_return_val_if_fail (req != NULL, 0);
  return req->port != 0 ? req->port : dp_prov_scheme_default_port (req->scheme);
}

/**
 * dp_prov_fetch_request_to_url:
 * @req: a request
 *
 * Formats the request as `$SCHEME://$SERVIP:$PORT$PATH` does in the SPA log
 * messages (port always written, IPv6 literals in brackets, no credentials).
 *
 * Returns: (transfer full): the URL text
 */
char *
dp_prov_fetch_request_to_url (const DpProvFetchRequest *req)
{
  const char *server;

  g_return_val_if_fail (req != NULL, NULL);

  server = req->server ? req->server : "";
  return g_strdup_printf (strchr (server, ':') ? "%s://[%s]:%u%s" : "%s://%s:%u%s",
                          dp_prov_scheme_to_string (req->scheme), server,
                          dp_prov_fetch_request_get_port (req), req->path ? req->path : "");
}

static void
append_token (GString *out, const char *text, gboolean allow_parens)
{
  for (const char *p = text ? text : ""; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c <= 0x20 || c >= 0x7f || c == '/' || (!allow_parens && (c == '(' || c == ')')))
        g_string_append_c (out, '_');
      else
        g_string_append_c (out, (char) c);
    }
}

/**
 * dp_prov_user_agent_build:
 * @product: product / vendor name, e.g. `Deskphone` (the SPA sends `Linksys`)
 * @model: model, e.g. `SPA-962`
 * @version: firmware version, e.g. `0.1.0` or `6.1.5(a)`
 * @serial: (nullable): serial number (`$SN`)
 *
 * Builds the User-Agent the way the SPA does (spec §1.9,
 * `Linksys/SPA-962-6.1.5(a) (4MM00F903042)`):
 * `PRODUCT/MODEL-VERSION (SERIAL)`. The serial part is left out when
 * @serial is empty. Bytes that would break the header or the format
 * (control characters, space, non-ASCII, `/`; parentheses outside the
 * version) become `_`.
 *
 * Returns: (transfer full): the User-Agent value
 */
char *
dp_prov_user_agent_build (const char *product,
                          const char *model,
                          const char *version,
                          const char *serial)
{
  GString *ua = g_string_new (NULL);

  append_token (ua, product, FALSE);
  g_string_append_c (ua, '/');
  append_token (ua, model, FALSE);
  g_string_append_c (ua, '-');
  append_token (ua, version, TRUE);
  if (serial != NULL && *serial != '\0')
    {
      g_string_append (ua, " (");
      append_token (ua, serial, FALSE);
      g_string_append_c (ua, ')');
    }
  return g_string_free (ua, FALSE);
}

static void
on_transport_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GBytes *bytes;

  if (g_async_result_is_tagged (result, dp_prov_tftp_get_async))
    bytes = dp_prov_tftp_get_finish (result, &error);
  else
    bytes = dp_prov_http_fetch_finish (result, &error);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

/**
 * dp_prov_fetch_async:
 * @req: the request (copied)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: for @callback
 *
 * Starts one download; finish with dp_prov_fetch_finish().
 */
void
dp_prov_fetch_async (const DpProvFetchRequest *req,
                     GCancellable             *cancellable,
                     GAsyncReadyCallback       callback,
                     gpointer                  user_data)
{
  GTask *task;

  g_return_if_fail (req != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dp_prov_fetch_async);
  g_task_set_check_cancellable (task, FALSE);

  if (req->scheme > DP_PROV_SCHEME_HTTPS)
    {
      g_task_return_new_error (task, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID,
                               _("unknown scheme %d"), (int) req->scheme);
      g_object_unref (task);
      return;
    }

  if (req->scheme == DP_PROV_SCHEME_TFTP)
    {
      DpProvTftpOptions options = { 0 };
      g_autofree char *url = dp_prov_fetch_request_to_url (req);

      if (req->server == NULL || *req->server == '\0')
        {
          g_task_return_new_error (task, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID,
                                   _("%s: no TFTP server (the rule names none and "
                                   "Provisioning_TFTP_Server / DHCP option 66 is empty)"), url);
          g_object_unref (task);
          return;
        }
      if (req->method == DP_PROV_METHOD_POST || req->body != NULL || req->uid != NULL)
        {
          g_task_return_new_error (task, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID,
                                   _("%s: TFTP has no POST and no authentication"), url);
          g_object_unref (task);
          return;
        }
      if (req->path == NULL || req->path[0] != '/')
        {
          g_task_return_new_error (task, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID,
                                   _("%s: the path must start with '/'"), url);
          g_object_unref (task);
          return;
        }
      options.max_size = req->max_size != 0 ? req->max_size : DP_PROFILE_MAX_SIZE;
      options.timeout_ms = (req->timeout_s != 0 ? req->timeout_s
                                                : DP_PROV_FETCH_DEFAULT_TIMEOUT_S) * 1000;
      dp_prov_tftp_get_async (req->server, dp_prov_fetch_request_get_port (req), req->path,
                              &options, cancellable, on_transport_done, task);
      return;
    }

  dp_prov_http_fetch_async (req, cancellable, on_transport_done, task);
}

/**
 * dp_prov_fetch_finish:
 * @result: the #GAsyncResult
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the whole body, or %NULL with @error
 *   set (%DP_PROV_FETCH_ERROR, or %G_IO_ERROR_CANCELLED)
 */
GBytes *
dp_prov_fetch_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * dp_prov_fetch_task_return:
 * @task: (transfer full): the fetch's task
 * @result: (transfer full) (nullable): the body, on success
 * @error: (transfer full) (nullable): why it failed
 *
 * Completes a transport's fetch (HTTP or TFTP) with @result or @error.
 */
void
dp_prov_fetch_task_return (GTask *task, GBytes *result, GError *error)
{
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) g_bytes_unref);
  g_object_unref (task);
}
