/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * TFTP client (RFC 1350): the packet parser and builders, and the transfer
 * state machine against an in-process scripted server on 127.0.0.1 that can
 * misbehave on purpose (wrong source port, duplicates, lost ACKs, silence,
 * blocks out of order, error packets, 16-bit block wrap). The same client
 * against a real tftpd-hpa is in test-prov-transport.c. */
#include "dp-prov-tftp.h"
#include "dp-prov-fetch.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Parser and builders                                                  */

static void
test_parse_valid (void)
{
  static const guint8 data[] = { 0, 3, 0x12, 0x34, 'a', 'b', 'c' };
  static const guint8 ack[] = { 0, 4, 0xff, 0xff };
  static const guint8 err[] = { 0, 5, 0, 1, 'F', 'N', 'F', 0 };
  static const guint8 rrq[] = { 0, 1, '/', 'x', 0, 'o', 'c', 't', 'e', 't', 0 };
  static const guint8 empty_data[] = { 0, 3, 0, 9 };
  DpProvTftpPacket p;
  g_autoptr(GError) error = NULL;

  g_assert_true (dp_prov_tftp_parse (data, sizeof data, &p, &error));
  g_assert_no_error (error);
  g_assert_cmpint (p.opcode, ==, DP_PROV_TFTP_DATA);
  g_assert_cmpuint (p.block, ==, 0x1234);
  g_assert_cmpuint (p.data_len, ==, 3);
  g_assert_cmpmem (p.data, p.data_len, "abc", 3);

  g_assert_true (dp_prov_tftp_parse (ack, sizeof ack, &p, &error));
  g_assert_cmpint (p.opcode, ==, DP_PROV_TFTP_ACK);
  g_assert_cmpuint (p.block, ==, 65535);

  g_assert_true (dp_prov_tftp_parse (err, sizeof err, &p, &error));
  g_assert_cmpint (p.opcode, ==, DP_PROV_TFTP_ERROR);
  g_assert_cmpuint (p.error_code, ==, 1);
  g_assert_cmpmem (p.data, p.data_len, "FNF", 3);

  g_assert_true (dp_prov_tftp_parse (rrq, sizeof rrq, &p, &error));
  g_assert_cmpint (p.opcode, ==, DP_PROV_TFTP_RRQ);
  g_assert_cmpstr (p.filename, ==, "/x");
  g_assert_cmpstr (p.mode, ==, "octet");

  g_assert_true (dp_prov_tftp_parse (empty_data, sizeof empty_data, &p, &error));
  g_assert_cmpuint (p.data_len, ==, 0);
  g_assert_cmpuint (p.block, ==, 9);
}

static void
assert_parse_fails (const guint8 *packet, gsize length, const char *needle)
{
  g_autoptr(GError) error = NULL;
  DpProvTftpPacket p;

  g_assert_false (dp_prov_tftp_parse (packet, length, &p, &error));
  g_assert_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_PROTOCOL);
  if (strstr (error->message, needle) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", error->message, needle);
}

static void
test_parse_invalid (void)
{
  static const guint8 one[] = { 0 };
  static const guint8 opcode9[] = { 0, 9, 0, 0 };
  static const guint8 short_data[] = { 0, 3, 0 };
  static const guint8 ack5[] = { 0, 4, 0, 1, 0 };
  static const guint8 err_no_nul[] = { 0, 5, 0, 1, 'x' };
  static const guint8 err_short[] = { 0, 5, 0 };
  static const guint8 rrq_no_mode[] = { 0, 1, 'f', 0, 'o', 'c' };
  guint8 big[4 + 513] = { 0, 3, 0, 1 };

  assert_parse_fails (one, sizeof one, "offset 0: 1-byte packet has no opcode");
  assert_parse_fails (NULL, 0, "offset 0: 0-byte packet");
  assert_parse_fails (opcode9, sizeof opcode9, "offset 0: unknown opcode 9");
  assert_parse_fails (short_data, sizeof short_data, "offset 2: DATA packet has no block number");
  assert_parse_fails (ack5, sizeof ack5, "offset 2: ACK packet has 5 bytes, not 4");
  assert_parse_fails (err_no_nul, sizeof err_no_nul, "offset 4: error message is not NUL-terminated");
  assert_parse_fails (err_short, sizeof err_short, "offset 2: ERROR packet has no error code");
  assert_parse_fails (rrq_no_mode, sizeof rrq_no_mode, "offset 4: mode is not NUL-terminated");
  assert_parse_fails (big, sizeof big, "offset 4: DATA carries 513 bytes, more than 512");
}

