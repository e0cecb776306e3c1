/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-screen"

#include "dp-build-config.h"
#include "dp-screen.h"
#include "dp-screen-softkeys.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define N_LINE_KEYS 6
#define SIDECAR_UNITS 2
#define SIDECAR_KEYS 32
#define TICKER_CHARS 90
#define VOLUME_MAX 15

typedef enum {
  AUDIO_HANDSET,
  AUDIO_SPEAKER,
  AUDIO_HEADSET,
} AudioDevice;

/* ---- LEDs --------------------------------------------------------------- */

typedef struct {
  GtkWidget  *area;
  char       *text;        /* the script in force */
  DpLedScript script;
  guint       timing[DP_LED_MAX_TIMING];
  guint       n_timing;
  guint       phase;
  gboolean    lit;
  guint       source_id;
} Led;

static void
led_free (gpointer data)
{
  Led *led = data;

  g_clear_handle_id (&led->source_id, g_source_remove);
  g_free (led->text);
  g_free (led);
}

static void
led_draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  Led *led = user_data;
  double r = 0.25, g = 0.25, b = 0.25;
  double radius = MIN (width, height) / 2.0 - 1;

  if (led->lit)
    switch (led->script.color)
      {
      case DP_LED_COLOR_RED: r = 0.9; g = 0.1; b = 0.1; break;
      case DP_LED_COLOR_GREEN: r = 0.1; g = 0.8; b = 0.2; break;
      case DP_LED_COLOR_AMBER: r = 1.0; g = 0.6; b = 0.0; break;
      case DP_LED_COLOR_OFF:
      default: break;
      }
  cairo_arc (cr, width / 2.0, height / 2.0, MAX (radius, 1), 0, 2 * G_PI);
  cairo_set_source_rgb (cr, r, g, b);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static gboolean
led_step (gpointer user_data)
{
  Led *led = user_data;

  led->source_id = 0;
  /* Skip zero-length phases (the parser refuses all-zero lists). */
  for (guint tries = 0; tries < led->n_timing; tries++)
    {
      led->phase = (led->phase + 1) % led->n_timing;
      if (led->timing[led->phase] > 0)
        break;
    }
  led->lit = led->phase % 2 == 0;
  gtk_widget_queue_draw (led->area);
  led->source_id = g_timeout_add (MAX (led->timing[led->phase], 10), led_step, led);
  return G_SOURCE_REMOVE;
}

static GtkWidget *
led_new (void)
{
  Led *led = g_new0 (Led, 1);

  led->area = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (led->area), 14);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (led->area), 14);
  gtk_widget_set_valign (led->area, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (led->area), led_draw, led, NULL);
  g_object_set_data_full (G_OBJECT (led->area), "dp-led", led, led_free);
  return led->area;
}

/* Sets the LED from @text, or @fallback when @text is empty or does not
 * parse (a bad script must not leave a key dark). Unchanged scripts keep
 * their blink phase. */
static void
led_set (GtkWidget *area, const char *text, const char *fallback)
{
  Led *led = g_object_get_data (G_OBJECT (area), "dp-led");
  const char *use = text != NULL && *text != '\0' ? text : fallback;
  DpLedScript script;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (led->text, use) == 0)
    return;
  if (!dp_led_script_parse (use, &script, &error))
    {
      g_warning ("LED script “%s”: %s; using “%s”", use, error->message, fallback);
      use = fallback;
      if (!dp_led_script_parse (use, &script, NULL))
        memset (&script, 0, sizeof script);
    }
  g_free (led->text);
  led->text = g_strdup (use);
  led->script = script;
  led->n_timing = dp_led_script_get_timing (&led->script, led->timing);
  g_clear_handle_id (&led->source_id, g_source_remove);
  led->phase = 0;
  led->lit = TRUE;
  if (led->n_timing >= 2)
    led->source_id = g_timeout_add (MAX (led->timing[0], 10), led_step, led);
  gtk_widget_queue_draw (area);
}

static const char *
led_get_color (GtkWidget *area)
{
  Led *led = g_object_get_data (G_OBJECT (area), "dp-led");
  return dp_led_color_to_string (led->script.color);
}

/* ---- the screen --------------------------------------------------------- */

typedef struct {
  GtkWidget *widget;
  const char *msgid;
} Translatable;

struct _DpScreen
{
  GObject            parent_instance;

  DpCore            *core;
  DpConfig          *config;
  DpCallHistory     *history;
  DpDirectory *directory;
  GArray            *translatables;

  GtkWindow         *window;
  GtkWidget         *stack;
  GtkWidget         *station_label;
  GtkWidget         *mwi_label;
  GtkWidget         *dnd_label;
  GtkWidget         *fwd_label;
  GtkWidget         *clock_label;
  GtkWidget         *line_buttons[N_LINE_KEYS];
  GtkWidget         *line_labels[N_LINE_KEYS];
  GtkWidget         *line_leds[N_LINE_KEYS];
  GtkWidget         *state_label;
  GtkWidget         *peer_label;
  GtkWidget         *number_label;
  GtkWidget         *duration_label;
  GtkWidget         *secure_label;
  GtkWidget         *codec_label;
  GtkWidget         *dial_label;
  GtkWidget         *tone_label;
  GtkWidget         *notice_label;
  GtkWidget         *audio_label;
  GtkWidget         *softkeys[DP_SCREEN_MAX_SOFTKEYS];
  char              *softkey_ids[DP_SCREEN_MAX_SOFTKEYS];
  GtkWidget         *ticker_label;
  GtkWidget         *sidecar_buttons[SIDECAR_UNITS][SIDECAR_KEYS];
  GtkWidget         *sidecar_labels[SIDECAR_UNITS][SIDECAR_KEYS];
  GtkWidget         *sidecar_leds[SIDECAR_UNITS][SIDECAR_KEYS];
  GtkWidget         *dir_list;
  GtkWidget         *dir_name;
  GtkWidget         *dir_number;
  GtkWidget         *hist_list;

  /* phone state */
  gboolean           off_hook;
  AudioDevice        audio;
  guint              dial_line;
  DpDialer          *dialer;
  GString           *digits;
  guint              dial_timer_id;
  DpScreenEntryMode  entry;
  char              *tone_name;
  DpToneGenerator   *tone;           /* see the header: no audio path yet */
  char              *notice;
  int                dir_selected;   /* -1: none */

  char              *ticker_text;
  guint              ticker_offset;
  gint64             ticker_read_at;

  guint              clock_id;
  guint              duration_id;
  guint              ticker_id;
  gulong             sidecar_id;
  guint              retranslate_id;
  gulong             call_changed_id;
  gulong             history_changed_id;
  gulong             directory_changed_id;
  gulong             config_changed_id;
  gulong             line_notify_ids[DP_CORE_MAX_LINES + 1];
};

G_DEFINE_FINAL_TYPE (DpScreen, dp_screen, G_TYPE_OBJECT)

static void refresh (DpScreen *self);
static void rebuild_directory (DpScreen *self);
static void rebuild_history (DpScreen *self);
static void refresh_sidecar (DpScreen *self);

static const char *
cfg (DpScreen *self, const char *name)
{
  const char *value = dp_config_lookup (self->config, name) ? dp_config_get (self->config, name) : NULL;
  return value != NULL ? value : "";
}

/* Parameters numbered per extension or key: "<prefix><n>_". */
static const char *
cfgf (DpScreen *self, const char *prefix, guint n)
{
  g_autofree char *name = g_strdup_printf ("%s%u_", prefix, n);
  return cfg (self, name);
}

static gboolean
cfg_bool (DpScreen *self, const char *name)
{
  return dp_config_lookup (self->config, name) != NULL && dp_config_get_bool (self->config, name);
}

static void
set_notice (DpScreen *self, const char *text)
{
  g_free (self->notice);
  self->notice = g_strdup (text);
  if (text != NULL && *text != '\0')
    g_message ("screen: %s", text);
}

static void
set_config (DpScreen *self, const char *name, const char *value)
{
  g_autoptr(GError) error = NULL;

  if (!dp_config_set (self->config, name, value, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Cannot set %s: %s"), name, error->message);
      set_notice (self, text);
    }
}

/* "sip:2000@127.0.0.1:5060" → "2000"; anything else as it is. */
static char *
peer_number (const char *peer)
{
  const char *start, *at;

  if (peer == NULL)
    return g_strdup ("");
  start = g_str_has_prefix (peer, "sips:") ? peer + 5 : g_str_has_prefix (peer, "sip:") ? peer + 4 : peer;
  at = strchr (start, '@');
  return at != NULL && at > start ? g_strndup (start, (gsize) (at - start)) : g_strdup (start);
}

/* ---- calls -------------------------------------------------------------- */

static int
call_priority (DpCall *call)
{
  switch (dp_call_get_state (call))
    {
    case DP_CALL_STATE_ACTIVE:
    case DP_CALL_STATE_REMOTE_HELD: return 4;
    case DP_CALL_STATE_DIALING:
    case DP_CALL_STATE_PROCEEDING:
    case DP_CALL_STATE_RINGBACK: return 3;
    case DP_CALL_STATE_RINGING: return 2;
    case DP_CALL_STATE_HELD: return 1;
    case DP_CALL_STATE_ENDED:
    default: return 0;
    }
}

/* The call the softkeys act on: connected first, then one being placed,
 * then one ringing, then one on hold. */
static DpCall *
selected_call (DpScreen *self)
{
  GListModel *calls = dp_core_get_calls (self->core);
  DpCall *best = NULL;
  int best_priority = 0;

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr(DpCall) call = g_list_model_get_item (calls, i);
      int priority = call_priority (call);

      if (priority > best_priority)
        {
          best = call;
          best_priority = priority;
        }
    }
  return best;
}

