/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * gzip inflation of profiles (spec §1.7.1), bounded so that a small
 * compressed file cannot expand past DP_PROFILE_MAX_SIZE. */
#define G_LOG_DOMAIN "dp-profile"

#include "dp-profile-private.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include <string.h>
#include <zlib.h>

#define CHUNK (64 * 1024)

/**
 * dp_profile_inflate:
 * @data: gzip data (RFC 1952); several members are inflated one after another
 * @error: return location for a #GError
 *
 * Inflates @data. Output past %DP_PROFILE_MAX_SIZE is
 * %DP_PROFILE_ERROR_TOO_LARGE, a stream that ends early is
 * %DP_PROFILE_ERROR_TRUNCATED, corrupt data or bytes after the last member
 * that are not another gzip member are %DP_PROFILE_ERROR_MALFORMED (with the
 * offset in the compressed data).
 *
 * Returns: (transfer full): the inflated bytes, or %NULL with @error set
 */
GBytes *
dp_profile_inflate (GBytes  *data,
                    GError **error)
{
  g_autoptr(GByteArray) out = NULL;
  const guint8 *input;
  gsize length;
  z_stream stream;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  input = g_bytes_get_data (data, &length);
  if (length > DP_PROFILE_MAX_SIZE)
    {
      g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TOO_LARGE,
                   _("compressed profile is %zu bytes, more than the limit of %d"),
                   length, DP_PROFILE_MAX_SIZE);
      return NULL;
    }
  if (!dp_profile_is_gzip (data))
    {
      g_set_error_literal (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED,
                           _("offset 0: not gzip data (no 1f 8b magic)"));
      return NULL;
    }

  memset (&stream, 0, sizeof stream);
  /* 16 + MAX_WBITS: gzip wrapper only, so a raw zlib stream is refused. */
  rc = inflateInit2 (&stream, 16 + MAX_WBITS);
  if (rc != Z_OK)
    {
      g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED,
                   _("cannot start inflating: %s"), zError (rc));
      return NULL;
    }
  stream.next_in = (Bytef *) input;
  stream.avail_in = (uInt) length;
  out = g_byte_array_new ();

  while (ok)
    {
      gsize before = out->len;
      gsize room = MIN ((gsize) CHUNK, (gsize) DP_PROFILE_MAX_SIZE + 1 - out->len);

      /* One byte of room past the limit tells "exactly the limit" from "more". */
      g_byte_array_set_size (out, out->len + room);
      stream.next_out = out->data + before;
      stream.avail_out = (uInt) room;
      rc = inflate (&stream, Z_NO_FLUSH);
      g_byte_array_set_size (out, before + (room - stream.avail_out));

      if (out->len > DP_PROFILE_MAX_SIZE)
        {
          g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TOO_LARGE,
                       _("inflated profile is larger than the limit of %d bytes"),
                       DP_PROFILE_MAX_SIZE);
          ok = FALSE;
        }
      else if (rc == Z_STREAM_END)
        {
          if (stream.avail_in == 0)
            break;
          /* gzip allows members back to back (`cat a.gz b.gz`). */
          if (stream.avail_in >= 2 && stream.next_in[0] == 0x1f && stream.next_in[1] == 0x8b)
            {
              inflateReset (&stream);
              continue;
            }
          g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED,
                       _("offset %zu: data after the end of the gzip stream"),
                       length - stream.avail_in);
          ok = FALSE;
        }
      else if (rc == Z_OK)
        {
          continue;
        }
      else if (rc == Z_BUF_ERROR && stream.avail_in == 0)
        {
          g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TRUNCATED,
                       _("gzip data ends early (after %zu bytes)"), length);
          ok = FALSE;
        }
      else
        {
          g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED,
                       _("offset %zu: corrupt gzip data: %s"),
                       length - stream.avail_in,
                       stream.msg != NULL ? stream.msg : zError (rc));
          ok = FALSE;
        }
    }
  inflateEnd (&stream);

  if (!ok)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
