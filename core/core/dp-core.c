/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpCore: the root of the domain model. It owns the parameter store with
 * the SPA catalogue registered, knows the state folder, and collects the
 * sections of the status document that plugins contribute. */
#define G_LOG_DOMAIN "dp-core"

#include "dp-build-config.h"
#include "dp-core-private.h"
#include "dp-catalog.h"
#include "dp-core-syntaxes.h"

#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

struct _DpCore {
  GObject parent_instance;

  DpConfig *config;
  char *state_dir;
  gint64 started_us;
  GHashTable *ports;              /* "service/index" -> port */
  GPtrArray *status_sections;     /* StatusSection*, in registration order */
  DpCoreCalls calls;
  GHashTable *actions;            /* name -> Action (dp-core-actions.c) */
  char *language;                 /* effective UI language, set by the l10n plugin */
  DpCallHistory *history;         /* <state>/history.json */
  DpDirectory *directory;         /* <state>/directory.json */
};

typedef struct {
  char *name;
  DpStatusSectionFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
} StatusSection;

enum {
  SIGNAL_STATUS_CHANGED,
  SIGNAL_CALL_CHANGED,
  SIGNAL_LANGUAGE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DpCore, dp_core, G_TYPE_OBJECT)

DpCoreCalls *
dp_core_get_calls_state (DpCore *self)
{
  return &self->calls;
}

GHashTable *
dp_core_get_actions (DpCore *self)
{
  return self->actions;
}

static void
status_section_free (gpointer data)
{
  StatusSection *section = data;

  if (section->destroy != NULL)
    section->destroy (section->user_data);
  g_free (section->name);
  g_free (section);
}

static void
dp_core_finalize (GObject *object)
{
  DpCore *self = DP_CORE (object);

  g_clear_pointer (&self->status_sections, g_ptr_array_unref);
  dp_core_calls_clear (&self->calls);
  g_clear_object (&self->history);
  g_clear_object (&self->directory);
  g_clear_pointer (&self->actions, g_hash_table_unref);
  g_clear_pointer (&self->ports, g_hash_table_unref);
  g_clear_object (&self->config);
  g_clear_pointer (&self->state_dir, g_free);
  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (dp_core_parent_class)->finalize (object);
}

