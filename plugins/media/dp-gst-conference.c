/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpGstConference: the local three-way mix (design in the header). The
 * bridges run in streaming threads: a Bridge's targets change under its
 * lock, and the elements they name stay alive while referenced. */
#define G_LOG_DOMAIN "dp-media"

#include "dp-gst-conference.h"

/* The bridges' appsrc queues: at most this much audio waits; older audio
 * is dropped first, so a slower clock never accumulates delay. */
#define BRIDGE_QUEUE_MS 200
/* A buffer continues the previous one's timeline (no gap, no overlap, so
 * no click and regular RTP timestamps) unless that timeline has fallen
 * behind the receiving pipeline's clock by more than BRIDGE_LATE_NS (the
 * mixer would drop it: restart at "now", a short gap) or runs ahead by
 * more than BRIDGE_EARLY_NS (clock drift: restart at "now"). Audio comes
 * in bursts (a jitter buffer or a mixer catching up pushes several
 * buffers at once), so early audio is normal and only waits; jumping back
 * for it would overlap what was already sent. */
#define BRIDGE_LATE_NS (30 * GST_MSECOND)
#define BRIDGE_EARLY_NS (200 * GST_MSECOND)

typedef struct {
  GMutex lock;
  GstElement *targets[2];      /* appsrcs (owned refs), NULL when unset */
  GstClockTime next_pts[2];    /* streaming thread only; reset with targets */
  guint rate;                  /* the mixing rate: S16 mono at it */
} Bridge;

struct _DpGstConference
{
  guint rate;
  GstElement *pipeline;
  guint bus_watch;
  DpGstMediaSession *sessions[2];  /* not owned: a session leaves when it stops */
  GstElement *to_leg[2];           /* appsinks: the mix leg i sends */
  Bridge from_leg[2];              /* leg i's appsink -> conference appsrcs (fixed) */
  Bridge to_session[2];            /* to_leg[i] -> leg i's appsrc (per leg pipeline) */
};

static void
bridge_set (Bridge *bridge, GstElement *first, GstElement *second)
{
  GstElement *old[2];

  g_mutex_lock (&bridge->lock);
  old[0] = bridge->targets[0];
  old[1] = bridge->targets[1];
  bridge->targets[0] = first != NULL ? gst_object_ref (first) : NULL;
  bridge->targets[1] = second != NULL ? gst_object_ref (second) : NULL;
  bridge->next_pts[0] = bridge->next_pts[1] = GST_CLOCK_TIME_NONE;
  g_mutex_unlock (&bridge->lock);
  for (guint i = 0; i < 2; i++)
    if (old[i] != NULL)
      gst_object_unref (old[i]);
}

/* Running time of @element's pipeline now, or NONE before it runs. */
static GstClockTime
running_time_now (GstElement *element)
{
  g_autoptr(GstClock) clock = gst_element_get_clock (element);
  GstClockTime now, base = gst_element_get_base_time (element);

  if (clock == NULL)
    return GST_CLOCK_TIME_NONE;
  now = gst_clock_get_time (clock);
  return now > base ? now - base : 0;
}

/* The timestamp for the next @duration of audio into @target. */
static GstClockTime
next_timestamp (GstClockTime *next_pts, GstElement *target, GstClockTime duration)
{
  GstClockTime now = running_time_now (target), pts;

  if (now == GST_CLOCK_TIME_NONE)
    return GST_CLOCK_TIME_NONE;
  pts = *next_pts;
  if (pts == GST_CLOCK_TIME_NONE || pts + BRIDGE_LATE_NS < now || pts > now + BRIDGE_EARLY_NS)
    pts = now;
  *next_pts = pts + duration;
  return pts;
}

/* appsink "new-sample" (streaming thread): hands the audio on to the
 * bridge's appsrcs, stamped on the receiving pipeline's clock. The copies
 * are shallow: the audio memory is shared, not duplicated. */
