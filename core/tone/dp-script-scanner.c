/* SPDX-License-Identifier: GPL-2.0-or-later */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "dp-tone"

#include "dp-script-scanner.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>
#include "dp-script.h"

#include <stdarg.h>

void
dp_scanner_init (DpScanner  *sc,
                 const char *text,
                 const char *kind)
{
  sc->text = text;
  sc->pos = 0;
  sc->kind = kind;
}

gboolean
dp_scanner_check_length (DpScanner *sc,
                         GError   **error)
{
  gsize len = strlen (sc->text);

  if (len > DP_SCRIPT_MAX_LENGTH)
    return dp_scanner_fail (sc, DP_SCRIPT_MAX_LENGTH, error, DP_SCRIPT_ERROR_LIMIT,
                            _("script is %zu characters long, "
                            "longer than the limit of %d"), len, DP_SCRIPT_MAX_LENGTH);
  return TRUE;
}

void
dp_scanner_skip_space (DpScanner *sc)
{
  while (sc->text[sc->pos] != '\0' && g_ascii_isspace (sc->text[sc->pos]))
    sc->pos++;
}

char
dp_scanner_peek (DpScanner *sc)
{
  dp_scanner_skip_space (sc);
  return sc->text[sc->pos];
}

gboolean
dp_scanner_at_end (DpScanner *sc)
{
  return dp_scanner_peek (sc) == '\0';
}

gboolean
dp_scanner_accept (DpScanner *sc,
                   char       c)
{
  if (dp_scanner_peek (sc) != c)
    return FALSE;
  sc->pos++;
  return TRUE;
}

char *
dp_scanner_describe (DpScanner *sc,
                     gsize      pos)
{
  guchar c = (guchar) sc->text[pos];

  if (c == '\0')
    return g_strdup (_("the end of the script"));
  if (g_ascii_isprint (c))
    return g_strdup_printf ("'%c'", c);
  return g_strdup_printf ("byte 0x%02x", c);
}

gboolean
dp_scanner_fail (DpScanner  *sc,
                 gsize       pos,
                 GError    **error,
                 int         code,
                 const char *format,
                 ...)
{
  va_list args;
  g_autofree char *problem = NULL;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DP_SCRIPT_ERROR, code, _("%s: position %zu: %s"),
               sc->kind, pos + 1, problem);
  return FALSE;
}

gboolean
dp_scanner_expect (DpScanner  *sc,
                   char        c,
                   const char *context,
                   GError    **error)
{
  g_autofree char *found = NULL;

  if (dp_scanner_accept (sc, c))
    return TRUE;
  found = dp_scanner_describe (sc, sc->pos);
  return dp_scanner_fail (sc, sc->pos, error, DP_SCRIPT_ERROR_SYNTAX,
                          _("expected '%c' %s, found %s"), c, context, found);
}

gboolean
dp_scanner_number (DpScanner  *sc,
                   guint       decimals,
                   gboolean    allow_star,
                   gboolean    allow_sign,
                   gint64      min_scaled,
                   gint64      max_scaled,
                   const char *what,
                   gint64     *out,
                   GError    **error)
{
  gsize start;
  gboolean negative = FALSE;
  gboolean any_digit = FALSE;
  gint64 value = 0;
  gint64 scale = 1;
  guint n_decimals = 0;

  dp_scanner_skip_space (sc);
  start = sc->pos;

  if (allow_star && sc->text[sc->pos] == '*')
    {
      sc->pos++;
      *out = -1;
      return TRUE;
    }
  if (allow_sign && (sc->text[sc->pos] == '-' || sc->text[sc->pos] == '+'))
    {
      negative = sc->text[sc->pos] == '-';
      sc->pos++;
    }

  for (guint i = 0; i < decimals; i++)
    scale *= 10;

  /* The bound is checked digit by digit so that a long run of digits can
   * never overflow. */
  while (g_ascii_isdigit (sc->text[sc->pos]))
    {
      value = value * 10 + (sc->text[sc->pos] - '0');
      any_digit = TRUE;
      sc->pos++;
      if (value > G_MAXINT32)
        return dp_scanner_fail (sc, start, error, DP_SCRIPT_ERROR_RANGE,
                                _("%s is too large"), what);
    }
  value *= scale;

  if (sc->text[sc->pos] == '.')
    {
      gint64 place = scale;

      if (decimals == 0)
        return dp_scanner_fail (sc, sc->pos, error, DP_SCRIPT_ERROR_RANGE,
                                _("%s must be a whole number"), what);
      sc->pos++;
      while (g_ascii_isdigit (sc->text[sc->pos]))
        {
          if (n_decimals == decimals)
            return dp_scanner_fail (sc, sc->pos, error, DP_SCRIPT_ERROR_RANGE,
                                    _("%s has more than %u decimal%s"), what, decimals,
                                    decimals == 1 ? "" : "s");
          place /= 10;
          value += place * (sc->text[sc->pos] - '0');
          n_decimals++;
          any_digit = TRUE;
          sc->pos++;
        }
    }

  if (!any_digit)
    {
      g_autofree char *found = dp_scanner_describe (sc, start);
      return dp_scanner_fail (sc, start, error, DP_SCRIPT_ERROR_SYNTAX,
                              _("expected %s%s, found %s"), what,
                              allow_star ? _(" (a number or '*')") : " (a number)", found);
    }

  if (negative)
    value = -value;
  if (value < min_scaled || value > max_scaled)
    {
      char lo[G_ASCII_DTOSTR_BUF_SIZE], hi[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (lo, sizeof lo, (double) min_scaled / scale);
      g_ascii_dtostr (hi, sizeof hi, (double) max_scaled / scale);
      return dp_scanner_fail (sc, start, error, DP_SCRIPT_ERROR_RANGE,
                              _("%s is out of range (%s to %s)"), what, lo, hi);
    }
  *out = value;
  return TRUE;
}
