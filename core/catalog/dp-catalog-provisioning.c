/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SPA962 5.1.15 parameter catalogue: Provisioning tab: resync, upgrade, general purpose parameters.
 * Rows are in the phone's own dump order; see dp-catalog.h for the rules
 * behind types, defaults and user access.
 */
#define G_LOG_DOMAIN "dp-catalog"

#include "dp-catalog-private.h"

const DpParamDecl dp_catalog_provisioning[] = {
  { .name = "Provision_Enable", .type = DP_PARAM_BOOL, .default_value = "Yes", .group = "Provisioning/Configuration_Profile" },
  { .name = "Resync_On_Reset", .type = DP_PARAM_BOOL, .default_value = "Yes", .group = "Provisioning/Configuration_Profile" },
  { .name = "Resync_Random_Delay", .type = DP_PARAM_INT, .default_value = "2", .group = "Provisioning/Configuration_Profile", .min = 0, .max = 65535 },
  { .name = "Resync_Periodic", .type = DP_PARAM_STRING, .default_value = "3600", .group = "Provisioning/Configuration_Profile", .syntax = "delaylist" },
  { .name = "Resync_Error_Retry_Delay", .type = DP_PARAM_STRING, .default_value = "3600", .group = "Provisioning/Configuration_Profile", .syntax = "delaylist" },
  { .name = "Forced_Resync_Delay", .type = DP_PARAM_INT, .default_value = "14400", .group = "Provisioning/Configuration_Profile", .min = 0, .max = 2147483647 },
  { .name = "Resync_From_SIP", .type = DP_PARAM_BOOL, .default_value = "Yes", .group = "Provisioning/Configuration_Profile" },
  { .name = "Resync_After_Upgrade_Attempt", .type = DP_PARAM_BOOL, .default_value = "Yes", .group = "Provisioning/Configuration_Profile" },
  { .name = "Resync_Trigger_%u", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/Configuration_Profile", .syntax = "resynctrigger", .count1 = 2 },
  { .name = "Resync_Fails_On_FNF", .type = DP_PARAM_BOOL, .default_value = "Yes", .group = "Provisioning/Configuration_Profile" },
  { .name = "Profile_Rule", .type = DP_PARAM_STRING, .default_value = "/spa$PSN.cfg", .group = "Provisioning/Configuration_Profile", .syntax = "profilerule" },
  { .name = "Profile_Rule_B", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/Configuration_Profile", .syntax = "profilerule" },
  { .name = "Profile_Rule_C", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/Configuration_Profile", .syntax = "profilerule" },
  { .name = "Profile_Rule_D", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/Configuration_Profile", .syntax = "profilerule" },
  { .name = "Log_Resync_Request_Msg", .type = DP_PARAM_STRING, .default_value = "$PN $MAC -- Requesting resync $SCHEME://$SERVIP:$PORT$PATH", .group = "Provisioning/Configuration_Profile" },
  { .name = "Log_Resync_Success_Msg", .type = DP_PARAM_STRING, .default_value = "$PN $MAC -- Successful resync $SCHEME://$SERVIP:$PORT$PATH", .group = "Provisioning/Configuration_Profile" },
  { .name = "Log_Resync_Failure_Msg", .type = DP_PARAM_STRING, .default_value = "$PN $MAC -- Resync failed: $ERR", .group = "Provisioning/Configuration_Profile" },
  { .name = "Report_Rule", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/Configuration_Profile", .syntax = "reportrule" },
  { .name = "Upgrade_Enable", .type = DP_PARAM_BOOL, .default_value = "Yes", .group = "Provisioning/Firmware_Upgrade" },
  { .name = "Upgrade_Error_Retry_Delay", .type = DP_PARAM_STRING, .default_value = "3600", .group = "Provisioning/Firmware_Upgrade", .syntax = "delaylist" },
  { .name = "Downgrade_Rev_Limit", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/Firmware_Upgrade" },
  { .name = "Upgrade_Rule", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/Firmware_Upgrade", .syntax = "upgraderule" },
  { .name = "Log_Upgrade_Request_Msg", .type = DP_PARAM_STRING, .default_value = "$PN $MAC -- Requesting upgrade $SCHEME://$SERVIP:$PORT$PATH", .group = "Provisioning/Firmware_Upgrade" },
  { .name = "Log_Upgrade_Success_Msg", .type = DP_PARAM_STRING, .default_value = "$PN $MAC -- Successful upgrade $SCHEME://$SERVIP:$PORT$PATH -- $ERR", .group = "Provisioning/Firmware_Upgrade" },
  { .name = "Log_Upgrade_Failure_Msg", .type = DP_PARAM_STRING, .default_value = "$PN $MAC -- Upgrade failed: $ERR", .group = "Provisioning/Firmware_Upgrade" },
  { .name = "License_Keys", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/Firmware_Upgrade", .flags = DP_PARAM_FLAG_SECRET },
  { .name = "GPP_A", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  { .name = "GPP_B", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  { .name = "GPP_C", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  { .name = "GPP_D", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  { .name = "GPP_E", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  { .name = "GPP_F", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  { .name = "GPP_G", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  { .name = "GPP_H", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  { .name = "GPP_I", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  { .name = "GPP_J", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  { .name = "GPP_K", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  { .name = "GPP_L", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  { .name = "GPP_M", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  { .name = "GPP_N", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  { .name = "GPP_O", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  { .name = "GPP_P", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters" },
  /* GPP_SA..GPP_SD: SPA secrets that are on no web page and only expanded inside
   * a --key option; a profile can set them, the user can never see them. */
  { .name = "GPP_SA", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters", .flags = DP_PARAM_FLAG_SECRET | DP_PARAM_FLAG_ADMIN_ONLY },
  { .name = "GPP_SB", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters", .flags = DP_PARAM_FLAG_SECRET | DP_PARAM_FLAG_ADMIN_ONLY },
  { .name = "GPP_SC", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters", .flags = DP_PARAM_FLAG_SECRET | DP_PARAM_FLAG_ADMIN_ONLY },
  { .name = "GPP_SD", .type = DP_PARAM_STRING, .default_value = "", .group = "Provisioning/General_Purpose_Parameters", .flags = DP_PARAM_FLAG_SECRET | DP_PARAM_FLAG_ADMIN_ONLY },
};

const gsize dp_catalog_provisioning_len = G_N_ELEMENTS (dp_catalog_provisioning);
