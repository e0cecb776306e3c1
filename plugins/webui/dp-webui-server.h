/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The web server: listening, routing, access control.
 *
 * Listening: HTTP on `Web_Server_Port` (0 = pick a free port, reported as
 * `ports.web` in the status) when `Enable_Web_Server` is Yes, on
 * `Web_Server_Bind_Address` (extension; blank = every interface). HTTPS in
 * addition when `Web_HTTPS_Enable` is Yes, on `Web_HTTPS_Port` with the
 * device certificate `Web_HTTPS_Certificate` (a PEM file holding the
 * certificate and its key, relative to the state folder). Changing any of
 * these restarts the listeners.
 *
 * HTTP next to HTTPS: while the HTTPS listener runs, the HTTP port only
 * points to it (so that bookmarks of http://phone/ keep working): GET and
 * HEAD get 308 to the same path and query on https://HOST:Web_HTTPS_Port,
 * HOST taken from the Host header; a POST is refused (403, with the HTTPS
 * URL in Location and the page) since its form — perhaps a password — has
 * already crossed in clear and must not be acted on. HTTPS responses carry
 * `Strict-Transport-Security: max-age=31536000` and cookies `Secure`. If
 * the certificate cannot be loaded, HTTPS does not start, the error is
 * logged and HTTP serves normally (the phone must stay reachable to fix it).
 *
 * Security model:
 * - Every page but /login, /setup and /assets/ needs a session; every
 *   /admin/ page and action needs an admin session, and `Enable_Web_Admin_Access`
 *   = No closes /admin/ and the admin login altogether. A missing session is
 *   answered with a redirect to the login page for GET and 403 otherwise; a
 *   session of the wrong account with 403.
 * - Sessions: 256-bit random ids in a cookie `dp_session` with `HttpOnly;
 *   SameSite=Strict; Path=/` (and `Secure` over HTTPS), 30 minutes idle
 *   lifetime, a fresh id at every login, at most 32 at once.
 * - CSRF: every state-changing request is a POST carrying the session's
 *   token in a `csrf` field (or an `X-CSRF-Token` header), compared in
 *   constant time; a cross-origin `Origin` header is refused as well. The
 *   login and setup forms, which have no session yet, use a double-submit
 *   token (`dp_login` cookie = hidden field). The SPA's functional URLs
 *   (`/admin/resync?URL`, `/admin/upgrade?URL`, `/admin/reboot`) therefore
 *   answer GET with a confirmation form and act only on its POST.
 * - Login back-off per client address (see dp-webui-auth.h), answered with
 *   429 and `Retry-After`.
 * - `Restricted_Access_Domains`: blank = no restriction; otherwise a list
 *   (comma, semicolon or space separated) of IP addresses, CIDR prefixes
 *   and domain names. A request is served only if the client address matches
 *   an address or prefix, or the Host header names a listed domain or a
 *   subdomain of it (which also defeats DNS rebinding). Everything else gets
 *   403, including the login page.
 * - Headers on every response: a Content-Security-Policy that allows no
 *   script, no external resource, no framing and forms only to the phone;
 *   `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`,
 *   `Cache-Control: no-store`.
 *
 * Request limits ("every network byte is hostile"), checked while the
 * request is read, before the handler runs:
 * - body: 16 MiB for POST /admin/import (a profile), 64 KiB for everything
 *   else (forms are a few KiB). A Content-Length above the limit is refused
 *   as soon as the headers are in, a chunked body as soon as it passes the
 *   limit: 413 and the connection is closed, the rest is never read.
 * - headers: at most 64 fields and 16 KiB (names + values) or 431; libsoup
 *   drops a header block beyond 64 KiB on its own, without an answer.
 * - sessions: at most DP_WEBUI_MAX_SESSIONS; a new login evicts the one idle
 *   longest. Login forms keep no state on the phone (double-submit
 *   cookie), and the back-off tracks at most DP_WEBUI_MAX_TRACKED clients.
 * - form fields (names and values) must be UTF-8: anything else is 400
 *   with the field and byte offset named, and nothing is changed.
 * - connections: closed after each response (no keep-alive), after
 *   DP_WEBUI_IDLE_TIMEOUT_S seconds without a byte, and capped per client
 *   and in all (dp-webui-conn.h).
 *
 * First boot (empty `Admin_Passwd`): the admin account cannot log in; the
 * phone creates a one-time setup code, logs it and writes it to
 * `webui-setup-code` (mode 0600) in the state folder — on a real phone it
 * would be on the display. /setup takes that code plus the new password
 * (twice, at least 8 characters), sets `Admin_Passwd` and logs the admin in;
 * wrong codes count towards the back-off. The code is replaced whenever the
 * password becomes empty again and deleted once one is set. An empty
 * `User_Password` disables the user account (the SPA would let anyone in).
 */
#pragma once

#include <deskphone.h>
#include <libsoup/soup.h>
#include "dp-webui-auth.h"

G_BEGIN_DECLS

typedef struct _DpWebuiServer DpWebuiServer;

/* Injected clock (microseconds, monotonic) for tests. */
typedef gint64 (*DpWebuiClock) (void);

DpWebuiServer *dp_webui_server_new              (DpCore         *core);
void           dp_webui_server_free             (DpWebuiServer  *server);
gboolean       dp_webui_server_start            (DpWebuiServer  *server,
                                                 GError        **error);
void           dp_webui_server_stop             (DpWebuiServer  *server);
guint          dp_webui_server_get_http_port    (DpWebuiServer  *server);
guint          dp_webui_server_get_https_port   (DpWebuiServer  *server);
void           dp_webui_server_set_setup_code   (DpWebuiServer  *server,
                                                 const char     *code);
gboolean       dp_webui_server_needs_setup      (DpWebuiServer  *server);
void           dp_webui_server_sample_calls     (DpWebuiServer  *server);
void           dp_webui_server_drop_sessions    (DpWebuiServer  *server);
void           dp_webui_server_set_clock        (DpWebuiServer  *server,
                                                 DpWebuiClock    clock);

goffset        dp_webui_body_limit              (const char     *method,
                                                 const char     *path);
gboolean       dp_webui_client_allowed          (const char     *restricted,
                                                 const char     *client_address,
                                                 const char     *host_header);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpWebuiServer, dp_webui_server_free)

G_END_DECLS
