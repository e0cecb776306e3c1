/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Tones and rings through the real tone pipeline into a WAV file, measured
 * with a Hann-windowed Goertzel filter against the *script*: the expected
 * on/off timeline is walked here from the parsed script (the CadScript
 * semantics of spa9x2-reference.md §4.1), never from the generator's output.
 */
#define G_LOG_DOMAIN "test-media-tones"

#include "dp-tone-player.h"
#include "dp-catalog.h"
#include "dp-media.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define LIMIT_MS 6000
#define GUARD_MS 6

typedef struct {
  gint16 *samples;
  gsize n;
  guint rate;
} Wav;

static void
wav_clear (Wav *wav)
{
  g_clear_pointer (&wav->samples, g_free);
}

/* A minimal RIFF reader: finds "fmt " and "data" chunks. wavenc writes
 * S16LE; the test asserts it rather than trusting it. */
static void
wav_load (const char *path, Wav *wav)
{
  g_autofree char *data = NULL;
  gsize length = 0, pos = 12;
  guint channels = 0, bits = 0;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_cmpuint (length, >=, 44);
  g_assert_cmpmem (data, 4, "RIFF", 4);
  g_assert_cmpmem (data + 8, 4, "WAVE", 4);
  wav->samples = NULL;
  while (pos + 8 <= length)
    {
      guint32 size = GUINT32_FROM_LE (*(guint32 *) (data + pos + 4));
      const char *body = data + pos + 8;

      if (memcmp (data + pos, "fmt ", 4) == 0)
        {
          channels = GUINT16_FROM_LE (*(guint16 *) (body + 2));
          wav->rate = GUINT32_FROM_LE (*(guint32 *) (body + 4));
          bits = GUINT16_FROM_LE (*(guint16 *) (body + 14));
        }
      else if (memcmp (data + pos, "data", 4) == 0)
        {
          /* The size is only final after EOS; trust the file length. */
          gsize avail = MIN ((gsize) size, length - pos - 8);

          wav->n = avail / 2;
          wav->samples = g_new (gint16, wav->n + 1);
          for (gsize i = 0; i < wav->n; i++)
            wav->samples[i] = (gint16) GUINT16_FROM_LE (*(guint16 *) (body + 2 * i));
          break;
        }
      pos += 8 + size + (size & 1);
    }
  g_assert_cmpuint (channels, ==, 1);
  g_assert_cmpuint (bits, ==, 16);
  g_assert_nonnull (wav->samples);
}

/* Amplitude of @freq in samples [from, to) with a Hann window. */
static double
goertzel (const Wav *wav, gsize from, gsize to, double freq)
{
  gsize n = to - from;
  double coeff = 2.0 * cos (2.0 * G_PI * freq / wav->rate);
  double s1 = 0, s2 = 0, wsum = 0;

  for (gsize i = 0; i < n; i++)
    {
      double w = 0.5 - 0.5 * cos (2.0 * G_PI * i / (n - 1));
      double s = wav->samples[from + i] * w + coeff * s1 - s2;

      wsum += w;
      s2 = s1;
      s1 = s;
    }
  return 2.0 * sqrt (MAX (0.0, s1 * s1 + s2 * s2 - coeff * s1 * s2)) / wsum;
}

static double
rms (const Wav *wav, gsize from, gsize to)
{
  double sum = 0;

  for (gsize i = from; i < to; i++)
    sum += (double) wav->samples[i] * wav->samples[i];
  return to > from ? sqrt (sum / (to - from)) : 0.0;
}

static double
expected_amplitude (double dbm)
{
  /* tone generator reference: full-scale sine = +3.14 dBm0 */
  return 32767.0 * pow (10.0, (dbm - 3.14) / 20.0);
}

typedef struct {
  gint64 start, end;   /* ms */
  guint mask;          /* components on, 0 = silence */
} Interval;

