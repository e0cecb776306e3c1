/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The SPA dial plan engine: a parser for `Dial_Plan_n_` values (DpDialPlan)
 * and a pure state machine (DpDialer) that is fed key and timer events and
 * answers with the events the phone must act on. There is no clock inside:
 * the dialer says which timer to arm and the caller tells it when that timer
 * fired, so every behaviour can be tested in virtual time.
 *
 * Syntax (spa9x2-reference §3.2), whitespace is ignored everywhere except
 * that it ends the number of an `Ln` / `Sn` / `Pn`:
 *
 *   plan      := { ("L" | "S") ":" [n] "," } "(" sequence { "|" sequence } ")"
 *   element   := key | "x" | "X" | "[" set "]" | element "." | "," | "!"
 *              | "<" dialed ":" sent ">" | "L"n | "S"n | "P"n
 *
 * - key is `0`-`9`, `*` or `#`; `x`/`X` is any digit (never `*`/`#`).
 * - a set holds keys and digit ranges `a-b` (`[235-8*]`).
 * - `.` repeats the element before it zero or more times (`01.` matches `0`).
 * - `<dialed:sent>`: the dialed side (keys, `x`, sets, `.`, `,`) is matched
 *   but not transmitted, the sent side (keys) is transmitted instead; both may
 *   be empty. A sent side may end with `@route` (`<:@gw0>`): gateway routing
 *   is UNCONFIRMED on SPA9x2; it is accepted and reported as the route of the
 *   send event, never merged into the number.
 * - `,` plays the outside dial tone at that point until the next key.
 * - `!` must end a sequence: a number it completes is rejected (barred).
 * - `L:n,` / `S:n,` before the `(` replace the Regional long / short
 *   interdigit timers for this plan; `L:,` without a number means 5 s (later
 *   firmware; UNCONFIRMED on SPA9x2, chosen so such profiles are accepted).
 *   Timers range 0–64 s like Interdigit_*_Timer.
 * - `Ln` / `Sn` inside a sequence override the timers from that point on;
 *   `Pn` requires n seconds (0–999) without a key before the rest of the
 *   sequence matches (`( P5 <:1000> | xxxx )` warm line, `P0` hot line).
 * - the letters `L`, `S`, `P` and `X` are accepted in either case.
 * - a plan is at most %DP_DIAL_PLAN_MAX_LENGTH bytes (the SPA limit is
 *   UNCONFIRMED; this is far above any real plan) and each sequence must
 *   match or send something (`()` and `(|x)` are rejected).
 *
 * Errors name the 1-based byte position: "position 7: ...".
 */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define DP_DIAL_PLAN_MAX_LENGTH 4096

#define DP_DIAL_PLAN_ERROR (dp_dial_plan_error_quark ())

/**
 * DpDialPlanError:
 * @DP_DIAL_PLAN_ERROR_SYNTAX: the plan is malformed; the message names the position
 * @DP_DIAL_PLAN_ERROR_TOO_LONG: the plan is longer than %DP_DIAL_PLAN_MAX_LENGTH
 * @DP_DIAL_PLAN_ERROR_INVALID_CODE: a service code is not made of keys
 */
typedef enum {
  DP_DIAL_PLAN_ERROR_SYNTAX,
  DP_DIAL_PLAN_ERROR_TOO_LONG,
  DP_DIAL_PLAN_ERROR_INVALID_CODE,
} DpDialPlanError;

GQuark dp_dial_plan_error_quark (void);

/**
 * DpDialPlan:
 *
 * A parsed, immutable, reference-counted dial plan.
 */
typedef struct _DpDialPlan DpDialPlan;

#define DP_TYPE_DIAL_PLAN (dp_dial_plan_get_type ())
GType        dp_dial_plan_get_type          (void) G_GNUC_CONST;

DpDialPlan  *dp_dial_plan_parse             (const char  *text,
                                             GError     **error);
gboolean     dp_dial_plan_check             (const char  *value,
                                             GError     **error);