static DpCall *
call_on_line (DpScreen *self, guint line)
{
  GListModel *calls = dp_core_get_calls (self->core);
  DpCall *best = NULL;
  int best_priority = 0;

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr(DpCall) call = g_list_model_get_item (calls, i);
      int priority = call_priority (call);

      if (dp_call_get_line (call) == line && priority > best_priority)
        {
          best = call;
          best_priority = priority;
        }
    }
  return best;
}

gboolean
dp_screen_has_call_in_state (DpScreen *self, DpCallState state)
{
  GListModel *calls;

  g_return_val_if_fail (DP_IS_SCREEN (self), FALSE);
  calls = dp_core_get_calls (self->core);
  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr(DpCall) call = g_list_model_get_item (calls, i);
      if (dp_call_get_state (call) == state)
        return TRUE;
    }
  return FALSE;
}

gboolean
dp_screen_is_idle (DpScreen *self)
{
  g_return_val_if_fail (DP_IS_SCREEN (self), FALSE);
  return selected_call (self) == NULL && !self->off_hook;
}

/* The core records calls and edits can come over D-Bus or the web UI:
 * the lists follow the core's stores rather than the screen's own edits. */
static void
on_history_changed (DpCallHistory *history, gpointer user_data)
{
  rebuild_history (DP_SCREEN (user_data));
}

static void
on_directory_changed (DpDirectory *directory, gpointer user_data)
{
  DpScreen *self = DP_SCREEN (user_data);

  /* An index chosen with Edit may now name another entry. */
  self->dir_selected = -1;
  rebuild_directory (self);
}

/* ---- dialing ------------------------------------------------------------ */

static const char *
tone_param (DpDialTone tone)
{
  switch (tone)
    {
    case DP_DIAL_TONE_OUTSIDE: return "Outside_Dial_Tone";
    case DP_DIAL_TONE_PROMPT: return "Prompt_Tone";
    case DP_DIAL_TONE_DIAL: return "Dial_Tone";
    case DP_DIAL_TONE_CFWD: return "Cfwd_Dial_Tone";
    case DP_DIAL_TONE_MWI: return "MWI_Dial_Tone";
    case DP_DIAL_TONE_SECOND: return "Second_Dial_Tone";
    case DP_DIAL_TONE_NONE:
    default: return NULL;
    }
}

/* Builds the generator of @param's ToneScript and names the tone on the
 * screen (there is no local audio path to play it on yet). */
static void
set_tone (DpScreen *self, const char *param, const char *label)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->tone);
  g_clear_pointer (&self->tone_name, g_free);
  if (param == NULL)
    return;
  self->tone = dp_tone_generator_new_from_string (cfg (self, param), 8000, &error);
  if (self->tone == NULL)
    self->tone_name = g_strdup_printf (_("%s (bad script: %s)"), label, error->message);
  else
    self->tone_name = g_strdup (label);
}

static const char *
dial_tone_label (DpDialTone tone)
{
  switch (tone)
    {
    case DP_DIAL_TONE_OUTSIDE: return _("Outside dial tone");
    case DP_DIAL_TONE_PROMPT: return _("Prompt tone");
    case DP_DIAL_TONE_DIAL: return _("Dial tone");
    case DP_DIAL_TONE_CFWD: return _("Call forward dial tone");
    case DP_DIAL_TONE_MWI: return _("Message waiting dial tone");
    case DP_DIAL_TONE_SECOND: return _("Second dial tone");
    case DP_DIAL_TONE_NONE:
    default: return NULL;
    }
}

static void
stop_dialer (DpScreen *self)
{
  g_clear_handle_id (&self->dial_timer_id, g_source_remove);
  g_clear_object (&self->dialer);
  g_string_truncate (self->digits, 0);
  set_tone (self, NULL, NULL);
}

static void go_on_hook (DpScreen *self);
static void handle_dial_events (DpScreen *self, GPtrArray *events);

static gboolean
on_dial_timer (gpointer user_data)
{
  DpScreen *self = user_data;
  g_autoptr(GPtrArray) events = NULL;

  self->dial_timer_id = 0;
  if (self->dialer != NULL)
    {
      events = dp_dialer_timer_expired (self->dialer);
      handle_dial_events (self, events);
    }
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
place_call (DpScreen *self, guint line, const char *target)
{
  g_autoptr(GError) error = NULL;
  DpCall *call;

  call = dp_core_dial (self->core, line, target, &error);
  if (call == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Call to %s failed: %s"), target, error->message);
      set_notice (self, text);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Calling %s"), target);
      set_notice (self, text);
    }
}

static void
run_service_code (DpScreen *self, const DpDialEvent *event)
{
  if (g_str_equal (event->code, "DND_Act_Code"))
    set_config (self, "DND_Setting", "Yes");
  else if (g_str_equal (event->code, "DND_Deact_Code"))
    set_config (self, "DND_Setting", "No");
  else if (g_str_equal (event->code, "Cfwd_All_Act_Code") && event->number && *event->number)
    set_config (self, "Cfwd_All_Dest", event->number);
  else if (g_str_equal (event->code, "Cfwd_All_Deact_Code"))
    set_config (self, "Cfwd_All_Dest", "");
  else
    {
      g_autofree char *text = g_strdup_printf (_("Service code %s is not handled by the screen"),
                                               event->code);
      set_notice (self, text);
      return;
    }
  set_notice (self, _("Service code done"));
}

static void
handle_dial_events (DpScreen *self, GPtrArray *events)
{
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      const DpDialEvent *event = events->pdata[i];

      switch (event->type)
        {
        case DP_DIAL_EVENT_TONE:
          set_tone (self, tone_param (event->tone), dial_tone_label (event->tone));
          break;
        case DP_DIAL_EVENT_TIMER:
          g_clear_handle_id (&self->dial_timer_id, g_source_remove);
          self->dial_timer_id = g_timeout_add_seconds (event->seconds, on_dial_timer, self);
          break;
        case DP_DIAL_EVENT_SEND:
          {
            guint line = self->dial_line;
            g_autofree char *target = g_strdup (event->uri != NULL ? event->uri : event->number);
            g_autoptr(DpDialEvent) copy = dp_dial_event_copy (event);

            stop_dialer (self);
            self->off_hook = FALSE;
            if (copy->code != NULL && copy->sequence < 0 &&
                (copy->number == NULL || *copy->number == '\0' ||
                 g_str_has_prefix (copy->code, "DND_") || g_str_has_prefix (copy->code, "Cfwd_All_")))
              run_service_code (self, copy);
            else
              place_call (self, line, target);
            return;
          }
        case DP_DIAL_EVENT_REJECT:
          g_clear_handle_id (&self->dial_timer_id, g_source_remove);
          set_tone (self, "Reorder_Tone", _("Reorder tone"));
          {
            const char *dialed = event->dialed ? event->dialed : "";
            g_autofree char *text = event->reason == DP_DIAL_REJECT_BARRED
                                    ? g_strdup_printf (_("%s is barred by the dial plan"), dialed)
                                    : g_strdup_printf (_("%s does not match the dial plan"), dialed);
            set_notice (self, text);
          }
          break;
        default:
          break;
        }
    }
}

static guint
first_enabled_line (DpScreen *self)
{
  for (guint k = 1; k <= N_LINE_KEYS; k++)
    {
      guint64 ext;
      g_autofree char *enable = NULL;

      if (!g_ascii_string_to_unsigned (cfgf (self, "Extension_", k), 10, 1, 6, &ext, NULL))
        continue;
      enable = g_strdup_printf ("Line_Enable_%u_", (guint) ext);
      if (cfg_bool (self, enable))
        return (guint) ext;
    }
  return 1;
}

static void
go_off_hook (DpScreen *self, guint line)
{
  g_autoptr(DpDialPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *ip_dialing = NULL;

  stop_dialer (self);
  self->off_hook = TRUE;
  self->entry = DP_SCREEN_ENTRY_NONE;
  self->dial_line = line > 0 ? line : first_enabled_line (self);
  set_notice (self, NULL);
  plan = dp_dial_plan_parse (cfgf (self, "Dial_Plan_", self->dial_line), &error);
  if (plan == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Dial plan of line %u: %s"), self->dial_line,
                                               error->message);
      set_notice (self, text);
      g_clear_error (&error);
      plan = dp_dial_plan_parse ("(x.)", NULL);
    }
  self->dialer = dp_dialer_new (plan);
  dp_dialer_set_timers (self->dialer,
                        (guint) CLAMP (g_ascii_strtoll (cfg (self, "Interdigit_Long_Timer"), NULL, 10), 0, 64),
                        (guint) CLAMP (g_ascii_strtoll (cfg (self, "Interdigit_Short_Timer"), NULL, 10), 0, 64));
  ip_dialing = g_strdup_printf ("Enable_IP_Dialing_%u_", self->dial_line);
  dp_dialer_set_ip_dialing (self->dialer, cfg_bool (self, ip_dialing));
  dp_dialer_add_default_codes (self->dialer);
  /* Off-hook tone as on the SPA: MWI or call-forward dial tone when that
   * service is on, else the dial tone; the dialer's own tone events follow. */
  if (*cfg (self, "Cfwd_All_Dest") != '\0')
    set_tone (self, "Cfwd_Dial_Tone", _("Call forward dial tone"));
  else if (dp_core_get_line (self->core, self->dial_line) != NULL &&
           dp_line_get_message_waiting (dp_core_get_line (self->core, self->dial_line)))
    set_tone (self, "MWI_Dial_Tone", _("Message waiting dial tone"));
  else
    set_tone (self, "Dial_Tone", _("Dial tone"));
  events = dp_dialer_start (self->dialer);
  handle_dial_events (self, events);
}

static void
go_on_hook (DpScreen *self)
{
  stop_dialer (self);
  self->off_hook = FALSE;
  self->entry = DP_SCREEN_ENTRY_NONE;
}

