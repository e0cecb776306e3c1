/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Local tones and rings: a small pipeline fed by appsrc, rendered from the
 * core's ToneScript generator or from the built-in ring waveforms.
 */
#define G_LOG_DOMAIN "dp-media"

#include "dp-tone-player.h"
#include "dp-media-device.h"
#include "dp-media-volume.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>
#include "dp-media.h"
#include "dp-tone-generator.h"

#include <math.h>
#include <string.h>

#define CHUNK_SAMPLES (DP_TONE_PLAYER_RATE / 50)   /* 20 ms per buffer */
#define RING_LEVEL_DBM (-13.0)

static const char *const tone_names[] = {
  "Dial_Tone", "Outside_Dial_Tone", "Prompt_Tone", "Busy_Tone", "Reorder_Tone",
  "Off_Hook_Warning_Tone", "Ring_Back_Tone", "Call_Waiting_Tone", "Confirm_Tone",
  "SIT1_Tone", "SIT2_Tone", "SIT3_Tone", "SIT4_Tone", "MWI_Dial_Tone",
  "Cfwd_Dial_Tone", "Holding_Tone", "Conference_Tone",
  "Secure_Call_Indication_Tone", "Page_Tone", "Alert_Tone",
};

/* Factory values, used only when the player has no config (tests, tools). */
static const char *const factory_tones[][2] = {
  { "Dial_Tone", "350@-19,440@-19;10(*/0/1+2)" },
  { "Ring_Back_Tone", "440@-19,480@-19;*(2/4/1+2)" },
  { "Busy_Tone", "480@-19,620@-19;10(.5/.5/1+2)" },
  { "Reorder_Tone", "480@-19,620@-19;10(.25/.25/1+2)" },
  { "Confirm_Tone", "600@-16;1(.25/.25/1)" },
  { "Secure_Call_Indication_Tone", "397@-19,507@-19;15(0/2/0,.2/.1/1,.1/2.1/2)" },
};

/* What the streaming thread renders. Owned by the pipeline's need-data
 * handler (freed with the pipeline), never touched by the main thread
 * while the pipeline runs. */
typedef struct {
  DpToneGenerator *generator;     /* a ToneScript, or NULL for a ring */
  /* ring */
  DpRingWaveform waveform;
  DpCadScript cadence;
  gboolean gated;                 /* FALSE for c=0 */
  gint64 cadence_ms;              /* total of the cadence, -1 infinite */
  gint64 break_ms;                /* -1: cadence plays once */
  gint64 total_ms;                /* -1: no limit */
  double phase[2];
  double amplitude;
  /* common */
  guint64 position;               /* samples pushed */
  guint64 max_samples;            /* 0: no limit */
  gboolean eos_sent;
} Source;

struct _DpTonePlayer
{
  GObject parent_instance;

  DpConfig *config;
  char *audio_sink;
  guint max_duration_ms;
  GstElement *pipeline;
  guint bus_watch;
};

enum { SIGNAL_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DpTonePlayer, dp_tone_player, G_TYPE_OBJECT)

static void
source_free (gpointer data)
{
  Source *source = data;

  g_clear_object (&source->generator);
  g_free (source);
}

static gboolean
is_ring_name (const char *name)
{
  guint64 n;

  return g_str_has_prefix (name, "Ring") && name[4] != '0' &&
         g_ascii_string_to_unsigned (name + 4, 10, 1, 10, &n, NULL);
}

gboolean
dp_tone_player_is_known_name (const char *name)
{
  if (name == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (tone_names); i++)
    if (strcmp (name, tone_names[i]) == 0)
      return TRUE;
  if (g_str_has_prefix (name, "SIT") && strlen (name) == 4 && name[3] >= '1' && name[3] <= '4')
    return TRUE;
  return is_ring_name (name);
}

