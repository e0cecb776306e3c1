/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Byte scanner shared by the script parsers (not installed). It exists so
 * that every parser reports faults the same way: "<Kind>: position N: …"
 * with N the 1-based byte position, and never reads past the terminating NUL. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *text;
  gsize       pos;
  const char *kind;   /* "ToneScript", "LED script" … for messages */
} DpScanner;

void      dp_scanner_init          (DpScanner  *sc,
                                    const char *text,
                                    const char *kind);
gboolean  dp_scanner_check_length  (DpScanner  *sc,
                                    GError    **error);
void      dp_scanner_skip_space    (DpScanner  *sc);
char      dp_scanner_peek          (DpScanner  *sc);
gboolean  dp_scanner_at_end        (DpScanner  *sc);
gboolean  dp_scanner_accept        (DpScanner  *sc,
                                    char        c);
gboolean  dp_scanner_expect        (DpScanner  *sc,
                                    char        c,
                                    const char *context,
                                    GError    **error);
gboolean  dp_scanner_fail          (DpScanner  *sc,
                                    gsize       pos,
                                    GError    **error,
                                    int         code,
                                    const char *format,
                                    ...) G_GNUC_PRINTF (5, 6);
char     *dp_scanner_describe      (DpScanner  *sc,
                                    gsize       pos);

/* Parses `[sign]digits[.digits]` (or `*` when @allow_star) scaled by
 * 10^@decimals: "1.25" with @decimals 3 gives 1250. `*` gives -1.
 * @max_scaled bounds the value (in scaled units) and @what names it. */
gboolean  dp_scanner_number        (DpScanner  *sc,
                                    guint       decimals,
                                    gboolean    allow_star,
                                    gboolean    allow_sign,
                                    gint64      min_scaled,
                                    gint64      max_scaled,
                                    const char *what,
                                    gint64     *out,
                                    GError    **error);

G_END_DECLS