static void
call_op_failed (DpScreen *self, const char *what, GError *error)
{
  g_autofree char *text = g_strdup_printf (_("%s failed: %s"), what, error->message);
  set_notice (self, text);
}

static void
press_digit (DpScreen *self, char key)
{
  DpCall *call = selected_call (self);
  g_autoptr(GError) error = NULL;

  if (self->entry != DP_SCREEN_ENTRY_NONE)
    {
      g_string_append_c (self->digits, key);
      return;
    }
  if (call != NULL)
    {
      DpCallState state = dp_call_get_state (call);
      char digits[2] = { key, '\0' };

      if (state == DP_CALL_STATE_ACTIVE || state == DP_CALL_STATE_REMOTE_HELD)
        {
          g_autofree char *text = g_strdup_printf (_("DTMF %c"), key);
          if (!dp_call_send_dtmf (call, digits, &error))
            call_op_failed (self, _("DTMF"), error);
          else
            set_notice (self, text);
        }
      if (state != DP_CALL_STATE_HELD)
        return;
    }
  if (!self->off_hook || self->dialer == NULL)
    go_off_hook (self, self->dial_line);
  if (self->dialer == NULL || dp_dialer_is_finished (self->dialer))
    return;
  g_string_append_c (self->digits, key);
  set_tone (self, NULL, NULL);   /* a key ends the tone in progress */
  {
    g_autoptr(GPtrArray) events = dp_dialer_press_key (self->dialer, key);
    handle_dial_events (self, events);
  }
}

/* "<<": the dialer cannot take a key back, so it is restarted and fed
 * the keys before the last one again. */
static void
delete_digit (DpScreen *self)
{
  g_autofree char *keys = NULL;

  if (self->digits->len == 0)
    return;
  g_string_truncate (self->digits, self->digits->len - 1);
  if (self->entry != DP_SCREEN_ENTRY_NONE)
    return;
  keys = g_strdup (self->digits->str);
  go_off_hook (self, self->dial_line);
  for (const char *k = keys; *k != '\0' && self->dialer && !dp_dialer_is_finished (self->dialer); k++)
    {
      g_autoptr(GPtrArray) events = dp_dialer_press_key (self->dialer, *k);
      g_string_append_c (self->digits, *k);
      handle_dial_events (self, events);
    }
}

static void
dial_entry (DpScreen *self)
{
  DpCall *call = selected_call (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *target = g_strdup (self->digits->str);
  DpScreenEntryMode mode = self->entry;

  self->entry = DP_SCREEN_ENTRY_NONE;
  g_string_truncate (self->digits, 0);
  if (mode == DP_SCREEN_ENTRY_CFWD)
    {
      set_config (self, "Cfwd_All_Dest", target);
      return;
    }
  if (call == NULL || *target == '\0')
    return;
  if (!dp_call_transfer (call, target, &error))
    call_op_failed (self, _("Transfer"), error);
}

static void
redial (DpScreen *self)
{
  const DpCallHistoryEntry *last = dp_call_history_last_of_kind (self->history, DP_CALL_HISTORY_PLACED);

  if (last == NULL)
    {
      set_notice (self, _("No number to redial"));
      return;
    }
  place_call (self, last->line, last->peer);
}

static void
on_softkey (GtkButton *button, gpointer user_data)
{
  DpScreen *self = user_data;
  const char *id = g_object_get_data (G_OBJECT (button), "dp-softkey");
  DpCall *call = selected_call (self);
  g_autoptr(GError) error = NULL;

  if (id == NULL)
    return;
  if (g_str_equal (id, "redial"))
    redial (self);
  else if (g_str_equal (id, "dir"))
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "directory");
  else if (g_str_equal (id, "cfwd"))
    {
      self->entry = DP_SCREEN_ENTRY_CFWD;
      g_string_truncate (self->digits, 0);
    }
  else if (g_str_equal (id, "cfwd-off"))
    set_config (self, "Cfwd_All_Dest", "");
  else if (g_str_equal (id, "dnd"))
    set_config (self, "DND_Setting", "Yes");
  else if (g_str_equal (id, "dnd-off"))
    set_config (self, "DND_Setting", "No");
  else if (g_str_equal (id, "dial"))
    {
      if (self->entry != DP_SCREEN_ENTRY_NONE)
        dial_entry (self);
      else if (self->dialer != NULL)
        {
          g_autoptr(GPtrArray) events = dp_dialer_send (self->dialer);
          handle_dial_events (self, events);
        }
    }
  else if (g_str_equal (id, "delchar"))
    delete_digit (self);
  else if (g_str_equal (id, "cancel"))
    {
      if (self->entry != DP_SCREEN_ENTRY_NONE)
        {
          self->entry = DP_SCREEN_ENTRY_NONE;
          g_string_truncate (self->digits, 0);
        }
      else
        go_on_hook (self);
    }
  else if (call != NULL && g_str_equal (id, "answer"))
    {
      if (!dp_call_answer (call, &error))
        call_op_failed (self, _("Answer"), error);
    }
  else if (call != NULL && (g_str_equal (id, "ignore") || g_str_equal (id, "endcall")))
    {
      if (!dp_call_hangup (call, &error))
        call_op_failed (self, _("Hang up"), error);
      go_on_hook (self);
    }
  else if (call != NULL && g_str_equal (id, "hold"))
    {
      if (!dp_call_hold (call, &error))
        call_op_failed (self, _("Hold"), error);
    }
  else if (call != NULL && g_str_equal (id, "resume"))
    {
      if (!dp_call_resume (call, &error))
        call_op_failed (self, _("Resume"), error);
    }
  else if (call != NULL && g_str_equal (id, "xfer"))
    {
      self->entry = DP_SCREEN_ENTRY_XFER;
      g_string_truncate (self->digits, 0);
    }
  else if (g_str_equal (id, "conf"))
    {
      if (!dp_core_run_action (self->core, "conference", NULL, &error))
        call_op_failed (self, _("Conference"), error);
    }
  else if (g_str_equal (id, "newcall"))
    go_off_hook (self, call != NULL ? dp_call_get_line (call) : 0);
  refresh (self);
}

static void
on_key (GtkButton *button, gpointer user_data)
{
  DpScreen *self = user_data;

  press_digit (self, (char) GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "dp-key")));
  refresh (self);
}

/* Off-hook with a ringing call answers it; on-hook ends the call in hand. */
static void
toggle_hook (DpScreen *self, AudioDevice device)
{
  DpCall *call = selected_call (self);
  g_autoptr(GError) error = NULL;
  gboolean in_use = self->off_hook || (call != NULL && dp_call_get_state (call) != DP_CALL_STATE_RINGING);

  if (in_use && self->audio != device && device != AUDIO_HANDSET)
    {
      self->audio = device;   /* switch the audio path, stay off-hook */
      return;
    }
  if (in_use)
    {
      if (call != NULL && !dp_call_hangup (call, &error))
        call_op_failed (self, _("Hang up"), error);
      go_on_hook (self);
      self->audio = AUDIO_HANDSET;
      return;
    }
  self->audio = device;
  if (call != NULL)
    {
      if (!dp_call_answer (call, &error))
        call_op_failed (self, _("Answer"), error);
      return;
    }
  go_off_hook (self, self->dial_line);
}

static void
on_hook_button (GtkButton *button, gpointer user_data)
{
  DpScreen *self = user_data;

  toggle_hook (self, (AudioDevice) GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "dp-audio")));
  refresh (self);
}

static const char *
volume_param (DpScreen *self)
{
  if (!self->off_hook && selected_call (self) == NULL)
    return "Ringer_Volume";
  switch (self->audio)
    {
    case AUDIO_SPEAKER: return "Speaker_Volume";
    case AUDIO_HEADSET: return "Headset_Volume";
    case AUDIO_HANDSET:
    default: return "Handset_Volume";
    }
}

static void
on_volume (GtkButton *button, gpointer user_data)
{
  DpScreen *self = user_data;
  int step = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "dp-step"));
  const char *param = volume_param (self);
  gint64 volume = CLAMP (g_ascii_strtoll (cfg (self, param), NULL, 10) + step, 0, VOLUME_MAX);
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, volume);

  set_config (self, param, value);
  refresh (self);
}

static void
on_line_key (GtkButton *button, gpointer user_data)
{
  DpScreen *self = user_data;
  guint key = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "dp-line-key"));
  guint64 ext;
  DpCall *call;
  g_autoptr(GError) error = NULL;

  if (!g_ascii_string_to_unsigned (cfgf (self, "Extension_", key), 10, 1, 6, &ext, NULL))
    return;
  call = call_on_line (self, (guint) ext);
  if (call != NULL && dp_call_get_state (call) == DP_CALL_STATE_RINGING)
    {
      if (!dp_call_answer (call, &error))
        call_op_failed (self, _("Answer"), error);
    }
  else if (call != NULL && dp_call_get_state (call) == DP_CALL_STATE_HELD)
    {
      if (!dp_call_resume (call, &error))
        call_op_failed (self, _("Resume"), error);
    }
  else if (call == NULL)
    go_off_hook (self, (guint) ext);
  refresh (self);
}

static void
on_view (GtkButton *button, gpointer user_data)
{
  DpScreen *self = user_data;
  const char *view = g_object_get_data (G_OBJECT (button), "dp-view");

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), view);
  if (g_str_equal (view, "sidecar"))
    refresh_sidecar (self);
}

/* ---- refresh ------------------------------------------------------------ */

