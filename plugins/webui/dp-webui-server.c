/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Listening, routing and access control; see dp-webui-server.h.
 */
#define G_LOG_DOMAIN "dp-webui"

#include "dp-webui-server.h"
#include "dp-webui-conn.h"
#include "dp-webui-forms.h"
#include "dp-webui-render.h"
#include "dp-webui-resources.h"

#include <string.h>
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#define T(lang, s) dp_webui_tr ((lang), (s))
#define SESSION_COOKIE "dp_session"
#define LOGIN_COOKIE "dp_login"
#define MAX_HISTORY 600
#define MIN_PASSWORD_LENGTH 8

/* Request limits (see dp-webui-server.h, "Request limits"). */
#define MAX_FORM_BODY (64 * 1024)
#define MAX_IMPORT_BODY (16 * 1024 * 1024)
#define MAX_HEADER_BYTES (16 * 1024)
#define MAX_HEADER_COUNT 64
#define BODY_COUNT_KEY "dp-webui-body-bytes"

static const char *csp =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
  "frame-ancestors 'none'; base-uri 'none'";

struct _DpWebuiServer
{
  DpCore *core;
  DpConfig *config;
  SoupServer *soup;
  guint http_port;
  guint https_port;
  DpWebuiSessions *sessions;
  DpWebuiBackoff *backoff;
  DpWebuiConnGuard *connections;
  char *setup_code;
  DpWebuiClock clock;
  /* call id -> GArray of DpWebuiSample */
  GHashTable *histories;
  gint64 history_origin_us;
};

static gint64
now_us (DpWebuiServer *self)
{
  return self->clock ? self->clock () : g_get_monotonic_time ();
}

/* Responses */

static void
set_security_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Content-Security-Policy", csp);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  /* not no-referrer: under it browsers send "Origin: null" on our own
   * form posts, which origin_ok() must refuse. */
  soup_message_headers_replace (headers, "Referrer-Policy", "same-origin");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Cross-Origin-Opener-Policy", "same-origin");
  /* No keep-alive: libsoup 3.2 does not notice a client closing a kept-alive
   * connection, so every such socket would stay open (CLOSE-WAIT) for the
   * life of the process. A page and its stylesheet cost two connections. */
  soup_message_headers_replace (headers, "Connection", "close");
}

static void
respond (SoupServerMessage *msg, guint status, const char *content_type, char *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
respond_html (SoupServerMessage *msg, guint status, char *html)
{
  respond (msg, status, "text/html; charset=utf-8", html);
}

static void
redirect (SoupServerMessage *msg, const char *location)
{
  soup_server_message_set_redirect (msg, SOUP_STATUS_SEE_OTHER, location);
}

static DpWebuiLang
page_lang (DpWebuiServer *self)
{
  return dp_webui_lang_from_selection (dp_config_get (self->config, "Language_Selection"));
}

static void
respond_denied (DpWebuiServer *self, SoupServerMessage *msg, guint status, const char *why)
{
  DpWebuiLang lang = page_lang (self);

  respond_html (msg, status, dp_webui_render_message (lang, T (lang, "Access denied"), why, TRUE, 0));
}

static gboolean
is_https (SoupServerMessage *msg)
{
  return g_strcmp0 (g_uri_get_scheme (soup_server_message_get_uri (msg)), "https") == 0;
}

static void
set_cookie (SoupServerMessage *msg, const char *name, const char *value, int max_age)
{
  g_autofree char *cookie = NULL;

  cookie = g_strdup_printf ("%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name, value,
                            is_https (msg) ? "; Secure" : "",
                            max_age == 0 ? "; Max-Age=0" : max_age > 0 ? "; Max-Age=600" : "");
  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie", cookie);
}

static char *
get_cookie (SoupServerMessage *msg, const char *name)
{
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Cookie");
  g_autoptr(GHashTable) cookies = NULL;
  const char *value;

  if (header == NULL)
    return NULL;
  cookies = soup_header_parse_semi_param_list (header);
  value = g_hash_table_lookup (cookies, name);
  return value ? g_strdup (value) : NULL;
}

/* Access control */

static char *
normalized_client (SoupServerMessage *msg)
{
  const char *host = soup_server_message_get_remote_host (msg);

  if (host == NULL)
    return g_strdup ("");
  /* Dual-stack listeners report IPv4 clients as ::ffff:a.b.c.d. */
  if (g_str_has_prefix (host, "::ffff:") && strchr (host + 7, '.') != NULL)
    return g_strdup (host + 7);
  return g_strdup (host);
}

static char *
host_without_port (const char *host_header)
{
  const char *end;

  if (host_header == NULL)
    return g_strdup ("");
  if (host_header[0] == '[')
    {
      end = strchr (host_header, ']');
      return end ? g_strndup (host_header + 1, end - host_header - 1) : g_strdup (host_header);
    }
  end = strrchr (host_header, ':');
  return end ? g_strndup (host_header, end - host_header) : g_strdup (host_header);
}

gboolean
dp_webui_client_allowed (const char *restricted, const char *client_address,
                         const char *host_header)
{
  g_auto(GStrv) entries = NULL;
  g_autoptr(GInetAddress) client = NULL;
  g_autofree char *host = host_without_port (host_header);
  gboolean any = FALSE;

  if (restricted == NULL)
    return TRUE;
  entries = g_strsplit_set (restricted, ",; \t", -1);
  client = client_address ? g_inet_address_new_from_string (client_address) : NULL;
  for (guint i = 0; entries[i] != NULL; i++)
    {
      const char *entry = entries[i];

      if (*entry == '\0')
        continue;
      any = TRUE;
      if (strchr (entry, '/') != NULL)
        {
          g_autoptr(GInetAddressMask) mask = g_inet_address_mask_new_from_string (entry, NULL);

          if (mask != NULL && client != NULL && g_inet_address_mask_matches (mask, client))
            return TRUE;
          continue;
        }
      {
        g_autoptr(GInetAddress) address = g_inet_address_new_from_string (entry);

        if (address != NULL)
          {
            if (client != NULL && g_inet_address_equal (address, client))
              return TRUE;
            continue;
          }
      }
      {
        const char *domain = entry[0] == '.' ? entry + 1 : entry;
        gsize hlen = strlen (host), dlen = strlen (domain);

        if (g_ascii_strcasecmp (host, domain) == 0)
          return TRUE;
        if (hlen > dlen && host[hlen - dlen - 1] == '.' &&
            g_ascii_strcasecmp (host + hlen - dlen, domain) == 0)
          return TRUE;
      }
    }
  return !any;
}

static const DpWebuiSession *
current_session (DpWebuiServer *self, SoupServerMessage *msg)
{
  g_autofree char *id = get_cookie (msg, SESSION_COOKIE);

  return dp_webui_sessions_lookup (self->sessions, id, now_us (self));
}

/* A cross-site page cannot read the token, and SameSite=Strict keeps the
 * cookie off cross-site requests anyway; the Origin check is a third,
 * independent guard. */
static gboolean
origin_ok (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *origin = soup_message_headers_get_one (headers, "Origin");
  const char *host = soup_message_headers_get_one (headers, "Host");
  g_autoptr(GUri) uri = NULL;
  g_autofree char *origin_host = NULL;

  if (origin == NULL)
    return TRUE;
  uri = g_uri_parse (origin, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || host == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;
  if (g_uri_get_port (uri) > 0)
    origin_host = g_strdup_printf (strchr (g_uri_get_host (uri), ':') ? "[%s]:%d" : "%s:%d",
                                   g_uri_get_host (uri), g_uri_get_port (uri));
  else
    origin_host = g_strdup (g_uri_get_host (uri));
  return g_ascii_strcasecmp (origin_host, host) == 0;
}

static gboolean
csrf_ok (const DpWebuiSession *session, SoupServerMessage *msg, const char *field)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "X-CSRF-Token");

  if (session == NULL || !origin_ok (msg))
    return FALSE;
  return dp_webui_const_equal (field ? field : header, session->csrf);
}

