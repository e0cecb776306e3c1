/* SPDX-License-Identifier: GPL-2.0-or-later */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "dp-tone"

#include "dp-led-script.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>
#include "dp-script-scanner.h"

#include <string.h>

#define MAX_TIMING_CS (600 * 100)

/* Built-in blink timings in ms, on/off alternating (reference §10, AG p31). */
static const guint slow_timing[] = { 500, 500 };
static const guint fast_timing[] = { 100, 100 };
static const guint double_timing[] = { 100, 100, 100, 700 };

static const struct {
  DpLedPattern pattern;
  const char *code;
  const char *name;
} patterns[] = {
  { DP_LED_PATTERN_STEADY, "nb", "steady" },
  { DP_LED_PATTERN_SLOW_BLINK, "sb", "slow-blink" },
  { DP_LED_PATTERN_FAST_BLINK, "fb", "fast-blink" },
  { DP_LED_PATTERN_DOUBLE_BLINK, "db", "double-blink" },
  { DP_LED_PATTERN_USER, "ud", "user-defined" },
};

/**
 * dp_led_color_to_string:
 * @color: a #DpLedColor
 *
 * Returns: "off", "red", "green" or "amber"
 */
const char *
dp_led_color_to_string (DpLedColor color)
{
  switch (color)
    {
    case DP_LED_COLOR_OFF: return "off";
    case DP_LED_COLOR_RED: return "red";
    case DP_LED_COLOR_GREEN: return "green";
    case DP_LED_COLOR_AMBER: return "amber";
    default: return "unknown";
    }
}

/**
 * dp_led_pattern_to_string:
 * @pattern: a #DpLedPattern
 *
 * Returns: "steady", "slow-blink", "fast-blink", "double-blink" or
 *   "user-defined"
 */
const char *
dp_led_pattern_to_string (DpLedPattern pattern)
{
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    if (patterns[i].pattern == pattern)
      return patterns[i].name;
  return "unknown";
}

/**
 * dp_led_pattern_to_code:
 * @pattern: a #DpLedPattern
 *
 * Returns: the two-letter script code ("nb", "sb", "fb", "db", "ud")
 */
const char *
dp_led_pattern_to_code (DpLedPattern pattern)
{
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    if (patterns[i].pattern == pattern)
      return patterns[i].code;
  return "";
}

/**
 * dp_led_pattern_get_timing:
 * @pattern: a built-in #DpLedPattern
 * @timing_ms: (out caller-allocates) (array fixed-size=8): receives the
 *   on/off times in ms, starting with an on time
 *
 * Gives the repeating on/off pattern of a built-in blink, for the line keys,
 * the sidecar and the screen. Steady and user-defined patterns have none.
 *
 * Returns: how many values were stored (0 for steady and user-defined)
 */
guint
dp_led_pattern_get_timing (DpLedPattern pattern,
                           guint       *timing_ms)
{
  const guint *src = NULL;
  guint n = 0;

  g_return_val_if_fail (timing_ms != NULL, 0);

  switch (pattern)
    {
    case DP_LED_PATTERN_SLOW_BLINK: src = slow_timing; n = G_N_ELEMENTS (slow_timing); break;
    case DP_LED_PATTERN_FAST_BLINK: src = fast_timing; n = G_N_ELEMENTS (fast_timing); break;
    case DP_LED_PATTERN_DOUBLE_BLINK: src = double_timing; n = G_N_ELEMENTS (double_timing); break;
    case DP_LED_PATTERN_STEADY:
    case DP_LED_PATTERN_USER:
    default:
      break;
    }
  if (n > 0)
    memcpy (timing_ms, src, n * sizeof *src);
  return n;
}

/**
 * dp_led_script_get_timing:
 * @script: a decoded LED script
 * @timing_ms: (out caller-allocates) (array fixed-size=8): receives the
 *   on/off times in ms, starting with an on time
 *
 * The repeating on/off pattern of @script: the built-in timing of its
 * pattern, or its `u=` values. The colour is not taken into account.
 *
 * Returns: how many values were stored; 0 means steady
 */