static GstFlowReturn
on_new_sample (GstElement *appsink, gpointer user_data)
{
  Bridge *bridge = user_data;
  GstSample *sample = NULL;
  GstElement *targets[2];
  GstClockTime duration;
  GstBuffer *buffer;

  g_signal_emit_by_name (appsink, "pull-sample", &sample);
  if (sample == NULL)
    return GST_FLOW_OK;
  g_mutex_lock (&bridge->lock);
  for (guint i = 0; i < 2; i++)
    targets[i] = bridge->targets[i] != NULL ? gst_object_ref (bridge->targets[i]) : NULL;
  g_mutex_unlock (&bridge->lock);

  buffer = gst_sample_get_buffer (sample);
  /* S16 mono at the mixing rate: two bytes a sample. */
  duration = gst_util_uint64_scale (gst_buffer_get_size (buffer) / 2, GST_SECOND, bridge->rate);
  for (guint i = 0; i < 2; i++)
    {
      GstBuffer *copy;
      GstFlowReturn ret;

      if (targets[i] == NULL)
        continue;
      copy = gst_buffer_copy (buffer);
      GST_BUFFER_PTS (copy) = next_timestamp (&bridge->next_pts[i], targets[i], duration);
      GST_BUFFER_DTS (copy) = GST_CLOCK_TIME_NONE;
      GST_BUFFER_DURATION (copy) = duration;
      GST_BUFFER_OFFSET (copy) = GST_BUFFER_OFFSET_NONE;
      GST_BUFFER_OFFSET_END (copy) = GST_BUFFER_OFFSET_NONE;
      GST_BUFFER_FLAG_UNSET (copy, GST_BUFFER_FLAG_GAP);
      g_signal_emit_by_name (targets[i], "push-buffer", copy, &ret);
      gst_buffer_unref (copy);
      gst_object_unref (targets[i]);
    }
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static GstCaps *
mix_caps (guint rate)
{
  return gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING, "S16LE",
                              "layout", G_TYPE_STRING, "interleaved",
                              "rate", G_TYPE_INT, (int) rate,
                              "channels", G_TYPE_INT, 1, NULL);
}

/* A live appsrc (timestamps set by on_new_sample) with a short leaky
 * queue; its latency range lets the mixer wait for it. */
static GstElement *
add_appsrc (GstElement *pipeline, guint rate, GError **error)
{
  g_autoptr(GstCaps) caps = mix_caps (rate);
  GstElement *src = dp_gst_bin_add_new (pipeline, "appsrc", error);

  if (src == NULL)
    return NULL;
  g_object_set (src, "caps", caps, "is-live", TRUE, "block", FALSE, "format", GST_FORMAT_TIME,
                "min-latency", (gint64) 0,
                "max-latency", (gint64) (BRIDGE_QUEUE_MS * GST_MSECOND),
                "max-bytes", (guint64) (rate * 2 * BRIDGE_QUEUE_MS / 1000),
                NULL);
  gst_util_set_object_arg (G_OBJECT (src), "leaky-type", "downstream");
  return src;
}

static GstElement *
add_appsink (GstElement *pipeline, Bridge *bridge, GError **error)
{
  g_autoptr(GstCaps) caps = mix_caps (bridge->rate);
  GstElement *sink = dp_gst_bin_add_new (pipeline, "appsink", error);

  if (sink == NULL)
    return NULL;
  g_object_set (sink, "caps", caps, "sync", FALSE, "async", FALSE, "emit-signals", TRUE,
                "max-buffers", 4, "drop", TRUE, NULL);
  g_signal_connect (sink, "new-sample", G_CALLBACK (on_new_sample), bridge);
  return sink;
}

static gboolean
link_elements (GstElement *src, GstElement *sink, GError **error)
{
  /* Requests the tee's and the mixers' pads as needed. */
  if (gst_element_link (src, sink))
    return TRUE;
  g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED, "conference: cannot link %s to %s",
               GST_ELEMENT_NAME (src), GST_ELEMENT_NAME (sink));
  return FALSE;
}

static gboolean
on_bus_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *debug = NULL;

      gst_message_parse_error (message, &error, &debug);
      g_warning ("conference pipeline error from %s: %s (%s)", GST_OBJECT_NAME (message->src),
                 error->message, debug != NULL ? debug : "");
    }
  return G_SOURCE_CONTINUE;
}

static void
conference_free (DpGstConference *self)
{
  if (self->bus_watch != 0)
    g_source_remove (self->bus_watch);
  if (self->pipeline != NULL)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      gst_object_unref (self->pipeline);
    }
  for (guint i = 0; i < 2; i++)
    {
      bridge_set (&self->from_leg[i], NULL, NULL);
      bridge_set (&self->to_session[i], NULL, NULL);
      g_mutex_clear (&self->from_leg[i].lock);
      g_mutex_clear (&self->to_session[i].lock);
    }
  g_free (self);
}

