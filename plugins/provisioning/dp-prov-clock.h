/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SECTION:dp-prov-clock
 * @title: Provisioning clock
 * @short_description: the injectable time base of every provisioning timer
 *
 * Every provisioning delay (Resync_Random_Delay, Resync_Periodic,
 * Resync_Error_Retry_Delay, Forced_Resync_Delay, Upgrade_Error_Retry_Delay,
 * the trigger poll) and every timer macro (`$PRVTMR`, `$UPGTMR`,
 * `$REGTMRn`) is measured in *phone seconds* on this clock.
 *
 * Accelerated time: the environment variable `DESKPHONE_TIME_SCALE`
 * (read once, a positive decimal number, default 1) is how many real
 * seconds one phone second takes. `DESKPHONE_TIME_SCALE=0.01` makes an
 * hour of Resync_Periodic pass in 36 real seconds, and `$PRVTMR` grows 100
 * times faster, so tests exercise the real timer code with production
 * values. Network timeouts are not scaled: they protect against real
 * servers. An invalid value is ignored with a warning.
 */

#define DP_PROV_TIME_SCALE_ENV "DESKPHONE_TIME_SCALE"

double  dp_prov_clock_get_scale   (void);
void    dp_prov_clock_set_scale   (double       scale);
double  dp_prov_clock_now         (void);
guint   dp_prov_clock_timeout_add (double       seconds,
                                   GSourceFunc  func,
                                   gpointer     data);

G_END_DECLS
