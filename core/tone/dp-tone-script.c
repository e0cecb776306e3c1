/* SPDX-License-Identifier: GPL-2.0-or-later */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "dp-tone"

#include "dp-tone-script.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>
#include "dp-script-scanner.h"

#include <string.h>

#define MAX_DURATION_MS ((gint64) 65535 * 1000)
#define MIN_LEVEL_TENTHS (-900)
#define MAX_LEVEL_TENTHS 30
#define MAX_FREQUENCY_HZ 20000

static gboolean
parse_components (DpScanner    *sc,
                  gboolean      inside_tone,
                  DpFreqScript *out,
                  GError      **error)
{
  memset (out, 0, sizeof *out);

  for (;;)
    {
      gint64 freq, level;
      gsize start;

      dp_scanner_skip_space (sc);
      start = sc->pos;
      if (out->n_components == DP_TONE_MAX_COMPONENTS)
        return dp_scanner_fail (sc, start, error, DP_SCRIPT_ERROR_LIMIT,
                                _("more than %d frequencies"), DP_TONE_MAX_COMPONENTS);
      if (!dp_scanner_number (sc, 0, FALSE, FALSE, 1, MAX_FREQUENCY_HZ,
                              _("a frequency in Hz"), &freq, error))
        return FALSE;
      if (!dp_scanner_expect (sc, '@', _("between frequency and level"), error))
        return FALSE;
      if (!dp_scanner_number (sc, 1, FALSE, TRUE, MIN_LEVEL_TENTHS, MAX_LEVEL_TENTHS,
                              _("a level in dBm"), &level, error))
        return FALSE;

      out->components[out->n_components].frequency_hz = (guint) freq;
      out->components[out->n_components].level_dbm = level / 10.0;
      out->n_components++;

      if (dp_scanner_accept (sc, ','))
        continue;
      if (inside_tone && dp_scanner_peek (sc) == ';')
        return TRUE;
      if (!inside_tone && dp_scanner_at_end (sc))
        return TRUE;
      {
        g_autofree char *found = dp_scanner_describe (sc, sc->pos);
        return dp_scanner_fail (sc, sc->pos, error, DP_SCRIPT_ERROR_SYNTAX,
                                _("expected ',' %s after the level of frequency %u, found %s"),
                                inside_tone ? _("or ';'") : _("or the end"),
                                out->n_components, found);
      }
    }
}

/* The component set of a ToneScript segment: `0` or `n1[+n2…]`. */
static gboolean
parse_component_set (DpScanner  *sc,
                     guint       n_components,
                     guint      *mask,
                     GError    **error)
{
  *mask = 0;
  for (;;)
    {
      gint64 index;
      gsize start;

      dp_scanner_skip_space (sc);
      start = sc->pos;
      if (!dp_scanner_number (sc, 0, FALSE, FALSE, 0, G_MAXINT32,
                              _("a frequency index"), &index, error))
        return FALSE;
      if (index == 0)
        {
          if (*mask != 0 || dp_scanner_peek (sc) == '+')
            return dp_scanner_fail (sc, start, error, DP_SCRIPT_ERROR_SYNTAX,
                                    _("frequency index 0 (silence) cannot be combined "
                                    "with other frequencies"));
          return TRUE;
        }
      if (index > n_components)
        return dp_scanner_fail (sc, start, error, DP_SCRIPT_ERROR_RANGE,
                                g_dngettext (GETTEXT_PACKAGE,
                                            "frequency index %lld does not exist: "
                                            "the script has %u frequency",
                                            "frequency index %lld does not exist: "
                                            "the script has %u frequencies", n_components),
                                (long long) index, n_components);
      if (*mask & (1u << (index - 1)))
        return dp_scanner_fail (sc, start, error, DP_SCRIPT_ERROR_SYNTAX,
                                _("frequency index %lld is listed twice"),
                                (long long) index);
      *mask |= 1u << (index - 1);
      if (!dp_scanner_accept (sc, '+'))
        return TRUE;
    }
}

static gboolean
parse_duration (DpScanner  *sc,
                const char *what,
                gint64     *ms,
                GError    **error)
{
  return dp_scanner_number (sc, 3, TRUE, FALSE, 0, MAX_DURATION_MS, what, ms, error);
}

