/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-plugin"

#include "dp-build-config.h"
#include <glib/gi18n-lib.h>
#include "dp-plugin-engine.h"

#include <libpeas/peas.h>
#include <string.h>

/**
 * DpPluginEngine:
 *
 * Finds, checks, loads and activates deskphone plugins through libpeas.
 *
 * Search path (first hit of a module name wins, libpeas ignores later
 * plugins with the same `Module`):
 *
 * 1. directories added explicitly with dp_plugin_engine_add_search_path()
 *    or dp_plugin_engine_add_build_tree() (tests), in the order added;
 * 2. by dp_plugin_engine_add_default_paths(): the directories of
 *    `DESKPHONE_PLUGIN_PATH`, then the installed plugin directory
 *    (`$libdir/deskphone-1/plugins`, with data files also looked up in
 *    `$datadir/deskphone-1/plugins`), then the vendor/user directory when
 *    the caller enables it (the `Plugin_User_Dir_Enable` parameter).
 *
 * The installed directory comes before the vendor/user one on purpose: a
 * plugin dropped into the writable vendor directory cannot shadow a plugin
 * that shipped with the firmware. The build tree is never searched unless
 * asked for, so an installed daemon does not pick up a developer's build.
 *
 * Before a plugin's code runs, its `.plugin` file (and those of the
 * plugins it `Depends` on) must say `X-Deskphone-API=1`
 * (%DP_PLUGIN_API_VERSION). Any failure — wrong API, missing module,
 * Python exception, no #DpPlugin implementation, activate() failing — is
 * kept with the plugin (see dp_plugin_info_get_error_message()) and the
 * engine carries on with the other plugins.
 *
 * The engine keeps only a weak reference to its #DpCore, since the core
 * owns the engine.
 */

struct _DpPluginInfo
{
  gatomicrefcount ref_count;
  char *name;
  char *display_name;
  char *description;
  char *version;
  char *module_dir;
  char *api_version;
  gboolean loaded;
  GError *error;
};

G_DEFINE_BOXED_TYPE (DpPluginInfo, dp_plugin_info, dp_plugin_info_ref, dp_plugin_info_unref)

typedef struct
{
  char *name;
  DpPlugin *plugin;   /* the active instance, NULL when not running */
  GError *error;      /* why the last load failed, NULL otherwise */
} PluginRecord;

struct _DpPluginEngine
{
  GObject parent_instance;

  DpCore *core;             /* weak */
  PeasEngine *peas;
  GPtrArray *search_paths;  /* data dirs, in the order added */
  GHashTable *records;      /* module name -> PluginRecord */
  GPtrArray *active;        /* module names in activation order */
};

