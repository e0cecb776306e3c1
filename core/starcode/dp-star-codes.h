/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Vertical service activation codes (star codes) of the SPA Regional tab:
 * the table of code parameters with their defaults and meanings, the
 * resolver that turns dialled keys into the action the sip plugin performs,
 * the Feature/Referral service code lists and the service announcement
 * extension codes. Pure functions; the current code values come from a
 * lookup callback so that nothing here depends on DpConfig. */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define DP_STAR_CODE_ERROR (dp_star_code_error_quark ())

/**
 * DpStarCodeError:
 * @DP_STAR_CODE_ERROR_SYNTAX: the value does not follow the grammar
 * @DP_STAR_CODE_ERROR_DUPLICATE: a code or service name is given twice
 * @DP_STAR_CODE_ERROR_TOO_LONG: the value exceeds its length limit
 *
 * Errors of the code-list parsers. Messages read
 * `"<Kind>: position <N>: <problem>"` with N the 1-based byte position.
 */
typedef enum {
  DP_STAR_CODE_ERROR_SYNTAX,
  DP_STAR_CODE_ERROR_DUPLICATE,
  DP_STAR_CODE_ERROR_TOO_LONG,
} DpStarCodeError;

GQuark dp_star_code_error_quark (void);

/**
 * DpStarAction:
 * @DP_STAR_ACTION_NONE: not a code
 * @DP_STAR_ACTION_CALL_RETURN: call the last caller (`Call_Return_Code`)
 * @DP_STAR_ACTION_BLIND_TRANSFER: blind-transfer the current call to the number
 * @DP_STAR_ACTION_CALL_BACK_ACT: call back the last busy number when it frees
 * @DP_STAR_ACTION_CALL_BACK_DEACT: cancel the call-back order
 * @DP_STAR_ACTION_CFWD_ALL_ACT: forward all calls to the number
 * @DP_STAR_ACTION_CFWD_ALL_DEACT: stop forwarding all calls
 * @DP_STAR_ACTION_CFWD_BUSY_ACT: forward on busy to the number
 * @DP_STAR_ACTION_CFWD_BUSY_DEACT: stop forwarding on busy
 * @DP_STAR_ACTION_CFWD_NO_ANS_ACT: forward on no answer to the number
 * @DP_STAR_ACTION_CFWD_NO_ANS_DEACT: stop forwarding on no answer
 * @DP_STAR_ACTION_CW_ACT: call waiting on
 * @DP_STAR_ACTION_CW_DEACT: call waiting off
 * @DP_STAR_ACTION_CW_PER_CALL_ACT: call waiting on for the next call
 * @DP_STAR_ACTION_CW_PER_CALL_DEACT: call waiting off for the next call
 * @DP_STAR_ACTION_BLOCK_CID_ACT: hide caller ID on all calls
 * @DP_STAR_ACTION_BLOCK_CID_DEACT: show caller ID again
 * @DP_STAR_ACTION_BLOCK_CID_PER_CALL_ACT: hide caller ID on the next call
 * @DP_STAR_ACTION_BLOCK_CID_PER_CALL_DEACT: show caller ID on the next call
 * @DP_STAR_ACTION_BLOCK_ANC_ACT: reject anonymous calls
 * @DP_STAR_ACTION_BLOCK_ANC_DEACT: accept anonymous calls
 * @DP_STAR_ACTION_DND_ACT: do not disturb on
 * @DP_STAR_ACTION_DND_DEACT: do not disturb off
 * @DP_STAR_ACTION_SECURE_ALL_CALL_ACT: make all outbound calls secure
 * @DP_STAR_ACTION_SECURE_NO_CALL_ACT: make no outbound call secure
 * @DP_STAR_ACTION_SECURE_ONE_CALL_ACT: make the next call secure
 * @DP_STAR_ACTION_SECURE_ONE_CALL_DEACT: make the next call not secure
 * @DP_STAR_ACTION_PAGING: page the number (extension or group)
 * @DP_STAR_ACTION_CALL_PARK: park the current call (optional park slot)
 * @DP_STAR_ACTION_CALL_UNPARK: unpark (optional park slot)
 * @DP_STAR_ACTION_CALL_PICKUP: pick up the call ringing at the number
 * @DP_STAR_ACTION_GROUP_CALL_PICKUP: pick up a call ringing in the group
 * @DP_STAR_ACTION_MEDIA_LOOPBACK: call the number requesting media loopback
 * @DP_STAR_ACTION_CODEC_PREFER: call the number preferring #DpStarMatch.codec
 * @DP_STAR_ACTION_CODEC_FORCE: call the number with only #DpStarMatch.codec
 * @DP_STAR_ACTION_FEATURE_DIAL: `Feature_Dial_Services_Codes`: send an
 *   ordinary INVITE to #DpStarMatch.target (code + number)
 * @DP_STAR_ACTION_REFERRAL: `Referral_Services_Codes`: blind REFER of the
 *   held party with `Refer-To:` #DpStarMatch.target (code + number)
 *
 * What a dialled code means.
 */
