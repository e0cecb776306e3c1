/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * When a line registers again after failures (dp-sip-retry.c; pure, unit
 * tested in tests/unit/test-sip-retry.c). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Failures retried at Reg_Retry_Intvl before Reg_Retry_Long_Intvl. */
#define DP_SIP_RETRY_SHORT_ATTEMPTS 3

/**
 * DpSipRetryPolicy:
 * @interval: `Reg_Retry_Intvl` (s; 0 counts as 1)
 * @long_interval: `Reg_Retry_Long_Intvl` (s; 0 = stop retrying)
 * @random_delay: `Reg_Retry_Random_Delay` (s; 0 = none)
 * @long_random_delay: `Reg_Retry_Long_Random_Delay` (s; 0 = none)
 * @cap: `Reg_Retry_Intvl_Cap` (s; 0 = no exponential back-off)
 */
typedef struct {
  guint interval;
  guint long_interval;
  guint random_delay;
  guint long_random_delay;
  guint cap;
} DpSipRetryPolicy;

guint dp_sip_retry_delay (const DpSipRetryPolicy *policy,
                          guint                   failures,
                          double                  random);

G_END_DECLS
