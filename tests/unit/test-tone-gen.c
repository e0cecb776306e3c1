/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpToneGenerator, checked by measuring the rendered audio: a Goertzel
 * detector (Hann window) for frequency presence, absence and level, and an
 * envelope follower for on/off edges (±1 ms). Expected values come from the
 * scripts' documented meaning (conformance-vectors.md §2) and the level
 * reference of dp-tone-generator.h, never from earlier output. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "dp-tone-generator.h"

/* ---- measurement ------------------------------------------------------ */

/* Peak amplitude of the component at @freq in x[start, start+n). */
static double
goertzel (const gint16 *x,
          gsize         start,
          gsize         n,
          double        freq,
          double        rate)
{
  double coeff = 2.0 * cos (2.0 * G_PI * freq / rate);
  double s1 = 0.0, s2 = 0.0, wsum = 0.0, power;

  for (gsize i = 0; i < n; i++)
    {
      double w = 0.5 - 0.5 * cos (2.0 * G_PI * i / (n - 1));
      double s = w * x[start + i] + coeff * s1 - s2;

      s2 = s1;
      s1 = s;
      wsum += w;
    }
  power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return 2.0 * sqrt (MAX (power, 0.0)) / wsum;
}

static double
to_db (double ratio)
{
  return 20.0 * log10 (ratio);
}

/* The expected peak amplitude of a component at @dbm: a full-scale sine is
 * +3.14 dBm0 (G.711), written out here rather than taken from the library. */
static double
expected_amplitude (double dbm)
{
  return 32767.0 * pow (10.0, (dbm - 3.14) / 20.0);
}

typedef struct {
  double start_ms;
  double end_ms;
} Burst;

/* Splits the signal into bursts: runs of samples above -64 dBFS, where
 * quiet stretches shorter than 2 ms (zero crossings, beats) do not split. */
static GArray *
find_bursts (const gint16 *x,
             gsize         n,
             guint         rate)
{
  GArray *bursts = g_array_new (FALSE, FALSE, sizeof (Burst));
  const gsize bridge = rate / 500;
  gboolean in_burst = FALSE;
  gsize start = 0, last_loud = 0;

  for (gsize i = 0; i < n; i++)
    {
      gboolean loud = ABS ((int) x[i]) > 20;

      if (loud && !in_burst)
        {
          in_burst = TRUE;
          start = i;
        }
      if (loud)
        last_loud = i;
      if (in_burst && !loud && i - last_loud > bridge)
        {
          Burst b = { start * 1000.0 / rate, (last_loud + 1) * 1000.0 / rate };
          g_array_append_val (bursts, b);
          in_burst = FALSE;
        }
    }
  if (in_burst)
    {
      Burst b = { start * 1000.0 / rate, (last_loud + 1) * 1000.0 / rate };
      g_array_append_val (bursts, b);
    }
  return bursts;
}

static void
assert_bursts (GArray      *bursts,
               const Burst *expected,
               guint        n_expected)
{
  for (guint i = 0; i < MIN (bursts->len, n_expected); i++)
    {
      Burst *b = &g_array_index (bursts, Burst, i);

      g_test_message ("burst %u: %.3f–%.3f ms (expected %.0f–%.0f)", i,
                      b->start_ms, b->end_ms, expected[i].start_ms, expected[i].end_ms);
      g_assert_cmpfloat (fabs (b->start_ms - expected[i].start_ms), <=, 1.0);
      g_assert_cmpfloat (fabs (b->end_ms - expected[i].end_ms), <=, 1.0);
    }
  g_assert_cmpuint (bursts->len, ==, n_expected);
}

/* Renders the whole (finite) script, pulling in uneven chunks the way a
 * GStreamer source would. */
static gint16 *
render_all (DpToneGenerator *gen,
            gsize           *n_out)
{
  GArray *buf = g_array_new (FALSE, FALSE, sizeof (gint16));
  static const gsize chunks[] = { 160, 1, 997, 4096, 33 };
  gint16 tmp[4096];
  guint k = 0;

  for (;;)
    {
      gsize want = chunks[k++ % G_N_ELEMENTS (chunks)];
      gsize got = dp_tone_generator_fill (gen, tmp, want);

      g_array_append_vals (buf, tmp, got);
      if (got < want)
        break;
      g_assert_cmpuint (buf->len, <, 200 * 48000);
    }
  *n_out = buf->len;
  return (gint16 *) g_array_free (buf, FALSE);
}

