/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpSidecar: the SPA932 attendant console's key model (issue 7). Internal to
 * the sidecar plugin; tests/sidecar links it statically. */
#pragma once

#include <deskphone.h>
#include "dp-key-script.h"
#include "dp-dialog-info.h"

G_BEGIN_DECLS

/**
 * SECTION:dp-sidecar
 *
 * Keys: units 1 and 2 hold `Unit_u_Key_k` (k 1–32, only while
 * `Unit_u_Enable` is Yes); "unit 0" holds the phone's line keys k (1–6)
 * whose `Extended_Function_k_` is set *and* whose `Extension_k_` is
 * `Disabled` (the 6.x firmware rule: a line key is either a line or a
 * function key).
 *
 * Decisions (each one is tested in tests/sidecar):
 *
 * - Every key with `blf` watches its expanded `sub` through the core's
 *   #DpSubscriber (`Event: dialog`, `Accept: application/dialog-info+xml`,
 *   `Subscribe_Expires`). Keys watching the same resource share one
 *   subscription. Subscriptions and speed dials use the first enabled
 *   extension (`Line_Enable_n_`), whose `Proxy_n_` / `User_ID_n_` expand
 *   `$PROXY` / `$USER`.
 * - The provider refreshes an active subscription (its contract). The
 *   sidecar subscribes again when `Subscribe_Expires` changes, when the
 *   line registers again after being unregistered, when a partial NOTIFY
 *   shows a version gap (to get full state), at once when the notifier ends
 *   the subscription with reason `deactivated` or `timeout` (RFC 6665
 *   §4.1.3), and otherwise `Subscribe_Retry_Interval` seconds (at least 1)
 *   after a failure, a refusal or a missing subscriber — so the keys come
 *   alive as soon as the sip plugin provides a subscriber.
 * - Key state: `unknown` while there is no subscriber, the subscription
 *   failed or ended, or no full state has arrived; else the lamp state of the
 *   dialogs (dp_dialog_set_get_blf_state()). A re-subscription keeps the last
 *   known state on the key until the new full state arrives. Keys without
 *   `blf` are `off`.
 * - A NOTIFY body that is not `application/dialog-info+xml`, is malformed,
 *   or is stale is rejected (logged, counted in the status `rejected`
 *   member) and changes no key.
 * - LEDs: extension parameters `Sidecar_Idle_LED` (default `c=g`),
 *   `Sidecar_Ringing_LED` (`c=r;p=f`, like `Local_Ringing_LED`),
 *   `Sidecar_Busy_LED` (`c=r`, "red steady = in use"), `Sidecar_Held_LED`
 *   (`c=r;p=s`, like `Local_Held_LED`) and `Sidecar_Unknown_LED` (`c=a`,
 *   "orange = unregistered"); blank means the default, as on the SPA's
 *   line-key LED fields. `off` keys are dark (`c=o`). `Test_Mode_Enable`
 *   lights every key amber steady (`c=a`), which on the bicolour LED turns on
 *   both the red and the green die.
 * - Press: a `cp` key whose line rings picks up; otherwise a `sd` key speed
 *   dials `ext`, else `usr`, else `sub` (so a busy key without `cp` speed
 *   dials). Pickup of a ringing dialog that carries call-id, local-tag and
 *   remote-tag (INVITE with Replaces, RFC 3891, ...;early-only, passed to
 *   dp_core_dial() as the URI header `?Replaces=...`, RFC 3261 §19.1.1):
 *   - `Server_Type` `RFC3265_4235` (a plain RFC 3265/4235 server: a proxy
 *     and dialog notifier with no pickup service of its own): to the
 *     caller, i.e. the dialog's remote target (else remote identity), with
 *     the caller's view of the tags (to-tag=<remote-tag>;
 *     from-tag=<local-tag>). This is RFC 3891's own pickup: the caller's UA
 *     replaces its early dialog with the new one and cancels the ringing
 *     phone.
 *   - `Server_Type` `Asterisk`: to the watched URI with the watched user's
 *     view (to-tag=<local-tag>;from-tag=<remote-tag>), which is what a PBX
 *     matching its own leg expects.
 *   Otherwise (Broadsoft, SPA9000, Sylantro, no identifiers, or no caller
 *   URI) directed pickup: dial `Attendant_Console_Call_Pickup_Code`
 *   (extension parameter, default `*98`) followed by the user part of `usr`, else `sub`.
 */

#define DP_SIDECAR_UNITS 2
#define DP_SIDECAR_KEYS_PER_UNIT 32
#define DP_SIDECAR_LINE_KEYS 6

#define DP_TYPE_SIDECAR (dp_sidecar_get_type ())
G_DECLARE_FINAL_TYPE (DpSidecar, dp_sidecar, DP, SIDECAR, GObject)

gboolean    dp_sidecar_register_parameters (DpConfig    *config,
                                            GError     **error);
DpSidecar  *dp_sidecar_new                 (DpCore      *core);
void        dp_sidecar_start               (DpSidecar   *self);
void        dp_sidecar_stop                (DpSidecar   *self);
gboolean    dp_sidecar_set_key             (DpSidecar   *self,
                                            guint        unit,
                                            guint        key,
                                            const char  *script,
                                            GError     **error);
guint       dp_sidecar_get_n_keys          (DpSidecar   *self);
DpBlfState  dp_sidecar_get_key_state       (DpSidecar   *self,
                                            guint        unit,
                                            guint        key);
const char *dp_sidecar_get_key_led         (DpSidecar   *self,
                                            guint        unit,
                                            guint        key);
guint64     dp_sidecar_get_n_rejected      (DpSidecar   *self);
gboolean    dp_sidecar_press               (DpSidecar   *self,
                                            guint        unit,
                                            guint        key,
                                            GError     **error);
gboolean    dp_sidecar_press_action        (DpCore      *core,
                                            const char  *argument,
                                            gpointer     user_data,
                                            GError     **error);
JsonNode   *dp_sidecar_to_json             (DpSidecar   *self);
JsonNode   *dp_sidecar_status_section      (DpCore      *core,
                                            gpointer     user_data);

G_END_DECLS
