/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * In-process calls between two DpGstMediaSessions on 127.0.0.1: A offers,
 * B answers, A takes the answer. Each side sends its own sine tone and the
 * other side's appsink samples are measured (dominant frequency by a
 * Goertzel scan, RMS level). The SRTP cases route A->B through a relay in
 * the test that records the packets, which are then checked with libsrtp2.
 */
#include "dp-gst-conference.h"
#include "dp-gst-media-session.h"
#include "dp-media-codec.h"
#include "dp-media-sdp.h"

#include <gst/app/gstappsink.h>
#include <gst/audio/gstaudiosrc.h>
#include <math.h>
#include <srtp2/srtp.h>
#include <string.h>

#define TONE_A 1000.0
#define TONE_B 1500.0
#define SINK_RATE 16000
#define SINK_DESC "audioconvert ! audioresample ! audio/x-raw,format=S16LE,channels=1,rate=16000 " \
                  "! appsink name=dpsink sync=false"

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

static DpMediaSession *
make_session (const char *codecs, DpSrtpPolicy policy, double freq, const char *suites)
{
  g_autofree char *source = g_strdup_printf ("audiotestsrc is-live=true wave=sine freq=%.0f "
                                             "volume=0.5 samplesperbuffer=160", freq);

  return g_object_new (DP_TYPE_GST_MEDIA_SESSION, "line", 1, "policy", policy,
                       "sdes-allowed", TRUE, "codecs", codecs, "audio-source", source,
                       "audio-sink", SINK_DESC, "srtp-suites", suites, NULL);
}

/* Pulls every queued sample from the session's appsink. */
static GArray *
drain (DpMediaSession *session)
{
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (gint16));
  GstElement *pipeline = dp_gst_media_session_get_pipeline (DP_GST_MEDIA_SESSION (session));
  g_autoptr(GstElement) sink = NULL;
  GstSample *sample;

  if (pipeline == NULL)
    return samples;
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
goertzel_power (const gint16 *x, gsize n, double freq, double rate)
{
  double coeff = 2 * cos (2 * G_PI * freq / rate);
  double s1 = 0, s2 = 0;

  for (gsize i = 0; i < n; i++)
    {
      double s = x[i] + coeff * s1 - s2;
      s2 = s1;
      s1 = s;
    }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

typedef struct {
  double frequency;  /* strongest frequency, 10 Hz resolution */
  double level_db;   /* RMS in dBFS */
  double purity;     /* share of the energy at that frequency (0..1) */
  gsize n;
} Measure;

static Measure
measure (const gint16 *x, gsize n, double rate)
{
  Measure m = { 0, -200, 0, n };
  double energy = 0, best = -1;

  if (n == 0)
    return m;
  for (gsize i = 0; i < n; i++)
    energy += (double) x[i] * x[i];
  m.level_db = 10 * log10 (energy / n / (32768.0 * 32768.0) + 1e-20);
  for (double f = 100; f < rate / 2 - 100; f += 10)
    {
      double p = goertzel_power (x, n, f, rate);

      if (p > best)
        {
          best = p;
          m.frequency = f;
        }
    }
  /* Goertzel power of a pure sine is (A n / 2)^2; energy = A^2 n / 2. */
  m.purity = energy > 0 ? 2 * best / (energy * n) : 0;
  return m;
}

static Measure
measure_received (DpMediaSession *session)
{
  g_autoptr(GArray) samples = drain (session);

  return measure ((gint16 *) samples->data, samples->len, SINK_RATE);
}

static void
connect_pair (DpMediaSession *a, DpMediaSession *b)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *offer = dp_media_session_create_offer (a, &error);
  g_autofree char *answer = NULL;

  g_assert_no_error (error);
  answer = dp_media_session_create_answer (b, offer, &error);
  g_assert_no_error (error);
  g_assert_true (dp_media_session_set_answer (a, answer, &error));
  g_assert_no_error (error);
}

static void
assert_tone (DpMediaSession *receiver, double freq, const char *what)
{
  Measure m = measure_received (receiver);

  g_test_message ("%s: %" G_GSIZE_FORMAT " samples, %.0f Hz, %.1f dBFS, purity %.2f",
                  what, m.n, m.frequency, m.level_db, m.purity);
  g_assert_cmpuint (m.n, >, SINK_RATE / 4);
  g_assert_cmpfloat (fabs (m.frequency - freq), <=, 20);
  g_assert_cmpfloat (m.level_db, >, -20);
  g_assert_cmpfloat (m.purity, >, 0.5);
}

static void
assert_silent (DpMediaSession *receiver, const char *what)
{
  Measure m = measure_received (receiver);

  g_test_message ("%s: %" G_GSIZE_FORMAT " samples, %.1f dBFS", what, m.n, m.level_db);
  g_assert_true (m.n < SINK_RATE / 20 || m.level_db < -50);
}

/* Warm up, throw away the start-up audio, then measure a fresh window. */
static void
settle (DpMediaSession *a, DpMediaSession *b)
{
  run_for (700);
  g_array_unref (drain (a));
  g_array_unref (drain (b));
  run_for (600);
}

static void
test_codec (gconstpointer data)
{
  const char *name = data;
  const DpMediaCodec *codec = dp_media_codec_lookup (name);
  g_autoptr(DpMediaSession) a = NULL;
  g_autoptr(DpMediaSession) b = NULL;

  g_assert_nonnull (codec);
  if (!dp_media_codec_available (codec))
    {
      g_test_skip ("codec elements not installed");
      return;
    }
  a = make_session (name, DP_SRTP_OFF, TONE_A, NULL);
  b = make_session (name, DP_SRTP_OFF, TONE_B, NULL);
  connect_pair (a, b);
  g_assert_cmpstr (dp_media_session_get_codec (a), ==, name);
  g_assert_cmpstr (dp_media_session_get_codec (b), ==, name);
  g_assert_false (dp_media_session_get_secure (a));
  settle (a, b);
  assert_tone (b, TONE_A, "A->B");
  assert_tone (a, TONE_B, "B->A");
  dp_media_session_stop (a);
  dp_media_session_stop (b);
}

static gboolean
rtcp_received (DpMediaSession *session)
{
  g_autoptr(JsonNode) stats = dp_media_session_get_stats (session);

  return json_object_get_boolean_member (json_node_get_object (stats), "rtcp_received");
}

/* The peer's reports reach @session (an SR from it, or a report block
 * about us): rtpbin sends the first one a few seconds into the call, so
 * this waits for it, within a generous bound. */
static void
assert_rtcp_received (DpMediaSession *session, const char *what)
{
  g_autoptr(JsonNode) stats = NULL;
  JsonObject *o;

  for (guint i = 0; i < 150 && !rtcp_received (session); i++)
    run_for (100);
  stats = dp_media_session_get_stats (session);
  o = json_node_get_object (stats);
  g_test_message ("%s: rtcp_received %d, rtcp_mux %d, rtt %.1f ms", what,
                  json_object_get_boolean_member (o, "rtcp_received"),
                  json_object_get_boolean_member (o, "rtcp_mux"),
                  json_object_get_double_member (o, "rtt_ms"));
  g_assert_true (json_object_get_boolean_member (o, "rtcp_received"));
}

