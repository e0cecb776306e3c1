/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * FreqScript / ToneScript / CadScript parsers: the tone rows T1–T31 of
 * conformance-vectors.md §2, the SPA962 factory tones and cadences of
 * spa9x2-reference.md §4.2–4.3, and malformed scripts with the position
 * their error must name. */
#include <glib.h>
#include <string.h>

#include "dp-script.h"
#include "dp-tone-script.h"

/* Formats a decode in a compact form written independently of the JSON
 * encoder, so expectations below read like the conformance tables:
 * "350@-19.0,440@-19.0;10000(inf/0/1+2) total=10000". */
static void
append_ms (GString *s,
           gint64   ms)
{
  if (ms == DP_TONE_INFINITE)
    g_string_append (s, "inf");
  else
    g_string_append_printf (s, "%" G_GINT64_FORMAT, ms);
}

static void
append_freq (GString            *s,
             const DpFreqScript *freq)
{
  for (guint i = 0; i < freq->n_components; i++)
    g_string_append_printf (s, "%s%u@%.1f", i ? "," : "",
                            freq->components[i].frequency_hz,
                            freq->components[i].level_dbm);
}

static void
append_cadence (GString           *s,
                const DpCadScript *cad,
                gboolean           tone)
{
  for (guint i = 0; i < cad->n_sections; i++)
    {
      const DpToneSection *section = &cad->sections[i];

      if (tone || i > 0)
        g_string_append_c (s, ';');
      append_ms (s, section->duration_ms);
      g_string_append_c (s, '(');
      for (guint j = 0; j < section->n_segments; j++)
        {
          const DpToneSegment *seg = &section->segments[j];

          if (j > 0)
            g_string_append_c (s, ',');
          append_ms (s, seg->on_ms);
          g_string_append_c (s, '/');
          append_ms (s, seg->off_ms);
          if (tone)
            {
              gboolean first = TRUE;

              g_string_append_c (s, '/');
              if (seg->components == 0)
                g_string_append_c (s, '0');
              for (guint k = 0; k < DP_TONE_MAX_COMPONENTS; k++)
                if (seg->components & (1u << k))
                  {
                    g_string_append_printf (s, "%s%u", first ? "" : "+", k + 1);
                    first = FALSE;
                  }
            }
        }
      g_string_append_c (s, ')');
    }
  g_string_append (s, " total=");
  append_ms (s, dp_cad_script_get_total_ms (cad));
}

static char *
decode (DpScriptKind kind,
        const char  *text)
{
  g_autoptr(GError) error = NULL;
  GString *s = g_string_new (NULL);
  gboolean ok = FALSE;

  if (kind == DP_SCRIPT_KIND_TONE)
    {
      DpToneScript tone;
      ok = dp_tone_script_parse (text, &tone, &error);
      if (ok)
        {
          append_freq (s, &tone.freq);
          append_cadence (s, &tone.cadence, TRUE);
        }
    }
  else if (kind == DP_SCRIPT_KIND_CAD)
    {
      DpCadScript cad;
      ok = dp_cad_script_parse (text, &cad, &error);
      if (ok)
        append_cadence (s, &cad, FALSE);
    }
  else
    {
      DpFreqScript freq;
      ok = dp_freq_script_parse (text, &freq, &error);
      if (ok)
        append_freq (s, &freq);
    }
  if (!ok)
    {
      g_test_message ("'%s': %s", text, error->message);
      g_string_printf (s, "ERROR %s", error->message);
    }
  return g_string_free (s, FALSE);
}

typedef struct {
  const char *id;
  DpScriptKind kind;
  const char *script;
  const char *expected;
} DecodeVector;

