/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SPA962 5.1.15 parameter catalogue: SPA932 tab: sidecar settings and 2 x 32 key scripts.
 * Rows are in the phone's own dump order; see dp-catalog.h for the rules
 * behind types, defaults and user access.
 */
#define G_LOG_DOMAIN "dp-catalog"

#include "dp-catalog-private.h"

const DpParamDecl dp_catalog_spa932[] = {
  { .name = "Subscribe_Expires", .type = DP_PARAM_INT, .default_value = "1800", .group = "SPA932/General", .min = 0, .max = 2147483647 },
  { .name = "Subscribe_Retry_Interval", .type = DP_PARAM_INT, .default_value = "30", .group = "SPA932/General", .min = 0, .max = 2147483647 },
  { .name = "Unit_%u_Enable", .type = DP_PARAM_BOOL, .default_value = "Yes", .group = "SPA932/General", .count1 = 2 },
  { .name = "Test_Mode_Enable", .type = DP_PARAM_BOOL, .default_value = "No", .group = "SPA932/General" },
  /* Factory value UNCONFIRMED: Broadsoft chosen (first documented choice, the
   * later consoles' default); the dump's Asterisk is the operator's. */
  { .name = "Server_Type", .type = DP_PARAM_ENUM, .default_value = "Broadsoft", .group = "SPA932/General", .choices = "Broadsoft|SPA9000|Asterisk|Sylantro|RFC3265_4235" },
  { .name = "Unit_%u_Key_%u", .type = DP_PARAM_STRING, .default_value = "", .group = "SPA932/Unit_%u", .syntax = "keyscript", .count1 = 2, .count2 = 32 },
};

const gsize dp_catalog_spa932_len = G_N_ELEMENTS (dp_catalog_spa932);