/* The decoded urlencoded form, or NULL when it is not valid UTF-8, after
 * answering 400 with the field and byte at fault. */
static GHashTable *
read_form (DpWebuiServer *self, SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  const char *type = soup_message_headers_get_content_type (
      soup_server_message_get_request_headers (msg), NULL);
  g_autoptr(GError) error = NULL;
  GHashTable *form;

  if (g_strcmp0 (type, "application/x-www-form-urlencoded") != 0)
    return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  form = dp_webui_form_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  if (form == NULL)
    {
      DpWebuiLang lang = page_lang (self);

      g_message ("web form rejected: %s", error->message);
      respond_html (msg, SOUP_STATUS_BAD_REQUEST,
                    dp_webui_render_message (lang, T (lang, "Bad request"), error->message, TRUE, 0));
    }
  return form;
}

/* Pages */

static void
serve_config_page (DpWebuiServer *self, SoupServerMessage *msg, const DpWebuiSession *session,
                   DpWebuiRole role, gboolean advanced, guint status, GHashTable *submitted,
                   GHashTable *errors, const char *notice, gboolean notice_is_error)
{
  GSocketAddress *local = soup_server_message_get_local_address (msg);
  g_autofree char *local_text = NULL;
  DpWebuiPage page = {
    .core = self->core,
    .config = self->config,
    .lang = page_lang (self),
    .role = role,
    .advanced = role == DP_WEBUI_ROLE_USER ? TRUE : advanced,
    .csrf = session->csrf,
    .submitted = submitted,
    .errors = errors,
    .notice = notice,
    .notice_is_error = notice_is_error,
    .histories = self->histories,
  };

  if (local != NULL && G_IS_INET_SOCKET_ADDRESS (local))
    local_text = g_inet_address_to_string (
        g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
  page.local_address = local_text;
  dp_webui_server_sample_calls (self);
  respond_html (msg, status, dp_webui_render_config_page (&page));
}

static void
serve_asset (SoupServerMessage *msg, const char *path)
{
  g_autofree char *resource = g_strconcat ("/org/deskphone/webui", path, NULL);
  g_autoptr(GBytes) bytes = g_resource_lookup_data (dp_webui_get_resource (), resource,
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  const char *type = g_str_has_suffix (path, ".css") ? "text/css; charset=utf-8"
                                                     : "application/octet-stream";

  if (bytes == NULL)
    {
      respond (msg, SOUP_STATUS_NOT_FOUND, "text/plain", g_strdup ("not found\n"));
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
serve_login (DpWebuiServer *self, SoupServerMessage *msg, const char *account, guint status,
             const char *message)
{
  g_autofree char *token = dp_webui_random_token (16);

  set_cookie (msg, LOGIN_COOKIE, token, 1);
  respond_html (msg, status, dp_webui_render_login (page_lang (self), account, token, message));
}

static void
serve_setup (DpWebuiServer *self, SoupServerMessage *msg, guint status, const char *message)
{
  g_autofree char *token = dp_webui_random_token (16);

  set_cookie (msg, LOGIN_COOKIE, token, 1);
  respond_html (msg, status, dp_webui_render_setup (page_lang (self), token, message));
}

static gboolean
login_token_ok (SoupServerMessage *msg, GHashTable *form)
{
  g_autofree char *cookie = get_cookie (msg, LOGIN_COOKIE);

  return origin_ok (msg) && cookie != NULL && *cookie != '\0' &&
         dp_webui_const_equal (cookie, g_hash_table_lookup (form, "token"));
}

static void
start_session (DpWebuiServer *self, SoupServerMessage *msg, DpWebuiRole role)
{
  g_autofree char *old = get_cookie (msg, SESSION_COOKIE);
  const DpWebuiSession *session;

  /* A fresh id at every login: a planted cookie cannot become a session. */
  dp_webui_sessions_remove (self->sessions, old);
  session = dp_webui_sessions_create (self->sessions, role, now_us (self));
  set_cookie (msg, SESSION_COOKIE, session->id, -1);
  set_cookie (msg, LOGIN_COOKIE, "", 0);
  redirect (msg, role == DP_WEBUI_ROLE_ADMIN ? "/admin/advanced" : "/");
}

static gboolean
check_backoff (DpWebuiServer *self, SoupServerMessage *msg, const char *client)
{
  guint locked = dp_webui_backoff_locked_for_s (self->backoff, client, now_us (self));
  DpWebuiLang lang = page_lang (self);

  if (locked == 0)
    return TRUE;
  {
    g_autofree char *text = g_strdup_printf ("%s %u",
                                             T (lang, "Too many failed logins; wait before trying again. Seconds left:"),
                                             locked);
    g_autofree char *retry = g_strdup_printf ("%u", locked);

    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", retry);
    respond_html (msg, 429, dp_webui_render_message (lang, T (lang, "Login failed"), text, TRUE, 0));
    soup_server_message_set_status (msg, 429, "Too Many Requests");
  }
  return FALSE;
}

typedef struct {
  DpWebuiServer *server;
  SoupServerMessage *msg;
  char *stored;
  char *password;
  char *client;
  char *account;
  gboolean ok;
} LoginJob;

static void
login_job_free (LoginJob *job)
{
  g_object_unref (job->msg);
  g_free (job->stored);
  if (job->password)
    memset (job->password, 0, strlen (job->password));
  g_free (job->password);
  g_free (job->client);
  g_free (job->account);
  g_free (job);
}

static void
verify_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoginJob *job = task_data;

  job->ok = dp_webui_verify_password (job->stored, job->password);
  g_task_return_boolean (task, TRUE);
}

/* PBKDF2 takes long enough on a phone CPU that it runs off the main loop;
 * the message stays paused meanwhile. The server outlives pending jobs:
 * dp_webui_server_free() is only called at plugin deactivation, after which
 * the daemon's loop no longer dispatches them. */
static void
on_verified (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LoginJob *job = g_task_get_task_data (G_TASK (result));
  DpWebuiServer *self = job->server;
  DpWebuiLang lang = page_lang (self);

  if (job->ok)
    {
      dp_webui_backoff_success (self->backoff, job->client);
      g_message ("web login of %s from %s", job->account, job->client);
      start_session (self, job->msg,
                     g_str_equal (job->account, "admin") ? DP_WEBUI_ROLE_ADMIN : DP_WEBUI_ROLE_USER);
    }
  else
    {
      dp_webui_backoff_failure (self->backoff, job->client, now_us (self));
      g_message ("failed web login of %s from %s", job->account, job->client);
      serve_login (self, job->msg, job->account, SOUP_STATUS_FORBIDDEN, T (lang, "Login failed"));
    }
  soup_server_message_unpause (job->msg);
}

static void
handle_login_post (DpWebuiServer *self, SoupServerMessage *msg, const char *client)
{
  g_autoptr(GHashTable) form = read_form (self, msg);
  const char *account, *password;
  DpWebuiLang lang = page_lang (self);
  const char *stored;
  LoginJob *job;
  g_autoptr(GTask) task = NULL;

  if (form == NULL)
    return;
  account = g_hash_table_lookup (form, "account");
  password = g_hash_table_lookup (form, "password");
  if (!login_token_ok (msg, form))
    {
      serve_login (self, msg, account, SOUP_STATUS_FORBIDDEN, T (lang, "Login failed"));
      return;
    }
  if (g_strcmp0 (account, "admin") != 0 && g_strcmp0 (account, "user") != 0)
    {
      serve_login (self, msg, "admin", SOUP_STATUS_FORBIDDEN, T (lang, "Login failed"));
      return;
    }
  if (!check_backoff (self, msg, client))
    return;
  if (g_str_equal (account, "admin") && !dp_config_get_bool (self->config, "Enable_Web_Admin_Access"))
    {
      respond_denied (self, msg, SOUP_STATUS_FORBIDDEN, "Enable_Web_Admin_Access is No");
      return;
    }
  stored = dp_config_get (self->config, g_str_equal (account, "admin") ? "Admin_Passwd" : "User_Password");
  if (stored == NULL || *stored == '\0')
    {
      if (g_str_equal (account, "admin"))
        redirect (msg, "/setup");
      else
        serve_login (self, msg, account, SOUP_STATUS_FORBIDDEN,
                     T (lang, "The user account is disabled until the administrator sets User_Password."));
      return;
    }

  job = g_new0 (LoginJob, 1);
  job->server = self;
  job->msg = g_object_ref (msg);
  job->stored = g_strdup (stored);
  job->password = g_strdup (password ? password : "");
  job->client = g_strdup (client);
  job->account = g_strdup (account);
  task = g_task_new (NULL, NULL, on_verified, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) login_job_free);
  soup_server_message_pause (msg);
  g_task_run_in_thread (task, verify_in_thread);
}

static void
handle_setup (DpWebuiServer *self, SoupServerMessage *msg, const char *client)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GError) error = NULL;
  const char *code, *password, *password2;

  if (!dp_webui_server_needs_setup (self))
    {
      redirect (msg, "/login?account=admin");
      return;
    }
  if (!dp_config_get_bool (self->config, "Enable_Web_Admin_Access"))
    {
      respond_denied (self, msg, SOUP_STATUS_FORBIDDEN, "Enable_Web_Admin_Access is No");
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      serve_setup (self, msg, SOUP_STATUS_OK, NULL);
      return;
    }
  form = read_form (self, msg);
  if (form == NULL)
    return;
  if (!login_token_ok (msg, form))
    {
      serve_setup (self, msg, SOUP_STATUS_FORBIDDEN, "the form expired; try again");
      return;
    }
  if (!check_backoff (self, msg, client))
    return;
  code = g_hash_table_lookup (form, "code");
  password = g_hash_table_lookup (form, "password");
  password2 = g_hash_table_lookup (form, "password2");
  if (self->setup_code == NULL || !dp_webui_const_equal (code, self->setup_code))
    {
      dp_webui_backoff_failure (self->backoff, client, now_us (self));
      g_message ("wrong web setup code from %s", client);
      serve_setup (self, msg, SOUP_STATUS_FORBIDDEN, "wrong setup code");
      return;
    }
  if (password == NULL || g_utf8_strlen (password, -1) < MIN_PASSWORD_LENGTH)
    {
      serve_setup (self, msg, SOUP_STATUS_BAD_REQUEST, "the password needs at least 8 characters");
      return;
    }
  if (g_strcmp0 (password, password2) != 0)
    {
      serve_setup (self, msg, SOUP_STATUS_BAD_REQUEST, "the two passwords differ");
      return;
    }
  /* The plugin's changed:: handler replaces the plain value by its hash. */
  if (!dp_config_set (self->config, "Admin_Passwd", password, &error))
    {
      serve_setup (self, msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
      return;
    }
  dp_webui_backoff_success (self->backoff, client);
  g_message ("admin password set through the web setup from %s", client);
  start_session (self, msg, DP_WEBUI_ROLE_ADMIN);
}

static void
handle_submit (DpWebuiServer *self, SoupServerMessage *msg, const DpWebuiSession *session,
               DpWebuiRole role)
{
  g_autoptr(GHashTable) form = read_form (self, msg);
  g_autoptr(GHashTable) errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *view;
  gboolean advanced;
  DpWebuiLang lang = page_lang (self);
  guint applied = 0;

  if (form == NULL)
    return;
  view = g_hash_table_lookup (form, "view");
  advanced = g_strcmp0 (view, "basic") != 0;

  if (!csrf_ok (session, msg, g_hash_table_lookup (form, "csrf")))
    {
      respond_denied (self, msg, SOUP_STATUS_FORBIDDEN, "missing or wrong CSRF token");
      return;
    }
  if (!dp_webui_form_apply (self->config, form, role, errors, &applied))
    {
      const char *general = g_hash_table_lookup (errors, DP_WEBUI_GENERAL_ERROR);
      g_autofree char *notice = g_strdup_printf ("%s%s%s",
                                                 T (lang, "Nothing was changed: correct the fields marked below."),
                                                 general ? " " : "", general ? general : "");

      g_message ("web submit rejected: %u field(s) invalid", g_hash_table_size (errors));
      serve_config_page (self, msg, session, role, advanced, SOUP_STATUS_BAD_REQUEST, form, errors,
                         notice, TRUE);
      return;
    }
  g_message ("web submit applied %u change(s)", applied);
  {
    g_autofree char *location = g_strdup_printf ("%s?saved=%u",
                                                 role == DP_WEBUI_ROLE_USER ? "/" :
                                                 advanced ? "/admin/advanced" : "/admin/basic",
                                                 applied);
    redirect (msg, location);
  }
}

static void
handle_action (DpWebuiServer *self, SoupServerMessage *msg, const DpWebuiSession *session,
               const char *action)
{
  DpWebuiLang lang = page_lang (self);
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      /* The SPA's GET form: the whole query is the URL argument. Only a
       * confirmation page, since a GET must not change anything. */
      const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
      g_autofree char *unescaped = query ? g_uri_unescape_string (query, NULL) : NULL;

      respond_html (msg, SOUP_STATUS_OK,
                    dp_webui_render_confirm (lang, action, unescaped ? unescaped : query, session->csrf));
      return;
    }
  form = read_form (self, msg);
  if (form == NULL)
    return;
  if (!csrf_ok (session, msg, g_hash_table_lookup (form, "csrf")))
    {
      respond_denied (self, msg, SOUP_STATUS_FORBIDDEN, "missing or wrong CSRF token");
      return;
    }
  arg = g_hash_table_lookup (form, "arg");
  if (arg != NULL && *arg == '\0')
    arg = NULL;
  g_message ("web action %s%s%s", action, arg ? " " : "", arg ? arg : "");
  if (!dp_core_run_action (self->core, action, arg, &error))
    {
      respond_html (msg, SOUP_STATUS_CONFLICT,
                    dp_webui_render_message (lang, T (lang, "Action failed"), error->message, TRUE, 0));
      return;
    }
  if (g_str_equal (action, "upgrade"))
    redirect (msg, "/admin/upgrade-status");
  else
    respond_html (msg, SOUP_STATUS_OK,
                  dp_webui_render_message (lang, T (lang, "Action started"), action, FALSE, 0));
}

