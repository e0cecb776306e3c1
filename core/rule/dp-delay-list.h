/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/**
 * SECTION:dp-delay-list
 * @title: Delay lists
 * @short_description: `Resync_Periodic`, `Resync_Error_Retry_Delay`,
 *   `Upgrade_Error_Retry_Delay` values
 *
 * Grammar (spec §1.1 "extended delay syntax"; the plain integer is the
 * SPA9x2 5.x form):
 * |[
 * list  := item ( ',' item )*
 * item  := BASE [ '+' RANDOM ]          (decimal seconds, 0 … 2147483647)
 * ]|
 * Blanks around items, commas and `+` are allowed. Item n (0-based) is the
 * delay of the (n+1)-th consecutive attempt; the last item repeats forever.
 * `BASE+RANDOM` waits BASE plus a uniformly random 0 … RANDOM seconds.
 * An empty value is the same as `0`.
 *
 * Errors read `"Delay list: position N: problem"` (N 1-based, in bytes).
 * The syntax is registered as `delaylist` (dp_delay_list_check()).
 */

#define DP_DELAY_MAX 2147483647u

typedef struct {
  guint32 base;
  guint32 random;
} DpDelay;

GArray  *dp_delay_list_parse (const char  *text,
                                   GError     **error);
gboolean dp_delay_list_check (const char  *value,
                                   GError     **error);
double   dp_delay_list_pick  (GArray      *list,
                                   guint        attempt,
                                   GRand       *rand);

G_END_DECLS