/* Walks the script's sections and segments up to @limit ms. */
static GArray *
timeline (const DpCadScript *cad, gint64 limit)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Interval));
  gint64 t = 0;

  for (guint s = 0; s < cad->n_sections && t < limit; s++)
    {
      const DpToneSection *sec = &cad->sections[s];
      gint64 end = sec->duration_ms == DP_TONE_INFINITE ? limit : MIN (limit, t + sec->duration_ms);

      while (t < end)
        for (guint i = 0; i < sec->n_segments && t < end; i++)
          {
            const DpToneSegment *seg = &sec->segments[i];
            gint64 on = seg->on_ms == DP_TONE_INFINITE ? end - t : seg->on_ms;
            Interval a = { t, MIN (end, t + on), seg->components };
            Interval b;
            gint64 off;

            if (a.end > a.start)
              g_array_append_val (out, a);
            t = a.end;
            off = seg->off_ms == DP_TONE_INFINITE ? end - t : seg->off_ms;
            b = (Interval) { t, MIN (end, t + off), 0 };
            if (b.end > b.start)
              g_array_append_val (out, b);
            t = b.end;
          }
    }
  return out;
}

typedef struct {
  GMainLoop *loop;
  gboolean finished;
} Wait;

static void
on_finished (DpTonePlayer *player, gpointer user_data)
{
  Wait *wait = user_data;

  wait->finished = TRUE;
  g_main_loop_quit (wait->loop);
}

static gboolean
on_timeout (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static DpConfig *
make_config (void)
{
  DpConfig *config = dp_config_new ();
  gsize n = 0;
  const DpParamDecl *decls = dp_catalog_spa (&n);
  g_autoptr(GError) error = NULL;

  g_assert_true (dp_config_register (config, "core", decls, n, &error));
  g_assert_no_error (error);
  return config;
}

/* Plays @what into a WAV file (bounded to @limit_ms) and loads it. */
static void
render (DpConfig *config, const char *what, guint limit_ms, Wav *wav)
{
  g_autoptr(DpTonePlayer) player = dp_tone_player_new (config);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dp-tones-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.wav", NULL);
  g_autofree char *sink = g_strdup_printf ("audioconvert ! audioresample ! wavenc ! "
                                           "filesink location=\"%s\"", path);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, FALSE };
  guint timeout;

  dp_tone_player_set_audio_sink (player, sink);
  dp_tone_player_set_max_duration (player, limit_ms);
  g_signal_connect (player, "finished", G_CALLBACK (on_finished), &wait);
  dp_tone_player_play (player, what, &error);
  g_assert_no_error (error);
  g_assert_true (dp_tone_player_is_playing (player));
  timeout = g_timeout_add_seconds (30, on_timeout, loop);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  g_assert_true (wait.finished);
  g_assert_false (dp_tone_player_is_playing (player));
  wav_load (path, wav);
  g_unlink (path);
  g_rmdir (dir);
}

static void
check_tone (gconstpointer data)
{
  const char *name = data;
  g_autoptr(DpConfig) config = make_config ();
  const char *script = dp_config_get (config, name);
  DpToneScript ts;
  g_autoptr(GArray) line = NULL;
  gint64 total;
  Wav wav = { 0 };
  guint checked_on = 0, checked_off = 0;

  g_assert_nonnull (script);
  g_assert_true (dp_tone_script_parse (script, &ts, NULL));
  total = dp_cad_script_get_total_ms (&ts.cadence);
  total = total < 0 ? LIMIT_MS : MIN (total, LIMIT_MS);
  render (config, name, LIMIT_MS, &wav);
  g_assert_cmpuint (wav.rate, ==, DP_TONE_PLAYER_RATE);
  /* The sound lasts exactly the script (or the bound), to the ms. */
  g_assert_cmpint (llabs ((gint64) wav.n - total * wav.rate / 1000), <=, (gint64) wav.rate / 1000);

  line = timeline (&ts.cadence, total);
  for (guint k = 0; k < line->len; k++)
    {
      const Interval *iv = &g_array_index (line, Interval, k);
      gsize from = (iv->start + GUARD_MS) * wav.rate / 1000;
      gsize to = MIN ((gsize) ((iv->end - GUARD_MS) * wav.rate / 1000), wav.n);

      if (iv->end - iv->start < 40 || to <= from)
        continue;
      if (iv->mask == 0)
        {
          g_assert_cmpfloat (rms (&wav, from, to), <, 30.0);
          checked_off++;
          continue;
        }
      for (guint c = 0; c < ts.freq.n_components; c++)
        {
          double want = expected_amplitude (ts.freq.components[c].level_dbm);
          double got = goertzel (&wav, from, to, ts.freq.components[c].frequency_hz);

          if (iv->mask & (1u << c))
            {
              /* within 1 dB of the scripted level */
              if (fabs (20 * log10 (got / want)) > 1.0)
                g_error ("%s %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " ms: %u Hz at %.1f, want %.1f",
                         name, iv->start, iv->end, ts.freq.components[c].frequency_hz, got, want);
            }
          else if (got > want * 0.1)
            g_error ("%s %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " ms: %u Hz should be off (%.1f)",
                     name, iv->start, iv->end, ts.freq.components[c].frequency_hz, got);
        }
      checked_on++;
    }
  g_assert_cmpuint (checked_on, >=, 1);
  if (line->len > 1)
    g_assert_cmpuint (checked_off + checked_on, >=, 2);
  wav_clear (&wav);
}