typedef enum {
  DP_STAR_ACTION_NONE,
  DP_STAR_ACTION_CALL_RETURN,
  DP_STAR_ACTION_BLIND_TRANSFER,
  DP_STAR_ACTION_CALL_BACK_ACT,
  DP_STAR_ACTION_CALL_BACK_DEACT,
  DP_STAR_ACTION_CFWD_ALL_ACT,
  DP_STAR_ACTION_CFWD_ALL_DEACT,
  DP_STAR_ACTION_CFWD_BUSY_ACT,
  DP_STAR_ACTION_CFWD_BUSY_DEACT,
  DP_STAR_ACTION_CFWD_NO_ANS_ACT,
  DP_STAR_ACTION_CFWD_NO_ANS_DEACT,
  DP_STAR_ACTION_CW_ACT,
  DP_STAR_ACTION_CW_DEACT,
  DP_STAR_ACTION_CW_PER_CALL_ACT,
  DP_STAR_ACTION_CW_PER_CALL_DEACT,
  DP_STAR_ACTION_BLOCK_CID_ACT,
  DP_STAR_ACTION_BLOCK_CID_DEACT,
  DP_STAR_ACTION_BLOCK_CID_PER_CALL_ACT,
  DP_STAR_ACTION_BLOCK_CID_PER_CALL_DEACT,
  DP_STAR_ACTION_BLOCK_ANC_ACT,
  DP_STAR_ACTION_BLOCK_ANC_DEACT,
  DP_STAR_ACTION_DND_ACT,
  DP_STAR_ACTION_DND_DEACT,
  DP_STAR_ACTION_SECURE_ALL_CALL_ACT,
  DP_STAR_ACTION_SECURE_NO_CALL_ACT,
  DP_STAR_ACTION_SECURE_ONE_CALL_ACT,
  DP_STAR_ACTION_SECURE_ONE_CALL_DEACT,
  DP_STAR_ACTION_PAGING,
  DP_STAR_ACTION_CALL_PARK,
  DP_STAR_ACTION_CALL_UNPARK,
  DP_STAR_ACTION_CALL_PICKUP,
  DP_STAR_ACTION_GROUP_CALL_PICKUP,
  DP_STAR_ACTION_MEDIA_LOOPBACK,
  DP_STAR_ACTION_CODEC_PREFER,
  DP_STAR_ACTION_CODEC_FORCE,
  DP_STAR_ACTION_FEATURE_DIAL,
  DP_STAR_ACTION_REFERRAL,
} DpStarAction;

/**
 * DpStarArgument:
 * @DP_STAR_ARGUMENT_NONE: the code stands alone; keys dialled after it are
 *   the next thing to process (chained codes, then the number to call)
 * @DP_STAR_ARGUMENT_NUMBER: a number must follow (forward target, transfer
 *   target, extension to page or pick up)
 * @DP_STAR_ARGUMENT_OPTIONAL: a number may follow (park slot)
 * @DP_STAR_ARGUMENT_CALL: the code modifies the call to the number that
 *   follows (codec selection, per-call settings); it may also be dialled
 *   alone before the number
 *
 * What a code expects after it.
 */
typedef enum {
  DP_STAR_ARGUMENT_NONE,
  DP_STAR_ARGUMENT_NUMBER,
  DP_STAR_ARGUMENT_OPTIONAL,
  DP_STAR_ARGUMENT_CALL,
} DpStarArgument;

/**
 * DpServiceTone:
 * @DP_SERVICE_TONE_NONE: no tone (`x` or a digit in a code list)
 * @DP_SERVICE_TONE_CFWD_DIAL: Cfwd Dial Tone (`c`)
 * @DP_SERVICE_TONE_DIAL: Dial Tone (`d`)
 * @DP_SERVICE_TONE_MWI_DIAL: MWI Dial Tone (`m`)
 * @DP_SERVICE_TONE_OUTSIDE_DIAL: Outside Dial Tone (`o`)
 * @DP_SERVICE_TONE_PROMPT: Prompt Tone (`p`, the default)
 * @DP_SERVICE_TONE_SECOND_DIAL: Second Dial Tone (`s`)
 *
 * The tone played after a code while the number is collected.
 */