static const DecodeVector decode_vectors[] = {
  /* §2.1 decodes stated in the sources */
  { "T1", DP_SCRIPT_KIND_TONE, "350@-19,440@-19;10(*/0/1+2)",
    "350@-19.0,440@-19.0;10000(inf/0/1+2) total=10000" },
  { "T2", DP_SCRIPT_KIND_TONE, "350@-19,440@-19;2(.1/.1/1+2);10(*/0/1+2)",
    "350@-19.0,440@-19.0;2000(100/100/1+2);10000(inf/0/1+2) total=12000" },
  { "T3", DP_SCRIPT_KIND_TONE, "985@-16,1428@-16,1777@-16;20(.380/0/1,.380/0/2,.380/0/3,0/4/0)",
    "985@-16.0,1428@-16.0,1777@-16.0;20000(380/0/1,380/0/2,380/0/3,0/4000/0) total=20000" },
  { "T4", DP_SCRIPT_KIND_CAD, "60(2/4)", "60000(2000/4000) total=60000" },
  { "T5", DP_SCRIPT_KIND_CAD, "60(.2/.2,.2/.2,.2/.2,1/4)",
    "60000(200/200,200/200,200/200,1000/4000) total=60000" },
  { "T6", DP_SCRIPT_KIND_FREQ, "440@-10", "440@-10.0" },
  { "T7", DP_SCRIPT_KIND_FREQ, "350@-19,440@-19", "350@-19.0,440@-19.0" },
  /* §2.2 decodes of the SPA962 defaults */
  { "T8", DP_SCRIPT_KIND_TONE, "420@-16;10(*/0/1)", "420@-16.0;10000(inf/0/1) total=10000" },
  { "T9", DP_SCRIPT_KIND_TONE, "520@-19,620@-19;10(*/0/1+2)",
    "520@-19.0,620@-19.0;10000(inf/0/1+2) total=10000" },
  { "T10", DP_SCRIPT_KIND_TONE, "480@-19,620@-19;10(.5/.5/1+2)",
    "480@-19.0,620@-19.0;10000(500/500/1+2) total=10000" },
  { "T11", DP_SCRIPT_KIND_TONE, "480@-19,620@-19;10(.25/.25/1+2)",
    "480@-19.0,620@-19.0;10000(250/250/1+2) total=10000" },
  { "T12", DP_SCRIPT_KIND_TONE, "480@-10,620@0;10(.125/.125/1+2)",
    "480@-10.0,620@0.0;10000(125/125/1+2) total=10000" },
  { "T13", DP_SCRIPT_KIND_TONE, "440@-19,480@-19;*(2/4/1+2)",
    "440@-19.0,480@-19.0;inf(2000/4000/1+2) total=inf" },
  { "T14", DP_SCRIPT_KIND_TONE, "440@-10;30(.3/9.7/1)", "440@-10.0;30000(300/9700/1) total=30000" },
  { "T15", DP_SCRIPT_KIND_TONE, "600@-16;1(.25/.25/1)", "600@-16.0;1000(250/250/1) total=1000" },
  { "T16", DP_SCRIPT_KIND_TONE, "350@-19,440@-19;2(.2/.2/1+2);10(*/0/1+2)",
    "350@-19.0,440@-19.0;2000(200/200/1+2);10000(inf/0/1+2) total=12000" },
  { "T17", DP_SCRIPT_KIND_TONE, "600@-19;25(.1/.1/1,.1/.1/1,.1/9.5/1)",
    "600@-19.0;25000(100/100/1,100/100/1,100/9500/1) total=25000" },
  { "T18", DP_SCRIPT_KIND_TONE, "350@-19;20(.1/.1/1,.1/9.7/1)",
    "350@-19.0;20000(100/100/1,100/9700/1) total=20000" },
  { "T19", DP_SCRIPT_KIND_TONE, "397@-19,507@-19;15(0/2/0,.2/.1/1,.1/2.1/2)",
    "397@-19.0,507@-19.0;15000(0/2000/0,200/100/1,100/2100/2) total=15000" },
  { "T20", DP_SCRIPT_KIND_TONE, "600@-16;.3(.05/0.05/1)", "600@-16.0;300(50/50/1) total=300" },
  { "T21", DP_SCRIPT_KIND_TONE, "600@-19;.2(.05/0.05/1)", "600@-19.0;200(50/50/1) total=200" },
  { "T22", DP_SCRIPT_KIND_TONE, "914@-16,1371@-16,1777@-16;20(.274/0/1,.274/0/2,.380/0/3,0/4/0)",
    "914@-16.0,1371@-16.0,1777@-16.0;20000(274/0/1,274/0/2,380/0/3,0/4000/0) total=20000" },
  { "T23", DP_SCRIPT_KIND_CAD, "60(.3/.2,1/.2,.3/4)", "60000(300/200,1000/200,300/4000) total=60000" },
  { "T24", DP_SCRIPT_KIND_CAD, "60(0.25/9.75)", "60000(250/9750) total=60000" },
  /* §2.3 edge cases that are accepted */
  { "T25", DP_SCRIPT_KIND_TONE, "350@-19, 440@-19;10(*/0/1+2)",
    "350@-19.0,440@-19.0;10000(inf/0/1+2) total=10000" },
  /* Remaining SPA962 factory tones (§4.2) and cadences (§4.3) */
  { "Off_Hook_Warning", DP_SCRIPT_KIND_TONE, "480@-10,620@0;10(.125/.125/1+2)",
    "480@-10.0,620@0.0;10000(125/125/1+2) total=10000" },
  { "SIT1", DP_SCRIPT_KIND_TONE, "985@-16,1428@-16,1777@-16;20(.380/0/1,.380/0/2,.380/0/3,0/4/0)",
    "985@-16.0,1428@-16.0,1777@-16.0;20000(380/0/1,380/0/2,380/0/3,0/4000/0) total=20000" },
  { "SIT3", DP_SCRIPT_KIND_TONE, "914@-16,1371@-16,1777@-16;20(.380/0/1,.380/0/2,.380/0/3,0/4/0)",
    "914@-16.0,1371@-16.0,1777@-16.0;20000(380/0/1,380/0/2,380/0/3,0/4000/0) total=20000" },
  { "SIT4", DP_SCRIPT_KIND_TONE, "985@-16,1371@-16,1777@-16;20(.380/0/1,.274/0/2,.380/0/3,0/4/0)",
    "985@-16.0,1371@-16.0,1777@-16.0;20000(380/0/1,274/0/2,380/0/3,0/4000/0) total=20000" },
  { "Second_Dial", DP_SCRIPT_KIND_TONE, "420@-19,520@-19;10(*/0/1+2)",
    "420@-19.0,520@-19.0;10000(inf/0/1+2) total=10000" },
  { "Feature_Invocation", DP_SCRIPT_KIND_TONE, "350@-16;*(.1/.1/1)",
    "350@-16.0;inf(100/100/1) total=inf" },
  { "Cadence_3", DP_SCRIPT_KIND_CAD, "60(.8/.4,.8/4)", "60000(800/400,800/4000) total=60000" },
  { "Cadence_4", DP_SCRIPT_KIND_CAD, "60(.4/.2,.3/.2,.8/4)",
    "60000(400/200,300/200,800/4000) total=60000" },
  { "Cadence_6", DP_SCRIPT_KIND_CAD, "60(.2/.4,.2/.4,.2/4)",
    "60000(200/400,200/400,200/4000) total=60000" },
  { "Cadence_7", DP_SCRIPT_KIND_CAD, "60(4.5/4)", "60000(4500/4000) total=60000" },
  { "Cadence_9", DP_SCRIPT_KIND_CAD, "60(.4/.2,.4/2)", "60000(400/200,400/2000) total=60000" },
  /* Grammar details */
  { "six-freqs", DP_SCRIPT_KIND_FREQ, "300@-19,400@-19,500@-19,600@-19,700@-19,800@-19.5",
    "300@-19.0,400@-19.0,500@-19.0,600@-19.0,700@-19.0,800@-19.5" },
  { "six-segments", DP_SCRIPT_KIND_CAD, "6(.1/.1,.1/.1,.1/.1,.1/.1,.1/.1,.1/1)",
    "6000(100/100,100/100,100/100,100/100,100/100,100/1000) total=6000" },
  { "spaces", DP_SCRIPT_KIND_TONE, " 350 @ -19 , 440@-19 ; 10 ( * / 0 / 1 + 2 ) ",
    "350@-19.0,440@-19.0;10000(inf/0/1+2) total=10000" },
  { "plus-level", DP_SCRIPT_KIND_TONE, "440@+3;1(1/1/1)", "440@3.0;1000(1000/1000/1) total=1000" },
  { "level-decimal", DP_SCRIPT_KIND_FREQ, "440@-.5,480@-90", "440@-0.5,480@-90.0" },
  { "star-off", DP_SCRIPT_KIND_TONE, "440@-19;*(.1/*/1)", "440@-19.0;inf(100/inf/1) total=inf" },
  { "star-cad", DP_SCRIPT_KIND_CAD, "*(*/0)", "inf(inf/0) total=inf" },
  { "infinite-first", DP_SCRIPT_KIND_TONE, "440@-19;*(1/1/1);10(1/1/1)",
    "440@-19.0;inf(1000/1000/1);10000(1000/1000/1) total=inf" },
  { "trailing-dot", DP_SCRIPT_KIND_CAD, "60(2./4.)", "60000(2000/4000) total=60000" },
  { "three-decimals", DP_SCRIPT_KIND_CAD, "1.001(.001/0)", "1001(1/0) total=1001" },
  { "zero-section", DP_SCRIPT_KIND_TONE, "440@-19;0(1/1/1);1(1/0/1)",
    "440@-19.0;0(1000/1000/1);1000(1000/0/1) total=1000" },
  { "max-duration", DP_SCRIPT_KIND_CAD, "65535(1/1)", "65535000(1000/1000) total=65535000" },
  { "index-order", DP_SCRIPT_KIND_TONE, "350@-19,440@-19,480@-19;1(1/1/3+1)",
    "350@-19.0,440@-19.0,480@-19.0;1000(1000/1000/1+3) total=1000" },
};