/* Ring1 (factory: w=3 classic 440+480 Hz, c=1 -> Cadence_1 60(2/4)). */
static void
test_ring_classic (void)
{
  g_autoptr(DpConfig) config = make_config ();
  g_autoptr(GError) error = NULL;
  double a = expected_amplitude (-13.0);
  Wav wav = { 0 };
  guint r;

  g_assert_true (dp_config_set (config, "Ringer_Volume", "15", &error));
  g_assert_true (dp_config_set (config, "Cadence_1", "60(1.5/2.5)", &error));
  render (config, "Ring1", 6000, &wav);
  r = wav.rate;
  g_assert_cmpuint (wav.n, ==, 6 * r);
  /* on 0-1.5 s, off 1.5-4 s, on 4-6 s */
  g_assert_cmpfloat (fabs (20 * log10 (goertzel (&wav, r / 100, 149 * r / 100, 440) / a)), <, 1.0);
  g_assert_cmpfloat (fabs (20 * log10 (goertzel (&wav, r / 100, 149 * r / 100, 480) / a)), <, 1.0);
  g_assert_cmpfloat (rms (&wav, 151 * r / 100, 399 * r / 100), <, 30.0);
  g_assert_cmpfloat (fabs (20 * log10 (goertzel (&wav, 401 * r / 100, 6 * r, 480) / a)), <, 1.0);
  wav_clear (&wav);
}

/* A literal RingScript with break and total, cadence from Cadence_9. */
static void
test_ring_break_total (void)
{
  g_autoptr(DpConfig) config = make_config ();
  g_autoptr(GError) error = NULL;
  /* cadence 1 s: on .2 off .3 on .2 off .3; break .5; stops at 2.2 s */
  static const gint64 on[][2] = { { 0, 200 }, { 500, 700 }, { 1500, 1700 }, { 2000, 2200 } };
  static const gint64 off[][2] = { { 200, 500 }, { 700, 1500 }, { 1700, 2000 } };
  Wav wav = { 0 };
  guint r;

  g_assert_true (dp_config_set (config, "Ringer_Volume", "15", &error));
  g_assert_true (dp_config_set (config, "Cadence_9", "1(.2/.3)", &error));
  g_assert_no_error (error);
  render (config, "n=Test;w=3;c=9;b=0.5;t=2.2", 0, &wav);
  r = wav.rate;
  g_assert_cmpint (llabs ((gint64) wav.n - (gint64) (22 * r / 10)), <=, (gint64) r / 1000);
  for (gsize i = 0; i < G_N_ELEMENTS (on); i++)
    g_assert_cmpfloat (goertzel (&wav, (on[i][0] + GUARD_MS) * r / 1000,
                                 MIN (wav.n, (gsize) (on[i][1] - GUARD_MS) * r / 1000), 440),
                       >, expected_amplitude (-14.0));
  for (gsize i = 0; i < G_N_ELEMENTS (off); i++)
    g_assert_cmpfloat (rms (&wav, (off[i][0] + GUARD_MS) * r / 1000,
                            (off[i][1] - GUARD_MS) * r / 1000), <, 30.0);
  wav_clear (&wav);
}

