/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The l10n plugin (issue 8, spec §7): switches the language of every
 * translated string of the process (gettext domain "deskphone": D-Bus
 * error messages, web UI pages, GUI labels) when Language_Selection
 * changes, without a restart, and downloads dictionaries named by
 * Dictionary_Server_Script.
 *
 * Switching. The process language is the LANGUAGE variable plus the
 * binding of the "deskphone" domain; glibc caches translations until its
 * catalogue counter moves, which textdomain() and bindtextdomain() bump,
 * so after a switch every g_dgettext() returns the new language. glibc
 * ignores LANGUAGE under the "C" locale, so LC_MESSAGES moves from "C" to
 * "C.UTF-8" (always present with glibc >= 2.35). When the selected
 * language has no catalogue (neither built in nor downloaded) the
 * previous language stays and the status says why. The effective
 * language is reported to the core (dp_core_set_language(): status
 * "language", signal DpCore::language-changed).
 *
 * Catalogue folders, in order: a dictionary downloaded into
 * <state>/locale/<code>/LC_MESSAGES/deskphone.mo; else the built-in ones
 * in $DESKPHONE_LOCALEDIR when set, else <build>/po when this
 * module runs from the build tree, else LOCALEDIR.
 *
 * Dictionaries (format: dp-l10n-mo.h; script: dp-l10n-lang.h). When the
 * selection or the script changes, and at start-up, the dictionary for
 * the selected language (if the script lists one) is fetched from
 * `serv` + `xN` over http or https (tftp is not supported), with no
 * redirects, at most DP_L10N_MO_MAX_SIZE bytes and a 30 s timeout. Only a
 * catalogue that validates is installed (written to a temporary file,
 * synced, renamed) and then used. Any failure keeps the previous language
 * and the previously installed dictionary and is reported in the status
 * section "l10n". With DESKPHONE_L10N_LOOPBACK_ONLY or
 * DESKPHONE_FEED_LOOPBACK_ONLY set (the test suites set the latter), only
 * 127.0.0.1, ::1 and localhost are fetched from.
 *
 * glibc keeps a catalogue it has loaded for the life of the process, keyed
 * by its path; a dictionary re-downloaded for a language already in use is
 * therefore bound through a new spelling of the same folder
 * ("<state>/locale/./.") so that glibc loads the new file.
 */
#define G_LOG_DOMAIN "dp-l10n"

#include "dp-build-config.h"
#include "dp-l10n-lang.h"
#include "dp-l10n-mo.h"

#include <deskphone.h>
#include <libpeas/peas.h>
#include <libsoup/soup.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <dlfcn.h>
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#define L10N_TIMEOUT_S 30
#define L10N_READ_CHUNK 65536

#define DP_TYPE_L10N_PLUGIN (dp_l10n_plugin_get_type ())
G_DECLARE_FINAL_TYPE (DpL10nPlugin, dp_l10n_plugin, DP, L10N_PLUGIN, GObject)

struct _DpL10nPlugin
{
  GObject parent_instance;

  DpCore *core;
  DpConfig *config;
  gulong selection_id;
  gulong script_id;
  char *builtin_dir;
  char *state_locale;
  guint generation;          /* spelling of state_locale last bound */
  char *code;                /* effective language code */
  char *source;              /* "built-in", "dictionary" or "none" (English) */
  char *error;               /* why the selection is not in effect, or NULL */
  char *dict_state;          /* none|downloading|installed|failed */
  char *dict_url;
  char *dict_error;
  SoupSession *session;
  GCancellable *cancellable;
};