guint
dp_led_script_get_timing (const DpLedScript *script,
                          guint             *timing_ms)
{
  g_return_val_if_fail (script != NULL, 0);
  g_return_val_if_fail (timing_ms != NULL, 0);

  if (script->pattern == DP_LED_PATTERN_USER)
    {
      memcpy (timing_ms, script->timing_ms, script->n_timing * sizeof (guint));
      return script->n_timing;
    }
  return dp_led_pattern_get_timing (script->pattern, timing_ms);
}

/* Reads a run of letters (whitespace may not split it). */
static gsize
read_word (DpScanner *sc)
{
  gsize start;

  dp_scanner_skip_space (sc);
  start = sc->pos;
  while (g_ascii_isalpha (sc->text[sc->pos]))
    sc->pos++;
  return sc->pos - start;
}

static gboolean
parse_timing (DpScanner   *sc,
              DpLedScript *out,
              GError     **error)
{
  gsize start;
  gboolean any_nonzero = FALSE;

  dp_scanner_skip_space (sc);
  start = sc->pos;
  for (;;)
    {
      gint64 cs;

      dp_scanner_skip_space (sc);
      if (out->n_timing == DP_LED_MAX_TIMING)
        return dp_scanner_fail (sc, sc->pos, error, DP_SCRIPT_ERROR_LIMIT,
                                _("more than %d on/off values (4 pairs)"), DP_LED_MAX_TIMING);
      if (!dp_scanner_number (sc, 2, FALSE, FALSE, 0, MAX_TIMING_CS,
                              out->n_timing % 2 == 0 ? _("an on time in seconds")
                                                     : _("an off time in seconds"),
                              &cs, error))
        return FALSE;
      out->timing_ms[out->n_timing++] = (guint) cs * 10;
      any_nonzero = any_nonzero || cs != 0;
      if (!dp_scanner_accept (sc, '/'))
        break;
    }
  if (out->n_timing % 2 != 0)
    return dp_scanner_fail (sc, sc->pos, error, DP_SCRIPT_ERROR_SYNTAX,
                            _("u= needs on/off pairs, the off time of pair %u is missing"),
                            out->n_timing / 2 + 1);
  if (!any_nonzero)
    return dp_scanner_fail (sc, start, error, DP_SCRIPT_ERROR_RANGE,
                            _("the u= times are all 0"));
  return TRUE;
}

/**
 * dp_led_script_parse:
 * @text: an LED script such as `c=r;p=sb`
 * @out: (out caller-allocates): the decoded script
 * @error: return location for a #DP_SCRIPT_ERROR naming the position
 *
 * Returns: %TRUE if @text is a valid LED script
 */
