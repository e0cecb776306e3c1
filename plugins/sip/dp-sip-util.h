/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * DpSipTransport:
 * @DP_SIP_TRANSPORT_UDP: `SIP_Transport_n_` UDP (the SPA default)
 * @DP_SIP_TRANSPORT_TCP: TCP
 * @DP_SIP_TRANSPORT_TLS: TLS (sips is not forced: the transport parameter
 *   on the URIs selects TLS, as the SPA does with `SIP_Transport_n_` TLS)
 */
typedef enum {
  DP_SIP_TRANSPORT_UDP,
  DP_SIP_TRANSPORT_TCP,
  DP_SIP_TRANSPORT_TLS,
} DpSipTransport;

DpSipTransport  dp_sip_transport_from_string (const char     *name);
const char     *dp_sip_transport_to_param    (DpSipTransport  transport);

/* Pure helpers of the sip plugin; unit tested in tests/unit/test-sip-util.c. */

char     *dp_sip_target_uri          (const char      *target,
                                      const char      *proxy,
                                      DpSipTransport   transport,
                                      GError         **error);
char     *dp_sip_server_uri          (const char      *server,
                                      DpSipTransport   transport,
                                      GError         **error);
char     *dp_sip_aor                 (const char      *user,
                                      const char      *proxy,
                                      GError         **error);
char     *dp_sip_expand_user_agent   (const char      *template_,
                                      const char      *version);
char     *dp_sip_digest_credentials  (const char      *realm,
                                      const char      *user,
                                      const char      *password);
char     *dp_sip_dtmf_info_body      (char             digit,
                                      guint            duration_ms,
                                      GError         **error);

gboolean  dp_sip_digest_verify       (const char      *method,
                                      const char      *password,
                                      const char      *authorization,
                                      const char      *expected_user,
                                      const char      *expected_realm,
                                      const char      *expected_nonce,
                                      GError         **error);
gboolean  dp_sip_message_summary_parse (const char    *body,
                                      gsize            len,
                                      gboolean        *waiting,
                                      guint           *new_messages,
                                      guint           *old_messages,
                                      GError         **error);

G_END_DECLS
