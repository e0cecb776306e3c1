/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The web UI's own words in the languages `Language_Selection` names.
 *
 * The page chrome (buttons, tab titles, messages) is translated with
 * gettext (domain "deskphone", po/<lang>.po); the l10n plugin switches the
 * process language when Language_Selection changes, so pages follow it
 * without the web UI doing anything (without the l10n plugin they stay
 * English). dp_webui_lang_from_selection() only names the language for
 * <html lang>: names match case-insensitively on their first word
 * (`English-US` is English); an unknown or empty selection means English.
 * Parameter names are shown as the SPA labels (underscores as spaces) and
 * not translated, as on the SPA itself.
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

extern const char * const dp_webui_dynamic_msgids[];

G_END_DECLS
