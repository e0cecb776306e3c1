/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SECTION:dp-prov-trust
 * @title: DpProvTrust
 * @short_description: the HTTPS trust of provisioning: pinned CA, key pins, client certificate
 *
 * A #DpProvTrust holds what an HTTPS provisioning fetch trusts and presents
 * (spec §1.9, architecture §6). Its #GTlsDatabase (dp_prov_trust_create_database())
 * is the only trust store a fetch uses: the system store is never consulted.
 *
 * Parameters (deskphone extensions, group `System/Deskphone`, user access na):
 * - `Provisioning_CA` (default `prov-ca.pem`): PEM file with the provisioning
 *   CA certificate(s); a relative name is looked up in the state dir, an
 *   absolute path is used as is. Several certificates in the file are all
 *   trusted (CA rotation). No file = every HTTPS fetch fails with
 *   %DP_PROV_FETCH_ERROR_TRUST "no provisioning CA installed"; deskphone never
 *   falls back to the system store.
 * - `Provisioning_Key_Pins` (default empty = no pinning): SHA-256 pins of the
 *   server's SubjectPublicKeyInfo, separated by commas, semicolons or white
 *   space. Each pin is 44 characters of standard base64 (optionally written
 *   `sha256/BASE64` as in HPKP) or 64 hex digits (optionally with `:` between
 *   bytes, any case). With pins set, a server is accepted only if the public
 *   key of one certificate it sent (leaf or intermediate) matches one pin;
 *   several pins allow key rotation. Pins are checked in addition to the CA,
 *   never instead of it.
 * - Device identity (not a parameter; installed at manufacturing like the
 *   SPA's unique certificate): `client.pem` (certificate, optionally followed
 *   by its chain) and `client.key` (unencrypted PEM private key) in the state
 *   dir. Both present and matching = `$CCERT` is `Installed`; both absent =
 *   `Not Installed` and no certificate is presented. One without the other, or
 *   a file that does not load, is an error from
 *   dp_prov_trust_new_for_state_dir().
 *
 * Server certificate checks, all in deskphone's own code (GnuTLS trust list
 * holding only the configured CA): chain to the CA, validity period
 * (expired / not yet valid), TLS server key purpose when the certificate
 * declares key purposes, host name, pins. Host name: RFC 6125 via
 * gnutls_x509_crt_check_hostname() (subjectAltName DNS / IP entries, or the CN
 * when there is no subjectAltName). The SPA form `CN=host/anything`
 * (`CN=pv.telco.net/mailto:admin@telco.net`, spec §1.9) is also accepted when
 * the certificate has no DNS or IP subjectAltName: the CN text before the
 * first `/` must equal the host (ASCII case-insensitive, no wildcards).
 * GnuTLS alone would reject that CN, hence the own check. The SPA's extra
 * "server IP matches a DNS lookup of the CN" check is not done (the name the
 * rule used is what is checked, as every TLS client does).
 */

#define DP_PROV_TYPE_TRUST (dp_prov_trust_get_type ())
G_DECLARE_FINAL_TYPE (DpProvTrust, dp_prov_trust, DP_PROV, TRUST, GObject)

/** DP_PROV_TRUST_DEFAULT_CA: default `Provisioning_CA` */
#define DP_PROV_TRUST_DEFAULT_CA "prov-ca.pem"
/** DP_PROV_TRUST_CLIENT_CERT_FILE: device certificate in the state dir */
#define DP_PROV_TRUST_CLIENT_CERT_FILE "client.pem"
/** DP_PROV_TRUST_CLIENT_KEY_FILE: device private key in the state dir */
#define DP_PROV_TRUST_CLIENT_KEY_FILE "client.key"
/** DP_PROV_PIN_SIZE: bytes of one SHA-256 pin */
#define DP_PROV_PIN_SIZE 32

DpProvTrust *dp_prov_trust_new                (void);
DpProvTrust *dp_prov_trust_new_for_state_dir  (const char   *state_dir,
                                               const char   *provisioning_ca,
                                               const char   *key_pins,
                                               GError      **error);

gboolean     dp_prov_trust_add_ca_file        (DpProvTrust  *self,
                                               const char   *path,
                                               GError      **error);
gboolean     dp_prov_trust_add_ca_pem         (DpProvTrust  *self,
                                               const char   *pem,
                                               gssize        length,
                                               GError      **error);
guint        dp_prov_trust_get_n_cas          (DpProvTrust  *self);
gboolean     dp_prov_trust_set_pins           (DpProvTrust  *self,
                                               const char   *pins,
                                               GError      **error);
guint        dp_prov_trust_get_n_pins         (DpProvTrust  *self);
gboolean     dp_prov_trust_set_client_files   (DpProvTrust  *self,
                                               const char   *cert_path,
                                               const char   *key_path,
                                               GError      **error);
GTlsCertificate *dp_prov_trust_get_client_certificate (DpProvTrust *self);
const char  *dp_prov_trust_get_ccert          (DpProvTrust  *self);

gboolean     dp_prov_trust_verify             (DpProvTrust      *self,
                                               GTlsCertificate  *peer,
                                               const char       *host,
                                               GTlsCertificateFlags *flags,
                                               GError          **error);
GTlsDatabase *dp_prov_trust_create_database   (DpProvTrust  *self);
char        *dp_prov_trust_database_get_failure (GTlsDatabase *database);
gboolean     dp_prov_trust_database_get_verified (GTlsDatabase *database);

GPtrArray   *dp_prov_pins_parse               (const char   *text,
                                               GError      **error);
char        *dp_prov_pin_for_certificate      (GTlsCertificate *certificate,
                                               GError      **error);

G_END_DECLS
