/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-prov"

#include "dp-build-config.h"
#include "dp-prov-tftp.h"
#include "dp-prov-fetch.h"
#include "dp-profile.h"
#include <glib/gi18n-lib.h>

#include <string.h>

/* Big enough to see that a datagram is over the 516 bytes TFTP allows. */
#define RECV_BUFFER 1024
#define DEFAULT_RETRANSMIT_MS 1000
#define DEFAULT_MAX_RETRIES 5

enum {
  TFTP_ERR_UNDEFINED = 0,
  TFTP_ERR_NOT_FOUND = 1,
  TFTP_ERR_DISK_FULL = 3,
  TFTP_ERR_ILLEGAL = 4,
  TFTP_ERR_UNKNOWN_TID = 5,
};

/* ------------------------------------------------------------------ */
/* Packets: pure functions over bytes                                  */

static gboolean
protocol_error (GError **error, gsize offset, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
protocol_error (GError **error, gsize offset, const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_PROTOCOL,
               _("TFTP packet offset %zu: %s"), offset, text);
  return FALSE;
}

static const char *
find_string (const guint8 *packet, gsize length, gsize offset, gsize *next)
{
  const guint8 *nul = offset < length ? memchr (packet + offset, '\0', length - offset) : NULL;

  if (nul == NULL)
    return NULL;
  *next = (gsize) (nul - packet) + 1;
  return (const char *) packet + offset;
}

/**
 * dp_prov_tftp_parse:
 * @packet: (array length=length): one datagram
 * @length: its length
 * @out: (out caller-allocates): the parsed packet, borrowing @packet
 * @error: a #GError
 *
 * Parses one TFTP packet (RFC 1350 §5). Pure function; never reads past
 * @length.
 *
 * Returns: %TRUE on success; %FALSE with %DP_PROV_FETCH_ERROR_PROTOCOL naming
 *   the offset and the problem
 */
gboolean
dp_prov_tftp_parse (const guint8     *packet,
                    gsize             length,
                    DpProvTftpPacket *out,
                    GError          **error)
{
  guint16 opcode;
  gsize next = 0;

  g_return_val_if_fail (packet != NULL || length == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (length < 2)
    return protocol_error (error, 0, _("%zu-byte packet has no opcode"), length);
  opcode = (guint16) (packet[0] << 8 | packet[1]);

  switch (opcode)
    {
    case DP_PROV_TFTP_RRQ:
    case DP_PROV_TFTP_WRQ:
      out->filename = find_string (packet, length, 2, &next);
      if (out->filename == NULL)
        return protocol_error (error, 2, _("file name is not NUL-terminated"));
      out->mode = find_string (packet, length, next, &next);
      if (out->mode == NULL)
        return protocol_error (error, next, _("mode is not NUL-terminated"));
      break;

    case DP_PROV_TFTP_DATA:
      if (length < 4)
        return protocol_error (error, 2, _("DATA packet has no block number"));
      out->block = (guint16) (packet[2] << 8 | packet[3]);
      out->data = packet + 4;
      out->data_len = length - 4;
      if (out->data_len > DP_PROV_TFTP_BLOCK)
        return protocol_error (error, 4, _("DATA carries %zu bytes, more than %d"),
                               out->data_len, DP_PROV_TFTP_BLOCK);
      break;

    case DP_PROV_TFTP_ACK:
      if (length != 4)
        return protocol_error (error, 2, _("ACK packet has %zu bytes, not 4"), length);
      out->block = (guint16) (packet[2] << 8 | packet[3]);
      break;

    case DP_PROV_TFTP_ERROR:
      if (length < 4)
        return protocol_error (error, 2, _("ERROR packet has no error code"));
      out->error_code = (guint16) (packet[2] << 8 | packet[3]);
      if (find_string (packet, length, 4, &next) == NULL)
        return protocol_error (error, 4, _("error message is not NUL-terminated"));
      out->data = packet + 4;
      out->data_len = next - 5;
      break;

    default:
      return protocol_error (error, 0, _("unknown opcode %u"), opcode);
    }

  out->opcode = (DpProvTftpOpcode) opcode;
  return TRUE;
}

/**
 * dp_prov_tftp_build_rrq:
 * @filename: file to read
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): an octet-mode read request, or %NULL
 *   with %DP_PROV_FETCH_ERROR_INVALID if @filename is empty, longer than
 *   %DP_PROV_TFTP_MAX_NAME or holds a control character
 */
GBytes *
dp_prov_tftp_build_rrq (const char *filename, GError **error)
{
  static const char mode[] = "octet";
  GByteArray *packet;
  gsize len;

  g_return_val_if_fail (filename != NULL, NULL);

  len = strlen (filename);
  if (len == 0 || len > DP_PROV_TFTP_MAX_NAME)
    {
      g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID,
                   _("TFTP file name must have 1 to %d bytes, not %zu"),
                   DP_PROV_TFTP_MAX_NAME, len);
      return NULL;
    }
  for (gsize i = 0; i < len; i++)
    if ((guchar) filename[i] < 0x20 || filename[i] == 0x7f)
      {
        g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID,
                     _("TFTP file name position %zu: control character 0x%02x"),
                     i + 1, (guchar) filename[i]);
        return NULL;
      }

  packet = g_byte_array_sized_new ((guint) (len + sizeof mode + 3));
  g_byte_array_append (packet, (const guint8 *) "\0\1", 2);
  g_byte_array_append (packet, (const guint8 *) filename, (guint) len + 1);
  g_byte_array_append (packet, (const guint8 *) mode, sizeof mode);
  return g_byte_array_free_to_bytes (packet);
}

