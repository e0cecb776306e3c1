/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Internals shared by the macro, condition and rule code (not installed). */
#pragma once

#include "dp-macro.h"

G_BEGIN_DECLS

/* Sets @error to "<what>: position <pos0 + 1>: <message>". */
void     dp_rule_set_error (GError    **error,
                            DpRuleError code,
                            const char *what,
                            gsize       pos0,
                            const char *format,
                            ...) G_GNUC_PRINTF (5, 6);

/* dp_macro_expand() over @len bytes of @text. */
char    *dp_macro_expand_len (const char     *text,
                              gsize           len,
                              DpMacroContext *ctx,
                              DpMacroFlags    flags);

/* Finds the first malformed `$(` form in @len bytes of @text: on return
 * *offset is its 0-based offset and *problem a static description. */
gboolean dp_macro_find_malformed (const char  *text,
                                  gsize        len,
                                  gsize       *offset,
                                  const char **problem);

/* Whether @len bytes of @text contain a `$` reference that expansion could
 * change (anything but a lone `$`), i.e. whether the text can only be fully
 * validated after expansion. */
gboolean dp_macro_has_reference (const char *text,
                                 gsize       len);

/* A condition compiled once and evaluated against device state. */
typedef struct _DpCondition DpCondition;

/* Compiles @len bytes of @text, which start at offset @base of the text the
 * user wrote (positions in messages count from there). */
DpCondition *dp_condition_compile (const char *text,
                                   gsize       len,
                                   gsize       base,
                                   const char *what,
                                   GError    **error);

gboolean     dp_condition_run     (const DpCondition *cond,
                                   DpMacroContext    *ctx,
                                   const char        *what,
                                   gboolean          *result,
                                   GError           **error);

void         dp_condition_free    (DpCondition *cond);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpCondition, dp_condition_free)

/* Length of the comment-free part of @text: a `#` outside double quotes
 * starts a comment that runs to the end of the value. */
gsize        dp_rule_strip_comment (const char *text);

G_END_DECLS