static void
test_stats (void)
{
  g_autoptr(DpMediaSession) a = make_session ("G711u", DP_SRTP_OFF, TONE_A, NULL);
  g_autoptr(DpMediaSession) b = make_session ("G711u", DP_SRTP_OFF, TONE_B, NULL);
  g_autoptr(JsonNode) stats = NULL;
  JsonObject *o;

  connect_pair (a, b);
  run_for (1000);
  stats = dp_media_session_get_stats (a);
  o = json_node_get_object (stats);
  g_assert_cmpstr (json_object_get_string_member (o, "codec"), ==, "G711u");
  /* 30 ms packets for about a second each way. */
  g_assert_cmpint (json_object_get_int_member (o, "packets_sent"), >=, 15);
  g_assert_cmpint (json_object_get_int_member (o, "bytes_sent"), >=,
                   15 * 240);
  g_assert_cmpint (json_object_get_int_member (o, "packets_received"), >=, 15);
  g_assert_cmpint (json_object_get_int_member (o, "lost"), ==, 0);
  g_assert_true (json_object_has_member (o, "jitter_ms"));
  g_assert_true (json_object_has_member (o, "rtt_ms"));
  /* Two of our sessions multiplex RTCP (RFC 5761), plain RTP here. */
  g_assert_true (json_object_get_boolean_member (o, "rtcp_mux"));
  assert_rtcp_received (a, "plain A");
  assert_rtcp_received (b, "plain B");
}

static void
on_dtmf (DpMediaSession *session, int digit, gpointer user_data)
{
  g_string_append_c (user_data, (char) digit);
}

/* Runs the loop until both strings have their expected length, within a
 * generous bound (a loaded machine delays the digits, not their order). */
static void
wait_for_digits (GString *first, gsize first_len, GString *second, gsize second_len)
{
  for (guint i = 0; i < 100 && (first->len < first_len || second->len < second_len); i++)
    run_for (100);
}

static void
test_dtmf (void)
{
  g_autoptr(DpMediaSession) a = make_session ("G711u", DP_SRTP_OFF, TONE_A, NULL);
  g_autoptr(DpMediaSession) b = make_session ("G711u", DP_SRTP_OFF, TONE_B, NULL);
  g_autoptr(GString) received_b = g_string_new (NULL);
  g_autoptr(GString) received_a = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_signal_connect (b, "dtmf-received", G_CALLBACK (on_dtmf), received_b);
  g_signal_connect (a, "dtmf-received", G_CALLBACK (on_dtmf), received_a);
  connect_pair (a, b);
  run_for (300);
  g_assert_true (dp_media_session_send_dtmf (a, '1', 120, &error));
  g_assert_true (dp_media_session_send_dtmf (a, '#', 120, &error));
  g_assert_true (dp_media_session_send_dtmf (a, 'd', 120, &error));
  g_assert_true (dp_media_session_send_dtmf (b, '7', 120, &error));
  g_assert_no_error (error);
  g_assert_false (dp_media_session_send_dtmf (a, 'x', 120, &error));
  g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED);
  wait_for_digits (received_b, 3, received_a, 1);
  g_assert_cmpstr (received_b->str, ==, "1#D");
  g_assert_cmpstr (received_a->str, ==, "7");
}

static void
renegotiate (DpMediaSession *a, DpMediaSession *b, DpMediaDirection direction)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dp_media_session_set_direction (a, direction, &error));
  connect_pair (a, b);
}

static void
test_hold (void)
{
  g_autoptr(DpMediaSession) a = make_session ("G711a", DP_SRTP_OFF, TONE_A, NULL);
  g_autoptr(DpMediaSession) b = make_session ("G711a", DP_SRTP_OFF, TONE_B, NULL);
  GstElement *pipeline;

  connect_pair (a, b);
  settle (a, b);
  assert_tone (b, TONE_A, "before hold A->B");
  assert_tone (a, TONE_B, "before hold B->A");
  pipeline = dp_gst_media_session_get_pipeline (DP_GST_MEDIA_SESSION (b));

  /* A holds (sendonly): B only listens, A hears nothing. */
  renegotiate (a, b, DP_MEDIA_SENDONLY);
  g_assert_true (dp_gst_media_session_get_remote_hold (DP_GST_MEDIA_SESSION (b)));
  g_assert_false (dp_gst_media_session_get_remote_hold (DP_GST_MEDIA_SESSION (a)));
  /* A direction change keeps the pipeline (no rekey, no new SSRC). */
  g_assert_true (pipeline == dp_gst_media_session_get_pipeline (DP_GST_MEDIA_SESSION (b)));
  settle (a, b);
  assert_tone (b, TONE_A, "sendonly A->B");
  assert_silent (a, "sendonly B->A");

  renegotiate (a, b, DP_MEDIA_INACTIVE);
  settle (a, b);
  assert_silent (a, "inactive B->A");
  assert_silent (b, "inactive A->B");

  renegotiate (a, b, DP_MEDIA_SENDRECV);
  g_assert_false (dp_gst_media_session_get_remote_hold (DP_GST_MEDIA_SESSION (b)));
  settle (a, b);
  assert_tone (b, TONE_A, "resumed A->B");
  assert_tone (a, TONE_B, "resumed B->A");
}

/* @sdp without its telephone-event format: a peer with in-band DTMF only. */
static char *
without_telephone_event (const char *sdp)
{
  g_auto(GStrv) lines = g_strsplit (sdp, "\r\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      if (strstr (lines[i], "telephone-event") != NULL || g_str_has_prefix (lines[i], "a=fmtp:101 "))
        continue;
      if (g_str_has_prefix (lines[i], "m=audio "))
        {
          g_auto(GStrv) words = g_strsplit (lines[i], " ", -1);

          for (guint w = 0; words[w] != NULL; w++)
            if (w < 3 || strcmp (words[w], "101") != 0)
              g_string_append_printf (out, "%s%s", w > 0 ? " " : "", words[w]);
          g_string_append (out, "\r\n");
          continue;
        }
      g_string_append_printf (out, "%s\r\n", lines[i]);
    }
  return g_string_free (out, FALSE);
}

/* In-band DTMF (no telephone-event negotiated): Q.23 tones written into
 * the sender's audio, detected in the receiver's (spandsp's dtmfdetect),
 * reported as digits both ways; the call's own audio comes back after. */
static void
test_dtmf_inband (void)
{
  g_autoptr(DpMediaSession) a = make_session ("G711u", DP_SRTP_OFF, TONE_A, NULL);
  g_autoptr(DpMediaSession) b = make_session ("G711u", DP_SRTP_OFF, TONE_B, NULL);
  g_autoptr(GString) received_b = g_string_new (NULL);
  g_autoptr(GString) received_a = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *offer = NULL;
  g_autofree char *plain_offer = NULL;
  g_autofree char *answer = NULL;

  g_signal_connect (b, "dtmf-received", G_CALLBACK (on_dtmf), received_b);
  g_signal_connect (a, "dtmf-received", G_CALLBACK (on_dtmf), received_a);
  offer = dp_media_session_create_offer (a, &error);
  g_assert_no_error (error);
  plain_offer = without_telephone_event (offer);
  g_assert_null (strstr (plain_offer, "telephone-event"));
  answer = dp_media_session_create_answer (b, plain_offer, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (answer, "telephone-event"));
  g_assert_true (dp_media_session_set_answer (a, answer, &error));
  g_assert_no_error (error);
  run_for (300);
  for (const char *d = "1#D5"; *d != '\0'; d++)
    g_assert_true (dp_media_session_send_dtmf (a, *d, 120, &error));
  g_assert_true (dp_media_session_send_dtmf (b, '9', 120, &error));
  g_assert_no_error (error);
  wait_for_digits (received_b, 4, received_a, 1);
  run_for (300);   /* nothing more (no digit twice) */
  g_assert_cmpstr (received_b->str, ==, "1#D5");
  g_assert_cmpstr (received_a->str, ==, "9");
  settle (a, b);
  assert_tone (b, TONE_A, "A's audio after the digits");
}

