/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-webui"

#include "dp-build-config.h"
#include "dp-webui-i18n.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* Labels the pages build from data (tab names from the parameter groups,
 * action titles), listed so that xgettext extracts them; the literal
 * labels are extracted from the T (lang, "...") calls (po/meson.build
 * passes --keyword=T:2). */
const char * const dp_webui_dynamic_msgids[] = {
  N_("Info"),
  N_("System"),
  N_("SIP"),
  N_("Provisioning"),
  N_("Regional"),
  N_("Phone"),
  N_("User"),
  N_("Resync"),
  N_("Upgrade"),
  N_("Reboot"),
  NULL,
};

DpWebuiLang
dp_webui_lang_from_selection (const char *selection)
{
  static const struct { const char *prefix; DpWebuiLang lang; } names[] = {
    { "french", DP_WEBUI_LANG_FR }, { "francais", DP_WEBUI_LANG_FR },
    { "german", DP_WEBUI_LANG_DE }, { "deutsch", DP_WEBUI_LANG_DE },
    { "spanish", DP_WEBUI_LANG_ES }, { "espanol", DP_WEBUI_LANG_ES },
  };
  g_autofree char *first = NULL;
  gsize len;

  if (selection == NULL)
    return DP_WEBUI_LANG_EN;
  len = strcspn (selection, "-_ ");
  first = g_ascii_strdown (selection, (gssize) len);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (first, names[i].prefix))
      return names[i].lang;
  return DP_WEBUI_LANG_EN;
}

const char *
dp_webui_lang_code (DpWebuiLang lang)
{
  static const char *codes[] = { "en", "fr", "de", "es" };

  return codes[lang];
}

/* The translation of @msgid in the process language, which the l10n
 * plugin switches when Language_Selection changes (plugins/l10n): one
 * language for D-Bus, the web UI and the GUI. @lang only names the page
 * language in <html lang>. */
const char *
dp_webui_tr (DpWebuiLang lang, const char *msgid)
{
  return g_dgettext (GETTEXT_PACKAGE, msgid);
}
