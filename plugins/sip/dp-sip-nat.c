/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * NAT traversal of a line (spa9x2-reference §12.1 NAT, §12.2 NAT): the
 * keep-alive that holds the NAT binding of the SIP port open, and the
 * Via/Contact options given to sofia.
 *
 * Decisions:
 * - `NAT_Keep_Alive_Enable_n_` Yes: every `NAT_Keep_Alive_Intvl` seconds
 *   (global, minimum 1) the line sends `NAT_Keep_Alive_Msg_n_` to
 *   `NAT_Keep_Alive_Dest_n_` from its SIP socket:
 *   - `$NOTIFY`: an out-of-dialog NOTIFY with `Event: keep-alive` (its answer,
 *     if any, is not used); the destination `$PROXY` (default) is the
 *     outbound proxy when used, else `Proxy_n_`; otherwise `host[:port]`.
 *   - `$REGISTER`: a refresh of the line's registration (to its registrar,
 *     whatever the destination), only while registered.
 *   - anything else: the text itself as one UDP datagram to the
 *     destination (port 5060 when none is given); UDP lines only (a TCP or
 *     TLS connection is kept by its own traffic). sofia has no call to
 *     send a bare datagram, so the line's UDP socket is found among the
 *     process's descriptors by its bound port and written to directly: a
 *     datagram does not interfere with sofia's own use of the socket.
 * - `Insert_VIA_rport` Yes: requests carry `;rport` in their Via (RFC
 *   3581). Responses always honour the rport of a request (sofia's
 *   default, which `Handle_VIA_rport` cannot turn off); with
 *   `Send_Resp_To_Src_Port` Yes they go to the source port even without it.
 * - `NAT_Mapping_Enable_n_` Yes: the `received`/`rport` a registrar reports
 *   in the Via of its answer become the host and port of the line's Contact
 *   (nua "natify": it registers again with that Contact); No: the Contact
 *   keeps the local address.
 */
#define G_LOG_DOMAIN "dp-sip"

#include "dp-sip-private.h"

#include <gio/gio.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/url.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#define KEEPALIVE_EVENT "keep-alive"
/* Descriptors scanned for the line's UDP socket. */
#define MAX_FD_SCAN 1024

/**
 * dp_sip_line_nat_outbound:
 *
 * Returns: the NUTAG_OUTBOUND options for the line (see the top).
 */
const char *
dp_sip_line_nat_outbound (DpSipLine *line)
{
  return dp_sip_line_get_bool (line, "NAT_Mapping_Enable")
    ? "natify use-rport no-options-keepalive no-validate"
    : "no-natify no-options-keepalive no-validate";
}

/* The keep-alive destination as a SIP URI (for $NOTIFY). */
static char *
destination_uri (DpSipLine *line)
{
  const char *dest = dp_sip_line_get (line, "NAT_Keep_Alive_Dest");
  const char *outbound = dp_sip_line_get (line, "Outbound_Proxy");

  if (*dest == '\0' || g_ascii_strcasecmp (dest, "$PROXY") == 0)
    dest = dp_sip_line_get_bool (line, "Use_Outbound_Proxy") && *outbound != '\0'
      ? outbound : dp_sip_line_get (line, "Proxy");
  if (*dest == '\0')
    return NULL;
  return dp_sip_server_uri (dest, line->transport, NULL);
}

/* The line's UDP socket: bound to the port sofia reported for it. */
static int
find_udp_socket (guint port)
{
  for (int fd = 3; fd < MAX_FD_SCAN; fd++)
    {
      struct sockaddr_storage addr;
      socklen_t len = sizeof addr;
      int type = 0;
      socklen_t type_len = sizeof type;
      guint bound;

      if (getsockname (fd, (struct sockaddr *) &addr, &len) != 0 ||
          getsockopt (fd, SOL_SOCKET, SO_TYPE, &type, &type_len) != 0 || type != SOCK_DGRAM)
        continue;
      if (addr.ss_family == AF_INET)
        bound = ntohs (((struct sockaddr_in *) &addr)->sin_port);
      else if (addr.ss_family == AF_INET6)
        bound = ntohs (((struct sockaddr_in6 *) &addr)->sin6_port);
      else
        continue;
      if (bound == port)
        return fd;
    }
  return -1;
}