static void
dp_core_class_init (DpCoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dp_core_finalize;

  /**
   * DpCore::call-changed:
   * @core: the core
   * @call: a call that was added or whose state, peer or media changed
   *
   * One place to watch every call (D-Bus, GUI, sidecar).
   */
  /**
   * DpCore::status-changed:
   * @core: the core
   * @section: the member of the status document that changed ("sidecar",
   *   "feeds" ...); also the signal detail
   *
   * Lets the GUI and D-Bus clients follow sections that plugins own without
   * polling (calls and lines have their own signals).
   */
  signals[SIGNAL_STATUS_CHANGED] =
    g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CALL_CHANGED] =
    g_signal_new ("call-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DP_TYPE_CALL);

  /**
   * DpCore::language-changed:
   * @core: the core
   *
   * The user-interface language changed (dp_core_set_language()): every
   * string from g_dgettext() ("deskphone" domain) is now in the new
   * language, so a GUI redraws its labels.
   */
  signals[SIGNAL_LANGUAGE_CHANGED] =
    g_signal_new ("language-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/* The history is the core's own: every call that ends is recorded here,
 * whichever plugin provides calls and whether or not a screen runs. */
static void
on_call_changed_record (DpCore *self, DpCall *call, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!dp_call_history_record_call (self->history, call, g_get_real_time () / G_USEC_PER_SEC))
    return;
  if (!dp_call_history_save (self->history, &error))
    g_warning ("call history not saved: %s", error->message);
}

/* Counts only: the entries themselves are personal (ListHistory is
 * restricted on the system bus, the status document is not). */
static JsonNode *
history_status (DpCore *self, gpointer user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  for (guint kind = DP_CALL_HISTORY_PLACED; kind <= DP_CALL_HISTORY_MISSED; kind++)
    {
      json_builder_set_member_name (builder, dp_call_history_kind_to_string (kind));
      json_builder_add_int_value (builder, dp_call_history_count_kind (self->history, kind));
    }
  json_builder_set_member_name (builder, "directory");
  json_builder_add_int_value (builder, dp_directory_get_n_entries (self->directory));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
dp_core_init (DpCore *self)
{
  self->started_us = g_get_monotonic_time ();
  self->ports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->status_sections = g_ptr_array_new_with_free_func (status_section_free);
  dp_core_calls_init (self, &self->calls);
  self->actions = dp_core_actions_new ();
}

/**
 * dp_core_new:
 * @state_dir: the folder for persisted configuration and downloads
 *
 * Creates the core with the whole SPA parameter set registered and the
 * script syntaxes checked. Call dp_core_load_state() next.
 *
 * Returns: (transfer full): a new #DpCore
 */
DpCore *
dp_core_new (const char *state_dir)
{
  DpCore *self = g_object_new (DP_TYPE_CORE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *state_file = NULL;
  const DpParamDecl *decls;
  gsize n_decls;

  g_return_val_if_fail (state_dir != NULL, NULL);

  self->state_dir = g_strdup (state_dir);
  self->config = dp_config_new ();
  dp_core_register_syntaxes (self->config);
  decls = dp_catalog_spa (&n_decls);
  /* The catalogue is compiled in and covered by tests: failing here is a
   * programming error, not a runtime condition. */
  if (!dp_config_register (self->config, "core", decls, n_decls, &error))
    g_error ("the built-in parameter catalogue is invalid: %s", error->message);
  state_file = g_build_filename (state_dir, "config.xml", NULL);
  dp_config_set_state_file (self->config, state_file);
  {
    g_autofree char *history_path = g_build_filename (state_dir, "history.json", NULL);
    g_autofree char *directory_path = g_build_filename (state_dir, "directory.json", NULL);

    self->history = dp_call_history_new (history_path);
    self->directory = dp_directory_new (directory_path);
  }
  g_signal_connect (self, "call-changed", G_CALLBACK (on_call_changed_record), NULL);
  dp_core_add_status_section (self, "history", history_status, NULL, NULL);
  return self;
}

/**
 * dp_core_get_config:
 * @self: a #DpCore
 *
 * Returns: (transfer none): the parameter store
 */
DpConfig *
dp_core_get_config (DpCore *self)
{
  g_return_val_if_fail (DP_IS_CORE (self), NULL);

  return self->config;
}

const char *
dp_core_get_state_dir (DpCore *self)
{
  g_return_val_if_fail (DP_IS_CORE (self), NULL);

  return self->state_dir;
}

const char *
dp_core_get_version (DpCore *self)
{
  return PACKAGE_VERSION;
}

gint64
dp_core_get_uptime_s (DpCore *self)
{
  g_return_val_if_fail (DP_IS_CORE (self), 0);

  return (g_get_monotonic_time () - self->started_us) / G_USEC_PER_SEC;
}

/**
 * dp_core_load_state:
 * @self: a #DpCore
 * @error: return location for a #GError
 *
 * Loads the persisted configuration, call history and directory. A damaged
 * history or directory is kept aside (`.corrupt`) and starts empty without
 * failing this call. A damaged state file is moved aside
 * (kept as config.xml.damaged) and reported; the phone then runs on its
 * factory configuration rather than not at all.
 *
 * Returns: %TRUE if the state loaded cleanly
 */
/* A damaged history or directory must not keep the phone from starting
 * nor be overwritten by the next change: it is kept aside and the list
 * starts empty. */
static void
load_store_or_move_aside (const char *what, const char *path, gboolean ok, GError *error)
{
  g_autofree char *aside = NULL;

  if (ok)
    return;
  aside = g_strconcat (path, ".corrupt", NULL);
  g_warning ("%s not loaded, starting empty (kept as %s): %s", what, aside, error->message);
  if (g_rename (path, aside) != 0)
    g_warning ("cannot move %s aside", path);
}

gboolean
dp_core_load_state (DpCore *self, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *state_file;
  gboolean ok;

  g_return_val_if_fail (DP_IS_CORE (self), FALSE);

  ok = dp_call_history_load (self->history, &local_error);
  load_store_or_move_aside ("call history", dp_call_history_get_path (self->history), ok, local_error);
  g_clear_error (&local_error);
  ok = dp_directory_load (self->directory, &local_error);
  load_store_or_move_aside ("directory", dp_directory_get_path (self->directory), ok, local_error);
  g_clear_error (&local_error);

  if (dp_config_load (self->config, &local_error))
    return TRUE;

  state_file = dp_config_get_state_file (self->config);
  if (g_error_matches (local_error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_STORAGE) ||
      g_error_matches (local_error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE))
    {
      g_autofree char *aside = g_strconcat (state_file, ".damaged", NULL);

      if (g_rename (state_file, aside) == 0)
        g_prefix_error (&local_error, _("kept the damaged file as %s: "), aside);
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static char *
port_key (const char *service, guint index)
{
  return g_strdup_printf ("%s/%u", service, index);
}

/**
 * dp_core_set_port:
 * @self: a #DpCore
 * @service: "sip", "web" ...
 * @index: the line (1-based) for per-line services, else 0
 * @port: the port really bound (0 to forget it)
 *
 * Records a listening port for the status document (parameters may say 0
 * meaning "pick a free port"; this is the port that was picked).
 */
void
dp_core_set_port (DpCore *self, const char *service, guint index, guint port)
{
  g_return_if_fail (DP_IS_CORE (self));

  if (port == 0)
    {
      g_autofree char *key = port_key (service, index);
      g_hash_table_remove (self->ports, key);
    }
  else
    g_hash_table_replace (self->ports, port_key (service, index), GUINT_TO_POINTER (port));
}

guint
dp_core_get_port (DpCore *self, const char *service, guint index)
{
  g_autofree char *key = port_key (service, index);

  g_return_val_if_fail (DP_IS_CORE (self), 0);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->ports, key));
}

/**
 * dp_core_add_status_section:
 * @self: a #DpCore
 * @name: the member name in the status document
 * @func: (scope notified) (closure user_data) (destroy destroy): builds it
 * @user_data: data for @func
 * @destroy: frees @user_data
 *
 * Lets a plugin contribute a section of the status document. A later
 * registration with the same name replaces the earlier one.
 */
void
dp_core_add_status_section (DpCore *self, const char *name, DpStatusSectionFunc func,
                            gpointer user_data, GDestroyNotify destroy)
{
  StatusSection *section;

  g_return_if_fail (DP_IS_CORE (self));
  g_return_if_fail (name != NULL && func != NULL);

  dp_core_remove_status_section (self, name);
  section = g_new0 (StatusSection, 1);
  section->name = g_strdup (name);
  section->func = func;
  section->user_data = user_data;
  section->destroy = destroy;
  g_ptr_array_add (self->status_sections, section);
}

void
dp_core_remove_status_section (DpCore *self, const char *name)
{
  g_return_if_fail (DP_IS_CORE (self));

  for (guint i = 0; i < self->status_sections->len; i++)
    {
      StatusSection *section = self->status_sections->pdata[i];

      if (g_strcmp0 (section->name, name) == 0)
        {
          g_ptr_array_remove_index (self->status_sections, i);
          return;
        }
    }
}

/**
 * dp_core_notify_status:
 * @self: a #DpCore
 * @section: the status member that changed
 *
 * For plugins that contribute a status section: announces a change of it.
 */
void
dp_core_notify_status (DpCore *self, const char *section)
{
  g_return_if_fail (DP_IS_CORE (self));
  g_return_if_fail (section != NULL);

  g_signal_emit (self, signals[SIGNAL_STATUS_CHANGED], g_quark_from_string (section), section);
}

void
dp_core_add_other_sections (DpCore *self, JsonBuilder *builder)
{
  static const char * const known[] = {
    "plugins", "lines", "calls", "provisioning", "sidecar", "feeds", NULL,
  };

  for (guint i = 0; i < self->status_sections->len; i++)
    {
      StatusSection *section = self->status_sections->pdata[i];

      if (g_strv_contains (known, section->name))
        continue;
      json_builder_set_member_name (builder, section->name);
      json_builder_add_value (builder, section->func (self, section->user_data));
    }
}

JsonNode *
dp_core_build_section (DpCore *self, const char *name)
{
  for (guint i = 0; i < self->status_sections->len; i++)
    {
      StatusSection *section = self->status_sections->pdata[i];

      if (g_strcmp0 (section->name, name) == 0)
        return section->func (self, section->user_data);
    }
  return NULL;
}

/**
 * dp_core_set_language:
 * @self: a #DpCore
 * @language: (nullable): the language now in effect, as the SPA names it
 *   ("French"), or %NULL to go back to reporting Language_Selection
 *
 * Called by the plugin that switches the process' gettext language (the
 * l10n plugin) once the switch is done; emits #DpCore::language-changed
 * when the value changes. The status document reports it as "language".
 */
void
dp_core_set_language (DpCore *self, const char *language)
{
  g_return_if_fail (DP_IS_CORE (self));

  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  g_signal_emit (self, signals[SIGNAL_LANGUAGE_CHANGED], 0);
}

/**
 * dp_core_get_language:
 * @self: a #DpCore
 *
 * Returns: the language in effect: the one the l10n plugin set, else
 *   Language_Selection, else "English"
 */
const char *
dp_core_get_language (DpCore *self)
{
  const char *selection;

  g_return_val_if_fail (DP_IS_CORE (self), NULL);

  if (self->language != NULL)
    return self->language;
  selection = dp_config_get (self->config, "Language_Selection");
  return selection && *selection ? selection : "English";
}

/**
 * dp_core_get_call_history:
 * @self: a #DpCore
 *
 * Returns: (transfer none): the placed / received / missed lists
 */
DpCallHistory *
dp_core_get_call_history (DpCore *self)
{
  g_return_val_if_fail (DP_IS_CORE (self), NULL);

  return self->history;
}

/**
 * dp_core_get_directory:
 * @self: a #DpCore
 *
 * Returns: (transfer none): the personal directory
 */
DpDirectory *
dp_core_get_directory (DpCore *self)
{
  g_return_val_if_fail (DP_IS_CORE (self), NULL);

  return self->directory;
}
