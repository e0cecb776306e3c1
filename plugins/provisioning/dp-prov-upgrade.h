/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "dp-prov-env.h"

G_BEGIN_DECLS

/**
 * SECTION:dp-prov-upgrade
 * @title: DpProvUpgrade
 * @short_description: firmware upgrade (spec §2)
 *
 * `Upgrade_Rule` (conditions and assignments, no options) is evaluated
 * after every resync and on request (`deskphonectl upgrade [URL]`).
 *
 * - `Upgrade_Enable` No: nothing happens; requests fail.
 * - Once per effective URL: an attempt that succeeded is recorded
 *   (`upgrade-state.ini` in the state dir: the rule text and the canonical
 *   URL, surviving restarts); the same rule giving the same URL is not
 *   attempted again. A request naming a URL always attempts it.
 * - A failed attempt is retried after `Upgrade_Error_Retry_Delay` (a delay
 *   list, dp-delay-list.h), `$UPGST` 2. Decision: 0 means no retry of that
 *   rule and URL until a restart or a change of either (SIP2K: "treat
 *   failures as success (no retry until reboot)").
 * - Only while idle: an attempt waits for every call to end, and a
 *   download or installation is not started while a call exists.
 * - Image version: read from the file name of the URL path, the first
 *   `N.N[.N…][(suffix)]` after a `-`, `_` or the start
 *   (`deskphone-1.2.0.img` → `1.2.0`). `Downgrade_Rev_Limit` (when set)
 *   rejects an image older than the limit, compared as the rule language
 *   compares versions (dp-condition.h), and rejects an image whose version
 *   cannot be told. `$ERR` after success is the version (or the file name).
 * - Signature (deskphone extension `Upgrade_Signing_Key`): a PEM public key
 *   file (relative = in the state dir). When set, `URL.sig` is fetched
 *   too: a raw detached signature over the whole image (RSA PKCS#1 v1.5
 *   SHA-256, ECDSA SHA-256, or Ed25519, by key type; e.g. `openssl dgst
 *   -sha256 -sign key.pem -out img.sig img` or `openssl pkeyutl -sign
 *   -rawin -inkey ed.pem -in img -out img.sig`), verified with GnuTLS
 *   before anything is installed. A missing or bad signature fails the
 *   attempt. Not set = no signature check.
 * - Installation (deskphone extension `Upgrade_Install_Command`): the
 *   command line (shell quoting, no shell) with `%f` = the downloaded
 *   image path (`upgrade/` in the state dir), `%v` = its version, `%%` =
 *   `%`, e.g. `rauc install %f`. Exit status 0 = success. Empty = every
 *   attempt fails ("no installer configured"). deskphoned does not reboot
 *   by itself; the installer (or its system) does.
 * - Transports: TFTP, HTTP and HTTPS (spec CONFLICT: AG v5.2 allows HTTPS
 *   for SPA9x2; deskphone does). Images up to %DP_PROV_UPGRADE_MAX_SIZE.
 * - Progress in status (`upgrade` member of the `provisioning` section):
 *   `state` idle|scheduled|waiting-for-idle|downloading|verifying|
 *   installing, `last_result`, `last_error`, `last_url`, `version`,
 *   `size` (bytes of the last image), `received` / `total` / `progress`
 *   (0…1, null when the server sent no Content-Length) of the download
 *   (HTTP(S) only; TFTP reports no progress), `next_retry_in_s`.
 */

#define DP_PROV_UPGRADE_MAX_SIZE (512u * 1024 * 1024)

#define DP_PROV_TYPE_UPGRADE (dp_prov_upgrade_get_type ())
G_DECLARE_FINAL_TYPE (DpProvUpgrade, dp_prov_upgrade, DP_PROV, UPGRADE, GObject)

DpProvUpgrade *dp_prov_upgrade_new      (DpProvEnv      *env);
void           dp_prov_upgrade_check    (DpProvUpgrade  *self);
gboolean       dp_prov_upgrade_request  (DpProvUpgrade  *self,
                                         const char     *rule,
                                         GError        **error);
JsonNode      *dp_prov_upgrade_to_json  (DpProvUpgrade  *self);

char          *dp_prov_upgrade_version_from_path (const char *path);
gboolean       dp_prov_upgrade_verify_signature  (GBytes      *image,
                                                  GBytes      *signature,
                                                  const char  *key_pem_path,
                                                  GError     **error);

G_END_DECLS
