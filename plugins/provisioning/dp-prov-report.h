/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "dp-prov-env.h"

G_BEGIN_DECLS

/**
 * SECTION:dp-prov-report
 * @title: Configuration reports
 * @short_description: `Report_Rule` (spec §1.10)
 *
 * A report is an XML document `<flat-profile>` with every registered
 * parameter in catalogue order, each as `<Name ua="na|ro|rw"
 * group="Tab/Section">value</Name>` (the attributes the SPA writes in its
 * own dumps; a profile parser ignores `group`). It is generated only on
 * request (the `report` action: SIP NOTIFY `Event: report`, D-Bus), one
 * attempt per request, no retries.
 *
 * Decisions:
 * - Secrets (passwords, keys, GPP_SA…SD) are written only into an
 *   encrypted report (`--key`); a plain report leaves them empty, so a
 *   report over plain HTTP never carries a password.
 * - `--key` encrypts with dp_profile_encrypt() (`openssl enc -d
 *   -aes-256-cbc -md md5 -k KEY` decrypts it; the SPA's 0.9.7 default).
 * - Transport: HTTP(S) POST (Content-Type `application/xml`, or
 *   `application/octet-stream` when encrypted). TFTP PUT is not
 *   available: the TFTP client only reads, so a `tftp` Report_Rule fails
 *   with a clear error.
 * - The rule's `--uid/--pwd` authenticate the POST; `--delta` is accepted
 *   and ignored (full reports only).
 */

#define DP_PROV_TYPE_REPORT (dp_prov_report_get_type ())
G_DECLARE_FINAL_TYPE (DpProvReport, dp_prov_report, DP_PROV, REPORT, GObject)

DpProvReport *dp_prov_report_new     (DpProvEnv     *env);
gboolean      dp_prov_report_request (DpProvReport  *self,
                                      const char    *rule,
                                      GError       **error);
JsonNode     *dp_prov_report_to_json (DpProvReport  *self);

char         *dp_prov_report_build   (DpConfig      *config,
                                      gboolean       include_secrets);

G_END_DECLS
