/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SECTION:dp-key-script
 * @title: SPA932 key script
 *
 * The key scripts of `Unit_u_Key_k` (SPA932 sidecar) and line-key
 * `Extended_Function_k_` (spa9x2-reference.md §9, conformance K8–K12):
 * `field (';' field)*`, each field `name=value`, in any order:
 *
 * - `fnc=` one or more of `blf` (busy-lamp field), `sd` (speed dial),
 *   `cp` (call pickup) joined by `+`, in any order;
 * - `sub=` the resource watched for BLF (`user@host`, `$PROXY` allowed);
 * - `ext=` what speed dial dials;
 * - `usr=` the user to pick up / dial when it differs from `sub`;
 * - `nme=` the label.
 *
 * Decisions (each one is tested):
 *
 * - Whitespace around names, values, `=`, `;` and `+` is ignored; an
 *   empty field (`;;`, a trailing `;`) is skipped.
 * - Field names and function names match case-insensitively (provisioning
 *   generators write both `fnc=BLF` and `fnc=blf`); values keep their case.
 * - An unknown field, an unknown function, a repeated field or a repeated
 *   function is rejected: a typo must not silently turn a BLF key dark.
 * - `fnc` is required. `blf` needs `sub`; `sd` needs `ext`, `usr` or `sub`;
 *   `cp` needs `blf` (a pickup key must know when its line rings — the
 *   SPA5xx `usr=` form only changes *whom* it picks up).
 * - `sub`, `ext` and `usr` are non-empty and hold no whitespace, control
 *   character, `<`, `>` or `"` (they become request URIs); `nme` is any
 *   UTF-8 text without control characters, at most
 *   %DP_KEY_SCRIPT_MAX_LABEL bytes.
 * - The whole script is at most %DP_KEY_SCRIPT_MAX_LENGTH bytes (the SPA
 *   web form's limit is not documented; 255 fits every example).
 * - The parser rejects an empty script; the syntax checker
 *   dp_key_script_check() accepts an empty value (an unused key).
 * - Macro expansion (dp_key_script_expand()) replaces exactly `$PROXY` and
 *   `$USER`; any other `$` text is kept verbatim, like the SPA, which
 *   documents only these two for key scripts.
 */

#define DP_KEY_SCRIPT_MAX_LENGTH 255
#define DP_KEY_SCRIPT_MAX_LABEL 64

#define DP_KEY_SCRIPT_ERROR (dp_key_script_error_quark ())
GQuark dp_key_script_error_quark (void);

/**
 * DpKeyScriptError:
 * @DP_KEY_SCRIPT_ERROR_SYNTAX: malformed; the message names the position
 *
 * Errors of the key-script parser.
 */
typedef enum {
  DP_KEY_SCRIPT_ERROR_SYNTAX,
} DpKeyScriptError;

/**
 * DpKeyFunction:
 * @DP_KEY_FUNCTION_NONE: no function
 * @DP_KEY_FUNCTION_BLF: `blf`, busy-lamp field
 * @DP_KEY_FUNCTION_SPEED_DIAL: `sd`, speed dial
 * @DP_KEY_FUNCTION_CALL_PICKUP: `cp`, call pickup
 *
 * What a key does.
 */
typedef enum /*< flags >*/ {
  DP_KEY_FUNCTION_NONE = 0,
  DP_KEY_FUNCTION_BLF = 1 << 0,
  DP_KEY_FUNCTION_SPEED_DIAL = 1 << 1,
  DP_KEY_FUNCTION_CALL_PICKUP = 1 << 2,
} DpKeyFunction;

/**
 * DpKeyScript:
 * @functions: the #DpKeyFunction set
 * @sub: (nullable): the `sub=` value
 * @ext: (nullable): the `ext=` value
 * @usr: (nullable): the `usr=` value
 * @nme: (nullable): the `nme=` label
 *
 * A decoded key script. Values are as written (macros not expanded).
 */
typedef struct {
  guint functions;
  char *sub;
  char *ext;
  char *usr;
  char *nme;
} DpKeyScript;

GType        dp_key_script_get_type          (void) G_GNUC_CONST;
DpKeyScript *dp_key_script_parse             (const char         *text,
                                              GError            **error);
gboolean     dp_key_script_check             (const char         *value,
                                              GError            **error);
DpKeyScript *dp_key_script_copy              (const DpKeyScript  *script);
void         dp_key_script_free              (DpKeyScript        *script);
DpKeyScript *dp_key_script_expand            (const DpKeyScript  *script,
                                              const char         *proxy,
                                              const char         *user);
char        *dp_key_script_expand_value      (const char         *value,
                                              const char         *proxy,
                                              const char         *user);
const char  *dp_key_script_get_dial_target   (const DpKeyScript  *script);
const char  *dp_key_script_get_pickup_target (const DpKeyScript  *script);
char        *dp_key_functions_to_string      (guint               functions);
gboolean     dp_key_script_flat_to_unit_key  (guint               flat_key,
                                              guint               line_keys,
                                              guint              *unit,
                                              guint              *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpKeyScript, dp_key_script_free)

G_END_DECLS