static gint16 *
render_n (DpToneGenerator *gen,
          gsize            n)
{
  gint16 *x = g_new0 (gint16, n);
  gsize done = 0;

  while (done < n)
    {
      gsize want = MIN (n - done, 331);
      g_assert_cmpuint (dp_tone_generator_fill (gen, x + done, want), ==, want);
      done += want;
    }
  return x;
}

static DpToneGenerator *
generator (const char *script,
           guint       rate)
{
  g_autoptr(GError) error = NULL;
  DpToneGenerator *gen = dp_tone_generator_new_from_string (script, rate, &error);

  g_assert_no_error (error);
  g_assert_nonnull (gen);
  return gen;
}

#define MS(rate, ms) ((gsize) ((ms) * (rate) / 1000))

/* ---- tests ------------------------------------------------------------ */

/* T1 dial tone at every rate: 350 + 440 Hz at -19 dBm, nothing else,
 * steady for exactly 10 s. */
static void
test_dial_tone (void)
{
  static const guint rates[] = { 8000, 16000, 48000 };

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    {
      guint rate = rates[r];
      g_autoptr(DpToneGenerator) gen = generator ("350@-19,440@-19;10(*/0/1+2)", rate);
      gsize n = 0;
      g_autofree gint16 *x = render_all (gen, &n);
      g_autoptr(GArray) bursts = NULL;
      const Burst expected[] = { { 0, 10000 } };
      double a350, a440;

      g_test_message ("rate %u", rate);
      g_assert_cmpuint (n, ==, MS (rate, 10000));
      g_assert_true (dp_tone_generator_is_finished (gen));
      g_assert_cmpint (dp_tone_generator_get_total_samples (gen), ==, (gint64) n);

      bursts = find_bursts (x, n, rate);
      assert_bursts (bursts, expected, G_N_ELEMENTS (expected));

      /* One second in the middle: levels within ±1 dB of -19 dBm. */
      a350 = goertzel (x, MS (rate, 4000), rate, 350, rate);
      a440 = goertzel (x, MS (rate, 4000), rate, 440, rate);
      g_test_message ("350 Hz %.1f dB, 440 Hz %.1f dB re expected",
                      to_db (a350 / expected_amplitude (-19)), to_db (a440 / expected_amplitude (-19)));
      g_assert_cmpfloat (fabs (to_db (a350 / expected_amplitude (-19))), <=, 1.0);
      g_assert_cmpfloat (fabs (to_db (a440 / expected_amplitude (-19))), <=, 1.0);

      /* The energy sits at the scripted frequencies, not beside them. */
      for (double off = -20; off <= 20; off += 10)
        if (off != 0)
          {
            g_assert_cmpfloat (to_db (goertzel (x, MS (rate, 4000), rate, 350 + off, rate) / a350), <, -30);
            g_assert_cmpfloat (to_db (goertzel (x, MS (rate, 4000), rate, 440 + off, rate) / a440), <, -30);
          }
      g_assert_cmpfloat (to_db (goertzel (x, MS (rate, 4000), rate, 480, rate) / a350), <, -40);
      g_assert_cmpfloat (to_db (goertzel (x, MS (rate, 4000), rate, 620, rate) / a350), <, -40);
    }
}

/* T12: two components 10 dB apart keep that relation (±1 dB), and the
 * 0 dBm one sits at -3.14 dBFS. */
static void
test_level_relation (void)
{
  const guint rate = 8000;
  g_autoptr(DpToneGenerator) gen = generator ("480@-10,620@0;10(.125/.125/1+2)", rate);
  g_autofree gint16 *x = render_n (gen, MS (rate, 250));
  double a480 = goertzel (x, 0, MS (rate, 125), 480, rate);
  double a620 = goertzel (x, 0, MS (rate, 125), 620, rate);

  g_test_message ("480 Hz %.2f dB below 620 Hz", to_db (a620 / a480));
  g_assert_cmpfloat (fabs (to_db (a620 / a480) - 10.0), <=, 1.0);
  g_assert_cmpfloat (fabs (to_db (a620 / 32767.0) - (-3.14)), <=, 1.0);
  g_assert_cmpfloat (fabs (to_db (a480 / expected_amplitude (-10))), <=, 1.0);
}