static void
test_build (void)
{
  static const guint8 expected_rrq[] = { 0, 1, '/', 's', 'p', 'a', '9', '6', '2', '.', 'c', 'f', 'g', 0,
                                         'o', 'c', 't', 'e', 't', 0 };
  static const guint8 expected_ack[] = { 0, 4, 0x01, 0x02 };
  static const guint8 expected_err[] = { 0, 5, 0, 5, 'x', 0 };
  g_autoptr(GBytes) rrq = NULL;
  g_autoptr(GBytes) ack = dp_prov_tftp_build_ack (0x0102);
  g_autoptr(GBytes) err = dp_prov_tftp_build_error (5, "x");
  g_autoptr(GError) error = NULL;
  g_autofree char *long_name = g_strnfill (DP_PROV_TFTP_MAX_NAME + 1, 'a');
  GBytes *bad;

  rrq = dp_prov_tftp_build_rrq ("/spa962.cfg", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (rrq, NULL), g_bytes_get_size (rrq), expected_rrq, sizeof expected_rrq);
  g_assert_cmpmem (g_bytes_get_data (ack, NULL), g_bytes_get_size (ack), expected_ack, sizeof expected_ack);
  g_assert_cmpmem (g_bytes_get_data (err, NULL), g_bytes_get_size (err), expected_err, sizeof expected_err);

  bad = dp_prov_tftp_build_rrq ("", &error);
  g_assert_null (bad);
  g_assert_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID);
  g_clear_error (&error);
  bad = dp_prov_tftp_build_rrq (long_name, &error);
  g_assert_null (bad);
  g_assert_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID);
  g_clear_error (&error);
  bad = dp_prov_tftp_build_rrq ("/a\nb", &error);
  g_assert_null (bad);
  g_assert_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "position 3: control character 0x0a"));
}

/* ------------------------------------------------------------------ */
/* Scripted server                                                      */

typedef struct {
  /* script */
  GBytes *file;
  guint16 error_on_rrq;        /* answer the RRQ with this ERROR code (0 = serve) */
  gboolean silent;             /* never answer */
  guint32 stray_at;            /* also send this block from a third port */
  guint32 duplicate_at;        /* send this block three times */
  guint32 drop_first_ack_of;   /* ignore the first ACK of this block */
  guint32 skip_at;             /* send block skip_at + 1 instead of skip_at */
  gboolean malformed_first;    /* answer the RRQ with a 1-byte datagram */

  /* state */
  GSocket *listen;
  GSocket *xfer;
  GSocket *stray;
  GSource *sources[3];
  GSocketAddress *client;
  guint16 port;
  guint32 current;             /* absolute block index being served */
  guint32 n_blocks;
  guint8 *ack_counts;
  guint rrq_count;
  gint last_error_code;        /* -1 = none received on xfer/listen */
  gint stray_error_code;       /* -1 = none received on stray */
} FakeServer;

static GSocket *
udp_socket_on_loopback (void)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                  G_SOCKET_PROTOCOL_UDP, &error);

  g_assert_no_error (error);
  g_socket_set_blocking (socket, FALSE);
  g_assert_true (g_socket_bind (socket, addr, FALSE, &error));
  g_assert_no_error (error);
  return socket;
}

static guint16
socket_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) addr = g_socket_get_local_address (socket, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (addr));
}

static void
server_send (GSocket *socket, GSocketAddress *to, const guint8 *data, gsize len)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_socket_send_to (socket, to, (const char *) data, len, NULL, &error), ==, (gssize) len);
}

static void
server_send_block (FakeServer *s, GSocket *from, guint32 index)
{
  gsize size = g_bytes_get_size (s->file);
  const guint8 *file = g_bytes_get_data (s->file, NULL);
  gsize offset = (gsize) (index - 1) * 512;
  gsize len = MIN (512, size - offset);
  guint8 packet[516] = { 0, 3, (guint8) ((index & 0xffff) >> 8), (guint8) index };

  if (len > 0)
    memcpy (packet + 4, file + offset, len);
  server_send (from, s->client, packet, len + 4);
}

static void
server_serve (FakeServer *s, guint32 index)
{
  s->current = index;
  if (s->skip_at == index)
    {
      server_send_block (s, s->xfer, index + 1);
      return;
    }
  server_send_block (s, s->xfer, index);
  if (s->duplicate_at == index)
    {
      server_send_block (s, s->xfer, index);
      server_send_block (s, s->xfer, index);
    }
  if (s->stray_at == index)
    {
      /* Same block number, bogus bytes, from another port. */
      guint8 packet[8] = { 0, 3, (guint8) ((index & 0xffff) >> 8), (guint8) index, 'E', 'V', 'I', 'L' };

      server_send (s->stray, s->client, packet, sizeof packet);
    }
}