/* A re-offer mid-call that changes codec, address and port (another
 * party taking over the dialog, e.g. after a transfer by a B2BUA): the
 * answer picks the new codec, the pipeline is rebuilt, audio flows both
 * ways with the new party. */
static void
test_codec_switch (void)
{
  const double tone_c = 700;
  g_autoptr(DpMediaSession) a = make_session ("G711u,G711a", DP_SRTP_OFF, TONE_A, NULL);
  g_autoptr(DpMediaSession) b = make_session ("G711u,G711a", DP_SRTP_OFF, TONE_B, NULL);
  g_autoptr(DpMediaSession) c = make_session ("G711a", DP_SRTP_OFF, tone_c, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *offer = NULL;
  g_autofree char *answer = NULL;

  connect_pair (a, b);
  g_assert_cmpstr (dp_media_session_get_codec (a), ==, "G711u");
  settle (a, b);
  assert_tone (a, TONE_B, "A hears B (G.711u)");

  offer = dp_media_session_create_offer (c, &error);
  g_assert_no_error (error);
  answer = dp_media_session_create_answer (a, offer, &error);
  g_assert_no_error (error);
  g_assert_true (dp_media_session_set_answer (c, answer, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dp_media_session_get_codec (a), ==, "G711a");
  dp_media_session_stop (b);
  settle (a, c);
  assert_tone (a, tone_c, "A hears C after the switch (G.711a)");
  assert_tone (c, TONE_A, "C hears A after the switch");
}

/* A ringing call's offer is answered inactive only to vet it: nothing is
 * built (no key in use, no audio device open) until the user answers and
 * the offer is answered again sendrecv; then audio flows both ways. */
static void
test_ringing_answer_builds_nothing (void)
{
  g_autoptr(DpMediaSession) a = make_session ("G711u", DP_SRTP_REQUIRED, TONE_A, NULL);
  g_autoptr(DpMediaSession) b = make_session ("G711u", DP_SRTP_REQUIRED, TONE_B, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *offer = NULL;
  g_autofree char *ringing = NULL;
  g_autofree char *answer = NULL;

  offer = dp_media_session_create_offer (a, &error);
  g_assert_no_error (error);
  g_assert_true (dp_media_session_set_direction (b, DP_MEDIA_INACTIVE, &error));
  ringing = dp_media_session_create_answer (b, offer, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (ringing, "a=inactive"));
  g_assert_cmpstr (dp_media_session_get_codec (b), ==, "G711u");
  g_assert_true (dp_media_session_get_secure (b));
  g_assert_null (dp_gst_media_session_get_send_key (DP_GST_MEDIA_SESSION (b)));

  g_assert_true (dp_media_session_set_direction (b, DP_MEDIA_SENDRECV, &error));
  answer = dp_media_session_create_answer (b, offer, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dp_gst_media_session_get_send_key (DP_GST_MEDIA_SESSION (b)));
  g_assert_true (dp_media_session_set_answer (a, answer, &error));
  g_assert_no_error (error);
  settle (a, b);
  assert_tone (b, TONE_A, "A->B after answering");
  assert_tone (a, TONE_B, "B->A after answering");
}

/* RFC 2543 hold: c=0.0.0.0 in an offer means "do not send to me". */
static void
test_hold_null_address (void)
{
  g_autoptr(DpMediaSession) b = make_session ("G711u", DP_SRTP_OFF, TONE_B, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  const char *offer =
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n";

  answer = dp_media_session_create_answer (b, offer, &error);
  g_assert_no_error (error);
  g_assert_true (dp_gst_media_session_get_remote_hold (DP_GST_MEDIA_SESSION (b)));
  g_assert_nonnull (strstr (answer, "a=sendrecv"));
}

/* --- SRTP ------------------------------------------------------------ */

typedef struct {
  GSocket *rtp;
  GSocket *rtcp;
  GSocketAddress *b_rtp;
  GSocketAddress *b_rtcp;
  GPtrArray *rtp_packets;
  GPtrArray *rtcp_packets;
  guint rtcp_on_rtp_port;   /* RTCP packets that came to the RTP port (rtcp-mux) */
  guint on_rtcp_port;       /* packets that came to the RTCP port */
  GSource *rtp_source;
  GSource *rtcp_source;
} Relay;

/* Sorts by content, as RFC 5761 section 4 demultiplexes: the second
 * byte of RTCP is its packet type, 192-223; for RTP it is the marker bit
 * and a payload type, which the RFC keeps out of that range. Each packet
 * goes on to B's port of the kind it arrived on. */
static gboolean
on_relay_readable (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  Relay *relay = user_data;
  gboolean to_rtp_port = socket == relay->rtp;
  guint8 buf[2048];
  gssize len = g_socket_receive (socket, (char *) buf, sizeof buf, NULL, NULL);

  if (len > 1)
    {
      gboolean is_rtcp = buf[1] >= 192 && buf[1] <= 223;

      g_ptr_array_add (is_rtcp ? relay->rtcp_packets : relay->rtp_packets,
                       g_bytes_new (buf, (gsize) len));
      relay->rtcp_on_rtp_port += is_rtcp && to_rtp_port;
      relay->on_rtcp_port += !to_rtp_port;
      g_socket_send_to (socket, to_rtp_port ? relay->b_rtp : relay->b_rtcp, (char *) buf,
                        (gsize) len, NULL, NULL);
    }
  return G_SOURCE_CONTINUE;
}

static GSocket *
bind_any (guint *port)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                  G_SOCKET_PROTOCOL_UDP, NULL);

  g_assert_true (g_socket_bind (socket, addr, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

static void
relay_start (Relay *relay, guint b_port, guint *rtp_port, guint *rtcp_port)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  relay->rtp = bind_any (rtp_port);
  relay->rtcp = bind_any (rtcp_port);
  relay->b_rtp = g_inet_socket_address_new (lo, (guint16) b_port);
  relay->b_rtcp = g_inet_socket_address_new (lo, (guint16) (b_port + 1));
  relay->rtp_packets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  relay->rtcp_packets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  relay->rtp_source = g_socket_create_source (relay->rtp, G_IO_IN, NULL);
  g_source_set_callback (relay->rtp_source, G_SOURCE_FUNC (on_relay_readable), relay, NULL);
  g_source_attach (relay->rtp_source, NULL);
  relay->rtcp_source = g_socket_create_source (relay->rtcp, G_IO_IN, NULL);
  g_source_set_callback (relay->rtcp_source, G_SOURCE_FUNC (on_relay_readable), relay, NULL);
  g_source_attach (relay->rtcp_source, NULL);
}

static void
relay_stop (Relay *relay)
{
  g_source_destroy (relay->rtp_source);
  g_source_unref (relay->rtp_source);
  g_source_destroy (relay->rtcp_source);
  g_source_unref (relay->rtcp_source);
  g_clear_object (&relay->rtp);
  g_clear_object (&relay->rtcp);
  g_clear_object (&relay->b_rtp);
  g_clear_object (&relay->b_rtcp);
  g_ptr_array_unref (relay->rtp_packets);
  g_ptr_array_unref (relay->rtcp_packets);
}

/* Points A at the relay: the answer's m= port and an explicit a=rtcp. */
static char *
redirect_answer (const char *answer, guint b_port, guint rtp_port, guint rtcp_port)
{
  g_autofree char *from = g_strdup_printf ("m=audio %u ", b_port);
  const char *at = strstr (answer, from);
  g_autofree char *head = NULL;
  const char *eol;

  g_assert_nonnull (at);
  /* a=rtcp must follow the m= line: insert it after that line. */
  eol = strstr (at, "\r\n");
  head = g_strndup (answer, (gsize) (at - answer));
  return g_strdup_printf ("%sm=audio %u %.*s\r\na=rtcp:%u%s", head, rtp_port,
                          (int) (eol - (at + strlen (from))), at + strlen (from), rtcp_port, eol);
}

static gint16
ulaw_to_linear (guint8 u)
{
  int t;

  u = ~u;
  t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return (gint16) ((u & 0x80) ? (0x84 - t) : (t - 0x84));
}

static void
set_policy (srtp_policy_t *policy, DpSrtpSuite suite, GBytes *key)
{
  memset (policy, 0, sizeof *policy);
  switch (suite)
    {
    case DP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 (&policy->rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 (&policy->rtcp);
      break;
    case DP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32 (&policy->rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 (&policy->rtcp);
      break;
    case DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_80:
      srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80 (&policy->rtp);
      srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80 (&policy->rtcp);
      break;
    case DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_32:
      srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32 (&policy->rtp);
      srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80 (&policy->rtcp);
      break;
    case DP_SRTP_SUITE_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
  policy->ssrc.type = ssrc_any_inbound;
  policy->key = (unsigned char *) g_bytes_get_data (key, NULL);
  policy->window_size = 1024;
}

typedef struct {
  DpSrtpSuite suite;
  gboolean rtcp_mux;   /* FALSE: B gets the offer without a=rtcp-mux */
} CaptureCase;

/* The offer minus its a=rtcp-mux line: a peer that does not know it. */
static char *
without_rtcp_mux (const char *sdp)
{
  g_auto(GStrv) parts = g_strsplit (sdp, "a=rtcp-mux\r\n", -1);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  return g_strjoinv ("", parts);
}

static void
test_srtp_capture (gconstpointer data)
{
  const CaptureCase *c = data;
  DpSrtpSuite suite = c->suite;
  const char *suite_name = dp_srtp_suite_to_string (suite);
  g_autoptr(DpMediaSession) a = make_session ("G711u", DP_SRTP_REQUIRED, TONE_A, suite_name);
  g_autoptr(DpMediaSession) b = make_session ("G711u", DP_SRTP_REQUIRED, TONE_B, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *offer = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *redirected = NULL;
  g_autoptr(GArray) plain = g_array_new (FALSE, FALSE, sizeof (gint16));
  g_autoptr(GArray) cipher = g_array_new (FALSE, FALSE, sizeof (gint16));
  guint relay_rtp, relay_rtcp, b_port, tag_len, rtcp_checked = 0;
  Relay relay = { 0 };
  srtp_policy_t policy;
  srtp_t ctx;
  GBytes *key;
  Measure m;

  offer = dp_media_session_create_offer (a, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (offer, "RTP/SAVP"));
  g_assert_nonnull (strstr (offer, "\r\na=rtcp-mux\r\n"));
  if (!c->rtcp_mux)
    {
      g_autofree char *plain_offer = without_rtcp_mux (offer);
      g_free (offer);
      offer = g_steal_pointer (&plain_offer);
    }
  answer = dp_media_session_create_answer (b, offer, &error);
  g_assert_no_error (error);
  g_assert_true ((strstr (answer, "\r\na=rtcp-mux\r\n") != NULL) == c->rtcp_mux);
  b_port = dp_gst_media_session_get_local_port (DP_GST_MEDIA_SESSION (b));
  relay_start (&relay, b_port, &relay_rtp, &relay_rtcp);
  redirected = redirect_answer (answer, b_port, relay_rtp, relay_rtcp);
  g_assert_true (dp_media_session_set_answer (a, redirected, &error));
  g_assert_no_error (error);
  g_assert_true (dp_media_session_get_secure (a));
  g_assert_cmpstr (dp_media_session_get_srtp_suite (a), ==, suite_name);
  g_assert_cmpstr (dp_media_session_get_srtp_suite (b), ==, suite_name);

  /* Long enough for the first RTCP report (rtpbin: ~2.5 s). */
  run_for (700);
  g_array_unref (drain (b));
  run_for (2800);
  assert_tone (b, TONE_A, "SRTP A->B through the relay");
  assert_tone (a, TONE_B, "SRTP B->A");

  key = dp_gst_media_session_get_send_key (DP_GST_MEDIA_SESSION (a));
  g_assert_nonnull (key);
  g_assert_cmpuint (g_bytes_get_size (key), ==, dp_srtp_suite_key_length (suite));
  set_policy (&policy, suite, key);
  g_assert_cmpint (srtp_create (&ctx, &policy), ==, srtp_err_status_ok);
  tag_len = (suite == DP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32 ||
             suite == DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_32) ? 4 : 10;

  g_assert_cmpuint (relay.rtp_packets->len, >=, 50);
  for (guint i = 0; i < relay.rtp_packets->len; i++)
    {
      gsize size;
      const guint8 *packet = g_bytes_get_data (relay.rtp_packets->pdata[i], &size);
      g_autofree guint8 *copy = g_memdup2 (packet, size);
      int len = (int) size;

      /* 12-byte header, 240 bytes of 30 ms PCMU, the auth tag. */
      g_assert_cmpuint (packet[0], ==, 0x80);
      g_assert_cmpuint (packet[1] & 0x7f, ==, 0);
      g_assert_cmpuint (size, ==, 12 + 240 + tag_len);
      for (gsize j = 12; j < 12 + 240; j++)
        {
          gint16 s = ulaw_to_linear (packet[j]);
          g_array_append_val (cipher, s);
        }

      if (i == 10)
        {
          g_autofree guint8 *flipped = g_memdup2 (packet, size);
          int flen = (int) size;

          flipped[40] ^= 0x01;
          g_assert_cmpint (srtp_unprotect (ctx, flipped, &flen), ==, srtp_err_status_auth_fail);
        }
      g_assert_cmpint (srtp_unprotect (ctx, copy, &len), ==, srtp_err_status_ok);
      g_assert_cmpint (len, ==, 12 + 240);
      for (int j = 12; j < len; j++)
        {
          gint16 s = ulaw_to_linear (copy[j]);
          g_array_append_val (plain, s);
        }
    }
  /* Decrypted, the packets are A's tone; as captured they are noise. */
  m = measure ((gint16 *) plain->data, plain->len, 8000);
  g_test_message ("decrypted capture: %.0f Hz, %.1f dBFS, purity %.2f", m.frequency, m.level_db, m.purity);
  g_assert_cmpfloat (fabs (m.frequency - TONE_A), <=, 20);
  g_assert_cmpfloat (m.purity, >, 0.5);
  m = measure ((gint16 *) cipher->data, cipher->len, 8000);
  g_test_message ("raw capture: strongest %.0f Hz, purity %.3f", m.frequency, m.purity);
  g_assert_cmpfloat (m.purity, <, 0.05);

  /* SRTCP: authenticated with an 80-bit tag whatever the suite. */
  for (guint i = 0; i < relay.rtcp_packets->len; i++)
    {
      gsize size;
      const guint8 *packet = g_bytes_get_data (relay.rtcp_packets->pdata[i], &size);
      g_autofree guint8 *copy = g_memdup2 (packet, size);
      g_autofree guint8 *flipped = g_memdup2 (packet, size);
      int len = (int) size, flen = (int) size;

      flipped[size - 12] ^= 0x80;
      g_assert_cmpint (srtp_unprotect_rtcp (ctx, flipped, &flen), ==, srtp_err_status_auth_fail);
      g_assert_cmpint (srtp_unprotect_rtcp (ctx, copy, &len), ==, srtp_err_status_ok);
      g_assert_cmpuint (copy[1], ==, 200);  /* SR */
      rtcp_checked++;
    }
  g_test_message ("%u SRTP, %u SRTCP packets verified (%u on the RTP port, %u packets on the "
                  "RTCP port)", relay.rtp_packets->len, rtcp_checked, relay.rtcp_on_rtp_port,
                  relay.on_rtcp_port);
  g_assert_cmpuint (rtcp_checked, >=, 1);
  if (c->rtcp_mux)
    {
      /* Everything on one port, nothing on the other. */
      g_assert_cmpuint (relay.rtcp_on_rtp_port, ==, rtcp_checked);
      g_assert_cmpuint (relay.on_rtcp_port, ==, 0);
    }
  else
    {
      g_assert_cmpuint (relay.rtcp_on_rtp_port, ==, 0);
      g_assert_cmpuint (relay.on_rtcp_port, ==, rtcp_checked);
    }
  /* B's reports reached A and A's reached B, on whichever port. */
  assert_rtcp_received (a, "A");
  assert_rtcp_received (b, "B");
  srtp_dealloc (ctx);
  dp_media_session_stop (a);
  dp_media_session_stop (b);
  relay_stop (&relay);
}

static void
test_srtp_suites (void)
{
  static const DpSrtpSuite suites[] = {
    DP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32, DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_80,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (suites); i++)
    {
      const char *name = dp_srtp_suite_to_string (suites[i]);
      g_autoptr(DpMediaSession) a = make_session ("G711a", DP_SRTP_OPTIONAL, TONE_A, name);
      g_autoptr(DpMediaSession) b = make_session ("G711a", DP_SRTP_OPTIONAL, TONE_B, NULL);

      connect_pair (a, b);
      g_assert_true (dp_media_session_get_secure (b));
      g_assert_cmpstr (dp_media_session_get_srtp_suite (b), ==, name);
      settle (a, b);
      assert_tone (b, TONE_A, name);
    }
}

static void
on_renegotiation_needed (DpMediaSession *session, gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* SDES re-keying: the encoder reports its key's soft limit (injected after
 * 60 packets, see dp-gst-media-session.c), the session asks for a re-offer,
 * the re-offer and its answer carry new keys both ways, and the call goes
 * on. A hold/resume re-offer without that request keeps the keys. */
static void
test_srtp_rekey (void)
{
  g_autoptr(DpMediaSession) a = NULL;
  g_autoptr(DpMediaSession) b = NULL;
  g_autoptr(GBytes) a_key = NULL;
  g_autoptr(GBytes) b_key = NULL;
  guint a_asked = 0, b_asked = 0;

  g_setenv ("DESKPHONE_TEST_SRTP_SOFT_LIMIT", "60", TRUE);
  a = make_session ("G711u", DP_SRTP_REQUIRED, TONE_A, NULL);
  b = make_session ("G711u", DP_SRTP_REQUIRED, TONE_B, NULL);
  g_signal_connect (a, "renegotiation-needed", G_CALLBACK (on_renegotiation_needed), &a_asked);
  g_signal_connect (b, "renegotiation-needed", G_CALLBACK (on_renegotiation_needed), &b_asked);
  connect_pair (a, b);
  a_key = g_bytes_ref (dp_gst_media_session_get_send_key (DP_GST_MEDIA_SESSION (a)));
  b_key = g_bytes_ref (dp_gst_media_session_get_send_key (DP_GST_MEDIA_SESSION (b)));

  /* 60 packets of 30 ms: under two seconds; wait up to fifteen. */
  for (guint i = 0; i < 150 && (a_asked == 0 || b_asked == 0); i++)
    run_for (100);
  g_test_message ("renegotiation asked: A %u, B %u", a_asked, b_asked);
  g_assert_cmpuint (a_asked, >=, 1);
  g_assert_cmpuint (b_asked, >=, 1);

  /* What the sip plugin does on the signal: a re-offer. */
  connect_pair (a, b);
  g_assert_false (g_bytes_equal (a_key, dp_gst_media_session_get_send_key (DP_GST_MEDIA_SESSION (a))));
  g_assert_false (g_bytes_equal (b_key, dp_gst_media_session_get_send_key (DP_GST_MEDIA_SESSION (b))));
  g_assert_true (dp_media_session_get_secure (a));
  settle (a, b);
  assert_tone (b, TONE_A, "A->B after re-keying");
  assert_tone (a, TONE_B, "B->A after re-keying");
  g_unsetenv ("DESKPHONE_TEST_SRTP_SOFT_LIMIT");

  /* No request pending: a re-offer keeps the keys (no rebuild). */
  g_clear_pointer (&a_key, g_bytes_unref);
  g_clear_pointer (&b_key, g_bytes_unref);
  {
    g_autoptr(DpMediaSession) c = make_session ("G711u", DP_SRTP_REQUIRED, TONE_A, NULL);
    g_autoptr(DpMediaSession) d = make_session ("G711u", DP_SRTP_REQUIRED, TONE_B, NULL);

    connect_pair (c, d);
    a_key = g_bytes_ref (dp_gst_media_session_get_send_key (DP_GST_MEDIA_SESSION (c)));
    b_key = g_bytes_ref (dp_gst_media_session_get_send_key (DP_GST_MEDIA_SESSION (d)));
    connect_pair (c, d);
    g_assert_true (g_bytes_equal (a_key, dp_gst_media_session_get_send_key (DP_GST_MEDIA_SESSION (c))));
    g_assert_true (g_bytes_equal (b_key, dp_gst_media_session_get_send_key (DP_GST_MEDIA_SESSION (d))));
  }
}

static guint
receive_count (GSocket *socket)
{
  guint count = 0;
  char buf[2048];

  while (g_socket_condition_check (socket, G_IO_IN) & G_IO_IN)
    {
      if (g_socket_receive (socket, buf, sizeof buf, NULL, NULL) <= 0)
        break;
      count++;
    }
  return count;
}

static void
test_srtp_required_refuses_plain (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpMediaSession) plain = make_session ("G711u", DP_SRTP_OFF, TONE_A, NULL);
  g_autoptr(DpMediaSession) required = make_session ("G711u", DP_SRTP_REQUIRED, TONE_B, NULL);
  g_autoptr(DpMediaSession) required_offerer = make_session ("G711u", DP_SRTP_REQUIRED, TONE_A, NULL);
  g_autoptr(DpMediaSession) insecure = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autofree char *offer = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *forged = NULL;
  guint port;

  /* Plain offer to a REQUIRED answerer: 488, no pipeline. */
  offer = dp_media_session_create_offer (plain, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (offer, "a=crypto"));
  answer = dp_media_session_create_answer (required, offer, &error);
  g_assert_null (answer);
  g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_ACCEPTABLE);
  g_assert_null (dp_gst_media_session_get_pipeline (DP_GST_MEDIA_SESSION (required)));
  g_clear_error (&error);

  /* RTP/SAVP offer to a plain-only answerer: 488 as well. */
  g_clear_pointer (&offer, g_free);
  offer = dp_media_session_create_offer (required_offerer, &error);
  g_assert_no_error (error);
  answer = dp_media_session_create_answer (plain, offer, &error);
  g_assert_null (answer);
  g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_ACCEPTABLE);
  g_clear_error (&error);

  /* A plain answer to our REQUIRED offer: refused, and nothing reaches the
   * address it names. */
  listener = bind_any (&port);
  forged = g_strdup_printf ("v=0\r\no=- 5 5 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                            "t=0 0\r\nm=audio %u RTP/AVP 0\r\na=sendrecv\r\n", port);
  g_assert_false (dp_media_session_set_answer (required_offerer, forged, &error));
  g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_ACCEPTABLE);
  g_clear_error (&error);
  g_assert_null (dp_gst_media_session_get_pipeline (DP_GST_MEDIA_SESSION (required_offerer)));
  run_for (400);
  g_assert_cmpuint (receive_count (listener), ==, 0);

  /* REQUIRED but SDES not allowed on this signalling: cannot offer. */
  insecure = g_object_new (DP_TYPE_GST_MEDIA_SESSION, "policy", DP_SRTP_REQUIRED,
                           "sdes-allowed", FALSE, "codecs", "G711u", NULL);
  g_assert_null (dp_media_session_create_offer (insecure, &error));
  g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_ACCEPTABLE);
}

static void
test_optional_falls_back (void)
{
  g_autoptr(DpMediaSession) a = make_session ("G711u", DP_SRTP_OPTIONAL, TONE_A, NULL);
  g_autoptr(DpMediaSession) b = make_session ("G711u", DP_SRTP_OFF, TONE_B, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *offer = dp_media_session_create_offer (a, &error);
  g_autofree char *answer = NULL;

  g_assert_nonnull (strstr (offer, "RTP/AVP"));
  g_assert_nonnull (strstr (offer, "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"));
  answer = dp_media_session_create_answer (b, offer, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (answer, "a=crypto"));
  g_assert_true (dp_media_session_set_answer (a, answer, &error));
  g_assert_false (dp_media_session_get_secure (a));
  settle (a, b);
  assert_tone (b, TONE_A, "optional->plain A->B");
}

static void
test_no_common_codec (void)
{
  g_autoptr(DpMediaSession) a = make_session ("G711u", DP_SRTP_OFF, TONE_A, NULL);
  g_autoptr(DpMediaSession) b = make_session ("G711a", DP_SRTP_OFF, TONE_B, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *offer = dp_media_session_create_offer (a, &error);
  g_autofree char *answer = dp_media_session_create_answer (b, offer, &error);

  g_assert_null (answer);
  g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_ACCEPTABLE);
}

/* Symmetric_RTP: B answers with a port that only swallows packets (a peer
 * behind NAT whose SDP names the wrong place) but sends from its real one.
 * With the parameter A follows B's packets and B hears A; without it A
 * keeps sending where the SDP said. SRTP, so only authenticated packets
 * may move the destination. */
static void
test_symmetric_rtp (gconstpointer data)
{
  static const DpParamDecl params[] = {
    { .name = "Symmetric_RTP", .type = DP_PARAM_BOOL, .default_value = "No", .group = "SIP/RTP" },
  };
  gboolean symmetric = GPOINTER_TO_INT (data);
  g_autoptr(DpConfig) config = dp_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DpMediaSession) a = NULL;
  g_autoptr(DpMediaSession) b = make_session ("G711u", DP_SRTP_REQUIRED, TONE_B, NULL);
  g_autofree char *offer = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *redirected = NULL;
  g_autoptr(GSocket) hole = NULL;
  g_autoptr(GSocket) hole_rtcp = NULL;
  guint hole_port, hole_rtcp_port, swallowed;

  g_assert_true (dp_config_register (config, "test", params, G_N_ELEMENTS (params), &error));
  g_assert_true (dp_config_set (config, "Symmetric_RTP", symmetric ? "Yes" : "No", &error));
  a = g_object_new (DP_TYPE_GST_MEDIA_SESSION, "config", config, "line", 1,
                    "policy", DP_SRTP_REQUIRED, "sdes-allowed", TRUE, "codecs", "G711u",
                    "audio-source", "audiotestsrc is-live=true wave=sine freq=1000 volume=0.5 "
                    "samplesperbuffer=160", "audio-sink", SINK_DESC, NULL);
  hole = bind_any (&hole_port);
  hole_rtcp = bind_any (&hole_rtcp_port);
  offer = dp_media_session_create_offer (a, &error);
  g_assert_no_error (error);
  answer = dp_media_session_create_answer (b, offer, &error);
  g_assert_no_error (error);
  redirected = redirect_answer (answer, dp_gst_media_session_get_local_port (DP_GST_MEDIA_SESSION (b)),
                                hole_port, hole_rtcp_port);
  g_assert_true (dp_media_session_set_answer (a, redirected, &error));
  g_assert_no_error (error);

  settle (a, b);
  assert_tone (a, TONE_B, "B -> A (B sends to A's real port)");
  receive_count (hole);   /* what A sent before B's first packet */
  run_for (500);
  swallowed = receive_count (hole);
  if (symmetric)
    {
      assert_tone (b, TONE_A, "A -> B, following B's source");
      g_assert_cmpuint (swallowed, ==, 0);
    }
  else
    {
      assert_silent (b, "A -> B, to the SDP's port");
      g_assert_cmpuint (swallowed, >, 10);
    }
}

/* Level of @freq in @x relative to full scale, in dB (a full-scale sine
 * is 0 dB). */
static double
tone_db (GArray *x, double freq)
{
  double p = goertzel_power ((const gint16 *) x->data, x->len, freq, SINK_RATE);

  /* Goertzel power of a sine of amplitude A is (A n / 2)^2. */
  return 10 * log10 (4 * p / ((double) x->len * x->len * 32768.0 * 32768.0) + 1e-20);
}

/* @receiver hears @present_1 and @present_2 and not @absent (its own). */
static void
assert_mix (DpMediaSession *receiver, double present_1, double present_2, double absent,
            const char *what)
{
  g_autoptr(GArray) x = drain (receiver);
  double p1, p2, own;

  g_assert_cmpuint (x->len, >, SINK_RATE / 4);
  p1 = tone_db (x, present_1);
  p2 = tone_db (x, present_2);
  own = tone_db (x, absent);
  g_test_message ("%s: %.0f Hz %.1f dB, %.0f Hz %.1f dB, own %.0f Hz %.1f dB", what,
                  present_1, p1, present_2, p2, absent, own);
  g_assert_cmpfloat (p1, >, -20);
  g_assert_cmpfloat (p2, >, -20);
  g_assert_cmpfloat (own, <, MIN (p1, p2) - 20);
}

/* Three-way conference without SIP: the phone's legs A and B (its
 * microphone plays TONE_PHONE) mixed by dp-gst-conference; the far ends
 * play TONE_A and TONE_B. Then far end B leaves. */
static void
test_conference (gconstpointer data)
{
  const char *codec = data;
  const double tone_phone = 1000, tone_a = 700, tone_b = 1500;
  g_autoptr(DpMediaSession) leg_a = make_session (codec, DP_SRTP_REQUIRED, tone_phone, NULL);
  g_autoptr(DpMediaSession) leg_b = make_session (codec, DP_SRTP_REQUIRED, tone_phone, NULL);
  g_autoptr(DpMediaSession) far_a = make_session (codec, DP_SRTP_REQUIRED, tone_a, NULL);
  g_autoptr(DpMediaSession) far_b = make_session (codec, DP_SRTP_REQUIRED, tone_b, NULL);
  g_autoptr(DpMediaSession) idle = make_session (codec, DP_SRTP_OFF, tone_phone, NULL);
  g_autoptr(GError) error = NULL;

  if (!dp_media_codec_available (dp_media_codec_lookup (codec)))
    {
      g_test_skip ("codec not installed");
      return;
    }
  connect_pair (leg_a, far_a);
  connect_pair (leg_b, far_b);
  g_assert_false (dp_gst_conference_join_sessions (leg_a, idle, &error));
  g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_STATE);
  g_clear_error (&error);

  g_assert_true (dp_gst_conference_join_sessions (leg_a, leg_b, &error));
  g_assert_no_error (error);
  g_assert_nonnull (dp_gst_media_session_get_conference (DP_GST_MEDIA_SESSION (leg_a)));
  g_assert_false (dp_gst_conference_join_sessions (leg_b, leg_a, &error));
  g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_STATE);
  g_clear_error (&error);
  run_for (1000);
  g_array_unref (drain (far_a));
  g_array_unref (drain (far_b));
  run_for (1500);
  assert_mix (far_a, tone_phone, tone_b, tone_a, "far end A in the conference");
  assert_mix (far_b, tone_phone, tone_a, tone_b, "far end B in the conference");

  /* B leaves: A is back on the local device alone, still secure. */
  dp_media_session_stop (leg_b);
  g_assert_null (dp_gst_media_session_get_conference (DP_GST_MEDIA_SESSION (leg_a)));
  g_assert_true (dp_media_session_get_secure (leg_a));
  settle (far_a, leg_a);
  assert_tone (far_a, tone_phone, "far end A after B left");
  assert_tone (leg_a, tone_a, "the phone after B left");
}

/* The session's own converters (audioresample, with an audioconvert
 * before it) in its pipeline: not counting what the device descriptions
 * hold. */
static guint
count_resamplers (DpMediaSession *session)
{
  GstElement *pipeline = dp_gst_media_session_get_pipeline (DP_GST_MEDIA_SESSION (session));
  g_autoptr(GstIterator) it = gst_bin_iterate_elements (GST_BIN (pipeline));
  GValue item = G_VALUE_INIT;
  guint count = 0;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      GstElementFactory *factory = gst_element_get_factory (g_value_get_object (&item));

      if (factory != NULL && g_strcmp0 (GST_OBJECT_NAME (factory), "audioresample") == 0)
        count++;
      g_value_reset (&item);
    }
  g_value_unset (&item);
  return count;
}

/* Audio devices that take the codec's raw format (G.711: S16LE, 8 kHz,
 * mono) run without the converters; devices that do not (44.1 kHz stereo
 * capture, a 16 kHz player) get them in both directions. Both carry the
 * tones. */
static void
test_device_formats (gconstpointer data)
{
  gboolean codec_format = GPOINTER_TO_INT (data);
  guint rate = codec_format ? 8000 : 16000;
  g_autofree char *sink = g_strdup_printf ("appsink name=dpsink sync=false "
                                           "caps=audio/x-raw,format=S16LE,rate=%u,channels=1", rate);
  const char *source_caps = codec_format ? "capsfilter caps=audio/x-raw,format=S16LE,rate=8000,channels=1"
                                         : "capsfilter caps=audio/x-raw,format=S16LE,rate=44100,channels=2";
  DpMediaSession *sessions[2];
  const double tones[2] = { TONE_A, TONE_B };

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *source = g_strdup_printf ("audiotestsrc is-live=true wave=sine freq=%.0f "
                                                 "volume=0.5 samplesperbuffer=160 ! %s",
                                                 tones[i], source_caps);

      sessions[i] = g_object_new (DP_TYPE_GST_MEDIA_SESSION, "line", 1, "policy",
                                  DP_SRTP_REQUIRED, "sdes-allowed", TRUE, "codecs", "G711u",
                                  "audio-source", source, "audio-sink", sink, NULL);
    }
  connect_pair (sessions[0], sessions[1]);
  settle (sessions[0], sessions[1]);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GArray) x = drain (sessions[i]);
      Measure m = measure ((gint16 *) x->data, x->len, rate);

      g_test_message ("%s hears %" G_GSIZE_FORMAT " samples, %.0f Hz, %.1f dBFS, purity %.2f",
                      i == 0 ? "A" : "B", m.n, m.frequency, m.level_db, m.purity);
      g_assert_cmpuint (count_resamplers (sessions[i]), ==, codec_format ? 0 : 2);
      g_assert_cmpuint (m.n, >, rate / 4);
      g_assert_cmpfloat (fabs (m.frequency - tones[1 - i]), <=, 20);
      g_assert_cmpfloat (m.level_db, >, -20);
      g_assert_cmpfloat (m.purity, >, 0.5);
    }
  for (guint i = 0; i < 2; i++)
    {
      dp_media_session_stop (sessions[i]);
      g_object_unref (sessions[i]);
    }
}