static void
handle_import (DpWebuiServer *self, SoupServerMessage *msg, const DpWebuiSession *session)
{
  DpWebuiLang lang = page_lang (self);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(GBytes) profile_bytes = NULL;
  g_autofree char *csrf = NULL;
  g_autoptr(DpProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  DpApplyStats stats = { 0 };

  multipart = soup_multipart_new_from_message (soup_server_message_get_request_headers (msg), bytes);
  for (int i = 0; multipart != NULL && i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *headers;
      GBytes *part;
      g_autoptr(GHashTable) params = NULL;
      const char *name;

      if (!soup_multipart_get_part (multipart, i, &headers, &part))
        continue;
      if (!soup_message_headers_get_content_disposition (headers, NULL, &params))
        continue;
      name = g_hash_table_lookup (params, "name");
      if (g_strcmp0 (name, "csrf") == 0 && csrf == NULL)
        csrf = g_strndup (g_bytes_get_data (part, NULL), g_bytes_get_size (part));
      else if (g_strcmp0 (name, "profile") == 0 && profile_bytes == NULL)
        profile_bytes = g_bytes_ref (part);
    }
  if (!csrf_ok (session, msg, csrf))
    {
      respond_denied (self, msg, SOUP_STATUS_FORBIDDEN, "missing or wrong CSRF token");
      return;
    }
  if (profile_bytes == NULL)
    {
      respond_html (msg, SOUP_STATUS_BAD_REQUEST,
                    dp_webui_render_message (lang, T (lang, "Import configuration"),
                                             "no profile file in the request", TRUE, 0));
      return;
    }
  profile = dp_profile_parse (profile_bytes, NULL, NULL, &error);
  if (profile == NULL || !dp_config_apply (self->config, profile, &stats, &error))
    {
      respond_html (msg, SOUP_STATUS_BAD_REQUEST,
                    dp_webui_render_message (lang, T (lang, "Import configuration"), error->message,
                                             TRUE, 0));
      return;
    }
  g_message ("web import applied %u change(s)", stats.applied);
  {
    g_autofree char *text = g_strdup_printf ("%s: %u", T (lang, "Changes saved"), stats.applied);
    respond_html (msg, SOUP_STATUS_OK,
                  dp_webui_render_message (lang, T (lang, "Import configuration"), text, FALSE, 0));
  }
}

static void
handle_admin (DpWebuiServer *self, SoupServerMessage *msg, const char *path,
              const DpWebuiSession *session, GHashTable *query)
{
  gboolean post = soup_server_message_get_method (msg) == SOUP_METHOD_POST;
  DpWebuiLang lang = page_lang (self);

  if (!post && (g_str_equal (path, "/admin") || g_str_equal (path, "/admin/") ||
                g_str_equal (path, "/admin/basic") || g_str_equal (path, "/admin/advanced")))
    {
      const char *saved = query ? g_hash_table_lookup (query, "saved") : NULL;
      g_autofree char *notice = saved ? g_strdup_printf ("%s: %s", T (lang, "Changes saved"), saved) : NULL;

      serve_config_page (self, msg, session, DP_WEBUI_ROLE_ADMIN,
                         g_str_equal (path, "/admin/advanced"), SOUP_STATUS_OK, NULL, NULL, notice, FALSE);
    }
  else if (post && g_str_equal (path, "/admin/submit"))
    handle_submit (self, msg, session, DP_WEBUI_ROLE_ADMIN);
  else if (g_str_equal (path, "/admin/resync"))
    handle_action (self, msg, session, "resync");
  else if (g_str_equal (path, "/admin/upgrade"))
    handle_action (self, msg, session, "upgrade");
  else if (g_str_equal (path, "/admin/reboot"))
    handle_action (self, msg, session, "reboot");
  else if (!post && g_str_equal (path, "/admin/upgrade-status"))
    {
      g_autoptr(JsonNode) prov = dp_core_build_status_member (self->core, "provisioning");

      respond_html (msg, SOUP_STATUS_OK, dp_webui_render_progress (lang, prov));
    }
  else if (!post && g_str_equal (path, "/admin/config.xml"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Content-Disposition", "attachment; filename=\"deskphone-config.xml\"");
      respond (msg, SOUP_STATUS_OK, "application/xml", dp_webui_export_profile (self->config));
    }
  else if (post && g_str_equal (path, "/admin/import"))
    handle_import (self, msg, session);
  else
    respond_html (msg, SOUP_STATUS_NOT_FOUND,
                  dp_webui_render_message (lang, T (lang, "Not found"), path, TRUE, 0));
}

/* Personal directory and call history (issue 11), for either account. */

static void
serve_directory (DpWebuiServer *self, SoupServerMessage *msg, const DpWebuiSession *session,
                 guint status, const char *edit_id, GHashTable *submitted, GHashTable *errors,
                 const char *notice, gboolean notice_is_error)
{
  DpWebuiDirectoryPage page = {
    .directory = dp_core_get_directory (self->core),
    .lang = page_lang (self),
    .role = session->role,
    .csrf = session->csrf,
    .edit_id = edit_id,
    .submitted = submitted,
    .errors = errors,
    .notice = notice,
    .notice_is_error = notice_is_error,
  };

  respond_html (msg, status, dp_webui_render_directory (&page));
}

/* Checks name and number one at a time so each message lands next to its
 * own field (dp_directory_check() stops at the first problem). */
static gboolean
check_entry (const char *name, const char *number, GHashTable *errors)
{
  g_autoptr(GError) name_error = NULL;
  g_autoptr(GError) number_error = NULL;

  if (!dp_directory_check (name ? name : "", "0", &name_error))
    g_hash_table_insert (errors, g_strdup ("name"), g_strdup (name_error->message));
  if (!dp_directory_check ("x", number ? number : "", &number_error))
    g_hash_table_insert (errors, g_strdup ("number"), g_strdup (number_error->message));
  return g_hash_table_size (errors) == 0;
}

static void
handle_directory_post (DpWebuiServer *self, SoupServerMessage *msg, const char *path,
                       const DpWebuiSession *session)
{
  g_autoptr(GHashTable) form = read_form (self, msg);
  g_autoptr(GHashTable) errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  DpDirectory *directory = dp_core_get_directory (self->core);
  DpWebuiLang lang = page_lang (self);
  const char *id, *name, *number;

  if (form == NULL)
    return;
  if (!csrf_ok (session, msg, g_hash_table_lookup (form, "csrf")))
    {
      respond_denied (self, msg, SOUP_STATUS_FORBIDDEN, "missing or wrong CSRF token");
      return;
    }
  id = g_hash_table_lookup (form, "id");
  name = g_hash_table_lookup (form, "name");
  number = g_hash_table_lookup (form, "number");

  if (g_str_equal (path, "/directory/add") || g_str_equal (path, "/directory/edit"))
    {
      gboolean add = g_str_equal (path, "/directory/add");
      g_autofree char *new_id = NULL;
      gboolean ok = FALSE;

      if (!add && (id == NULL || dp_directory_lookup (directory, id) == NULL))
        {
          serve_directory (self, msg, session, SOUP_STATUS_NOT_FOUND, NULL, NULL, NULL,
                           T (lang, "No such directory entry."), TRUE);
          return;
        }
      if (check_entry (name, number, errors))
        {
          if (add)
            ok = (new_id = dp_directory_add_contact (directory, name, number, &error)) != NULL;
          else
            ok = dp_directory_update_contact (directory, id, name, number, &error);
        }
      if (!ok)
        {
          if (error != NULL)
            g_hash_table_insert (errors, g_strdup (error->code == DP_DIRECTORY_ERROR_INVALID ? "name" : ""),
                                 g_strdup (error->message));
          serve_directory (self, msg, session,
                           error != NULL && error->code == DP_DIRECTORY_ERROR_STORAGE
                           ? SOUP_STATUS_INTERNAL_SERVER_ERROR : SOUP_STATUS_BAD_REQUEST,
                           add ? NULL : id, form, errors,
                           error != NULL && error->code != DP_DIRECTORY_ERROR_INVALID
                           ? error->message : T (lang, "Nothing was changed: correct the fields marked below."),
                           TRUE);
          return;
        }
      g_message ("web directory: %s entry %s", add ? "added" : "edited", add ? new_id : id);
      redirect (msg, "/directory?saved=1");
      return;
    }
  if (g_str_equal (path, "/directory/delete"))
    {
      if (id == NULL || !dp_directory_delete_contact (directory, id, &error))
        {
          serve_directory (self, msg, session,
                           error && error->code == DP_DIRECTORY_ERROR_STORAGE
                           ? SOUP_STATUS_INTERNAL_SERVER_ERROR : SOUP_STATUS_NOT_FOUND,
                           NULL, NULL, NULL, error ? error->message : T (lang, "No such directory entry."), TRUE);
          return;
        }
      g_message ("web directory: deleted entry %s", id);
      redirect (msg, "/directory?saved=1");
      return;
    }
  if (g_str_equal (path, "/directory/dial"))
    {
      const DpDirectoryEntry *entry = id ? dp_directory_lookup (directory, id) : NULL;
      g_autoptr(DpCall) call = NULL;
      g_autofree char *text = NULL;

      if (entry == NULL)
        {
          serve_directory (self, msg, session, SOUP_STATUS_NOT_FOUND, NULL, NULL, NULL,
                           T (lang, "No such directory entry."), TRUE);
          return;
        }
      /* Line 0: the core picks the default line, as the phone's dial key. */
      call = dp_core_dial (self->core, 0, entry->number, &error);
      if (call == NULL)
        {
          text = g_strdup_printf ("%s: %s", T (lang, "Dialing failed"), error->message);
          serve_directory (self, msg, session, SOUP_STATUS_CONFLICT, NULL, NULL, NULL, text, TRUE);
          return;
        }
      g_message ("web directory: dialing entry %s", id);
      text = g_strdup_printf ("%s %s", T (lang, "Dialing"), entry->number);
      serve_directory (self, msg, session, SOUP_STATUS_OK, NULL, NULL, NULL, text, FALSE);
      return;
    }
  respond_html (msg, SOUP_STATUS_NOT_FOUND, dp_webui_render_message (lang, T (lang, "Not found"), path, TRUE, 0));
}

static void
handle_personal (DpWebuiServer *self, SoupServerMessage *msg, const char *path,
                 const DpWebuiSession *session, GHashTable *query)
{
  gboolean post = soup_server_message_get_method (msg) == SOUP_METHOD_POST;
  DpWebuiLang lang = page_lang (self);

  if (post)
    handle_directory_post (self, msg, path, session);
  else if (g_str_equal (path, "/directory"))
    {
      const char *edit = query ? g_hash_table_lookup (query, "edit") : NULL;
      const char *saved = query ? g_hash_table_lookup (query, "saved") : NULL;

      serve_directory (self, msg, session, SOUP_STATUS_OK, edit, NULL, NULL,
                       saved ? T (lang, "Changes saved") : NULL, FALSE);
    }
  else if (g_str_equal (path, "/history"))
    respond_html (msg, SOUP_STATUS_OK,
                  dp_webui_render_history (lang, session->role, session->csrf,
                                           dp_core_get_call_history (self->core)));
  else
    respond_html (msg, SOUP_STATUS_NOT_FOUND, dp_webui_render_message (lang, T (lang, "Not found"), path, TRUE, 0));
}

/* With HTTPS on, plain HTTP only points there: a session cookie is
 * `Secure` and a password must not cross the network in clear. */
static void
redirect_to_https (DpWebuiServer *self, SoupServerMessage *msg, const char *host_header)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *host = host_without_port (host_header);
  g_autofree char *location = NULL;
  DpWebuiLang lang = page_lang (self);

  if (*host == '\0')
    {
      GSocketAddress *local = soup_server_message_get_local_address (msg);

      g_free (host);
      host = local && G_IS_INET_SOCKET_ADDRESS (local)
             ? g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)))
             : g_strdup ("localhost");
    }
  location = g_strdup_printf (strchr (host, ':') ? "https://[%s]:%u%s%s%s" : "https://%s:%u%s%s%s",
                              host, self->https_port, g_uri_get_path (uri),
                              g_uri_get_query (uri) ? "?" : "",
                              g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
  if (soup_server_message_get_method (msg) == SOUP_METHOD_POST)
    {
      /* The form data already crossed in clear; do not act on it. */
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
      respond_html (msg, SOUP_STATUS_FORBIDDEN,
                    dp_webui_render_message (lang, T (lang, "Use HTTPS"), location, TRUE, 0));
      return;
    }
  soup_server_message_set_redirect (msg, SOUP_STATUS_PERMANENT_REDIRECT, location);
}