DpDialPlan  *dp_dial_plan_ref               (DpDialPlan  *plan);
void         dp_dial_plan_unref             (DpDialPlan  *plan);
const char  *dp_dial_plan_get_text          (DpDialPlan  *plan);
guint        dp_dial_plan_get_n_sequences   (DpDialPlan  *plan);
int          dp_dial_plan_get_long_timer    (DpDialPlan  *plan);
int          dp_dial_plan_get_short_timer   (DpDialPlan  *plan);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpDialPlan, dp_dial_plan_unref)

/**
 * DpDialEventType:
 * @DP_DIAL_EVENT_TONE: play a tone until the next key (@tone)
 * @DP_DIAL_EVENT_TIMER: arm (or re-arm) the one interdigit timer; a key cancels it
 * @DP_DIAL_EVENT_SEND: dialing is over: place the call / run the code
 * @DP_DIAL_EVENT_REJECT: dialing is over: play reorder
 */
typedef enum {
  DP_DIAL_EVENT_TONE,
  DP_DIAL_EVENT_TIMER,
  DP_DIAL_EVENT_SEND,
  DP_DIAL_EVENT_REJECT,
} DpDialEventType;

/**
 * DpDialTone:
 * @DP_DIAL_TONE_NONE: no tone
 * @DP_DIAL_TONE_OUTSIDE: Outside_Dial_Tone (`,` in the plan, `o` code letter)
 * @DP_DIAL_TONE_PROMPT: Prompt_Tone (after a feature dial services code)
 * @DP_DIAL_TONE_DIAL: Dial_Tone (`d`)
 * @DP_DIAL_TONE_CFWD: Cfwd_Dial_Tone (`c`)
 * @DP_DIAL_TONE_MWI: MWI_Dial_Tone (`m`)
 * @DP_DIAL_TONE_SECOND: Second_Dial_Tone (`s`)
 */
typedef enum {
  DP_DIAL_TONE_NONE,
  DP_DIAL_TONE_OUTSIDE,
  DP_DIAL_TONE_PROMPT,
  DP_DIAL_TONE_DIAL,
  DP_DIAL_TONE_CFWD,
  DP_DIAL_TONE_MWI,
  DP_DIAL_TONE_SECOND,
} DpDialTone;

/**
 * DpDialTimerKind:
 * @DP_DIAL_TIMER_LONG: Interdigit_Long_Timer: no candidate is complete yet
 * @DP_DIAL_TIMER_SHORT: Interdigit_Short_Timer: a candidate is complete but others may grow
 * @DP_DIAL_TIMER_PAUSE: a `Pn` pause of the plan
 */
typedef enum {
  DP_DIAL_TIMER_LONG,
  DP_DIAL_TIMER_SHORT,
  DP_DIAL_TIMER_PAUSE,
} DpDialTimerKind;

/**
 * DpDialRejectReason:
 * @DP_DIAL_REJECT_NO_MATCH: no sequence can match the keys
 * @DP_DIAL_REJECT_BARRED: the number completes a `!` sequence
 */
typedef enum {
  DP_DIAL_REJECT_NO_MATCH,
  DP_DIAL_REJECT_BARRED,
} DpDialRejectReason;

/**
 * DpDialCodeKind:
 * @DP_DIAL_CODE_LOCAL: a vertical service activation code (§5.1) handled by
 *   the phone itself; it is acted on as soon as it is complete (as if the
 *   sequence ended in `S0`), even when longer plan sequences are still open
 * @DP_DIAL_CODE_PREFIX: a codec selection code (§5.4): the code, then a
 *   number valid per the plan; the number is sent without the code
 * @DP_DIAL_CODE_FEATURE: a Feature_Dial_Services_Codes entry (§5.2): the
 *   code, a tone, then a number valid per the plan; `code+number` is sent
 */
typedef enum {
  DP_DIAL_CODE_LOCAL,
  DP_DIAL_CODE_PREFIX,
  DP_DIAL_CODE_FEATURE,
} DpDialCodeKind;