/* A sound card for the test: a GstAudioSrc (ring buffer of latency-time
 * segments, as alsasrc and pulsesrc) capturing a TONE_A sine in real
 * time, S16LE mono at 8 to 48 kHz. */
typedef struct {
  GstAudioSrc parent;
  guint rate;
  double phase;
  gint64 next_us;
} DpTestCapture;

typedef struct {
  GstAudioSrcClass parent_class;
} DpTestCaptureClass;

GType dp_test_capture_get_type (void);
G_DEFINE_TYPE (DpTestCapture, dp_test_capture, GST_TYPE_AUDIO_SRC)

static gboolean
capture_open (GstAudioSrc *src)
{
  return TRUE;
}

static gboolean
capture_prepare (GstAudioSrc *src, GstAudioRingBufferSpec *spec)
{
  DpTestCapture *self = (DpTestCapture *) src;

  self->rate = GST_AUDIO_INFO_RATE (&spec->info);
  self->next_us = 0;
  return TRUE;
}

static guint
capture_read (GstAudioSrc *src, gpointer data, guint length, GstClockTime *timestamp)
{
  DpTestCapture *self = (DpTestCapture *) src;
  guint frames = length / sizeof (gint16);
  gint64 now = g_get_monotonic_time ();

  /* Paced like a device: the segment is there once its time has passed. */
  if (self->next_us == 0)
    self->next_us = now;
  self->next_us += (gint64) frames * G_USEC_PER_SEC / self->rate;
  if (self->next_us > now)
    g_usleep ((gulong) (self->next_us - now));
  for (guint i = 0; i < frames; i++)
    {
      ((gint16 *) data)[i] = (gint16) (16000 * sin (self->phase));
      self->phase = fmod (self->phase + 2 * G_PI * TONE_A / self->rate, 2 * G_PI);
    }
  return length;
}