static void
on_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer user_data)
{
  DpWebuiServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  gboolean post = method == SOUP_METHOD_POST;
  g_autofree char *client = normalized_client (msg);
  const char *host = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Host");
  const DpWebuiSession *session;
  DpWebuiLang lang = page_lang (self);

  set_security_headers (msg);
  if (!dp_webui_client_allowed (dp_config_get (self->config, "Restricted_Access_Domains"), client, host))
    {
      respond_denied (self, msg, SOUP_STATUS_FORBIDDEN, "Restricted_Access_Domains");
      return;
    }
  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD && !post)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  if (is_https (msg))
    /* Browsers ignore it for IP-address hosts, which phones mostly are. */
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Strict-Transport-Security", "max-age=31536000");
  else if (self->https_port != 0)
    {
      redirect_to_https (self, msg, host);
      return;
    }
  if (g_str_has_prefix (path, "/assets/") && !post)
    {
      serve_asset (msg, path);
      return;
    }
  if (g_str_equal (path, "/login"))
    {
      if (post)
        handle_login_post (self, msg, client);
      else
        serve_login (self, msg, query ? g_hash_table_lookup (query, "account") : NULL, SOUP_STATUS_OK, NULL);
      return;
    }
  if (g_str_equal (path, "/setup"))
    {
      handle_setup (self, msg, client);
      return;
    }

  session = current_session (self, msg);
  if (g_str_equal (path, "/logout") && post)
    {
      g_autoptr(GHashTable) form = read_form (self, msg);

      if (form == NULL)
        return;
      if (!csrf_ok (session, msg, g_hash_table_lookup (form, "csrf")))
        {
          respond_denied (self, msg, SOUP_STATUS_FORBIDDEN, "missing or wrong CSRF token");
          return;
        }
      dp_webui_sessions_remove (self->sessions, session->id);
      set_cookie (msg, SESSION_COOKIE, "", 0);
      redirect (msg, "/login");
      return;
    }
  if (g_str_equal (path, "/admin") || g_str_has_prefix (path, "/admin/") ||
      g_str_equal (path, "/upgrade"))
    {
      if (!dp_config_get_bool (self->config, "Enable_Web_Admin_Access"))
        {
          respond_denied (self, msg, SOUP_STATUS_FORBIDDEN, "Enable_Web_Admin_Access is No");
          return;
        }
      if (session == NULL)
        {
          if (post)
            respond_denied (self, msg, SOUP_STATUS_FORBIDDEN, "not logged in");
          else
            redirect (msg, "/login?account=admin");
          return;
        }
      if (session->role != DP_WEBUI_ROLE_ADMIN)
        {
          respond_denied (self, msg, SOUP_STATUS_FORBIDDEN, "this page needs the admin account");
          return;
        }
      /* Sipura also accepts /upgrade?URL. */
      handle_admin (self, msg, g_str_equal (path, "/upgrade") ? "/admin/upgrade" : path, session, query);
      return;
    }
  if (g_str_equal (path, "/directory") || g_str_has_prefix (path, "/directory/") ||
      g_str_equal (path, "/history"))
    {
      if (session == NULL)
        {
          if (post)
            respond_denied (self, msg, SOUP_STATUS_FORBIDDEN, "not logged in");
          else
            redirect (msg, "/login?account=user");
          return;
        }
      handle_personal (self, msg, path, session, query);
      return;
    }
  if (g_str_equal (path, "/") || g_str_equal (path, "/submit"))
    {
      if (session == NULL)
        {
          if (post)
            respond_denied (self, msg, SOUP_STATUS_FORBIDDEN, "not logged in");
          else
            redirect (msg, "/login?account=user");
          return;
        }
      if (post && g_str_equal (path, "/submit"))
        handle_submit (self, msg, session, DP_WEBUI_ROLE_USER);
      else if (!post && g_str_equal (path, "/"))
        {
          const char *saved = query ? g_hash_table_lookup (query, "saved") : NULL;
          g_autofree char *notice = saved ? g_strdup_printf ("%s: %s", T (lang, "Changes saved"), saved) : NULL;

          serve_config_page (self, msg, session, DP_WEBUI_ROLE_USER, TRUE, SOUP_STATUS_OK, NULL, NULL,
                             notice, FALSE);
        }
      else
        soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  respond_html (msg, SOUP_STATUS_NOT_FOUND, dp_webui_render_message (lang, T (lang, "Not found"), path, TRUE, 0));
}

