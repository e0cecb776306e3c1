/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SIP over TLS: sofia's certificate directory and the diagnosis of a
 * refused server (dp-sip-tls.c). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Extension parameter: the CAs a SIP TLS server must chain to. */
#define DP_SIP_TLS_CA "SIP_TLS_CA"

char     *dp_sip_tls_prepare          (const char           *state_dir,
                                       const char           *ca,
                                       GError              **error);
char     *dp_sip_tls_describe_flags   (GTlsCertificateFlags  flags,
                                       const char           *host);
void      dp_sip_tls_diagnose_async   (const char           *dir,
                                       const char           *host,
                                       guint16               port,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
char     *dp_sip_tls_diagnose_finish  (GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
