/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SPA962 5.1.15 parameter catalogue: System tab (and the deskphone extensions in System/Deskphone).
 * Rows are in the phone's own dump order; see dp-catalog.h for the rules
 * behind types, defaults and user access.
 */
#define G_LOG_DOMAIN "dp-catalog"

#include "dp-catalog-private.h"

const DpParamDecl dp_catalog_system[] = {
  { .name = "Restricted_Access_Domains", .type = DP_PARAM_STRING, .default_value = "", .group = "System/System_Configuration" },
  { .name = "Enable_Web_Server", .type = DP_PARAM_BOOL, .default_value = "Yes", .group = "System/System_Configuration" },
  /* 0 = pick a free port (deskphone extension of the SPA range 1-65535) */
  { .name = "Web_Server_Port", .type = DP_PARAM_INT, .default_value = "80", .group = "System/System_Configuration", .min = 0, .max = 65535 },
  { .name = "Enable_Web_Admin_Access", .type = DP_PARAM_BOOL, .default_value = "Yes", .group = "System/System_Configuration" },
  { .name = "Admin_Passwd", .type = DP_PARAM_STRING, .default_value = "", .group = "System/System_Configuration", .flags = DP_PARAM_FLAG_SECRET | DP_PARAM_FLAG_ADMIN_ONLY },
  /* only the admin sets passwords (spec 13) */
  { .name = "User_Password", .type = DP_PARAM_STRING, .default_value = "", .group = "System/System_Configuration", .flags = DP_PARAM_FLAG_SECRET | DP_PARAM_FLAG_ADMIN_ONLY },
  /* factory DHCP; the dump's Static IP is the operator's */
  { .name = "Connection_Type", .type = DP_PARAM_ENUM, .default_value = "DHCP", .group = "System/Internet_Connection_Type_", .choices = "DHCP|Static IP|PPPoE" },
  { .name = "Static_IP", .type = DP_PARAM_STRING, .default_value = "", .group = "System/_Static_IP_Settings" },
  { .name = "NetMask", .type = DP_PARAM_STRING, .default_value = "", .group = "System/_Static_IP_Settings" },
  { .name = "Gateway", .type = DP_PARAM_STRING, .default_value = "", .group = "System/_Static_IP_Settings" },
  { .name = "PPPoE_Login_Name", .type = DP_PARAM_STRING, .default_value = "", .group = "System/_PPPoE_Settings" },
  { .name = "PPPoE_Login_Password", .type = DP_PARAM_STRING, .default_value = "", .group = "System/_PPPoE_Settings", .flags = DP_PARAM_FLAG_SECRET },
  { .name = "PPPoE_Service_Name", .type = DP_PARAM_STRING, .default_value = "", .group = "System/_PPPoE_Settings" },
  { .name = "HostName", .type = DP_PARAM_STRING, .default_value = "", .group = "System/Optional_Network_Configuration" },
  { .name = "Domain", .type = DP_PARAM_STRING, .default_value = "", .group = "System/Optional_Network_Configuration" },
  /* the dump's 4.2.2.1 is the operator's */
  { .name = "Primary_DNS", .type = DP_PARAM_STRING, .default_value = "", .group = "System/Optional_Network_Configuration" },
  { .name = "Secondary_DNS", .type = DP_PARAM_STRING, .default_value = "", .group = "System/Optional_Network_Configuration" },
  { .name = "DNS_Server_Order", .type = DP_PARAM_ENUM, .default_value = "Manual", .group = "System/Optional_Network_Configuration", .choices = "Manual|Manual,DHCP|DHCP,Manual" },
  { .name = "DNS_Query_Mode", .type = DP_PARAM_ENUM, .default_value = "Parallel", .group = "System/Optional_Network_Configuration", .choices = "Parallel|Sequential" },
  { .name = "Syslog_Server", .type = DP_PARAM_STRING, .default_value = "", .group = "System/Optional_Network_Configuration", .syntax = "log-server" },
  { .name = "Debug_Server", .type = DP_PARAM_STRING, .default_value = "", .group = "System/Optional_Network_Configuration", .syntax = "log-server" },
  { .name = "Debug_Level", .type = DP_PARAM_INT, .default_value = "0", .group = "System/Optional_Network_Configuration", .min = 0, .max = 3 },
  { .name = "Primary_NTP_Server", .type = DP_PARAM_STRING, .default_value = "", .group = "System/Optional_Network_Configuration" },
  { .name = "Secondary_NTP_Server", .type = DP_PARAM_STRING, .default_value = "", .group = "System/Optional_Network_Configuration" },
  { .name = "Enable_VLAN", .type = DP_PARAM_BOOL, .default_value = "No", .group = "System/VLAN_Settings" },
  { .name = "VLAN_ID", .type = DP_PARAM_INT, .default_value = "1", .group = "System/VLAN_Settings", .min = 1, .max = 4095 },
  { .name = "Enable_CDP", .type = DP_PARAM_BOOL, .default_value = "Yes", .group = "System/VLAN_Settings" },
  /* deskphone extensions (not on the SPA) */
  /* TFTP server used when a Profile_Rule/Upgrade_Rule URL names no server; the SPA
   * takes it from DHCP option 66. Blank = use the DHCP-supplied value. */
  { .name = "Provisioning_TFTP_Server", .type = DP_PARAM_STRING, .default_value = "", .group = "System/Deskphone", .flags = DP_PARAM_FLAG_EXTENSION },
  /* The provisioning CA: a PEM file name in the state folder (or an absolute
   * path). HTTPS provisioning trusts only this CA, never the system store. */
  { .name = "Provisioning_CA", .type = DP_PARAM_STRING, .default_value = "prov-ca.pem", .group = "System/Deskphone", .flags = DP_PARAM_FLAG_EXTENSION | DP_PARAM_FLAG_ADMIN_ONLY },
  /* SHA-256 pins of the provisioning server's public key (SubjectPublicKeyInfo),
   * separated by commas, semicolons or spaces: sha256/BASE64, base64 or hex.
   * Empty: any key certified by the CA. Several allow key rotation. */
  { .name = "Provisioning_Key_Pins", .type = DP_PARAM_STRING, .default_value = "", .group = "System/Deskphone", .flags = DP_PARAM_FLAG_EXTENSION | DP_PARAM_FLAG_ADMIN_ONLY },
  /* Yes = also load plugins from the vendor/user plugin directory. Off by default
   * because code found there is not part of the installed firmware. */
  { .name = "Plugin_User_Dir_Enable", .type = DP_PARAM_BOOL, .default_value = "Yes", .group = "System/Deskphone", .flags = DP_PARAM_FLAG_EXTENSION },
  /* Audio capture/playback source for the media plugin (a GStreamer element
   * description such as "audiotestsrc"); blank = the platform default device. */
  { .name = "Audio_Source", .type = DP_PARAM_STRING, .default_value = "", .group = "System/Deskphone", .flags = DP_PARAM_FLAG_EXTENSION },
};

const gsize dp_catalog_system_len = G_N_ELEMENTS (dp_catalog_system);
