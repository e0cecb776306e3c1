/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * G.726 AAL2 <-> RFC 3551 bit order (see the header).
 */
#define G_LOG_DOMAIN "dp-media"

#include "dp-g726-packing.h"

#include <gst/rtp/gstrtpbuffer.h>
#include <string.h>

/* Bit @pos of a stream read most significant bit first. */
static guint
bit_msb_first (const guint8 *data, gsize pos)
{
  return (data[pos / 8] >> (7 - pos % 8)) & 1;
}

static guint
bit_lsb_first (const guint8 *data, gsize pos)
{
  return (data[pos / 8] >> (pos % 8)) & 1;
}

void
dp_g726_repack (guint8 *data, gsize len, guint bits, gboolean to_rfc3551)
{
  g_autofree guint8 *in = g_memdup2 (data, len);
  gsize n_codes;

  g_return_if_fail (bits >= 2 && bits <= 5);
  n_codes = len * 8 / bits;
  memset (data, 0, len);
  for (gsize k = 0; k < n_codes; k++)
    for (guint i = 0; i < bits; i++)
      {
        /* Bit i of code k (0 = least significant): AAL2 puts it at stream
         * position k*bits + bits-1-i read MSB first, RFC 3551 at k*bits + i
         * read LSB first. */
        gsize aal2_pos = k * bits + bits - 1 - i;
        gsize rfc_pos = k * bits + i;

        if (to_rfc3551)
          data[rfc_pos / 8] |= bit_msb_first (in, aal2_pos) << (rfc_pos % 8);
        else
          data[aal2_pos / 8] |= bit_lsb_first (in, rfc_pos) << (7 - aal2_pos % 8);
      }
}

typedef struct {
  guint bits;
  gboolean to_rfc3551;
} Packing;

static gboolean
repack_rtp (GstBuffer **buffer, const Packing *packing)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

  *buffer = gst_buffer_make_writable (*buffer);
  if (!gst_rtp_buffer_map (*buffer, GST_MAP_READWRITE, &rtp))
    return FALSE;   /* not RTP: the depayloader drops it with a warning */
  dp_g726_repack (gst_rtp_buffer_get_payload (&rtp), gst_rtp_buffer_get_payload_len (&rtp),
                  packing->bits, packing->to_rfc3551);
  gst_rtp_buffer_unmap (&rtp);
  return TRUE;
}

static gboolean
repack_list_item (GstBuffer **buffer, guint idx, gpointer user_data)
{
  repack_rtp (buffer, user_data);
  return TRUE;
}

static GstPadProbeReturn
on_rtp_data (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    {
      GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

      repack_rtp (&buffer, user_data);
      GST_PAD_PROBE_INFO_DATA (info) = buffer;
    }
  else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    {
      GstBufferList *list = gst_buffer_list_make_writable (GST_PAD_PROBE_INFO_BUFFER_LIST (info));

      gst_buffer_list_foreach (list, repack_list_item, user_data);
      GST_PAD_PROBE_INFO_DATA (info) = list;
    }
  return GST_PAD_PROBE_OK;
}

static void
add_probe (GstElement *element, const char *pad_name, guint bits, gboolean to_rfc3551)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (element, pad_name);
  Packing *packing = g_new (Packing, 1);

  packing->bits = bits;
  packing->to_rfc3551 = to_rfc3551;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     on_rtp_data, packing, g_free);
}

void
dp_g726_packing_attach (GstElement *pay, GstElement *depay, guint bits)
{
  add_probe (pay, "src", bits, TRUE);
  add_probe (depay, "sink", bits, FALSE);
}
