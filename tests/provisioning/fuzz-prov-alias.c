/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target: the provisioning engine's own parsers over hostile bytes:
 * delay lists, alias maps, and a foreign XML document through an alias
 * map. Input: "map\0document"; the first part is also read as a delay
 * list. */
#include <deskphone.h>
#include <stdint.h>
#include <string.h>

#include "dp-prov-alias.h"
#include "dp-delay-list.h"
#include "dp-prov-upgrade.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const uint8_t *nul = memchr (data, 0, size);
  gsize map_len = nul != NULL ? (gsize) (nul - data) : size;
  g_autofree char *map_text = g_strndup ((const char *) data, map_len);
  g_autoptr(GArray) delays = NULL;
  g_autoptr(GPtrArray) map = NULL;
  g_autofree char *version = NULL;

  delays = dp_delay_list_parse (map_text, NULL);
  if (delays != NULL)
    (void) dp_delay_list_pick (delays, 3, NULL);
  version = dp_prov_upgrade_version_from_path (map_text);
  map = dp_prov_alias_map_parse (map_text, NULL);
  if (map != NULL && nul != NULL)
    {
      gsize doc_len = size - map_len - 1;
      DpProfile *profile = dp_prov_alias_apply (map, (const char *) nul + 1, doc_len, NULL);

      g_clear_object (&profile);
    }
  return 0;
}
