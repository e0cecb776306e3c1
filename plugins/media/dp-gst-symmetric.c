/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Symmetric RTP: a pad probe reads the source address udpsrc attached to
 * each packet (GstNetAddressMeta) and points the udpsink at it when it
 * differs from where the sink sends now. */
#define G_LOG_DOMAIN "dp-media"

#include "dp-gst-symmetric.h"

#include <gio/gio.h>
#include <gst/net/gstnetaddressmeta.h>

typedef struct {
  GstElement *udpsink;
  GSocketAddress *current;   /* streaming thread only */
} Follow;

static void
follow_free (gpointer data)
{
  Follow *follow = data;

  gst_object_unref (follow->udpsink);
  g_clear_object (&follow->current);
  g_free (follow);
}

static gboolean
same_address (GSocketAddress *a, GSocketAddress *b)
{
  GInetSocketAddress *x = G_INET_SOCKET_ADDRESS (a), *y = G_INET_SOCKET_ADDRESS (b);

  return g_inet_socket_address_get_port (x) == g_inet_socket_address_get_port (y) &&
         g_inet_address_equal (g_inet_socket_address_get_address (x),
                               g_inet_socket_address_get_address (y));
}

static GstPadProbeReturn
on_packet (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Follow *follow = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstNetAddressMeta *meta = buffer != NULL ? gst_buffer_get_net_address_meta (buffer) : NULL;
  g_autofree char *host = NULL;
  guint port;

  if (meta == NULL || !G_IS_INET_SOCKET_ADDRESS (meta->addr) ||
      (follow->current != NULL && same_address (follow->current, meta->addr)))
    return GST_PAD_PROBE_OK;
  g_set_object (&follow->current, meta->addr);
  host = g_inet_address_to_string (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (meta->addr)));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (meta->addr));
  /* udpsink replaces its destination under its own lock. */
  g_object_set (follow->udpsink, "host", host, "port", (int) port, NULL);
  g_message ("symmetric RTP: %s now sends to %s:%u", GST_ELEMENT_NAME (follow->udpsink), host,
             port);
  return GST_PAD_PROBE_OK;
}

void
dp_gst_symmetric_follow (GstPad *pad, GstElement *udpsink)
{
  Follow *follow = g_new0 (Follow, 1);

  follow->udpsink = gst_object_ref (udpsink);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_packet, follow, follow_free);
}
