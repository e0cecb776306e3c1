/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SPA provisioning macros (spa9x2-reference.md §1.6): `$NAME`, `$(NAME)`,
 * `$(NAME:p)`, `$(NAME:p:q)` and `$$`, expanded in profile/upgrade/report
 * rules, resync triggers, the Log_* messages and the GPP_* values an option
 * refers to. The expansion is pure: every value comes from a #DpMacroContext
 * the caller fills from real device state; nothing here invents a value. */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define DP_RULE_ERROR (dp_rule_error_quark ())

/**
 * DpRuleError:
 * @DP_RULE_ERROR_SYNTAX: the text does not follow the grammar
 * @DP_RULE_ERROR_TYPE: an operand is not of a type the comparison accepts
 *   (after macro expansion), or an operator does not apply to it
 * @DP_RULE_ERROR_URL: a URL is malformed (no absolute file path, bad scheme,
 *   host or port), possibly only after macro expansion
 * @DP_RULE_ERROR_NO_SERVER: a URL names no server and no default server
 *   (DHCP option 66 / `Provisioning_TFTP_Server`) is known
 * @DP_RULE_ERROR_NOT_ALLOWED: valid elsewhere but not here: options in an
 *   `Upgrade_Rule`, an option the rule kind does not take, `or`
 * @DP_RULE_ERROR_UNCONDITIONED: an alternative other than the last has no
 *   condition
 *
 * Errors of the rule language (macros, conditions, rules). Messages read
 * `"<What>: position <N>: <problem>"`, N being the 1-based byte position in
 * the text that was given (the whole rule, trigger or macro text).
 */
typedef enum {
  DP_RULE_ERROR_SYNTAX,
  DP_RULE_ERROR_TYPE,
  DP_RULE_ERROR_URL,
  DP_RULE_ERROR_NO_SERVER,
  DP_RULE_ERROR_NOT_ALLOWED,
  DP_RULE_ERROR_UNCONDITIONED,
} DpRuleError;

GQuark dp_rule_error_quark (void);

/**
 * DpMacroFlags:
 * @DP_MACRO_FLAGS_NONE: ordinary expansion
 * @DP_MACRO_FLAGS_SECRETS: also expand `$SA`…`$SD` (GPP_SA…GPP_SD); set
 *   only when expanding the argument of a `--key` option
 *
 * How dp_macro_expand() treats the secret macros. Without
 * %DP_MACRO_FLAGS_SECRETS the names SA…SD (and GPP_SA…GPP_SD) are not macro
 * names at all, so `$SA` stays literal text.
 */
typedef enum {
  DP_MACRO_FLAGS_NONE = 0,
  DP_MACRO_FLAGS_SECRETS = 1 << 0,
} DpMacroFlags;

/**
 * DpMacroLookupFunc:
 * @name: a canonical macro name (`MA`, `SWVER`, `A`, `SC`, `REGTMR1` …)
 * @user_data: the data given with the function
 *
 * Gives the current value of a macro from device state.
 *
 * Returns: (nullable): the value (may be empty), or %NULL when the value is
 *   not known; the string must stay valid until the next call
 */
typedef const char *(*DpMacroLookupFunc) (const char *name, gpointer user_data);

/**
 * DpMacroContext:
 *
 * Where macro values come from: values set with dp_macro_context_set()
 * (looked up first), then a #DpMacroLookupFunc, then the parent context of
 * an overlay. A value that no layer knows is unknown, and an unknown macro
 * is left verbatim in the text.
 *
 * Canonical names: `MA` `MAU` `MAC` `PN` `PSN` `SN` `CCERT` `IP` `EXTIP`
 * `SWVER` `HWVER` `PRVST` `UPGST` `UPGERR` `PRVTMR` `UPGTMR` `REGTMR1`…
 * `REGTMR6` `UPGCOND` `SCHEME` `SERV` `SERVIP` `PORT` `PATH` `ERR`, `A`…`P`
 * (the raw values of GPP_A…GPP_P), `SA`…`SD` (GPP_SA…GPP_SD) and `UID1`…
 * `UID6` (User_ID_n_). The text may also write `$GPP_A` for `$A` (later
 * guides) and `$METH` (deprecated) for `$SCHEME`; the context is asked for
 * the canonical name (`METH` first, then `SCHEME`).
 *
 * Extensions beyond the SPA9x2 5.x tables (documented as such, harmless on
 * SPA text): `REGTMR3`…`REGTMR6` for the SPA962's six extensions and
 * `UID1`…`UID6` of later Cisco guides.
 */
typedef struct _DpMacroContext DpMacroContext;

GType            dp_macro_context_get_type (void) G_GNUC_CONST;

DpMacroContext  *dp_macro_context_new      (void);

/**
 * dp_macro_context_new_with_lookup:
 * @lookup: (scope notified): the function giving values from device state
 * @user_data: (closure lookup): data for @lookup
 * @destroy: (destroy user_data) (nullable): frees @user_data
 *
 * Returns: (transfer full): a context backed by @lookup
 */
