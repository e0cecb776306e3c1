/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The rss plugin: the SPA962 web information service. For each of
 * RSS_Feed_URL_1..5 (`name=...;url=...`, see dp-feed-script.h) it fetches
 * the feed with libsoup 3 every Feed_Data_Update_Interval_m_ minutes (0:
 * only at start and on changes), parses it with dp_feed_parse() and keeps
 * per-feed state, published as the "feeds" status section:
 *   [{"index","name","url","items":[{"title","link","date","summary"}],
 *     "last_update"(unix s|null),"error"(string|null),"recovered"(bool)}]
 * and signalled by the plugin's "feeds-changed" signal (feed index) when a
 * feed's items change. Everything runs on the main loop, asynchronously.
 *
 * Decisions:
 * - Web_Serv = No stops all fetching; the feeds are listed with the error
 *   "web information service disabled (Web_Serv = No)" and no items.
 * - Fetch limits: at most DP_RSS_MAX_REDIRECTS redirects (followed by hand,
 *   http/https only), DP_FEED_MAX_SIZE bytes of (decoded) body, and
 *   DP_RSS_TOTAL_TIMEOUT_S for the whole exchange, so a slow or endless
 *   server is cut off. Accept-Encoding is sent by libsoup's content
 *   decoder (gzip, deflate, br when available); the size cap applies after
 *   decoding, which also bounds compression bombs.
 * - Conditional GET: the ETag and Last-Modified of the last 200 are sent
 *   back as If-None-Match / If-Modified-Since; a 304 only refreshes
 *   last_update.
 * - A failed fetch or parse keeps the previous items (the ticker goes on
 *   showing the last good news) and sets "error"; a success clears it.
 * - The environment variable DESKPHONE_FEED_LOOPBACK_ONLY (set by the test
 *   suite) refuses hosts other than 127.0.0.1, ::1 and localhost, so that
 *   the factory feeds (cnn.com, bbc.co.uk ...) are never fetched in tests.
 * - The action "feeds-refresh" (argument: empty for all, or 1..5) fetches
 *   at once, for `deskphonectl` and the tests.
 */
#define G_LOG_DOMAIN "dp-rss"

#include <deskphone.h>
#include <libpeas/peas.h>
#include <libsoup/soup.h>
#include <string.h>

#include "dp-feed-parser.h"
#include "dp-feed-script.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#define DP_RSS_N_FEEDS 5
#define DP_RSS_MAX_REDIRECTS 5
#define DP_RSS_TOTAL_TIMEOUT_S 20
#define DP_RSS_READ_CHUNK 16384

typedef struct _DpRssPlugin DpRssPlugin;

typedef struct {
  DpRssPlugin  *plugin;
  guint         index;          /* 1..5 */
  char         *name;
  char         *url;
  char         *config_error;   /* the script does not parse */
  DpFeed       *feed;           /* last good parse, or NULL */
  gint64        last_update;    /* unix seconds, 0 = never */
  char         *error;
  char         *etag;
  char         *last_modified;

  /* the fetch in progress */
  GCancellable *cancellable;
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  char         *current_url;
  guint         redirects;
  guint         deadline_id;
  gboolean      timed_out;
  guint         refresh_id;     /* periodic timer */
} Feed;

struct _DpRssPlugin
{
  GObject parent_instance;

  DpCore      *core;
  DpConfig    *config;
  SoupSession *session;
  gulong       changed_id;
  guint        start_id;
  Feed         feeds[DP_RSS_N_FEEDS];
};

#define DP_TYPE_RSS_PLUGIN (dp_rss_plugin_get_type ())
G_DECLARE_FINAL_TYPE (DpRssPlugin, dp_rss_plugin, DP, RSS_PLUGIN, GObject)