/* Request limits, enforced while the request is read: the handler only
 * runs once the whole body is in memory, too late to refuse a flood. */

static void
on_reject_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GIOStream *stream = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (stream);
}

/* Answers @status and drops the connection without reading the rest of
 * the request: libsoup would otherwise read (and, with Content-Length,
 * wait for) the whole body before sending any answer. The connection is
 * taken from libsoup and the response written by hand. */
static void
reject_request (SoupServerMessage *msg, guint status, const char *reason, const char *why)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  g_autofree char *body = NULL;
  g_autofree char *head = NULL;
  char *response;

  if (stream == NULL)
    return;
  body = g_strdup_printf ("%u %s: %s\n", status, reason, why);
  head = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Content-Security-Policy: %s\r\n"
                          "X-Content-Type-Options: nosniff\r\n"
                          "Cache-Control: no-store\r\n"
                          "Connection: close\r\n\r\n",
                          status, reason, strlen (body), csp);
  response = g_strconcat (head, body, NULL);
  g_message ("web request refused: %u %s", status, why);
  /* The buffer lives as long as the stream's data, freed with it. */
  g_object_set_data_full (G_OBJECT (stream), "dp-webui-reject", response, g_free);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), response, strlen (response),
                                   G_PRIORITY_DEFAULT, NULL, on_reject_written, g_object_ref (stream));
}