static guint
capture_delay (GstAudioSrc *src)
{
  return 0;
}

static void
capture_reset (GstAudioSrc *src)
{
}

static void
dp_test_capture_class_init (DpTestCaptureClass *klass)
{
  static GstStaticPadTemplate src_template =
    GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
                             GST_STATIC_CAPS ("audio/x-raw, format=S16LE, layout=interleaved, "
                                              "rate=[8000, 48000], channels=1"));
  GstAudioSrcClass *audio_class = GST_AUDIO_SRC_CLASS (klass);

  gst_element_class_add_static_pad_template (GST_ELEMENT_CLASS (klass), &src_template);
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass), "Test capture",
                                         "Source/Audio", "A sine through a ring buffer", "test");
  audio_class->open = capture_open;
  audio_class->close = capture_open;
  audio_class->prepare = capture_prepare;
  audio_class->unprepare = capture_open;
  audio_class->read = capture_read;
  audio_class->delay = capture_delay;
  audio_class->reset = capture_reset;
}

static void
dp_test_capture_init (DpTestCapture *self)
{
}

static GstPadProbeReturn
on_captured (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GArray *sizes = user_data;
  guint size = (guint) gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info));

  /* The streaming thread appends; the test reads after the session stopped. */
  g_array_append_val (sizes, size);
  return GST_PAD_PROBE_OK;
}