/**
 * dp_prov_tftp_build_ack:
 * @block: block number
 *
 * Returns: (transfer full): an ACK packet
 */
GBytes *
dp_prov_tftp_build_ack (guint16 block)
{
  guint8 packet[4] = { 0, DP_PROV_TFTP_ACK, (guint8) (block >> 8), (guint8) block };

  return g_bytes_new (packet, sizeof packet);
}

/**
 * dp_prov_tftp_build_error:
 * @code: TFTP error code
 * @message: text (ASCII)
 *
 * Returns: (transfer full): an ERROR packet
 */
GBytes *
dp_prov_tftp_build_error (guint16 code, const char *message)
{
  GByteArray *packet = g_byte_array_new ();
  guint8 head[4] = { 0, DP_PROV_TFTP_ERROR, (guint8) (code >> 8), (guint8) code };

  g_byte_array_append (packet, head, sizeof head);
  g_byte_array_append (packet, (const guint8 *) message, (guint) strlen (message) + 1);
  return g_byte_array_free_to_bytes (packet);
}

/* ------------------------------------------------------------------ */
/* The transfer                                                         */

typedef struct {
  GTask *task;                 /* strong; NULL once completed */
  GMainContext *context;
  GCancellable *cancellable;
  DpProvTftpOptions options;
  char *server;
  guint16 port;
  char *filename;
  GBytes *rrq;

  GSocket *socket;
  GInetAddress *server_address;
  GSocketAddress *peer;        /* where the next packet goes */
  gboolean tid_locked;
  guint16 tid;

  GByteArray *data;
  guint16 last_block;
  guint64 blocks;
  gboolean duplicate_acked;
  GBytes *last_sent;
  guint retries;

  GSource *read_source;
  GSource *retransmit_source;
  GSource *deadline_source;
  GSource *cancel_source;
} Transfer;

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
transfer_free (Transfer *t)
{
  destroy_source (&t->read_source);
  destroy_source (&t->retransmit_source);
  destroy_source (&t->deadline_source);
  destroy_source (&t->cancel_source);
  g_clear_object (&t->socket);
  g_clear_object (&t->server_address);
  g_clear_object (&t->peer);
  g_clear_object (&t->cancellable);
  g_clear_pointer (&t->context, g_main_context_unref);
  g_clear_pointer (&t->server, g_free);
  g_clear_pointer (&t->filename, g_free);
  g_clear_pointer (&t->rrq, g_bytes_unref);
  g_clear_pointer (&t->last_sent, g_bytes_unref);
  if (t->data != NULL)
    g_byte_array_unref (t->data);
  g_free (t);
}

/* Ends the transfer exactly once: sources go first so that no callback can
 * run on a finished transfer. */
static void
transfer_complete (Transfer *t, GBytes *result, GError *error)
{
  GTask *task = g_steal_pointer (&t->task);

  g_return_if_fail (task != NULL);

  destroy_source (&t->read_source);
  destroy_source (&t->retransmit_source);
  destroy_source (&t->deadline_source);
  destroy_source (&t->cancel_source);
  if (t->socket != NULL)
    g_socket_close (t->socket, NULL);

  dp_prov_fetch_task_return (task, result, error);
}