/* Whether the cadence is on at @ms from its start; *ended when past it. */
static gboolean
cadence_on (const DpCadScript *cadence, gint64 ms, gboolean *ended)
{
  *ended = FALSE;
  for (guint s = 0; s < cadence->n_sections; s++)
    {
      const DpToneSection *section = &cadence->sections[s];
      gint64 cycle = 0;
      gboolean infinite = FALSE;

      if (section->duration_ms != DP_TONE_INFINITE && ms >= section->duration_ms)
        {
          ms -= section->duration_ms;
          continue;
        }
      for (guint i = 0; i < section->n_segments; i++)
        {
          if (section->segments[i].on_ms == DP_TONE_INFINITE ||
              section->segments[i].off_ms == DP_TONE_INFINITE)
            infinite = TRUE;
          else
            cycle += section->segments[i].on_ms + section->segments[i].off_ms;
        }
      /* The parser rejects all-zero sections, so cycle > 0 when finite. */
      if (!infinite && cycle > 0)
        ms %= cycle;
      for (guint i = 0; i < section->n_segments; i++)
        {
          const DpToneSegment *segment = &section->segments[i];

          if (segment->on_ms == DP_TONE_INFINITE || ms < segment->on_ms)
            return TRUE;
          ms -= segment->on_ms;
          if (segment->off_ms == DP_TONE_INFINITE || ms < segment->off_ms)
            return FALSE;
          ms -= segment->off_ms;
        }
      return FALSE;
    }
  *ended = TRUE;
  return FALSE;
}

/* One ring sample at sample index @i, or FALSE when the ring is over. */
static gboolean
ring_sample (Source *source, guint64 i, gint16 *out)
{
  double t = (double) i / DP_TONE_PLAYER_RATE;
  gint64 ms = (gint64) (i * 1000 / DP_TONE_PLAYER_RATE);
  gboolean on = TRUE;
  double value = 0.0;

  if (source->total_ms >= 0 && ms >= source->total_ms)
    return FALSE;
  if (source->gated)
    {
      gboolean ended;

      if (source->break_ms >= 0 && source->cadence_ms >= 0)
        {
          ms %= source->cadence_ms + source->break_ms;
          if (ms >= source->cadence_ms)
            on = FALSE;
        }
      if (on)
        {
          on = cadence_on (&source->cadence, ms, &ended);
          if (ended && source->break_ms < 0)
            return FALSE;
        }
    }

  switch (source->waveform)
    {
    case DP_RING_WAVEFORM_CLASSIC_BELL:
      value = fabs (sin (G_PI * 20.0 * t)) *
              (sin (2 * G_PI * 1000.0 * t) + sin (2 * G_PI * 2700.0 * t));
      break;
    case DP_RING_WAVEFORM_TYPICAL_RING:
      {
        /* Alternate every 25 ms with each oscillator's phase kept, so the
         * switch does not click. */
        gboolean high = ((guint64) (t * 40.0)) % 2 == 1;

        source->phase[0] += 2 * G_PI * (high ? 1250.0 : 1000.0) / DP_TONE_PLAYER_RATE;
        value = sin (source->phase[0]);
      }
      break;
    case DP_RING_WAVEFORM_CLASSIC_RING:
      value = sin (2 * G_PI * 440.0 * t) + sin (2 * G_PI * 480.0 * t);
      break;
    case DP_RING_WAVEFORM_SWEEP:
      {
        double within = fmod (t, 0.5) / 0.5;

        source->phase[0] += 2 * G_PI * (400.0 + 2800.0 * within) / DP_TONE_PLAYER_RATE;
        value = sin (source->phase[0]);
      }
      break;
    case DP_RING_WAVEFORM_URL:
    default:
      break;
    }
  source->phase[0] = fmod (source->phase[0], 2 * G_PI);
  *out = on ? (gint16) CLAMP (value * source->amplitude, -32767.0, 32767.0) : 0;
  return TRUE;
}