enum {
  SIGNAL_FEEDS_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void dp_rss_plugin_iface_init (DpPluginInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (DpRssPlugin, dp_rss_plugin, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (DP_TYPE_PLUGIN,
                                                               dp_rss_plugin_iface_init))

static void fetch_start (Feed *feed);
static void fetch_request (Feed *feed);

static gboolean
web_service_enabled (DpRssPlugin *self)
{
  return dp_config_get_bool (self->config, "Web_Serv");
}

static void
fetch_stop (Feed *feed)
{
  if (feed->cancellable != NULL)
    g_cancellable_cancel (feed->cancellable);
  g_clear_object (&feed->cancellable);
  g_clear_object (&feed->message);
  g_clear_object (&feed->stream);
  g_clear_pointer (&feed->body, g_byte_array_unref);
  g_clear_pointer (&feed->current_url, g_free);
  g_clear_handle_id (&feed->deadline_id, g_source_remove);
}

static void
set_error (Feed *feed, const char *message)
{
  g_free (feed->error);
  feed->error = g_strdup (message);
  if (message != NULL)
    g_message ("feed %u (%s): %s", feed->index, feed->url ? feed->url : "-", message);
}

static char *
items_fingerprint (DpFeed *parsed)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (parsed == NULL)
    return g_strdup ("");
  for (guint i = 0; i < parsed->items->len; i++)
    {
      JsonNode *node = dp_feed_item_to_json (parsed->items->pdata[i]);
      g_autofree char *json = json_to_string (node, FALSE);
      json_node_unref (node);
      g_string_append (text, json);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
fetch_done (Feed *feed, DpFeed *parsed, const char *error)
{
  DpRssPlugin *self = feed->plugin;

  fetch_stop (feed);
  set_error (feed, error);
  feed->last_update = g_get_real_time () / G_USEC_PER_SEC;
  if (parsed != NULL)
    {
      g_autofree char *before = items_fingerprint (feed->feed);
      g_autofree char *after = items_fingerprint (parsed);

      g_clear_pointer (&feed->feed, dp_feed_unref);
      feed->feed = dp_feed_ref (parsed);
      if (!g_str_equal (before, after))
        {
          g_signal_emit (self, signals[SIGNAL_FEEDS_CHANGED], 0, feed->index);
          dp_core_notify_status (self->core, "feeds");
        }
    }
}

static gboolean
on_deadline (gpointer user_data)
{
  Feed *feed = user_data;

  feed->deadline_id = 0;
  feed->timed_out = TRUE;
  if (feed->cancellable != NULL)
    g_cancellable_cancel (feed->cancellable);
  return G_SOURCE_REMOVE;
}

static void
fail_from_error (Feed *feed, GError *error)
{
  g_autofree char *message = NULL;

  if (feed->timed_out)
    message = g_strdup_printf ("fetch cut off after %d s", DP_RSS_TOTAL_TIMEOUT_S);
  else
    message = g_strdup_printf ("fetch failed: %s", error->message);
  fetch_done (feed, NULL, message);
}

static void
finish_body (Feed *feed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpFeed) parsed = NULL;
  SoupMessageHeaders *headers = soup_message_get_response_headers (feed->message);
  const char *content_type = soup_message_headers_get_one (headers, "Content-Type");
  const char *etag = soup_message_headers_get_one (headers, "ETag");
  const char *last_modified = soup_message_headers_get_one (headers, "Last-Modified");

  parsed = dp_feed_parse (feed->body->data, feed->body->len, content_type,
                          feed->current_url, &error);
  if (parsed == NULL)
    {
      fetch_done (feed, NULL, error->message);
      return;
    }
  g_free (feed->etag);
  feed->etag = g_strdup (etag);
  g_free (feed->last_modified);
  feed->last_modified = g_strdup (last_modified);
  fetch_done (feed, parsed, NULL);
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Feed *feed = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (chunk == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || feed->timed_out)
        fail_from_error (feed, error);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      finish_body (feed);
      return;
    }
  if (feed->body->len + g_bytes_get_size (chunk) > DP_FEED_MAX_SIZE)
    {
      g_autofree char *message = g_strdup_printf ("feed larger than %d bytes: cut off",
                                                  DP_FEED_MAX_SIZE);
      fetch_done (feed, NULL, message);
      return;
    }
  g_byte_array_append (feed->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (feed->stream, DP_RSS_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   feed->cancellable, on_read, feed);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Feed *feed = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  guint status;

  if (stream == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || feed->timed_out)
        fail_from_error (feed, error);
      return;
    }
  status = soup_message_get_status (feed->message);
  if (SOUP_STATUS_IS_REDIRECTION (status) && status != SOUP_STATUS_NOT_MODIFIED)
    {
      const char *location = soup_message_headers_get_one (
        soup_message_get_response_headers (feed->message), "Location");
      g_autoptr(GUri) next = NULL;

      if (location == NULL || ++feed->redirects > DP_RSS_MAX_REDIRECTS)
        {
          g_autofree char *message = location == NULL
            ? g_strdup_printf ("HTTP %u without Location", status)
            : g_strdup_printf ("more than %d redirects", DP_RSS_MAX_REDIRECTS);
          fetch_done (feed, NULL, message);
          return;
        }
      next = g_uri_parse_relative (soup_message_get_uri (feed->message), location,
                                   SOUP_HTTP_URI_FLAGS, NULL);
      if (next == NULL || (g_strcmp0 (g_uri_get_scheme (next), "http") != 0
                           && g_strcmp0 (g_uri_get_scheme (next), "https") != 0))
        {
          fetch_done (feed, NULL, "redirect to an invalid or non-http(s) URL");
          return;
        }
      g_free (feed->current_url);
      feed->current_url = g_uri_to_string (next);
      g_clear_object (&feed->message);
      fetch_request (feed);
      return;
    }
  if (status == SOUP_STATUS_NOT_MODIFIED)
    {
      g_debug ("feed %u not modified", feed->index);
      fetch_done (feed, NULL, NULL);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *message = g_strdup_printf ("HTTP %u %s", status,
                                                  soup_message_get_reason_phrase (feed->message));
      fetch_done (feed, NULL, message);
      return;
    }
  feed->stream = g_steal_pointer (&stream);
  feed->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (feed->stream, DP_RSS_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   feed->cancellable, on_read, feed);
}

static gboolean
host_allowed (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  const char *host;

  if (uri == NULL)
    return FALSE;
  if (g_getenv ("DESKPHONE_FEED_LOOPBACK_ONLY") == NULL)
    return TRUE;
  host = g_uri_get_host (uri);
  return host != NULL && (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1")
                          || g_ascii_strcasecmp (host, "localhost") == 0);
}

static void
fetch_request (Feed *feed)
{
  DpRssPlugin *self = feed->plugin;
  SoupMessageHeaders *headers;

  if (!host_allowed (feed->current_url))
    {
      fetch_done (feed, NULL, "host refused: DESKPHONE_FEED_LOOPBACK_ONLY is set");
      return;
    }
  feed->message = soup_message_new (SOUP_METHOD_GET, feed->current_url);
  if (feed->message == NULL)
    {
      fetch_done (feed, NULL, "invalid URL");
      return;
    }
  soup_message_add_flags (feed->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (feed->message);
  soup_message_headers_replace (headers, "Accept",
                                "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5");
  /* The validators belong to the configured URL's last answer. */
  if (feed->redirects == 0 && feed->etag != NULL)
    soup_message_headers_replace (headers, "If-None-Match", feed->etag);
  if (feed->redirects == 0 && feed->last_modified != NULL)
    soup_message_headers_replace (headers, "If-Modified-Since", feed->last_modified);
  soup_session_send_async (self->session, feed->message, G_PRIORITY_DEFAULT,
                           feed->cancellable, on_sent, feed);
}

static void
fetch_start (Feed *feed)
{
  if (feed->url == NULL || !web_service_enabled (feed->plugin))
    return;
  fetch_stop (feed);
  feed->cancellable = g_cancellable_new ();
  feed->current_url = g_strdup (feed->url);
  feed->redirects = 0;
  feed->timed_out = FALSE;
  feed->deadline_id = g_timeout_add_seconds (DP_RSS_TOTAL_TIMEOUT_S, on_deadline, feed);
  fetch_request (feed);
}

static gboolean
on_refresh_timer (gpointer user_data)
{
  Feed *feed = user_data;

  if (feed->cancellable == NULL)
    fetch_start (feed);
  return G_SOURCE_CONTINUE;
}

/* Re-reads RSS_Feed_URL_<index> and restarts that feed. */
static void
reload_feed (DpRssPlugin *self, Feed *feed, gboolean fetch_now)
{
  g_autofree char *param = g_strdup_printf ("RSS_Feed_URL_%u", feed->index);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;
  const char *script = dp_config_get (self->config, param);
  gint64 interval_m = dp_config_get_int (self->config, "Feed_Data_Update_Interval_m_");

  fetch_stop (feed);
  g_clear_handle_id (&feed->refresh_id, g_source_remove);
  g_clear_pointer (&feed->config_error, g_free);
  if (!dp_feed_script_parse (script != NULL ? script : "", &name, &url, &error))
    feed->config_error = g_strdup (error->message);

  if (g_strcmp0 (url, feed->url) != 0)
    {
      /* Another feed: forget the old one's items and validators. */
      g_clear_pointer (&feed->feed, dp_feed_unref);
      g_clear_pointer (&feed->etag, g_free);
      g_clear_pointer (&feed->last_modified, g_free);
      g_clear_pointer (&feed->error, g_free);
      feed->last_update = 0;
    }
  g_free (feed->name);
  feed->name = g_steal_pointer (&name);
  g_free (feed->url);
  feed->url = g_steal_pointer (&url);

  if (feed->url == NULL || !web_service_enabled (self))
    return;
  if (interval_m > 0)
    feed->refresh_id = g_timeout_add_seconds ((guint) MIN (interval_m, 65535) * 60,
                                              on_refresh_timer, feed);
  if (fetch_now)
    fetch_start (feed);
}

static void
reload_all (DpRssPlugin *self, gboolean fetch_now)
{
  for (guint i = 0; i < DP_RSS_N_FEEDS; i++)
    reload_feed (self, &self->feeds[i], fetch_now);
}

static void
on_config_changed (DpConfig *config, const char *name, gpointer user_data)
{
  DpRssPlugin *self = user_data;

  if (g_str_has_prefix (name, "RSS_Feed_URL_"))
    {
      guint64 index = g_ascii_strtoull (name + strlen ("RSS_Feed_URL_"), NULL, 10);
      if (index >= 1 && index <= DP_RSS_N_FEEDS && self->start_id == 0)
        reload_feed (self, &self->feeds[index - 1], TRUE);
    }
  else if ((g_str_equal (name, "Web_Serv") || g_str_equal (name, "Feed_Data_Update_Interval_m_"))
           && self->start_id == 0)
    reload_all (self, TRUE);
}

/* The first fetch waits for the main loop, so that --profile files
 * applied after the plugins are loaded are fetched, not the defaults. */
static gboolean
on_start (gpointer user_data)
{
  DpRssPlugin *self = user_data;

  self->start_id = 0;
  reload_all (self, TRUE);
  return G_SOURCE_REMOVE;
}

static JsonNode *
feeds_status (DpCore *core, gpointer user_data)
{
  DpRssPlugin *self = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean enabled = web_service_enabled (self);

  json_builder_begin_array (builder);
  for (guint i = 0; i < DP_RSS_N_FEEDS; i++)
    {
      Feed *feed = &self->feeds[i];
      const char *error = feed->config_error != NULL ? feed->config_error
                          : !enabled ? "web information service disabled (Web_Serv = No)"
                          : feed->error;

      if (feed->url == NULL && feed->config_error == NULL)
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, feed->index);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, feed->name);
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, feed->url);
      json_builder_set_member_name (builder, "items");
      json_builder_begin_array (builder);
      if (enabled && feed->feed != NULL)
        for (guint k = 0; k < feed->feed->items->len; k++)
          json_builder_add_value (builder, dp_feed_item_to_json (feed->feed->items->pdata[k]));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "last_update");
      if (feed->last_update > 0)
        json_builder_add_int_value (builder, feed->last_update);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error);
      json_builder_set_member_name (builder, "recovered");
      json_builder_add_boolean_value (builder, feed->feed != NULL && feed->feed->recovered);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static gboolean