goffset
dp_webui_body_limit (const char *method, const char *path)
{
  if (g_strcmp0 (method, SOUP_METHOD_POST) == 0 && g_strcmp0 (path, "/admin/import") == 0)
    return MAX_IMPORT_BODY;
  return MAX_FORM_BODY;
}

static goffset
message_body_limit (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);

  return dp_webui_body_limit (soup_server_message_get_method (msg), uri ? g_uri_get_path (uri) : NULL);
}

static void
count_header (const char *name, const char *value, gpointer user_data)
{
  gsize *totals = user_data;

  totals[0]++;
  totals[1] += strlen (name) + strlen (value) + 4;
}

static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  goffset limit = message_body_limit (msg);
  goffset *count = g_object_get_data (G_OBJECT (msg), BODY_COUNT_KEY);

  if (count == NULL)
    {
      count = g_new0 (goffset, 1);
      g_object_set_data_full (G_OBJECT (msg), BODY_COUNT_KEY, count, g_free);
    }
  *count += g_bytes_get_size (chunk);
  /* Chunked bodies announce no length: they are cut off here. */
  if (*count > limit)
    {
      g_autofree char *why = g_strdup_printf ("the request body is larger than %" G_GOFFSET_FORMAT " bytes",
                                              limit);

      g_signal_handlers_disconnect_by_func (msg, on_got_chunk, user_data);
      reject_request (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Content Too Large", why);
    }
}