static void
on_need_data (GstElement *appsrc, guint length, gpointer user_data)
{
  Source *source = user_data;
  gsize n = CHUNK_SAMPLES;
  gsize filled = 0;
  GstBuffer *buffer;
  GstMapInfo map;
  GstFlowReturn ret;

  if (source->eos_sent)
    return;
  if (source->max_samples > 0)
    n = MIN (n, source->max_samples - source->position);

  buffer = gst_buffer_new_allocate (NULL, n * sizeof (gint16), NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  if (source->generator != NULL)
    filled = dp_tone_generator_fill (source->generator, (gint16 *) map.data, n);
  else
    while (filled < n && ring_sample (source, source->position + filled,
                                      (gint16 *) map.data + filled))
      filled++;
  gst_buffer_unmap (buffer, &map);

  if (filled == 0)
    {
      gst_buffer_unref (buffer);
      source->eos_sent = TRUE;
      g_signal_emit_by_name (appsrc, "end-of-stream", &ret);
      return;
    }
  gst_buffer_set_size (buffer, filled * sizeof (gint16));
  GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (source->position, GST_SECOND,
                                                   DP_TONE_PLAYER_RATE);
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (filled, GST_SECOND,
                                                        DP_TONE_PLAYER_RATE);
  source->position += filled;
  g_signal_emit_by_name (appsrc, "push-buffer", buffer, &ret);
  gst_buffer_unref (buffer);
  if (source->max_samples > 0 && source->position >= source->max_samples)
    {
      source->eos_sent = TRUE;
      g_signal_emit_by_name (appsrc, "end-of-stream", &ret);
    }
}

static const char *
tone_value (DpTonePlayer *self, const char *name)
{
  const char *value = NULL;

  if (self->config != NULL)
    value = dp_config_get (self->config, name);
  if (value != NULL)
    return value;
  for (gsize i = 0; i < G_N_ELEMENTS (factory_tones); i++)
    if (strcmp (factory_tones[i][0], name) == 0)
      return factory_tones[i][1];
  return NULL;
}

static gboolean
ring_source (DpTonePlayer *self, const DpRingScript *ring, Source *source, GError **error)
{
  if (ring->waveform == DP_RING_WAVEFORM_URL)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE,
                   _("ring '%s' plays a downloaded file (%s), which is not available"),
                   ring->name, ring->url);
      return FALSE;
    }
  source->waveform = ring->waveform;
  source->break_ms = ring->break_ms;
  source->total_ms = ring->total_ms;
  source->gated = ring->cadence != 0;
  source->cadence_ms = -1;
  if (source->gated)
    {
      g_autofree char *param = g_strdup_printf ("Cadence_%u", ring->cadence);
      const char *script = self->config != NULL ? dp_config_get (self->config, param) : NULL;
      g_autoptr(GError) local = NULL;

      if (script == NULL || *script == '\0')
        script = dp_ring_default_cadence (ring->cadence);
      if (script == NULL || !dp_cad_script_parse (script, &source->cadence, &local))
        {
          g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED,
                       _("ring '%s': %s: %s"), ring->name, param,
                       local != NULL ? local->message : _("no such cadence"));
          return FALSE;
        }
      source->cadence_ms = dp_cad_script_get_total_ms (&source->cadence);
    }
  source->amplitude = dp_tone_level_to_amplitude (RING_LEVEL_DBM);
  return TRUE;
}