DpMacroContext  *dp_macro_context_new_with_lookup (DpMacroLookupFunc lookup,
                                                   gpointer          user_data,
                                                   GDestroyNotify    destroy);

/**
 * dp_macro_context_new_overlay:
 * @parent: the context to fall back to
 *
 * A context whose own values hide those of @parent; the rule evaluator uses
 * one so that the assignments of an alternative are seen by what follows
 * them without touching the caller's context.
 *
 * Returns: (transfer full): the overlay
 */
DpMacroContext  *dp_macro_context_new_overlay (DpMacroContext *parent);

DpMacroContext  *dp_macro_context_ref      (DpMacroContext *self);
void             dp_macro_context_unref    (DpMacroContext *self);

/**
 * dp_macro_context_set:
 * @self: a context
 * @name: a canonical macro name
 * @value: (nullable): the value, or %NULL to mark it unknown (hiding any
 *   value of the lookup function or parent)
 */
void             dp_macro_context_set      (DpMacroContext *self,
                                            const char     *name,
                                            const char     *value);

/**
 * dp_macro_context_lookup:
 * @self: (nullable): a context
 * @name: a canonical macro name
 *
 * Returns: (nullable): the value, or %NULL when unknown
 */
const char      *dp_macro_context_lookup   (DpMacroContext *self,
                                            const char     *name);

/**
 * dp_macro_context_set_mac:
 * @self: a context
 * @mac: a MAC address: 12 hex digits, optionally in pairs separated by `:`
 *   or `-` (any case)
 * @error: return location for a #GError
 *
 * Sets `MA` (`000e08aabbcc`), `MAU` (`000E08AABBCC`) and `MAC`
 * (`00:0e:08:aa:bb:cc`) from one address.
 *
 * Returns: %TRUE if @mac is a valid address
 */
gboolean         dp_macro_context_set_mac  (DpMacroContext *self,
                                            const char     *mac,
                                            GError        **error);

/**
 * dp_macro_name_for_parameter:
 * @parameter: a parameter name
 *
 * The macro a parameter backs: `GPP_A`…`GPP_P` → `A`…`P`, `GPP_SA`…
 * `GPP_SD` → `SA`…`SD`, `User_ID_1_`…`User_ID_6_` → `UID1`…`UID6`.
 *
 * Returns: (nullable): the canonical macro name, or %NULL
 */
const char      *dp_macro_name_for_parameter (const char *parameter);

/**
 * dp_macro_name_is_known:
 * @name: a name as written after `$` (e.g. `MAU`, `GPP_B`, `METH`)
 * @flags: whether the secret names count
 *
 * Returns: %TRUE if @name is a macro name (not whether it has a value)
 */
gboolean         dp_macro_name_is_known    (const char   *name,
                                            DpMacroFlags  flags);

/**
 * dp_macro_expand:
 * @text: the text
 * @ctx: (nullable): where values come from; %NULL = every macro unknown
 * @flags: %DP_MACRO_FLAGS_SECRETS only for a `--key` argument
 *
 * Expands the macros of @text in a single pass: the values put in are never
 * expanded again, so `$$MAU` gives `$MAU`.
 *
 * - `$$` gives `$`; a `$` followed by nothing that names a macro is kept.
 * - `$NAME`: the name is the longest macro name (see #DpMacroContext) that
 *   starts the run of letters, digits and `_` after the `$`, as the SPA does:
 *   `spa$MAU.cfg` uses MAU (not MA + "U"), `$MAUX` is MAU then "X",
 *   `$STRANGE` names nothing and stays as written. Names are case-sensitive.
 * - `$(NAME)`: NAME must be a whole macro name; `$(NAME:p)` is the value
 *   from character p (0-based) to its end, `$(NAME:p:q)` at most q characters
 *   from p. An offset at or past the end gives the empty string, a length
 *   past the end stops at the end.
 * - A known name whose value is unknown (the context returns %NULL) is left
 *   verbatim, exactly as written (`$MA`, `$(MA:2)`).
 * - Malformed `$(` forms (no closing `)`, a character other than a name,
 *   `:` and digits inside, an empty name or offset) are left verbatim; use
 *   dp_macro_check() to reject them.
 *
 * Returns: (transfer full): the expanded text
 */
char            *dp_macro_expand           (const char     *text,
                                            DpMacroContext *ctx,
                                            DpMacroFlags    flags);

/**
 * dp_macro_check:
 * @text: the text
 * @error: return location for a #GError
 *
 * Reports the first malformed `$(` form of @text, with its position
 * (`"Macro: position 5: '$(' without a closing ')'"`). Rules, conditions
 * and triggers reject malformed forms the same way when they are parsed;
 * only dp_macro_expand() on its own is lenient (e.g. for log messages).
 *
 * Returns: %TRUE if every `$(` form is well formed
 */
gboolean         dp_macro_check            (const char  *text,
                                            GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpMacroContext, dp_macro_context_unref)

G_END_DECLS