refresh_action (DpCore *core, const char *argument, gpointer user_data, GError **error)
{
  DpRssPlugin *self = user_data;
  guint64 index = 0;

  if (argument != NULL && *argument != '\0')
    {
      if (!g_ascii_string_to_unsigned (argument, 10, 1, DP_RSS_N_FEEDS, &index, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("feeds-refresh: “%s” is not a feed number 1..%d"), argument, DP_RSS_N_FEEDS);
          return FALSE;
        }
    }
  if (!web_service_enabled (self))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("feeds-refresh: the web information service is off (Web_Serv = No)"));
      return FALSE;
    }
  for (guint i = 0; i < DP_RSS_N_FEEDS; i++)
    if (index == 0 || index == i + 1)
      fetch_start (&self->feeds[i]);
  return TRUE;
}

static gboolean
dp_rss_plugin_activate (DpPlugin *plugin, DpCore *core, GError **error)
{
  DpRssPlugin *self = DP_RSS_PLUGIN (plugin);

  self->core = g_object_ref (core);
  self->config = g_object_ref (dp_core_get_config (core));
  self->session = soup_session_new_with_options ("timeout", DP_RSS_TOTAL_TIMEOUT_S,
                                                 "idle-timeout", 60,
                                                 "user-agent", "deskphone-rss/1",
                                                 NULL);
  for (guint i = 0; i < DP_RSS_N_FEEDS; i++)
    {
      self->feeds[i].plugin = self;
      self->feeds[i].index = i + 1;
    }
  self->changed_id = g_signal_connect (self->config, "changed", G_CALLBACK (on_config_changed), self);
  dp_core_add_status_section (core, "feeds", feeds_status, g_object_ref (self), g_object_unref);
  dp_core_add_action (core, "feeds-refresh", refresh_action, g_object_ref (self), g_object_unref);
  self->start_id = g_idle_add (on_start, self);
  return TRUE;
}