static const char *
line_led_script (DpScreen *self, guint ext, const char **fallback)
{
  DpLine *line = dp_core_get_line (self->core, ext);
  g_autofree char *enable = g_strdup_printf ("Line_Enable_%u_", ext);
  DpCall *call = call_on_line (self, ext);

  if (line == NULL || !cfg_bool (self, enable) ||
      dp_line_get_registration_state (line) == DP_REGISTRATION_DISABLED)
    return *fallback = "c=o", "Disabled_LED";
  if (call != NULL)
    switch (dp_call_get_state (call))
      {
      case DP_CALL_STATE_RINGING: return *fallback = "c=r;p=f", "Local_Ringing_LED";
      case DP_CALL_STATE_ACTIVE:
      case DP_CALL_STATE_REMOTE_HELD: return *fallback = "c=r", "Local_Active_LED";
      case DP_CALL_STATE_HELD: return *fallback = "c=r;p=s", "Local_Held_LED";
      case DP_CALL_STATE_DIALING:
      case DP_CALL_STATE_PROCEEDING:
      case DP_CALL_STATE_RINGBACK: return *fallback = "c=r", "Local_Progressing_LED";
      case DP_CALL_STATE_ENDED:
      default: break;
      }
  if (self->off_hook && self->dial_line == ext)
    return *fallback = "c=r", "Local_Seized_LED";
  switch (dp_line_get_registration_state (line))
    {
    case DP_REGISTRATION_REGISTERING: return *fallback = "c=a;p=s", "Registering_LED";
    case DP_REGISTRATION_FAILED: return *fallback = "c=a", "Register_Failed_LED";
    default: return *fallback = "c=g", "Idle_LED";
    }
}

static void
refresh_line_keys (DpScreen *self)
{
  for (guint k = 1; k <= N_LINE_KEYS; k++)
    {
      const char *ext_text = cfgf (self, "Extension_", k);
      g_autofree char *label = NULL;
      const char *fallback = "c=o";
      const char *param;
      guint64 ext;

      if (!g_ascii_string_to_unsigned (ext_text, 10, 1, 6, &ext, NULL))
        {
          gtk_label_set_text (GTK_LABEL (self->line_labels[k - 1]), _("Disabled"));
          gtk_widget_set_sensitive (self->line_buttons[k - 1], FALSE);
          led_set (self->line_leds[k - 1], NULL, "c=o");
          continue;
        }
      gtk_widget_set_sensitive (self->line_buttons[k - 1], TRUE);
      {
        g_autoptr(GString) text = g_string_new (cfgf (self, "Short_Name_", k));
        g_string_replace (text, "$USER", cfgf (self, "User_ID_", (guint) ext), 0);
        if (text->len == 0)
          g_string_printf (text, _("Line %u"), (guint) ext);
        label = g_string_free (g_steal_pointer (&text), FALSE);
      }
      gtk_label_set_text (GTK_LABEL (self->line_labels[k - 1]), label);
      param = line_led_script (self, (guint) ext, &fallback);
      led_set (self->line_leds[k - 1], cfg (self, param), fallback);
    }
}

static char *
format_duration (gint64 seconds)
{
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%02d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

static void
refresh_call_area (DpScreen *self, DpCall *call)
{
  gtk_label_set_text (GTK_LABEL (self->notice_label), self->notice ? self->notice : "");
  gtk_label_set_text (GTK_LABEL (self->tone_label), self->tone_name ? self->tone_name : "");
  if (self->entry != DP_SCREEN_ENTRY_NONE)
    {
      gtk_label_set_text (GTK_LABEL (self->state_label),
                          self->entry == DP_SCREEN_ENTRY_CFWD ? _("Forward all calls to:")
                                                              : _("Transfer to:"));
      gtk_label_set_text (GTK_LABEL (self->dial_label), self->digits->str);
    }
  else if (call == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->state_label), self->off_hook ? _("Enter number") : _("Idle"));
      gtk_label_set_text (GTK_LABEL (self->dial_label), self->digits->str);
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->state_label),
                          dp_call_state_label (dp_call_get_state (call)));
      gtk_label_set_text (GTK_LABEL (self->dial_label), "");
    }
  if (call == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->peer_label), "");
      gtk_label_set_text (GTK_LABEL (self->number_label), "");
      gtk_label_set_text (GTK_LABEL (self->duration_label), "");
      gtk_label_set_text (GTK_LABEL (self->codec_label), "");
      gtk_widget_set_visible (self->secure_label, FALSE);
    }
  else
    {
      g_autofree char *number = peer_number (dp_call_get_peer (call));
      const char *name = dp_call_get_peer_name (call);
      gint64 connected = dp_call_get_connected_at (call);
      const char *codec = dp_call_get_codec (call);

      gtk_label_set_text (GTK_LABEL (self->peer_label), name && *name ? name : number);
      gtk_label_set_text (GTK_LABEL (self->number_label), name && *name ? number : "");
      if (connected > 0)
        {
          g_autofree char *duration = format_duration (MAX (g_get_real_time () / G_USEC_PER_SEC - connected, 0));
          gtk_label_set_text (GTK_LABEL (self->duration_label), duration);
        }
      else
        gtk_label_set_text (GTK_LABEL (self->duration_label), "");
      gtk_label_set_text (GTK_LABEL (self->codec_label), codec ? codec : "");
      gtk_widget_set_visible (self->secure_label, dp_call_get_secure (call));
    }
}

static void
refresh_softkeys (DpScreen *self, DpCall *call)
{
  DpScreenSoftkeyContext context = {
    .has_call = call != NULL,
    .state = call ? dp_call_get_state (call) : DP_CALL_STATE_ENDED,
    .direction = call ? dp_call_get_direction (call) : DP_CALL_OUTGOING,
    .off_hook = self->off_hook,
    .has_digits = self->digits->len > 0,
    .entry = self->entry,
    .dnd = cfg_bool (self, "DND_Setting"),
    .cfwd = *cfg (self, "Cfwd_All_Dest") != '\0',
    .can_conference = dp_core_has_action (self->core, "conference"),
  };
  const char *ids[DP_SCREEN_MAX_SOFTKEYS] = { NULL };
  guint n = dp_screen_softkeys_for (&context, ids);

  for (guint i = 0; i < DP_SCREEN_MAX_SOFTKEYS; i++)
    {
      GtkWidget *button = self->softkeys[i];
      g_autofree char *name = NULL;

      g_free (self->softkey_ids[i]);
      self->softkey_ids[i] = g_strdup (i < n ? ids[i] : NULL);
      g_object_set_data_full (G_OBJECT (button), "dp-softkey", g_strdup (self->softkey_ids[i]), g_free);
      name = i < n ? g_strdup_printf ("softkey-%s", ids[i]) : g_strdup_printf ("softkey-slot-%u", i + 1);
      gtk_widget_set_name (button, name);
      gtk_button_set_label (GTK_BUTTON (button), i < n ? dp_screen_softkey_label (ids[i]) : "");
      gtk_widget_set_sensitive (button, i < n);
    }
}

static void
refresh_header (DpScreen *self)
{
  gboolean mwi = FALSE;
  const char *station = cfg (self, "Station_Name");
  const char *fwd = cfg (self, "Cfwd_All_Dest");
  AudioDevice audio = self->audio;
  const char *param = volume_param (self);
  g_autofree char *audio_text = NULL;

  for (guint i = 1; i <= dp_core_get_n_lines (self->core); i++)
    {
      DpLine *line = dp_core_get_line (self->core, i);
      mwi = mwi || (line != NULL && dp_line_get_message_waiting (line));
    }
  gtk_label_set_text (GTK_LABEL (self->station_label), *station ? station : "deskphone");
  gtk_widget_set_visible (self->mwi_label, mwi);
  gtk_label_set_text (GTK_LABEL (self->mwi_label), _("✉ Message"));
  gtk_widget_set_visible (self->dnd_label, cfg_bool (self, "DND_Setting"));
  gtk_label_set_text (GTK_LABEL (self->dnd_label), _("DND"));
  gtk_widget_set_visible (self->fwd_label, *fwd != '\0');
  {
    g_autofree char *text = g_strdup_printf (_("Fwd → %s"), fwd);
    gtk_label_set_text (GTK_LABEL (self->fwd_label), text);
  }
  audio_text = g_strdup_printf (_("%s · volume %s"),
                                audio == AUDIO_SPEAKER ? _("Speaker")
                                : audio == AUDIO_HEADSET ? _("Headset") : _("Handset"),
                                cfg (self, param));
  gtk_label_set_text (GTK_LABEL (self->audio_label), audio_text);
}

static gboolean
on_duration_tick (gpointer user_data)
{
  DpScreen *self = user_data;

  refresh_call_area (self, selected_call (self));
  return G_SOURCE_CONTINUE;
}

static void
refresh (DpScreen *self)
{
  DpCall *call = selected_call (self);
  gboolean connected = call != NULL && dp_call_get_connected_at (call) > 0;

  refresh_header (self);
  refresh_line_keys (self);
  refresh_call_area (self, call);
  refresh_softkeys (self, call);
  if (connected && self->duration_id == 0)
    self->duration_id = g_timeout_add_seconds (1, on_duration_tick, self);
  else if (!connected)
    g_clear_handle_id (&self->duration_id, g_source_remove);
}

/* ---- clock and ticker --------------------------------------------------- */

static void
update_clock (DpScreen *self)
{
  g_autoptr(GDateTime) utc = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) local = dp_time_to_local (utc, cfg (self, "Time_Zone"),
                                                 cfg (self, "Time_Offset__HH_mm_"),
                                                 cfg (self, "Daylight_Saving_Time_Rule"), &error);
  g_autofree char *date = NULL, *time = NULL, *text = NULL;

  if (local == NULL)
    {
      /* A malformed rule shows as such rather than as a wrong time. */
      text = g_strdup_printf (_("time? %s"), error->message);
      gtk_label_set_text (GTK_LABEL (self->clock_label), text);
      return;
    }
  date = g_date_time_format (local, g_str_equal (cfg (self, "Date_Format"), "day/month") ? "%a %d/%m" : "%a %m/%d");
  time = g_date_time_format (local, g_str_equal (cfg (self, "Time_Format"), "24hr") ? "%H:%M" : "%l:%M %p");
  text = g_strdup_printf ("%s  %s", date, g_strstrip (time));
  gtk_label_set_text (GTK_LABEL (self->clock_label), text);
}