static gboolean
on_server_readable (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  FakeServer *s = user_data;
  guint8 buffer[1024];
  gssize n;

  for (;;)
    {
      g_autoptr(GSocketAddress) from = NULL;
      DpProvTftpPacket p;

      n = g_socket_receive_from (socket, &from, (char *) buffer, sizeof buffer, NULL, NULL);
      if (n < 0)
        break;
      g_assert_true (dp_prov_tftp_parse (buffer, (gsize) n, &p, NULL));

      if (p.opcode == DP_PROV_TFTP_ERROR)
        {
          if (socket == s->stray)
            s->stray_error_code = p.error_code;
          else
            s->last_error_code = p.error_code;
          continue;
        }
      if (socket == s->listen)
        {
          g_assert_cmpint (p.opcode, ==, DP_PROV_TFTP_RRQ);
          g_assert_cmpstr (p.mode, ==, "octet");
          s->rrq_count++;
          g_set_object (&s->client, from);
          if (s->silent || s->rrq_count > 1)
            continue;
          if (s->malformed_first)
            {
              server_send (s->xfer, s->client, (const guint8 *) "\x00", 1);
              continue;
            }
          if (s->error_on_rrq != 0)
            {
              g_autoptr(GBytes) err = dp_prov_tftp_build_error (s->error_on_rrq, "scripted\x01 failure");

              server_send (s->xfer, s->client, g_bytes_get_data (err, NULL), g_bytes_get_size (err));
              continue;
            }
          server_serve (s, 1);
          continue;
        }
      if (socket == s->xfer && p.opcode == DP_PROV_TFTP_ACK)
        {
          guint32 index = s->current;

          if (index > 1 && p.block == ((index - 1) & 0xffff))
            {
              /* a late duplicate ACK of the previous block: count it only */
              if (s->ack_counts[index - 1] < 255)
                s->ack_counts[index - 1]++;
              continue;
            }
          if (p.block != (index & 0xffff))
            continue;
          if (s->ack_counts[index] < 255)
            s->ack_counts[index]++;
          if (s->ack_counts[index] > 1)
            continue;   /* RFC 1123: never answer a duplicate ACK */
          if (s->drop_first_ack_of == index && s->ack_counts[index] == 1)
            {
              s->ack_counts[index] = 0;
              s->drop_first_ack_of = 0;
              continue;
            }
          if (index < s->n_blocks)
            server_serve (s, index + 1);
        }
    }
  return G_SOURCE_CONTINUE;
}

static void
server_start (FakeServer *s, gsize file_size)
{
  g_autofree guint8 *content = g_malloc (file_size + 1);
  GSocket *sockets[3];

  for (gsize i = 0; i < file_size; i++)
    content[i] = (guint8) (i * 7 + i / 512);
  s->file = g_bytes_new (content, file_size);
  s->n_blocks = (guint32) (file_size / 512 + 1);
  s->ack_counts = g_malloc0 (s->n_blocks + 2);
  s->last_error_code = -1;
  s->stray_error_code = -1;

  s->listen = udp_socket_on_loopback ();
  s->xfer = udp_socket_on_loopback ();
  s->stray = udp_socket_on_loopback ();
  s->port = socket_port (s->listen);
  sockets[0] = s->listen;
  sockets[1] = s->xfer;
  sockets[2] = s->stray;
  for (guint i = 0; i < 3; i++)
    {
      s->sources[i] = g_socket_create_source (sockets[i], G_IO_IN, NULL);
      g_source_set_callback (s->sources[i], G_SOURCE_FUNC (on_server_readable), s, NULL);
      g_source_attach (s->sources[i], NULL);
    }
}

static void
server_stop (FakeServer *s)
{
  for (guint i = 0; i < 3; i++)
    {
      g_source_destroy (s->sources[i]);
      g_source_unref (s->sources[i]);
    }
  g_clear_object (&s->listen);
  g_clear_object (&s->xfer);
  g_clear_object (&s->stray);
  g_clear_object (&s->client);
  g_clear_pointer (&s->file, g_bytes_unref);
  g_free (s->ack_counts);
}

typedef struct {
  gboolean done;
  GBytes *bytes;
  GError *error;
} Outcome;

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Outcome *o = user_data;

  o->bytes = dp_prov_tftp_get_finish (result, &o->error);
  o->done = TRUE;
}