/* A sound card's source (@data: its description, NULL for the plain one)
 * captures one 30 ms packet per buffer (the SPA's default ptime), unless
 * the description sets latency-time itself (5 ms here); both carry the
 * tone. */
static void
test_capture_buffers (gconstpointer data)
{
  const char *latency = data;
  guint expected_us = latency != NULL ? 5000 : 30000;
  g_autofree char *source = g_strdup_printf ("dptestcapture %s", latency != NULL ? latency : "");
  g_autoptr(DpMediaSession) a = g_object_new (DP_TYPE_GST_MEDIA_SESSION, "line", 1, "policy",
                                              DP_SRTP_REQUIRED, "sdes-allowed", TRUE, "codecs",
                                              "G711u", "audio-source", source,
                                              "audio-sink", SINK_DESC, NULL);
  g_autoptr(DpMediaSession) b = make_session ("G711u", DP_SRTP_REQUIRED, TONE_B, NULL);
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GstIterator) it = NULL;
  GValue item = G_VALUE_INIT;
  GstElement *capture = NULL;
  gint64 latency_us = 0;
  g_autoptr(GstPad) pad = NULL;

  gst_element_register (NULL, "dptestcapture", GST_RANK_NONE, dp_test_capture_get_type ());
  connect_pair (a, b);
  it = gst_bin_iterate_recurse (GST_BIN (dp_gst_media_session_get_pipeline (DP_GST_MEDIA_SESSION (a))));
  while (capture == NULL && gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (g_value_get_object (&item), dp_test_capture_get_type ()))
        capture = g_value_get_object (&item);
      g_value_reset (&item);
    }
  g_value_unset (&item);
  g_assert_nonnull (capture);
  g_object_get (capture, "latency-time", &latency_us, NULL);
  g_assert_cmpint (latency_us, ==, expected_us);
  pad = gst_element_get_static_pad (capture, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_captured, sizes, NULL);
  settle (a, b);
  assert_tone (b, TONE_A, "A (sound card) -> B");
  dp_media_session_stop (a);
  g_test_message ("%u buffers from the capture", sizes->len);
  g_assert_cmpuint (sizes->len, >, 10);
  /* S16 mono at 8 kHz: 16 bytes a millisecond. */
  for (guint i = 0; i < sizes->len; i++)
    g_assert_cmpuint (g_array_index (sizes, guint, i), ==, expected_us / 1000 * 16);
  dp_media_session_stop (b);
}