G_DEFINE_FINAL_TYPE (DpPluginEngine, dp_plugin_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CORE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* libpeas reports why a module failed (g_module_error(), Python
 * tracebacks) only through g_warning() in its own log domain. Those texts
 * are exactly what an administrator needs in status, so they are captured
 * while libpeas works on one plugin. */
static const char * const peas_log_domains[] = { "libpeas", "libpeas-1.0", NULL };
/* NULL (the default domain) is where the Python loader reports import
 * errors; only listened to while libpeas works on one plugin. */
#define N_PEAS_LOG_DOMAINS G_N_ELEMENTS (peas_log_domains)

typedef struct
{
  GString *text;   /* condensed, for the plugin's error */
  GString *full;   /* as libpeas said it, for the debug log */
  GThread *thread; /* the one loading the plugin */
  guint handler_ids[N_PEAS_LOG_DOMAINS];
} LogCapture;

/* A Python traceback is many lines; status wants one. Keep the headline,
 * the exception and where it was raised:
 * "Error importing plugin 'x': RuntimeError: boom (at File "x.py", line 4, in <module>)". */
static char *
condense_traceback (const char *message)
{
  g_auto(GStrv) lines = g_strsplit (message, "\n", -1);
  const char *headline = lines[0];
  const char *exception = NULL;
  const char *where = NULL;
  guint n = g_strv_length (lines);

  if (n < 2 || strstr (message, "\nTraceback") == NULL)
    return g_strdup (message);

  for (guint i = n; i > 1 && exception == NULL; i--)
    if (lines[i - 1][0] != '\0' && !g_ascii_isspace (lines[i - 1][0]))
      exception = lines[i - 1];
  for (guint i = n; i > 1 && where == NULL; i--)
    if (g_str_has_prefix (g_strchug (lines[i - 1]), "File "))
      where = lines[i - 1];

  return g_strdup_printf ("%s%s%s%s%s%s",
                          headline,
                          g_str_has_suffix (headline, ":") ? " " : ": ",
                          exception != NULL ? exception : "(no exception text)",
                          where != NULL ? " (at " : "",
                          where != NULL ? where : "",
                          where != NULL ? ")" : "");
}

static void
on_peas_log (const char     *log_domain,
             GLogLevelFlags  log_level,
             const char     *message,
             gpointer        user_data)
{
  LogCapture *capture = user_data;
  g_autofree char *clean = NULL;

  /* Log handlers are process-wide: a streaming thread's message while a
   * plugin loads is not about the plugin, and the capture is not locked. */
  if (g_thread_self () != capture->thread)
    {
      g_log_default_handler (log_domain, log_level, message, NULL);
      return;
    }

  /* No g_debug() of the message here: GLib treats a message logged from
   * a log handler as recursion and aborts. log_capture_end() does it. */
  clean = condense_traceback (message);
  g_strchomp (clean);

  /* libpeas adds a generic line after the specific one. */
  if (g_str_has_prefix (clean, "Error loading plugin '") && strchr (clean, '\n') == NULL)
    return;

  if (capture->text->len > 0)
    g_string_append (capture->text, "; ");
  g_string_append (capture->text, clean);
  g_string_append_c (capture->full, '\n');
  g_string_append (capture->full, message);
}

static void
log_capture_begin (LogCapture *capture)
{
  capture->text = g_string_new (NULL);
  capture->full = g_string_new (NULL);
  capture->thread = g_thread_self ();
  for (guint i = 0; i < N_PEAS_LOG_DOMAINS; i++)
    capture->handler_ids[i] =
      g_log_set_handler (peas_log_domains[i],
                         G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO,
                         on_peas_log, capture);
}

/* Returns the captured text, or NULL if libpeas said nothing. */
static char *
log_capture_end (LogCapture *capture)
{
  for (guint i = 0; i < N_PEAS_LOG_DOMAINS; i++)
    g_log_remove_handler (peas_log_domains[i], capture->handler_ids[i]);

  if (capture->full->len > 0)
    g_debug ("libpeas said:%s", capture->full->str);
  g_string_free (capture->full, TRUE);
  if (capture->text->len == 0)
    {
      g_string_free (capture->text, TRUE);
      return NULL;
    }
  return g_string_free (capture->text, FALSE);
}

static void
plugin_record_free (PluginRecord *record)
{
  g_clear_object (&record->plugin);
  g_clear_error (&record->error);
  g_free (record->name);
  g_free (record);
}

static PluginRecord *
get_record (DpPluginEngine *self,
            const char     *name)
{
  PluginRecord *record = g_hash_table_lookup (self->records, name);

  if (record == NULL)
    {
      record = g_new0 (PluginRecord, 1);
      record->name = g_strdup (name);
      g_hash_table_insert (self->records, record->name, record);
    }
  return record;
}

static void
record_failure (PluginRecord *record,
                GError       *error)
{
  g_clear_error (&record->error);
  record->error = g_error_copy (error);
  g_warning ("%s", error->message);
}

static gboolean
check_api_version (DpPluginEngine *self,
                   PeasPluginInfo *info,
                   GHashTable     *visited,
                   GError        **error)
{
  const char *name = peas_plugin_info_get_module_name (info);
  const char *api;
  const char * const *deps;

  if (!g_hash_table_add (visited, (gpointer) name))
    return TRUE;

  api = peas_plugin_info_get_external_data (info, "Deskphone-API");
  if (api == NULL)
    {
      g_set_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_API_VERSION,
                   _("plugin '%s' does not declare X-Deskphone-API in %s.plugin, "
                   "this deskphone supports %s"),
                   name, name, DP_PLUGIN_API_VERSION);
      return FALSE;
    }
  if (strcmp (api, DP_PLUGIN_API_VERSION) != 0)
    {
      g_set_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_API_VERSION,
                   _("plugin '%s' declares X-Deskphone-API=%s, this deskphone supports %s"),
                   name, api, DP_PLUGIN_API_VERSION);
      return FALSE;
    }

  /* libpeas loads dependencies itself, so their code would run before
   * this plugin's check otherwise. */
  deps = (const char * const *) peas_plugin_info_get_dependencies (info);
  for (guint i = 0; deps != NULL && deps[i] != NULL; i++)
    {
      PeasPluginInfo *dep = peas_engine_get_plugin_info (self->peas, deps[i]);
      g_autoptr(GError) dep_error = NULL;

      if (dep == NULL)
        {
          g_set_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_NOT_FOUND,
                       _("plugin '%s' depends on '%s', which is not in the plugin search path"),
                       name, deps[i]);
          return FALSE;
        }
      if (!check_api_version (self, dep, visited, &dep_error))
        {
          g_set_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_API_VERSION,
                       _("plugin '%s' depends on a refused plugin: %s"),
                       name, dep_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

/* A plugin whose .plugin file says X-Deskphone-Needs-Display=true cannot
 * work without a display; on a headless phone it is refused before its
 * module is opened, so that its toolkit (GTK: ~80 libraries) is neither
 * mapped nor relocated at start-up. The error reads as the plugin's own
 * activate() would put it. */
static gboolean
check_display (PeasPluginInfo *info,
               GError        **error)
{
  const char *needs = peas_plugin_info_get_external_data (info, "Deskphone-Needs-Display");
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");
  const char *x11 = g_getenv ("DISPLAY");

  if (needs == NULL || g_ascii_strcasecmp (needs, "true") != 0 ||
      (wayland != NULL && *wayland != '\0') || (x11 != NULL && *x11 != '\0'))
    return TRUE;
  g_set_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_ACTIVATE,
               _("plugin '%s' failed to activate: %s"), peas_plugin_info_get_module_name (info),
               "no display: neither WAYLAND_DISPLAY nor DISPLAY is set");
  return FALSE;
}

