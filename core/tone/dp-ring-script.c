/* SPDX-License-Identifier: GPL-2.0-or-later */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "dp-tone"

#include "dp-ring-script.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>
#include "dp-script-scanner.h"

#include <string.h>

#define MAX_SECONDS_MS ((gint64) 65535 * 1000)

/* Factory Cadence_1…Cadence_9 of the SPA962 5.1.15 (reference §4.3). */
static const char * const default_cadences[] = {
  NULL,
  "60(2/4)",
  "60(.3/.2,1/.2,.3/4)",
  "60(.8/.4,.8/4)",
  "60(.4/.2,.3/.2,.8/4)",
  "60(.2/.2,.2/.2,.2/.2,1/4)",
  "60(.2/.4,.2/.4,.2/4)",
  "60(4.5/4)",
  "60(0.25/9.75)",
  "60(.4/.2,.4/2)",
};

/**
 * dp_ring_default_cadence:
 * @cadence: a cadence number
 *
 * Returns: (nullable): the factory `Cadence_<cadence>` CadScript of the
 *   SPA962, or %NULL when there is no such cadence (including 0)
 */
const char *
dp_ring_default_cadence (guint cadence)
{
  if (cadence == 0 || cadence >= G_N_ELEMENTS (default_cadences))
    return NULL;
  return default_cadences[cadence];
}

/**
 * dp_ring_waveform_to_string:
 * @waveform: a #DpRingWaveform
 *
 * Returns: a short English description, e.g. "classic ring tone"
 */
const char *
dp_ring_waveform_to_string (DpRingWaveform waveform)
{
  switch (waveform)
    {
    case DP_RING_WAVEFORM_URL: return "downloaded ring file";
    case DP_RING_WAVEFORM_CLASSIC_BELL: return "classic mechanical bell";
    case DP_RING_WAVEFORM_TYPICAL_RING: return "typical phone ring";
    case DP_RING_WAVEFORM_CLASSIC_RING: return "classic ring tone";
    case DP_RING_WAVEFORM_SWEEP: return "wide-band sweep";
    default: return "unknown";
    }
}

static gboolean
is_host_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '-' || c == '_';
}

/* `[scheme://]host[:port]/path` between @start and @end of the script. */
static gboolean
parse_url (DpScanner    *sc,
           gsize         start,
           gsize         end,
           DpRingScript *out,
           GError      **error)
{
  const char *text = sc->text;
  gsize p = start;
  gsize host_start, host_end;

  memcpy (out->url, text + start, end - start);
  out->url[end - start] = '\0';

  for (gsize i = start; i + 2 < end; i++)
    {
      if (text[i] == ':' && text[i + 1] == '/' && text[i + 2] == '/')
        {
          g_autofree char *scheme = g_ascii_strdown (text + start, i - start);

          if (g_strcmp0 (scheme, "tftp") != 0 && g_strcmp0 (scheme, "http") != 0 &&
              g_strcmp0 (scheme, "https") != 0)
            return dp_scanner_fail (sc, start, error, DP_SCRIPT_ERROR_SYNTAX,
                                    _("unsupported ring file URL scheme '%s' "
                                    "(tftp, http or https)"), scheme);
          g_strlcpy (out->url_scheme, scheme, sizeof out->url_scheme);
          p = i + 3;
          break;
        }
      if (!g_ascii_isalpha (text[i]))
        break;
    }
  if (out->url_scheme[0] == '\0')
    g_strlcpy (out->url_scheme, "tftp", sizeof out->url_scheme);

  if (p < end && text[p] == '[')
    {
      host_start = ++p;
      while (p < end && (g_ascii_isxdigit (text[p]) || text[p] == ':' || text[p] == '.'))
        p++;
      host_end = p;
      if (p >= end || text[p] != ']' || host_end == host_start)
        return dp_scanner_fail (sc, p, error, DP_SCRIPT_ERROR_SYNTAX,
                                _("malformed IPv6 address in the ring file URL"));
      p++;
    }
  else
    {
      host_start = p;
      while (p < end && is_host_char (text[p]))
        p++;
      host_end = p;
      if (host_end == host_start)
        {
          g_autofree char *found = dp_scanner_describe (sc, p);
          return dp_scanner_fail (sc, p, error, DP_SCRIPT_ERROR_SYNTAX,
                                  _("expected a host name in the ring file URL, found %s"),
                                  p < end ? found : "nothing");
        }
    }
  memcpy (out->url_host, text + host_start, host_end - host_start);
  out->url_host[host_end - host_start] = '\0';

  if (g_str_equal (out->url_scheme, "tftp"))
    out->url_port = 69;
  else if (g_str_equal (out->url_scheme, "http"))
    out->url_port = 80;
  else
    out->url_port = 443;

  if (p < end && text[p] == ':')
    {
      gsize port_start = ++p;
      guint port = 0;

      while (p < end && g_ascii_isdigit (text[p]) && port <= 65535)
        port = port * 10 + (guint) (text[p++] - '0');
      if (p == port_start || port == 0 || port > 65535)
        return dp_scanner_fail (sc, port_start, error, DP_SCRIPT_ERROR_RANGE,
                                _("the ring file URL needs a port from 1 to 65535"));
      out->url_port = port;
    }

  if (p >= end || text[p] != '/' || p + 1 >= end)
    return dp_scanner_fail (sc, p, error, DP_SCRIPT_ERROR_SYNTAX,
                            _("expected '/' and a file path in the ring file URL"));
  for (gsize i = p; i < end; i++)
    if (g_ascii_isspace (text[i]) || (guchar) text[i] < 0x20 || text[i] == 0x7f)
      return dp_scanner_fail (sc, i, error, DP_SCRIPT_ERROR_SYNTAX,
                              _("the ring file path may not contain spaces or control characters"));
  memcpy (out->url_path, text + p, end - p);
  out->url_path[end - p] = '\0';
  return TRUE;
}