static gboolean
on_clock (gpointer user_data)
{
  DpScreen *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  update_clock (self);
  /* Fire again just after the next minute starts. */
  self->clock_id = g_timeout_add_seconds ((guint) (60 - g_date_time_get_second (now)) + 1, on_clock, self);
  return G_SOURCE_REMOVE;
}

static char *
read_feeds_text (DpScreen *self)
{
  g_autoptr(JsonNode) feeds = dp_core_build_status_member (self->core, "feeds");
  g_autoptr(GString) text = g_string_new (NULL);

  if (feeds == NULL || !JSON_NODE_HOLDS_ARRAY (feeds))
    return g_strdup ("");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (feeds)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (feeds), i);
      JsonObject *feed = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *items = feed ? json_object_get_member (feed, "items") : NULL;

      if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items) || json_array_get_length (json_node_get_array (items)) == 0)
        continue;
      g_string_append_printf (text, "%s: ", json_object_get_string_member_with_default (feed, "name", ""));
      for (guint k = 0; k < json_array_get_length (json_node_get_array (items)); k++)
        {
          JsonNode *item = json_array_get_element (json_node_get_array (items), k);
          if (JSON_NODE_HOLDS_OBJECT (item))
            g_string_append_printf (text, "%s  •  ",
                                    json_object_get_string_member_with_default (json_node_get_object (item), "title", ""));
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_ticker (DpScreen *self)
{
  glong length = g_utf8_strlen (self->ticker_text, -1);
  g_autoptr(GString) shown = g_string_new (NULL);

  if (length == 0)
    {
      gtk_label_set_text (GTK_LABEL (self->ticker_label), "");
      return;
    }
  /* The text runs round: take TICKER_CHARS from the offset, wrapping. */
  for (glong i = 0; i < MIN (TICKER_CHARS, MAX (length, TICKER_CHARS)); i++)
    {
      const char *c = g_utf8_offset_to_pointer (self->ticker_text, (self->ticker_offset + i) % length);
      g_string_append_len (shown, c, g_utf8_next_char (c) - c);
    }
  gtk_label_set_text (GTK_LABEL (self->ticker_label), shown->str);
}

static void schedule_ticker (DpScreen *self);

static gboolean
on_ticker (gpointer user_data)
{
  DpScreen *self = user_data;
  glong length = g_utf8_strlen (self->ticker_text, -1);
  gint64 now = g_get_monotonic_time ();

  self->ticker_id = 0;
  self->ticker_offset = length > 0 ? (self->ticker_offset + 1) % (guint) length : 0;
  /* Re-read the feeds when the text has gone round once, or every 10 s
   * while there is nothing to show. */
  if ((length > 0 && self->ticker_offset == 0) ||
      (length == 0 && now - self->ticker_read_at > 10 * G_USEC_PER_SEC))
    {
      g_free (self->ticker_text);
      self->ticker_text = read_feeds_text (self);
      self->ticker_read_at = now;
      self->ticker_offset = 0;
    }
  show_ticker (self);
  schedule_ticker (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_ticker (DpScreen *self)
{
  double seconds = g_ascii_strtod (cfg (self, "Scrolling_Timer_s_"), NULL);

  g_clear_handle_id (&self->ticker_id, g_source_remove);
  /* 0 = the text stands still; it is still re-read every 30 s. */
  self->ticker_id = g_timeout_add (seconds > 0 ? (guint) CLAMP (seconds * 1000, 50, 60000) : 30000,
                                   on_ticker, self);
}

/* ---- sidecar ------------------------------------------------------------ */

/* The sidecar plugin announces every LED change as the "sidecar" status
 * section changing: follow that instead of polling. */
static void
on_sidecar_changed (DpCore *core, const char *section, DpScreen *self)
{
  refresh_sidecar (self);
}

static void
refresh_sidecar (DpScreen *self)
{
  g_autoptr(JsonNode) keys = dp_core_build_status_member (self->core, "sidecar");
  gboolean seen[SIDECAR_UNITS][SIDECAR_KEYS] = { { FALSE } };

  for (guint i = 0; keys && JSON_NODE_HOLDS_ARRAY (keys) && i < json_array_get_length (json_node_get_array (keys)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (keys), i);
      JsonObject *key = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 unit = key ? json_object_get_int_member_with_default (key, "unit", 0) : 0;
      gint64 k = key ? json_object_get_int_member_with_default (key, "key", 0) : 0;
      const char *label;

      if (unit < 1 || unit > SIDECAR_UNITS || k < 1 || k > SIDECAR_KEYS)
        continue;
      seen[unit - 1][k - 1] = TRUE;
      label = json_object_get_string_member_with_default (key, "label", "");
      if (*label == '\0')
        label = json_object_get_string_member_with_default (key, "function", "");
      gtk_label_set_text (GTK_LABEL (self->sidecar_labels[unit - 1][k - 1]), label);
      led_set (self->sidecar_leds[unit - 1][k - 1],
               json_object_get_string_member_with_default (key, "led", ""), "c=o");
      gtk_widget_set_sensitive (self->sidecar_buttons[unit - 1][k - 1], TRUE);
    }
  for (guint u = 0; u < SIDECAR_UNITS; u++)
    for (guint k = 0; k < SIDECAR_KEYS; k++)
      if (!seen[u][k])
        {
          gtk_label_set_text (GTK_LABEL (self->sidecar_labels[u][k]), "");
          led_set (self->sidecar_leds[u][k], NULL, "c=o");
          gtk_widget_set_sensitive (self->sidecar_buttons[u][k], FALSE);
        }
}

static void
on_sidecar_key (GtkButton *button, gpointer user_data)
{
  DpScreen *self = user_data;
  const char *argument = g_object_get_data (G_OBJECT (button), "dp-sidecar-key");
  g_autoptr(GError) error = NULL;

  if (!dp_core_run_action (self->core, "sidecar-press", argument, &error))
    call_op_failed (self, _("Sidecar key"), error);
  refresh_sidecar (self);
  refresh (self);
}

/* ---- directory and history ---------------------------------------------- */

static void
clear_list (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

static void
dial_from_list (DpScreen *self, const char *number)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "phone");
  go_on_hook (self);
  place_call (self, first_enabled_line (self), number);
  refresh (self);
}

static void
on_dir_dial (GtkButton *button, gpointer user_data)
{
  DpScreen *self = user_data;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "dp-index"));
  const DpDirectoryEntry *entry = dp_directory_get_entry (self->directory, index);

  if (entry != NULL)
    dial_from_list (self, entry->number);
}

static void
on_dir_edit (GtkButton *button, gpointer user_data)
{
  DpScreen *self = user_data;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "dp-index"));
  const DpDirectoryEntry *entry = dp_directory_get_entry (self->directory, index);

  if (entry == NULL)
    return;
  self->dir_selected = (int) index;
  gtk_editable_set_text (GTK_EDITABLE (self->dir_name), entry->name);
  gtk_editable_set_text (GTK_EDITABLE (self->dir_number), entry->number);
}

static void
on_dir_change (GtkButton *button, gpointer user_data)
{
  DpScreen *self = user_data;
  const char *action = g_object_get_data (G_OBJECT (button), "dp-action");
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->dir_name));
  const char *number = gtk_editable_get_text (GTK_EDITABLE (self->dir_number));
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_str_equal (action, "add"))
    ok = dp_directory_add (self->directory, name, number, NULL, &error);
  else if (self->dir_selected < 0)
    {
      set_notice (self, _("Choose an entry with Edit first"));
      refresh (self);
      return;
    }
  else if (g_str_equal (action, "save"))
    ok = dp_directory_edit (self->directory, (guint) self->dir_selected, name, number, NULL, &error);
  else
    ok = dp_directory_delete (self->directory, (guint) self->dir_selected, &error);
  if (!ok)
    call_op_failed (self, _("Directory"), error);
  else
    {
      set_notice (self, NULL);
      self->dir_selected = -1;
      gtk_editable_set_text (GTK_EDITABLE (self->dir_name), "");
      gtk_editable_set_text (GTK_EDITABLE (self->dir_number), "");
    }
  rebuild_directory (self);
  refresh (self);
}

static GtkWidget *
named_button (const char *name, const char *label, GCallback callback, gpointer data)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_name (button, name);
  g_signal_connect (button, "clicked", callback, data);
  return button;
}

static void
rebuild_directory (DpScreen *self)
{
  clear_list (self->dir_list);
  for (guint i = 0; i < dp_directory_get_n_entries (self->directory); i++)
    {
      const DpDirectoryEntry *entry = dp_directory_get_entry (self->directory, i);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *label = gtk_label_new (NULL);
      g_autofree char *text = g_strdup_printf ("%s — %s", entry->name, entry->number);
      g_autofree char *dial_name = g_strdup_printf ("dir-dial-%u", i + 1);
      g_autofree char *edit_name = g_strdup_printf ("dir-edit-%u", i + 1);
      GtkWidget *dial = named_button (dial_name, _("Dial"), G_CALLBACK (on_dir_dial), self);
      GtkWidget *edit = named_button (edit_name, _("Edit"), G_CALLBACK (on_dir_edit), self);

      gtk_label_set_text (GTK_LABEL (label), text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      g_object_set_data (G_OBJECT (dial), "dp-index", GUINT_TO_POINTER (i));
      g_object_set_data (G_OBJECT (edit), "dp-index", GUINT_TO_POINTER (i));
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (row), edit);
      gtk_box_append (GTK_BOX (row), dial);
      gtk_list_box_append (GTK_LIST_BOX (self->dir_list), row);
    }
}

