/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-core"

#include "dp-call-provider.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

G_DEFINE_INTERFACE (DpCallProvider, dp_call_provider, G_TYPE_OBJECT)

static void
dp_call_provider_default_init (DpCallProviderInterface *iface)
{
}

/**
 * dp_call_provider_dial:
 * @self: a #DpCallProvider
 * @line: the line, from 1
 * @target: a complete number or a SIP URI
 * @error: return location for a #GError
 *
 * Returns: (transfer none) (nullable): the new call, owned by the core
 */
DpCall *
dp_call_provider_dial (DpCallProvider *self, guint line, const char *target, GError **error)
{
  DpCallProviderInterface *iface;

  g_return_val_if_fail (DP_IS_CALL_PROVIDER (self), NULL);

  iface = DP_CALL_PROVIDER_GET_IFACE (self);
  if (iface->dial == NULL)
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_NOT_SUPPORTED,
                           _("the call provider cannot place calls"));
      return NULL;
    }
  return iface->dial (self, line, target, error);
}
