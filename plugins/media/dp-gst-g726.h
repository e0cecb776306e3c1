/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * G.726 (16/24/32/40 kbit/s) as GStreamer elements over spandsp, in RFC
 * 3551 bit order (spandsp's G726_PACKING_RIGHT: the first code in the
 * least significant bits). avenc_g726 (ffmpeg) fixes its frame at 1,640 to
 * 4,096 samples, i.e. 205 to 512 ms of added delay on every call; these
 * encode each 10 ms as it comes.
 *
 *   dpg726enc bitrate=32000: audio/x-raw S16LE 8000 mono ->
 *                            audio/x-adpcm layout=g726 bitrate=32000
 *   dpg726dec:               the reverse, the bit rate from the caps
 *   aal2=true (both):        AAL2 order instead (the first code in the most
 *                            significant bits), which some peers (baresip
 *                            1.0, older Sipura firmware by Asterisk's account)
 *                            send under the RFC 3551 name
 *
 * rtpg726pay/rtpg726depay carry the bytes as they are with force-aal2=true
 * (their own RFC 3551 reordering is wrong for 3- and 5-bit codes in 1.22).
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Registers both elements with GStreamer (once; after gst_init). */
gboolean dp_gst_g726_register (void);

G_END_DECLS
