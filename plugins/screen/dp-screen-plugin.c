/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The screen plugin: the reference phone screen (GTK 4) on the daemon's own
 * main loop. activate() refuses to run without a display (WAYLAND_DISPLAY
 * or DISPLAY unset, or GTK cannot open it), so a headless daemon lists the
 * plugin with a "no display" error and goes on.
 *
 * GTK runs on the default GMainContext that deskphoned's loop iterates:
 * gtk_init() here, no GApplication and no second loop. GTK cannot be shut
 * down, so the module stays resident once loaded.
 *
 * The call history and the personal directory are the core's
 * (dp_core_get_call_history(), dp_core_get_directory()): the screen shows
 * and edits them, the core records calls and stores both.
 *
 * Test/demo facility: `DESKPHONE_SCREEN_SCRIPT=<file>` runs the steps of
 * dp-screen-script.h once the window is up; screenshots go to
 * `DESKPHONE_SCREEN_SCREENSHOT_DIR` (default `<state>/screenshots`), each
 * NAME.png with NAME.json (dp_screen_describe()).
 */
#define G_LOG_DOMAIN "dp-screen"

#include "dp-build-config.h"
#include "dp-screen.h"
#include "dp-screen-script.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libpeas/peas.h>

#define STEP_GAP_MS 300

#define DP_TYPE_SCREEN_PLUGIN (dp_screen_plugin_get_type ())
G_DECLARE_FINAL_TYPE (DpScreenPlugin, dp_screen_plugin, DP, SCREEN_PLUGIN, GObject)

struct _DpScreenPlugin
{
  GObject            parent_instance;
  DpCore            *core;
  DpScreen          *screen;
  DpCallHistory     *history;
  DpDirectory       *directory;

  GPtrArray         *steps;
  guint              step;
  guint              step_id;       /* next step / wait timeout */
  guint              shot_tries;    /* attempts at the current screenshot */
  gulong             wait_call_id;  /* call-changed while waiting */
  char              *shot_dir;
};

