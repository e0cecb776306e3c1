/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SPA962 5.1.15 parameter catalogue: Info tab: read-only status values.
 * Rows are in the phone's own dump order; see dp-catalog.h for the rules
 * behind types, defaults and user access.
 */
#define G_LOG_DOMAIN "dp-catalog"

#include "dp-catalog-private.h"

const DpParamDecl dp_catalog_info[] = {
  { .name = "DHCP", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/System_Information", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Current_IP", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/System_Information", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Host_Name", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/System_Information", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Current_Netmask", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/System_Information", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Current_Gateway", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/System_Information", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Primary__DNS", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/System_Information", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Secondary__DNS", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/System_Information", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Product_Name", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Product_Information", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Serial_Number", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Product_Information", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Software_Version", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Product_Information", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Hardware_Version", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Product_Information", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "MAC_Address", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Product_Information", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Client_Certificate", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Product_Information", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Customization", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Product_Information", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Licenses", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Product_Information", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Current_Time", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Elapsed_Time", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Broadcast_Pkts_Sent", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Broadcast_Bytes_Sent", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Broadcast_Pkts_Recv", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Broadcast_Bytes_Recv", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Broadcast_Pkts_Dropped", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Broadcast_Bytes_Dropped", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "RTP_Packets_Sent", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "RTP_Bytes_Sent", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "RTP_Packets_Recv", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "RTP_Bytes_Recv", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "SIP_Messages_Sent", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "SIP_Bytes_Sent", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "SIP_Messages_Recv", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "SIP_Bytes_Recv", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "External_IP", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Operational_VLAN_ID", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Phone_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  /* The SPA repeats the Ext_n and Line_k_Call_c status names in every
   * instance; parameters are keyed by name, so each is declared once, with
   * the group of its first occurrence (see dp-catalog.h). */
  { .name = "Registration_State", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Ext_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Last_Registration_At", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Ext_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Next_Registration_In", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Ext_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Message_Waiting", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Ext_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Mapped_SIP_Port", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Ext_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Call_State", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Tone", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Encoder", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Decoder", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Type", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Remote_Hold", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Callback", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Peer_Name", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Peer_Phone", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Duration", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Packets_Sent", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Packets_Recv", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Bytes_Sent", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Bytes_Recv", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Decode_Latency", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Jitter", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Round_Trip_Delay", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Packets_Lost", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Packet_Error", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Mapped_RTP_Port", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Media_Loopback", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Line_1_Call_1_Status", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Status", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Downloaded_Ring_Tone", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Ring_Tone_1", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Downloaded_Ring_Tone", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
  { .name = "Ring_Tone_2", .type = DP_PARAM_STRING, .default_value = "", .group = "Info/Downloaded_Ring_Tone", .flags = DP_PARAM_FLAG_READONLY, .user_access = DP_ACCESS_RO },
};

const gsize dp_catalog_info_len = G_N_ELEMENTS (dp_catalog_info);
