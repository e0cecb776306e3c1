/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include "dp-param.h"

G_BEGIN_DECLS

/**
 * dp_catalog_spa:
 * @n_decls: (out): the number of declaration rows
 *
 * The whole parameter set of a Linksys SPA962 running 5.1.15(aSC), as
 * #DpParamDecl rows for dp_config_register(), in the phone's tab order: Info,
 * System, SIP, Provisioning, Regional, Phone, Ext_1..Ext_6, User, SPA932.
 * Registering them yields the parameters in the same order as the phone's own
 * flat-profile dump (corpora/spa962-dump), followed in System by the deskphone
 * extensions and in Provisioning by GPP_SA..GPP_SD.
 *
 * Families: the Ext tab is one block of rows `Name_%u_` / `Ext_%u/Section`
 * with count1 = 6 (expanded instance-major: all of Ext_1, then Ext_2 ...);
 * `Unit_%u_Key_%u` in `SPA932/Unit_%u` is 2 x 32; `Unit_%u_Enable`,
 * `SIT%u_RSC` and `Resync_Trigger_%u` are row-major families. Parameters whose
 * factory defaults differ per instance are written out one by one, because a
 * declaration has one default: `Ring1`..`Ring10`, `Cadence_1`..`Cadence_9`,
 * `SIT1_Tone`..`SIT4_Tone`, `RSS_Feed_URL_1`..`_5`, and the Phone/Line_Key_k
 * rows (`Extension_k_` defaults to k). `Speed_Dial_2`..`_9` (starts at 2) and
 * the GPP letters are not numeric families.
 *
 * Info (status) names: 62 names, each declared once with
 * %DP_PARAM_FLAG_READONLY, type string, default "". The SPA repeats the
 * per-extension and per-call names (`Registration_State` in every
 * `Info/Ext_n_Status`, `Call_State` in every `Info/Line_k_Call_c_Status`),
 * but parameters are keyed by name, so each is declared once with the group
 * of its first occurrence (`Info/Ext_1_Status`, `Info/Line_1_Call_1_Status`);
 * per-line status is reported by the status API, not by #DpConfig. The 63rd
 * Info name, `Domain`, is the System/Optional_Network_Configuration config
 * parameter (profiles match by name only).
 *
 * Defaults: the dump value, except where the dump shows an operator's or
 * generator's value (corpora/spa962-dump/SOURCES.md): `Connection_Type` DHCP;
 * `Static_IP`, `NetMask`, `Gateway`, `Primary_DNS`, `Voice_Mail_Number`,
 * `Proxy_n_`, `User_ID_n_`, `Password_n_`, `Display_Name_n_`, `Mailbox_ID_n_`
 * and `Unit_u_Key_k` empty. Decisions on UNCONFIRMED/CONFLICT items:
 * - `Extension_k_` = k (line key k on extension k; the dump's all-1 is the
 *   generator's). Choices `1`..`6`, `Disabled`.
 * - `Server_Type` = Broadsoft (the first of the documented choices and the
 *   value later Cisco consoles ship; the dump's Asterisk is the operator's).
 *   Choices Broadsoft, SPA9000, Asterisk, Sylantro, RFC3265_4235.
 * - `Daylight_Saving_Time_Rule` blank as dumped (the guide's
 *   `start=4/1/7;end=10/-1/7;save=1` is a text example; 5.1 has no DST switch,
 *   so a blank rule means no DST).
 * - `Reorder_Delay` 5 as dumped (not the guide's 255); it is a string because
 *   `inf` (never) is valid besides 0..255.
 * - `Dial_Plan_n_` the dump's plan with `S0`; `Enable_IP_Dialing_n_` Yes.
 * - LED pattern parameters blank: blank means the built-in state pattern.
 * - `Resync_Periodic`, `Resync_Error_Retry_Delay`, `Upgrade_Error_Retry_Delay`
 *   are integers (the comma/`+random` list syntax is later firmware).
 * - `Time_Zone`: whole hours `GMT-12:00`..`GMT-01:00`, `GMT`,
 *   `GMT+01:00`..`GMT+13:00` (half-hour zones are not documented for 5.x).
 * - `SIP_Debug_Option_n_`: none, 1-line, full and their single "excl. OPT /
 *   NTFY / REG" forms; the combined `excl. OPT|NTFY|REG` forms of later ATA
 *   firmware cannot be written in a `|`-separated choice list.
 * - Choice sets the guide does not print, taken from the same firmware line's
 *   ATA guides: `Inband_DTMF_Boost` 0dB..18dB in 3 dB steps,
 *   `Network_Jitter_Level_n_`, `Jitter_Buffer_Adjustment_n_`,
 *   `Force_LAN_Codec` (none, G711u, G711a), `Accept_Media_Loopback_Request`,
 *   `Media_Loopback_Mode`/`_Type`, `Select_Logo` (Default, BMP Picture, Text
 *   Logo, None), `Select_Background_Picture` (Default, BMP Picture).
 *   `Color_Scheme` stays a string: only `Light Blue` is documented.
 *
 * Ranges: ports 0..65535 for `Web_Server_Port` and `SIP_Port_n_`, where 0
 * (a deskphone extension) means "pick a free port"; other ports 1..65535
 * (RTP 1024..65535); timers and expiries 0..2^31-1; RTP payload types 0..127;
 * CoS 0..7; TOS 0..255 (written in hex, `0x68`); volumes 0..15; LCD contrast
 * 0..30; input gains -20..20 dB; `Debug_Level` 0..3; `VLAN_ID` 1..4095;
 * interdigit timers 0..64 s; SIP T1/T2/T4 and timers B..J 0..64 s (decimal);
 * `RTP_Packet_Size` 0.01..0.13 s. Numeric parameters that are blank by
 * default (`Reg_Retry_*Random_Delay`, `Reg_Retry_Intvl_Cap`,
 * `EXT_RTP_Port_Min`, `EXT_SIP_Port_n_`, `INFOREQ_Dynamic_Payload`) carry
 * %DP_PARAM_FLAG_OPTIONAL.
 *
 * Scripts carry a #DpParamDecl.syntax name: `dialplan` (Dial_Plan_n_),
 * `tonescript` (the Regional call-progress tones), `cadscript` (Cadence_n),
 * `ringscript` (Ring1..10), `ledscript` (Phone LED patterns), `dstrule`,
 * `keyscript` (Unit_u_Key_k), `servicecodes` (Referral/Feature Dial Services
 * codes).
 *
 * Secrets (%DP_PARAM_FLAG_SECRET, user access na): `Admin_Passwd`,
 * `User_Password`, `PPPoE_Login_Password`, `License_Keys`, `GPP_SA`..`GPP_SD`,
 * `Password_n_`, `Auth_Page_Password_n_`, `SRTP_Private_Key_n_`. Of these
 * `Admin_Passwd`, `User_Password` (only the admin sets passwords),
 * `GPP_SA`..`GPP_SD` (on no web page) and `SRTP_Private_Key_n_` are also
 * %DP_PARAM_FLAG_ADMIN_ONLY.
 *
 * Factory user access (the SPA guides do not list it; chosen per tab as the
 * user-login view shows them): Info ro; System, SIP, Provisioning, Regional,
 * SPA932 na; Phone and Ext ro; User rw; secrets na.
 *
 * Deskphone extensions (%DP_PARAM_FLAG_EXTENSION, group `System/Deskphone`,
 * user access na): `Provisioning_TFTP_Server` (stands in for DHCP option 66
 * when a rule URL names no server; blank = DHCP's), `Plugin_User_Dir_Enable`
 * (Yes = also load plugins from the vendor/user directory; default No) and
 * `Audio_Source` (media source description; blank = platform default).
 *
 * Returns: (transfer none) (array length=n_decls): the rows, owned by the
 *   library and valid for the life of the process
 */
const DpParamDecl *dp_catalog_spa (gsize *n_decls);

G_END_DECLS