typedef enum {
  DP_SERVICE_TONE_NONE,
  DP_SERVICE_TONE_CFWD_DIAL,
  DP_SERVICE_TONE_DIAL,
  DP_SERVICE_TONE_MWI_DIAL,
  DP_SERVICE_TONE_OUTSIDE_DIAL,
  DP_SERVICE_TONE_PROMPT,
  DP_SERVICE_TONE_SECOND_DIAL,
} DpServiceTone;

/**
 * DpStarContext:
 * @DP_STAR_CONTEXT_DIAL_TONE: first dial tone (no call, or a call being set up)
 * @DP_STAR_CONTEXT_SECOND_DIAL_TONE: second dial tone: the current call is on
 *   hold; `Referral_Services_Codes` are active only here
 *
 * Where the user dials.
 */
typedef enum {
  DP_STAR_CONTEXT_DIAL_TONE,
  DP_STAR_CONTEXT_SECOND_DIAL_TONE,
} DpStarContext;

/**
 * DpStarResult:
 * @DP_STAR_RESULT_NO_MATCH: the keys start with no active code and are not
 *   the beginning of one
 * @DP_STAR_RESULT_PARTIAL: the keys are the beginning of a code; keep dialling
 * @DP_STAR_RESULT_NEEDS_NUMBER: a code that needs a number matched and no
 *   number follows yet (#DpStarMatch filled; play #DpStarMatch.tone)
 * @DP_STAR_RESULT_MATCH: a code matched (#DpStarMatch filled)
 *
 * The outcome of dp_star_code_resolve().
 */
typedef enum {
  DP_STAR_RESULT_NO_MATCH,
  DP_STAR_RESULT_PARTIAL,
  DP_STAR_RESULT_NEEDS_NUMBER,
  DP_STAR_RESULT_MATCH,
} DpStarResult;

/**
 * DpStarCodeInfo:
 * @name: the SPA parameter name (`Cfwd_All_Act_Code`)
 * @default_value: the SPA962 5.1.15 factory value (`*72`)
 * @group: "Tab/Section" of the parameter
 * @action: what the code means
 * @argument: what the code expects after it
 * @codec: for the codec-selection codes, the codec as the `*_Codec_Name`
 *   parameters spell it (`G711u`, `G726r32` …); otherwise %NULL
 *
 * One row of the code table (spa9x2-reference §5.1 and §5.4).
 */
typedef struct {
  const char *name;
  const char *default_value;
  const char *group;
  DpStarAction action;
  DpStarArgument argument;
  const char *codec;
} DpStarCodeInfo;

/**
 * dp_star_code_table:
 * @n_entries: (out): number of rows
 *
 * The 32 activation codes of §5.1 followed by the 16 codec selection codes of
 * §5.4, in web-UI order. The lists (`Referral_Services_Codes`,
 * `Feature_Dial_Services_Codes`) and the announcement parameters
 * (`Service_Annc_Base_Number`, `Service_Annc_Extension_Codes`) are not rows:
 * they are not single codes. All of them default to the empty string.
 *
 * Returns: (transfer none) (array length=n_entries): the table
 */
const DpStarCodeInfo *dp_star_code_table (guint *n_entries);

/**
 * dp_star_code_info_lookup:
 * @name: a parameter name
 *
 * Returns: (transfer none) (nullable): the row of @name, or %NULL
 */
const DpStarCodeInfo *dp_star_code_info_lookup (const char *name);

/**
 * dp_star_action_to_string:
 * @action: an action
 *
 * Returns: a stable lower-case name (`cfwd-all-act`, `codec-prefer`, …)
 */
const char *dp_star_action_to_string (DpStarAction action);

/**
 * dp_star_action_get_argument:
 * @action: an action
 *
 * Returns: what @action expects after its code
 */
DpStarArgument dp_star_action_get_argument (DpStarAction action);

/**
 * dp_service_tone_to_string:
 * @tone: a tone
 *
 * Returns: the tone parameter's stem: `none`, `cfwd-dial`, `dial`,
 *   `mwi-dial`, `outside-dial`, `prompt`, `second-dial`
 */
const char *dp_service_tone_to_string (DpServiceTone tone);

/**
 * DpStarCodeLookup:
 * @name: a parameter name (`Cfwd_All_Act_Code`, `Feature_Dial_Services_Codes` …)
 * @user_data: closure
 *
 * Returns the current value of a parameter. %NULL means "not configured":
 * the factory default from dp_star_code_table() applies (empty for the lists).
 * An empty string means the code is blanked (disabled, passed to the network).
 *
 * Returns: (nullable) (transfer none): the value
 */