/**
 * DpDialEvent:
 * @type: what happened
 * @tone: for %DP_DIAL_EVENT_TONE
 * @timer_kind: for %DP_DIAL_EVENT_TIMER
 * @seconds: for %DP_DIAL_EVENT_TIMER: arm for this many seconds from now
 * @number: for %DP_DIAL_EVENT_SEND: the transmitted user part (may be empty
 *   for an IP dial without user)
 * @uri: for %DP_DIAL_EVENT_SEND of an IP dial: `sip:[user@]a.b.c.d:port`, else %NULL
 * @code: for %DP_DIAL_EVENT_SEND: the parameter name of the service code that
 *   matched (`Call_Return_Code` ...), else %NULL
 * @route: for %DP_DIAL_EVENT_SEND: the `@...` route of a substitution, else %NULL
 * @sequence: for %DP_DIAL_EVENT_SEND: the 0-based index of the plan sequence
 *   that matched, or -1 (sent as dialed, service code alone, IP dial)
 * @dialed: for %DP_DIAL_EVENT_SEND / %DP_DIAL_EVENT_REJECT: the keys as dialed
 * @reason: for %DP_DIAL_EVENT_REJECT
 */
typedef struct {
  DpDialEventType type;
  DpDialTone tone;
  DpDialTimerKind timer_kind;
  guint seconds;
  char *number;
  char *uri;
  char *code;
  char *route;
  int sequence;
  char *dialed;
  DpDialRejectReason reason;
} DpDialEvent;

#define DP_TYPE_DIAL_EVENT (dp_dial_event_get_type ())
GType         dp_dial_event_get_type  (void) G_GNUC_CONST;
DpDialEvent  *dp_dial_event_copy      (const DpDialEvent *event);
void          dp_dial_event_free      (DpDialEvent       *event);
/* Short names used in the deskphonectl JSON ("outside", "long", "barred" ...). */
const char   *dp_dial_tone_to_string          (DpDialTone         tone);
const char   *dp_dial_timer_kind_to_string    (DpDialTimerKind    kind);
const char   *dp_dial_reject_reason_to_string (DpDialRejectReason reason);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpDialEvent, dp_dial_event_free)


/**
 * DpDialIncompletePolicy:
 * @DP_DIAL_INCOMPLETE_SEND: an incomplete number is sent as dialed at timeout
 *   or on `#` (Administration Guide; the default)
 * @DP_DIAL_INCOMPLETE_REJECT: it is rejected (SPA9000 Voice System guide)
 */
typedef enum {
  DP_DIAL_INCOMPLETE_SEND,
  DP_DIAL_INCOMPLETE_REJECT,
} DpDialIncompletePolicy;

#define DP_TYPE_DIALER (dp_dialer_get_type ())
G_DECLARE_FINAL_TYPE (DpDialer, dp_dialer, DP, DIALER, GObject)

DpDialer   *dp_dialer_new                    (DpDialPlan             *plan);
void        dp_dialer_set_timers             (DpDialer               *self,
                                              guint                   long_seconds,
                                              guint                   short_seconds);
void        dp_dialer_set_ip_dialing         (DpDialer               *self,
                                              gboolean                enabled);
void        dp_dialer_set_incomplete_policy  (DpDialer               *self,
                                              DpDialIncompletePolicy  policy);
gboolean    dp_dialer_add_code               (DpDialer               *self,
                                              const char             *name,
                                              const char             *code,
                                              DpDialCodeKind          kind,
                                              DpDialTone              tone,
                                              GError                **error);
void        dp_dialer_add_default_codes      (DpDialer               *self);
gboolean    dp_dialer_add_feature_codes      (DpDialer               *self,
                                              const char             *list,
                                              GError                **error);

GPtrArray  *dp_dialer_start                  (DpDialer               *self);
GPtrArray  *dp_dialer_press_key              (DpDialer               *self,
                                              char                    key);
GPtrArray  *dp_dialer_timer_expired          (DpDialer               *self);
GPtrArray  *dp_dialer_send                   (DpDialer               *self);

gboolean    dp_dialer_is_finished            (DpDialer               *self);
const char *dp_dialer_get_dialed             (DpDialer               *self);
gboolean    dp_dial_key_is_valid             (char                    key);

G_END_DECLS
