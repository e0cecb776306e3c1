/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gio/gio.h>
#include "dp-prov-fetch.h"

G_BEGIN_DECLS

/**
 * SECTION:dp-prov-http
 * @title: HTTP(S) transport
 * @short_description: libsoup 3 GET/POST for provisioning
 *
 * The HTTP and HTTPS half of dp_prov_fetch_async(); the decisions (status
 * mapping, redirects, proxies, Content-Type) are documented in
 * dp-prov-fetch.h, the trust in dp-prov-trust.h.
 *
 * Authentication: when the server challenges (Basic or Digest, whatever
 * libsoup's auth manager supports) the request's @uid / @pwd answer once;
 * a second challenge means they were rejected (%DP_PROV_FETCH_ERROR_AUTH).
 * Credentials are never sent before a challenge.
 *
 * Client certificate: presented only when the server asks for one during
 * the TLS handshake (libsoup's #SoupMessage::request-certificate). A server
 * asking while the phone has none gets the handshake without certificate;
 * its refusal is reported as %DP_PROV_FETCH_ERROR_TRUST "server requires a
 * client certificate and none is installed".
 *
 * The body is read in chunks and the fetch fails as soon as it exceeds the
 * request's @max_size (or at once when Content-Length says so).
 */

char   *dp_prov_http_build_uri   (const DpProvFetchRequest *req,
                                  GError                  **error);
void    dp_prov_http_fetch_async (const DpProvFetchRequest *req,
                                  GCancellable             *cancellable,
                                  GAsyncReadyCallback       callback,
                                  gpointer                  user_data);
GBytes *dp_prov_http_fetch_finish (GAsyncResult            *result,
                                   GError                 **error);

G_END_DECLS