static void dp_l10n_plugin_iface_init (DpPluginInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (DpL10nPlugin, dp_l10n_plugin, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (DP_TYPE_PLUGIN,
                                                               dp_l10n_plugin_iface_init))

static void
set_string (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

static char *
builtin_locale_dir (void)
{
  const char *env = g_getenv ("DESKPHONE_LOCALEDIR");
  Dl_info info;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  /* Running from the build tree (possibly through a symlinked plugin
   * folder): use the catalogues compiled there, not installed ones. */
  if (dladdr ((const void *) builtin_locale_dir, &info) != 0 && info.dli_fname != NULL)
    {
      g_autofree char *module = g_canonicalize_filename (info.dli_fname, NULL);
      char *real = realpath (module, NULL);
      g_autofree char *build_plugins = realpath (DP_BUILD_PLUGINDIR, NULL);
      gboolean in_build = real != NULL && build_plugins != NULL &&
                          g_str_has_prefix (real, build_plugins) &&
                          real[strlen (build_plugins)] == '/';

      free (real);
      if (in_build)
        return g_build_filename (build_plugins, "..", "po", NULL);
    }
  return g_strdup (LOCALEDIR);
}

static gboolean
has_catalogue (const char *dir, const char *code)
{
  g_autofree char *path = g_build_filename (dir, code, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* The folder holding a catalogue for @code (or its language part), with
 * the downloaded one first; NULL if none. */
static const char *
catalogue_dir (DpL10nPlugin *self, const char *code, const char **source)
{
  g_autofree char *lang = g_strndup (code, strcspn (code, "_"));
  const char *dirs[] = { self->state_locale, self->builtin_dir };
  const char *sources[] = { "dictionary", "built-in" };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    if (has_catalogue (dirs[i], code) || has_catalogue (dirs[i], lang))
      {
        *source = sources[i];
        return dirs[i];
      }
  return NULL;
}

static const char *
display_name (const char *code, const char *selection)
{
  const char *name = dp_l10n_language_name (code);

  return name ? name : selection;
}

/* Makes @code the language of every g_dgettext ("deskphone", ...). */
static void
switch_process_language (DpL10nPlugin *self, const char *code, const char *dir,
                         const char *source, const char *name)
{
  g_autofree char *list = dp_l10n_language_list (code);
  g_autofree char *bound = NULL;
  g_autofree char *domain = NULL;
  const char *messages = setlocale (LC_MESSAGES, NULL);

  if (messages == NULL || g_str_equal (messages, "C") || g_str_equal (messages, "POSIX"))
    setlocale (LC_MESSAGES, "C.UTF-8");
  g_setenv ("LANGUAGE", list, TRUE);
  if (g_strcmp0 (dir, self->state_locale) == 0)
    {
      GString *spelling = g_string_new (dir);

      for (guint i = 0; i < self->generation; i++)
        g_string_append (spelling, "/.");
      bound = g_string_free (spelling, FALSE);
    }
  else
    bound = g_strdup (dir ? dir : self->builtin_dir);
  bindtextdomain (GETTEXT_PACKAGE, bound);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* Setting the current text domain again bumps glibc's catalogue
   * counter, which drops its cache of earlier lookups. */
  domain = g_strdup (textdomain (NULL));
  textdomain (domain);

  set_string (&self->code, code);
  set_string (&self->source, source);
  g_message ("language is now %s (%s, %s)", name, code, source);
  dp_core_set_language (self->core, name);
}

/* Switches to the selection if a catalogue for it exists; else keeps the
 * current language and records why. */
static void
apply_selection (DpL10nPlugin *self, gboolean download_pending)
{
  const char *selection = dp_config_get (self->config, "Language_Selection");
  g_autofree char *code = dp_l10n_language_code (selection);
  const char *source = "none";
  const char *dir = NULL;

  if (code != NULL && !g_str_equal (code, "en"))
    dir = catalogue_dir (self, code, &source);
  else if (code != NULL)
    dir = catalogue_dir (self, code, &source);  /* an English dictionary, if any */
  if (code != NULL && (dir != NULL || g_str_equal (code, "en")))
    {
      set_string (&self->error, NULL);
      switch_process_language (self, code, dir, dir ? source : "none",
                               display_name (code, selection));
      return;
    }
  g_free (self->error);
  if (download_pending)
    self->error = g_strdup_printf (_("waiting for the dictionary of %s"), selection);
  else
    self->error = g_strdup_printf (_("no translation for %s is installed and no dictionary is listed for it"),
                                   selection);
  g_message ("keeping language %s: %s", dp_core_get_language (self->core), self->error);
}

typedef struct {
  DpL10nPlugin *self;
  char *selection;
  char *code;          /* expected code, or NULL for a name deskphone does not know */
  char *url;
  GCancellable *cancellable;
  GInputStream *stream;
  GByteArray *data;
} Download;

static void
download_free (Download *job)
{
  g_clear_object (&job->self);
  g_free (job->selection);
  g_free (job->code);
  g_free (job->url);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->stream);
  g_clear_pointer (&job->data, g_byte_array_unref);
  g_free (job);
}

static void
download_failed (Download *job, const char *message)
{
  DpL10nPlugin *self = job->self;

  g_warning ("dictionary %s rejected, language unchanged: %s", job->url, message);
  set_string (&self->dict_state, "failed");
  set_string (&self->dict_error, message);
  if (self->error != NULL)
    {
      g_free (self->error);
      self->error = g_strdup_printf (_("the dictionary of %s failed: %s"), job->selection, message);
    }
  download_free (job);
}

static gboolean
install_dictionary (DpL10nPlugin *self, const char *code, GBytes *bytes, GError **error)
{
  g_autofree char *dir = g_build_filename (self->state_locale, code, "LC_MESSAGES", NULL);
  g_autofree char *path = g_build_filename (dir, GETTEXT_PACKAGE ".mo", NULL);
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("cannot create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  /* Temporary file, fsync, rename: a power cut leaves the old or the new
   * catalogue, never a torn one. */
  return g_file_set_contents_full (path, (const char *) data, (gssize) size,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

static void
download_complete (Download *job)
{
  DpL10nPlugin *self = job->self;
  g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&job->data));
  g_auto(DpL10nMoInfo) info = { NULL, 0 };
  g_autoptr(GError) error = NULL;
  const char *install_code;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (!dp_l10n_mo_validate (data, size, job->code, &info, &error))
    {
      download_failed (job, error->message);
      return;
    }
  install_code = job->code ? job->code : info.language;
  if (!install_dictionary (self, install_code, bytes, &error))
    {
      download_failed (job, error->message);
      return;
    }
  self->generation++;
  set_string (&self->dict_state, "installed");
  set_string (&self->dict_error, NULL);
  g_message ("dictionary %s installed for %s (%u messages)", job->url, install_code,
             info.n_messages);
  /* Only switch if the selection is still the one this download was for. */
  if (g_strcmp0 (dp_config_get (self->config, "Language_Selection"), job->selection) == 0)
    {
      const char *name = job->code ? display_name (install_code, job->selection) : job->selection;

      set_string (&self->error, NULL);
      switch_process_language (self, install_code, self->state_locale, "dictionary", name);
    }
  download_free (job);
}

static void on_read (GObject *source, GAsyncResult *result, gpointer user_data);

static void
read_more (Download *job)
{
  g_input_stream_read_bytes_async (job->stream, L10N_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   job->cancellable, on_read, job);
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Download *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              &error);

  if (chunk == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        download_free (job);
      else
        download_failed (job, error->message);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      download_complete (job);
      return;
    }
  if (job->data->len + g_bytes_get_size (chunk) > DP_L10N_MO_MAX_SIZE)
    {
      g_autofree char *message = g_strdup_printf (_("the dictionary is larger than %d bytes"),
                                                  DP_L10N_MO_MAX_SIZE);
      download_failed (job, message);
      return;
    }
  g_byte_array_append (job->data, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_more (job);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Download *job = user_data;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  job->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (job->stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        download_free (job);
      else
        download_failed (job, error->message);
      return;
    }
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_autofree char *message = g_strdup_printf (_("the server answered %u %s"),
                                                  soup_message_get_status (msg),
                                                  soup_message_get_reason_phrase (msg));
      download_failed (job, message);
      return;
    }
  if (soup_message_headers_get_content_length (soup_message_get_response_headers (msg)) >
      DP_L10N_MO_MAX_SIZE)
    {
      g_autofree char *message = g_strdup_printf (_("the dictionary is larger than %d bytes"),
                                                  DP_L10N_MO_MAX_SIZE);
      download_failed (job, message);
      return;
    }
  job->data = g_byte_array_new ();
  read_more (job);
}

static gboolean
loopback_only (void)
{
  return g_getenv ("DESKPHONE_L10N_LOOPBACK_ONLY") != NULL ||
         g_getenv ("DESKPHONE_FEED_LOOPBACK_ONLY") != NULL;
}

static gboolean
check_url (GUri *uri, GError **error)
{
  const char *scheme = g_uri_get_scheme (uri);
  const char *host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("dictionaries are fetched over http or https, not %s"), scheme);
      return FALSE;
    }
  if (loopback_only () && host != NULL && g_ascii_strcasecmp (host, "localhost") != 0)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

      if (address == NULL || !g_inet_address_get_is_loopback (address))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                       _("host %s refused: only loopback hosts are allowed here"), host);
          return FALSE;
        }
    }
  return TRUE;
}