static void
send_literal (DpSipLine *line, const char *text)
{
  g_autofree char *uri = destination_uri (line);
  su_home_t *home;
  url_t *url;
  int fd;

  if (line->transport != DP_SIP_TRANSPORT_UDP || uri == NULL || line->agent == NULL)
    return;
  fd = find_udp_socket (line->agent->port);
  home = su_home_new (sizeof (su_home_t));
  url = url_make (home, uri);
  if (fd >= 0 && url != NULL && url->url_host != NULL)
    {
      g_autofree char *host = g_strndup (url->url_host[0] == '['
                                         ? url->url_host + 1 : url->url_host,
                                         strcspn (url->url_host[0] == '['
                                                  ? url->url_host + 1 : url->url_host, "]"));
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);
      guint16 port = url->url_port ? (guint16) g_ascii_strtoull (url->url_port, NULL, 10) : 5060;

      if (address == NULL)
        /* A literal keep-alive goes to an address: names would need a
         * blocking lookup on the main loop. */
        g_debug ("line %u: NAT keep-alive destination %s is not an address", line->index, host);
      else
        {
          g_autoptr(GSocketAddress) to = g_inet_socket_address_new (address, port);
          struct sockaddr_storage native;

          if (g_socket_address_to_native (to, &native, sizeof native, NULL) &&
              sendto (fd, text, strlen (text), 0, (struct sockaddr *) &native,
                      (socklen_t) g_socket_address_get_native_size (to)) < 0)
            g_debug ("line %u: NAT keep-alive: %s", line->index, g_strerror (errno));
        }
    }
  su_home_unref (home);
}

static void
send_notify (DpSipLine *line)
{
  g_autofree char *uri = destination_uri (line);

  if (uri == NULL)
    return;
  /* One keep-alive in flight at a time: the last one's handle goes. */
  if (line->keepalive_nh != NULL)
    nua_handle_destroy (line->keepalive_nh);
  line->keepalive_nh = nua_handle (line->agent->nua, NULL, NUTAG_URL (uri),
                                   SIPTAG_TO_STR (uri), TAG_END ());
  nua_notify (line->keepalive_nh,
              NUTAG_NEWSUB (1),
              SIPTAG_EVENT_STR (KEEPALIVE_EVENT),
              SIPTAG_SUBSCRIPTION_STATE_STR ("active"),
              TAG_END ());
}

static gboolean
on_keepalive (gpointer user_data)
{
  DpSipLine *line = user_data;
  const char *message = dp_sip_line_get (line, "NAT_Keep_Alive_Msg");

  if (line->agent == NULL)
    return G_SOURCE_CONTINUE;
  if (*message == '\0' || g_ascii_strcasecmp (message, "$NOTIFY") == 0)
    send_notify (line);
  else if (g_ascii_strcasecmp (message, "$REGISTER") == 0)
    {
      if (line->reg_nh != NULL && line->registered)
        nua_register (line->reg_nh, TAG_END ());
    }
  else
    send_literal (line, message);
  return G_SOURCE_CONTINUE;
}

void
dp_sip_line_stop_keepalive (DpSipLine *line)
{
  g_clear_handle_id (&line->keepalive_id, g_source_remove);
  line->keepalive_interval = 0;
  if (line->keepalive_nh != NULL)
    {
      nua_handle_destroy (line->keepalive_nh);
      line->keepalive_nh = NULL;
    }
}

/**
 * dp_sip_line_update_keepalive:
 *
 * Starts, restarts (new interval) or stops the line's NAT keep-alive to
 * match the configuration. Called after every reconfiguration.
 */
void
dp_sip_line_update_keepalive (DpSipLine *line)
{
  gint64 interval = dp_config_get_int (line->ctx->config, "NAT_Keep_Alive_Intvl");

  if (line->agent == NULL || !dp_sip_line_get_bool (line, "NAT_Keep_Alive_Enable") ||
      interval <= 0)
    {
      dp_sip_line_stop_keepalive (line);
      return;
    }
  interval = MIN (interval, 86400);
  if (line->keepalive_id != 0 && line->keepalive_interval == (guint) interval)
    return;
  dp_sip_line_stop_keepalive (line);
  line->keepalive_interval = (guint) interval;
  line->keepalive_id = g_timeout_add_seconds (line->keepalive_interval, on_keepalive, line);
}
