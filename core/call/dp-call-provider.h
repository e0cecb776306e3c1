/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include "dp-call.h"

G_BEGIN_DECLS

#define DP_TYPE_CALL_PROVIDER (dp_call_provider_get_type ())
G_DECLARE_INTERFACE (DpCallProvider, dp_call_provider, DP, CALL_PROVIDER, GObject)

/**
 * DpCallProviderInterface:
 * @g_iface: the parent interface
 * @dial: place a call on @line (1-based) to @target, a complete number
 *   (already through the dial plan) or a SIP URI. Returns the new call, which
 *   the provider has also added to the core with dp_core_add_call().
 *
 * Implemented by the plugin that places calls (sip). The core routes
 * dp_core_dial() here; a vendor can replace the provider without touching
 * anything else.
 */
struct _DpCallProviderInterface
{
  GTypeInterface g_iface;

  DpCall * (*dial) (DpCallProvider  *self,
                    guint            line,
                    const char      *target,
                    GError         **error);
};

DpCall *dp_call_provider_dial (DpCallProvider  *self,
                               guint            line,
                               const char      *target,
                               GError         **error);

G_END_DECLS