/* Starts fetching the dictionary of the selected language, if the script
 * lists one; returns whether a download started. */
static gboolean
start_download (DpL10nPlugin *self)
{
  const char *selection = dp_config_get (self->config, "Language_Selection");
  const char *script_text = dp_config_get (self->config, "Dictionary_Server_Script");
  g_autoptr(DpL10nScript) script = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  const DpL10nDictionary *entry;
  g_autofree char *url = NULL;
  Download *job;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  script = dp_l10n_script_parse (script_text, &error);
  if (script == NULL)
    {
      set_string (&self->dict_state, "failed");
      set_string (&self->dict_url, NULL);
      set_string (&self->dict_error, error->message);
      return FALSE;
    }
  entry = dp_l10n_script_find (script, selection);
  if (entry == NULL)
    {
      set_string (&self->dict_state, "none");
      set_string (&self->dict_url, NULL);
      set_string (&self->dict_error, NULL);
      return FALSE;
    }
  url = dp_l10n_script_url (script, entry);
  set_string (&self->dict_url, url);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL || !check_url (uri, &error))
    {
      set_string (&self->dict_state, "failed");
      set_string (&self->dict_error, error->message);
      return FALSE;
    }
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("timeout", L10N_TIMEOUT_S, NULL);
  msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  job = g_new0 (Download, 1);
  job->self = g_object_ref (self);
  job->selection = g_strdup (selection);
  job->code = dp_l10n_language_code (selection);
  job->url = g_steal_pointer (&url);
  job->cancellable = g_object_ref (self->cancellable);
  set_string (&self->dict_state, "downloading");
  set_string (&self->dict_error, NULL);
  g_debug ("fetching dictionary %s for %s", job->url, selection);
  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, job->cancellable,
                           on_sent, job);
  return TRUE;
}