typedef const char *(*DpStarCodeLookup) (const char *name, gpointer user_data);

/**
 * dp_star_code_lookup_hash:
 * @name: a parameter name
 * @user_data: a #GHashTable mapping names (char *) to values (char *)
 *
 * A ready-made #DpStarCodeLookup over a hash table.
 *
 * Returns: (nullable) (transfer none): the value stored for @name
 */
const char *dp_star_code_lookup_hash (const char *name, gpointer user_data);

/**
 * DpStarMatch:
 * @action: what the code means
 * @param: (nullable): the parameter the code came from (static string;
 *   `Feature_Dial_Services_Codes` / `Referral_Services_Codes` for list codes)
 * @code: the code as matched
 * @argument: the keys after the code ("" when none). For
 *   %DP_STAR_ARGUMENT_NONE codes these are the next keys to process
 *   (pre-dial chaining); otherwise the number the action applies to.
 * @codec: (nullable): codec for %DP_STAR_ACTION_CODEC_PREFER / _FORCE
 * @tone: tone to play after the code while the number is collected
 * @target: (nullable): for %DP_STAR_ACTION_FEATURE_DIAL and
 *   %DP_STAR_ACTION_REFERRAL, code + number: the INVITE user part or the
 *   `Refer-To` user part; otherwise %NULL
 *
 * A resolved code. Release the strings with dp_star_match_clear().
 */
typedef struct {
  DpStarAction action;
  const char *param;
  char *code;
  char *argument;
  const char *codec;
  DpServiceTone tone;
  char *target;
} DpStarMatch;

void dp_star_match_clear (DpStarMatch *match);

/**
 * dp_star_code_resolve:
 * @keys: keys dialled so far (`0`–`9`, `*`, `#`)
 * @context: where the user dials
 * @lookup: (scope call) (nullable): current values; %NULL = factory defaults
 * @user_data: closure for @lookup
 * @match: (out caller-allocates) (optional): the resolved code; cleared and
 *   filled for %DP_STAR_RESULT_MATCH and %DP_STAR_RESULT_NEEDS_NUMBER
 *
 * Finds the code @keys begin with. Candidates are the non-empty local codes
 * of dp_star_code_table(), the `Feature_Dial_Services_Codes` entries, and in
 * %DP_STAR_CONTEXT_SECOND_DIAL_TONE the `Referral_Services_Codes` entries.
 * The longest matching code wins, so `*0172616` is not taken for a shorter
 * code it begins with.
 *
 * Decision: on equal codes a list entry beats the local code, Referral before
 * Feature. The guide says the lists must not clash with local codes and that
 * a local code should be blanked to reach the network; listing a code is the
 * administrator's explicit wish, so `*72` in `Feature_Dial_Services_Codes` +
 * `5551212` gives an INVITE to `*725551212` even with `Cfwd_All_Act_Code`
 * still at `*72`.
 *
 * Code values that are not valid codes and malformed lists are ignored (they
 * cannot be dialled; the syntax checkers keep them out of the configuration).
 * A code is matched as soon as it is complete (the phone acts on a star code
 * as soon as it completes), even if a longer code begins with it.
 *
 * Examples with defaults: `*725551234` → %DP_STAR_ACTION_CFWD_ALL_ACT, argument
 * `5551234`; `*72` → %DP_STAR_RESULT_NEEDS_NUMBER; `*0171115551234` →
 * %DP_STAR_ACTION_CODEC_PREFER, codec `G711a`, argument `5551234`; `*7` →
 * %DP_STAR_RESULT_PARTIAL; `5551234` → %DP_STAR_RESULT_NO_MATCH.
 *
 * Returns: the outcome
 */
DpStarResult dp_star_code_resolve (const char      *keys,
                                   DpStarContext    context,
                                   DpStarCodeLookup lookup,
                                   gpointer         user_data,
                                   DpStarMatch     *match);

/**
 * dp_star_code_dial_plan_sequences:
 * @lookup: (scope call) (nullable): current values; %NULL = factory defaults
 * @user_data: closure for @lookup
 *
 * The sequences that are implicitly appended to every line's dial plan
 * (spa9x2-reference §3.3): each non-empty, valid local activation code and
 * codec selection code, in table order, without duplicates. The codes are
 * made of `0`–`9`, `*`, `#`, which are literal keys in dial-plan syntax.
 *
 * Returns: (transfer full) (array zero-terminated=1): the sequences
 */
char **dp_star_code_dial_plan_sequences (DpStarCodeLookup lookup,
                                         gpointer         user_data);