static void
unload_peas_plugin (DpPluginEngine *self,
                    PeasPluginInfo *info)
{
  LogCapture capture;
  g_autofree char *said = NULL;

  if (!peas_plugin_info_is_loaded (info))
    return;

  log_capture_begin (&capture);
  peas_engine_unload_plugin (self->peas, info);
  said = log_capture_end (&capture);
  if (said != NULL)
    g_warning ("unloading plugin '%s': %s", peas_plugin_info_get_module_name (info), said);
}

static gboolean
load_info (DpPluginEngine *self,
           PeasPluginInfo *info,
           GError        **error)
{
  const char *name = peas_plugin_info_get_module_name (info);
  PluginRecord *record = get_record (self, name);
  g_autoptr(GHashTable) visited = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GObject) extension = NULL;
  g_autofree char *said = NULL;
  LogCapture capture;
  g_autoptr(GError) previous_error = NULL;
  gboolean ok;

  if (record->plugin != NULL)
    return TRUE;
  previous_error = g_steal_pointer (&record->error);

  if (self->core == NULL)
    {
      g_set_error (&local_error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_ACTIVATE,
                   _("plugin '%s' not loaded: the core has already been destroyed"), name);
      goto failed;
    }

  if (!check_api_version (self, info, visited, &local_error) ||
      !check_display (info, &local_error))
    goto failed;

  /* libpeas does not retry a module that failed once; it only answers
   * "Failed to load". The reason found the first time still holds. */
  if (!peas_plugin_info_is_available (info, NULL) && previous_error != NULL &&
      g_error_matches (previous_error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_LOADING))
    {
      local_error = g_steal_pointer (&previous_error);
      goto failed;
    }

  log_capture_begin (&capture);
  ok = peas_engine_load_plugin (self->peas, info);
  said = log_capture_end (&capture);
  if (!ok)
    {
      g_autoptr(GError) peas_error = NULL;

      peas_plugin_info_is_available (info, &peas_error);
      g_set_error (&local_error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_LOADING,
                   _("plugin '%s' failed to load: %s"), name,
                   said != NULL ? said
                   : peas_error != NULL ? peas_error->message
                   : "libpeas gave no reason");
      goto failed;
    }

  /* Loaded, but libpeas had something to say (e.g. a Python warning at
   * import): not an error, yet not to be lost either. */
  if (said != NULL)
    g_warning ("plugin '%s': %s", name, said);

  if (!peas_engine_provides_extension (self->peas, info, DP_TYPE_PLUGIN))
    {
      g_set_error (&local_error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_NO_EXTENSION,
                   _("plugin '%s' loaded but does not implement DpPlugin "
                   "(register a type for DP_TYPE_PLUGIN in peas_register_types(), "
                   "or subclass Deskphone.Plugin in Python)"), name);
      unload_peas_plugin (self, info);
      goto failed;
    }

  g_clear_pointer (&said, g_free);
  log_capture_begin (&capture);
  extension = (GObject *) peas_engine_create_extension (self->peas, info, DP_TYPE_PLUGIN, NULL);
  said = log_capture_end (&capture);
  if (extension == NULL)
    {
      g_set_error (&local_error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_NO_EXTENSION,
                   _("plugin '%s' failed to create its DpPlugin instance: %s"), name,
                   said != NULL ? said : "libpeas gave no reason");
      unload_peas_plugin (self, info);
      goto failed;
    }

  if (said != NULL)
    g_warning ("plugin '%s': %s", name, said);
  dp_plugin_set_module_name (DP_PLUGIN (extension), name);

  /* The plugin's own code runs here; its messages are its own and are
   * not captured. */
  {
    g_autoptr(GError) activate_error = NULL;

    if (!dp_plugin_activate (DP_PLUGIN (extension), self->core, &activate_error))
      {
        g_set_error (&local_error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_ACTIVATE,
                     _("plugin '%s' failed to activate: %s"), name, activate_error->message);
        g_clear_object (&extension);
        unload_peas_plugin (self, info);
        goto failed;
      }
  }

  record->plugin = DP_PLUGIN (g_steal_pointer (&extension));
  g_ptr_array_add (self->active, g_strdup (name));
  g_debug ("plugin '%s' activated", name);
  return TRUE;

