/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * In-band DTMF (ITU-T Q.23 dual tones), written into a call's outgoing
 * audio when the peer takes no RFC 4733 telephone-event or the line's
 * DTMF_Tx_Method is InBand. No GStreamer here: the session's probe calls
 * it on the raw samples.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Q.23's low (row) and high (column) frequency of @digit (0-9 * # A-D);
 * FALSE for anything else. */
gboolean dp_dtmf_tone_frequencies (char    digit,
                                   double *low_hz,
                                   double *high_hz);

/* Overwrites @n_samples mono S16 samples at @rate with @digit's tones,
 * each at -10 dBFS (Q.24 asks for about -10 dBm0 per tone with the high
 * one slightly louder; equal levels are within every receiver's twist
 * limit). *@position counts samples since the digit began, so tones stay
 * phase-continuous across buffers. */
void     dp_dtmf_tone_fill        (gint16  *samples,
                                   gsize    n_samples,
                                   guint    rate,
                                   char     digit,
                                   guint64 *position);

G_END_DECLS