static void
transfer_fail (Transfer *t, DpProvFetchError code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
transfer_fail (Transfer *t, DpProvFetchError code, const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  transfer_complete (t, NULL, g_error_new (DP_PROV_FETCH_ERROR, code, "tftp://%s:%u%s: %s",
                                           t->server, t->port, t->filename, text));
}

/* Sends @packet to @to. A full socket buffer counts as a lost datagram (the
 * retransmit timer covers it); other errors are real failures. */
static gboolean
send_packet (Transfer *t, GSocketAddress *to, GBytes *packet)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (packet, &len);

  if (g_socket_send_to (t->socket, to, (const char *) data, len, NULL, &error) < 0 &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      transfer_fail (t, DP_PROV_FETCH_ERROR_FAILED, _("send failed: %s"), error->message);
      return FALSE;
    }
  return TRUE;
}

static void
send_error_packet (Transfer *t, GSocketAddress *to, guint16 code, const char *message)
{
  g_autoptr(GBytes) packet = dp_prov_tftp_build_error (code, message);
  gsize len;
  const guint8 *data = g_bytes_get_data (packet, &len);

  /* Best effort: the transfer is ending or the receiver is a stranger. */
  g_socket_send_to (t->socket, to, (const char *) data, len, NULL, NULL);
}

static gboolean on_retransmit (gpointer user_data);

static void
arm_retransmit (Transfer *t)
{
  destroy_source (&t->retransmit_source);
  t->retransmit_source = g_timeout_source_new (t->options.retransmit_ms);
  g_source_set_callback (t->retransmit_source, on_retransmit, t, NULL);
  g_source_attach (t->retransmit_source, t->context);
}

/* Sends a packet that the retransmit timer may have to repeat. */
static gboolean
send_tracked (Transfer *t, GBytes *packet)
{
  g_clear_pointer (&t->last_sent, g_bytes_unref);
  t->last_sent = g_bytes_ref (packet);
  if (!send_packet (t, t->peer, packet))
    return FALSE;
  arm_retransmit (t);
  return TRUE;
}

static gboolean
on_retransmit (gpointer user_data)
{
  Transfer *t = user_data;

  g_clear_pointer (&t->retransmit_source, g_source_unref);
  if (t->retries >= t->options.max_retries)
    {
      transfer_fail (t, DP_PROV_FETCH_ERROR_TIMEOUT,
                     _("no answer after %u retransmissions (%s)"), t->retries,
                     t->blocks == 0 ? "read request" : "waiting for the next block");
      return G_SOURCE_REMOVE;
    }
  t->retries++;
  if (send_packet (t, t->peer, t->last_sent))
    arm_retransmit (t);
  return G_SOURCE_REMOVE;
}

static gboolean
on_deadline (gpointer user_data)
{
  Transfer *t = user_data;

  g_clear_pointer (&t->deadline_source, g_source_unref);
  transfer_fail (t, DP_PROV_FETCH_ERROR_TIMEOUT, _("transfer not finished within %u ms "
                 "(%llu blocks received)"), t->options.timeout_ms, (unsigned long long) t->blocks);
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  Transfer *t = user_data;

  g_clear_pointer (&t->cancel_source, g_source_unref);
  if (t->tid_locked)
    send_error_packet (t, t->peer, TFTP_ERR_UNDEFINED, "cancelled");
  transfer_complete (t, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   _("TFTP transfer cancelled")));
  return G_SOURCE_REMOVE;
}

static char *
printable (const guint8 *data, gsize len)
{
  char *text = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    text[i] = (data[i] >= 0x20 && data[i] < 0x7f) ? (char) data[i] : '?';
  text[len] = '\0';
  return text;
}

static void
handle_error_packet (Transfer *t, const DpProvTftpPacket *packet)
{
  g_autofree char *message = printable (packet->data, MIN (packet->data_len, 200));
  DpProvFetchError code;

  switch (packet->error_code)
    {
    case TFTP_ERR_NOT_FOUND:
      code = DP_PROV_FETCH_ERROR_NOT_FOUND;
      break;
    case TFTP_ERR_ILLEGAL:
    case TFTP_ERR_UNKNOWN_TID:
      code = DP_PROV_FETCH_ERROR_PROTOCOL;
      break;
    default:
      code = DP_PROV_FETCH_ERROR_SERVER;
      break;
    }
  transfer_fail (t, code, _("server error %u: %s"), packet->error_code, message);
}