static gboolean
on_test_timeout (gpointer user_data)
{
  g_error ("TFTP test did not finish in time");
  return G_SOURCE_REMOVE;
}

/* Drains datagrams the client sent last (e.g. the ERROR to a stray port). */
static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
run_fetch (FakeServer *s, const DpProvTftpOptions *options, GCancellable *cancellable, Outcome *o)
{
  guint watchdog = g_timeout_add_seconds (60, on_test_timeout, NULL);

  dp_prov_tftp_get_async ("127.0.0.1", s->port, "/spa962.cfg", options, cancellable, on_done, o);
  while (!o->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watchdog);
  settle (30);
}

static const DpProvTftpOptions fast = { .retransmit_ms = 50, .max_retries = 3 };

static void
assert_file (FakeServer *s, Outcome *o)
{
  g_assert_no_error (o->error);
  g_assert_nonnull (o->bytes);
  g_assert_true (g_bytes_equal (o->bytes, s->file));
}

static void
outcome_clear (Outcome *o)
{
  g_clear_pointer (&o->bytes, g_bytes_unref);
  g_clear_error (&o->error);
}

static void
test_transfer_sizes (void)
{
  static const gsize sizes[] = { 0, 1, 511, 512, 513, 1024, 5000 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      FakeServer s = { 0 };
      Outcome o = { 0 };

      server_start (&s, sizes[i]);
      run_fetch (&s, &fast, NULL, &o);
      assert_file (&s, &o);
      /* Every block ACKed exactly once, the final short/empty one included. */
      for (guint32 b = 1; b <= s.n_blocks; b++)
        g_assert_cmpuint (s.ack_counts[b], ==, 1);
      g_assert_cmpuint (s.rrq_count, ==, 1);
      outcome_clear (&o);
      server_stop (&s);
    }
}

static void
test_wrong_tid (void)
{
  FakeServer s = { .stray_at = 2 };
  Outcome o = { 0 };

  server_start (&s, 2000);
  run_fetch (&s, &fast, NULL, &o);
  assert_file (&s, &o);   /* the stray "EVIL" block was not taken */
  g_assert_cmpint (s.stray_error_code, ==, 5);
  g_assert_cmpint (s.last_error_code, ==, -1);
  outcome_clear (&o);
  server_stop (&s);
}

static void
test_duplicate_acked_once (void)
{
  FakeServer s = { .duplicate_at = 2 };
  Outcome o = { 0 };

  server_start (&s, 2000);
  run_fetch (&s, &fast, NULL, &o);
  assert_file (&s, &o);   /* no duplicated data */
  /* three copies of block 2: one ACK for the block, one for the first duplicate */
  g_assert_cmpuint (s.ack_counts[2], ==, 2);
  g_assert_cmpuint (s.ack_counts[3], ==, 1);
  outcome_clear (&o);
  server_stop (&s);
}

static void
test_lost_ack_retransmitted (void)
{
  FakeServer s = { .drop_first_ack_of = 2 };
  Outcome o = { 0 };

  server_start (&s, 2000);
  run_fetch (&s, &fast, NULL, &o);
  assert_file (&s, &o);
  outcome_clear (&o);
  server_stop (&s);
}

static void
test_silent_server_times_out (void)
{
  FakeServer s = { .silent = TRUE };
  Outcome o = { 0 };

  server_start (&s, 100);
  run_fetch (&s, &fast, NULL, &o);
  g_assert_null (o.bytes);
  g_assert_error (o.error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (o.error->message, "3 retransmissions"));
  g_assert_cmpuint (s.rrq_count, ==, 4);   /* the request + 3 retries, no more */
  outcome_clear (&o);
  server_stop (&s);
}

static void
test_overall_timeout (void)
{
  FakeServer s = { .silent = TRUE };
  Outcome o = { 0 };
  DpProvTftpOptions options = { .retransmit_ms = 50, .max_retries = 1000, .timeout_ms = 300 };

  server_start (&s, 100);
  run_fetch (&s, &options, NULL, &o);
  g_assert_error (o.error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (o.error->message, "within 300 ms"));
  outcome_clear (&o);
  server_stop (&s);
}