failed:
  record_failure (record, local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static void
deactivate_record (DpPluginEngine *self,
                   PluginRecord   *record)
{
  PeasPluginInfo *info;
  guint index;

  if (record->plugin == NULL)
    return;

  dp_plugin_deactivate (record->plugin);
  g_clear_object (&record->plugin);

  if (g_ptr_array_find_with_equal_func (self->active, record->name, g_str_equal, &index))
    g_ptr_array_remove_index (self->active, index);

  info = peas_engine_get_plugin_info (self->peas, record->name);
  if (info != NULL)
    unload_peas_plugin (self, info);
  g_debug ("plugin '%s' deactivated", record->name);
}

static gboolean
depends_on (DpPluginEngine *self,
            const char     *name,
            const char     *dependency,
            guint           depth)
{
  PeasPluginInfo *info = peas_engine_get_plugin_info (self->peas, name);
  const char * const *deps;

  /* Dependency cycles are possible in hand-written .plugin files. */
  if (info == NULL || depth > 32)
    return FALSE;

  deps = (const char * const *) peas_plugin_info_get_dependencies (info);
  for (guint i = 0; deps != NULL && deps[i] != NULL; i++)
    if (g_str_equal (deps[i], dependency) || depends_on (self, deps[i], dependency, depth + 1))
      return TRUE;
  return FALSE;
}

static void
dp_plugin_engine_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DpPluginEngine *self = DP_PLUGIN_ENGINE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      g_value_set_object (value, self->core);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dp_plugin_engine_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DpPluginEngine *self = DP_PLUGIN_ENGINE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      self->core = g_value_get_object (value);
      if (self->core != NULL)
        g_object_add_weak_pointer (G_OBJECT (self->core), (gpointer *) &self->core);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dp_plugin_engine_dispose (GObject *object)
{
  DpPluginEngine *self = DP_PLUGIN_ENGINE (object);

  if (self->peas != NULL)
    dp_plugin_engine_unload_all (self);
  g_clear_object (&self->peas);
  if (self->core != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->core), (gpointer *) &self->core);
      self->core = NULL;
    }

  G_OBJECT_CLASS (dp_plugin_engine_parent_class)->dispose (object);
}

static void
dp_plugin_engine_finalize (GObject *object)
{
  DpPluginEngine *self = DP_PLUGIN_ENGINE (object);

  g_clear_pointer (&self->records, g_hash_table_unref);
  g_clear_pointer (&self->search_paths, g_ptr_array_unref);
  g_clear_pointer (&self->active, g_ptr_array_unref);

  G_OBJECT_CLASS (dp_plugin_engine_parent_class)->finalize (object);
}

static void
dp_plugin_engine_class_init (DpPluginEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dp_plugin_engine_get_property;
  object_class->set_property = dp_plugin_engine_set_property;
  object_class->dispose = dp_plugin_engine_dispose;
  object_class->finalize = dp_plugin_engine_finalize;

  /**
   * DpPluginEngine:core:
   *
   * The core passed to every plugin's activate(). Weak: the core owns the
   * engine.
   */
  props[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL,
                         DP_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
dp_plugin_engine_init (DpPluginEngine *self)
{
  /* peas_engine_new() rather than the default engine: each DpPluginEngine
   * (the daemon's, every test's) has its own plugin list, while the loaders
   * — one embedded Python per process — stay shared. */
  self->peas = peas_engine_new ();
  peas_engine_enable_loader (self->peas, "python3");
  self->search_paths = g_ptr_array_new_with_free_func (g_free);
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) plugin_record_free);
  self->active = g_ptr_array_new_with_free_func (g_free);
}

/**
 * dp_plugin_engine_new:
 * @core: the core passed to every plugin
 *
 * Creates an engine with an empty search path; add directories with
 * dp_plugin_engine_add_default_paths() (the daemon) or
 * dp_plugin_engine_add_search_path() / dp_plugin_engine_add_build_tree()
 * (tests).
 *
 * Returns: (transfer full): a new #DpPluginEngine
 */
DpPluginEngine *
dp_plugin_engine_new (DpCore *core)
{
  g_return_val_if_fail (DP_IS_CORE (core), NULL);

  return g_object_new (DP_TYPE_PLUGIN_ENGINE, "core", core, NULL);
}

/**
 * dp_plugin_engine_get_core:
 * @self: a #DpPluginEngine
 *
 * Returns: (transfer none) (nullable): the core, %NULL once it is destroyed
 */
DpCore *
dp_plugin_engine_get_core (DpPluginEngine *self)
{
  g_return_val_if_fail (DP_IS_PLUGIN_ENGINE (self), NULL);

  return self->core;
}