/* Returns FALSE once the transfer is over. */
static gboolean
handle_data (Transfer *t, const DpProvTftpPacket *packet)
{
  guint16 expected = (guint16) (t->last_block + 1);
  gint16 distance = (gint16) (guint16) (packet->block - expected);
  g_autoptr(GBytes) ack = NULL;

  if (packet->block != expected)
    {
      if (t->blocks > 0 && packet->block == t->last_block)
        {
          if (!t->duplicate_acked)
            {
              t->duplicate_acked = TRUE;
              return send_packet (t, t->peer, t->last_sent);
            }
          return TRUE;
        }
      if (distance < 0)
        return TRUE;   /* a stale copy of an older block */
      send_error_packet (t, t->peer, TFTP_ERR_ILLEGAL, "unexpected block");
      transfer_fail (t, DP_PROV_FETCH_ERROR_PROTOCOL, _("server sent block %u, expected %u"),
                     packet->block, expected);
      return FALSE;
    }

  if (packet->data_len > t->options.max_size - t->data->len)
    {
      send_error_packet (t, t->peer, TFTP_ERR_DISK_FULL, "file too large");
      transfer_fail (t, DP_PROV_FETCH_ERROR_TOO_LARGE, _("file is larger than %zu"
                     " bytes"), t->options.max_size);
      return FALSE;
    }
  g_byte_array_append (t->data, packet->data, (guint) packet->data_len);
  t->last_block = packet->block;
  t->blocks++;
  t->duplicate_acked = FALSE;
  t->retries = 0;

  ack = dp_prov_tftp_build_ack (packet->block);
  if (packet->data_len < DP_PROV_TFTP_BLOCK)
    {
      if (!send_packet (t, t->peer, ack))
        return FALSE;
      transfer_complete (t, g_byte_array_free_to_bytes (g_steal_pointer (&t->data)), NULL);
      return FALSE;
    }
  return send_tracked (t, ack);
}

/* Returns FALSE once the transfer is over. */
static gboolean
handle_datagram (Transfer *t, const guint8 *buffer, gsize length, GSocketAddress *from)
{
  g_autoptr(GError) error = NULL;
  GInetSocketAddress *inet;
  DpProvTftpPacket packet;
  guint16 port;

  if (!G_IS_INET_SOCKET_ADDRESS (from))
    return TRUE;
  inet = G_INET_SOCKET_ADDRESS (from);
  if (!g_inet_address_equal (g_inet_socket_address_get_address (inet), t->server_address))
    return TRUE;   /* not the server: drop silently */

  port = g_inet_socket_address_get_port (inet);
  if (t->tid_locked && port != t->tid)
    {
      send_error_packet (t, from, TFTP_ERR_UNKNOWN_TID, "Unknown transfer ID");
      return TRUE;
    }

  if (!dp_prov_tftp_parse (buffer, length, &packet, &error))
    {
      send_error_packet (t, from, TFTP_ERR_ILLEGAL, "malformed packet");
      transfer_fail (t, DP_PROV_FETCH_ERROR_PROTOCOL, "%s", error->message);
      return FALSE;
    }

  if (!t->tid_locked)
    {
      t->tid_locked = TRUE;
      t->tid = port;
      g_set_object (&t->peer, from);
    }

  switch (packet.opcode)
    {
    case DP_PROV_TFTP_ERROR:
      handle_error_packet (t, &packet);
      return FALSE;
    case DP_PROV_TFTP_DATA:
      return handle_data (t, &packet);
    case DP_PROV_TFTP_RRQ:
    case DP_PROV_TFTP_WRQ:
    case DP_PROV_TFTP_ACK:
    default:
      send_error_packet (t, from, TFTP_ERR_ILLEGAL, "unexpected opcode");
      transfer_fail (t, DP_PROV_FETCH_ERROR_PROTOCOL, _("server sent opcode %u during a read"),
                     packet.opcode);
      return FALSE;
    }
}

static gboolean
on_readable (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  Transfer *t = user_data;

  /* Drain what is queued; a bounded count keeps a flood from starving the loop. */
  for (guint i = 0; i < 64; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocketAddress) from = NULL;
      guint8 buffer[RECV_BUFFER];
      gssize n;

      n = g_socket_receive_from (socket, &from, (char *) buffer, sizeof buffer, NULL, &error);
      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            break;
          /* ICMP port unreachable from an earlier send: the retransmit timer
           * decides when to give up. */
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
            continue;
          transfer_fail (t, DP_PROV_FETCH_ERROR_FAILED, _("receive failed: %s"), error->message);
          return G_SOURCE_REMOVE;
        }
      if (!handle_datagram (t, buffer, (gsize) n, from))
        return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