static void
test_error_packets (void)
{
  static const struct { guint16 code; DpProvFetchError expected; } cases[] = {
    { 1, DP_PROV_FETCH_ERROR_NOT_FOUND },
    { 2, DP_PROV_FETCH_ERROR_SERVER },
    { 4, DP_PROV_FETCH_ERROR_PROTOCOL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      FakeServer s = { .error_on_rrq = cases[i].code };
      Outcome o = { 0 };
      g_autofree char *expected = g_strdup_printf ("server error %u: scripted? failure", cases[i].code);

      server_start (&s, 100);
      run_fetch (&s, &fast, NULL, &o);
      g_assert_null (o.bytes);
      g_assert_error (o.error, DP_PROV_FETCH_ERROR, (gint) cases[i].expected);
      g_assert_nonnull (strstr (o.error->message, expected));
      outcome_clear (&o);
      server_stop (&s);
    }
}

static void
test_block_ahead (void)
{
  FakeServer s = { .skip_at = 2 };
  Outcome o = { 0 };

  server_start (&s, 2000);
  run_fetch (&s, &fast, NULL, &o);
  g_assert_null (o.bytes);
  g_assert_error (o.error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (o.error->message, "server sent block 3, expected 2"));
  g_assert_cmpint (s.last_error_code, ==, 4);
  outcome_clear (&o);
  server_stop (&s);
}

static void
test_malformed (void)
{
  FakeServer s = { .malformed_first = TRUE };
  Outcome o = { 0 };

  server_start (&s, 2000);
  run_fetch (&s, &fast, NULL, &o);
  g_assert_error (o.error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (o.error->message, "offset 0"));
  g_assert_cmpint (s.last_error_code, ==, 4);
  outcome_clear (&o);
  server_stop (&s);
}

static void
test_too_large (void)
{
  FakeServer s = { 0 };
  Outcome o = { 0 };
  DpProvTftpOptions options = { .retransmit_ms = 50, .max_retries = 3, .max_size = 1500 };

  server_start (&s, 1501);
  run_fetch (&s, &options, NULL, &o);
  g_assert_null (o.bytes);
  g_assert_error (o.error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TOO_LARGE);
  g_assert_cmpint (s.last_error_code, ==, 3);
  outcome_clear (&o);
  server_stop (&s);

  /* exactly at the limit is fine */
  memset (&s, 0, sizeof s);
  server_start (&s, 1500);
  memset (&o, 0, sizeof o);
  run_fetch (&s, &options, NULL, &o);
  assert_file (&s, &o);
  outcome_clear (&o);
  server_stop (&s);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  FakeServer s = { .silent = TRUE };
  Outcome o = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  DpProvTftpOptions options = { .retransmit_ms = 50, .max_retries = 1000 };

  server_start (&s, 100);
  g_timeout_add (120, cancel_later, cancellable);
  run_fetch (&s, &options, cancellable, &o);
  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  outcome_clear (&o);
  server_stop (&s);
}

static void
test_block_wrap (void)
{
  FakeServer s = { 0 };
  Outcome o = { 0 };
  DpProvTftpOptions options = { .retransmit_ms = 200, .max_retries = 5, .max_size = 64 << 20 };

  /* 65536 full blocks + a partial one: block numbers 1..65535, 0, 1. */
  server_start (&s, 65537 * 512 + 100);
  run_fetch (&s, &options, NULL, &o);
  assert_file (&s, &o);
  g_assert_cmpuint (s.ack_counts[65536], ==, 1);
  g_assert_cmpuint (s.ack_counts[65538], ==, 1);
  outcome_clear (&o);
  server_stop (&s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/prov-tftp/parse/valid", test_parse_valid);
  g_test_add_func ("/prov-tftp/parse/invalid", test_parse_invalid);
  g_test_add_func ("/prov-tftp/build", test_build);
  g_test_add_func ("/prov-tftp/transfer/sizes", test_transfer_sizes);
  g_test_add_func ("/prov-tftp/transfer/wrong-tid", test_wrong_tid);
  g_test_add_func ("/prov-tftp/transfer/duplicate", test_duplicate_acked_once);
  g_test_add_func ("/prov-tftp/transfer/lost-ack", test_lost_ack_retransmitted);
  g_test_add_func ("/prov-tftp/transfer/silent", test_silent_server_times_out);
  g_test_add_func ("/prov-tftp/transfer/overall-timeout", test_overall_timeout);
  g_test_add_func ("/prov-tftp/transfer/error-packets", test_error_packets);
  g_test_add_func ("/prov-tftp/transfer/block-ahead", test_block_ahead);
  g_test_add_func ("/prov-tftp/transfer/malformed", test_malformed);
  g_test_add_func ("/prov-tftp/transfer/too-large", test_too_large);
  g_test_add_func ("/prov-tftp/transfer/cancel", test_cancel);
  g_test_add_func ("/prov-tftp/transfer/block-wrap", test_block_wrap);

  return g_test_run ();
}