static void dp_screen_plugin_iface_init (DpPluginInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (DpScreenPlugin, dp_screen_plugin, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (DP_TYPE_PLUGIN,
                                                               dp_screen_plugin_iface_init))

/* ---- script ------------------------------------------------------------- */

static void run_next_step (DpScreenPlugin *self, guint delay_ms);

static void
stop_waiting (DpScreenPlugin *self)
{
  g_clear_handle_id (&self->step_id, g_source_remove);
  if (self->core != NULL)
    g_clear_signal_handler (&self->wait_call_id, self->core);
}

static void
script_failed (DpScreenPlugin *self, const DpScreenStep *step, const char *why)
{
  stop_waiting (self);
  g_warning ("screen script: line %u failed: %s", step->line, why);
  self->step = self->steps->len;
}

static gboolean
wait_satisfied (DpScreenPlugin *self, const DpScreenStep *step)
{
  if (step->kind == DP_SCREEN_STEP_WAIT_CALL)
    return dp_screen_has_call_in_state (self->screen, step->state);
  return dp_screen_is_idle (self->screen);
}

static void
on_wait_call_changed (DpCore *core, DpCall *call, gpointer user_data)
{
  DpScreenPlugin *self = user_data;
  const DpScreenStep *step = self->steps->pdata[self->step];

  /* ENDED calls leave the list on an idle after the signal, so "idle"
   * is checked once more after that. */
  if (wait_satisfied (self, step) ||
      (step->kind == DP_SCREEN_STEP_WAIT_CALL && dp_call_get_state (call) == step->state))
    {
      stop_waiting (self);
      g_message ("screen script: line %u done", step->line);
      self->step++;
      run_next_step (self, STEP_GAP_MS);
    }
  else if (step->kind == DP_SCREEN_STEP_WAIT_IDLE && dp_call_get_state (call) == DP_CALL_STATE_ENDED)
    {
      g_clear_handle_id (&self->step_id, g_source_remove);
      g_clear_signal_handler (&self->wait_call_id, self->core);
      run_next_step (self, 50);   /* re-run the same step: the list is updated then */
    }
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  DpScreenPlugin *self = user_data;
  const DpScreenStep *step = self->steps->pdata[self->step];
  g_autofree char *why = g_strdup_printf ("timed out after %u ms", step->ms);

  self->step_id = 0;
  script_failed (self, step, why);
  return G_SOURCE_REMOVE;
}

static gboolean
save_screenshot (DpScreenPlugin *self, const char *name, GError **error)
{
  g_autofree char *png = g_strdup_printf ("%s/%s.png", self->shot_dir, name);
  g_autofree char *json_path = g_strdup_printf ("%s/%s.json", self->shot_dir, name);
  g_autoptr(JsonNode) description = dp_screen_describe (self->screen);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  if (g_mkdir_with_parents (self->shot_dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", self->shot_dir);
      return FALSE;
    }
  if (!dp_screen_save_png (self->screen, png, error))
    return FALSE;
  json_generator_set_root (generator, description);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  return g_file_set_contents (json_path, text, -1, error);
}

static gboolean
run_step (gpointer user_data)
{
  DpScreenPlugin *self = user_data;
  const DpScreenStep *step;
  g_autoptr(GError) error = NULL;
  GtkWidget *widget;

  self->step_id = 0;
  if (self->step >= self->steps->len)
    {
      g_message ("screen script: finished");
      return G_SOURCE_REMOVE;
    }
  step = self->steps->pdata[self->step];
  switch (step->kind)
    {
    case DP_SCREEN_STEP_PRESS:
    case DP_SCREEN_STEP_TYPE:
      widget = dp_screen_find_widget (self->screen, step->name);
      if (widget == NULL)
        {
          g_autofree char *why = g_strdup_printf ("no widget named “%s”", step->name);
          script_failed (self, step, why);
          return G_SOURCE_REMOVE;
        }
      if (!gtk_widget_get_mapped (widget) || !gtk_widget_is_sensitive (widget))
        {
          g_autofree char *why = g_strdup_printf ("“%s” is not shown or not sensitive", step->name);
          script_failed (self, step, why);
          return G_SOURCE_REMOVE;
        }
      if (step->kind == DP_SCREEN_STEP_TYPE)
        {
          if (!GTK_IS_EDITABLE (widget))
            {
              g_autofree char *why = g_strdup_printf ("“%s” is not a text entry", step->name);
              script_failed (self, step, why);
              return G_SOURCE_REMOVE;
            }
          gtk_editable_set_text (GTK_EDITABLE (widget), step->text);
        }
      else if (!gtk_widget_activate (widget))
        {
          g_autofree char *why = g_strdup_printf ("“%s” cannot be pressed", step->name);
          script_failed (self, step, why);
          return G_SOURCE_REMOVE;
        }
      break;
    case DP_SCREEN_STEP_SCREENSHOT:
      if (!save_screenshot (self, step->name, &error))
        {
          /* A window that is between layout and paint (a loaded machine)
           * draws nothing for a moment: try again for up to a second. */
          if (++self->shot_tries < 10)
            {
              self->step_id = g_timeout_add (100, run_step, self);
              return G_SOURCE_REMOVE;
            }
          self->shot_tries = 0;
          script_failed (self, step, error->message);
          return G_SOURCE_REMOVE;
        }
      self->shot_tries = 0;
      break;
    case DP_SCREEN_STEP_WAIT:
      g_message ("screen script: line %u done", step->line);
      self->step++;
      run_next_step (self, step->ms);
      return G_SOURCE_REMOVE;
    case DP_SCREEN_STEP_WAIT_CALL:
    case DP_SCREEN_STEP_WAIT_IDLE:
      if (!wait_satisfied (self, step))
        {
          g_message ("screen script: line %u waiting", step->line);
          self->wait_call_id = g_signal_connect (self->core, "call-changed",
                                                 G_CALLBACK (on_wait_call_changed), self);
          self->step_id = g_timeout_add (step->ms, on_wait_timeout, self);
          return G_SOURCE_REMOVE;
        }
      break;
    case DP_SCREEN_STEP_LOG:
      g_message ("screen script: %s", step->text);
      break;
    default:
      break;
    }
  g_message ("screen script: line %u done", step->line);
  self->step++;
  run_next_step (self, STEP_GAP_MS);
  return G_SOURCE_REMOVE;
}

static void
run_next_step (DpScreenPlugin *self, guint delay_ms)
{
  g_clear_handle_id (&self->step_id, g_source_remove);
  self->step_id = g_timeout_add (delay_ms, run_step, self);
}

static void
start_script (DpScreenPlugin *self, const char *path)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  const char *shots = g_getenv ("DESKPHONE_SCREEN_SCREENSHOT_DIR");

  if (!g_file_get_contents (path, &data, &length, &error))
    {
      g_warning ("screen script: %s", error->message);
      return;
    }
  self->steps = dp_screen_script_parse (data, (gssize) length, &error);
  if (self->steps == NULL)
    {
      g_warning ("screen script: %s: %s", path, error->message);
      return;
    }
  self->shot_dir = shots != NULL && *shots != '\0'
                   ? g_strdup (shots)
                   : g_build_filename (dp_core_get_state_dir (self->core), "screenshots", NULL);
  g_message ("screen script: %u steps from %s", self->steps->len, path);
  /* Give the window its first frames before the first step. */
  run_next_step (self, 1000);
}

/* ---- plugin ------------------------------------------------------------- */

static gboolean
dp_screen_plugin_activate (DpPlugin *plugin, DpCore *core, GError **error)
{
  DpScreenPlugin *self = DP_SCREEN_PLUGIN (plugin);
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");
  const char *x11 = g_getenv ("DISPLAY");
  const char *script = g_getenv ("DESKPHONE_SCREEN_SCRIPT");

  if ((wayland == NULL || *wayland == '\0') && (x11 == NULL || *x11 == '\0'))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "no display: neither WAYLAND_DISPLAY nor DISPLAY is set");
      return FALSE;
    }
  if (!gtk_init_check ())
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   "no display: GTK cannot open the display (WAYLAND_DISPLAY=%s DISPLAY=%s)",
                   wayland ? wayland : "", x11 ? x11 : "");
      return FALSE;
    }

  self->core = g_object_ref (core);
  self->history = g_object_ref (dp_core_get_call_history (core));
  self->directory = g_object_ref (dp_core_get_directory (core));
  g_message ("screen: %u history entries, %u directory entries",
             dp_call_history_get_n_entries (self->history),
             dp_directory_get_n_entries (self->directory));

  self->screen = dp_screen_new (core, self->history, self->directory);
  dp_screen_present (self->screen);
  if (script != NULL && *script != '\0')
    start_script (self, script);
  return TRUE;
}

