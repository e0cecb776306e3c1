/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Connection limits; see dp-webui-conn.h.
 *
 * The guard keeps a weak reference to the socket of every admitted
 * connection and forgets those that are finalized or closed whenever it
 * admits another; libsoup 3.2 gives no reliable end-of-connection signal
 * (a kept-alive connection closed by the client ends without its message's
 * "disconnected"), but it always closes a socket it is done with. The list
 * is at most DP_WEBUI_MAX_CONNECTIONS long, so the sweep is cheap and needs
 * no timer.
 */
#define G_LOG_DOMAIN "dp-webui"

#include "dp-webui-conn.h"

struct _DpWebuiConnGuard
{
  guint idle_timeout_s;
  guint max_connections;
  guint max_per_client;
  GPtrArray *open;  /* Admitted* */
};

typedef struct {
  GWeakRef socket;
  char *client;
} Admitted;

static void
admitted_free (gpointer data)
{
  Admitted *admitted = data;

  g_weak_ref_clear (&admitted->socket);
  g_free (admitted->client);
  g_free (admitted);
}

DpWebuiConnGuard *
dp_webui_conn_guard_new (guint idle_timeout_s, guint max_connections, guint max_per_client)
{
  DpWebuiConnGuard *guard = g_new0 (DpWebuiConnGuard, 1);

  guard->idle_timeout_s = idle_timeout_s;
  guard->max_connections = max_connections;
  guard->max_per_client = max_per_client;
  guard->open = g_ptr_array_new_with_free_func (admitted_free);
  return guard;
}

void
dp_webui_conn_guard_free (DpWebuiConnGuard *guard)
{
  if (guard == NULL)
    return;
  g_ptr_array_unref (guard->open);
  g_free (guard);
}

/* Forgets the connections that have ended. Returns whether @socket is
 * one of those still open. */
static gboolean
sweep (DpWebuiConnGuard *guard, GSocket *socket)
{
  gboolean known = FALSE;

  for (guint i = guard->open->len; i-- > 0;)
    {
      Admitted *admitted = guard->open->pdata[i];
      g_autoptr(GSocket) held = g_weak_ref_get (&admitted->socket);

      if (held == NULL || g_socket_is_closed (held))
        g_ptr_array_remove_index_fast (guard->open, i);
      else if (held == socket)
        known = TRUE;
    }
  return known;
}

static guint
client_count (DpWebuiConnGuard *guard, const char *client)
{
  guint count = 0;

  for (guint i = 0; i < guard->open->len; i++)
    if (g_strcmp0 (((Admitted *) guard->open->pdata[i])->client, client) == 0)
      count++;
  return count;
}

guint
dp_webui_conn_guard_count (DpWebuiConnGuard *guard)
{
  sweep (guard, NULL);
  return guard->open->len;
}

/**
 * dp_webui_conn_guard_admit:
 * @guard: the guard
 * @msg: a message whose reading has just started
 *
 * Counts @msg's connection the first time it is seen and sets its idle
 * timeout; a connection over a cap is shut down instead.
 *
 * Returns: %FALSE when the connection was refused
 */
gboolean
dp_webui_conn_guard_admit (DpWebuiConnGuard *guard, SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  const char *host = soup_server_message_get_remote_host (msg);
  const char *client = host != NULL ? host : "";
  guint from_client;
  Admitted *admitted;

  if (socket == NULL || sweep (guard, socket))
    return TRUE;
  from_client = client_count (guard, client);
  if (guard->open->len >= guard->max_connections || from_client >= guard->max_per_client)
    {
      g_message ("web connection from %s refused: %u open from it, %u in all (limits %u and %u)",
                 client, from_client, guard->open->len, guard->max_per_client,
                 guard->max_connections);
      /* Shut down rather than closed: libsoup owns the socket and sees a
       * clean end of stream on its next read. */
      g_socket_shutdown (socket, TRUE, TRUE, NULL);
      return FALSE;
    }
  g_socket_set_timeout (socket, guard->idle_timeout_s);
  admitted = g_new0 (Admitted, 1);
  g_weak_ref_init (&admitted->socket, socket);
  admitted->client = g_strdup (client);
  g_ptr_array_add (guard->open, admitted);
  return TRUE;
}