transfer_start (Transfer *t, GInetAddress *address)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) any = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  GSocketFamily family = g_inet_address_get_family (address);

  t->server_address = g_object_ref (address);
  t->peer = g_inet_socket_address_new (address, t->port);

  t->socket = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  if (t->socket == NULL)
    {
      transfer_fail (t, DP_PROV_FETCH_ERROR_FAILED, _("cannot open a UDP socket: %s"), error->message);
      return;
    }
  g_socket_set_blocking (t->socket, FALSE);
  any = g_inet_address_new_any (family);
  local = g_inet_socket_address_new (any, 0);
  if (!g_socket_bind (t->socket, local, FALSE, &error))
    {
      transfer_fail (t, DP_PROV_FETCH_ERROR_FAILED, _("cannot bind a UDP socket: %s"), error->message);
      return;
    }

  t->read_source = g_socket_create_source (t->socket, G_IO_IN, NULL);
  g_source_set_callback (t->read_source, G_SOURCE_FUNC (on_readable), t, NULL);
  g_source_attach (t->read_source, t->context);

  if (t->options.timeout_ms > 0)
    {
      t->deadline_source = g_timeout_source_new (t->options.timeout_ms);
      g_source_set_callback (t->deadline_source, on_deadline, t, NULL);
      g_source_attach (t->deadline_source, t->context);
    }

  send_tracked (t, t->rrq);
}

static void
on_resolved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  if (t->task == NULL)
    {
      /* Already cancelled or timed out while resolving. */
      g_resolver_free_addresses (addresses);
      return;
    }
  if (addresses == NULL)
    {
      transfer_fail (t, DP_PROV_FETCH_ERROR_FAILED, _("cannot resolve %s: %s"), t->server,
                     error ? error->message : "no address");
      return;
    }
  transfer_start (t, addresses->data);
  g_resolver_free_addresses (addresses);
}

/**
 * dp_prov_tftp_get_async:
 * @server: host name or IP literal
 * @port: UDP port, 0 = 69
 * @filename: the file to read
 * @options: (nullable): limits and timers, %NULL = defaults
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: for @callback
 *
 * Starts a TFTP read (see the section doc).
 */
void
dp_prov_tftp_get_async (const char              *server,
                        guint16                  port,
                        const char              *filename,
                        const DpProvTftpOptions *options,
                        GCancellable            *cancellable,
                        GAsyncReadyCallback      callback,
                        gpointer                 user_data)
{
  g_autoptr(GInetAddress) literal = NULL;
  g_autoptr(GError) error = NULL;
  Transfer *t;
  GTask *task;

  g_return_if_fail (server != NULL);
  g_return_if_fail (filename != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dp_prov_tftp_get_async);
  g_task_set_check_cancellable (task, FALSE);

  t = g_new0 (Transfer, 1);
  t->task = task;
  g_task_set_task_data (task, t, (GDestroyNotify) transfer_free);
  t->context = g_main_context_ref_thread_default ();
  t->server = g_strdup (server);
  t->port = port != 0 ? port : 69;
  t->filename = g_strdup (filename);
  t->data = g_byte_array_new ();
  if (options != NULL)
    t->options = *options;
  if (t->options.retransmit_ms == 0)
    t->options.retransmit_ms = DEFAULT_RETRANSMIT_MS;
  if (t->options.max_retries == 0)
    t->options.max_retries = DEFAULT_MAX_RETRIES;
  if (t->options.max_size == 0)
    t->options.max_size = DP_PROFILE_MAX_SIZE;

  t->rrq = dp_prov_tftp_build_rrq (filename, &error);
  if (t->rrq == NULL)
    {
      transfer_complete (t, NULL, g_steal_pointer (&error));
      return;
    }

  if (cancellable != NULL)
    {
      t->cancellable = g_object_ref (cancellable);
      t->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (t->cancel_source, G_SOURCE_FUNC (on_cancelled), t, NULL);
      g_source_attach (t->cancel_source, t->context);
    }

  literal = g_inet_address_new_from_string (server);
  if (literal != NULL)
    transfer_start (t, literal);
  else
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      g_resolver_lookup_by_name_async (resolver, server, cancellable,
                                       on_resolved, g_object_ref (task));
    }
}

/**
 * dp_prov_tftp_get_finish:
 * @result: the #GAsyncResult
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the whole file, or %NULL with @error set
 */
GBytes *
dp_prov_tftp_get_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