static void
test_decode (gconstpointer data)
{
  const DecodeVector *v = data;
  g_autofree char *got = decode (v->kind, v->script);

  g_assert_cmpstr (got, ==, v->expected);
}

typedef struct {
  const char *id;
  DpScriptKind kind;
  const char *script;
  DpScriptError code;
  guint position;
} ErrorVector;

static const ErrorVector error_vectors[] = {
  /* T26: 7 frequency components; the 7th starts at position 49. */
  { "T26", DP_SCRIPT_KIND_TONE,
    "300@-19,400@-19,500@-19,600@-19,700@-19,800@-19,900@-19;10(*/0/1)",
    DP_SCRIPT_ERROR_LIMIT, 49 },
  { "T26-freq", DP_SCRIPT_KIND_FREQ, "300@-19,400@-19,500@-19,600@-19,700@-19,800@-19,900@-19",
    DP_SCRIPT_ERROR_LIMIT, 49 },
  /* T27: 7 segments; the 7th starts at position 60. */
  { "T27", DP_SCRIPT_KIND_TONE,
    "440@-19;10(.1/.1/1,.1/.1/1,.1/.1/1,.1/.1/1,.1/.1/1,.1/.1/1,.1/.1/1)",
    DP_SCRIPT_ERROR_LIMIT, 60 },
  { "T27-cad", DP_SCRIPT_KIND_CAD, "60(1/1,1/1,1/1,1/1,1/1,1/1,1/1)", DP_SCRIPT_ERROR_LIMIT, 28 },
  /* T28: index 3 with two frequencies. */
  { "T28", DP_SCRIPT_KIND_TONE, "350@-19,440@-19;10(*/0/3)", DP_SCRIPT_ERROR_RANGE, 24 },
  { "T28-sum", DP_SCRIPT_KIND_TONE, "350@-19,440@-19;10(*/0/1+7)", DP_SCRIPT_ERROR_RANGE, 26 },
  /* T29: a 4th decimal is rejected at its position. */
  { "T29", DP_SCRIPT_KIND_TONE, "440@-19;10(.1234/.1/1)", DP_SCRIPT_ERROR_RANGE, 16 },
  { "T29-cad", DP_SCRIPT_KIND_CAD, "60(.1/.1234)", DP_SCRIPT_ERROR_RANGE, 11 },
  { "T29-section", DP_SCRIPT_KIND_CAD, "1.0001(1/1)", DP_SCRIPT_ERROR_RANGE, 6 },
  /* T31: the SPA9000 misprint without ';'. */
  { "T31", DP_SCRIPT_KIND_TONE, "600@-19*(.1/.1/1,.1/.1/1,.1/9.5/1)", DP_SCRIPT_ERROR_SYNTAX, 8 },
  /* More than 2 sections (UNCONFIRMED: rejected). */
  { "three-sections", DP_SCRIPT_KIND_TONE, "440@-19;1(1/1/1);1(1/1/1);1(1/1/1)",
    DP_SCRIPT_ERROR_LIMIT, 27 },
  { "three-sections-cad", DP_SCRIPT_KIND_CAD, "1(1/1);1(1/1);1(1/1)", DP_SCRIPT_ERROR_LIMIT, 15 },
  /* Levels: ≤1 decimal, -90…+3 dBm (AGd misprint 480@10). */
  { "level-2-decimals", DP_SCRIPT_KIND_TONE, "440@-19.55;1(1/1/1)", DP_SCRIPT_ERROR_RANGE, 10 },
  { "level-agd-typo", DP_SCRIPT_KIND_TONE, "480@10,620@0;10(.125/.125/1+2)", DP_SCRIPT_ERROR_RANGE, 5 },
  { "level-too-low", DP_SCRIPT_KIND_FREQ, "440@-90.1", DP_SCRIPT_ERROR_RANGE, 5 },
  { "level-missing", DP_SCRIPT_KIND_FREQ, "440@", DP_SCRIPT_ERROR_SYNTAX, 5 },
  { "level-sign-only", DP_SCRIPT_KIND_FREQ, "440@-", DP_SCRIPT_ERROR_SYNTAX, 5 },
  /* Frequencies: whole Hz, 1–20000. */
  { "freq-decimal", DP_SCRIPT_KIND_FREQ, "440.5@-19", DP_SCRIPT_ERROR_RANGE, 4 },
  { "freq-zero", DP_SCRIPT_KIND_FREQ, "350@-19,0@-19", DP_SCRIPT_ERROR_RANGE, 9 },
  { "freq-huge", DP_SCRIPT_KIND_FREQ, "20001@-19", DP_SCRIPT_ERROR_RANGE, 1 },
  { "freq-overflow", DP_SCRIPT_KIND_FREQ, "99999999999999999999999@-19", DP_SCRIPT_ERROR_RANGE, 1 },
  { "freq-no-at", DP_SCRIPT_KIND_FREQ, "440-19", DP_SCRIPT_ERROR_SYNTAX, 4 },
  { "freq-trailing-comma", DP_SCRIPT_KIND_FREQ, "440@-19,", DP_SCRIPT_ERROR_SYNTAX, 9 },
  { "freq-semicolon", DP_SCRIPT_KIND_FREQ, "440@-19;1(1/1/1)", DP_SCRIPT_ERROR_SYNTAX, 8 },
  /* Component sets */
  { "zero-combined", DP_SCRIPT_KIND_TONE, "440@-19;1(1/1/0+1)", DP_SCRIPT_ERROR_SYNTAX, 15 },
  { "one-plus-zero", DP_SCRIPT_KIND_TONE, "440@-19;1(1/1/1+0)", DP_SCRIPT_ERROR_SYNTAX, 17 },
  { "index-twice", DP_SCRIPT_KIND_TONE, "350@-19,440@-19;1(1/1/1+1)", DP_SCRIPT_ERROR_SYNTAX, 25 },
  { "index-missing", DP_SCRIPT_KIND_TONE, "440@-19;1(1/1/)", DP_SCRIPT_ERROR_SYNTAX, 15 },
  { "index-dangling-plus", DP_SCRIPT_KIND_TONE, "350@-19,440@-19;1(1/1/1+)", DP_SCRIPT_ERROR_SYNTAX, 25 },
  { "tone-two-fields", DP_SCRIPT_KIND_TONE, "440@-19;1(1/1)", DP_SCRIPT_ERROR_SYNTAX, 14 },
  /* Sections and segments */
  { "zero-cycle", DP_SCRIPT_KIND_TONE, "440@-19;10(0/0/1)", DP_SCRIPT_ERROR_RANGE, 9 },
  { "zero-cycle-cad", DP_SCRIPT_KIND_CAD, "60(2/4);10(0/0,0/0)", DP_SCRIPT_ERROR_RANGE, 9 },
  { "unclosed", DP_SCRIPT_KIND_TONE, "440@-19;10(1/1/1", DP_SCRIPT_ERROR_SYNTAX, 17 },
  { "trailing-garbage", DP_SCRIPT_KIND_TONE, "440@-19;10(1/1/1)x", DP_SCRIPT_ERROR_SYNTAX, 18 },
  { "trailing-semicolon", DP_SCRIPT_KIND_TONE, "440@-19;10(1/1/1);", DP_SCRIPT_ERROR_SYNTAX, 19 },
  { "no-sections", DP_SCRIPT_KIND_TONE, "440@-19", DP_SCRIPT_ERROR_SYNTAX, 8 },
  { "cad-with-indexes", DP_SCRIPT_KIND_CAD, "60(2/4/1)", DP_SCRIPT_ERROR_SYNTAX, 7 },
  { "cad-no-paren", DP_SCRIPT_KIND_CAD, "60", DP_SCRIPT_ERROR_SYNTAX, 3 },
  { "empty-segments", DP_SCRIPT_KIND_CAD, "60()", DP_SCRIPT_ERROR_SYNTAX, 4 },
  { "lone-dot", DP_SCRIPT_KIND_CAD, "60(./4)", DP_SCRIPT_ERROR_SYNTAX, 4 },
  { "negative-duration", DP_SCRIPT_KIND_CAD, "60(-1/1)", DP_SCRIPT_ERROR_SYNTAX, 4 },
  { "duration-too-long", DP_SCRIPT_KIND_CAD, "65536(1/1)", DP_SCRIPT_ERROR_RANGE, 1 },
  { "duration-overflow", DP_SCRIPT_KIND_CAD, "60(99999999999999999999/1)", DP_SCRIPT_ERROR_RANGE, 4 },
  { "empty-tone", DP_SCRIPT_KIND_TONE, "", DP_SCRIPT_ERROR_SYNTAX, 1 },
  { "empty-cad", DP_SCRIPT_KIND_CAD, "   ", DP_SCRIPT_ERROR_SYNTAX, 4 },
  { "space-in-number", DP_SCRIPT_KIND_CAD, "6 0(1/1)", DP_SCRIPT_ERROR_SYNTAX, 3 },
  { "control-byte", DP_SCRIPT_KIND_TONE, "440@-19;1(1/1/1)\001", DP_SCRIPT_ERROR_SYNTAX, 17 },
};