/* Waveform 2: 1000 Hz in the first 25 ms of each 50 ms, 1250 Hz after. */
static void
test_ring_trill (void)
{
  g_autoptr(DpConfig) config = make_config ();
  Wav wav = { 0 };
  guint r;

  g_assert_true (dp_config_set (config, "Ringer_Volume", "15", NULL));
  /* c=0 is only for w=3/4/URL: a cadence that is always on instead */
  g_assert_true (dp_config_set (config, "Cadence_9", "2(*/0)", NULL));
  render (config, "n=Trill;w=2;c=9;t=1", 0, &wav);
  r = wav.rate;
  for (guint k = 0; k < 10; k++)
    {
      gsize lo = (k * 50 + 5) * r / 1000, lo_end = (k * 50 + 20) * r / 1000;
      gsize hi = (k * 50 + 30) * r / 1000, hi_end = (k * 50 + 45) * r / 1000;

      g_assert_cmpfloat (goertzel (&wav, lo, lo_end, 1000), >, 5 * goertzel (&wav, lo, lo_end, 1250));
      g_assert_cmpfloat (goertzel (&wav, hi, hi_end, 1250), >, 5 * goertzel (&wav, hi, hi_end, 1000));
    }
  wav_clear (&wav);
}

/* Waveform 4: the dominant frequency follows 400 + 2800 * (t mod .5)/.5. */
static void
test_ring_sweep (void)
{
  g_autoptr(DpConfig) config = make_config ();
  Wav wav = { 0 };
  guint r;

  g_assert_true (dp_config_set (config, "Ringer_Volume", "15", NULL));
  render (config, "n=Sweep;w=4;c=0;t=1", 0, &wav);
  r = wav.rate;
  for (guint ms = 30; ms < 1000; ms += 70)
    {
      double within = fmod (ms / 1000.0, 0.5) / 0.5;
      double want = 400 + 2800 * within;
      double best = 0, best_f = 0;

      if (within > 0.95)
        continue;
      for (double f = 300; f <= 3400; f += 10)
        {
          double a = goertzel (&wav, (ms - 8) * r / 1000, (ms + 8) * r / 1000, f);

          if (a > best)
            best = a, best_f = f;
        }
      g_assert_cmpfloat (fabs (best_f - want), <, 120.0);
    }
  wav_clear (&wav);
}

/* Waveform 1: 1000 + 2700 Hz struck at 20 Hz (silent every 50 ms). */
static void
test_ring_bell (void)
{
  g_autoptr(DpConfig) config = make_config ();
  Wav wav = { 0 };
  guint r;

  g_assert_true (dp_config_set (config, "Ringer_Volume", "15", NULL));
  /* c=0 is only for w=3/4/URL: a cadence that is always on instead */
  g_assert_true (dp_config_set (config, "Cadence_9", "2(*/0)", NULL));
  render (config, "n=Bell;w=1;c=9;t=1", 0, &wav);
  r = wav.rate;
  g_assert_cmpfloat (goertzel (&wav, 0, r, 1000), >, 10 * goertzel (&wav, 0, r, 1850));
  g_assert_cmpfloat (goertzel (&wav, 0, r, 2700), >, 10 * goertzel (&wav, 0, r, 1850));
  for (guint k = 1; k < 19; k++)
    g_assert_cmpfloat (rms (&wav, (k * 50 - 1) * r / 1000, (k * 50 + 1) * r / 1000), <,
                       0.2 * rms (&wav, (k * 50 + 20) * r / 1000, (k * 50 + 30) * r / 1000));
  wav_clear (&wav);
}

