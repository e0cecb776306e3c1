/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SPA962 5.1.15 parameter catalogue: User tab.
 * Rows are in the phone's own dump order; see dp-catalog.h for the rules
 * behind types, defaults and user access.
 */
#define G_LOG_DOMAIN "dp-catalog"

#include "dp-catalog-private.h"

const DpParamDecl dp_catalog_user[] = {
  { .name = "Cfwd_All_Dest", .type = DP_PARAM_STRING, .default_value = "", .group = "User/Call_Forward", .user_access = DP_ACCESS_RW },
  { .name = "Cfwd_Busy_Dest", .type = DP_PARAM_STRING, .default_value = "", .group = "User/Call_Forward", .user_access = DP_ACCESS_RW },
  { .name = "Cfwd_No_Ans_Dest", .type = DP_PARAM_STRING, .default_value = "", .group = "User/Call_Forward", .user_access = DP_ACCESS_RW },
  { .name = "Cfwd_No_Ans_Delay", .type = DP_PARAM_INT, .default_value = "20", .group = "User/Call_Forward", .min = 0, .max = 255, .user_access = DP_ACCESS_RW },
  { .name = "Speed_Dial_2", .type = DP_PARAM_STRING, .default_value = "", .group = "User/Speed_Dial", .user_access = DP_ACCESS_RW },
  { .name = "Speed_Dial_3", .type = DP_PARAM_STRING, .default_value = "", .group = "User/Speed_Dial", .user_access = DP_ACCESS_RW },
  { .name = "Speed_Dial_4", .type = DP_PARAM_STRING, .default_value = "", .group = "User/Speed_Dial", .user_access = DP_ACCESS_RW },
  { .name = "Speed_Dial_5", .type = DP_PARAM_STRING, .default_value = "", .group = "User/Speed_Dial", .user_access = DP_ACCESS_RW },
  { .name = "Speed_Dial_6", .type = DP_PARAM_STRING, .default_value = "", .group = "User/Speed_Dial", .user_access = DP_ACCESS_RW },
  { .name = "Speed_Dial_7", .type = DP_PARAM_STRING, .default_value = "", .group = "User/Speed_Dial", .user_access = DP_ACCESS_RW },
  { .name = "Speed_Dial_8", .type = DP_PARAM_STRING, .default_value = "", .group = "User/Speed_Dial", .user_access = DP_ACCESS_RW },
  { .name = "Speed_Dial_9", .type = DP_PARAM_STRING, .default_value = "", .group = "User/Speed_Dial", .user_access = DP_ACCESS_RW },
  { .name = "CW_Setting", .type = DP_PARAM_BOOL, .default_value = "Yes", .group = "User/Supplementary_Services", .user_access = DP_ACCESS_RW },
  { .name = "Block_CID_Setting", .type = DP_PARAM_BOOL, .default_value = "No", .group = "User/Supplementary_Services", .user_access = DP_ACCESS_RW },
  { .name = "Block_ANC_Setting", .type = DP_PARAM_BOOL, .default_value = "No", .group = "User/Supplementary_Services", .user_access = DP_ACCESS_RW },
  { .name = "DND_Setting", .type = DP_PARAM_BOOL, .default_value = "No", .group = "User/Supplementary_Services", .user_access = DP_ACCESS_RW },
  { .name = "Secure_Call_Setting", .type = DP_PARAM_BOOL, .default_value = "No", .group = "User/Supplementary_Services", .user_access = DP_ACCESS_RW },
  { .name = "Dial_Assistance", .type = DP_PARAM_BOOL, .default_value = "No", .group = "User/Supplementary_Services", .user_access = DP_ACCESS_RW },
  { .name = "Auto_Answer_Page", .type = DP_PARAM_BOOL, .default_value = "Yes", .group = "User/Supplementary_Services", .user_access = DP_ACCESS_RW },
  { .name = "Preferred_Audio_Device", .type = DP_PARAM_ENUM, .default_value = "Speaker", .group = "User/Supplementary_Services", .choices = "Speaker|Headset", .user_access = DP_ACCESS_RW },
  { .name = "Send_Audio_To_Speaker", .type = DP_PARAM_BOOL, .default_value = "No", .group = "User/Supplementary_Services", .user_access = DP_ACCESS_RW },
  { .name = "Time_Format", .type = DP_PARAM_ENUM, .default_value = "12hr", .group = "User/Supplementary_Services", .choices = "12hr|24hr", .user_access = DP_ACCESS_RW },
  { .name = "Date_Format", .type = DP_PARAM_ENUM, .default_value = "month/day", .group = "User/Supplementary_Services", .choices = "month/day|day/month", .user_access = DP_ACCESS_RW },
  { .name = "Miss_Call_Shortcut", .type = DP_PARAM_BOOL, .default_value = "Yes", .group = "User/Supplementary_Services", .user_access = DP_ACCESS_RW },
  { .name = "Accept_Media_Loopback_Request", .type = DP_PARAM_ENUM, .default_value = "automatic", .group = "User/Supplementary_Services", .choices = "never|automatic|manual", .user_access = DP_ACCESS_RW },
  { .name = "Media_Loopback_Mode", .type = DP_PARAM_ENUM, .default_value = "source", .group = "User/Supplementary_Services", .choices = "source|mirror", .user_access = DP_ACCESS_RW },
  { .name = "Media_Loopback_Type", .type = DP_PARAM_ENUM, .default_value = "media", .group = "User/Supplementary_Services", .choices = "media|packet", .user_access = DP_ACCESS_RW },
  { .name = "Text_Message", .type = DP_PARAM_BOOL, .default_value = "Yes", .group = "User/Supplementary_Services", .user_access = DP_ACCESS_RW },
  { .name = "Text_Message_From_3rd_Party", .type = DP_PARAM_BOOL, .default_value = "No", .group = "User/Supplementary_Services", .user_access = DP_ACCESS_RW },
  { .name = "Alert_Tone_Off", .type = DP_PARAM_BOOL, .default_value = "No", .group = "User/Supplementary_Services", .user_access = DP_ACCESS_RW },
  /* Written out: each feed has its own factory value. */
  /* The SPA's factory feeds point at CNN, BBC and Yahoo addresses that no
   * longer serve RSS; a phone should not contact third parties nobody
   * configured, so deskphone ships no feeds (the dump's values are the
   * SPA's, kept in tests/unit/test-catalog.c as the documented exception). */
  { .name = "RSS_Feed_URL_1", .type = DP_PARAM_STRING, .default_value = "", .syntax = "feedscript", .group = "User/Web_Information_Service_Settings", .user_access = DP_ACCESS_RW },
  { .name = "RSS_Feed_URL_2", .type = DP_PARAM_STRING, .default_value = "", .syntax = "feedscript", .group = "User/Web_Information_Service_Settings", .user_access = DP_ACCESS_RW },
  { .name = "RSS_Feed_URL_3", .type = DP_PARAM_STRING, .default_value = "", .syntax = "feedscript", .group = "User/Web_Information_Service_Settings", .user_access = DP_ACCESS_RW },
  { .name = "RSS_Feed_URL_4", .type = DP_PARAM_STRING, .default_value = "", .syntax = "feedscript", .group = "User/Web_Information_Service_Settings", .user_access = DP_ACCESS_RW },
  { .name = "RSS_Feed_URL_5", .type = DP_PARAM_STRING, .default_value = "", .syntax = "feedscript", .group = "User/Web_Information_Service_Settings", .user_access = DP_ACCESS_RW },
  { .name = "Feed_Data_Update_Interval_m_", .type = DP_PARAM_INT, .default_value = "15", .group = "User/Web_Information_Service_Settings", .min = 0, .max = 65535, .user_access = DP_ACCESS_RW },
  { .name = "Scrolling_Timer_s_", .type = DP_PARAM_DECIMAL, .default_value = "0.8", .group = "User/Web_Information_Service_Settings", .min = 0, .max = 60, .user_access = DP_ACCESS_RW },
  { .name = "State", .type = DP_PARAM_STRING, .default_value = "CA", .group = "User/Traffic_Service_Information_Settings", .user_access = DP_ACCESS_RW },
  { .name = "City", .type = DP_PARAM_STRING, .default_value = "san jose", .group = "User/Traffic_Service_Information_Settings", .user_access = DP_ACCESS_RW },
  { .name = "Street", .type = DP_PARAM_STRING, .default_value = "cisco", .group = "User/Traffic_Service_Information_Settings", .user_access = DP_ACCESS_RW },
  { .name = "Zip_Code", .type = DP_PARAM_STRING, .default_value = "95134", .group = "User/Traffic_Service_Information_Settings", .user_access = DP_ACCESS_RW },
  { .name = "Ringer_Volume", .type = DP_PARAM_INT, .default_value = "8", .group = "User/Audio_Volume", .min = 0, .max = 15, .user_access = DP_ACCESS_RW },
  { .name = "Speaker_Volume", .type = DP_PARAM_INT, .default_value = "8", .group = "User/Audio_Volume", .min = 0, .max = 15, .user_access = DP_ACCESS_RW },
  { .name = "Handset_Volume", .type = DP_PARAM_INT, .default_value = "10", .group = "User/Audio_Volume", .min = 0, .max = 15, .user_access = DP_ACCESS_RW },
  { .name = "Headset_Volume", .type = DP_PARAM_INT, .default_value = "10", .group = "User/Audio_Volume", .min = 0, .max = 15, .user_access = DP_ACCESS_RW },
  { .name = "LCD_Contrast", .type = DP_PARAM_INT, .default_value = "8", .group = "User/Audio_Volume", .min = 0, .max = 30, .user_access = DP_ACCESS_RW },
  { .name = "Color_Scheme", .type = DP_PARAM_STRING, .default_value = "Light Blue", .group = "User/Phone_GUI_Menu_Color_Settings", .user_access = DP_ACCESS_RW },
};

const gsize dp_catalog_user_len = G_N_ELEMENTS (dp_catalog_user);