static void
on_got_headers (SoupServerMessage *msg, gpointer user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset limit = message_body_limit (msg);
  gsize totals[2] = { 0, 0 };

  /* libsoup itself drops a request whose header block exceeds its own
   * buffer (64 KiB) without an answer; below that, ours answer 431. */
  soup_message_headers_foreach (headers, count_header, totals);
  if (totals[0] > MAX_HEADER_COUNT || totals[1] > MAX_HEADER_BYTES)
    {
      g_autofree char *why = g_strdup_printf ("%" G_GSIZE_FORMAT " header fields of %" G_GSIZE_FORMAT
                                              " bytes; the limit is %d fields, %d bytes",
                                              totals[0], totals[1], MAX_HEADER_COUNT, MAX_HEADER_BYTES);

      g_signal_handlers_disconnect_by_func (msg, on_got_chunk, user_data);
      reject_request (msg, 431, "Request Header Fields Too Large", why);
      return;
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > limit)
    {
      g_autofree char *why = g_strdup_printf ("Content-Length %" G_GOFFSET_FORMAT " is larger than the limit of %"
                                              G_GOFFSET_FORMAT " bytes",
                                              soup_message_headers_get_content_length (headers), limit);

      g_signal_handlers_disconnect_by_func (msg, on_got_chunk, user_data);
      reject_request (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Content Too Large", why);
    }
}

static void
on_request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  DpWebuiServer *self = user_data;

  if (!dp_webui_conn_guard_admit (self->connections, msg))
    return;
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), user_data);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), user_data);
}

/* Listening */

static guint
listener_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (socket, NULL);

  if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/* Listens and returns the port actually bound, 0 on failure. */
static guint
listen_on (DpWebuiServer *self, const char *bind_address, guint port, SoupServerListenOptions options,
           GError **error)
{
  g_autoptr(GSList) before = soup_server_get_listeners (self->soup);
  g_autoptr(GSList) after = NULL;
  gboolean ok;

  if (bind_address == NULL || *bind_address == '\0')
    ok = soup_server_listen_all (self->soup, port, options, error);
  else
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (bind_address);
      g_autoptr(GSocketAddress) socket_address = NULL;

      if (address == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Web_Server_Bind_Address: \"%s\" is not an IP address"), bind_address);
          return 0;
        }
      socket_address = g_inet_socket_address_new (address, port);
      ok = soup_server_listen (self->soup, socket_address, options, error);
    }
  if (!ok)
    return 0;
  after = soup_server_get_listeners (self->soup);
  for (GSList *l = after; l != NULL; l = l->next)
    if (g_slist_find (before, l->data) == NULL)
      return listener_port (l->data);
  return port;
}