/* Ringer_Volume reaches the volume element; tones are not scaled. */
static void
test_ringer_volume (void)
{
  g_autoptr(DpConfig) config = make_config ();
  g_autoptr(DpTonePlayer) player = dp_tone_player_new (config);
  g_autoptr(GstElement) volume = NULL;
  double v = 0;

  g_assert_true (dp_config_set (config, "Ringer_Volume", "8", NULL));
  dp_tone_player_set_audio_sink (player, "fakesink sync=false");
  g_assert_true (dp_tone_player_play (player, "Ring3", NULL));
  volume = gst_bin_get_by_name (GST_BIN (dp_tone_player_get_pipeline (player)), "volume");
  g_object_get (volume, "volume", &v, NULL);
  g_assert_cmpfloat_with_epsilon (v, pow (10, -14.0 / 20), 1e-6);
  gst_clear_object (&volume);
  g_assert_true (dp_tone_player_play (player, "Busy_Tone", NULL));
  volume = gst_bin_get_by_name (GST_BIN (dp_tone_player_get_pipeline (player)), "volume");
  g_object_get (volume, "volume", &v, NULL);
  g_assert_cmpfloat_with_epsilon (v, 1.0, 1e-9);
  dp_tone_player_stop (player);
  g_assert_false (dp_tone_player_is_playing (player));
  g_assert_null (dp_tone_player_get_pipeline (player));
}

static void
test_rejects (void)
{
  g_autoptr(DpConfig) config = make_config ();
  g_autoptr(DpTonePlayer) player = dp_tone_player_new (config);
  g_autoptr(GError) error = NULL;

  g_assert_false (dp_tone_player_play (player, "No_Such_Tone", &error));
  g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "No_Such_Tone"));
  g_clear_error (&error);
  g_assert_false (dp_tone_player_play (player, "350@-19;10(*/0/3)", &error));
  g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED);
  g_clear_error (&error);
  /* A downloaded ring file is not playable here: documented. */
  g_assert_true (dp_config_set (config, "Ring2", "n=Web;w=http://127.0.0.1/r.wav;c=1", NULL));
  g_assert_false (dp_tone_player_play (player, "Ring2", &error));
  g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE);
  g_clear_error (&error);
  /* A broken configured script names the parameter. */
  dp_tone_player_set_audio_sink (player, "not_an_element_xyz");
  g_assert_false (dp_tone_player_play (player, "Busy_Tone", &error));
  g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE);
  g_assert_false (dp_tone_player_is_playing (player));
  g_assert_false (dp_tone_player_is_known_name ("Ring0"));
  g_assert_false (dp_tone_player_is_known_name ("Ring11"));
  g_assert_true (dp_tone_player_is_known_name ("Ring10"));
  g_assert_true (dp_tone_player_is_known_name ("SIT3"));
}

static const char *const tones[] = {
  "Dial_Tone", "Outside_Dial_Tone", "Prompt_Tone", "Busy_Tone", "Reorder_Tone",
  "Off_Hook_Warning_Tone", "Ring_Back_Tone", "Call_Waiting_Tone", "Confirm_Tone",
  "SIT1_Tone", "SIT2_Tone", "SIT3_Tone", "SIT4_Tone", "MWI_Dial_Tone", "Cfwd_Dial_Tone",
  "Holding_Tone", "Conference_Tone", "Secure_Call_Indication_Tone", "Page_Tone", "Alert_Tone",
};

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  for (gsize i = 0; i < G_N_ELEMENTS (tones); i++)
    {
      g_autofree char *path = g_strdup_printf ("/media/tones/%s", tones[i]);

      g_test_add_data_func (path, tones[i], check_tone);
    }
  g_test_add_func ("/media/rings/classic-cadence", test_ring_classic);
  g_test_add_func ("/media/rings/break-total", test_ring_break_total);
  g_test_add_func ("/media/rings/trill", test_ring_trill);
  g_test_add_func ("/media/rings/sweep", test_ring_sweep);
  g_test_add_func ("/media/rings/bell", test_ring_bell);
  g_test_add_func ("/media/rings/ringer-volume", test_ringer_volume);
  g_test_add_func ("/media/tones/rejects", test_rejects);
  return g_test_run ();
}
