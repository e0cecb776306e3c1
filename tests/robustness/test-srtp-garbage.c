/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Garbage and replayed SRTP at a call's media ports. Two DpGstMediaSessions
 * in this process (the sip plugin does not drive the media plugin yet, so
 * there is no SIP call with media to attack): A offers G.711u with SDES
 * SRTP (REQUIRED), B answers, and A's packets to B pass a relay in this
 * test that keeps copies. For 3 s, B's RTP and RTCP ports then also get,
 * 400 times a second: random bytes, RTP-looking packets with a forged
 * header and a wrong authentication tag, RTCP-looking garbage, and A's own
 * earlier packets replayed. Passes when, after that, B still hears A's
 * 1 kHz tone at full level and purity and A still hears B's 1.5 kHz tone
 * (the attack is rejected without disturbing the call), and neither
 * pipeline posted an error.
 */
#define G_LOG_DOMAIN "test-srtp-garbage"

#include "dp-gst-media-session.h"
#include "dp-media-codec.h"

#include <gio/gio.h>
#include <gst/app/gstappsink.h>
#include <math.h>
#include <string.h>

#define TONE_A 1000.0
#define TONE_B 1500.0
#define SINK_RATE 16000
#define SINK_DESC "audioconvert ! audioresample ! audio/x-raw,format=S16LE,channels=1,rate=16000 " \
                  "! appsink name=dpsink sync=false"
#define MAX_KEPT 400

typedef struct {
  GSocket *socket;          /* A sends here */
  GSocketAddress *to_b;     /* B's RTP port */
  GSocketAddress *to_b_rtcp;
  GPtrArray *kept;          /* GBytes: copies of A's packets, for replay */
  guint forwarded;
  GRand *rand;
  guint sent_garbage;
  guint sent_replay;
} Relay;

static gboolean
on_timeout_quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, on_timeout_quit, loop);
  g_main_loop_run (loop);
}

static gboolean
on_relay_readable (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  Relay *relay = user_data;
  guint8 buffer[2048];
  gssize n;

  while ((n = g_socket_receive (socket, (char *) buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      g_socket_send_to (relay->socket, relay->to_b, (char *) buffer, (gsize) n, NULL, NULL);
      relay->forwarded++;
      if (relay->kept->len < MAX_KEPT)
        g_ptr_array_add (relay->kept, g_bytes_new (buffer, (gsize) n));
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_attack (gpointer user_data)
{
  Relay *relay = user_data;
  guint8 packet[400];
  gsize len = (gsize) g_rand_int_range (relay->rand, 1, sizeof packet);
  guint kind = (guint) g_rand_int_range (relay->rand, 0, 4);
  GSocketAddress *to = relay->to_b;

  for (gsize i = 0; i < len; i++)
    packet[i] = (guint8) g_rand_int (relay->rand);
  switch (kind)
    {
    case 0:  /* random bytes */
      break;
    case 1:  /* RTP v2, PCMU, plausible sequence, forged payload and tag */
      len = MAX (len, 12 + 240 + 10);
      packet[0] = 0x80;
      packet[1] = 0x00;
      break;
    case 2:  /* RTCP-looking garbage at the RTCP port */
      len = MAX (len, 28);
      packet[0] = 0x81;
      packet[1] = 200;
      to = relay->to_b_rtcp;
      break;
    default: /* a replay of one of A's earlier packets */
      if (relay->kept->len > 0)
        {
          GBytes *old = relay->kept->pdata[g_rand_int_range (relay->rand, 0, (gint32) relay->kept->len)];

          g_socket_send_to (relay->socket, to, g_bytes_get_data (old, NULL),
                            g_bytes_get_size (old), NULL, NULL);
          relay->sent_replay++;
          return G_SOURCE_CONTINUE;
        }
    }
  g_socket_send_to (relay->socket, to, (char *) packet, len, NULL, NULL);
  relay->sent_garbage++;
  return G_SOURCE_CONTINUE;
}

static DpMediaSession *
make_session (double freq)
{
  g_autofree char *source = g_strdup_printf ("audiotestsrc is-live=true wave=sine freq=%.0f "
                                             "volume=0.5 samplesperbuffer=160", freq);

  return g_object_new (DP_TYPE_GST_MEDIA_SESSION, "line", 1, "policy", DP_SRTP_REQUIRED,
                       "sdes-allowed", TRUE, "codecs", "G711u", "audio-source", source,
                       "audio-sink", SINK_DESC, NULL);
}

static GArray *
drain (DpMediaSession *session)
{
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (gint16));
  GstElement *pipeline = dp_gst_media_session_get_pipeline (DP_GST_MEDIA_SESSION (session));
  g_autoptr(GstElement) sink = NULL;
  GstSample *sample;

  g_assert_nonnull (pipeline);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "dpsink");
  g_assert_nonnull (sink);
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 0)) != NULL)
    {
      GstBuffer *buffer = gst_sample_get_buffer (sample);
      GstMapInfo map;

      gst_buffer_map (buffer, &map, GST_MAP_READ);
      g_array_append_vals (samples, map.data, map.size / sizeof (gint16));
      gst_buffer_unmap (buffer, &map);
      gst_sample_unref (sample);
    }
  return samples;
}

