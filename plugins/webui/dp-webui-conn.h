/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Connection limits of the web server, so that a client cannot hold the
 * phone's sockets (slow-loris) or exhaust its file descriptors:
 * - idle timeout: a connection that moves no byte for
 *   DP_WEBUI_IDLE_TIMEOUT_S seconds (while its request is sent, or kept
 *   alive between requests) is closed. It is the socket's own timeout
 *   (g_socket_set_timeout()), so it covers HTTPS too, and a slow but
 *   moving upload is not cut;
 * - at most DP_WEBUI_MAX_CONNECTIONS_PER_CLIENT open connections per client
 *   address (browsers open six) and DP_WEBUI_MAX_CONNECTIONS in all; a
 *   connection over either cap is shut down at once, before its request is
 *   read, and logged.
 * libsoup emits SoupServer::request-started as soon as it begins reading a
 * request, i.e. for a new connection before any byte has arrived; the
 * guard admits a connection there, once (a kept-alive connection's next
 * request is not counted again), and counts it until libsoup closes or
 * drops its socket.
 */
#pragma once

#include <libsoup/soup.h>

#define DP_WEBUI_IDLE_TIMEOUT_S 15
#define DP_WEBUI_MAX_CONNECTIONS 64
#define DP_WEBUI_MAX_CONNECTIONS_PER_CLIENT 16

typedef struct _DpWebuiConnGuard DpWebuiConnGuard;

DpWebuiConnGuard *dp_webui_conn_guard_new   (guint idle_timeout_s,
                                             guint max_connections,
                                             guint max_per_client);
void              dp_webui_conn_guard_free  (DpWebuiConnGuard  *guard);
gboolean          dp_webui_conn_guard_admit (DpWebuiConnGuard  *guard,
                                             SoupServerMessage *msg);
guint             dp_webui_conn_guard_count (DpWebuiConnGuard  *guard);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpWebuiConnGuard, dp_webui_conn_guard_free)