/**
 * dp_plugin_engine_add_search_path:
 * @self: a #DpPluginEngine
 * @module_dir: where modules (`lib<Module>.so`, Python packages) are
 * @data_dir: (nullable): where the `.plugin` files are; %NULL for
 *   @module_dir
 *
 * Adds a directory pair at the end of the search path. `.plugin` files are
 * found in @data_dir and in its immediate subdirectories; a plugin found in
 * `@data_dir/sub/` has its module looked up in `@module_dir/sub/`.
 */
void
dp_plugin_engine_add_search_path (DpPluginEngine *self,
                                  const char     *module_dir,
                                  const char     *data_dir)
{
  g_autofree char *module_abs = NULL;
  g_autofree char *data_abs = NULL;

  g_return_if_fail (DP_IS_PLUGIN_ENGINE (self));
  g_return_if_fail (module_dir != NULL);

  /* Absolute paths keep messages and the Python sys.path unambiguous. */
  module_abs = g_canonicalize_filename (module_dir, NULL);
  data_abs = g_canonicalize_filename (data_dir != NULL ? data_dir : module_dir, NULL);

  for (guint i = 0; i < self->search_paths->len; i += 2)
    if (g_str_equal (self->search_paths->pdata[i], module_abs) &&
        g_str_equal (self->search_paths->pdata[i + 1], data_abs))
      return;

  g_debug ("plugin search path: %s (modules in %s)", data_abs, module_abs);
  peas_engine_add_search_path (self->peas, module_abs, data_abs);
  g_ptr_array_add (self->search_paths, g_steal_pointer (&module_abs));
  g_ptr_array_add (self->search_paths, g_steal_pointer (&data_abs));
}

/**
 * dp_plugin_engine_add_build_tree:
 * @self: a #DpPluginEngine
 *
 * Adds the `plugins/` directories of the build tree and of the source tree
 * this library was built from, so tests find the uninstalled plugins (the
 * build tree holds the modules and configured `.plugin` files; the source
 * tree can hold Python plugins). Never called by the installed daemon.
 */
void
dp_plugin_engine_add_build_tree (DpPluginEngine *self)
{
  g_return_if_fail (DP_IS_PLUGIN_ENGINE (self));

  dp_plugin_engine_add_search_path (self, DP_BUILD_PLUGINDIR, DP_BUILD_PLUGINDIR);
  dp_plugin_engine_add_search_path (self, DP_SOURCE_PLUGINDIR, DP_SOURCE_PLUGINDIR);
}

/**
 * dp_plugin_engine_add_env_paths:
 * @self: a #DpPluginEngine
 *
 * Adds each directory of the `DESKPHONE_PLUGIN_PATH` environment variable
 * (separated by `:`, empty entries ignored) as module and data directory.
 */
void
dp_plugin_engine_add_env_paths (DpPluginEngine *self)
{
  const char *env;
  g_auto(GStrv) dirs = NULL;

  g_return_if_fail (DP_IS_PLUGIN_ENGINE (self));

  env = g_getenv (DP_PLUGIN_PATH_ENV);
  if (env == NULL)
    return;

  dirs = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);
  for (guint i = 0; dirs[i] != NULL; i++)
    if (dirs[i][0] != '\0')
      dp_plugin_engine_add_search_path (self, dirs[i], NULL);
}

/**
 * dp_plugin_engine_add_default_paths:
 * @self: a #DpPluginEngine
 * @user_dir_enabled: whether to search the vendor/user directory (the
 *   value of the `Plugin_User_Dir_Enable` parameter)
 *
 * Adds, in this order, the `DESKPHONE_PLUGIN_PATH` directories, the
 * installed plugin directory and, if @user_dir_enabled, the vendor/user
 * directory. Takes effect for plugins loaded afterwards.
 */
void
dp_plugin_engine_add_default_paths (DpPluginEngine *self,
                                    gboolean        user_dir_enabled)
{
  g_return_if_fail (DP_IS_PLUGIN_ENGINE (self));

  dp_plugin_engine_add_env_paths (self);
  dp_plugin_engine_add_search_path (self, DP_PLUGINDIR, DP_PLUGINDIR);
  dp_plugin_engine_add_search_path (self, DP_PLUGINDIR, DP_PLUGINDATADIR);
  if (user_dir_enabled)
    dp_plugin_engine_add_search_path (self, DP_VENDOR_PLUGINDIR, DP_VENDOR_PLUGINDIR);
}

/**
 * dp_plugin_engine_get_search_paths:
 * @self: a #DpPluginEngine
 *
 * Returns: (transfer full): the directories searched for `.plugin` files,
 *   in order
 */