static void
on_hist_dial (GtkButton *button, gpointer user_data)
{
  DpScreen *self = user_data;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "dp-index"));
  const DpCallHistoryEntry *entry = dp_call_history_get_entry (self->history, index);

  if (entry != NULL)
    dial_from_list (self, entry->peer);
}

static void
rebuild_history (DpScreen *self)
{
  clear_list (self->hist_list);
  for (guint i = 0; i < dp_call_history_get_n_entries (self->history); i++)
    {
      const DpCallHistoryEntry *entry = dp_call_history_get_entry (self->history, i);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *label = gtk_label_new (NULL);
      g_autofree char *number = peer_number (entry->peer);
      g_autofree char *duration = format_duration (entry->duration_s);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (entry->start);
      g_autoptr(GDateTime) local = utc ? dp_time_to_local (utc, cfg (self, "Time_Zone"),
                                                           cfg (self, "Time_Offset__HH_mm_"),
                                                           cfg (self, "Daylight_Saving_Time_Rule"), NULL) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%m/%d %H:%M") : g_strdup ("");
      g_autofree char *text = g_strdup_printf ("%s  %s%s%s  %s  %s", dp_call_history_kind_label (entry->kind),
                                               *entry->name ? entry->name : number,
                                               *entry->name ? " " : "", *entry->name ? number : "",
                                               when, duration);
      g_autofree char *dial_name = g_strdup_printf ("hist-dial-%u", i + 1);
      GtkWidget *dial = named_button (dial_name, _("Dial"), G_CALLBACK (on_hist_dial), self);

      gtk_label_set_text (GTK_LABEL (label), text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
      g_object_set_data (G_OBJECT (dial), "dp-index", GUINT_TO_POINTER (i));
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (row), dial);
      gtk_list_box_append (GTK_LIST_BOX (self->hist_list), row);
    }
}

/* ---- building ----------------------------------------------------------- */

static void
translatable (DpScreen *self, GtkWidget *widget, const char *msgid)
{
  Translatable t = { widget, msgid };

  g_array_append_val (self->translatables, t);
  if (GTK_IS_BUTTON (widget))
    gtk_button_set_label (GTK_BUTTON (widget), _(msgid));
  else if (GTK_IS_LABEL (widget))
    gtk_label_set_text (GTK_LABEL (widget), _(msgid));
}

static GtkWidget *
label_new (const char *css_class, float xalign)
{
  GtkWidget *label = gtk_label_new ("");

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static const char screen_css[] =
  "window.dp-screen { background: #dfe9f5; }\n"
  ".dp-header { background: #2a4d7a; color: white; padding: 4px 8px; }\n"
  ".dp-indicator { background: #f0a000; color: black; border-radius: 4px; padding: 0 6px; }\n"
  ".dp-call { background: white; border: 1px solid #7a9cc6; border-radius: 6px; padding: 8px; }\n"
  ".dp-state { font-size: 20px; font-weight: bold; }\n"
  ".dp-peer { font-size: 24px; }\n"
  ".dp-dial { font-size: 26px; font-family: monospace; }\n"
  ".dp-secure { color: white; background: #1b7f2a; border-radius: 4px; padding: 0 6px; }\n"
  ".dp-notice { color: #8a1c1c; }\n"
  ".dp-ticker { background: #102a4a; color: #ffe680; font-family: monospace; padding: 2px 6px; }\n"
  ".dp-softkey { min-height: 34px; font-weight: bold; }\n"
  ".dp-key { min-width: 44px; min-height: 36px; font-size: 18px; }\n"
  ".dp-linekey { min-height: 40px; }\n"
  ".dp-sidecar-key { padding: 0 4px; min-height: 0; }\n"
  ".dp-sidecar-key label { font-size: 10px; }\n";

static GtkWidget *
build_line_keys (DpScreen *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  gtk_box_set_homogeneous (GTK_BOX (box), TRUE);
  for (guint k = 1; k <= N_LINE_KEYS; k++)
    {
      GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      g_autofree char *name = g_strdup_printf ("line-%u", k);
      GtkWidget *button = gtk_button_new ();

      self->line_leds[k - 1] = led_new ();
      self->line_labels[k - 1] = label_new (NULL, 0);
      gtk_label_set_ellipsize (GTK_LABEL (self->line_labels[k - 1]), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (self->line_labels[k - 1]), 10);
      gtk_box_append (GTK_BOX (content), self->line_leds[k - 1]);
      gtk_box_append (GTK_BOX (content), self->line_labels[k - 1]);
      gtk_button_set_child (GTK_BUTTON (button), content);
      gtk_widget_set_name (button, name);
      gtk_widget_add_css_class (button, "dp-linekey");
      g_object_set_data (G_OBJECT (button), "dp-line-key", GUINT_TO_POINTER (k));
      g_signal_connect (button, "clicked", G_CALLBACK (on_line_key), self);
      self->line_buttons[k - 1] = button;
      gtk_box_append (GTK_BOX (box), button);
    }
  return box;
}

static GtkWidget *
build_call_area (DpScreen *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

  gtk_widget_add_css_class (box, "dp-call");
  gtk_widget_set_hexpand (box, TRUE);
  self->state_label = label_new ("dp-state", 0);
  self->peer_label = label_new ("dp-peer", 0);
  self->number_label = label_new (NULL, 0);
  self->duration_label = label_new (NULL, 0);
  self->secure_label = label_new ("dp-secure", 0);
  self->codec_label = label_new (NULL, 0);
  self->dial_label = label_new ("dp-dial", 0);
  self->tone_label = label_new (NULL, 0);
  self->notice_label = label_new ("dp-notice", 0);
  gtk_label_set_wrap (GTK_LABEL (self->notice_label), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (self->peer_label), PANGO_ELLIPSIZE_END);
  translatable (self, self->secure_label, N_("🔒 Secure"));
  gtk_box_append (GTK_BOX (box), self->state_label);
  gtk_box_append (GTK_BOX (box), self->peer_label);
  gtk_box_append (GTK_BOX (box), self->number_label);
  gtk_box_append (GTK_BOX (row), self->duration_label);
  gtk_box_append (GTK_BOX (row), self->secure_label);
  gtk_box_append (GTK_BOX (row), self->codec_label);
  gtk_box_append (GTK_BOX (box), row);
  gtk_box_append (GTK_BOX (box), self->dial_label);
  gtk_box_append (GTK_BOX (box), self->tone_label);
  gtk_box_append (GTK_BOX (box), self->notice_label);
  return box;
}

static GtkWidget *
build_keypad (DpScreen *self)
{
  static const char keys[] = "123456789*0#";
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_row_homogeneous (GTK_GRID (grid), TRUE);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  for (guint i = 0; i < 12; i++)
    {
      char label[2] = { keys[i], '\0' };
      g_autofree char *name = g_strdup_printf ("key-%s", keys[i] == '*' ? "star" : keys[i] == '#' ? "hash" : label);
      GtkWidget *button = named_button (name, label, G_CALLBACK (on_key), self);

      gtk_widget_add_css_class (button, "dp-key");
      g_object_set_data (G_OBJECT (button), "dp-key", GINT_TO_POINTER (keys[i]));
      gtk_grid_attach (GTK_GRID (grid), button, (int) (i % 3), (int) (i / 3), 1, 1);
    }
  return grid;
}

static GtkWidget *
build_sidecar (DpScreen *self)
{
  GtkWidget *units = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_box_set_homogeneous (GTK_BOX (units), TRUE);
  for (guint u = 0; u < SIDECAR_UNITS; u++)
    {
      GtkWidget *grid = gtk_grid_new ();

      gtk_grid_set_row_homogeneous (GTK_GRID (grid), TRUE);
      gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
      gtk_grid_set_column_spacing (GTK_GRID (grid), 2);
      for (guint k = 0; k < SIDECAR_KEYS; k++)
        {
          GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
          GtkWidget *button = gtk_button_new ();
          g_autofree char *name = g_strdup_printf ("sidecar-%u-%u", u + 1, k + 1);

          self->sidecar_leds[u][k] = led_new ();
          gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self->sidecar_leds[u][k]), 9);
          gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->sidecar_leds[u][k]), 9);
          self->sidecar_labels[u][k] = label_new (NULL, 0);
          gtk_label_set_ellipsize (GTK_LABEL (self->sidecar_labels[u][k]), PANGO_ELLIPSIZE_END);
          gtk_box_append (GTK_BOX (content), self->sidecar_leds[u][k]);
          gtk_box_append (GTK_BOX (content), self->sidecar_labels[u][k]);
          gtk_button_set_child (GTK_BUTTON (button), content);
          gtk_widget_set_name (button, name);
          gtk_widget_add_css_class (button, "dp-sidecar-key");
          g_object_set_data_full (G_OBJECT (button), "dp-sidecar-key",
                                  g_strdup_printf ("%u/%u", u + 1, k + 1), g_free);
          g_signal_connect (button, "clicked", G_CALLBACK (on_sidecar_key), self);
          self->sidecar_buttons[u][k] = button;
          /* SPA932: two columns of 16 keys, numbered down each column. */
          gtk_grid_attach (GTK_GRID (grid), button, (int) (k / 16), (int) (k % 16), 1, 1);
        }
      gtk_box_append (GTK_BOX (units), grid);
    }
  return units;
}

