/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Symmetric RTP (SPA `Symmetric_RTP`, default No): once a packet has
 * passed @pad (an rtpbin receive sink pad, so after SRTP authentication
 * when the call is secure), @udpsink sends to the address and port that
 * packet came from instead of the one in the peer's SDP. Follows later
 * changes too (the peer's NAT binding moved). */
void dp_gst_symmetric_follow (GstPad     *pad,
                              GstElement *udpsink);

G_END_DECLS
