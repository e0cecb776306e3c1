/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The dictionary format of deskphone (Dictionary_Server_Script, spec §7).
 *
 * The SPA's own dictionary XML schema is UNCONFIRMED, so deskphone defines
 * its dictionary as a compiled GNU gettext catalogue (`msgfmt` output, a
 * `.mo` file) of the "deskphone" domain. Only a catalogue passing every
 * check below is installed; glibc then reads it directly.
 *
 * - Size: at most DP_L10N_MO_MAX_SIZE bytes.
 * - Header: magic 0x950412de in either byte order, format revision 0
 *   (system-dependent strings, revision 1, are refused), string and hash
 *   tables inside the file, every string NUL-terminated inside the file.
 * - Order: original strings sorted (glibc's binary search relies on it);
 *   hash table entries (if any) point at existing strings.
 * - Header entry (msgid ""): present, `Content-Type: text/plain;
 *   charset=UTF-8`, `Project-Id-Version` starting with "deskphone" (the
 *   domain check: a catalogue of another program is refused) and a
 *   `Language:` code; when the caller expects a language, the code's
 *   language part must match (de_AT satisfies an expected "de").
 * - Every msgstr is valid UTF-8 and has the same printf conversions, in
 *   the same order, as its msgid (or, for plural forms, as msgid_plural);
 *   `%n` is refused. A translated format string thus cannot make
 *   g_strdup_printf() read arguments that are not there.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DP_L10N_MO_MAX_SIZE (1024 * 1024)

#define DP_L10N_MO_ERROR (dp_l10n_mo_error_quark ())
GQuark dp_l10n_mo_error_quark (void);

typedef enum {
  DP_L10N_MO_ERROR_INVALID,
} DpL10nMoError;

typedef struct {
  char *language;          /* the Language: header, e.g. "fr" */
  guint n_messages;        /* translations, header entry excluded */
} DpL10nMoInfo;

void     dp_l10n_mo_info_clear (DpL10nMoInfo *info);

gboolean dp_l10n_mo_validate   (const guint8 *data,
                                gsize         size,
                                const char   *expected_language,
                                DpL10nMoInfo *info,
                                GError      **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DpL10nMoInfo, dp_l10n_mo_info_clear)

G_END_DECLS