static gboolean
parse_section (DpScanner     *sc,
               guint          n_components,  /* 0 for a CadScript */
               guint          number,
               DpToneSection *section,
               GError       **error)
{
  gsize start;
  gboolean all_zero = TRUE;

  memset (section, 0, sizeof *section);
  dp_scanner_skip_space (sc);
  start = sc->pos;
  if (!parse_duration (sc, _("a section length in seconds"), &section->duration_ms, error))
    return FALSE;
  if (!dp_scanner_expect (sc, '(', _("after the section length"), error))
    return FALSE;

  for (;;)
    {
      DpToneSegment *seg;

      dp_scanner_skip_space (sc);
      if (section->n_segments == DP_TONE_MAX_SEGMENTS)
        return dp_scanner_fail (sc, sc->pos, error, DP_SCRIPT_ERROR_LIMIT,
                                _("more than %d segments in section %u"),
                                DP_TONE_MAX_SEGMENTS, number);
      seg = &section->segments[section->n_segments];
      if (!parse_duration (sc, _("an on time in seconds"), &seg->on_ms, error))
        return FALSE;
      if (!dp_scanner_expect (sc, '/', _("after the on time"), error))
        return FALSE;
      if (!parse_duration (sc, _("an off time in seconds"), &seg->off_ms, error))
        return FALSE;
      if (n_components > 0)
        {
          if (!dp_scanner_expect (sc, '/', _("before the frequency indexes"), error))
            return FALSE;
          if (!parse_component_set (sc, n_components, &seg->components, error))
            return FALSE;
        }
      section->n_segments++;
      if (seg->on_ms != 0 || seg->off_ms != 0)
        all_zero = FALSE;

      if (dp_scanner_accept (sc, ','))
        continue;
      if (dp_scanner_accept (sc, ')'))
        break;
      {
        g_autofree char *found = dp_scanner_describe (sc, sc->pos);
        return dp_scanner_fail (sc, sc->pos, error, DP_SCRIPT_ERROR_SYNTAX,
                                _("expected ',' or ')' after segment %u, found %s"),
                                section->n_segments, found);
      }
    }

  /* A cadence of zero length would never move on to the next section. */
  if (all_zero)
    return dp_scanner_fail (sc, start, error, DP_SCRIPT_ERROR_RANGE,
                            _("the segments of section %u all last 0 seconds"), number);
  return TRUE;
}

static gboolean
parse_sections (DpScanner   *sc,
                guint        n_components,
                DpCadScript *out,
                GError     **error)
{
  memset (out, 0, sizeof *out);
  for (;;)
    {
      dp_scanner_skip_space (sc);
      if (out->n_sections == DP_TONE_MAX_SECTIONS)
        return dp_scanner_fail (sc, sc->pos, error, DP_SCRIPT_ERROR_LIMIT,
                                _("more than %d sections"), DP_TONE_MAX_SECTIONS);
      if (!parse_section (sc, n_components, out->n_sections + 1,
                          &out->sections[out->n_sections], error))
        return FALSE;
      out->n_sections++;
      if (dp_scanner_accept (sc, ';'))
        continue;
      if (dp_scanner_at_end (sc))
        return TRUE;
      {
        g_autofree char *found = dp_scanner_describe (sc, sc->pos);
        return dp_scanner_fail (sc, sc->pos, error, DP_SCRIPT_ERROR_SYNTAX,
                                _("expected ';' or the end after section %u, found %s"),
                                out->n_sections, found);
      }
    }
}

/**
 * dp_freq_script_parse:
 * @text: a FreqScript such as `350@-19,440@-19`
 * @out: (out caller-allocates): the decoded script
 * @error: return location for a #DP_SCRIPT_ERROR naming the position
 *
 * Returns: %TRUE if @text is a valid FreqScript
 */
gboolean
dp_freq_script_parse (const char   *text,
                      DpFreqScript *out,
                      GError      **error)
{
  DpScanner sc;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  dp_scanner_init (&sc, text, "FreqScript");
  if (!dp_scanner_check_length (&sc, error))
    return FALSE;
  return parse_components (&sc, FALSE, out, error);
}

/**
 * dp_cad_script_parse:
 * @text: a CadScript such as `60(.3/.2,1/.2,.3/4)`
 * @out: (out caller-allocates): the decoded script; segment components are 0
 * @error: return location for a #DP_SCRIPT_ERROR naming the position
 *
 * Returns: %TRUE if @text is a valid CadScript
 */
gboolean
dp_cad_script_parse (const char  *text,
                     DpCadScript *out,
                     GError     **error)
{
  DpScanner sc;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  dp_scanner_init (&sc, text, "CadScript");
  if (!dp_scanner_check_length (&sc, error))
    return FALSE;
  return parse_sections (&sc, 0, out, error);
}

