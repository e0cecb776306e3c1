/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "dp-prov-env.h"

G_BEGIN_DECLS

/**
 * SECTION:dp-prov-resync
 * @title: DpProvResync
 * @short_description: the SPA resync sequence (spec §1.1, §1.2)
 *
 * One resync evaluates `Profile_Rule`, `Profile_Rule_B`, `_C`, `_D` in
 * order. For each rule: parse; evaluate against live device state (the
 * first alternative whose condition holds); apply its `( … )!`
 * assignments (one transaction, before the fetch, as PG says; they stay
 * even if the fetch then fails); fetch the URL (default server
 * `Provisioning_TFTP_Server`, standing in for DHCP option 66); decrypt
 * (`--key`), inflate, parse (flat-profile XML or SPA plain text, or a
 * foreign XML through the `--alias` map) and apply the profile as one
 * transaction: a profile that fails anywhere applies nothing. A skipped
 * rule (empty, comment, no condition true) is not a failure. The first
 * failure stops the sequence; the remaining rules are not evaluated.
 *
 * Scheduling, all in phone seconds (dp-prov-clock.h):
 * - Start-up: with `Provision_Enable` and `Resync_On_Reset` Yes, the first
 *   resync (`$PRVST` 0) runs after a random delay of 0 …
 *   `Resync_Random_Delay` × 20 s. Decision (spec CONFLICT): the unit is
 *   20 s as PG/PGc say; deskphone never reboots for a parameter update,
 *   so every start-up counts as a reset.
 * - Success: the next resync (`$PRVST` 1) is `Resync_Periodic` later
 *   (0 = none). The periodic timer only runs after a successful resync.
 * - Failure: the next attempt (`$PRVST` 2) is `Resync_Error_Retry_Delay`
 *   later. Both take delay lists (dp-delay-list.h): item n is used for the
 *   (n+1)-th consecutive retry / periodic resync, the last repeats.
 *   Decision (spec CONFLICT): a delay of 0 retries "immediately" as PG
 *   says, paced at one attempt per phone second.
 * - `Resync_Fails_On_FNF`: with No, "file not found" counts as success
 *   (nothing is applied from that rule and the sequence goes on).
 * - `Resync_Trigger_1/2` are evaluated every %DP_PROV_TRIGGER_PERIOD phone
 *   seconds while no resync is running or waiting; a true one starts a
 *   resync (`$PRVST` 1). The poll timer exists only while a trigger is
 *   set and provisioning is enabled (no idle wake-ups otherwise).
 * - Calls: no resync starts while a call exists that has not ended. A due
 *   resync waits; once the phone is idle a countdown of
 *   `Forced_Resync_Delay` seconds starts (SPA text: "resync events are
 *   delayed until this counter decrements to zero"), restarted by every new
 *   call. Decision: an explicit request (`deskphonectl resync`, D-Bus, web,
 *   SIP NOTIFY; `$PRVST` -1) waits only for the calls to end.
 * - `Provision_Enable` No: scheduled resyncs do nothing and explicit
 *   requests fail; setting it back to Yes schedules a start-up resync.
 *
 * An explicit request may name a URL, in fact any one-rule text (`[--key
 * K] https://host/path`): it replaces the four rules for that one resync.
 * A request while a resync runs is queued and runs after it.
 *
 * Log messages: `Log_Resync_Request_Msg` before each fetch,
 * `Log_Resync_Success_Msg` after each applied profile,
 * `Log_Resync_Failure_Msg` on failure, macro-expanded with the attempt's
 * `$SCHEME $SERV $SERVIP $PORT $PATH $ERR`.
 */

#define DP_PROV_TRIGGER_PERIOD 10

#define DP_PROV_TYPE_RESYNC (dp_prov_resync_get_type ())
G_DECLARE_FINAL_TYPE (DpProvResync, dp_prov_resync, DP_PROV, RESYNC, GObject)

DpProvResync *dp_prov_resync_new      (DpProvEnv     *env);
void          dp_prov_resync_start    (DpProvResync  *self);
gboolean      dp_prov_resync_request  (DpProvResync  *self,
                                       const char    *rule,
                                       GError       **error);
gboolean      dp_prov_resync_is_running (DpProvResync *self);
JsonNode     *dp_prov_resync_to_json  (DpProvResync  *self);

G_END_DECLS