/* T10 busy: 0.5 s on / 0.5 s off for 10 s. */
static void
test_busy_cadence (void)
{
  const guint rate = 8000;
  g_autoptr(DpToneGenerator) gen = generator ("480@-19,620@-19;10(.5/.5/1+2)", rate);
  gsize n = 0;
  g_autofree gint16 *x = render_all (gen, &n);
  g_autoptr(GArray) bursts = find_bursts (x, n, rate);
  Burst expected[10];

  for (guint i = 0; i < 10; i++)
    expected[i] = (Burst) { i * 1000.0, i * 1000.0 + 500.0 };
  g_assert_cmpuint (n, ==, MS (rate, 10000));
  assert_bursts (bursts, expected, G_N_ELEMENTS (expected));
  /* The off half is silent. */
  g_assert_cmpfloat (goertzel (x, MS (rate, 600), MS (rate, 300), 480, rate), <, 1.0);
}

/* T2 stutter dial tone at 16 kHz: ten 100 ms bursts in the first 2 s,
 * then steady 1+2 until 12 s. */
static void
test_stutter_sections (void)
{
  const guint rate = 16000;
  g_autoptr(DpToneGenerator) gen = generator ("350@-19,440@-19;2(.1/.1/1+2);10(*/0/1+2)", rate);
  gsize n = 0;
  g_autofree gint16 *x = render_all (gen, &n);
  g_autoptr(GArray) bursts = find_bursts (x, n, rate);
  Burst expected[11];

  for (guint i = 0; i < 10; i++)
    expected[i] = (Burst) { i * 200.0, i * 200.0 + 100.0 };
  expected[10] = (Burst) { 2000, 12000 };
  g_assert_cmpuint (n, ==, MS (rate, 12000));
  assert_bursts (bursts, expected, G_N_ELEMENTS (expected));
  g_assert_cmpfloat (fabs (to_db (goertzel (x, MS (rate, 5000), rate, 440, rate) /
                                  expected_amplitude (-19))), <=, 1.0);
}

/* T3 SIT: 380 ms each of 985, 1428, 1777 Hz, then 4 s silence, for 20 s. */
static void
test_sit_frequencies (void)
{
  const guint rate = 8000;
  static const double freqs[] = { 985, 1428, 1777 };
  g_autoptr(DpToneGenerator) gen =
    generator ("985@-16,1428@-16,1777@-16;20(.380/0/1,.380/0/2,.380/0/3,0/4/0)", rate);
  gsize n = 0;
  g_autofree gint16 *x = render_all (gen, &n);
  g_autoptr(GArray) bursts = find_bursts (x, n, rate);
  Burst expected[4];

  /* Cycle 0.38 × 3 + 4 = 5.14 s: starts at 0, 5.14, 10.28, 15.42 s. */
  for (guint i = 0; i < 4; i++)
    expected[i] = (Burst) { i * 5140.0, i * 5140.0 + 1140.0 };
  g_assert_cmpuint (n, ==, MS (rate, 20000));
  assert_bursts (bursts, expected, G_N_ELEMENTS (expected));

  for (guint seg = 0; seg < 3; seg++)
    {
      gsize start = MS (rate, 5140 + seg * 380 + 20);
      gsize len = MS (rate, 340);

      for (guint f = 0; f < 3; f++)
        {
          double a = goertzel (x, start, len, freqs[f], rate);
          double rel = to_db (a / expected_amplitude (-16));

          g_test_message ("segment %u, %.0f Hz: %.1f dB", seg + 1, freqs[f], rel);
          if (f == seg)
            g_assert_cmpfloat (fabs (rel), <=, 1.0);
          else
            g_assert_cmpfloat (rel, <, -40.0);
        }
    }
}

/* T19 secure-call indication: per 4.5 s, 2 s silence, 0.2 s 397 Hz, 0.1 s
 * gap, 0.1 s 507 Hz, 2.1 s gap; 15 s. */
