/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for the provisioning parsers that see bytes from the network
 * or the configuration: TFTP packets (dp_prov_tftp_parse) and the
 * Provisioning_Key_Pins list (dp_prov_pins_parse). The first byte picks the
 * parser so one corpus covers both. */
#include "dp-prov-tftp.h"
#include "dp-prov-trust.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;

  if (data[0] & 1)
    {
      g_autofree char *text = g_strndup ((const char *) data + 1, size - 1);
      g_autoptr(GPtrArray) pins = dp_prov_pins_parse (text, NULL);

      if (pins != NULL)
        for (guint i = 0; i < pins->len; i++)
          g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (pins, i)), ==, DP_PROV_PIN_SIZE);
    }
  else
    {
      /* A copy of exactly the input size, so ASan sees any overread. */
      g_autofree guint8 *packet = g_memdup2 (data + 1, size - 1);
      DpProvTftpPacket parsed;
      g_autoptr(GError) error = NULL;

      if (dp_prov_tftp_parse (packet, size - 1, &parsed, &error))
        {
          if (parsed.data != NULL)
            g_assert_true (parsed.data >= packet && parsed.data + parsed.data_len <= packet + size - 1);
          g_assert_cmpuint (parsed.data_len, <=, size - 1);
        }
      else
        g_assert_nonnull (error);
    }
  return 0;
}
