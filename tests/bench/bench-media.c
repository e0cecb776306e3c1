/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Bench: the media pipeline alone, two DpGstMediaSessions in this process
 * on 127.0.0.1 (as tests/media/test-media-call.c), G.711 µ-law with SDES
 * SRTP (policy REQUIRED) and 20 ms packets (baresip's ptime, so both run
 * at 50 packets/s each way; the SPA default is 30 ms).
 *
 * 1. CPU: after a warm-up, getrusage() user+system time of the whole
 *    process (every GStreamer thread of both ends) over a window, scaled to
 *    CPU-seconds per minute of call and halved for one end. The sink is
 *    "fakesink sync=true" (played out in real time, no sound device).
 *    Taken without and then with the echo canceller
 *    (Acoustic_Echo_Canceller_Enable, the phone's default) on both ends.
 * 2. Mouth-to-ear: end A sends audiotestsrc "ticks" (a 1 kHz burst every
 *    500 ms, starting at each multiple of 500 ms of A's running time); B's
 *    appsink (sync=true, so a buffer arrives when it would be played) finds
 *    each burst's first loud sample. Latency = clock time that sample is
 *    played − clock time A's source started capturing it (A's base time +
 *    the burst's running time). Both pipelines run on the GStreamer system
 *    clock. The capture buffer (10 ms), packetisation (20 ms), the
 *    jitter buffer and decoding are all included, as a phone's would be.
 *
 * 3. Conference (dp-gst-conference.h): two calls whose phone ends are then
 *    joined. CPU of the process over a window before and after the join
 *    (the difference is what the mix costs), and mouth-to-ear from one far
 *    end to the other through both calls and the mixer, measured as in 2.
 *
 * Usage: bench-media [CPU_SECONDS [cpu]]  (default 20; "cpu" measures 1.
 * only, for profiling). Prints a summary and a JSON line; asserts no time,
 * only that audio arrived.
 */
#define G_LOG_DOMAIN "bench-media"

#include "dp-gst-conference.h"
#include "dp-gst-media-session.h"
#include "dp-media-codec.h"

#include <gst/app/gstappsink.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define TICK_INTERVAL_NS (500 * GST_MSECOND)
#define EAR_RATE 8000

static const DpParamDecl bench_params[] = {
  { .name = "RTP_Packet_Size", .type = DP_PARAM_DECIMAL, .default_value = "0.02", .group = "SIP/RTP",
    .min = 0.01, .max = 0.13 },
  /* As in core/catalog (Ext_1). */
  { .name = "Network_Jitter_Level_1_", .type = DP_PARAM_ENUM, .default_value = "high", .group = "Ext_1",
    .choices = "low|medium|high|very high|extremely high" },
  { .name = "Jitter_Buffer_Adjustment_1_", .type = DP_PARAM_ENUM, .default_value = "up and down",
    .group = "Ext_1", .choices = "up and down|up only|down only|disable" },
  /* The phone's default is Yes (core/catalog); the CPU figure is taken
   * without and with it. */
  { .name = "Acoustic_Echo_Canceller_Enable", .type = DP_PARAM_BOOL, .default_value = "No",
    .group = "Phone" },
};

/* Mouth-to-ear is measured at the default level first (the table's figure),
 * then at the lower ones. */
static const char *const jitter_levels[] = { "high", "medium", "low" };

static gboolean
on_timeout_quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, on_timeout_quit, loop);
  g_main_loop_run (loop);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static DpMediaSession *
make_session (DpConfig *config, const char *source, const char *sink)
{
  return g_object_new (DP_TYPE_GST_MEDIA_SESSION, "config", config, "line", 1,
                       "policy", DP_SRTP_REQUIRED, "sdes-allowed", TRUE, "codecs", "G711u",
                       "audio-source", source, "audio-sink", sink, NULL);
}

static gboolean
connect_pair (DpMediaSession *a, DpMediaSession *b)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *offer = dp_media_session_create_offer (a, &error);
  g_autofree char *answer = NULL;

  if (offer != NULL)
    answer = dp_media_session_create_answer (b, offer, &error);
  if (answer == NULL || !dp_media_session_set_answer (a, answer, &error))
    {
      fprintf (stderr, "bench-media: negotiation failed: %s\n", error->message);
      return FALSE;
    }
  if (!dp_media_session_get_secure (a) || !dp_media_session_get_secure (b))
    {
      fprintf (stderr, "bench-media: the call is not SRTP\n");
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  GMutex lock;
  GstClockTime sender_base;   /* A's base time (clock time of running time 0) */
  gboolean loud;              /* inside a burst */
  guint quiet_samples;        /* consecutive quiet samples before this one */
  GArray *latencies_ms;       /* double */
  guint64 samples;
} Ear;

static GstFlowReturn
on_new_sample (GstAppSink *sink, gpointer user_data)
{
  Ear *ear = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstClock *clock = gst_system_clock_obtain ();
  GstClockTime now = gst_clock_get_time (clock);
  GstBuffer *buffer;
  GstMapInfo map;

  gst_object_unref (clock);
  if (sample == NULL)
    return GST_FLOW_EOS;
  buffer = gst_sample_get_buffer (sample);
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_FLOW_OK;
  g_mutex_lock (&ear->lock);
  for (gsize i = 0; i < map.size / sizeof (gint16); i++)
    {
      int x = abs (((const gint16 *) map.data)[i]);

      ear->samples++;
      if (x > 4000 && !ear->loud && ear->quiet_samples > EAR_RATE / 20 &&
          ear->sender_base != GST_CLOCK_TIME_NONE)
        {
          GstClockTime played = now + gst_util_uint64_scale (i, GST_SECOND, EAR_RATE);
          GstClockTime since = played > ear->sender_base ? played - ear->sender_base : 0;
          double ms = (since % TICK_INTERVAL_NS) / 1e6;

          g_array_append_val (ear->latencies_ms, ms);
        }
      if (x > 4000)
        {
          ear->loud = TRUE;
          ear->quiet_samples = 0;
        }
      else if (x < 500)
        {
          ear->quiet_samples++;
          if (ear->quiet_samples > EAR_RATE / 100)
            ear->loud = FALSE;
        }
    }
  g_mutex_unlock (&ear->lock);
  gst_buffer_unmap (buffer, &map);
  return GST_FLOW_OK;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static gboolean
measure_cpu (DpConfig *config, guint seconds, double *per_end_per_minute, guint64 *packets)
{
  const char *source = "audiotestsrc is-live=true wave=sine freq=1000 volume=0.5 samplesperbuffer=160";
  g_autoptr(DpMediaSession) a = make_session (config, source, "fakesink sync=true");
  g_autoptr(DpMediaSession) b = make_session (config, source, "fakesink sync=true");
  g_autoptr(JsonNode) stats = NULL;
  double before, used;

  if (!connect_pair (a, b))
    return FALSE;
  run_for (1000);
  before = cpu_seconds ();
  run_for (seconds * 1000);
  used = cpu_seconds () - before;
  stats = dp_media_session_get_stats (b);
  *packets = (guint64) json_object_get_int_member (json_node_get_object (stats), "packets_received");
  dp_media_session_stop (a);
  dp_media_session_stop (b);
  *per_end_per_minute = used / 2 * 60.0 / seconds;
  return TRUE;
}

#define TICKS_SOURCE \
  "audiotestsrc is-live=true wave=ticks freq=1000 volume=0.8 tick-interval=%" G_GUINT64_FORMAT \
  " sine-periods-per-tick=20 samplesperbuffer=80 ! capsfilter caps=\"audio/x-raw,rate=8000\""
#define EAR_SINK \
  "audioconvert ! audioresample ! audio/x-raw,format=S16LE,channels=1,rate=8000 " \
  "! appsink name=dpear sync=true max-buffers=1 drop=true"
#define SILENT_SOURCE "audiotestsrc is-live=true wave=silence samplesperbuffer=80"

/* Starts listening at @receiver (built with EAR_SINK) for the bursts that
 * @sender (built with TICKS_SOURCE) plays; NULL when not possible. */
static GstElement *
ear_start (Ear *ear, DpMediaSession *sender, DpMediaSession *receiver)
{
  GstElement *pipeline_a = dp_gst_media_session_get_pipeline (DP_GST_MEDIA_SESSION (sender));
  GstElement *pipeline_b = dp_gst_media_session_get_pipeline (DP_GST_MEDIA_SESSION (receiver));
  GstElement *sink;

  memset (ear, 0, sizeof *ear);
  ear->sender_base = GST_CLOCK_TIME_NONE;
  g_mutex_init (&ear->lock);
  ear->latencies_ms = g_array_new (FALSE, FALSE, sizeof (double));
  if (pipeline_a == NULL || pipeline_b == NULL ||
      (sink = gst_bin_get_by_name (GST_BIN (pipeline_b), "dpear")) == NULL)
    {
      fprintf (stderr, "bench-media: no pipeline or no ear sink\n");
      return NULL;
    }
  gst_app_sink_set_callbacks (GST_APP_SINK (sink),
                              &(GstAppSinkCallbacks) { .new_sample = on_new_sample }, ear, NULL);
  /* The base time is fixed once A is PLAYING; bursts before it are skipped. */
  run_for (1000);
  g_mutex_lock (&ear->lock);
  ear->sender_base = gst_element_get_base_time (pipeline_a);
  g_array_set_size (ear->latencies_ms, 0);
  g_mutex_unlock (&ear->lock);
  return sink;
}

static gboolean
ear_finish (Ear *ear, GstElement *sink, double *median_ms, double *min_ms, double *max_ms,
            guint *n_bursts)
{
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &(GstAppSinkCallbacks) { 0 }, NULL, NULL);
  gst_object_unref (sink);
  *n_bursts = ear->latencies_ms->len;
  if (ear->latencies_ms->len == 0)
    {
      fprintf (stderr, "bench-media: no burst heard (%" G_GUINT64_FORMAT " samples)\n",
               ear->samples);
      g_array_unref (ear->latencies_ms);
      return FALSE;
    }
  g_array_sort (ear->latencies_ms, compare_doubles);
  *min_ms = g_array_index (ear->latencies_ms, double, 0);
  *max_ms = g_array_index (ear->latencies_ms, double, ear->latencies_ms->len - 1);
  *median_ms = g_array_index (ear->latencies_ms, double, ear->latencies_ms->len / 2);
  g_array_unref (ear->latencies_ms);
  g_mutex_clear (&ear->lock);
  return TRUE;
}

static gboolean
measure_mouth_to_ear (DpConfig *config, double *median_ms, double *min_ms, double *max_ms,
                      guint *n_bursts)
{
  Ear ear;
  g_autoptr(DpMediaSession) a = NULL;
  g_autoptr(DpMediaSession) b = NULL;
  g_autofree char *source = g_strdup_printf (TICKS_SOURCE, TICK_INTERVAL_NS);
  GstElement *sink;

  a = make_session (config, source, "fakesink sync=true");
  b = make_session (config, SILENT_SOURCE, EAR_SINK);
  if (!connect_pair (a, b) || (sink = ear_start (&ear, a, b)) == NULL)
    return FALSE;
  run_for (6000);
  dp_media_session_stop (a);
  dp_media_session_stop (b);
  return ear_finish (&ear, sink, median_ms, min_ms, max_ms, n_bursts);
}

typedef struct {
  double cpu_two_calls;    /* CPU-s per minute, whole process, before the join */
  double cpu_conference;   /* the same once joined */
  double median_ms, min_ms, max_ms;
  guint bursts;
} ConferenceFigures;

/* Far end A (ticks) -- phone leg A ==mix== phone leg B -- far end B (ear).
 * The phone legs carry the conference's device (silence, fakesink). */
static gboolean
measure_conference (DpConfig *config, guint seconds, ConferenceFigures *out)
{
  g_autofree char *ticks = g_strdup_printf (TICKS_SOURCE, TICK_INTERVAL_NS);
  g_autoptr(DpMediaSession) far_a = make_session (config, ticks, "fakesink sync=true");
  g_autoptr(DpMediaSession) leg_a = make_session (config, SILENT_SOURCE, "fakesink sync=true");
  g_autoptr(DpMediaSession) leg_b = make_session (config, SILENT_SOURCE, "fakesink sync=true");
  g_autoptr(DpMediaSession) far_b = make_session (config, SILENT_SOURCE, EAR_SINK);
  g_autoptr(GError) error = NULL;
  double before;
  GstElement *sink;
  Ear ear;

  if (!connect_pair (leg_a, far_a) || !connect_pair (leg_b, far_b))
    return FALSE;
  run_for (1000);
  before = cpu_seconds ();
  run_for (seconds * 1000);
  out->cpu_two_calls = (cpu_seconds () - before) * 60.0 / seconds;
  if (!dp_gst_conference_join (DP_GST_MEDIA_SESSION (leg_a), DP_GST_MEDIA_SESSION (leg_b), &error))
    {
      fprintf (stderr, "bench-media: conference: %s\n", error->message);
      return FALSE;
    }
  if ((sink = ear_start (&ear, far_a, far_b)) == NULL)
    return FALSE;
  before = cpu_seconds ();
  run_for (seconds * 1000);
  out->cpu_conference = (cpu_seconds () - before) * 60.0 / seconds;
  dp_media_session_stop (leg_a);
  dp_media_session_stop (leg_b);
  dp_media_session_stop (far_a);
  dp_media_session_stop (far_b);
  return ear_finish (&ear, sink, &out->median_ms, &out->min_ms, &out->max_ms, &out->bursts);
}

int
main (int argc, char **argv)
{
  guint seconds = argc > 1 ? (guint) CLAMP (strtoul (argv[1], NULL, 10), 2, 600) : 20;
  g_autoptr(DpConfig) config = dp_config_new ();
  g_autoptr(GError) error = NULL;
  double cpu = 0, cpu_aec = 0, median = 0, min = 0, max = 0;
  guint64 packets = 0, packets_aec = 0;
  guint bursts = 0;
  ConferenceFigures conference = { 0 };
  g_autoptr(GString) by_level = g_string_new (NULL);

  gst_init (&argc, &argv);
  if (!dp_config_register (config, "bench", bench_params, G_N_ELEMENTS (bench_params), &error))
    {
      fprintf (stderr, "bench-media: %s\n", error->message);
      return 1;
    }
  if (!dp_media_codec_available (dp_media_codec_lookup ("G711u")))
    {
      fprintf (stderr, "bench-media: the G.711 GStreamer elements are not installed\n");
      return 77;
    }
  if (!measure_cpu (config, seconds, &cpu, &packets))
    return 1;
  printf ("media pipeline alone (2 DpGstMediaSessions in process, G.711u, SDES SRTP, 20 ms):\n");
  printf ("  CPU per minute of call per end: %.3f s (window %u s, %" G_GUINT64_FORMAT
          " packets received by one end)\n", cpu, seconds, packets);
  if (!dp_config_set (config, "Acoustic_Echo_Canceller_Enable", "Yes", &error) ||
      !measure_cpu (config, seconds, &cpu_aec, &packets_aec) ||
      !dp_config_set (config, "Acoustic_Echo_Canceller_Enable", "No", &error))
    {
      if (error != NULL)
        fprintf (stderr, "bench-media: %s\n", error->message);
      return 1;
    }
  printf ("  the same with the echo canceller on both ends: %.3f s (%" G_GUINT64_FORMAT
          " packets received by one end)\n", cpu_aec, packets_aec);
  if (argc > 2 && strcmp (argv[2], "cpu") == 0)
    return 0;
  for (gsize i = 0; i < G_N_ELEMENTS (jitter_levels); i++)
    {
      double level_median = 0, level_min = 0, level_max = 0;
      guint level_bursts = 0;

      if (!dp_config_set (config, "Network_Jitter_Level_1_", jitter_levels[i], &error))
        {
          fprintf (stderr, "bench-media: %s\n", error->message);
          return 1;
        }
      if (!measure_mouth_to_ear (config, &level_median, &level_min, &level_max, &level_bursts))
        return 1;
      printf ("  mouth-to-ear, Network_Jitter_Level %s (jitter buffer %u ms): median %.1f ms "
              "(min %.1f, max %.1f, %u bursts)\n", jitter_levels[i],
              dp_gst_media_jitter_latency_ms (config, 1), level_median, level_min, level_max,
              level_bursts);
      g_string_append_printf (by_level, "%s\"%s\": %.2f", i > 0 ? ", " : "", jitter_levels[i],
                              level_median);
      if (i == 0)
        {
          median = level_median;
          min = level_min;
          max = level_max;
          bursts = level_bursts;
        }
    }
  if (!dp_config_set (config, "Network_Jitter_Level_1_", jitter_levels[0], &error) ||
      !measure_conference (config, seconds, &conference))
    {
      if (error != NULL)
        fprintf (stderr, "bench-media: %s\n", error->message);
      return 1;
    }
  printf ("  conference (4 sessions: 2 calls, then their phone ends mixed): process CPU per "
          "minute %.3f s before, %.3f s mixed (+%.3f s for the mix)\n",
          conference.cpu_two_calls, conference.cpu_conference,
          conference.cpu_conference - conference.cpu_two_calls);
  printf ("  mouth-to-ear far end A -> phone mix -> far end B: median %.1f ms (min %.1f, max %.1f, "
          "%u bursts; two calls' jitter buffers included)\n", conference.median_ms,
          conference.min_ms, conference.max_ms, conference.bursts);
  printf ("{\"cpu_s_per_call_minute_per_end\": %.4f, \"cpu_s_per_call_minute_per_end_aec\": %.4f, "
          "\"cpu_window_s\": %u, \"packets_received\": %"
          G_GUINT64_FORMAT ", \"mouth_to_ear_ms\": %.2f, \"mouth_to_ear_min_ms\": %.2f, "
          "\"mouth_to_ear_max_ms\": %.2f, \"bursts\": %u, \"mouth_to_ear_ms_by_jitter_level\": {%s}, "
          "\"conference_cpu_s_per_minute_two_calls\": %.4f, \"conference_cpu_s_per_minute_mixed\": %.4f, "
          "\"conference_mouth_to_ear_ms\": %.2f}\n",
          cpu, cpu_aec, seconds, packets, median, min, max, bursts, by_level->str,
          conference.cpu_two_calls, conference.cpu_conference, conference.median_ms);
  return 0;
}