static void
test_secure_indication (void)
{
  const guint rate = 8000;
  g_autoptr(DpToneGenerator) gen = generator ("397@-19,507@-19;15(0/2/0,.2/.1/1,.1/2.1/2)", rate);
  gsize n = 0;
  g_autofree gint16 *x = render_all (gen, &n);
  g_autoptr(GArray) bursts = find_bursts (x, n, rate);
  const Burst expected[] = {
    { 2000, 2200 }, { 2300, 2400 },
    { 6500, 6700 }, { 6800, 6900 },
    { 11000, 11200 }, { 11300, 11400 },
  };

  g_assert_cmpuint (n, ==, MS (rate, 15000));
  assert_bursts (bursts, expected, G_N_ELEMENTS (expected));
  g_assert_cmpfloat (to_db (goertzel (x, MS (rate, 6500), MS (rate, 200), 507, rate) /
                            goertzel (x, MS (rate, 6500), MS (rate, 200), 397, rate)), <, -40);
  g_assert_cmpfloat (to_db (goertzel (x, MS (rate, 6800), MS (rate, 100), 397, rate) /
                            goertzel (x, MS (rate, 6800), MS (rate, 100), 507, rate)), <, -30);
}

/* T20 page tone: three 50 ms bursts, all over after 300 ms (48 kHz). */
static void
test_page_tone (void)
{
  const guint rate = 48000;
  g_autoptr(DpToneGenerator) gen = generator ("600@-16;.3(.05/0.05/1)", rate);
  gsize n = 0;
  g_autofree gint16 *x = render_all (gen, &n);
  g_autoptr(GArray) bursts = find_bursts (x, n, rate);
  const Burst expected[] = { { 0, 50 }, { 100, 150 }, { 200, 250 } };
  gint16 more[16];

  g_assert_cmpuint (n, ==, MS (rate, 300));
  assert_bursts (bursts, expected, G_N_ELEMENTS (expected));
  g_assert_true (dp_tone_generator_is_finished (gen));
  g_assert_cmpuint (dp_tone_generator_fill (gen, more, G_N_ELEMENTS (more)), ==, 0);
  g_assert_cmpuint (dp_tone_generator_get_position (gen), ==, n);
}

/* T13 ring-back never ends: 2 s on / 4 s off, still going after 61 s. */
static void
test_infinite_ringback (void)
{
  const guint rate = 8000;
  g_autoptr(DpToneGenerator) gen = generator ("440@-19,480@-19;*(2/4/1+2)", rate);
  const gsize n = MS (rate, 61000);
  g_autofree gint16 *x = render_n (gen, n);
  g_autoptr(GArray) bursts = find_bursts (x, n, rate);
  Burst expected[11];

  for (guint i = 0; i < 11; i++)
    expected[i] = (Burst) { i * 6000.0, MIN (i * 6000.0 + 2000.0, 61000.0) };
  assert_bursts (bursts, expected, G_N_ELEMENTS (expected));
  g_assert_false (dp_tone_generator_is_finished (gen));
  g_assert_cmpint (dp_tone_generator_get_total_samples (gen), ==, -1);
}

/* A CadScript with a FreqScript (call waiting: 440@-10 with 30(.3/9.7)). */
static void
test_cadence_with_freq (void)
{
  const guint rate = 16000;
  g_autoptr(GError) error = NULL;
  g_autoptr(DpToneGenerator) gen = dp_tone_generator_new_cadence ("440@-10", "30(.3/9.7)", rate, &error);
  gsize n = 0;
  g_autofree gint16 *x = NULL;
  g_autoptr(GArray) bursts = NULL;
  const Burst expected[] = { { 0, 300 }, { 10000, 10300 }, { 20000, 20300 } };

  g_assert_no_error (error);
  x = render_all (gen, &n);
  bursts = find_bursts (x, n, rate);
  g_assert_cmpuint (n, ==, MS (rate, 30000));
  assert_bursts (bursts, expected, G_N_ELEMENTS (expected));
  g_assert_cmpfloat (fabs (to_db (goertzel (x, MS (rate, 10000), MS (rate, 300), 440, rate) /
                                  expected_amplitude (-10))), <=, 1.0);

  g_assert_null (dp_tone_generator_new_cadence ("440@-10", "30(.3/9.7", rate, &error));
  g_assert_error (error, DP_SCRIPT_ERROR, DP_SCRIPT_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "position 10"));
}

