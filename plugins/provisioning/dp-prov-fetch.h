/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gio/gio.h>
#include "dp-prov-trust.h"

G_BEGIN_DECLS

/**
 * SECTION:dp-prov-fetch
 * @title: Provisioning fetcher
 * @short_description: one async download API over TFTP, HTTP and HTTPS
 *
 * dp_prov_fetch_async() downloads one profile or firmware image. The resync
 * engine fills a #DpProvFetchRequest from an evaluated rule (spec §1.3, §1.4)
 * and gets back the body as #GBytes, or a #GError in %DP_PROV_FETCH_ERROR.
 * Nothing is ever returned partially: a transfer that fails at any point
 * (trust, size, timeout) yields only the error, so the caller applies nothing.
 *
 * Decisions:
 * - TFTP is RFC 1350 only (octet mode, 512-byte blocks, no options), see
 *   dp-prov-tftp.h. A TFTP request with a body (POST) or credentials is
 *   %DP_PROV_FETCH_ERROR_INVALID: the SPA only posts over HTTP(S).
 * - HTTP(S) goes through libsoup 3 with one #SoupSession per fetch (no
 *   connection or TLS session reuse between fetches, so a changed trust
 *   configuration always applies to the next fetch), no proxy (the SPA has no
 *   provisioning proxy setting; the environment's proxy variables are
 *   ignored) and redirects not followed: a 3xx answer is
 *   %DP_PROV_FETCH_ERROR_SERVER naming the Location, so that an HTTPS rule can
 *   never be sent somewhere the rule did not name.
 * - HTTP status mapping: 2xx = success; 404 and 410 =
 *   %DP_PROV_FETCH_ERROR_NOT_FOUND (the "file not found" of
 *   `Resync_Fails_On_FNF`); 401/407 = %DP_PROV_FETCH_ERROR_AUTH; anything
 *   else = %DP_PROV_FETCH_ERROR_SERVER. An HTTPS answer of 400, 495 or 496
 *   after the server asked for a client certificate is
 *   %DP_PROV_FETCH_ERROR_TRUST (nginx with `ssl_verify_client on` reports a
 *   missing or refused client certificate that way instead of failing the
 *   handshake).
 * - A POST body is sent with Content-Type `text/plain; charset=utf-8` unless
 *   @content_type says otherwise (the SPA's `--post` body is GPP text such
 *   as `Product = "$PN"; ...`, not a form).
 * - Path bytes that are space or non-ASCII are percent-encoded for HTTP;
 *   control characters are rejected. TFTP sends the path bytes unchanged.
 * - @timeout_s bounds the whole fetch (name resolution, connect, TLS, body).
 */

#define DP_PROV_FETCH_ERROR (dp_prov_fetch_error_quark ())

/**
 * DpProvFetchError:
 * @DP_PROV_FETCH_ERROR_INVALID: the request cannot be made (no server, bad path, POST over TFTP)
 * @DP_PROV_FETCH_ERROR_FAILED: network failure: name resolution, connection refused, socket error
 * @DP_PROV_FETCH_ERROR_NOT_FOUND: file not found (HTTP 404/410, TFTP error 1)
 * @DP_PROV_FETCH_ERROR_TRUST: TLS trust failure; the message says which check
 *   failed: unknown CA, expired, not yet valid, host name, pin mismatch, no CA
 *   installed, client certificate required or refused by the server
 * @DP_PROV_FETCH_ERROR_AUTH: HTTP authentication required or credentials rejected
 * @DP_PROV_FETCH_ERROR_TOO_LARGE: the body exceeds the request's size limit
 * @DP_PROV_FETCH_ERROR_TIMEOUT: no answer in time (TFTP retries exhausted or overall timeout)
 * @DP_PROV_FETCH_ERROR_PROTOCOL: the server broke the protocol (malformed TFTP packet ...)
 * @DP_PROV_FETCH_ERROR_SERVER: any other error answer (HTTP status, TFTP error code, redirect)
 */
typedef enum {
  DP_PROV_FETCH_ERROR_INVALID,
  DP_PROV_FETCH_ERROR_FAILED,
  DP_PROV_FETCH_ERROR_NOT_FOUND,
  DP_PROV_FETCH_ERROR_TRUST,
  DP_PROV_FETCH_ERROR_AUTH,
  DP_PROV_FETCH_ERROR_TOO_LARGE,
  DP_PROV_FETCH_ERROR_TIMEOUT,
  DP_PROV_FETCH_ERROR_PROTOCOL,
  DP_PROV_FETCH_ERROR_SERVER,
} DpProvFetchError;

GQuark dp_prov_fetch_error_quark (void);

