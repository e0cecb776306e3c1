/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * RTP pacing (see the header).
 */
#define G_LOG_DOMAIN "dp-media"

#include "dp-gst-pacer.h"
#include "dp-gst-media-session.h"

#include <gst/rtp/gstrtpbuffer.h>

typedef struct {
  guint audio_pt;
  GstClockTimeDiff slack;
} Pacer;

/* On clocksync's sink pad, so the offset is in place before the first
 * audio packet is synchronised: that packet then leaves at once, and each
 * later one as long after it as their timestamps say. */
static GstPadProbeReturn
on_packet (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  const Pacer *pacer = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstElement *clocksync = GST_PAD_PARENT (pad);
  g_autoptr(GstEvent) event = gst_pad_get_sticky_event (pad, GST_EVENT_SEGMENT, 0);
  g_autoptr(GstClock) clock = gst_element_get_clock (clocksync);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  const GstSegment *segment;
  GstClockTime running, now;
  guint pt;

  if (event == NULL || clock == NULL || !GST_BUFFER_PTS_IS_VALID (buffer) ||
      !gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp))
    return GST_PAD_PROBE_OK;
  pt = gst_rtp_buffer_get_payload_type (&rtp);
  gst_rtp_buffer_unmap (&rtp);
  if (pt != pacer->audio_pt)
    return GST_PAD_PROBE_OK;
  gst_event_parse_segment (event, &segment);
  running = gst_segment_to_running_time (segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buffer));
  if (!GST_CLOCK_TIME_IS_VALID (running))
    return GST_PAD_PROBE_OK;
  now = gst_clock_get_time (clock) - gst_element_get_base_time (clocksync);
  g_object_set (clocksync, "ts-offset", GST_CLOCK_DIFF (running, now) + pacer->slack, NULL);
  return GST_PAD_PROBE_REMOVE;
}

GstElement *
dp_gst_pacer_add (GstElement *pipeline, guint audio_pt, guint slack_ms, GstElement **out,
                  GError **error)
{
  GstElement *queue = dp_gst_bin_add_new (pipeline, "queue", error);
  GstElement *clocksync = queue != NULL ? dp_gst_bin_add_new (pipeline, "clocksync", error) : NULL;
  g_autoptr(GstPad) sink = NULL;
  Pacer *pacer;

  if (clocksync == NULL)
    return NULL;
  pacer = g_new (Pacer, 1);
  pacer->audio_pt = audio_pt;
  pacer->slack = (GstClockTimeDiff) slack_ms * GST_MSECOND;
  sink = gst_element_get_static_pad (clocksync, "sink");
  gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER, on_packet, pacer, g_free);
  *out = clocksync;
  return queue;
}
