/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The web UI's own words in the languages `Language_Selection` names.
 *
 * The SPA takes its dictionaries from `Dictionary_Server_Script`, whose
 * schema is UNCONFIRMED (spec §7), and po/ has no translations yet, so the
 * page chrome (buttons, tab titles, messages) is translated from a table
 * built into the plugin for English, French, German and Spanish. Language
 * names match case-insensitively on their first word (`English-US` is
 * English); an unknown or empty selection means English. Parameter names
 * are shown as the SPA labels (underscores as spaces) and not translated,
 * as on the SPA itself.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  DP_WEBUI_LANG_EN,
  DP_WEBUI_LANG_FR,
  DP_WEBUI_LANG_DE,
  DP_WEBUI_LANG_ES,
} DpWebuiLang;

DpWebuiLang  dp_webui_lang_from_selection (const char  *selection);
const char  *dp_webui_lang_code           (DpWebuiLang  lang);
const char  *dp_webui_tr                  (DpWebuiLang  lang,
                                           const char  *msgid);

G_END_DECLS