static GtkWidget *
build_directory (DpScreen *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *form = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *title = label_new ("dp-state", 0);
  GtkWidget *button;

  translatable (self, title, N_("Personal directory"));
  self->dir_name = gtk_entry_new ();
  gtk_widget_set_name (self->dir_name, "dir-name");
  gtk_widget_set_hexpand (self->dir_name, TRUE);
  self->dir_number = gtk_entry_new ();
  gtk_widget_set_name (self->dir_number, "dir-number");
  gtk_widget_set_hexpand (self->dir_number, TRUE);
  gtk_box_append (GTK_BOX (form), self->dir_name);
  gtk_box_append (GTK_BOX (form), self->dir_number);
  static const char *actions[][2] = { { "add", N_("Add") }, { "save", N_("Save") }, { "delete", N_("Delete") } };
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autofree char *name = g_strdup_printf ("dir-%s", actions[i][0]);
      button = named_button (name, "", G_CALLBACK (on_dir_change), self);
      g_object_set_data (G_OBJECT (button), "dp-action", (gpointer) actions[i][0]);
      translatable (self, button, actions[i][1]);
      gtk_box_append (GTK_BOX (form), button);
    }
  self->dir_list = gtk_list_box_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->dir_list);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), form);
  gtk_box_append (GTK_BOX (box), scroller);
  return box;
}

static GtkWidget *
build_history (DpScreen *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *title = label_new ("dp-state", 0);

  translatable (self, title, N_("Call history"));
  self->hist_list = gtk_list_box_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->hist_list);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), scroller);
  return box;
}

static void
build_window (DpScreen *self)
{
  GtkWidget *root = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *phone = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *softkeys = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *hardware = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *spacer = gtk_label_new ("");
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  GtkWidget *button;

  gtk_css_provider_load_from_data (css, screen_css, -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  self->window = GTK_WINDOW (gtk_window_new ());
  g_object_ref_sink (self->window);
  gtk_window_set_title (self->window, "deskphone");
  /* A desk-phone display: no window decoration, 800×480 that grows with a
   * larger (touch) screen because every area expands. */
  gtk_window_set_decorated (self->window, FALSE);
  gtk_window_set_default_size (self->window, 800, 480);
  gtk_widget_add_css_class (GTK_WIDGET (self->window), "dp-screen");
  gtk_widget_set_name (GTK_WIDGET (self->window), "screen");

  gtk_widget_add_css_class (header, "dp-header");
  self->station_label = label_new (NULL, 0);
  self->mwi_label = label_new ("dp-indicator", 0.5);
  self->dnd_label = label_new ("dp-indicator", 0.5);
  self->fwd_label = label_new ("dp-indicator", 0.5);
  self->clock_label = label_new (NULL, 1);
  gtk_widget_set_name (self->mwi_label, "indicator-mwi");
  gtk_widget_set_name (self->dnd_label, "indicator-dnd");
  gtk_widget_set_name (self->fwd_label, "indicator-fwd");
  gtk_widget_set_hexpand (spacer, TRUE);
  gtk_box_append (GTK_BOX (header), self->station_label);
  gtk_box_append (GTK_BOX (header), self->mwi_label);
  gtk_box_append (GTK_BOX (header), self->dnd_label);
  gtk_box_append (GTK_BOX (header), self->fwd_label);
  gtk_box_append (GTK_BOX (header), spacer);
  gtk_box_append (GTK_BOX (header), self->clock_label);

  gtk_box_append (GTK_BOX (phone), build_line_keys (self));
  gtk_box_append (GTK_BOX (phone), build_call_area (self));
  gtk_box_append (GTK_BOX (phone), build_keypad (self));

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_widget_set_margin_start (self->stack, 6);
  gtk_widget_set_margin_end (self->stack, 6);
  gtk_stack_add_named (GTK_STACK (self->stack), phone, "phone");
  gtk_stack_add_named (GTK_STACK (self->stack), build_sidecar (self), "sidecar");
  gtk_stack_add_named (GTK_STACK (self->stack), build_directory (self), "directory");
  gtk_stack_add_named (GTK_STACK (self->stack), build_history (self), "history");

  self->ticker_label = label_new ("dp-ticker", 0);
  gtk_widget_set_name (self->ticker_label, "ticker");
  gtk_label_set_single_line_mode (GTK_LABEL (self->ticker_label), TRUE);
  gtk_widget_set_overflow (self->ticker_label, GTK_OVERFLOW_HIDDEN);

  gtk_box_set_homogeneous (GTK_BOX (softkeys), TRUE);
  gtk_widget_set_margin_start (softkeys, 6);
  gtk_widget_set_margin_end (softkeys, 6);
  for (guint i = 0; i < DP_SCREEN_MAX_SOFTKEYS; i++)
    {
      self->softkeys[i] = gtk_button_new_with_label ("");
      gtk_widget_add_css_class (self->softkeys[i], "dp-softkey");
      g_signal_connect (self->softkeys[i], "clicked", G_CALLBACK (on_softkey), self);
      gtk_box_append (GTK_BOX (softkeys), self->softkeys[i]);
    }

  gtk_widget_set_margin_start (hardware, 6);
  gtk_widget_set_margin_end (hardware, 6);
  gtk_widget_set_margin_bottom (hardware, 4);
  static const struct { const char *name; const char *label; AudioDevice device; } hooks[] = {
    { "offhook", N_("Handset"), AUDIO_HANDSET },
    { "speaker", N_("Speaker"), AUDIO_SPEAKER },
    { "headset", N_("Headset"), AUDIO_HEADSET },
  };
  for (guint i = 0; i < G_N_ELEMENTS (hooks); i++)
    {
      button = named_button (hooks[i].name, "", G_CALLBACK (on_hook_button), self);
      g_object_set_data (G_OBJECT (button), "dp-audio", GINT_TO_POINTER (hooks[i].device));
      translatable (self, button, hooks[i].label);
      gtk_box_append (GTK_BOX (hardware), button);
    }
  button = named_button ("volume-down", "−", G_CALLBACK (on_volume), self);
  g_object_set_data (G_OBJECT (button), "dp-step", GINT_TO_POINTER (-1));
  gtk_box_append (GTK_BOX (hardware), button);
  button = named_button ("volume-up", "+", G_CALLBACK (on_volume), self);
  g_object_set_data (G_OBJECT (button), "dp-step", GINT_TO_POINTER (1));
  gtk_box_append (GTK_BOX (hardware), button);
  self->audio_label = label_new (NULL, 0);
  gtk_widget_set_hexpand (self->audio_label, TRUE);
  gtk_box_append (GTK_BOX (hardware), self->audio_label);
  static const char *views[][2] = {
    { "phone", N_("Phone") }, { "sidecar", N_("Sidecar") },
    { "directory", N_("Directory") }, { "history", N_("History") },
  };
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_autofree char *name = g_strdup_printf ("view-%s", views[i][0]);
      button = named_button (name, "", G_CALLBACK (on_view), self);
      g_object_set_data (G_OBJECT (button), "dp-view", (gpointer) views[i][0]);
      translatable (self, button, views[i][1]);
      gtk_box_append (GTK_BOX (hardware), button);
    }

  gtk_box_append (GTK_BOX (root), header);
  gtk_box_append (GTK_BOX (root), self->stack);
  gtk_box_append (GTK_BOX (root), self->ticker_label);
  gtk_box_append (GTK_BOX (root), softkeys);
  gtk_box_append (GTK_BOX (root), hardware);
  gtk_window_set_child (self->window, root);
}

/* ---- signals ------------------------------------------------------------ */