/* Reset starts the script over. */
static void
test_reset (void)
{
  const guint rate = 8000;
  g_autoptr(DpToneGenerator) gen = generator ("600@-16;1(.25/.25/1)", rate);
  gsize n = 0;
  g_autofree gint16 *first = render_all (gen, &n);
  g_autofree gint16 *second = NULL;
  g_autoptr(GArray) bursts = NULL;
  const Burst expected[] = { { 0, 250 }, { 500, 750 } };

  g_assert_cmpuint (n, ==, MS (rate, 1000));
  dp_tone_generator_reset (gen);
  g_assert_cmpuint (dp_tone_generator_get_position (gen), ==, 0);
  g_assert_false (dp_tone_generator_is_finished (gen));
  second = render_all (gen, &n);
  g_assert_cmpuint (n, ==, MS (rate, 1000));
  bursts = find_bursts (second, n, rate);
  assert_bursts (bursts, expected, G_N_ELEMENTS (expected));
}

/* Components that add up beyond full scale saturate instead of wrapping. */
static void
test_saturation (void)
{
  const guint rate = 8000;
  g_autoptr(DpToneGenerator) gen = generator ("480@3,620@3;1(*/0/1+2)", rate);
  gsize n = 0;
  g_autofree gint16 *x = render_all (gen, &n);
  int lo = 0, hi = 0;
  gsize big_jumps = 0;

  for (gsize i = 0; i < n; i++)
    {
      lo = MIN (lo, x[i]);
      hi = MAX (hi, x[i]);
      /* A wrapped sample would jump by ~65536; 480+620 Hz at this level
       * cannot move by more than about 2 × 2π × 620 / 8000 × 32767 per sample. */
      if (i > 0 && ABS (x[i] - x[i - 1]) > 40000)
        big_jumps++;
    }
  g_assert_cmpint (hi, ==, 32767);
  g_assert_cmpint (lo, ==, -32768);
  g_assert_cmpuint (big_jumps, ==, 0);
}

static void
test_unrenderable (void)
{
  g_autoptr(GError) error = NULL;
  DpToneScript script;

  g_assert_null (dp_tone_generator_new_from_string ("5000@-10;1(1/1/1)", 8000, &error));
  g_assert_error (error, DP_SCRIPT_ERROR, DP_SCRIPT_ERROR_UNRENDERABLE);
  g_clear_error (&error);
  {
    g_autoptr(DpToneGenerator) ok = dp_tone_generator_new_from_string ("5000@-10;1(1/1/1)", 16000, &error);
    g_assert_no_error (error);
    g_assert_nonnull (ok);
  }
  g_assert_null (dp_tone_generator_new_from_string ("440@-10;1(1/1/1)", 44100, &error));
  g_assert_error (error, DP_SCRIPT_ERROR, DP_SCRIPT_ERROR_UNRENDERABLE);
  g_clear_error (&error);

  /* A hand-built script whose cadence never advances is refused. */
  memset (&script, 0, sizeof script);
  script.freq.n_components = 1;
  script.freq.components[0] = (DpToneComponent) { 440, -10 };
  script.cadence.n_sections = 1;
  script.cadence.sections[0].duration_ms = 1000;
  script.cadence.sections[0].n_segments = 1;
  g_assert_null (dp_tone_generator_new (&script, 8000, &error));
  g_assert_error (error, DP_SCRIPT_ERROR, DP_SCRIPT_ERROR_RANGE);
  g_clear_error (&error);

  /* … and so is a parse error, with its position. */
  g_assert_null (dp_tone_generator_new_from_string ("440@-10*(1/1/1)", 8000, &error));
  g_assert_error (error, DP_SCRIPT_ERROR, DP_SCRIPT_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "position 8"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tone-gen/dial-tone", test_dial_tone);
  g_test_add_func ("/tone-gen/level-relation", test_level_relation);
  g_test_add_func ("/tone-gen/busy-cadence", test_busy_cadence);
  g_test_add_func ("/tone-gen/stutter-sections", test_stutter_sections);
  g_test_add_func ("/tone-gen/sit-frequencies", test_sit_frequencies);
  g_test_add_func ("/tone-gen/secure-indication", test_secure_indication);
  g_test_add_func ("/tone-gen/page-tone", test_page_tone);
  g_test_add_func ("/tone-gen/infinite-ringback", test_infinite_ringback);
  g_test_add_func ("/tone-gen/cadence-with-freq", test_cadence_with_freq);
  g_test_add_func ("/tone-gen/reset", test_reset);
  g_test_add_func ("/tone-gen/saturation", test_saturation);
  g_test_add_func ("/tone-gen/unrenderable", test_unrenderable);

  return g_test_run ();
}