gboolean
dp_webui_server_start (DpWebuiServer *self, GError **error)
{
  const char *bind_address = dp_config_get (self->config, "Web_Server_Bind_Address");

  dp_webui_server_stop (self);
  if (!dp_config_get_bool (self->config, "Enable_Web_Server"))
    {
      g_message ("web server disabled (Enable_Web_Server = No)");
      return TRUE;
    }
  self->http_port = listen_on (self, bind_address,
                               (guint) dp_config_get_int (self->config, "Web_Server_Port"), 0, error);
  if (self->http_port == 0)
    {
      g_prefix_error (error, "web server on port %" G_GINT64_FORMAT ": ",
                      dp_config_get_int (self->config, "Web_Server_Port"));
      return FALSE;
    }
  dp_core_set_port (self->core, "web", 0, self->http_port);
  g_message ("web server listening on port %u", self->http_port);

  if (dp_config_get_bool (self->config, "Web_HTTPS_Enable"))
    {
      const char *file = dp_config_get (self->config, "Web_HTTPS_Certificate");
      g_autofree char *path = g_path_is_absolute (file)
                              ? g_strdup (file)
                              : g_build_filename (dp_core_get_state_dir (self->core), file, NULL);
      g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_file (path, error);

      if (certificate == NULL)
        {
          g_prefix_error (error, _("Web_HTTPS_Certificate %s: "), path);
          return FALSE;
        }
      soup_server_set_tls_certificate (self->soup, certificate);
      self->https_port = listen_on (self, bind_address,
                                    (guint) dp_config_get_int (self->config, "Web_HTTPS_Port"),
                                    SOUP_SERVER_LISTEN_HTTPS, error);
      if (self->https_port == 0)
        {
          g_prefix_error (error, _("HTTPS web server: "));
          return FALSE;
        }
      dp_core_set_port (self->core, "web-https", 0, self->https_port);
      g_message ("HTTPS web server listening on port %u", self->https_port);
    }
  return TRUE;
}

void
dp_webui_server_stop (DpWebuiServer *self)
{
  soup_server_disconnect (self->soup);
  if (self->http_port != 0)
    dp_core_set_port (self->core, "web", 0, 0);
  if (self->https_port != 0)
    dp_core_set_port (self->core, "web-https", 0, 0);
  self->http_port = 0;
  self->https_port = 0;
}

guint
dp_webui_server_get_http_port (DpWebuiServer *self)
{
  return self->http_port;
}

guint
dp_webui_server_get_https_port (DpWebuiServer *self)
{
  return self->https_port;
}

void
dp_webui_server_set_setup_code (DpWebuiServer *self, const char *code)
{
  g_free (self->setup_code);
  self->setup_code = g_strdup (code);
}

gboolean
dp_webui_server_needs_setup (DpWebuiServer *self)
{
  const char *admin = dp_config_get (self->config, "Admin_Passwd");

  return admin == NULL || *admin == '\0';
}

void
dp_webui_server_drop_sessions (DpWebuiServer *self)
{
  dp_webui_sessions_clear (self->sessions);
}

void
dp_webui_server_set_clock (DpWebuiServer *self, DpWebuiClock clock)
{
  self->clock = clock;
}

static double
member_double (JsonObject *object, const char *a, const char *b)
{
  const char *names[] = { a, b };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (names[i] && json_object_has_member (object, names[i]))
      {
        JsonNode *node = json_object_get_member (object, names[i]);

        if (JSON_NODE_HOLDS_VALUE (node))
          return json_node_get_value_type (node) == G_TYPE_DOUBLE ? json_node_get_double (node)
                                                                   : (double) json_node_get_int (node);
      }
  return 0;
}

/* Keeps a jitter/loss history per current call (the media plugin's stats
 * carry `jitter_ms` and `lost`, see DpMediaSessionClass.get_stats) for the
 * Info tab chart; histories of ended calls are dropped. */
void
dp_webui_server_sample_calls (DpWebuiServer *self)
{
  GListModel *calls = dp_core_get_calls (self->core);
  g_autoptr(GHashTable) live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;
  double t_s = (now_us (self) - self->history_origin_us) / (double) G_USEC_PER_SEC;

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr(DpCall) call = g_list_model_get_item (calls, i);
      g_autoptr(JsonNode) node = dp_call_to_json (call);
      JsonObject *object = json_node_get_object (node);
      const char *id = json_object_has_member (object, "id") ? json_object_get_string_member (object, "id") : NULL;
      JsonNode *rtp = json_object_has_member (object, "rtp") ? json_object_get_member (object, "rtp") : NULL;
      GArray *history;
      DpWebuiSample sample;

      if (id == NULL)
        continue;
      g_hash_table_add (live, g_strdup (id));
      if (rtp == NULL || !JSON_NODE_HOLDS_OBJECT (rtp))
        continue;
      history = g_hash_table_lookup (self->histories, id);
      if (history == NULL)
        {
          history = g_array_new (FALSE, FALSE, sizeof (DpWebuiSample));
          g_hash_table_insert (self->histories, g_strdup (id), history);
        }
      sample.t_s = t_s;
      sample.jitter_ms = member_double (json_node_get_object (rtp), "jitter_ms", "jitter");
      sample.lost = member_double (json_node_get_object (rtp), "lost", "packets_lost");
      if (history->len > 0 && g_array_index (history, DpWebuiSample, history->len - 1).t_s >= t_s)
        continue;
      if (history->len >= MAX_HISTORY)
        g_array_remove_index (history, 0);
      g_array_append_val (history, sample);
    }
  g_hash_table_iter_init (&iter, self->histories);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (live, key))
      g_hash_table_iter_remove (&iter);
}

DpWebuiServer *
dp_webui_server_new (DpCore *core)
{
  DpWebuiServer *self = g_new0 (DpWebuiServer, 1);

  self->core = g_object_ref (core);
  self->config = g_object_ref (dp_core_get_config (core));
  self->soup = soup_server_new ("server-header", "deskphone", NULL);
  self->sessions = dp_webui_sessions_new ();
  self->backoff = dp_webui_backoff_new ();
  self->connections = dp_webui_conn_guard_new (DP_WEBUI_IDLE_TIMEOUT_S, DP_WEBUI_MAX_CONNECTIONS,
                                               DP_WEBUI_MAX_CONNECTIONS_PER_CLIENT);
  self->histories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_array_unref);
  self->history_origin_us = g_get_monotonic_time ();
  /* Registered by hand (see meson.build) and released in _free(), which
   * the plugin's deactivate() reaches before the process exits. */
  dp_webui_register_resource ();
  soup_server_add_handler (self->soup, NULL, on_request, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  return self;
}

void
dp_webui_server_free (DpWebuiServer *self)
{
  if (self == NULL)
    return;
  dp_webui_server_stop (self);
  soup_server_remove_handler (self->soup, NULL);
  g_clear_object (&self->soup);
  dp_webui_sessions_free (self->sessions);
  dp_webui_backoff_free (self->backoff);
  g_clear_pointer (&self->connections, dp_webui_conn_guard_free);
  g_hash_table_unref (self->histories);
  g_free (self->setup_code);
  dp_webui_unregister_resource ();
  g_clear_object (&self->config);
  g_clear_object (&self->core);
  g_free (self);
}
