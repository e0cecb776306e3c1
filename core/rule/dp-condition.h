/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Conditional expressions of the SPA provisioning language
 * (spa9x2-reference.md §1.5): the `( … )?` part of Profile_Rule*,
 * Upgrade_Rule and Report_Rule alternatives and the bare Resync_Trigger_n
 * values. */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include "dp-macro.h"

G_BEGIN_DECLS

/**
 * dp_condition_eval:
 * @expr: a condition, without the `( … )?` wrapper
 * @ctx: (nullable): macro values; %NULL = every macro unknown
 * @result: (out): whether the condition holds
 * @error: return location for a #GError
 *
 * Evaluates `comparison [and comparison]…`; every comparison must hold.
 *
 * A comparison is `left OP right`. Operators: `=` `eq`, `!=` `ne`, `<`
 * `lt`, `<=` `le`, `>` `gt`, `>=` `ge` (acronyms and `and` in any case).
 * Legacy forms (pre-2.0.6): a lone `!` means `!=`, and a comparison with no
 * left operand compares `$SWVER`: `! 1.0.33` ≡ `$SWVER != 1.0.33`,
 * `ge 2.0.6` ≡ `$SWVER ge 2.0.6`.
 *
 * Operands are tokens first and expanded after (each on its own, never
 * re-read), so a macro value can neither close a quoted string nor add an
 * operator. Types, decided after expansion:
 * - a double-quoted string (no escapes; it ends at the next `"`);
 * - an integer: optional `-`, decimal digits (64-bit);
 * - a version: two or more dot-separated non-negative integers plus an
 *   optional parenthesised suffix of letters, digits, `.`, `_` or `-`
 *   (`1.0.31(b)`, `5.1.15(aSC)`, `2.0.3(0412s)`); no blanks inside.
 * A bare operand that is neither integer nor version is an error (strings
 * must be quoted); its message tells when a macro in it had no value.
 *
 * Comparing: when either side is a quoted string both are compared as
 * byte strings, and only `eq`/`ne` apply. Two integers compare as numbers;
 * otherwise the integer is read as a one-component version.
 *
 * Decision (version suffixes, UNCONFIRMED): versions compare component by
 * component (missing components count 0, so `2.0` = `2.0.0`); when the
 * numbers are equal, a version without a suffix is lower than one with a
 * suffix (`2.0.6` < `2.0.6(b)`, a lettered build being a later respin of the
 * same release), and two suffixes compare as ASCII strings, case-sensitive
 * (`2.0.6(a)` < `2.0.6(b)`; `5.1.15(aSC)` ≠ `5.1.15`).
 *
 * Decision (`or`, UNCONFIRMED): rejected with %DP_RULE_ERROR_NOT_ALLOWED.
 * No SPA document has it, so a configuration written with it would
 * silently do something else on an SPA; use `|` alternatives (rules) or the
 * second Resync_Trigger instead. Parentheses for grouping are rejected too.
 *
 * Comparisons are evaluated left to right and evaluation stops at the first
 * one that is false, so a later comparison over an unset macro is only an
 * error when it is reached. An empty condition is an error.
 *
 * Returns: %TRUE on success (with *@result set)
 */
gboolean dp_condition_eval  (const char     *expr,
                             DpMacroContext *ctx,
                             gboolean       *result,
                             GError        **error);

/**
 * dp_condition_check:
 * @expr: a condition
 * @error: return location for a #GError
 *
 * Checks the syntax of @expr without evaluating it: structure, operators,
 * literal operands and operator/type combinations that are wrong whatever
 * the macros expand to (`"a" lt "b"`, `abc eq 1`).
 *
 * Returns: %TRUE if @expr may be evaluated
 */
gboolean dp_condition_check (const char  *expr,
                             GError     **error);

/**
 * dp_trigger_evaluate:
 * @text: a `Resync_Trigger_n` value: a bare condition, possibly with a `#`
 *   comment; empty (or blanks, or only a comment) never triggers
 * @ctx: (nullable): macro values
 * @result: (out): whether a resync is triggered
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean dp_trigger_evaluate (const char     *text,
                              DpMacroContext *ctx,
                              gboolean       *result,
                              GError        **error);

/**
 * dp_trigger_check:
 * @value: a `Resync_Trigger_n` value
 * @error: return location for a #GError
 *
 * The syntax checker of `Resync_Trigger_n` (a #DpSyntaxCheckFunc): empty,
 * a comment, or a condition dp_condition_check() accepts.
 *
 * Returns: %TRUE if @value is valid
 */
gboolean dp_trigger_check   (const char  *value,
                             GError     **error);

G_END_DECLS