static void
dp_screen_plugin_deactivate (DpPlugin *plugin)
{
  DpScreenPlugin *self = DP_SCREEN_PLUGIN (plugin);

  stop_waiting (self);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_pointer (&self->shot_dir, g_free);
  if (self->screen != NULL)
    dp_screen_close (self->screen);
  g_clear_object (&self->screen);
  g_clear_object (&self->history);
  g_clear_object (&self->directory);
  g_clear_object (&self->core);
}

static void
dp_screen_plugin_iface_init (DpPluginInterface *iface)
{
  iface->activate = dp_screen_plugin_activate;
  iface->deactivate = dp_screen_plugin_deactivate;
}

static void
dp_screen_plugin_dispose (GObject *object)
{
  dp_screen_plugin_deactivate (DP_PLUGIN (object));
  G_OBJECT_CLASS (dp_screen_plugin_parent_class)->dispose (object);
}

static void
dp_screen_plugin_class_init (DpScreenPluginClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dp_screen_plugin_dispose;
}

static void
dp_screen_plugin_class_finalize (DpScreenPluginClass *klass)
{
}

static void
dp_screen_plugin_init (DpScreenPlugin *self)
{
}

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  /* GTK registers static types and display connections that must outlive
   * any unload: one extra use keeps this module (and libgtk) resident. */
  g_type_module_use (G_TYPE_MODULE (module));
  dp_screen_plugin_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, DP_TYPE_PLUGIN, DP_TYPE_SCREEN_PLUGIN);
}