/* Parses a decimal field value that must fill [start, end). */
static gboolean
parse_seconds (DpScanner  *sc,
               gsize       end,
               const char *what,
               gint64     *ms,
               GError    **error)
{
  if (!dp_scanner_number (sc, 3, FALSE, FALSE, 0, MAX_SECONDS_MS, what, ms, error))
    return FALSE;
  dp_scanner_skip_space (sc);
  if (sc->pos != end)
    {
      g_autofree char *found = dp_scanner_describe (sc, sc->pos);
      return dp_scanner_fail (sc, sc->pos, error, DP_SCRIPT_ERROR_SYNTAX,
                              _("unexpected %s after %s"), found, what);
    }
  return TRUE;
}

/**
 * dp_ring_script_parse:
 * @text: a RingScript such as `n=Classic-1;w=3;c=1`
 * @out: (out caller-allocates): the decoded script
 * @error: return location for a #DP_SCRIPT_ERROR naming the position
 *
 * Returns: %TRUE if @text is a valid RingScript
 */
gboolean
dp_ring_script_parse (const char   *text,
                      DpRingScript *out,
                      GError      **error)
{
  DpScanner sc;
  gboolean seen[128] = { FALSE };
  gsize cadence_pos = 0;
  gboolean have_cadence = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->cadence = 1;
  out->break_ms = -1;
  out->total_ms = -1;

  dp_scanner_init (&sc, text, "RingScript");
  if (!dp_scanner_check_length (&sc, error))
    return FALSE;
  {
    const char *bad = NULL;

    /* The name ends up in menus, JSON and D-Bus strings, which need UTF-8. */
    if (!g_utf8_validate (text, -1, &bad))
      return dp_scanner_fail (&sc, (gsize) (bad - text), error, DP_SCRIPT_ERROR_SYNTAX,
                              _("invalid UTF-8"));
  }

  for (;;)
    {
      gsize key_pos, value_start, value_end;
      char key;

      dp_scanner_skip_space (&sc);
      key_pos = sc.pos;
      key = text[sc.pos];
      if (!g_ascii_isalpha (key))
        {
          g_autofree char *found = dp_scanner_describe (&sc, key_pos);
          return dp_scanner_fail (&sc, key_pos, error, DP_SCRIPT_ERROR_SYNTAX,
                                  _("expected a field name (n, w, c, b or t), found %s"), found);
        }
      {
        gsize key_len = 1;

        while (g_ascii_isalnum (text[key_pos + key_len]) || text[key_pos + key_len] == '_')
          key_len++;
        if (key_len != 1 || strchr ("nwcbt", key) == NULL)
          return dp_scanner_fail (&sc, key_pos, error, DP_SCRIPT_ERROR_SYNTAX,
                                  _("unknown field '%.*s' (n, w, c, b or t)"),
                                  (int) MIN (key_len, 16), text + key_pos);
      }
      if (seen[(guchar) key])
        return dp_scanner_fail (&sc, key_pos, error, DP_SCRIPT_ERROR_SYNTAX,
                                _("field '%c' given twice"), key);
      seen[(guchar) key] = TRUE;
      sc.pos++;
      if (!dp_scanner_expect (&sc, '=', _("after the field name"), error))
        return FALSE;

      dp_scanner_skip_space (&sc);
      value_start = sc.pos;
      value_end = value_start;
      while (text[value_end] != '\0' && text[value_end] != ';')
        value_end++;
      sc.pos = value_end;
      while (value_end > value_start && g_ascii_isspace (text[value_end - 1]))
        value_end--;

      if (value_end == value_start)
        return dp_scanner_fail (&sc, value_start, error, DP_SCRIPT_ERROR_SYNTAX,
                                _("field '%c' has no value"), key);

      switch (key)
        {
        case 'n':
          for (gsize i = value_start; i < value_end; i++)
            if ((guchar) text[i] < 0x20 || text[i] == 0x7f)
              return dp_scanner_fail (&sc, i, error, DP_SCRIPT_ERROR_SYNTAX,
                                      _("the ring name may not contain control characters"));
          memcpy (out->name, text + value_start, value_end - value_start);
          out->name[value_end - value_start] = '\0';
          break;

        case 'w':
          {
            gboolean numeric = TRUE;

            for (gsize i = value_start; i < value_end; i++)
              numeric = numeric && g_ascii_isdigit (text[i]);
            if (numeric)
              {
                guint id = 0;

                for (gsize i = value_start; i < value_end && id < 100; i++)
                  id = id * 10 + (guint) (text[i] - '0');
                if (id < 1 || id > 4)
                  return dp_scanner_fail (&sc, value_start, error, DP_SCRIPT_ERROR_RANGE,
                                          _("waveform must be 1 to 4 or a URL"));
                out->waveform = (DpRingWaveform) id;
              }
            else
              {
                out->waveform = DP_RING_WAVEFORM_URL;
                if (!parse_url (&sc, value_start, value_end, out, error))
                  return FALSE;
              }
          }
          break;

        case 'c':
          {
            gint64 cadence;
            DpScanner sub = sc;

            sub.pos = value_start;
            if (!dp_scanner_number (&sub, 0, FALSE, FALSE, 0, 9, _("the cadence number"),
                                    &cadence, error))
              return FALSE;
            if (sub.pos != value_end)
              {
                g_autofree char *found = dp_scanner_describe (&sc, sub.pos);
                return dp_scanner_fail (&sc, sub.pos, error, DP_SCRIPT_ERROR_SYNTAX,
                                        _("unexpected %s after the cadence number"), found);
              }
            out->cadence = (guint) cadence;
            cadence_pos = value_start;
            have_cadence = TRUE;
          }
          break;

        case 'b':
        case 't':
          {
            DpScanner sub = sc;

            sub.pos = value_start;
            if (!parse_seconds (&sub, value_end,
                                key == 'b' ? _("the break in seconds") : _("the total time in seconds"),
                                key == 'b' ? &out->break_ms : &out->total_ms, error))
              return FALSE;
          }
          break;

        default:
          g_assert_not_reached ();
        }

      if (!dp_scanner_accept (&sc, ';'))
        break;
      /* A trailing ';' ends the script like the SPA's own default values. */
      if (dp_scanner_at_end (&sc))
        break;
    }

  if (!seen['n'])
    return dp_scanner_fail (&sc, sc.pos, error, DP_SCRIPT_ERROR_SYNTAX,
                            _("the ring name (n=) is missing"));
  if (!seen['w'])
    return dp_scanner_fail (&sc, sc.pos, error, DP_SCRIPT_ERROR_SYNTAX,
                            _("the waveform (w=) is missing"));
  if (have_cadence && out->cadence == 0 &&
      (out->waveform == DP_RING_WAVEFORM_CLASSIC_BELL ||
       out->waveform == DP_RING_WAVEFORM_TYPICAL_RING))
    return dp_scanner_fail (&sc, cadence_pos, error, DP_SCRIPT_ERROR_RANGE,
                            _("c=0 (natural length) needs w=3, w=4 or a URL"));
  return TRUE;
}

/**
 * dp_ring_script_check:
 * @value: a parameter value
 * @error: return location for a #GError naming the position
 *
 * The #DpSyntaxCheckFunc of the "ringscript" syntax. The empty value is
 * accepted (the ring slot is unused).
 *
 * Returns: %TRUE if @value is empty or a valid RingScript
 */
gboolean
dp_ring_script_check (const char *value,
                      GError    **error)
{
  DpRingScript script;

  g_return_val_if_fail (value != NULL, FALSE);
  return value[0] == '\0' || dp_ring_script_parse (value, &script, error);
}