/**
 * dp_tone_script_parse:
 * @text: a ToneScript such as `480@-19,620@-19;10(.5/.5/1+2)`
 * @out: (out caller-allocates): the decoded script
 * @error: return location for a #DP_SCRIPT_ERROR naming the position
 *
 * Returns: %TRUE if @text is a valid ToneScript
 */
gboolean
dp_tone_script_parse (const char   *text,
                      DpToneScript *out,
                      GError      **error)
{
  DpScanner sc;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  dp_scanner_init (&sc, text, "ToneScript");
  if (!dp_scanner_check_length (&sc, error))
    return FALSE;
  if (!parse_components (&sc, TRUE, &out->freq, error))
    return FALSE;
  if (!dp_scanner_expect (&sc, ';', _("after the frequencies"), error))
    return FALSE;
  return parse_sections (&sc, out->freq.n_components, &out->cadence, error);
}

/**
 * dp_cad_script_get_total_ms:
 * @cadence: a decoded CadScript (or the cadence of a ToneScript)
 *
 * Returns: the sum of the section lengths in ms, or %DP_TONE_INFINITE when
 *   a section lasts forever
 */
gint64
dp_cad_script_get_total_ms (const DpCadScript *cadence)
{
  gint64 total = 0;

  g_return_val_if_fail (cadence != NULL, 0);

  for (guint i = 0; i < cadence->n_sections; i++)
    {
      if (cadence->sections[i].duration_ms == DP_TONE_INFINITE)
        return DP_TONE_INFINITE;
      total += cadence->sections[i].duration_ms;
    }
  return total;
}

/**
 * dp_tone_script_from_cadence:
 * @freq: the frequencies to play during the on times
 * @cadence: a ring or call-waiting cadence
 * @out: (out caller-allocates): a ToneScript sounding every component of
 *   @freq during each on time of @cadence
 *
 * Combines a CadScript with a FreqScript, as the phone does for call-waiting
 * tones, so the tone generator can render either.
 */
void
dp_tone_script_from_cadence (const DpFreqScript *freq,
                             const DpCadScript  *cadence,
                             DpToneScript       *out)
{
  guint all;

  g_return_if_fail (freq != NULL && cadence != NULL && out != NULL);

  out->freq = *freq;
  out->cadence = *cadence;
  all = (1u << freq->n_components) - 1;
  for (guint i = 0; i < out->cadence.n_sections; i++)
    for (guint j = 0; j < out->cadence.sections[i].n_segments; j++)
      out->cadence.sections[i].segments[j].components = all;
}

/**
 * dp_freq_script_check:
 * @value: a parameter value
 * @error: return location for a #GError naming the position
 *
 * A #DpSyntaxCheckFunc for FreqScripts. The empty value is accepted: an
 * empty parameter means "not set" (no tone), as on the SPA web UI.
 *
 * Returns: %TRUE if @value is empty or a valid FreqScript
 */
gboolean
dp_freq_script_check (const char *value,
                      GError    **error)
{
  DpFreqScript script;

  g_return_val_if_fail (value != NULL, FALSE);
  return value[0] == '\0' || dp_freq_script_parse (value, &script, error);
}

/**
 * dp_cad_script_check:
 * @value: a parameter value
 * @error: return location for a #GError naming the position
 *
 * The #DpSyntaxCheckFunc of the "cadscript" syntax. The empty value is
 * accepted (parameter not set).
 *
 * Returns: %TRUE if @value is empty or a valid CadScript
 */
gboolean
dp_cad_script_check (const char *value,
                     GError    **error)
{
  DpCadScript script;

  g_return_val_if_fail (value != NULL, FALSE);
  return value[0] == '\0' || dp_cad_script_parse (value, &script, error);
}

/**
 * dp_tone_script_check:
 * @value: a parameter value
 * @error: return location for a #GError naming the position
 *
 * The #DpSyntaxCheckFunc of the "tonescript" syntax. The empty value is
 * accepted (the tone is not played).
 *
 * Returns: %TRUE if @value is empty or a valid ToneScript
 */
gboolean
dp_tone_script_check (const char *value,
                      GError    **error)
{
  DpToneScript script;

  g_return_val_if_fail (value != NULL, FALSE);
  return value[0] == '\0' || dp_tone_script_parse (value, &script, error);
}
