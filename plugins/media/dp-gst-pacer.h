/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Sends an RTP stream at its timestamps. Some encoders hand over many
 * packets' worth at once (avenc_g726: a frame of about 1024 bytes, 256 ms
 * at 32 kbit/s); sent as they come, those bursts reach the peer's jitter
 * buffer as timestamp jumps, heard as clicks.
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Adds a queue and a clocksync to @pipeline (unlinked: the caller links
 * stream ! queue ! clocksync ! onwards) and returns the queue; *@out is the
 * clocksync. The queue keeps the upstream thread (the capture's) free
 * while clocksync waits, up to a frame (a capture ring buffer would
 * overrun). NULL when an element is missing. The delay
 * is learnt from the first packet of payload type @audio_pt, plus @slack_ms
 * (later frames can reach the pacer a little later than the first did);
 * packets before it (telephone-event) pass as they come. */
GstElement *dp_gst_pacer_add (GstElement  *pipeline,
                              guint        audio_pt,
                              guint        slack_ms,
                              GstElement **out,
                              GError     **error);

G_END_DECLS
