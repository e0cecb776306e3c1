/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dp-media-dtmf-tone.h"

#include <math.h>

/* Q.23: rows 697/770/852/941 Hz, columns 1209/1336/1477/1633 Hz. */
static const char keypad[4][5] = { "123A", "456B", "789C", "*0#D" };
static const double row_hz[4] = { 697, 770, 852, 941 };
static const double column_hz[4] = { 1209, 1336, 1477, 1633 };

gboolean
dp_dtmf_tone_frequencies (char digit, double *low_hz, double *high_hz)
{
  char upper = g_ascii_toupper (digit);

  for (guint row = 0; row < 4 && upper != '\0'; row++)
    for (guint column = 0; column < 4; column++)
      if (keypad[row][column] == upper)
        {
          *low_hz = row_hz[row];
          *high_hz = column_hz[column];
          return TRUE;
        }
  return FALSE;
}

void
dp_dtmf_tone_fill (gint16 *samples, gsize n_samples, guint rate, char digit, guint64 *position)
{
  /* -10 dBFS of a full-scale sine: 32767 * 10^(-10/20). */
  const double amplitude = 32767.0 * 0.316;
  double low, high;

  if (!dp_dtmf_tone_frequencies (digit, &low, &high) || rate == 0)
    return;
  for (gsize i = 0; i < n_samples; i++)
    {
      double t = (double) (*position + i) / rate;

      samples[i] = (gint16) lrint (amplitude * (sin (2 * G_PI * low * t) + sin (2 * G_PI * high * t)));
    }
  *position += n_samples;
}