static void
clear_feeds (DpRssPlugin *self)
{
  for (guint i = 0; i < DP_RSS_N_FEEDS; i++)
    {
      Feed *feed = &self->feeds[i];

      fetch_stop (feed);
      g_clear_handle_id (&feed->refresh_id, g_source_remove);
      g_clear_pointer (&feed->feed, dp_feed_unref);
      g_clear_pointer (&feed->name, g_free);
      g_clear_pointer (&feed->url, g_free);
      g_clear_pointer (&feed->config_error, g_free);
      g_clear_pointer (&feed->error, g_free);
      g_clear_pointer (&feed->etag, g_free);
      g_clear_pointer (&feed->last_modified, g_free);
    }
}

static void
dp_rss_plugin_deactivate (DpPlugin *plugin)
{
  DpRssPlugin *self = DP_RSS_PLUGIN (plugin);

  g_clear_handle_id (&self->start_id, g_source_remove);
  if (self->core != NULL)
    {
      dp_core_remove_status_section (self->core, "feeds");
      dp_core_remove_action (self->core, "feeds-refresh");
    }
  g_clear_signal_handler (&self->changed_id, self->config);
  clear_feeds (self);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->config);
  g_clear_object (&self->core);
}

static void
dp_rss_plugin_iface_init (DpPluginInterface *iface)
{
  iface->activate = dp_rss_plugin_activate;
  iface->deactivate = dp_rss_plugin_deactivate;
}

static void
dp_rss_plugin_dispose (GObject *object)
{
  dp_rss_plugin_deactivate (DP_PLUGIN (object));
  G_OBJECT_CLASS (dp_rss_plugin_parent_class)->dispose (object);
}

static void
dp_rss_plugin_class_init (DpRssPluginClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dp_rss_plugin_dispose;

  /**
   * DpRssPlugin::feeds-changed:
   * @index: the feed (1..5) whose items changed
   *
   * For the GUI ticker and the D-Bus FeedsChanged signal.
   */
  signals[SIGNAL_FEEDS_CHANGED] =
    g_signal_new ("feeds-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
dp_rss_plugin_class_finalize (DpRssPluginClass *klass)
{
}

static void
dp_rss_plugin_init (DpRssPlugin *self)
{
}

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  dp_rss_plugin_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, DP_TYPE_PLUGIN, DP_TYPE_RSS_PLUGIN);
}