/* Builds the sound for @name_or_script; *is_ring tells which volume. */
static Source *
make_source (DpTonePlayer *self, const char *name_or_script, gboolean *is_ring, GError **error)
{
  g_autoptr(GError) tone_error = NULL;
  g_autoptr(GError) ring_error = NULL;
  g_autofree Source *source = g_new0 (Source, 1);
  const char *script = name_or_script;
  const char *label = name_or_script;
  DpRingScript ring;

  *is_ring = FALSE;
  if (dp_tone_player_is_known_name (name_or_script))
    {
      g_autofree char *sit = NULL;

      if (g_str_has_prefix (name_or_script, "SIT") && strlen (name_or_script) == 4)
        label = sit = g_strconcat (name_or_script, "_Tone", NULL);
      script = tone_value (self, label);
      if (script == NULL && is_ring_name (label))
        {
          g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED,
                       _("%s: no configuration to read the ring from"), label);
          return NULL;
        }
      if (script == NULL)
        {
          g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED,
                       _("%s: no configuration to read the tone from"), label);
          return NULL;
        }
      if (is_ring_name (label))
        {
          if (!dp_ring_script_parse (script, &ring, &ring_error))
            {
              g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED,
                           "%s: %s", label, ring_error->message);
              return NULL;
            }
          *is_ring = TRUE;
          return ring_source (self, &ring, source, error) ? g_steal_pointer (&source) : NULL;
        }
      source->generator = dp_tone_generator_new_from_string (script, DP_TONE_PLAYER_RATE,
                                                             &tone_error);
      if (source->generator == NULL)
        {
          g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED,
                       "%s: %s", label, tone_error->message);
          return NULL;
        }
      return g_steal_pointer (&source);
    }

  source->generator = dp_tone_generator_new_from_string (script, DP_TONE_PLAYER_RATE,
                                                         &tone_error);
  if (source->generator != NULL)
    return g_steal_pointer (&source);
  if (dp_ring_script_parse (script, &ring, &ring_error))
    {
      *is_ring = TRUE;
      return ring_source (self, &ring, source, error) ? g_steal_pointer (&source) : NULL;
    }
  g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED,
               _("'%s' is neither a tone parameter, Ring1..Ring10, a ToneScript (%s) "
                 "nor a RingScript (%s)"),
               name_or_script, tone_error->message, ring_error->message);
  return NULL;
}

static const char *
sink_description (DpTonePlayer *self)
{
  return dp_media_device_description (self->config, self->audio_sink, FALSE);
}

/* Ringer_Volume as a gain (dp-media-volume.h). */
static double
ringer_gain (DpTonePlayer *self)
{
  return dp_media_volume_gain (self->config, "Ringer_Volume", 8);
}

static void
teardown (DpTonePlayer *self)
{
  if (self->bus_watch != 0)
    {
      g_source_remove (self->bus_watch);
      self->bus_watch = 0;
    }
  if (self->pipeline != NULL)
    {
      /* NULL state joins the streaming thread before the source is freed
       * (it is the pipeline's data). */
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      gst_clear_object (&self->pipeline);
    }
}

static gboolean
on_bus_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  DpTonePlayer *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &error, &debug);
        g_warning ("tone pipeline: %s (%s)", error->message, debug != NULL ? debug : "");
      }
      G_GNUC_FALLTHROUGH;
    case GST_MESSAGE_EOS:
      self->bus_watch = 0;
      teardown (self);
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
      return G_SOURCE_REMOVE;
    default:
      return G_SOURCE_CONTINUE;
    }
}