gboolean
dp_led_script_parse (const char  *text,
                     DpLedScript *out,
                     GError     **error)
{
  DpScanner sc;
  gsize pattern_pos = 0, timing_pos = 0;
  gboolean seen_c = FALSE, seen_p = FALSE, seen_u = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->color = DP_LED_COLOR_OFF;
  out->pattern = DP_LED_PATTERN_STEADY;

  dp_scanner_init (&sc, text, "LED script");
  if (!dp_scanner_check_length (&sc, error))
    return FALSE;

  for (;;)
    {
      gsize key_pos, len, value_pos;
      char key;
      gboolean *seen;

      len = read_word (&sc);
      key_pos = sc.pos - len;
      if (len != 1 || strchr ("cpu", text[key_pos]) == NULL)
        {
          g_autofree char *found = dp_scanner_describe (&sc, key_pos);
          return dp_scanner_fail (&sc, key_pos, error, DP_SCRIPT_ERROR_SYNTAX,
                                  _("expected a field name (c, p or u), found %s%s"),
                                  len > 1 ? _("the word starting with ") : "", found);
        }
      key = text[key_pos];
      seen = key == 'c' ? &seen_c : key == 'p' ? &seen_p : &seen_u;
      if (*seen)
        return dp_scanner_fail (&sc, key_pos, error, DP_SCRIPT_ERROR_SYNTAX,
                                _("field '%c' given twice"), key);
      *seen = TRUE;
      if (!dp_scanner_expect (&sc, '=', _("after the field name"), error))
        return FALSE;

      if (key == 'u')
        {
          dp_scanner_skip_space (&sc);
          timing_pos = sc.pos;
          if (!parse_timing (&sc, out, error))
            return FALSE;
        }
      else
        {
          char word[3] = { 0 };

          len = read_word (&sc);
          value_pos = sc.pos - len;
          if (len >= 1 && len <= 2)
            memcpy (word, text + value_pos, len);
          if (key == 'c')
            {
              if (g_str_equal (word, "o"))
                out->color = DP_LED_COLOR_OFF;
              else if (g_str_equal (word, "r"))
                out->color = DP_LED_COLOR_RED;
              else if (g_str_equal (word, "g"))
                out->color = DP_LED_COLOR_GREEN;
              else if (g_str_equal (word, "a"))
                out->color = DP_LED_COLOR_AMBER;
              else
                {
                  g_autofree char *found = dp_scanner_describe (&sc, value_pos);
                  return dp_scanner_fail (&sc, value_pos, error, DP_SCRIPT_ERROR_SYNTAX,
                                          _("expected a colour (o, r, g or a), found %s%s"),
                                          len > 1 ? _("the word starting with ") : "", found);
                }
            }
          else
            {
              gboolean found_pattern = FALSE;

              /* `n[b]|s[b]|f[b]|d[b]|u[d]`: the second letter is optional. */
              for (guint i = 0; i < G_N_ELEMENTS (patterns) && len > 0; i++)
                if (strncmp (word, patterns[i].code, len) == 0)
                  {
                    out->pattern = patterns[i].pattern;
                    found_pattern = TRUE;
                    break;
                  }
              if (!found_pattern)
                {
                  g_autofree char *found = dp_scanner_describe (&sc, value_pos);
                  return dp_scanner_fail (&sc, value_pos, error, DP_SCRIPT_ERROR_SYNTAX,
                                          _("expected a pattern (nb, sb, fb, db or ud), found %s%s"),
                                          len > 1 ? _("the word starting with ") : "", found);
                }
              pattern_pos = value_pos;
            }
        }

      if (dp_scanner_accept (&sc, ';'))
        {
          /* A trailing ';' is harmless. */
          if (dp_scanner_at_end (&sc))
            break;
          continue;
        }
      if (dp_scanner_at_end (&sc))
        break;
      {
        g_autofree char *found = dp_scanner_describe (&sc, sc.pos);
        return dp_scanner_fail (&sc, sc.pos, error, DP_SCRIPT_ERROR_SYNTAX,
                                _("expected ';' or the end after field '%c', found %s"),
                                key, found);
      }
    }

  if (seen_u && out->pattern != DP_LED_PATTERN_USER)
    return dp_scanner_fail (&sc, timing_pos, error, DP_SCRIPT_ERROR_SYNTAX,
                            _("u= is only allowed with p=ud"));
  if (out->pattern == DP_LED_PATTERN_USER && !seen_u)
    return dp_scanner_fail (&sc, pattern_pos, error, DP_SCRIPT_ERROR_SYNTAX,
                            _("p=ud needs the timing in u="));
  return TRUE;
}

/**
 * dp_led_script_check:
 * @value: a parameter value
 * @error: return location for a #GError naming the position
 *
 * The #DpSyntaxCheckFunc of the "ledscript" syntax. The empty value is
 * accepted: a blank LED parameter means the state's default (§8.3).
 *
 * Returns: %TRUE if @value is empty or a valid LED script
 */
gboolean
dp_led_script_check (const char *value,
                     GError    **error)
{
  DpLedScript script;

  g_return_val_if_fail (value != NULL, FALSE);
  return value[0] == '\0' || dp_led_script_parse (value, &script, error);
}