static void
update (DpL10nPlugin *self)
{
  gboolean pending = start_download (self);

  apply_selection (self, pending);
}

static void
on_parameter_changed (DpConfig *config, const char *name, gpointer user_data)
{
  update (DP_L10N_PLUGIN (user_data));
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static void
add_available (JsonBuilder *builder, GHashTable *seen, const char *dir, const char *source)
{
  g_autoptr(GDir) listing = dir ? g_dir_open (dir, 0, NULL) : NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  while (listing != NULL && (entry = g_dir_read_name (listing)) != NULL)
    if (has_catalogue (dir, entry))
      g_ptr_array_add (codes, g_strdup (entry));
  g_ptr_array_sort (codes, compare_strings);
  for (guint i = 0; i < codes->len; i++)
    {
      const char *code = codes->pdata[i];
      const char *name = dp_l10n_language_name (code);

      if (g_hash_table_contains (seen, code))
        continue;
      g_hash_table_add (seen, g_strdup (code));
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name ? name : code);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, code);
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, source);
      json_builder_end_object (builder);
    }
}

static void
add_string_member (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The "l10n" status section: what is selected, what is in effect, which
 * languages can be selected and how the last dictionary download went. */
static JsonNode *
build_status (DpCore *core, gpointer user_data)
{
  DpL10nPlugin *self = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(DpL10nScript) script =
    dp_l10n_script_parse (dp_config_get (self->config, "Dictionary_Server_Script"), NULL);

  json_builder_begin_object (builder);
  add_string_member (builder, "selection", dp_config_get (self->config, "Language_Selection"));
  add_string_member (builder, "language", dp_core_get_language (core));
  add_string_member (builder, "code", self->code);
  add_string_member (builder, "source", self->source);
  add_string_member (builder, "error", self->error);
  json_builder_set_member_name (builder, "available");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_string_member (builder, "name", "English");
  add_string_member (builder, "code", "en");
  add_string_member (builder, "source", "none");
  json_builder_end_object (builder);
  g_hash_table_add (seen, g_strdup ("en"));
  add_available (builder, seen, self->state_locale, "dictionary");
  add_available (builder, seen, self->builtin_dir, "built-in");
  for (guint i = 0; script != NULL && i < script->entries->len; i++)
    {
      const DpL10nDictionary *entry = script->entries->pdata[i];
      g_autofree char *code = dp_l10n_language_code (entry->name);

      if (code != NULL && g_hash_table_contains (seen, code))
        continue;
      if (code != NULL)
        g_hash_table_add (seen, g_strdup (code));
      json_builder_begin_object (builder);
      add_string_member (builder, "name", entry->name);
      add_string_member (builder, "code", code);
      add_string_member (builder, "source", "server");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "dictionary");
  json_builder_begin_object (builder);
  add_string_member (builder, "state", self->dict_state);
  add_string_member (builder, "url", self->dict_url);
  add_string_member (builder, "error", self->dict_error);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
disconnect (DpL10nPlugin *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->config != NULL)
    {
      g_clear_signal_handler (&self->selection_id, self->config);
      g_clear_signal_handler (&self->script_id, self->config);
    }
  if (self->core != NULL)
    dp_core_remove_status_section (self->core, "l10n");
  g_clear_object (&self->config);
  g_clear_object (&self->core);
}

static gboolean
dp_l10n_plugin_activate (DpPlugin *plugin, DpCore *core, GError **error)
{
  DpL10nPlugin *self = DP_L10N_PLUGIN (plugin);

  self->core = g_object_ref (core);
  self->config = g_object_ref (dp_core_get_config (core));
  g_free (self->builtin_dir);
  self->builtin_dir = builtin_locale_dir ();
  g_free (self->state_locale);
  self->state_locale = g_build_filename (dp_core_get_state_dir (core), "locale", NULL);
  set_string (&self->dict_state, "none");
  self->selection_id = g_signal_connect (self->config, "changed::Language_Selection",
                                         G_CALLBACK (on_parameter_changed), self);
  self->script_id = g_signal_connect (self->config, "changed::Dictionary_Server_Script",
                                      G_CALLBACK (on_parameter_changed), self);
  dp_core_add_status_section (core, "l10n", build_status, self, NULL);
  g_debug ("built-in catalogues in %s, dictionaries in %s", self->builtin_dir,
           self->state_locale);
  update (self);
  return TRUE;
}

static void
dp_l10n_plugin_deactivate (DpPlugin *plugin)
{
  disconnect (DP_L10N_PLUGIN (plugin));
}

static void
dp_l10n_plugin_iface_init (DpPluginInterface *iface)
{
  iface->activate = dp_l10n_plugin_activate;
  iface->deactivate = dp_l10n_plugin_deactivate;
}

static void
dp_l10n_plugin_dispose (GObject *object)
{
  DpL10nPlugin *self = DP_L10N_PLUGIN (object);

  disconnect (self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (dp_l10n_plugin_parent_class)->dispose (object);
}

static void
dp_l10n_plugin_finalize (GObject *object)
{
  DpL10nPlugin *self = DP_L10N_PLUGIN (object);

  g_free (self->builtin_dir);
  g_free (self->state_locale);
  g_free (self->code);
  g_free (self->source);
  g_free (self->error);
  g_free (self->dict_state);
  g_free (self->dict_url);
  g_free (self->dict_error);

  G_OBJECT_CLASS (dp_l10n_plugin_parent_class)->finalize (object);
}

static void
dp_l10n_plugin_class_init (DpL10nPluginClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dp_l10n_plugin_dispose;
  G_OBJECT_CLASS (klass)->finalize = dp_l10n_plugin_finalize;
}

static void
dp_l10n_plugin_class_finalize (DpL10nPluginClass *klass)
{
}

static void
dp_l10n_plugin_init (DpL10nPlugin *self)
{
}

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  dp_l10n_plugin_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, DP_TYPE_PLUGIN, DP_TYPE_L10N_PLUGIN);
}