/**
 * DpProvScheme:
 * @DP_PROV_SCHEME_TFTP: `tftp` (default port 69; the SPA default scheme)
 * @DP_PROV_SCHEME_HTTP: `http` (default port 80)
 * @DP_PROV_SCHEME_HTTPS: `https` (default port 443)
 */
typedef enum {
  DP_PROV_SCHEME_TFTP,
  DP_PROV_SCHEME_HTTP,
  DP_PROV_SCHEME_HTTPS,
} DpProvScheme;

/**
 * DpProvMethod:
 * @DP_PROV_METHOD_GET: GET (TFTP read request)
 * @DP_PROV_METHOD_POST: HTTP(S) POST with @body (`--post`, spec §1.4)
 */
typedef enum {
  DP_PROV_METHOD_GET,
  DP_PROV_METHOD_POST,
} DpProvMethod;

/** DP_PROV_FETCH_DEFAULT_TIMEOUT_S: whole-fetch timeout when @timeout_s is 0 */
#define DP_PROV_FETCH_DEFAULT_TIMEOUT_S 60

/**
 * DpProvFetchProgressFunc:
 * @received: body bytes received so far
 * @total: the announced body size (Content-Length), 0 when unknown
 * @user_data: the request's @progress_data
 */
typedef void (*DpProvFetchProgressFunc) (guint64 received, guint64 total, gpointer user_data);

/**
 * DpProvFetchRequest:
 * @scheme: transport
 * @server: host name or IP literal (IPv6 without brackets)
 * @port: port, 0 = the scheme's default
 * @path: absolute path (starts with `/`), may carry a `?query`
 * @method: GET or POST
 * @body: (nullable): POST body (GPP text), %NULL = empty
 * @content_type: (nullable): POST Content-Type, %NULL = `text/plain; charset=utf-8`
 * @uid: (nullable): HTTP user name (`--uid`), used for Basic and Digest
 * @pwd: (nullable): HTTP password (`--pwd`)
 * @user_agent: (nullable): User-Agent, see dp_prov_user_agent_build();
 *   %NULL = `deskphone/VERSION`
 * @max_size: largest body accepted in bytes, 0 = %DP_PROFILE_MAX_SIZE
 *   (firmware downloads set their own, larger limit)
 * @timeout_s: whole-fetch timeout, 0 = %DP_PROV_FETCH_DEFAULT_TIMEOUT_S
 * @trust: (nullable): the HTTPS trust (CA, pins, client certificate);
 *   required for https, ignored otherwise
 * @progress: (nullable): called on the fetch's main context after each
 *   body chunk received over HTTP(S) (firmware download progress; TFTP
 *   does not report progress); not owned
 * @progress_data: data for @progress; must outlive the fetch
 *
 * One download. Every string and object is owned by the request and released
 * by dp_prov_fetch_request_free(); set fields with g_strdup() / g_object_ref().
 * dp_prov_fetch_async() takes a copy, so the request may be freed right after.
 */
typedef struct {
  DpProvScheme scheme;
  char *server;
  guint16 port;
  char *path;
  DpProvMethod method;
  GBytes *body;
  char *content_type;
  char *uid;
  char *pwd;
  char *user_agent;
  gsize max_size;
  guint timeout_s;
  DpProvTrust *trust;
  DpProvFetchProgressFunc progress;
  gpointer progress_data;
} DpProvFetchRequest;

DpProvFetchRequest *dp_prov_fetch_request_new  (DpProvScheme              scheme,
                                                const char               *server,
                                                guint16                   port,
                                                const char               *path);
DpProvFetchRequest *dp_prov_fetch_request_copy (const DpProvFetchRequest *req);
void                dp_prov_fetch_request_free (DpProvFetchRequest       *req);
void                dp_prov_fetch_task_return  (GTask                    *task,
                                                GBytes                   *result,
                                                GError                   *error);
char               *dp_prov_fetch_request_to_url (const DpProvFetchRequest *req);
guint16             dp_prov_fetch_request_get_port (const DpProvFetchRequest *req);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpProvFetchRequest, dp_prov_fetch_request_free)

const char *dp_prov_scheme_to_string   (DpProvScheme  scheme);
gboolean    dp_prov_scheme_from_string (const char   *text,
                                        DpProvScheme *scheme);
guint16     dp_prov_scheme_default_port (DpProvScheme scheme);

char *dp_prov_user_agent_build (const char *product,
                                const char *model,
                                const char *version,
                                const char *serial);

void    dp_prov_fetch_async  (const DpProvFetchRequest *req,
                              GCancellable             *cancellable,
                              GAsyncReadyCallback       callback,
                              gpointer                  user_data);
GBytes *dp_prov_fetch_finish (GAsyncResult             *result,
                              GError                  **error);

G_END_DECLS