/* One mixer with a fixed output format; @out gets its output. */
static GstElement *
add_mixer (GstElement *pipeline, guint rate, GstElement *out, GError **error)
{
  g_autoptr(GstCaps) caps = mix_caps (rate);
  GstElement *mixer = dp_gst_bin_add_new (pipeline, "audiomixer", error), *filter;

  if (mixer == NULL || (filter = dp_gst_bin_add_new (pipeline, "capsfilter", error)) == NULL)
    return NULL;
  g_object_set (mixer, "latency", (guint64) DP_GST_CONFERENCE_LATENCY_MS * GST_MSECOND, NULL);
  g_object_set (filter, "caps", caps, NULL);
  if (!gst_element_link (mixer, filter) || !gst_element_link (filter, out))
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED,
                           "conference: cannot link a mixer");
      return NULL;
    }
  return mixer;
}

static gboolean
build (DpGstConference *self, GError **error)
{
  GstElement *pipeline, *mic, *conv, *res, *filter, *tee, *speaker, *spk_conv, *spk_res,
             *mixers[3], *from[2][2];
  g_autoptr(GstCaps) caps = mix_caps (self->rate);
  DpGstMediaSession *first = self->sessions[0];

  self->pipeline = pipeline = gst_pipeline_new ("conference");
  gst_object_ref_sink (pipeline);

  /* Local device. */
  if ((mic = dp_gst_bin_add_device (pipeline,
                                         dp_gst_media_session_audio_description (first, TRUE),
                                         "audio source", error)) == NULL ||
      (conv = dp_gst_bin_add_new (pipeline, "audioconvert", error)) == NULL ||
      (res = dp_gst_bin_add_new (pipeline, "audioresample", error)) == NULL ||
      (filter = dp_gst_bin_add_new (pipeline, "capsfilter", error)) == NULL ||
      (tee = dp_gst_bin_add_new (pipeline, "tee", error)) == NULL ||
      (spk_conv = dp_gst_bin_add_new (pipeline, "audioconvert", error)) == NULL ||
      (spk_res = dp_gst_bin_add_new (pipeline, "audioresample", error)) == NULL ||
      (speaker = dp_gst_bin_add_device (pipeline,
                                             dp_gst_media_session_audio_description (first, FALSE),
                                             "audio sink", error)) == NULL)
    return FALSE;
  g_object_set (filter, "caps", caps, NULL);
  if (!gst_element_link_many (mic, conv, res, filter, tee, NULL) ||
      !gst_element_link_many (spk_conv, spk_res, speaker, NULL))
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED,
                           "conference: cannot link the local audio device");
      return FALSE;
    }

  /* mixers[i]: what leg i sends; mixers[2]: the speaker. */
  for (guint i = 0; i < 2; i++)
    {
      if ((self->to_leg[i] = add_appsink (pipeline, &self->to_session[i], error)) == NULL ||
          (mixers[i] = add_mixer (pipeline, self->rate, self->to_leg[i], error)) == NULL)
        return FALSE;
    }
  if ((mixers[2] = add_mixer (pipeline, self->rate, spk_conv, error)) == NULL)
    return FALSE;

  for (guint i = 0; i < 2; i++)
    {
      GstElement *queue = dp_gst_bin_add_new (pipeline, "queue", error);

      if (queue == NULL)
        return FALSE;
      /* A stalled mixer must not hold the other one's microphone audio. */
      g_object_set (queue, "max-size-buffers", 0, "max-size-bytes", 0,
                    "max-size-time", (guint64) BRIDGE_QUEUE_MS * GST_MSECOND, NULL);
      gst_util_set_object_arg (G_OBJECT (queue), "leaky", "downstream");
      if (!link_elements (tee, queue, error) || !link_elements (queue, mixers[i], error))
        return FALSE;
      /* Leg i's audio goes to the speaker and to the other leg, never
       * back to leg i. */
      if ((from[i][0] = add_appsrc (pipeline, self->rate, error)) == NULL ||
          (from[i][1] = add_appsrc (pipeline, self->rate, error)) == NULL ||
          !link_elements (from[i][0], mixers[2], error) || !link_elements (from[i][1], mixers[1 - i], error))
        return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    bridge_set (&self->from_leg[i], from[i][0], from[i][1]);

  {
    g_autoptr(GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));
    self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  }
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE,
                           "the conference pipeline does not start (audio device?)");
      return FALSE;
    }
  return TRUE;
}