static gboolean
parse_kind (DpScriptKind kind,
            const char  *text,
            GError     **error)
{
  union { DpToneScript tone; DpCadScript cad; DpFreqScript freq; } u;

  switch (kind)
    {
    case DP_SCRIPT_KIND_TONE: return dp_tone_script_parse (text, &u.tone, error);
    case DP_SCRIPT_KIND_CAD: return dp_cad_script_parse (text, &u.cad, error);
    case DP_SCRIPT_KIND_FREQ: return dp_freq_script_parse (text, &u.freq, error);
    default: g_assert_not_reached ();
    }
}

static void
assert_error_at (GError      *error,
                 DpScriptError code,
                 guint        position)
{
  g_autofree char *needle = g_strdup_printf ("position %u:", position);

  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_error (error, DP_SCRIPT_ERROR, (gint) code);
  g_assert_nonnull (strstr (error->message, needle));
}

static void
test_error (gconstpointer data)
{
  const ErrorVector *v = data;
  g_autoptr(GError) error = NULL;

  g_assert_false (parse_kind (v->kind, v->script, &error));
  assert_error_at (error, v->code, v->position);
}

/* T30: 127 characters is the limit; one more is rejected, not truncated. */
static void
test_length_limit (void)
{
  g_autoptr(GString) s = g_string_new ("350@-19,");
  g_autoptr(GError) error = NULL;
  DpToneScript tone;

  while (s->len < DP_SCRIPT_MAX_LENGTH - strlen ("440@-19;10(*/0/1+2)"))
    g_string_append_c (s, ' ');
  g_string_append (s, "440@-19;10(*/0/1+2)");
  g_assert_cmpuint (s->len, ==, 127);
  g_assert_true (dp_tone_script_parse (s->str, &tone, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tone.freq.n_components, ==, 2);

  g_string_insert_c (s, 8, ' ');
  g_assert_cmpuint (s->len, ==, 128);
  g_assert_false (dp_tone_script_parse (s->str, &tone, &error));
  assert_error_at (error, DP_SCRIPT_ERROR_LIMIT, 128);
  g_assert_nonnull (strstr (error->message, "127"));
  g_clear_error (&error);

  g_assert_false (dp_tone_script_check (s->str, &error));
  assert_error_at (error, DP_SCRIPT_ERROR_LIMIT, 128);
  g_clear_error (&error);

  /* Cad and Freq scripts obey the same limit. */
  {
    g_autoptr(GString) cad = g_string_new ("60(");
    DpCadScript c;
    while (cad->len < 127)
      g_string_append_c (cad, ' ');
    g_string_append (cad, "2/4)");
    g_assert_false (dp_cad_script_parse (cad->str, &c, &error));
    assert_error_at (error, DP_SCRIPT_ERROR_LIMIT, 128);
  }
}

static void
test_messages_name_the_problem (void)
{
  g_autoptr(GError) error = NULL;
  DpToneScript tone;

  g_assert_false (dp_tone_script_parse ("350@-19,440@-19;10(*/0/3)", &tone, &error));
  g_assert_nonnull (strstr (error->message, "ToneScript"));
  g_assert_nonnull (strstr (error->message, "index 3"));
  g_clear_error (&error);

  g_assert_false (dp_tone_script_parse ("600@-19*(.1/.1/1)", &tone, &error));
  g_assert_nonnull (strstr (error->message, "'*'"));
  g_assert_nonnull (strstr (error->message, "';'"));
  g_clear_error (&error);

  g_assert_false (dp_tone_script_parse ("440@-19;10(.1234/.1/1)", &tone, &error));
  g_assert_nonnull (strstr (error->message, "3 decimals"));
}

static void
test_checkers (void)
{
  g_autoptr(GError) error = NULL;

  /* An empty parameter means "not set". */
  g_assert_true (dp_tone_script_check ("", &error));
  g_assert_true (dp_cad_script_check ("", &error));
  g_assert_true (dp_freq_script_check ("", &error));
  g_assert_no_error (error);

  g_assert_true (dp_tone_script_check ("350@-19,440@-19;10(*/0/1+2)", &error));
  g_assert_true (dp_cad_script_check ("60(2/4)", &error));
  g_assert_true (dp_freq_script_check ("440@-10", &error));
  g_assert_no_error (error);

  g_assert_false (dp_tone_script_check ("60(2/4)", &error));
  assert_error_at (error, DP_SCRIPT_ERROR_SYNTAX, 3);
  g_clear_error (&error);
  g_assert_false (dp_cad_script_check ("350@-19;10(*/0/1)", &error));
  assert_error_at (error, DP_SCRIPT_ERROR_SYNTAX, 4);
  g_clear_error (&error);
  g_assert_false (dp_freq_script_check ("350@-19;10(*/0/1)", &error));
  assert_error_at (error, DP_SCRIPT_ERROR_SYNTAX, 8);
}

static void
test_from_cadence (void)
{
  DpFreqScript freq;
  DpCadScript cad;
  DpToneScript tone;

  g_assert_true (dp_freq_script_parse ("440@-10,480@-10", &freq, NULL));
  g_assert_true (dp_cad_script_parse ("30(.3/9.7);5(1/1,2/2)", &cad, NULL));
  dp_tone_script_from_cadence (&freq, &cad, &tone);
  g_assert_cmpuint (tone.cadence.n_sections, ==, 2);
  g_assert_cmpuint (tone.cadence.sections[1].n_segments, ==, 2);
  for (guint i = 0; i < 2; i++)
    for (guint j = 0; j < tone.cadence.sections[i].n_segments; j++)
      g_assert_cmpuint (tone.cadence.sections[i].segments[j].components, ==, 0x3);
  g_assert_cmpint (tone.cadence.sections[1].segments[1].on_ms, ==, 2000);
  g_assert_cmpint (dp_cad_script_get_total_ms (&tone.cadence), ==, 35000);
}

static void
test_detect_kind (void)
{
  static const struct { const char *text; DpScriptKind kind; } rows[] = {
    { "350@-19,440@-19;10(*/0/1+2)", DP_SCRIPT_KIND_TONE },
    { "600@-19*(.1/.1/1)", DP_SCRIPT_KIND_TONE },
    { "440@-10", DP_SCRIPT_KIND_FREQ },
    { " 350@-19, 440@-19", DP_SCRIPT_KIND_FREQ },
    { "60(2/4)", DP_SCRIPT_KIND_CAD },
    { ".3(.1/.1)", DP_SCRIPT_KIND_CAD },
    { "*(2/4)", DP_SCRIPT_KIND_CAD },
    { "n=Classic-1;w=3;c=1", DP_SCRIPT_KIND_RING },
    { "c=1;w=2;n=x", DP_SCRIPT_KIND_RING },
    { "c=1", DP_SCRIPT_KIND_RING },
    { "c=r;p=sb", DP_SCRIPT_KIND_LED },
    { "c=g", DP_SCRIPT_KIND_LED },
    { " c = g ; p = nb ", DP_SCRIPT_KIND_LED },
    { "p=sb", DP_SCRIPT_KIND_LED },
    { "", DP_SCRIPT_KIND_UNKNOWN },
    { "hello", DP_SCRIPT_KIND_UNKNOWN },
    { "#!", DP_SCRIPT_KIND_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_test_message ("%s", rows[i].text);
      g_assert_cmpint (dp_script_detect_kind (rows[i].text), ==, rows[i].kind);
    }
}

static void
test_kind_names (void)
{
  DpScriptKind kind = DP_SCRIPT_KIND_UNKNOWN;

  g_assert_true (dp_script_kind_from_string ("tone", &kind));
  g_assert_cmpint (kind, ==, DP_SCRIPT_KIND_TONE);
  g_assert_true (dp_script_kind_from_string ("LED", &kind));
  g_assert_cmpint (kind, ==, DP_SCRIPT_KIND_LED);
  g_assert_false (dp_script_kind_from_string ("unknown", &kind));
  g_assert_false (dp_script_kind_from_string ("dial", &kind));
  g_assert_cmpstr (dp_script_kind_to_string (DP_SCRIPT_KIND_CAD), ==, "cad");
  g_assert_cmpstr (dp_script_kind_to_string (DP_SCRIPT_KIND_FREQ), ==, "freq");
}

static void
test_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = dp_script_to_json ("350@-19,440@-19;2(.1/.1/1+2);10(*/0/1+2)",
                                                 DP_SCRIPT_KIND_UNKNOWN, &error);
  JsonObject *root, *seg;
  JsonArray *freqs, *sections;

  g_assert_no_error (error);
  root = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (root, "kind"), ==, "tone");
  freqs = json_object_get_array_member (root, "frequencies");
  g_assert_cmpuint (json_array_get_length (freqs), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (freqs, 1),
                                               "frequency"), ==, 440);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_array_get_object_element (freqs, 0),
                                                                 "level"), -19.0, 1e-9);
  sections = json_object_get_array_member (root, "sections");
  g_assert_cmpuint (json_array_get_length (sections), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (sections, 0),
                                               "duration_ms"), ==, 2000);
  seg = json_array_get_object_element (
          json_object_get_array_member (json_array_get_object_element (sections, 1), "segments"), 0);
  g_assert_true (json_object_get_null_member (seg, "on_ms"));
  g_assert_cmpint (json_object_get_int_member (seg, "off_ms"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (seg, "components")), ==, 2);
  g_assert_cmpint (json_object_get_int_member (root, "total_ms"), ==, 12000);

  /* A kind forced on a script of another kind fails at its position. */
  g_assert_null (dp_script_to_json ("60(2/4)", DP_SCRIPT_KIND_TONE, &error));
  assert_error_at (error, DP_SCRIPT_ERROR_SYNTAX, 3);
  g_clear_error (&error);

  g_assert_null (dp_script_to_json ("  hello", DP_SCRIPT_KIND_UNKNOWN, &error));
  assert_error_at (error, DP_SCRIPT_ERROR_UNKNOWN_KIND, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (decode_vectors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tone/decode/%s", decode_vectors[i].id);
      g_test_add_data_func (path, &decode_vectors[i], test_decode);
    }
  for (guint i = 0; i < G_N_ELEMENTS (error_vectors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tone/reject/%s", error_vectors[i].id);
      g_test_add_data_func (path, &error_vectors[i], test_error);
    }
  g_test_add_func ("/tone/reject/T30-length", test_length_limit);
  g_test_add_func ("/tone/messages", test_messages_name_the_problem);
  g_test_add_func ("/tone/checkers", test_checkers);
  g_test_add_func ("/tone/from-cadence", test_from_cadence);
  g_test_add_func ("/tone/detect-kind", test_detect_kind);
  g_test_add_func ("/tone/kind-names", test_kind_names);
  g_test_add_func ("/tone/json", test_json);

  return g_test_run ();
}