static gboolean
retranslate (gpointer user_data)
{
  DpScreen *self = user_data;

  self->retranslate_id = 0;
  for (guint i = 0; i < self->translatables->len; i++)
    {
      Translatable *t = &g_array_index (self->translatables, Translatable, i);
      if (GTK_IS_BUTTON (t->widget))
        gtk_button_set_label (GTK_BUTTON (t->widget), _(t->msgid));
      else if (GTK_IS_LABEL (t->widget))
        gtk_label_set_text (GTK_LABEL (t->widget), _(t->msgid));
    }
  rebuild_directory (self);
  rebuild_history (self);
  update_clock (self);
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
on_config_changed (DpConfig *config, const char *name, gpointer user_data)
{
  DpScreen *self = user_data;

  if (g_str_equal (name, "Language_Selection"))
    {
      /* On an idle, so that the l10n plugin has switched the catalogue
       * whatever the order of the handlers. */
      if (self->retranslate_id == 0)
        self->retranslate_id = g_idle_add (retranslate, self);
    }
  else if (g_str_equal (name, "Time_Zone") || g_str_equal (name, "Time_Offset__HH_mm_") ||
           g_str_equal (name, "Daylight_Saving_Time_Rule") || g_str_equal (name, "Time_Format") ||
           g_str_equal (name, "Date_Format"))
    {
      update_clock (self);
      rebuild_history (self);
    }
  else if (g_str_equal (name, "Scrolling_Timer_s_"))
    schedule_ticker (self);
  else if (g_str_has_prefix (name, "Short_Name_") || g_str_has_prefix (name, "Extension_") ||
           g_str_has_suffix (name, "_LED") || g_str_has_prefix (name, "Line_Enable_") ||
           g_str_has_prefix (name, "User_ID_") || g_str_equal (name, "DND_Setting") ||
           g_str_equal (name, "Cfwd_All_Dest") || g_str_equal (name, "Station_Name") ||
           g_str_has_suffix (name, "_Volume"))
    refresh (self);
}

static void
on_call_changed (DpCore *core, DpCall *call, gpointer user_data)
{
  DpScreen *self = user_data;

  if (dp_call_get_state (call) == DP_CALL_STATE_ENDED)
    {
      g_autofree char *text = g_strdup_printf (_("Call ended: %s"),
                                               dp_call_end_reason_label (dp_call_get_end_reason (call)));
      set_notice (self, text);
    }
  else if (self->off_hook && dp_call_get_direction (call) == DP_CALL_OUTGOING)
    go_on_hook (self);
  refresh (self);
}

static void
on_line_notify (GObject *line, GParamSpec *pspec, gpointer user_data)
{
  refresh (DP_SCREEN (user_data));
}

/* ---- object ------------------------------------------------------------- */

static void
dp_screen_dispose (GObject *object)
{
  DpScreen *self = DP_SCREEN (object);

  dp_screen_close (self);
  G_OBJECT_CLASS (dp_screen_parent_class)->dispose (object);
}

static void
dp_screen_finalize (GObject *object)
{
  DpScreen *self = DP_SCREEN (object);

  g_string_free (self->digits, TRUE);
  g_array_unref (self->translatables);
  for (guint i = 0; i < DP_SCREEN_MAX_SOFTKEYS; i++)
    g_free (self->softkey_ids[i]);
  g_free (self->tone_name);
  g_free (self->notice);
  g_free (self->ticker_text);
  G_OBJECT_CLASS (dp_screen_parent_class)->finalize (object);
}

static void
dp_screen_class_init (DpScreenClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dp_screen_dispose;
  G_OBJECT_CLASS (klass)->finalize = dp_screen_finalize;
}

static void
dp_screen_init (DpScreen *self)
{
  self->digits = g_string_new (NULL);
  self->translatables = g_array_new (FALSE, FALSE, sizeof (Translatable));
  self->dir_selected = -1;
  self->ticker_text = g_strdup ("");
  self->dial_line = 0;
}

/**
 * dp_screen_new:
 * @core: the core
 * @history: the call history (loaded)
 * @directory: the personal directory (loaded)
 *
 * Builds the window (not shown yet) and connects to the core. GTK must be
 * initialised.
 */
DpScreen *
dp_screen_new (DpCore *core, DpCallHistory *history, DpDirectory *directory)
{
  DpScreen *self = g_object_new (DP_TYPE_SCREEN, NULL);

  self->core = g_object_ref (core);
  self->config = g_object_ref (dp_core_get_config (core));
  self->history = g_object_ref (history);
  self->directory = g_object_ref (directory);
  build_window (self);
  self->call_changed_id = g_signal_connect (core, "call-changed", G_CALLBACK (on_call_changed), self);
  self->history_changed_id = g_signal_connect (history, "changed", G_CALLBACK (on_history_changed), self);
  self->directory_changed_id = g_signal_connect (directory, "changed", G_CALLBACK (on_directory_changed), self);
  self->config_changed_id = g_signal_connect (self->config, "changed", G_CALLBACK (on_config_changed), self);
  for (guint i = 1; i <= MIN (dp_core_get_n_lines (core), DP_CORE_MAX_LINES); i++)
    {
      DpLine *line = dp_core_get_line (core, i);
      if (line != NULL)
        self->line_notify_ids[i] = g_signal_connect (line, "notify", G_CALLBACK (on_line_notify), self);
    }
  rebuild_directory (self);
  rebuild_history (self);
  update_clock (self);
  on_clock (self);
  self->ticker_text = (g_free (self->ticker_text), read_feeds_text (self));
  self->ticker_read_at = g_get_monotonic_time ();
  show_ticker (self);
  schedule_ticker (self);
  self->sidecar_id = g_signal_connect (self->core, "status-changed::sidecar",
                                       G_CALLBACK (on_sidecar_changed), self);
  refresh_sidecar (self);
  refresh (self);
  return self;
}

GtkWindow *
dp_screen_get_window (DpScreen *self)
{
  g_return_val_if_fail (DP_IS_SCREEN (self), NULL);
  return self->window;
}

void
dp_screen_present (DpScreen *self)
{
  g_return_if_fail (DP_IS_SCREEN (self));
  if (self->window != NULL)
    gtk_window_present (self->window);
}

/**
 * dp_screen_close:
 *
 * Disconnects from the core, stops every timer and destroys the window.
 * Safe to call twice.
 */
void
dp_screen_close (DpScreen *self)
{
  g_return_if_fail (DP_IS_SCREEN (self));

  g_clear_handle_id (&self->clock_id, g_source_remove);
  g_clear_handle_id (&self->duration_id, g_source_remove);
  g_clear_handle_id (&self->ticker_id, g_source_remove);
  if (self->core != NULL)
    g_clear_signal_handler (&self->sidecar_id, self->core);
  g_clear_handle_id (&self->retranslate_id, g_source_remove);
  g_clear_handle_id (&self->dial_timer_id, g_source_remove);
  g_clear_object (&self->dialer);
  g_clear_object (&self->tone);
  if (self->core != NULL)
    {
      g_clear_signal_handler (&self->call_changed_id, self->core);
      for (guint i = 1; i <= DP_CORE_MAX_LINES; i++)
        if (self->line_notify_ids[i] != 0)
          g_clear_signal_handler (&self->line_notify_ids[i], dp_core_get_line (self->core, i));
    }
  if (self->config != NULL)
    g_clear_signal_handler (&self->config_changed_id, self->config);
  if (self->window != NULL)
    {
      gtk_window_destroy (self->window);
      g_clear_object (&self->window);
    }
  if (self->history != NULL)
    g_clear_signal_handler (&self->history_changed_id, self->history);
  if (self->directory != NULL)
    g_clear_signal_handler (&self->directory_changed_id, self->directory);
  g_clear_object (&self->history);
  g_clear_object (&self->directory);
  g_clear_object (&self->config);
  g_clear_object (&self->core);
}

static GtkWidget *
find_widget (GtkWidget *widget, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * dp_screen_find_widget:
 *
 * Returns: (transfer none) (nullable): the widget named @name
 */
GtkWidget *
dp_screen_find_widget (DpScreen *self, const char *name)
{
  g_return_val_if_fail (DP_IS_SCREEN (self), NULL);
  return self->window != NULL ? find_widget (GTK_WIDGET (self->window), name) : NULL;
}

/**
 * dp_screen_save_png:
 *
 * Renders the window as it is now (gtk_widget_paintable → render node →
 * the window's renderer → GdkTexture) and writes it as PNG.
 */
gboolean
dp_screen_save_png (DpScreen *self, const char *path, GError **error)
{
  GtkWidget *widget;
  int width, height;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;

  g_return_val_if_fail (DP_IS_SCREEN (self), FALSE);
  widget = self->window ? GTK_WIDGET (self->window) : NULL;
  width = widget ? gtk_widget_get_width (widget) : 0;
  height = widget ? gtk_widget_get_height (widget) : 0;
  renderer = widget ? gtk_native_get_renderer (GTK_NATIVE (widget)) : NULL;
  if (width <= 0 || height <= 0 || renderer == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           "the screen window is not shown yet");
      return FALSE;
    }
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the window drew nothing");
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", path);
      return FALSE;
    }
  return TRUE;
}

static void
describe_label (JsonBuilder *builder, const char *member, GtkWidget *label)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, gtk_label_get_text (GTK_LABEL (label)));
}

/**
 * dp_screen_describe:
 *
 * What the screen shows, as JSON (written next to each script screenshot
 * so tests can check the state without reading pixels).
 *
 * Returns: (transfer full): the description
 */
JsonNode *
dp_screen_describe (DpScreen *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (DP_IS_SCREEN (self), NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "view");
  json_builder_add_string_value (builder, gtk_stack_get_visible_child_name (GTK_STACK (self->stack)));
  describe_label (builder, "state", self->state_label);
  describe_label (builder, "peer", self->peer_label);
  describe_label (builder, "number", self->number_label);
  describe_label (builder, "duration", self->duration_label);
  describe_label (builder, "codec", self->codec_label);
  describe_label (builder, "dial", self->dial_label);
  describe_label (builder, "tone", self->tone_label);
  describe_label (builder, "notice", self->notice_label);
  describe_label (builder, "ticker", self->ticker_label);
  describe_label (builder, "clock", self->clock_label);
  describe_label (builder, "audio", self->audio_label);
  json_builder_set_member_name (builder, "secure");
  json_builder_add_boolean_value (builder, gtk_widget_get_visible (self->secure_label));
  json_builder_set_member_name (builder, "mwi");
  json_builder_add_boolean_value (builder, gtk_widget_get_visible (self->mwi_label));
  json_builder_set_member_name (builder, "dnd");
  json_builder_add_boolean_value (builder, gtk_widget_get_visible (self->dnd_label));
  json_builder_set_member_name (builder, "fwd");
  json_builder_add_boolean_value (builder, gtk_widget_get_visible (self->fwd_label));
  json_builder_set_member_name (builder, "softkeys");
  json_builder_begin_array (builder);
  for (guint i = 0; i < DP_SCREEN_MAX_SOFTKEYS; i++)
    if (self->softkey_ids[i] != NULL)
      json_builder_add_string_value (builder, self->softkey_ids[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "lines");
  json_builder_begin_array (builder);
  for (guint k = 0; k < N_LINE_KEYS; k++)
    {
      json_builder_begin_object (builder);
      describe_label (builder, "label", self->line_labels[k]);
      json_builder_set_member_name (builder, "led");
      json_builder_add_string_value (builder, led_get_color (self->line_leds[k]));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "sidecar");
  json_builder_begin_array (builder);
  for (guint u = 0; u < SIDECAR_UNITS; u++)
    for (guint k = 0; k < SIDECAR_KEYS; k++)
      if (gtk_widget_get_sensitive (self->sidecar_buttons[u][k]))
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "unit");
          json_builder_add_int_value (builder, u + 1);
          json_builder_set_member_name (builder, "key");
          json_builder_add_int_value (builder, k + 1);
          describe_label (builder, "label", self->sidecar_labels[u][k]);
          json_builder_set_member_name (builder, "led");
          json_builder_add_string_value (builder, led_get_color (self->sidecar_leds[u][k]));
          json_builder_end_object (builder);
        }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "directory");
  json_builder_add_int_value (builder, dp_directory_get_n_entries (self->directory));
  json_builder_set_member_name (builder, "history");
  json_builder_add_int_value (builder, dp_call_history_get_n_entries (self->history));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