gboolean
dp_tone_player_play (DpTonePlayer *self, const char *name_or_script, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstCaps) caps = NULL;
  GstElement *appsrc, *convert, *resample, *volume, *sink;
  gboolean is_ring;
  Source *source;

  g_return_val_if_fail (DP_IS_TONE_PLAYER (self), FALSE);
  g_return_val_if_fail (name_or_script != NULL, FALSE);

  /* Initialised on first use, as the sessions do: loading the plugin must
   * not cost GStreamer's start-up. */
  if (!gst_is_initialized () && !gst_init_check (NULL, NULL, &local))
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE,
                   _("GStreamer does not initialise: %s"), local->message);
      return FALSE;
    }

  source = make_source (self, name_or_script, &is_ring, error);
  if (source == NULL)
    return FALSE;
  if (self->max_duration_ms > 0)
    source->max_samples = (guint64) self->max_duration_ms * DP_TONE_PLAYER_RATE / 1000;

  teardown (self);

  pipeline = gst_object_ref_sink (gst_pipeline_new ("tone"));
  appsrc = gst_element_factory_make ("appsrc", "src");
  convert = gst_element_factory_make ("audioconvert", NULL);
  resample = gst_element_factory_make ("audioresample", NULL);
  volume = gst_element_factory_make ("volume", "volume");
  if (appsrc == NULL || convert == NULL || resample == NULL || volume == NULL)
    {
      source_free (source);
      g_clear_object (&appsrc);
      g_clear_object (&convert);
      g_clear_object (&resample);
      g_clear_object (&volume);
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE,
                           _("GStreamer base elements (appsrc, audioconvert, audioresample, "
                             "volume) are missing"));
      return FALSE;
    }
  sink = gst_parse_bin_from_description (sink_description (self), TRUE, &local);
  if (sink == NULL)
    {
      source_free (source);
      gst_object_unref (gst_object_ref_sink (appsrc));
      gst_object_unref (gst_object_ref_sink (convert));
      gst_object_unref (gst_object_ref_sink (resample));
      gst_object_unref (gst_object_ref_sink (volume));
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE,
                   _("audio sink '%s': %s"), sink_description (self), local->message);
      return FALSE;
    }
  gst_bin_add_many (GST_BIN (pipeline), appsrc, convert, resample, volume, sink, NULL);
  if (!gst_element_link_many (appsrc, convert, resample, volume, sink, NULL))
    {
      source_free (source);
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE,
                   _("audio sink '%s' does not accept audio"), sink_description (self));
      return FALSE;
    }

  caps = gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING, "S16LE",
                              "layout", G_TYPE_STRING, "interleaved",
                              "rate", G_TYPE_INT, DP_TONE_PLAYER_RATE,
                              "channels", G_TYPE_INT, 1, NULL);
  g_object_set (appsrc, "caps", caps, "format", GST_FORMAT_TIME,
                "max-bytes", (guint64) (CHUNK_SAMPLES * sizeof (gint16) * 4), NULL);
  g_object_set (volume, "volume", is_ring ? ringer_gain (self) : 1.0, NULL);
  /* The source is the handler's data and dies with the pipeline, so the
   * streaming thread never sees it freed. */
  g_signal_connect_data (appsrc, "need-data", G_CALLBACK (on_need_data), source,
                         (GClosureNotify) (void (*) (void)) source_free, 0);

  bus = gst_element_get_bus (pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  self->pipeline = g_steal_pointer (&pipeline);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      teardown (self);
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE,
                   _("audio sink '%s' does not start"), sink_description (self));
      return FALSE;
    }
  g_debug ("playing %s", name_or_script);
  return TRUE;
}

void
dp_tone_player_stop (DpTonePlayer *self)
{
  g_return_if_fail (DP_IS_TONE_PLAYER (self));
  teardown (self);
}

gboolean
dp_tone_player_is_playing (DpTonePlayer *self)
{
  g_return_val_if_fail (DP_IS_TONE_PLAYER (self), FALSE);
  return self->pipeline != NULL;
}

void
dp_tone_player_set_max_duration (DpTonePlayer *self, guint ms)
{
  g_return_if_fail (DP_IS_TONE_PLAYER (self));
  self->max_duration_ms = ms;
}

void
dp_tone_player_set_audio_sink (DpTonePlayer *self, const char *description)
{
  g_return_if_fail (DP_IS_TONE_PLAYER (self));
  g_free (self->audio_sink);
  self->audio_sink = g_strdup (description);
}

GstElement *
dp_tone_player_get_pipeline (DpTonePlayer *self)
{
  g_return_val_if_fail (DP_IS_TONE_PLAYER (self), NULL);
  return self->pipeline;
}

static void
dp_tone_player_dispose (GObject *object)
{
  DpTonePlayer *self = DP_TONE_PLAYER (object);

  teardown (self);
  g_clear_object (&self->config);
  G_OBJECT_CLASS (dp_tone_player_parent_class)->dispose (object);
}

static void
dp_tone_player_finalize (GObject *object)
{
  g_free (DP_TONE_PLAYER (object)->audio_sink);
  G_OBJECT_CLASS (dp_tone_player_parent_class)->finalize (object);
}

static void
dp_tone_player_class_init (DpTonePlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dp_tone_player_dispose;
  object_class->finalize = dp_tone_player_finalize;

  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dp_tone_player_init (DpTonePlayer *self)
{
}

DpTonePlayer *
dp_tone_player_new (DpConfig *config)
{
  DpTonePlayer *self = g_object_new (DP_TYPE_TONE_PLAYER, NULL);

  g_set_object (&self->config, config);
  return self;
}