static double
goertzel_power (const gint16 *x, gsize n, double freq)
{
  double coeff = 2 * cos (2 * G_PI * freq / SINK_RATE);
  double s1 = 0, s2 = 0;

  for (gsize i = 0; i < n; i++)
    {
      double s = x[i] + coeff * s1 - s2;

      s2 = s1;
      s1 = s;
    }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/* The tone is there, loud and clean: level above -20 dBFS and more than
 * half the energy at @freq. */
static void
assert_hears (DpMediaSession *receiver, double freq, const char *what)
{
  g_autoptr(GArray) samples = drain (receiver);
  const gint16 *x = (const gint16 *) samples->data;
  double energy = 0, level_db, purity;

  g_assert_cmpuint (samples->len, >, SINK_RATE / 2);
  for (guint i = 0; i < samples->len; i++)
    energy += (double) x[i] * x[i];
  level_db = 10 * log10 (energy / samples->len / (32768.0 * 32768.0) + 1e-20);
  purity = energy > 0 ? 2 * goertzel_power (x, samples->len, freq) / (energy * samples->len) : 0;
  g_test_message ("%s: %u samples, %.1f dBFS, purity at %.0f Hz %.2f",
                  what, samples->len, level_db, freq, purity);
  g_assert_cmpfloat (level_db, >, -20);
  g_assert_cmpfloat (purity, >, 0.5);
}

static void
assert_no_pipeline_error (DpMediaSession *session)
{
  GstElement *pipeline = dp_gst_media_session_get_pipeline (DP_GST_MEDIA_SESSION (session));
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  GstMessage *message;
  GstState state;

  while ((message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR)) != NULL)
    {
      g_autoptr(GError) error = NULL;

      gst_message_parse_error (message, &error, NULL);
      gst_message_unref (message);
      g_error ("pipeline error: %s", error->message);
    }
  g_assert_cmpint (gst_element_get_state (pipeline, &state, NULL, 0), !=, GST_STATE_CHANGE_FAILURE);
  g_assert_cmpint (state, ==, GST_STATE_PLAYING);
}

static guint
answer_port (const char *sdp)
{
  const char *m = strstr (sdp, "m=audio ");

  g_assert_nonnull (m);
  return (guint) g_ascii_strtoull (m + 8, NULL, 10);
}

static void
test_garbage_and_replay (void)
{
  g_autoptr(DpMediaSession) a = NULL;
  g_autoptr(DpMediaSession) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *offer = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *relayed = NULL;
  g_autofree char *needle = NULL;
  g_autofree char *replacement = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSource) source = NULL;
  Relay relay = { 0 };
  guint port_b, relay_port, attack_id;

  if (!dp_media_codec_available (dp_media_codec_lookup ("G711u")))
    {
      g_test_skip ("the G.711 GStreamer elements are not installed");
      return;
    }
  a = make_session (TONE_A);
  b = make_session (TONE_B);
  offer = dp_media_session_create_offer (a, &error);
  g_assert_no_error (error);
  answer = dp_media_session_create_answer (b, offer, &error);
  g_assert_no_error (error);

  relay.socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (relay.socket, any, FALSE, &error));
  g_socket_set_blocking (relay.socket, FALSE);
  bound = g_socket_get_local_address (relay.socket, &error);
  relay_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  port_b = answer_port (answer);
  relay.to_b = g_inet_socket_address_new (loopback, (guint16) port_b);
  relay.to_b_rtcp = g_inet_socket_address_new (loopback, (guint16) (port_b + 1));
  relay.kept = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  relay.rand = g_rand_new_with_seed (4475);
  source = g_socket_create_source (relay.socket, G_IO_IN, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (on_relay_readable), &relay, NULL);
  g_source_attach (source, NULL);

  /* A sends its RTP to the relay instead of straight to B. */
  needle = g_strdup_printf ("m=audio %u ", port_b);
  replacement = g_strdup_printf ("m=audio %u ", relay_port);
  {
    g_auto(GStrv) parts = g_strsplit (answer, needle, 2);

    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    relayed = g_strjoin (replacement, parts[0], parts[1], NULL);
  }
  g_assert_true (dp_media_session_set_answer (a, relayed, &error));
  g_assert_no_error (error);
  g_assert_true (dp_media_session_get_secure (a));
  g_assert_true (dp_media_session_get_secure (b));

  run_for (1500);
  g_array_unref (drain (a));
  g_array_unref (drain (b));
  run_for (1000);
  assert_hears (b, TONE_A, "before, A->B");
  g_assert_cmpuint (relay.kept->len, >, 20);

  attack_id = g_timeout_add (2, on_attack, &relay);
  run_for (3000);
  g_source_remove (attack_id);
  g_test_message ("sent %u garbage and %u replayed packets; relayed %u real ones",
                  relay.sent_garbage, relay.sent_replay, relay.forwarded);
  g_assert_cmpuint (relay.sent_garbage + relay.sent_replay, >, 500);

  g_array_unref (drain (a));
  g_array_unref (drain (b));
  run_for (1000);
  assert_hears (b, TONE_A, "after, A->B");
  assert_hears (a, TONE_B, "after, B->A");
  assert_no_pipeline_error (a);
  assert_no_pipeline_error (b);

  dp_media_session_stop (a);
  dp_media_session_stop (b);
  g_source_destroy (source);
  g_ptr_array_unref (relay.kept);
  g_rand_free (relay.rand);
  g_object_unref (relay.to_b);
  g_object_unref (relay.to_b_rtcp);
  g_object_unref (relay.socket);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/robustness/srtp/garbage-and-replay", test_garbage_and_replay);
  return g_test_run ();
}
