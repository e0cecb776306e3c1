/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * G.726 bit packing on the wire. avenc_g726 writes (and avdec_g726 reads)
 * the codes most significant bit first, the AAL2 order (ITU-T I.366.2);
 * RFC 3551 (4.5.4) puts the first code in the least significant bits of
 * the first octet. GStreamer's rtpg726pay/rtpg726depay convert only the
 * 2- and 4-bit codes correctly (their 3- and 5-bit masks overlap in 1.22),
 * so the session keeps them at force-aal2=true and repacks here.
 */
#pragma once

#include <glib.h>
#include <gst/gst.h>

G_BEGIN_DECLS

/* Repacks @len bytes of @bits-bit codes (2-5) in place: from AAL2 to
 * RFC 3551 order when @to_rfc3551, else back. Bits after the last whole
 * code come out zero. */
void dp_g726_repack (guint8 *data, gsize len, guint bits, gboolean to_rfc3551);

/* Makes @pay (an rtpg726pay at force-aal2=true) send RFC 3551 order and
 * @depay (an rtpg726depay at force-aal2=true) take it, by repacking the
 * RTP payloads on their pads. */
void dp_g726_packing_attach (GstElement *pay, GstElement *depay, guint bits);

G_END_DECLS