GStrv
dp_plugin_engine_get_search_paths (DpPluginEngine *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (DP_IS_PLUGIN_ENGINE (self), NULL);

  for (guint i = 1; i < self->search_paths->len; i += 2)
    g_strv_builder_add (builder, self->search_paths->pdata[i]);
  return g_strv_builder_end (builder);
}

/**
 * dp_plugin_engine_load:
 * @self: a #DpPluginEngine
 * @name: the plugin's module name (its `Module` key)
 * @error: return location for a #GError
 *
 * Checks, loads and activates one plugin. A failure is also kept with the
 * plugin for dp_plugin_engine_list(). Loading a running plugin succeeds
 * without doing anything.
 *
 * Returns: %TRUE if the plugin is running
 */
gboolean
dp_plugin_engine_load (DpPluginEngine *self,
                       const char     *name,
                       GError        **error)
{
  PeasPluginInfo *info;

  g_return_val_if_fail (DP_IS_PLUGIN_ENGINE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  info = peas_engine_get_plugin_info (self->peas, name);
  if (info == NULL)
    {
      g_autoptr(GError) local_error = NULL;
      g_auto(GStrv) paths = dp_plugin_engine_get_search_paths (self);
      g_autofree char *joined = g_strjoinv (":", paths);

      g_set_error (&local_error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_NOT_FOUND,
                   _("plugin '%s' not found (searched: %s)"), name,
                   joined[0] != '\0' ? joined : "no directories");
      record_failure (get_record (self, name), local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return load_info (self, info, error);
}

/**
 * dp_plugin_engine_load_plugins:
 * @self: a #DpPluginEngine
 * @names: (nullable) (array zero-terminated=1): the module names to load,
 *   or %NULL for every plugin found in the search path
 *
 * Loads and activates the plugins, carrying on after failures, which are
 * logged and kept per plugin.
 *
 * Returns: how many of them are running afterwards
 */
guint
dp_plugin_engine_load_plugins (DpPluginEngine     *self,
                               const char * const *names)
{
  guint running = 0;

  g_return_val_if_fail (DP_IS_PLUGIN_ENGINE (self), 0);

  if (names != NULL)
    {
      for (guint i = 0; names[i] != NULL; i++)
        running += dp_plugin_engine_load (self, names[i], NULL) ? 1 : 0;
      return running;
    }

  /* Copy the list: loading can make libpeas rescan and replace it. */
  {
    g_autoptr(GPtrArray) infos = g_ptr_array_new ();

    for (const GList *l = peas_engine_get_plugin_list (self->peas); l != NULL; l = l->next)
      if (!peas_plugin_info_is_hidden (l->data))
        g_ptr_array_add (infos, l->data);

    for (guint i = 0; i < infos->len; i++)
      running += load_info (self, infos->pdata[i], NULL) ? 1 : 0;
  }
  return running;
}

/**
 * dp_plugin_engine_unload:
 * @self: a #DpPluginEngine
 * @name: the plugin's module name
 * @error: return location for a #GError
 *
 * Deactivates and unloads a running plugin, and before it the running
 * plugins that depend on it.
 *
 * Returns: %TRUE if the plugin was running and is now stopped
 */
gboolean
dp_plugin_engine_unload (DpPluginEngine *self,
                         const char     *name,
                         GError        **error)
{
  PluginRecord *record;

  g_return_val_if_fail (DP_IS_PLUGIN_ENGINE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  record = g_hash_table_lookup (self->records, name);
  if (record == NULL || record->plugin == NULL)
    {
      g_set_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_NOT_LOADED,
                   _("plugin '%s' is not loaded"), name);
      return FALSE;
    }

  /* Dependents first, newest first; rescan after each since stopping one
   * changes the list. */
  for (;;)
    {
      PluginRecord *dependent = NULL;

      for (guint i = self->active->len; i > 0 && dependent == NULL; i--)
        if (depends_on (self, self->active->pdata[i - 1], name, 0))
          dependent = g_hash_table_lookup (self->records, self->active->pdata[i - 1]);
      if (dependent == NULL)
        break;
      deactivate_record (self, dependent);
    }

  deactivate_record (self, record);
  return TRUE;
}

/**
 * dp_plugin_engine_unload_all:
 * @self: a #DpPluginEngine
 *
 * Deactivates and unloads every running plugin, in reverse activation
 * order. Their records (and past errors) stay listed.
 */
void
dp_plugin_engine_unload_all (DpPluginEngine *self)
{
  g_return_if_fail (DP_IS_PLUGIN_ENGINE (self));

  while (self->active->len > 0)
    {
      const char *name = self->active->pdata[self->active->len - 1];
      PluginRecord *record = g_hash_table_lookup (self->records, name);

      deactivate_record (self, record);
    }
}

/* libpeas reads Name and Description once, in the language the process had
 * when it found the plugin, while the l10n plugin changes the language at
 * run time (LANGUAGE). The .plugin files carry the translations (Name[de]=...,
 * merged from po/ at build time), so the keys are read again, in the current
 * language, from <module dir>/<module>.plugin; libpeas' values when that file
 * is named otherwise. */
static void
localized_texts (PeasPluginInfo *peas_info,
                 char          **name,
                 char          **description)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *basename = g_strconcat (peas_plugin_info_get_module_name (peas_info),
                                           ".plugin", NULL);
  g_autofree char *path = g_build_filename (peas_plugin_info_get_module_dir (peas_info),
                                            basename, NULL);

  if (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    {
      *name = g_key_file_get_locale_string (file, "Plugin", "Name", NULL, NULL);
      *description = g_key_file_get_locale_string (file, "Plugin", "Description", NULL, NULL);
    }
  if (*name == NULL)
    *name = g_strdup (peas_plugin_info_get_name (peas_info));
  if (*description == NULL)
    *description = g_strdup (peas_plugin_info_get_description (peas_info));
}

static DpPluginInfo *
make_info (DpPluginEngine *self,
           const char     *name)
{
  PeasPluginInfo *peas_info = peas_engine_get_plugin_info (self->peas, name);
  PluginRecord *record = g_hash_table_lookup (self->records, name);
  DpPluginInfo *info = g_new0 (DpPluginInfo, 1);

  g_atomic_ref_count_init (&info->ref_count);
  info->name = g_strdup (name);
  if (peas_info != NULL)
    {
      localized_texts (peas_info, &info->display_name, &info->description);
      info->version = g_strdup (peas_plugin_info_get_version (peas_info));
      info->module_dir = g_strdup (peas_plugin_info_get_module_dir (peas_info));
      info->api_version = g_strdup (peas_plugin_info_get_external_data (peas_info, "Deskphone-API"));
    }
  if (record != NULL)
    {
      info->loaded = record->plugin != NULL;
      if (record->error != NULL)
        info->error = g_error_copy (record->error);
    }
  return info;
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
collect_names (DpPluginEngine *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  for (const GList *l = peas_engine_get_plugin_list (self->peas); l != NULL; l = l->next)
    {
      const char *name = peas_plugin_info_get_module_name (l->data);

      if (!peas_plugin_info_is_hidden (l->data) && g_hash_table_add (seen, (gpointer) name))
        g_ptr_array_add (names, (gpointer) name);
    }

  /* Plugins asked for by name but not found have only a record. */
  g_hash_table_iter_init (&iter, self->records);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_hash_table_add (seen, key))
      g_ptr_array_add (names, key);

  g_ptr_array_sort (names, compare_names);
  return names;
}

/**
 * dp_plugin_engine_list:
 * @self: a #DpPluginEngine
 *
 * Every plugin found in the search path, plus plugins asked for by name
 * that were not found, sorted by name.
 *
 * Returns: (transfer container) (element-type DpPluginInfo): snapshots of
 *   the plugins' state; the array owns its elements
 */
GPtrArray *
dp_plugin_engine_list (DpPluginEngine *self)
{
  g_autoptr(GPtrArray) names = NULL;
  GPtrArray *infos;

  g_return_val_if_fail (DP_IS_PLUGIN_ENGINE (self), NULL);

  names = collect_names (self);
  infos = g_ptr_array_new_full (names->len, (GDestroyNotify) dp_plugin_info_unref);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (infos, make_info (self, names->pdata[i]));
  return infos;
}

/**
 * dp_plugin_engine_lookup:
 * @self: a #DpPluginEngine
 * @name: a module name
 *
 * Returns: (transfer full) (nullable): a snapshot of the plugin's state,
 *   or %NULL if the engine knows no plugin of that name
 */
DpPluginInfo *
dp_plugin_engine_lookup (DpPluginEngine *self,
                         const char     *name)
{
  g_return_val_if_fail (DP_IS_PLUGIN_ENGINE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (peas_engine_get_plugin_info (self->peas, name) == NULL &&
      !g_hash_table_contains (self->records, name))
    return NULL;
  return make_info (self, name);
}

/**
 * dp_plugin_engine_get_plugin:
 * @self: a #DpPluginEngine
 * @name: a module name
 *
 * Returns: (transfer none) (nullable): the running instance of the plugin
 */
DpPlugin *
dp_plugin_engine_get_plugin (DpPluginEngine *self,
                             const char     *name)
{
  PluginRecord *record;

  g_return_val_if_fail (DP_IS_PLUGIN_ENGINE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  record = g_hash_table_lookup (self->records, name);
  return record != NULL ? record->plugin : NULL;
}

/**
 * dp_plugin_engine_to_json:
 * @self: a #DpPluginEngine
 *
 * The `plugins` member of the status JSON: an array, sorted by name, of
 * objects `{"name", "display_name", "loaded", "error" (null or text),
 * "version", "description", "api_version"}` (see
 * dp_plugin_info_to_json()).
 *
 * Returns: (transfer full): a JSON array node
 */
JsonNode *
dp_plugin_engine_to_json (DpPluginEngine *self)
{
  g_autoptr(GPtrArray) infos = NULL;
  JsonArray *array;
  JsonNode *node;

  g_return_val_if_fail (DP_IS_PLUGIN_ENGINE (self), NULL);

  infos = dp_plugin_engine_list (self);
  array = json_array_sized_new (infos->len);
  for (guint i = 0; i < infos->len; i++)
    json_array_add_element (array, dp_plugin_info_to_json (infos->pdata[i]));

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

/**
 * dp_plugin_info_ref:
 * @info: a #DpPluginInfo
 *
 * Returns: (transfer full): @info
 */
DpPluginInfo *
dp_plugin_info_ref (DpPluginInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  g_atomic_ref_count_inc (&info->ref_count);
  return info;
}

/**
 * dp_plugin_info_unref:
 * @info: (transfer full): a #DpPluginInfo
 */
void
dp_plugin_info_unref (DpPluginInfo *info)
{
  g_return_if_fail (info != NULL);

  if (!g_atomic_ref_count_dec (&info->ref_count))
    return;

  g_free (info->name);
  g_free (info->display_name);
  g_free (info->description);
  g_free (info->version);
  g_free (info->module_dir);
  g_free (info->api_version);
  g_clear_error (&info->error);
  g_free (info);
}

/**
 * dp_plugin_info_get_name:
 * @info: a #DpPluginInfo
 *
 * Returns: the module name (the `Module` key), which identifies the plugin
 */
const char *
dp_plugin_info_get_name (DpPluginInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->name;
}

/**
 * dp_plugin_info_get_display_name:
 * @info: a #DpPluginInfo
 *
 * Returns: (nullable): the human-readable `Name` key, %NULL if the plugin
 *   was not found
 */
const char *
dp_plugin_info_get_display_name (DpPluginInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->display_name;
}

/**
 * dp_plugin_info_get_description:
 * @info: a #DpPluginInfo
 *
 * Returns: (nullable): the `Description` key
 */
const char *
dp_plugin_info_get_description (DpPluginInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->description;
}

/**
 * dp_plugin_info_get_version:
 * @info: a #DpPluginInfo
 *
 * Returns: (nullable): the `Version` key
 */
const char *
dp_plugin_info_get_version (DpPluginInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->version;
}

/**
 * dp_plugin_info_get_module_dir:
 * @info: a #DpPluginInfo
 *
 * Returns: (nullable): the directory the module is loaded from
 */
const char *
dp_plugin_info_get_module_dir (DpPluginInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->module_dir;
}

/**
 * dp_plugin_info_get_api_version:
 * @info: a #DpPluginInfo
 *
 * Returns: (nullable): the declared `X-Deskphone-API`, %NULL if missing
 */
const char *
dp_plugin_info_get_api_version (DpPluginInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->api_version;
}

/**
 * dp_plugin_info_is_loaded:
 * @info: a #DpPluginInfo
 *
 * Returns: %TRUE if the plugin was running when the snapshot was taken
 */
gboolean
dp_plugin_info_is_loaded (DpPluginInfo *info)
{
  g_return_val_if_fail (info != NULL, FALSE);
  return info->loaded;
}

/**
 * dp_plugin_info_get_error:
 * @info: a #DpPluginInfo
 *
 * Returns: (nullable): why the last attempt to load the plugin failed, in
 *   the %DP_PLUGIN_ERROR domain
 */
const GError *
dp_plugin_info_get_error (DpPluginInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->error;
}

/**
 * dp_plugin_info_get_error_message:
 * @info: a #DpPluginInfo
 *
 * Returns: (nullable): the message of dp_plugin_info_get_error()
 */
const char *
dp_plugin_info_get_error_message (DpPluginInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->error != NULL ? info->error->message : NULL;
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * dp_plugin_info_to_json:
 * @info: a #DpPluginInfo
 *
 * Returns: (transfer full): `{"name", "display_name", "loaded", "error",
 *   "version", "description", "api_version"}`; text members are
 *   null when unknown, "error" is null when the plugin did not fail
 */
JsonNode *
dp_plugin_info_to_json (DpPluginInfo *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (info != NULL, NULL);

  json_builder_begin_object (builder);
  add_nullable_string (builder, "name", info->name);
  add_nullable_string (builder, "display_name", info->display_name);
  json_builder_set_member_name (builder, "loaded");
  json_builder_add_boolean_value (builder, info->loaded);
  add_nullable_string (builder, "error", info->error != NULL ? info->error->message : NULL);
  add_nullable_string (builder, "version", info->version);
  add_nullable_string (builder, "description", info->description);
  add_nullable_string (builder, "api_version", info->api_version);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
