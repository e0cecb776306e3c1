/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Language names and the dictionary script (spec §7). Pure functions.
 *
 * Language_Selection: the SPA's English names (English, French, German,
 * Spanish, Italian, Portuguese, Dutch, ...; case-insensitive, and only the
 * first word counts, so "English-US" is English), the languages' own names
 * (Deutsch, Français, Español, ...), or a locale code (`fr`, `de_DE`,
 * `pt-BR`; a charset or modifier suffix is dropped). Empty means English.
 * Anything else is not a language deskphone knows by itself: it may
 * still be selected when Dictionary_Server_Script names it (dN=Klingon),
 * and the downloaded catalogue's Language header then gives its code.
 *
 * Dictionary_Server_Script: `serv=<url>;d0=<name>;x0=<file>;d1=...`,
 * items separated by ';', blanks around items ignored, N from 0 to 99.
 * `serv` is a directory URL: the dictionary URL is `serv` + `xN`, with a
 * '/' put between when `serv` does not end in one. Every dN needs its xN
 * and the other way round; an unknown key or a duplicate is an error
 * naming its position (1-based character offset).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DP_L10N_SCRIPT_ERROR (dp_l10n_script_error_quark ())
GQuark dp_l10n_script_error_quark (void);

typedef enum {
  DP_L10N_SCRIPT_ERROR_SYNTAX,
} DpL10nScriptError;

typedef struct {
  char *name;   /* dN */
  char *file;   /* xN */
} DpL10nDictionary;

typedef struct {
  char *server;         /* serv, may be NULL when no entry needs it */
  GPtrArray *entries;   /* DpL10nDictionary*, in N order */
} DpL10nScript;

char         *dp_l10n_language_code     (const char *selection);
const char   *dp_l10n_language_name     (const char *code);
char         *dp_l10n_language_list     (const char *code);

DpL10nScript *dp_l10n_script_parse      (const char   *text,
                                         GError      **error);
void          dp_l10n_script_free       (DpL10nScript *script);
const DpL10nDictionary *
              dp_l10n_script_find       (const DpL10nScript *script,
                                         const char         *selection);
char         *dp_l10n_script_url        (const DpL10nScript     *script,
                                         const DpL10nDictionary *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpL10nScript, dp_l10n_script_free)

G_END_DECLS
