/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-core"

#include "dp-core-syntaxes.h"
#include "dp-dialplan.h"
#include "dp-dst.h"
#include "dp-feed-script.h"
#include "dp-key-script.h"
#include "dp-led-script.h"
#include "dp-log.h"
#include "dp-ring-script.h"
#include "dp-condition.h"
#include "dp-delay-list.h"
#include "dp-rule.h"
#include "dp-star-codes.h"
#include "dp-tone-script.h"

void
dp_core_register_syntaxes (DpConfig *config)
{
  static const struct {
    const char *syntax;
    DpSyntaxCheckFunc check;
  } checkers[] = {
    { "dialplan", dp_dial_plan_check },
    { "freqscript", dp_freq_script_check },
    { "tonescript", dp_tone_script_check },
    { "cadscript", dp_cad_script_check },
    { "ringscript", dp_ring_script_check },
    { "ledscript", dp_led_script_check },
    { "dstrule", dp_dst_rule_check },
    { "log-server", dp_log_check_server },
    { "servicecodes", dp_service_codes_check },
    { "starcode", dp_star_code_check },
    { "annccodes", dp_service_annc_codes_check },
    { "timeoffset", dp_time_offset_check },
    { "profilerule", dp_profile_rule_check },
    { "upgraderule", dp_upgrade_rule_check },
    { "reportrule", dp_report_rule_check },
    { "resynctrigger", dp_trigger_check },
    { "feedscript", dp_feed_script_check },
    { "keyscript", dp_key_script_check },
    { "delaylist", dp_delay_list_check },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (checkers); i++)
    dp_config_register_syntax (config, checkers[i].syntax, checkers[i].check);
}
