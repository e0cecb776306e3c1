/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gst/gst.h>
#include "dp-gst-media-session.h"

G_BEGIN_DECLS

/**
 * DpGstConference:
 *
 * The local three-way conference: one pipeline holding the local audio
 * device and three audiomixers, between two call sessions (legs):
 *
 *   Audio_Source ! convert ! tee ─ queue ─► mix0 ! appsink ─► leg 0 sends
 *                                └ queue ─► mix1 ! appsink ─► leg 1 sends
 *   leg 0 decoded ─► appsrc ─► mix1,  appsrc ─► mixspk
 *   leg 1 decoded ─► appsrc ─► mix0,  appsrc ─► mixspk ! Audio_Sink
 *
 * so each far end hears the microphone and the other far end, the speaker
 * hears both far ends and nobody hears themselves. A leg's own pipeline
 * keeps its RTP/SRTP half untouched and only swaps its device source and
 * sink for an appsrc/appsink pair bridged to these elements (buffers are
 * handed over by reference, not copied).
 *
 * Why this design: the sessions stay one pipeline per call (a re-INVITE
 * rebuilds only its own call, SRTP keys and sockets are untouched), the
 * device is opened once, and the mixing costs three audiomixers at the
 * mixing rate, mono. Audio handed to another pipeline is
 * stamped on that pipeline's clock, continuing the previous buffer's
 * timeline while it stays close to the clock (so network jitter makes no
 * clicks and RTP timestamps stay regular); the bridges' queues are short
 * and leaky so clock drift between pipelines never builds up delay.
 */
typedef struct _DpGstConference DpGstConference;

/* The mixing rate, chosen when the conference starts: 8 kHz when both
 * legs' codecs are narrowband (G.711), else 16 kHz (G.722 stays wideband;
 * Opus is mixed as wideband). A leg that switches codec later keeps the
 * rate chosen. */
#define DP_GST_CONFERENCE_RATE_NARROW 8000
#define DP_GST_CONFERENCE_RATE_WIDE 16000
/* audiomixer's extra wait for late inputs (aggregator "latency"). */
#define DP_GST_CONFERENCE_LATENCY_MS 30

/* Starts mixing @a and @b (both negotiated, neither in a conference). The
 * conference ends by itself when either session stops. */
gboolean dp_gst_conference_join        (DpGstMediaSession  *a,
                                        DpGstMediaSession  *b,
                                        GError            **error);

/* DpMediaProviderInterface.join_sessions for the media plugin: the
 * sessions must be DpGstMediaSessions. */
gboolean dp_gst_conference_join_sessions (DpMediaSession  *a,
                                          DpMediaSession  *b,
                                          GError         **error);

/* For DpGstMediaSession, while it builds a pipeline for leg @leg: adds the
 * appsrc (*source, what the leg sends) and appsink (*sink, what it
 * received) to @pipeline and bridges them to the conference. */
gboolean dp_gst_conference_add_leg     (DpGstConference    *self,
                                        guint               leg,
                                        GstElement         *pipeline,
                                        GstElement        **source,
                                        GstElement        **sink,
                                        GError            **error);
/* Before that pipeline goes down: the conference stops feeding it. */
void     dp_gst_conference_remove_leg  (DpGstConference    *self,
                                        guint               leg);
/* The session of @leg stopped: the other one goes back to the local
 * device alone and the conference is freed. */
void     dp_gst_conference_leave       (DpGstConference    *self,
                                        guint               leg);

G_END_DECLS