/**
 * dp_star_code_check:
 * @value: the value of one code parameter
 * @error: return location for a #GError
 *
 * The `starcode` syntax checker (a #DpSyntaxCheckFunc): empty (code
 * disabled) or 1..31 keys from `0`–`9`, `*`, `#`.
 *
 * Returns: %TRUE if @value is valid
 */
gboolean dp_star_code_check (const char *value,
                             GError    **error);

/**
 * DpServiceCode:
 * @code: the code (`*72`)
 * @tone: the tone to play after it
 *
 * One entry of a Feature/Referral service code list.
 */
typedef struct {
  char *code;
  DpServiceTone tone;
} DpServiceCode;

void dp_service_code_free (DpServiceCode *code);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpServiceCode, dp_service_code_free)

/**
 * dp_service_codes_parse:
 * @text: a `Feature_Dial_Services_Codes` or `Referral_Services_Codes` value
 * @error: return location for a #GError
 *
 * Parses `code[`t`]|code[`t`]|…`, e.g. `*72`c`|*67`p``. A code is 1..31 keys
 * from `0`–`9`, `*`, `#`; the optional tone selector in back-quotes is one
 * of `c` (Cfwd Dial Tone), `d` (Dial Tone), `m` (MWI Dial Tone), `o` (Outside
 * Dial Tone), `p` (Prompt Tone, the default), `s` (Second Dial Tone), and `x`
 * or a digit for no tone (letters matched in any case). Blanks around entries
 * are ignored. The empty value is the empty list.
 *
 * Rejected, with the position: more than 79 characters (the SPA field
 * limit), an empty entry (`*72||*67`, a leading or trailing `|`), a key
 * outside the code alphabet, an empty, unknown, unterminated or multi-letter
 * tone selector, a code listed twice.
 *
 * Returns: (transfer full) (element-type DpServiceCode) (nullable): the
 *   entries in order, or %NULL with @error set
 */
GPtrArray *dp_service_codes_parse (const char *text,
                                   GError    **error);

/**
 * dp_service_codes_check:
 * @value: a list value
 * @error: return location for a #GError
 *
 * The `servicecodes` syntax checker (a #DpSyntaxCheckFunc).
 *
 * Returns: %TRUE if @value is valid
 */
gboolean dp_service_codes_check (const char *value,
                                 GError    **error);

/**
 * dp_service_annc_codes_parse:
 * @text: a `Service_Annc_Extension_Codes` value (`CWT=00;CWF=01`)
 * @error: return location for a #GError
 *
 * Parses the SAEC script `{SA_serv=SA_extcode;}*`: service names of two to
 * eight letters (upper-cased; the guide lists CBT/CBF/CBB, FAT/FAF, FBT/FBF,
 * FNT/FNF, FLT/FLF, CWT/CWF, BLT/BLF, ALT/ALF "…", so unknown names are kept
 * rather than rejected), extension codes of 1..31 keys `0`–`9`, `*`, `#`.
 * The last `;` is optional; blanks around items are ignored; the empty value
 * has no mapping.
 *
 * Returns: (transfer full) (element-type utf8 utf8) (nullable): service name
 *   → extension code, or %NULL with @error set
 */
GHashTable *dp_service_annc_codes_parse (const char *text,
                                         GError    **error);

/**
 * dp_service_annc_codes_check:
 * @value: a `Service_Annc_Extension_Codes` value
 * @error: return location for a #GError
 *
 * The `annccodes` syntax checker (a #DpSyntaxCheckFunc).
 *
 * Returns: %TRUE if @value is valid
 */
gboolean dp_service_annc_codes_check (const char *value,
                                      GError    **error);

/**
 * dp_service_annc_name:
 * @action: an action
 *
 * The SA_serv name announcing @action: CWT/CWF (call waiting), FAT/FAF,
 * FBT/FBF, FNT/FNF (forward all / busy / no answer), CBT/CBF (call back).
 *
 * Returns: (nullable): the name, or %NULL when @action has none
 */
const char *dp_service_annc_name (DpStarAction action);

/**
 * dp_service_annc_number:
 * @base_number: the `Service_Annc_Base_Number` value
 * @codes: the parsed `Service_Annc_Extension_Codes`
 * @action: the action just performed
 *
 * The number to call for the announcement of @action: base number followed
 * by the extension code (base `1234`, `CWT=00` → `123400`). %NULL when the
 * base is empty or @action has no mapping: the phone then behaves as usual.
 *
 * Returns: (transfer full) (nullable): the number
 */
char *dp_service_annc_number (const char *base_number,
                              GHashTable *codes,
                              DpStarAction action);

G_END_DECLS
