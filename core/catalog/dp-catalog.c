/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-catalog"

#include <string.h>

#include "dp-catalog-private.h"

/**
 * dp_catalog_spa:
 * @n_decls: (out): the number of rows
 *
 * See dp-catalog.h.
 *
 * Returns: (transfer none) (array length=n_decls): the catalogue
 */
const DpParamDecl *
dp_catalog_spa (gsize *n_decls)
{
  /* The tables live in separate translation units, so their lengths are not
   * constant expressions here: join them once at run time. The joined array
   * is kept for the life of the process, like the tables themselves. */
  static DpParamDecl *joined;
  static gsize joined_len;

  g_return_val_if_fail (n_decls != NULL, NULL);

  if (g_once_init_enter (&joined))
    {
      const struct { const DpParamDecl *rows; gsize len; } tabs[] = {
        { dp_catalog_info, dp_catalog_info_len },
        { dp_catalog_system, dp_catalog_system_len },
        { dp_catalog_sip, dp_catalog_sip_len },
        { dp_catalog_provisioning, dp_catalog_provisioning_len },
        { dp_catalog_regional, dp_catalog_regional_len },
        { dp_catalog_phone, dp_catalog_phone_len },
        { dp_catalog_ext, dp_catalog_ext_len },
        { dp_catalog_user, dp_catalog_user_len },
        { dp_catalog_spa932, dp_catalog_spa932_len },
      };
      gsize total = 0, at = 0;
      DpParamDecl *all;

      for (gsize t = 0; t < G_N_ELEMENTS (tabs); t++)
        total += tabs[t].len;
      all = g_new (DpParamDecl, total);
      for (gsize t = 0; t < G_N_ELEMENTS (tabs); t++)
        {
          memcpy (all + at, tabs[t].rows, tabs[t].len * sizeof (DpParamDecl));
          at += tabs[t].len;
        }
      joined_len = total;
      g_once_init_leave (&joined, all);
    }

  *n_decls = joined_len;
  return joined;
}