int
main (int argc, char **argv)
{
  static const char *const codec_names[] = {
    "G711u", "G711a", "G722", "Opus", "G726-32", "G726-40", "G726-24", "G726-16",
  };
  static const CaptureCase aes128_80_mux = { DP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, TRUE };
  static const CaptureCase aes256_32 = { DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_32, FALSE };

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (srtp_init (), ==, srtp_err_status_ok);

  for (gsize i = 0; i < G_N_ELEMENTS (codec_names); i++)
    {
      g_autofree char *path = g_strdup_printf ("/media/call/codec/%s", codec_names[i]);
      g_test_add_data_func (path, codec_names[i], test_codec);
    }
  g_test_add_func ("/media/call/stats", test_stats);
  g_test_add_func ("/media/call/dtmf", test_dtmf);
  g_test_add_func ("/media/call/dtmf-inband", test_dtmf_inband);
  g_test_add_func ("/media/call/hold", test_hold);
  g_test_add_func ("/media/call/hold-null-address", test_hold_null_address);
  g_test_add_func ("/media/call/ringing-answer", test_ringing_answer_builds_nothing);
  g_test_add_func ("/media/call/codec-switch", test_codec_switch);
  g_test_add_data_func ("/media/call/srtp/capture-aes128-80-rtcp-mux", &aes128_80_mux,
                        test_srtp_capture);
  g_test_add_data_func ("/media/call/srtp/capture-aes256-32", &aes256_32, test_srtp_capture);
  g_test_add_func ("/media/call/srtp/other-suites", test_srtp_suites);
  g_test_add_func ("/media/call/srtp/rekey", test_srtp_rekey);
  g_test_add_func ("/media/call/srtp/required-refuses-plain", test_srtp_required_refuses_plain);
  g_test_add_func ("/media/call/srtp/optional-falls-back", test_optional_falls_back);
  g_test_add_func ("/media/call/no-common-codec", test_no_common_codec);
  g_test_add_data_func ("/media/call/conference/G711u", "G711u", test_conference);
  g_test_add_data_func ("/media/call/symmetric-rtp/on", GINT_TO_POINTER (TRUE), test_symmetric_rtp);
  g_test_add_data_func ("/media/call/symmetric-rtp/off", GINT_TO_POINTER (FALSE), test_symmetric_rtp);
  g_test_add_data_func ("/media/call/conference/G722", "G722", test_conference);
  g_test_add_data_func ("/media/call/devices/codec-format", GINT_TO_POINTER (TRUE),
                        test_device_formats);
  g_test_add_data_func ("/media/call/devices/other-format", GINT_TO_POINTER (FALSE),
                        test_device_formats);
  g_test_add_data_func ("/media/call/devices/capture-one-packet-per-buffer", NULL,
                        test_capture_buffers);
  g_test_add_data_func ("/media/call/devices/capture-as-described", "latency-time=5000",
                        test_capture_buffers);
  return g_test_run ();
}