/* Puts both sessions back on the local device alone (those still in it)
 * and frees the conference. */
static void
dissolve (DpGstConference *self)
{
  for (guint i = 0; i < 2; i++)
    {
      DpGstMediaSession *session = self->sessions[i];
      g_autoptr(GError) error = NULL;

      if (session == NULL)
        continue;
      self->sessions[i] = NULL;
      if (dp_gst_media_session_get_conference (session) != self)
        continue;   /* join() failed before this one joined */
      dp_gst_media_session_set_conference (session, NULL, 0);
      if (!dp_gst_media_session_rebuild (session, &error))
        g_warning ("after the conference the call's media does not restart: %s",
                   error->message);
    }
  conference_free (self);
}

gboolean
dp_gst_conference_join (DpGstMediaSession *a, DpGstMediaSession *b, GError **error)
{
  DpGstConference *self;
  DpGstMediaSession *legs[2] = { a, b };

  for (guint i = 0; i < 2; i++)
    {
      if (dp_gst_media_session_get_conference (legs[i]) != NULL)
        {
          g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_STATE,
                               "the call is already in a conference");
          return FALSE;
        }
      if (dp_gst_media_session_get_pipeline (legs[i]) == NULL)
        {
          g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_STATE,
                               "the call has no media flowing (not negotiated or stopped)");
          return FALSE;
        }
    }

  self = g_new0 (DpGstConference, 1);
  /* Narrowband unless a leg is wideband: 8 kHz halves the mixing cost
   * (measured by tests/bench/bench-media). */
  self->rate = MAX (dp_gst_media_session_get_sample_rate (a),
                    dp_gst_media_session_get_sample_rate (b)) > DP_GST_CONFERENCE_RATE_NARROW
               ? DP_GST_CONFERENCE_RATE_WIDE : DP_GST_CONFERENCE_RATE_NARROW;
  for (guint i = 0; i < 2; i++)
    {
      g_mutex_init (&self->from_leg[i].lock);
      g_mutex_init (&self->to_session[i].lock);
      self->from_leg[i].rate = self->to_session[i].rate = self->rate;
      self->sessions[i] = legs[i];
    }
  if (!build (self, error))
    {
      conference_free (self);
      return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    {
      dp_gst_media_session_set_conference (legs[i], self, i);
      if (!dp_gst_media_session_rebuild (legs[i], error))
        {
          /* Both go back to the device; the failed one rebuilds too. */
          dissolve (self);
          return FALSE;
        }
    }
  g_message ("conference: mixing two calls at %u Hz", self->rate);
  return TRUE;
}

gboolean
dp_gst_conference_join_sessions (DpMediaSession *a, DpMediaSession *b, GError **error)
{
  if (!DP_IS_GST_MEDIA_SESSION (a) || !DP_IS_GST_MEDIA_SESSION (b))
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_STATE,
                           "the media plugin mixes only its own sessions");
      return FALSE;
    }
  return dp_gst_conference_join (DP_GST_MEDIA_SESSION (a), DP_GST_MEDIA_SESSION (b), error);
}

gboolean
dp_gst_conference_add_leg (DpGstConference *self, guint leg, GstElement *pipeline,
                           GstElement **source, GstElement **sink, GError **error)
{
  g_return_val_if_fail (self != NULL && leg < 2, FALSE);

  if ((*source = add_appsrc (pipeline, self->rate, error)) == NULL ||
      (*sink = add_appsink (pipeline, &self->from_leg[leg], error)) == NULL)
    return FALSE;
  bridge_set (&self->to_session[leg], *source, NULL);
  return TRUE;
}

void
dp_gst_conference_remove_leg (DpGstConference *self, guint leg)
{
  g_return_if_fail (self != NULL && leg < 2);

  bridge_set (&self->to_session[leg], NULL, NULL);
}

void
dp_gst_conference_leave (DpGstConference *self, guint leg)
{
  g_return_if_fail (self != NULL && leg < 2);

  self->sessions[leg] = NULL;
  g_message ("conference: a call left, the other stays on the local audio device");
  dissolve (self);
}
