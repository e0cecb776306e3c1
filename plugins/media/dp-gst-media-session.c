/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpGstMediaSession: offer/answer state plus one pipeline per negotiated
 * media configuration:
 *
 *   source ! [audioconvert ! audioresample] ! caps ! valve ! enc ! pay ─┐
 *                                          rtpdtmfsrc ─ rtpdtmfmux ◄────┘
 *   rtpdtmfmux ! rtpbin.send_rtp ─ [srtpenc] ─ udpsink (our RTP socket)
 *   udpsrc (same socket) ─ [srtpdec] ─ rtpbin.recv_rtp ─ ptdemux pads:
 *       audio pt -> funnel ! depay ! dec ! [audioconvert ! audioresample] ! valve ! volume ! sink
 *       telephone-event pt -> funnel ! rtpdtmfdepay ! fakesink (bus: dtmf-event)
 *
 * DTMF goes as RFC 4733 events when the peer takes telephone-event, else
 * (or with "dtmf-inband") as Q.23 tones written over the microphone's
 * samples by a probe after the capsfilter (dp-media-dtmf-tone.h). Without
 * telephone-event at 8 kHz, a dtmfdetect after the decoder reports the
 * peer's in-band digits (the same "dtmf-event" bus message).
 *
 * Every element costs per buffer (50 a second each way at 20 ms), so the
 * converters in brackets are there only when the audio device (or the
 * conference bridge) cannot produce or take the codec's raw format itself
 * (asked in READY, when a real device knows what it supports), a sound
 * card's source captures one packet per buffer, and udpsrc reports each
 * packet's sender address only for symmetric RTP.
 *
 * Sending and receiving share one socket per port, which gives symmetric
 * RTP source ports. With rtcp-mux (RFC 5761: we offer it, and accept it
 * when offered) RTCP uses the RTP socket both ways and there is no RTCP
 * udpsrc: rtpbin's RTP receive pad takes the RTCP packets itself, and
 * srtpdec sorts SRTCP from SRTP on its RTP pad. A re-offer that changes only the direction flips the
 * valves; anything else (codec, keys, address) rebuilds the pipeline.
 * In a conference (dp-gst-conference.h) the source and sink are an
 * appsrc/appsink pair bridged to the conference's mixers instead of the
 * local device; joining and leaving rebuild the pipeline with the same
 * negotiation (same sockets and keys).
 *
 * SRTP re-keying (RFC 4568 section 7.1.4): when libsrtp says a master key
 * nears its limit (srtpenc/srtpdec "soft-limit", or srtpdec "hard-limit"),
 * the session asks the signalling for a re-offer (DpMediaSession::
 * renegotiation-needed, again at most every REKEY_REASK_S while the need
 * lasts); that offer carries new keys, and the answer's keys rebuild the
 * pipeline. libsrtp's limit is 2^48 packets, which no test reaches: with
 * DESKPHONE_TEST_SRTP_SOFT_LIMIT=N in the environment the encoder raises its
 * own "soft-limit" signal for every packet from the Nth on, as libsrtp
 * would, so the tests drive the same path.
 */
#define G_LOG_DOMAIN "dp-media"

#include "dp-build-config.h"
#include "dp-gst-media-session.h"
#include <glib/gi18n-lib.h>
#include "dp-gst-conference.h"
#include "dp-gst-symmetric.h"
#include "dp-media-codec.h"
#include "dp-media-sdp.h"
#include "dp-media-device.h"
#include "dp-media-dtmf-tone.h"
#include "dp-media-volume.h"

#include <gio/gio.h>
#include <gst/audio/gstaudiobasesrc.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_LOCAL_ADDRESS "127.0.0.1"
#define DEFAULT_RTP_PORT_MIN 16384
#define DEFAULT_RTP_PORT_MAX 16482
#define DEFAULT_AVT_PT 101
#define DEFAULT_PTIME_MS 30
#define DTMF_GAP_MS 60
#define REKEY_REASK_S 2

typedef enum {
  STATE_IDLE,
  STATE_OFFER_SENT,
  STATE_ACTIVE,
  STATE_STOPPED,
} SessionState;

/* Everything the pipeline is built from; immutable while a pipeline uses it
 * (the streaming-thread callbacks read it without locks). */
typedef struct {
  const DpMediaCodec *codec;
  guint send_pt;
  guint local_pt;
  int send_dtmf_pt;
  int local_dtmf_pt;
  guint ptime;
  char *remote_address;
  guint remote_rtp_port;
  guint remote_rtcp_port;  /* the RTP port with rtcp-mux */
  gboolean rtcp_mux;
  DpSrtpSuite suite;
  GBytes *send_key;
  GBytes *recv_key;
  gboolean send;
  gboolean recv;
} Negotiated;

typedef struct {
  Negotiated *n;
  GstElement *pipeline;
  GstElement *rtpbin;
  GstElement *send_valve;
  GstElement *recv_valve;
  GstElement *volume;          /* the call volume; NULL while conferenced */
  GstElement *echo_canceller;  /* webrtcdsp on the microphone, or NULL */
  GstElement *echo_probe;      /* webrtcechoprobe before the speaker, or NULL */
  GstElement *dtmf_src;
  gint inband_digit;            /* atomic: the in-band digit playing, 0 = none */
  guint64 inband_position;      /* samples of it written (streaming thread) */
  GstElement *audio_funnel;
  GstElement *dtmf_funnel;
  guint bus_watch;
  DpGstConference *conference;  /* the leg's bridges point into this pipeline */
  guint conference_leg;
  DpGstMediaSession *session;   /* not owned: the session owns the pipeline */
  GMainContext *context;        /* the session's, for re-keying requests */
  gint rekey_asked_s;           /* monotonic second of the last request, 0 = none */
  guint test_soft_limit;        /* DESKPHONE_TEST_SRTP_SOFT_LIMIT, 0 = off */
  guint packets_protected;      /* counted only for the above */
} Pipeline;

typedef struct {
  char digit;
  guint duration_ms;
} DtmfRequest;

struct _DpGstMediaSession
{
  DpMediaSession parent_instance;

  DpConfig *config;
  char *local_address;
  char *codecs_override;
  char *audio_source;
  char *audio_sink;
  char *srtp_suites;
  gboolean sdes_allowed;
  gboolean dtmf_inband;         /* DTMF_Tx_Method InBand: tones even with telephone-event */

  GSocket *rtp_socket;
  GSocket *rtcp_socket;
  guint local_port;

  SessionState state;
  guint64 session_id;
  guint64 version;
  DpMediaDirection direction;
  gboolean remote_hold;
  GPtrArray *local_codecs;     /* const DpMediaCodec* */
  GPtrArray *offered_cryptos;  /* DpSdesCrypto*, our last offer's */
  gboolean offered_savp;
  DpSdesCrypto *active_crypto; /* ours, for the negotiated suite */

  Pipeline *pipe;
  gboolean rekey_pending;       /* a key nears its limit: the next offer has new keys */
  gboolean offer_rekeys;        /* the outstanding offer carries new keys */
  DpGstConference *conference;  /* not owned; NULL outside a conference */
  guint conference_leg;
  GQueue dtmf_queue;
  gboolean dtmf_playing;
  guint dtmf_timeout;
};

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_LOCAL_ADDRESS,
  PROP_CODECS,
  PROP_AUDIO_SOURCE,
  PROP_AUDIO_SINK,
  PROP_SDES_ALLOWED,
  PROP_SRTP_SUITES,
  PROP_REMOTE_HOLD,
  PROP_LOCAL_PORT,
  PROP_DTMF_INBAND,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (DpGstMediaSession, dp_gst_media_session, DP_TYPE_MEDIA_SESSION)

static void
negotiated_free (Negotiated *n)
{
  if (n == NULL)
    return;
  g_free (n->remote_address);
  g_clear_pointer (&n->send_key, g_bytes_unref);
  g_clear_pointer (&n->recv_key, g_bytes_unref);
  g_free (n);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Negotiated, negotiated_free)

static gboolean
bytes_equal0 (GBytes *a, GBytes *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_bytes_equal (a, b);
}

/* Same pipeline, at most other valve positions? */
static gboolean
negotiated_same_stream (const Negotiated *a, const Negotiated *b)
{
  return a->codec == b->codec && a->send_pt == b->send_pt && a->local_pt == b->local_pt &&
         a->send_dtmf_pt == b->send_dtmf_pt && a->local_dtmf_pt == b->local_dtmf_pt &&
         a->ptime == b->ptime && g_strcmp0 (a->remote_address, b->remote_address) == 0 &&
         a->remote_rtp_port == b->remote_rtp_port && a->remote_rtcp_port == b->remote_rtcp_port &&
         a->rtcp_mux == b->rtcp_mux && a->suite == b->suite && bytes_equal0 (a->send_key, b->send_key) &&
         bytes_equal0 (a->recv_key, b->recv_key);
}

static void
srtp_suite_params (DpSrtpSuite suite, const char **cipher, const char **auth,
                   const char **rtcp_auth)
{
  gboolean aes256 = suite == DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_80 ||
                    suite == DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_32;
  gboolean short_tag = suite == DP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32 ||
                       suite == DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_32;

  *cipher = aes256 ? "aes-256-icm" : "aes-128-icm";
  *auth = short_tag ? "hmac-sha1-32" : "hmac-sha1-80";
  /* RFC 4568 6.2.2: SRTCP keeps the 80-bit tag even for the _32 suites. */
  *rtcp_auth = "hmac-sha1-80";
}

/* --- pipeline callbacks (streaming threads) -------------------------- */

static GstCaps *
on_request_pt_map (GstElement *rtpbin, guint session, guint pt, gpointer user_data)
{
  Pipeline *p = user_data;
  const Negotiated *n = p->n;
  g_autofree char *encoding = NULL;

  if (pt == n->send_pt || pt == n->local_pt)
    {
      encoding = g_ascii_strup (n->codec->encoding, -1);
      return gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING, "audio",
                                  "clock-rate", G_TYPE_INT, (int) n->codec->clock_rate,
                                  "encoding-name", G_TYPE_STRING, encoding,
                                  "payload", G_TYPE_INT, (int) pt, NULL);
    }
  if ((int) pt == n->send_dtmf_pt || (int) pt == n->local_dtmf_pt)
    return gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING, "audio",
                                "clock-rate", G_TYPE_INT, (int) n->codec->clock_rate,
                                "encoding-name", G_TYPE_STRING, "TELEPHONE-EVENT",
                                "payload", G_TYPE_INT, (int) pt, NULL);
  return NULL;
}

static GstCaps *
on_request_key (GstElement *srtpdec, guint ssrc, gpointer user_data)
{
  Pipeline *p = user_data;
  const char *cipher, *auth, *rtcp_auth;
  g_autoptr(GstBuffer) key = gst_buffer_new_wrapped_bytes (p->n->recv_key);

  srtp_suite_params (p->n->suite, &cipher, &auth, &rtcp_auth);
  return gst_caps_new_simple ("application/x-srtp", "srtp-key", GST_TYPE_BUFFER, key,
                              "srtp-cipher", G_TYPE_STRING, cipher,
                              "srtp-auth", G_TYPE_STRING, auth,
                              "srtcp-cipher", G_TYPE_STRING, cipher,
                              "srtcp-auth", G_TYPE_STRING, rtcp_auth, NULL);
}

static gboolean
on_rekey_needed (gpointer user_data)
{
  g_autoptr(DpGstMediaSession) self = g_weak_ref_get (user_data);

  if (self == NULL || self->state != STATE_ACTIVE || self->active_crypto == NULL)
    return G_SOURCE_REMOVE;
  if (!self->rekey_pending)
    g_message ("line %u: an SRTP master key nears its limit: asking for a re-offer with new keys",
               dp_media_session_get_line (DP_MEDIA_SESSION (self)));
  self->rekey_pending = TRUE;
  dp_media_session_request_renegotiation (DP_MEDIA_SESSION (self));
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* Any thread; libsrtp reports the limit for every packet once reached, so
 * this asks the main loop at most once every REKEY_REASK_S. */
static void
pipeline_request_rekey (Pipeline *p)
{
  gint now_s = (gint) (g_get_monotonic_time () / G_USEC_PER_SEC) + 1;
  gint last = g_atomic_int_get (&p->rekey_asked_s);
  GWeakRef *ref;

  if ((last != 0 && now_s - last < REKEY_REASK_S) ||
      !g_atomic_int_compare_and_exchange (&p->rekey_asked_s, last, now_s))
    return;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, p->session);
  g_main_context_invoke_full (p->context, G_PRIORITY_DEFAULT, on_rekey_needed, ref, weak_ref_free);
}

static void
on_srtpenc_soft_limit (GstElement *srtpenc, gpointer user_data)
{
  pipeline_request_rekey (user_data);
}

/* srtpdec asks for the next key; it arrives by re-offer, so none now (at
 * the hard limit srtpdec then drops packets until the new pipeline). */
static GstCaps *
on_srtpdec_limit (GstElement *srtpdec, guint ssrc, gpointer user_data)
{
  pipeline_request_rekey (user_data);
  return NULL;
}

static GstPadProbeReturn
on_test_packet_protected (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Pipeline *p = user_data;

  if (++p->packets_protected >= p->test_soft_limit)
    g_signal_emit_by_name (GST_PAD_PARENT (pad) /* srtpenc */, "soft-limit");
  return GST_PAD_PROBE_OK;
}

/* The send chain's raw samples (S16 mono at the codec's rate): replaced by
 * the in-band digit's tones while one plays. */
static GstPadProbeReturn
on_send_samples (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Pipeline *p = user_data;
  char digit = (char) g_atomic_int_get (&p->inband_digit);
  GstBuffer *buffer;
  GstMapInfo map;

  if (digit == '\0')
    {
      p->inband_position = 0;
      return GST_PAD_PROBE_OK;
    }
  buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  if (gst_buffer_map (buffer, &map, GST_MAP_WRITE))
    {
      dp_dtmf_tone_fill ((gint16 *) map.data, map.size / sizeof (gint16),
                         p->n->codec->sample_rate, digit, &p->inband_position);
      gst_buffer_unmap (buffer, &map);
    }
  return GST_PAD_PROBE_OK;
}

static guint
test_soft_limit_packets (void)
{
  const char *value = g_getenv ("DESKPHONE_TEST_SRTP_SOFT_LIMIT");

  return value != NULL ? (guint) g_ascii_strtoull (value, NULL, 10) : 0;
}

static void
on_rtpbin_pad_added (GstElement *rtpbin, GstPad *pad, gpointer user_data)
{
  Pipeline *p = user_data;
  g_autofree char *name = gst_pad_get_name (pad);
  guint session, ssrc, pt;
  GstElement *funnel = NULL;
  g_autoptr(GstPad) sink = NULL;

  if (sscanf (name, "recv_rtp_src_%u_%u_%u", &session, &ssrc, &pt) != 3)
    return;
  if (pt == p->n->send_pt || pt == p->n->local_pt)
    funnel = p->audio_funnel;
  else if (p->dtmf_funnel != NULL && ((int) pt == p->n->send_dtmf_pt || (int) pt == p->n->local_dtmf_pt))
    funnel = p->dtmf_funnel;
  if (funnel == NULL)
    return;
  sink = gst_element_request_pad_simple (funnel, "sink_%u");
  if (gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
    g_warning ("cannot link %s to the receive chain", name);
}

/* --- main-loop side -------------------------------------------------- */

static void start_next_dtmf (DpGstMediaSession *self);

static char
dtmf_digit_from_event (int number)
{
  static const char digits[] = "0123456789*#ABCD";

  return number >= 0 && number < 16 ? digits[number] : '\0';
}

static int
dtmf_event_from_digit (char digit)
{
  static const char digits[] = "0123456789*#ABCD";
  const char *pos = digit != '\0' ? strchr (digits, g_ascii_toupper (digit)) : NULL;

  return pos != NULL ? (int) (pos - digits) : -1;
}

static gboolean
on_bus_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  DpGstMediaSession *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &error, &debug);
        g_warning ("media pipeline error from %s: %s (%s)", GST_OBJECT_NAME (message->src),
                   error->message, debug != NULL ? debug : "");
      }
      break;
    case GST_MESSAGE_ELEMENT:
      {
        const GstStructure *s = gst_message_get_structure (message);
        int number;

        /* rtpdtmfdepay posts one "dtmf-event" per received event start. */
        if (s != NULL && gst_structure_has_name (s, "dtmf-event") &&
            gst_structure_get_int (s, "number", &number))
          {
            char digit = dtmf_digit_from_event (number);

            if (digit != '\0')
              dp_media_session_emit_dtmf (DP_MEDIA_SESSION (self), digit);
          }
      }
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
pipeline_free (Pipeline *p)
{
  if (p == NULL)
    return;
  if (p->bus_watch != 0)
    g_source_remove (p->bus_watch);
  if (p->conference != NULL)
    dp_gst_conference_remove_leg (p->conference, p->conference_leg);
  gst_element_set_state (p->pipeline, GST_STATE_NULL);
  gst_object_unref (p->pipeline);
  negotiated_free (p->n);
  g_main_context_unref (p->context);
  g_free (p);
}

static void
set_props_from_string (GstElement *element, const char *props_string)
{
  g_auto(GStrv) pairs = NULL;

  if (props_string == NULL)
    return;
  pairs = g_strsplit (props_string, " ", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq = strchr (pairs[i], '=');

      if (eq == NULL)
        continue;
      *eq = '\0';
      gst_util_set_object_arg (G_OBJECT (element), pairs[i], eq + 1);
    }
}

GstElement *
dp_gst_bin_add_new (GstElement *pipeline, const char *factory, GError **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE,
                   _("GStreamer element '%s' is not installed"), factory);
      return NULL;
    }
  gst_bin_add (GST_BIN (pipeline), element);
  return element;
}

static gboolean
link_pads (GstElement *src, const char *src_pad, GstElement *sink, const char *sink_pad,
           GError **error)
{
  if (!gst_element_link_pads (src, src_pad, sink, sink_pad))
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED, _("cannot link %s:%s to %s:%s"),
                   GST_ELEMENT_NAME (src), src_pad != NULL ? src_pad : "*",
                   GST_ELEMENT_NAME (sink), sink_pad != NULL ? sink_pad : "*");
      return FALSE;
    }
  return TRUE;
}

const char *
dp_gst_media_session_audio_description (DpGstMediaSession *self, gboolean source)
{
  return dp_media_device_description (self->config, source ? self->audio_source : self->audio_sink,
                                      source);
}

GstElement *
dp_gst_bin_add_device (GstElement *pipeline, const char *description, const char *what, GError **error)
{
  g_autoptr(GError) parse_error = NULL;
  GstElement *bin = gst_parse_bin_from_description (description, TRUE, &parse_error);

  if (bin == NULL)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE, "%s '%s': %s", _(what),
                   description, parse_error->message);
      return NULL;
    }
  gst_bin_add (GST_BIN (pipeline), bin);
  return bin;
}

static gboolean
symmetric_rtp (DpGstMediaSession *self)
{
  return self->config != NULL && dp_config_get_bool (self->config, "Symmetric_RTP");
}

static GstElement *
make_udp (DpGstMediaSession *self, GstElement *pipeline, gboolean sink, GSocket *socket,
          const Negotiated *n, guint port, const char *caps_string, GError **error)
{
  GstElement *element = dp_gst_bin_add_new (pipeline, sink ? "udpsink" : "udpsrc", error);

  if (element == NULL)
    return NULL;
  g_object_set (element, "socket", socket, "close-socket", FALSE, NULL);
  if (sink)
    g_object_set (element, "host", n->remote_address, "port", (int) port, "sync", FALSE,
                  "async", FALSE, NULL);
  else
    {
      g_autoptr(GstCaps) caps = gst_caps_from_string (caps_string);

      /* The sender's address (a GSocketAddress and a meta per packet) is
       * read only to follow it (dp-gst-symmetric.h). */
      g_object_set (element, "caps", caps, "retrieve-sender-address", symmetric_rtp (self), NULL);
    }
  return element;
}

/* Network_Jitter_Level_n_ -> the jitter buffer's latency. The SPA only
 * names levels; these figures are our choice (see the header): a level
 * covers roughly one, two, three, four or six 20 ms packets of jitter. */
static const struct {
  const char *level;
  guint latency_ms;
} jitter_levels[] = {
  { "low", 20 },
  { "medium", 40 },
  { "high", 60 },
  { "very high", 80 },
  { "extremely high", 120 },
};

guint
dp_gst_media_jitter_latency_ms (DpConfig *config, guint line)
{
  g_autofree char *param = g_strdup_printf ("Network_Jitter_Level_%u_", line);
  const char *level = config != NULL ? dp_config_get (config, param) : NULL;

  for (gsize i = 0; level != NULL && i < G_N_ELEMENTS (jitter_levels); i++)
    if (g_ascii_strcasecmp (level, jitter_levels[i].level) == 0)
      return jitter_levels[i].latency_ms;
  return DP_GST_MEDIA_JITTER_LATENCY_DEFAULT_MS;
}

void
dp_gst_media_jitter_adjustment (DpConfig *config, guint line, gboolean *drop_on_latency,
                                gboolean *do_lost, gboolean *adaptive)
{
  g_autofree char *param = g_strdup_printf ("Jitter_Buffer_Adjustment_%u_", line);
  const char *mode = config != NULL ? dp_config_get (config, param) : NULL;

  /* The mapping is documented in dp-gst-media-session.h. */
  *drop_on_latency = FALSE;
  *do_lost = FALSE;
  *adaptive = TRUE;
  if (mode == NULL)
    return;
  if (g_ascii_strcasecmp (mode, "down only") == 0)
    *drop_on_latency = TRUE;
  else if (g_ascii_strcasecmp (mode, "disable") == 0)
    *adaptive = FALSE;
}

static void
configure_jitter_buffer (DpGstMediaSession *self, GstElement *rtpbin)
{
  guint line = dp_media_session_get_line (DP_MEDIA_SESSION (self));
  gboolean drop_on_latency, do_lost, adaptive;

  dp_gst_media_jitter_adjustment (self->config, line, &drop_on_latency, &do_lost, &adaptive);
  /* buffer-mode 1 = slave (track the sender's clock skew), 0 = none
   * (timestamps only, no skew correction). */
  g_object_set (rtpbin,
                "latency", dp_gst_media_jitter_latency_ms (self->config, line),
                "drop-on-latency", drop_on_latency,
                "do-lost", do_lost,
                "buffer-mode", adaptive ? 1 : 0,
                NULL);
}

/* Acoustic_Echo_Canceller_Enable (SPA, default Yes). A store without the
 * parameter (the media tests and benches) means no canceller. */
static gboolean
echo_canceller_wanted (DpGstMediaSession *self)
{
  return self->config != NULL &&
         dp_config_get (self->config, "Acoustic_Echo_Canceller_Enable") != NULL &&
         dp_config_get_bool (self->config, "Acoustic_Echo_Canceller_Enable");
}

/* The echo canceller: webrtcdsp on the microphone side, fed with what the
 * speaker plays by a webrtcechoprobe that it finds by name (unique per
 * pipeline: two calls must not share one far end). Only echo cancellation
 * runs: noise suppression would take a steady tone (a modem, a DTMF
 * digit held long) for noise, and level control belongs to the volume
 * settings. Without the element (gst-plugins-bad's webrtcdsp is not
 * installed) the call goes on without it, said once in the log. */
static void
echo_canceller_add (Pipeline *p, GstElement *pipeline)
{
  static gsize warned = 0;
  g_autofree char *name = g_strdup_printf ("dp-echo-probe-%p", (void *) p);
  GstElement *dsp = gst_element_factory_make ("webrtcdsp", NULL);
  GstElement *probe = gst_element_factory_make ("webrtcechoprobe", name);

  if (dsp == NULL || probe == NULL)
    {
      if (g_once_init_enter (&warned))
        {
          g_warning ("Acoustic_Echo_Canceller_Enable is Yes but GStreamer's webrtcdsp is not "
                     "installed: calls run without echo cancellation");
          g_once_init_leave (&warned, 1);
        }
      g_clear_object (&dsp);
      g_clear_object (&probe);
      return;
    }
  g_object_set (dsp, "probe", name, "echo-cancel", TRUE, "noise-suppression", FALSE,
                "gain-control", FALSE, "high-pass-filter", TRUE, NULL);
  gst_bin_add_many (GST_BIN (pipeline), dsp, probe, NULL);
  p->echo_canceller = dsp;
  p->echo_probe = probe;
}

/* Can @device (a source or sink, in READY so that a real device says what
 * it supports) produce or take @caps without a converter? When it cannot
 * even reach READY the converters stay and the pipeline's start reports
 * the device. */
static gboolean
device_takes (GstElement *device, const char *pad_name, GstCaps *caps)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (device, pad_name);
  g_autoptr(GstCaps) device_caps = NULL;

  if (pad == NULL || gst_element_set_state (device, GST_STATE_READY) == GST_STATE_CHANGE_FAILURE)
    return FALSE;
  device_caps = gst_pad_query_caps (pad, NULL);
  return gst_caps_can_intersect (device_caps, caps);
}

/* @from ! [audioconvert ! audioresample] ! @to, the converters only when
 * @device cannot do @caps itself. */
static gboolean
link_converted (GstElement *pipeline, GstElement *from, GstElement *to, GstElement *device,
                const char *device_pad, GstCaps *caps, GError **error)
{
  GstElement *conv, *res;

  if (device_takes (device, device_pad, caps))
    return gst_element_link (from, to);
  if ((conv = dp_gst_bin_add_new (pipeline, "audioconvert", error)) == NULL ||
      (res = dp_gst_bin_add_new (pipeline, "audioresample", error)) == NULL)
    return FALSE;
  return gst_element_link_many (from, conv, res, to, NULL);
}

static gboolean
property_is_default (GstElement *element, const char *name)
{
  GParamSpec *spec = g_object_class_find_property (G_OBJECT_GET_CLASS (element), name);
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, spec->value_type);
  g_object_get_property (G_OBJECT (element), name, &value);
  return g_param_value_defaults (spec, &value);
}

/* A sound card's source hands out latency-time of audio per buffer, 10 ms
 * by default, so one packet took two or three buffers through every
 * element of the send chain. Unless the description sets it, a buffer is
 * now one packet (@ptime_ms). No delay is added: a packet leaves when its
 * last sample is captured either way. Called once the source is in READY
 * (autoaudiosrc has created its device element by then). */
static void
capture_one_packet_per_buffer (GstElement *source, guint ptime_ms)
{
  g_autoptr(GstIterator) it = NULL;
  GValue item = G_VALUE_INIT;
  gint64 latency_us = (gint64) ptime_ms * 1000;

  if (!GST_IS_BIN (source))
    {
      /* A sound card read through a ring buffer: alsasrc, pulsesrc... */
      if (GST_IS_AUDIO_BASE_SRC (source) && property_is_default (source, "latency-time"))
        {
          gint64 buffer_us;

          g_object_get (source, "buffer-time", &buffer_us, NULL);
          /* The ring buffer holds at least two segments. */
          g_object_set (source, "latency-time", latency_us,
                        "buffer-time", MAX (buffer_us, 2 * latency_us), NULL);
        }
      return;
    }
  it = gst_bin_iterate_recurse (GST_BIN (source));
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      GstElement *element = g_value_get_object (&item);

      if (!GST_IS_BIN (element))
        capture_one_packet_per_buffer (element, ptime_ms);
      g_value_reset (&item);
    }
  g_value_unset (&item);
}

static Pipeline *
build_pipeline (DpGstMediaSession *self, Negotiated *n, GError **error)
{
  Pipeline *p = g_new0 (Pipeline, 1);
  GstElement *conf_sink = NULL;
  GstElement *pipeline, *rtpbin, *src, *capsf, *enc, *pay, *mux, *rtp_sink,
             *rtcp_sink, *rtp_src, *rtcp_src, *depay, *dec, *decoded, *sink, *device_sink;
  g_autoptr(GstCaps) raw_caps = NULL;
  gboolean secure = n->suite != DP_SRTP_SUITE_UNKNOWN;
  gboolean aal2 = dp_media_codec_aal2_order (n->codec, self->config);
  const char *cipher = NULL, *auth = NULL, *rtcp_auth = NULL;

  p->n = n;
  p->session = self;
  p->context = g_main_context_ref_thread_default ();
  p->pipeline = pipeline = gst_pipeline_new (NULL);
  gst_object_ref_sink (pipeline);

#define MAKE(var, factory) if ((var = dp_gst_bin_add_new (pipeline, factory, error)) == NULL) goto fail
  MAKE (rtpbin, "rtpbin");
  p->rtpbin = rtpbin;
  configure_jitter_buffer (self, rtpbin);
  g_signal_connect (rtpbin, "request-pt-map", G_CALLBACK (on_request_pt_map), p);
  g_signal_connect (rtpbin, "pad-added", G_CALLBACK (on_rtpbin_pad_added), p);
  if (secure)
    srtp_suite_params (n->suite, &cipher, &auth, &rtcp_auth);

  /* Send side. */
  if (self->conference != NULL)
    {
      if (!dp_gst_conference_add_leg (self->conference, self->conference_leg, pipeline, &src,
                                      &conf_sink, error))
        goto fail;
      p->conference = self->conference;
      p->conference_leg = self->conference_leg;
    }
  else if ((src = dp_gst_bin_add_device (pipeline, dp_gst_media_session_audio_description (self, TRUE),
                               N_("audio source"), error)) == NULL)
    goto fail;
  MAKE (capsf, "capsfilter");
  /* S16LE, which every encoder here takes: left open, the echo
   * canceller (which also takes F32) could settle on a format the
   * encoder refuses. */
  raw_caps = gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING, "S16LE",
                                  "rate", G_TYPE_INT, (int) n->codec->sample_rate,
                                  "channels", G_TYPE_INT, 1, NULL);
  g_object_set (capsf, "caps", raw_caps, NULL);
  {
    g_autoptr(GstPad) raw = gst_element_get_static_pad (capsf, "src");
    gst_pad_add_probe (raw, GST_PAD_PROBE_TYPE_BUFFER, on_send_samples, p, NULL);
  }
  MAKE (p->send_valve, "valve");
  g_object_set (p->send_valve, "drop", !n->send, NULL);
  if (conf_sink == NULL && echo_canceller_wanted (self))
    echo_canceller_add (p, pipeline);
  MAKE (enc, n->codec->encoder);
  set_props_from_string (enc, n->codec->encoder_props);
  if (aal2)
    g_object_set (enc, "aal2", TRUE, NULL);
  MAKE (pay, n->codec->payloader);
  set_props_from_string (pay, n->codec->payloader_props);
  g_object_set (pay, "pt", n->send_pt, NULL);
  if (n->codec->fixed_ptime == 0)
    g_object_set (pay, "min-ptime", (gint64) n->ptime * GST_MSECOND,
                  "max-ptime", (gint64) n->ptime * GST_MSECOND, NULL);
  MAKE (mux, "rtpdtmfmux");
  if (!link_converted (pipeline, src, capsf, src, "src", raw_caps, error) ||
      (p->echo_canceller != NULL && !gst_element_link (capsf, p->echo_canceller)) ||
      !gst_element_link (p->echo_canceller != NULL ? p->echo_canceller : capsf, p->send_valve) ||
      !gst_element_link_many (p->send_valve, enc, pay, NULL) ||
      !link_pads (pay, "src", mux, "sink_%u", error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED, _("cannot link the send chain"));
      goto fail;
    }
  capture_one_packet_per_buffer (src, n->codec->fixed_ptime != 0 ? n->codec->fixed_ptime : n->ptime);
  if (n->send_dtmf_pt >= 0)
    {
      MAKE (p->dtmf_src, "rtpdtmfsrc");
      g_object_set (p->dtmf_src, "pt", (guint) n->send_dtmf_pt,
                    "clock-rate", n->codec->clock_rate, NULL);
      if (!link_pads (p->dtmf_src, "src", mux, "priority_sink_%u", error))
        goto fail;
    }
  if (!link_pads (mux, "src", rtpbin, "send_rtp_sink_0", error))
    goto fail;

  if ((rtp_sink = make_udp (self, pipeline, TRUE, self->rtp_socket, n, n->remote_rtp_port, NULL,
                            error)) == NULL ||
      (rtcp_sink = make_udp (self, pipeline, TRUE, n->rtcp_mux ? self->rtp_socket : self->rtcp_socket,
                             n, n->remote_rtcp_port, NULL, error)) == NULL)
    goto fail;
  if (secure)
    {
      GstElement *srtpenc;
      g_autoptr(GstBuffer) key = gst_buffer_new_wrapped_bytes (n->send_key);

      MAKE (srtpenc, "srtpenc");
      g_object_set (srtpenc, "key", key, NULL);
      gst_util_set_object_arg (G_OBJECT (srtpenc), "rtp-cipher", cipher);
      gst_util_set_object_arg (G_OBJECT (srtpenc), "rtp-auth", auth);
      gst_util_set_object_arg (G_OBJECT (srtpenc), "rtcp-cipher", cipher);
      gst_util_set_object_arg (G_OBJECT (srtpenc), "rtcp-auth", rtcp_auth);
      g_signal_connect (srtpenc, "soft-limit", G_CALLBACK (on_srtpenc_soft_limit), p);
      if (!link_pads (rtpbin, "send_rtp_src_0", srtpenc, "rtp_sink_0", error) ||
          !link_pads (srtpenc, "rtp_src_0", rtp_sink, "sink", error) ||
          !link_pads (rtpbin, "send_rtcp_src_0", srtpenc, "rtcp_sink_0", error) ||
          !link_pads (srtpenc, "rtcp_src_0", rtcp_sink, "sink", error))
        goto fail;
      if ((p->test_soft_limit = test_soft_limit_packets ()) > 0)
        {
          g_autoptr(GstPad) protected = gst_element_get_static_pad (srtpenc, "rtp_sink_0");

          gst_pad_add_probe (protected, GST_PAD_PROBE_TYPE_BUFFER, on_test_packet_protected, p, NULL);
        }
    }
  else if (!link_pads (rtpbin, "send_rtp_src_0", rtp_sink, "sink", error) ||
           !link_pads (rtpbin, "send_rtcp_src_0", rtcp_sink, "sink", error))
    goto fail;

  /* Receive side. */
  rtcp_src = NULL;
  if ((rtp_src = make_udp (self, pipeline, FALSE, self->rtp_socket, n, 0,
                           secure ? "application/x-srtp" : "application/x-rtp", error)) == NULL ||
      (!n->rtcp_mux &&
       (rtcp_src = make_udp (self, pipeline, FALSE, self->rtcp_socket, n, 0,
                             secure ? "application/x-srtcp" : "application/x-rtcp", error)) == NULL))
    goto fail;
  if (secure)
    {
      GstElement *srtpdec;

      MAKE (srtpdec, "srtpdec");
      g_signal_connect (srtpdec, "request-key", G_CALLBACK (on_request_key), p);
      g_signal_connect (srtpdec, "soft-limit", G_CALLBACK (on_srtpdec_limit), p);
      g_signal_connect (srtpdec, "hard-limit", G_CALLBACK (on_srtpdec_limit), p);
      if (!link_pads (rtp_src, "src", srtpdec, "rtp_sink", error) ||
          !link_pads (srtpdec, "rtp_src", rtpbin, "recv_rtp_sink_0", error) ||
          (rtcp_src != NULL && !link_pads (rtcp_src, "src", srtpdec, "rtcp_sink", error)) ||
          !link_pads (srtpdec, "rtcp_src", rtpbin, "recv_rtcp_sink_0", error))
        goto fail;
    }
  else if (!link_pads (rtp_src, "src", rtpbin, "recv_rtp_sink_0", error) ||
           (rtcp_src != NULL && !link_pads (rtcp_src, "src", rtpbin, "recv_rtcp_sink_0", error)))
    goto fail;
  if (symmetric_rtp (self))
    {
      /* After srtpdec: only authenticated packets move the destination. */
      g_autoptr(GstPad) rtp_pad = gst_element_get_static_pad (rtpbin, "recv_rtp_sink_0");
      g_autoptr(GstPad) rtcp_pad = gst_element_get_static_pad (rtpbin, "recv_rtcp_sink_0");

      dp_gst_symmetric_follow (rtp_pad, rtp_sink);
      /* Multiplexed RTCP goes back to where the RTP comes from. */
      dp_gst_symmetric_follow (n->rtcp_mux ? rtp_pad : rtcp_pad, rtcp_sink);
    }

  MAKE (p->audio_funnel, "funnel");
  MAKE (depay, n->codec->depayloader);
  set_props_from_string (depay, n->codec->depayloader_props);
  MAKE (dec, n->codec->decoder);
  if (aal2)
    g_object_set (dec, "aal2", TRUE, NULL);
  MAKE (p->recv_valve, "valve");
  g_object_set (p->recv_valve, "drop", !n->recv, NULL);
  if (conf_sink != NULL)
    sink = device_sink = conf_sink;
  else
    {
      /* The conference mixer has its own levels; a call alone plays at
       * the call volume (dp-media-volume.h). */
      if ((sink = device_sink = dp_gst_bin_add_device (pipeline,
                                                       dp_gst_media_session_audio_description (self, FALSE),
                                                       N_("audio sink"), error)) == NULL)
        goto fail;
      MAKE (p->volume, "volume");
      g_object_set (p->volume, "volume", dp_media_call_volume_gain (self->config), NULL);
      if (!gst_element_link (p->volume, sink))
        {
          g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED, _("cannot link the receive chain"));
          goto fail;
        }
      sink = p->volume;
    }
  decoded = dec;
  /* In-band digits from a peer without telephone-event. spandsp's
   * detector takes 8 kHz only; without the element only detection is lost. */
  if (n->local_dtmf_pt < 0 && n->codec->sample_rate == 8000 &&
      (decoded = gst_element_factory_make ("dtmfdetect", NULL)) != NULL)
    gst_bin_add (GST_BIN (pipeline), decoded);
  else
    decoded = dec;
  /* The echo probe listens right after the decoder, at the codec's rate,
   * which is the rate the canceller on the microphone side runs at. */
  if (!gst_element_link_many (p->audio_funnel, depay, dec, NULL) ||
      (decoded != dec && !gst_element_link (dec, decoded)) ||
      (p->echo_probe != NULL && !gst_element_link (decoded, p->echo_probe)) ||
      !link_converted (pipeline, p->echo_probe != NULL ? p->echo_probe : decoded, p->recv_valve,
                       device_sink, "sink", raw_caps, error) ||
      !gst_element_link (p->recv_valve, sink))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED, _("cannot link the receive chain"));
      goto fail;
    }
  if (n->local_dtmf_pt >= 0)
    {
      GstElement *dtmf_depay, *dtmf_sink;

      MAKE (p->dtmf_funnel, "funnel");
      MAKE (dtmf_depay, "rtpdtmfdepay");
      MAKE (dtmf_sink, "fakesink");
      g_object_set (dtmf_sink, "sync", FALSE, "async", FALSE, NULL);
      if (!gst_element_link_many (p->dtmf_funnel, dtmf_depay, dtmf_sink, NULL))
        {
          g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED, _("cannot link the DTMF chain"));
          goto fail;
        }
    }
#undef MAKE

  {
    g_autoptr(GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));
    p->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  }
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE,
                           _("the media pipeline does not start (audio device?)"));
      goto fail;
    }
  return p;

fail:
  /* The caller still owns @n on failure. */
  p->n = NULL;
  pipeline_free (p);
  return NULL;
}

/* --- negotiation ----------------------------------------------------- */

static gboolean
available_filter (const DpMediaCodec *codec)
{
  return dp_media_codec_available (codec);
}

static gboolean
ensure_local_codecs (DpGstMediaSession *self, GError **error)
{
  if (self->local_codecs != NULL)
    return TRUE;
  self->local_codecs = dp_media_codec_preferences (self->config,
                                                   dp_media_session_get_line (DP_MEDIA_SESSION (self)),
                                                   self->codecs_override, available_filter, error);
  return self->local_codecs != NULL;
}

static gint64
config_int (DpGstMediaSession *self, const char *name, gint64 fallback)
{
  const char *value = self->config != NULL ? dp_config_get (self->config, name) : NULL;

  return value != NULL && *value != '\0' ? dp_config_get_int (self->config, name) : fallback;
}

static guint
local_ptime (DpGstMediaSession *self)
{
  double seconds = 0;

  if (self->config != NULL && dp_config_get (self->config, "RTP_Packet_Size") != NULL)
    seconds = dp_config_get_double (self->config, "RTP_Packet_Size");
  if (seconds <= 0)
    return DEFAULT_PTIME_MS;
  return (guint) CLAMP ((gint64) (seconds * 1000 + 0.5), 10, 130);
}

static guint
avt_payload (DpGstMediaSession *self)
{
  return (guint) CLAMP (config_int (self, "AVT_Dynamic_Payload", DEFAULT_AVT_PT), 96, 127);
}

static gboolean
bind_pair (DpGstMediaSession *self, GInetAddress *address, guint port, GError **error)
{
  g_autoptr(GSocket) rtp = NULL;
  g_autoptr(GSocket) rtcp = NULL;
  g_autoptr(GSocketAddress) rtp_addr = g_inet_socket_address_new (address, (guint16) port);
  g_autoptr(GSocketAddress) rtcp_addr = g_inet_socket_address_new (address, (guint16) (port + 1));
  GSocketFamily family = g_inet_address_get_family (address);

  rtp = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
  if (rtp == NULL || !g_socket_bind (rtp, rtp_addr, FALSE, error))
    return FALSE;
  rtcp = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
  if (rtcp == NULL || !g_socket_bind (rtcp, rtcp_addr, FALSE, error))
    return FALSE;
  self->rtp_socket = g_steal_pointer (&rtp);
  self->rtcp_socket = g_steal_pointer (&rtcp);
  self->local_port = port;
  return TRUE;
}

/* An even RTP port and the odd one above it, from a random place in
 * RTP_Port_Min..RTP_Port_Max so consecutive calls do not reuse ports. */
static gboolean
ensure_sockets (DpGstMediaSession *self, GError **error)
{
  g_autoptr(GInetAddress) address = NULL;
  guint min, max, n_pairs, start;

  if (self->rtp_socket != NULL)
    return TRUE;
  address = g_inet_address_new_from_string (self->local_address);
  if (address == NULL)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE,
                   _("local address '%s' is not an IP address"), self->local_address);
      return FALSE;
    }
  min = (guint) CLAMP (config_int (self, "RTP_Port_Min", DEFAULT_RTP_PORT_MIN), 1024, 65534);
  max = (guint) CLAMP (config_int (self, "RTP_Port_Max", DEFAULT_RTP_PORT_MAX), min, 65535);
  min += min % 2;
  n_pairs = max > min ? (max - min + 1) / 2 : (max == min ? 0 : 0);
  if (n_pairs == 0)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE,
                   _("RTP_Port_Min..RTP_Port_Max (%u..%u) holds no even/odd port pair"), min, max);
      return FALSE;
    }
  start = g_random_int_range (0, (gint32) n_pairs);
  for (guint i = 0; i < n_pairs; i++)
    {
      guint port = min + 2 * ((start + i) % n_pairs);

      if (bind_pair (self, address, port, NULL))
        return TRUE;
    }
  g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE,
               _("no free RTP port pair in %u..%u on %s"), min, max, self->local_address);
  return FALSE;
}

static GArray *
allowed_suites (DpGstMediaSession *self)
{
  GArray *suites = g_array_new (FALSE, FALSE, sizeof (DpSrtpSuite));
  g_auto(GStrv) names = g_strsplit (self->srtp_suites != NULL ? self->srtp_suites :
                                    "AES_CM_128_HMAC_SHA1_80,AES_CM_128_HMAC_SHA1_32,"
                                    "AES_256_CM_HMAC_SHA1_80,AES_256_CM_HMAC_SHA1_32", ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      DpSrtpSuite suite = dp_srtp_suite_from_string (g_strstrip (names[i]));

      if (suite != DP_SRTP_SUITE_UNKNOWN)
        g_array_append_val (suites, suite);
    }
  return suites;
}

static gboolean
suite_allowed (GArray *suites, DpSrtpSuite suite)
{
  for (guint i = 0; i < suites->len; i++)
    if (g_array_index (suites, DpSrtpSuite, i) == suite)
      return TRUE;
  return FALSE;
}

static GBytes *
crypto_key (const DpSdesCrypto *crypto)
{
  return g_bytes_ref (((DpSdesKey *) crypto->keys->pdata[0])->key_salt);
}

static gboolean
crypto_usable (const DpSdesCrypto *crypto, GArray *suites)
{
  const DpSdesKey *key = crypto->keys->pdata[0];

  return crypto->suite != DP_SRTP_SUITE_UNKNOWN && suite_allowed (suites, crypto->suite) &&
         crypto->keys->len == 1 && !key->has_mki && crypto->session_params == NULL;
}

static GPtrArray *
local_formats (DpGstMediaSession *self)
{
  GPtrArray *formats = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_sdp_format_free);
  gboolean have_8k = FALSE;

  for (guint i = 0; i < self->local_codecs->len; i++)
    {
      const DpMediaCodec *codec = self->local_codecs->pdata[i];

      g_ptr_array_add (formats, dp_sdp_format_new (dp_media_codec_payload_type (codec, self->config),
                                                   dp_media_codec_encoding (codec, self->config),
                                                   codec->clock_rate, codec->channels, codec->fmtp));
      have_8k |= codec->clock_rate == 8000;
    }
  if (have_8k)
    g_ptr_array_add (formats, dp_sdp_format_new (avt_payload (self), "telephone-event", 8000, 0,
                                                 "0-15"));
  return formats;
}

static void
set_remote_hold (DpGstMediaSession *self, gboolean hold)
{
  if (self->remote_hold == hold)
    return;
  self->remote_hold = hold;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REMOTE_HOLD]);
}

/* Installs @n: flips valves when only the direction changed, else
 * replaces the pipeline. On failure nothing changes. */
static gboolean
apply_negotiated (DpGstMediaSession *self, Negotiated *n, DpSdesCrypto *local_crypto,
                  gboolean remote_hold, GError **error)
{
  DpMediaSession *session = DP_MEDIA_SESSION (self);
  gboolean secure = n->suite != DP_SRTP_SUITE_UNKNOWN;

  if (self->pipe == NULL && !n->send && !n->recv)
    {
      /* Nothing may flow either way and nothing runs yet: a call still
       * ringing, whose offer is answered inactive only to vet it (the sip
       * plugin re-answers it when the user answers). No pipeline until
       * media may flow, so ringing costs neither the build nor an open
       * audio device. Its key is not kept: the exchange that lets media
       * flow carries fresh keys (a ringing call's answer never left the
       * phone). */
      self->state = STATE_ACTIVE;
      set_remote_hold (self, remote_hold);
      dp_media_session_set_negotiated (session, n->codec->name, secure,
                                       secure ? dp_srtp_suite_to_string (n->suite) : NULL);
      negotiated_free (n);
      if (local_crypto != NULL)
        dp_sdes_crypto_free (local_crypto);
      return TRUE;
    }
  if (self->pipe != NULL && negotiated_same_stream (self->pipe->n, n))
    {
      g_object_set (self->pipe->send_valve, "drop", !n->send, NULL);
      g_object_set (self->pipe->recv_valve, "drop", !n->recv, NULL);
      self->pipe->n->send = n->send;
      self->pipe->n->recv = n->recv;
      negotiated_free (n);
      if (local_crypto != NULL)
        dp_sdes_crypto_free (local_crypto);
    }
  else
    {
      Pipeline *p;

      /* The old pipeline goes first: its sockets are shared. */
      g_clear_pointer (&self->pipe, pipeline_free);
      p = build_pipeline (self, n, error);
      if (p == NULL)
        {
          negotiated_free (n);
          if (local_crypto != NULL)
            dp_sdes_crypto_free (local_crypto);
          return FALSE;
        }
      self->pipe = p;
      if (local_crypto != NULL)
        {
          g_clear_pointer (&self->active_crypto, dp_sdes_crypto_free);
          self->active_crypto = local_crypto;
        }
    }
  if (!secure)
    g_clear_pointer (&self->active_crypto, dp_sdes_crypto_free);
  self->state = STATE_ACTIVE;
  set_remote_hold (self, remote_hold);
  dp_media_session_set_negotiated (session, self->pipe->n->codec->name, secure,
                                   secure ? dp_srtp_suite_to_string (self->pipe->n->suite) : NULL);
  return TRUE;
}

static Negotiated *
negotiated_new (DpGstMediaSession *self, const DpSdpMedia *remote, const DpMediaChoice *choice,
                DpMediaDirection effective)
{
  Negotiated *n = g_new0 (Negotiated, 1);

  n->codec = choice->codec;
  n->send_pt = choice->pt;
  n->local_pt = dp_media_codec_payload_type (choice->codec, self->config);
  n->send_dtmf_pt = choice->dtmf_pt;
  n->local_dtmf_pt = choice->dtmf_pt >= 0 ? (int) avt_payload (self) : -1;
  n->ptime = remote->ptime > 0 ? CLAMP (remote->ptime, 10, 130) : local_ptime (self);
  n->remote_address = g_strdup (remote->address);
  n->remote_rtp_port = remote->port;
  /* Every offer of ours has a=rtcp-mux, so the remote side saying it
   * means multiplexing, whether it offers or answers. */
  n->rtcp_mux = remote->rtcp_mux;
  if (n->rtcp_mux)
    n->remote_rtcp_port = remote->port;
  else
    n->remote_rtcp_port = remote->rtcp_port != 0 ? remote->rtcp_port : remote->port + 1;
  n->suite = DP_SRTP_SUITE_UNKNOWN;
  /* c=0.0.0.0 (RFC 2543 hold) means "do not send to me". */
  n->send = dp_media_direction_sends (effective) &&
            g_strcmp0 (remote->address, "0.0.0.0") != 0 && g_strcmp0 (remote->address, "::") != 0;
  n->recv = dp_media_direction_receives (effective);
  return n;
}

static const DpSdpMedia *
remote_audio (const char *sdp, DpSdpSession **session_out, guint *index, GError **error)
{
  g_autoptr(DpSdpSession) session = dp_sdp_parse (sdp, -1, error);
  const DpSdpMedia *audio;

  if (session == NULL)
    return NULL;
  audio = dp_sdp_session_find_audio (session, index);
  if (audio == NULL || audio->port == 0)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_ACCEPTABLE,
                           audio == NULL ? "the SDP has no RTP audio stream"
                                         : "the audio stream is rejected (port 0)");
      return NULL;
    }
  *session_out = g_steal_pointer (&session);
  return audio;
}

static char *
dp_gst_media_session_create_offer (DpMediaSession *session, GError **error)
{
  DpGstMediaSession *self = DP_GST_MEDIA_SESSION (session);
  DpSrtpPolicy policy = dp_media_session_get_policy (session);
  g_autoptr(GPtrArray) formats = NULL;
  g_autoptr(GPtrArray) cryptos = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_sdes_crypto_free);
  gboolean secure_proto = policy == DP_SRTP_REQUIRED;
  DpSdpBuild build = { 0 };

  if (self->state == STATE_STOPPED)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_STATE, _("the session is stopped"));
      return NULL;
    }
  if (policy == DP_SRTP_REQUIRED && !self->sdes_allowed)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_ACCEPTABLE,
                           _("SRTP is required but SDES keys may not be sent over this "
                           "(insecure) signalling transport"));
      return NULL;
    }
  if (!ensure_local_codecs (self, error) || !ensure_sockets (self, error))
    return NULL;

  if (policy != DP_SRTP_OFF && self->sdes_allowed)
    {
      if (self->active_crypto != NULL && !self->rekey_pending)
        {
          /* Re-offer: keep the running key so hold/resume does not rekey. */
          g_autofree char *line = dp_sdes_crypto_to_string (self->active_crypto);
          g_ptr_array_add (cryptos, dp_sdes_crypto_parse (line, NULL));
        }
      else
        {
          g_autoptr(GArray) suites = allowed_suites (self);

          for (guint i = 0; i < suites->len; i++)
            {
              DpSdesCrypto *crypto = dp_sdes_crypto_new_local (i + 1, g_array_index (suites, DpSrtpSuite, i),
                                                               error);
              if (crypto == NULL)
                return NULL;
              g_ptr_array_add (cryptos, crypto);
            }
        }
      if (cryptos->len == 0 && policy == DP_SRTP_REQUIRED)
        {
          g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_ACCEPTABLE,
                               _("SRTP is required but no suite is enabled"));
          return NULL;
        }
    }

  formats = local_formats (self);
  build.address = self->local_address;
  build.session_id = self->session_id;
  build.version = ++self->version;
  build.port = self->local_port;
  build.rtcp_mux = TRUE;
  build.proto = secure_proto ? "RTP/SAVP" : "RTP/AVP";
  build.direction = self->direction;
  build.ptime = local_ptime (self);
  build.formats = formats;
  build.cryptos = cryptos;

  g_clear_pointer (&self->offered_cryptos, g_ptr_array_unref);
  self->offered_cryptos = g_steal_pointer (&cryptos);
  self->offered_savp = secure_proto;
  self->offer_rekeys = self->rekey_pending && self->offered_cryptos->len > 0;
  self->state = STATE_OFFER_SENT;
  return dp_sdp_build (&build);
}

static char *
dp_gst_media_session_create_answer (DpMediaSession *session, const char *offer, GError **error)
{
  DpGstMediaSession *self = DP_GST_MEDIA_SESSION (session);
  DpSrtpPolicy policy = dp_media_session_get_policy (session);
  g_autoptr(DpSdpSession) sdp = NULL;
  g_autoptr(GPtrArray) formats = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_sdp_format_free);
  g_autoptr(GPtrArray) cryptos = g_ptr_array_new ();
  g_autoptr(Negotiated) n = NULL;
  DpSdesCrypto *local_crypto = NULL;
  const DpSdpMedia *remote;
  const DpSdesCrypto *chosen = NULL;
  DpMediaChoice choice;
  DpMediaDirection answer_direction;
  DpSdpBuild build = { 0 };
  guint audio_index = 0;
  gboolean remote_hold;

  if (self->state == STATE_STOPPED)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_STATE, _("the session is stopped"));
      return NULL;
    }
  remote = remote_audio (offer, &sdp, &audio_index, error);
  if (remote == NULL || !ensure_local_codecs (self, error) ||
      !dp_media_negotiate_codec (self->local_codecs, remote, TRUE, self->config, &choice, error))
    return NULL;

  if (policy != DP_SRTP_OFF && self->sdes_allowed)
    {
      g_autoptr(GArray) suites = allowed_suites (self);

      /* RFC 4568: the first line (offer order) we can use wins. */
      for (guint i = 0; i < remote->cryptos->len && chosen == NULL; i++)
        if (crypto_usable (remote->cryptos->pdata[i], suites))
          chosen = remote->cryptos->pdata[i];
    }
  if (chosen == NULL && (policy == DP_SRTP_REQUIRED || dp_sdp_media_is_secure_proto (remote)))
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_ACCEPTABLE,
                   _("%s: the offer (%s, %u a=crypto line(s)) has no crypto we can use"),
                   policy == DP_SRTP_REQUIRED ? "SRTP required" : "RTP/SAVP offered",
                   remote->proto, remote->cryptos->len);
      return NULL;
    }
  if (!ensure_sockets (self, error))
    return NULL;

  answer_direction = dp_media_direction_intersect (self->direction,
                                                   dp_media_direction_reverse (remote->direction));
  remote_hold = dp_sdp_media_is_hold (remote);
  n = negotiated_new (self, remote, &choice, answer_direction);
  /* The answer echoes the offer's payload types, so we receive on them. */
  n->local_pt = choice.pt;
  n->local_dtmf_pt = choice.dtmf_pt;

  if (chosen != NULL)
    {
      /* A re-offer carrying the key we already receive with keeps our
       * key too, so hold/resume does not rekey or rebuild. */
      if (self->active_crypto != NULL && !self->rekey_pending &&
          self->active_crypto->suite == chosen->suite &&
          self->pipe != NULL && bytes_equal0 (self->pipe->n->recv_key, ((DpSdesKey *) chosen->keys->pdata[0])->key_salt))
        {
          g_autofree char *line = dp_sdes_crypto_to_string (self->active_crypto);
          local_crypto = dp_sdes_crypto_parse (line, NULL);
          local_crypto->tag = chosen->tag;
        }
      else
        local_crypto = dp_sdes_crypto_new_local (chosen->tag, chosen->suite, error);
      if (local_crypto == NULL)
        return NULL;
      n->suite = chosen->suite;
      n->send_key = crypto_key (local_crypto);
      n->recv_key = crypto_key (chosen);
    }

  {
    const DpSdpFormat *offered = dp_sdp_media_find_format (remote, choice.pt);

    g_ptr_array_add (formats, dp_sdp_format_new (choice.pt,
                                                 offered->encoding != NULL ? offered->encoding
                                                                           : choice.codec->encoding,
                                                 choice.codec->clock_rate, offered->channels,
                                                 offered->fmtp));
    if (choice.dtmf_pt >= 0)
      {
        const DpSdpFormat *dtmf = dp_sdp_media_find_format (remote, (guint) choice.dtmf_pt);
        g_ptr_array_add (formats, dp_sdp_format_new (dtmf->pt, dtmf->encoding, dtmf->clock_rate,
                                                     0, dtmf->fmtp));
      }
  }
  if (local_crypto != NULL)
    g_ptr_array_add (cryptos, local_crypto);

  build.address = self->local_address;
  build.session_id = self->session_id;
  build.version = self->version + 1;
  build.port = self->local_port;
  build.rtcp_mux = n->rtcp_mux;
  build.proto = remote->proto;
  build.direction = answer_direction;
  build.ptime = choice.codec->fixed_ptime != 0 ? choice.codec->fixed_ptime : local_ptime (self);
  build.formats = formats;
  build.cryptos = cryptos;
  build.offer = sdp;
  build.audio_index = audio_index;

  {
    g_autofree char *answer = dp_sdp_build (&build);
    /* A key we answer with while a re-key is pending is a new one (the
     * running key is kept only when none is): the peer's re-offer renewed
     * it. apply_negotiated() takes local_crypto, so decide before. */
    gboolean renews_key = local_crypto != NULL;

    if (!apply_negotiated (self, g_steal_pointer (&n), local_crypto, remote_hold, error))
      return NULL;
    if (renews_key)
      self->rekey_pending = FALSE;
    self->version++;
    return g_steal_pointer (&answer);
  }
}

static gboolean
dp_gst_media_session_set_answer (DpMediaSession *session, const char *answer, GError **error)
{
  DpGstMediaSession *self = DP_GST_MEDIA_SESSION (session);
  DpSrtpPolicy policy = dp_media_session_get_policy (session);
  g_autoptr(DpSdpSession) sdp = NULL;
  g_autoptr(Negotiated) n = NULL;
  const DpSdpMedia *remote;
  const DpSdesCrypto *theirs = NULL;
  DpSdesCrypto *ours = NULL;
  DpMediaChoice choice;

  if (self->state != STATE_OFFER_SENT)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_STATE,
                           _("an answer arrived but no offer is outstanding"));
      return FALSE;
    }
  remote = remote_audio (answer, &sdp, NULL, error);
  if (remote == NULL ||
      !dp_media_negotiate_codec (self->local_codecs, remote, FALSE, self->config, &choice, error))
    return FALSE;

  for (guint i = 0; i < remote->cryptos->len && theirs == NULL; i++)
    {
      const DpSdesCrypto *crypto = remote->cryptos->pdata[i];

      for (guint j = 0; self->offered_cryptos != NULL && j < self->offered_cryptos->len; j++)
        {
          DpSdesCrypto *offered = self->offered_cryptos->pdata[j];

          if (offered->tag == crypto->tag && offered->suite == crypto->suite &&
              crypto->keys->len == 1 && !((DpSdesKey *) crypto->keys->pdata[0])->has_mki &&
              crypto->session_params == NULL)
            {
              theirs = crypto;
              ours = offered;
            }
        }
    }
  if (theirs == NULL && (policy == DP_SRTP_REQUIRED || self->offered_savp))
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_ACCEPTABLE,
                   _("SRTP required but the answer (%s) accepts none of our %u a=crypto line(s)"),
                   remote->proto, self->offered_cryptos != NULL ? self->offered_cryptos->len : 0);
      return FALSE;
    }

  n = negotiated_new (self, remote, &choice,
                      dp_media_direction_intersect (self->direction,
                                                    dp_media_direction_reverse (remote->direction)));
  if (theirs != NULL)
    {
      g_autofree char *line = dp_sdes_crypto_to_string (ours);

      n->suite = theirs->suite;
      n->send_key = crypto_key (ours);
      n->recv_key = crypto_key (theirs);
      ours = dp_sdes_crypto_parse (line, NULL);
    }
  else
    ours = NULL;
  if (!apply_negotiated (self, g_steal_pointer (&n), ours, dp_sdp_media_is_hold (remote), error))
    {
      /* The offer stays outstanding: nothing was applied. */
      return FALSE;
    }
  g_clear_pointer (&self->offered_cryptos, g_ptr_array_unref);
  if (self->offer_rekeys && theirs != NULL)
    {
      g_message ("line %u: SRTP re-keyed (%s)", dp_media_session_get_line (session),
                 dp_srtp_suite_to_string (theirs->suite));
      self->rekey_pending = FALSE;
    }
  self->offer_rekeys = FALSE;
  return TRUE;
}

static gboolean
dp_gst_media_session_set_direction (DpMediaSession *session, DpMediaDirection direction,
                                    GError **error)
{
  DpGstMediaSession *self = DP_GST_MEDIA_SESSION (session);

  if (self->state == STATE_STOPPED)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_STATE, _("the session is stopped"));
      return FALSE;
    }
  if (direction > DP_MEDIA_INACTIVE)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED, _("unknown direction %d"), direction);
      return FALSE;
    }
  self->direction = direction;
  return TRUE;
}

/* Q.23 tones rather than RFC 4733 events: the peer took no
 * telephone-event at the codec's rate, or the line wants in-band. */
static gboolean
dtmf_goes_inband (DpGstMediaSession *self)
{
  return self->pipe != NULL && (self->pipe->dtmf_src == NULL || self->dtmf_inband);
}

static void
send_dtmf_event (DpGstMediaSession *self, int number, gboolean start)
{
  GstStructure *s;
  g_autoptr(GstPad) pad = NULL;

  if (self->pipe == NULL || self->pipe->dtmf_src == NULL)
    return;
  if (start)
    s = gst_structure_new ("dtmf-event", "type", G_TYPE_INT, 1, "number", G_TYPE_INT, number,
                           "volume", G_TYPE_INT, 10, "start", G_TYPE_BOOLEAN, TRUE, NULL);
  else
    s = gst_structure_new ("dtmf-event", "type", G_TYPE_INT, 1, "start", G_TYPE_BOOLEAN, FALSE,
                           NULL);
  pad = gst_element_get_static_pad (self->pipe->dtmf_src, "src");
  gst_pad_send_event (pad, gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM, s));
}

static gboolean
on_dtmf_gap_done (gpointer user_data)
{
  DpGstMediaSession *self = user_data;

  self->dtmf_timeout = 0;
  self->dtmf_playing = FALSE;
  start_next_dtmf (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_dtmf_done (gpointer user_data)
{
  DpGstMediaSession *self = user_data;

  if (self->pipe != NULL)
    g_atomic_int_set (&self->pipe->inband_digit, 0);
  send_dtmf_event (self, 0, FALSE);
  /* A pause between digits, so the receiver sees separate events. */
  self->dtmf_timeout = g_timeout_add (DTMF_GAP_MS, on_dtmf_gap_done, self);
  return G_SOURCE_REMOVE;
}

static void
start_next_dtmf (DpGstMediaSession *self)
{
  DtmfRequest *request;

  if (self->dtmf_playing)
    return;
  request = g_queue_pop_head (&self->dtmf_queue);
  if (request == NULL)
    return;
  self->dtmf_playing = TRUE;
  if (dtmf_goes_inband (self))
    g_atomic_int_set (&self->pipe->inband_digit, request->digit);
  else
    send_dtmf_event (self, dtmf_event_from_digit (request->digit), TRUE);
  self->dtmf_timeout = g_timeout_add (request->duration_ms, on_dtmf_done, self);
  g_free (request);
}

static gboolean
dp_gst_media_session_send_dtmf (DpMediaSession *session, char digit, guint duration_ms,
                                GError **error)
{
  DpGstMediaSession *self = DP_GST_MEDIA_SESSION (session);
  DtmfRequest *request;

  if (dtmf_event_from_digit (digit) < 0)
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED,
                   _("'%c' is not a DTMF digit (0-9 * # A-D)"), digit);
      return FALSE;
    }
  if (self->state != STATE_ACTIVE || self->pipe == NULL)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_STATE, _("no media is flowing"));
      return FALSE;
    }
  request = g_new0 (DtmfRequest, 1);
  request->digit = digit;
  request->duration_ms = CLAMP (duration_ms, 40, 5000);
  g_queue_push_tail (&self->dtmf_queue, request);
  start_next_dtmf (self);
  return TRUE;
}

static void
dp_gst_media_session_stop (DpMediaSession *session)
{
  DpGstMediaSession *self = DP_GST_MEDIA_SESSION (session);

  g_clear_handle_id (&self->dtmf_timeout, g_source_remove);
  g_queue_clear_full (&self->dtmf_queue, g_free);
  self->dtmf_playing = FALSE;
  g_clear_pointer (&self->pipe, pipeline_free);
  if (self->conference != NULL)
    {
      DpGstConference *conference = g_steal_pointer (&self->conference);

      dp_gst_conference_leave (conference, self->conference_leg);
    }
  if (self->rtp_socket != NULL)
    g_socket_close (self->rtp_socket, NULL);
  if (self->rtcp_socket != NULL)
    g_socket_close (self->rtcp_socket, NULL);
  g_clear_object (&self->rtp_socket);
  g_clear_object (&self->rtcp_socket);
  self->state = STATE_STOPPED;
}

static guint64
structure_uint64 (const GstStructure *s, const char *field)
{
  guint64 value64 = 0;
  guint value = 0;
  int ivalue = 0;

  if (gst_structure_get_uint64 (s, field, &value64))
    return value64;
  if (gst_structure_get_uint (s, field, &value))
    return value;
  if (gst_structure_get_int (s, field, &ivalue))
    return (guint64) MAX (ivalue, 0);
  return 0;
}

static JsonNode *
dp_gst_media_session_get_stats (DpMediaSession *session)
{
  DpGstMediaSession *self = DP_GST_MEDIA_SESSION (session);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint64 packets_sent = 0, bytes_sent = 0, packets_received = 0, bytes_received = 0;
  gint64 lost = 0;
  double jitter_ms = 0, rtt_ms = 0;
  gboolean rtcp_received = FALSE;

  if (self->pipe != NULL)
    {
      g_autoptr(GObject) rtp_session = NULL;
      g_autoptr(GstStructure) stats = NULL;
      const GValue *sources;

      g_signal_emit_by_name (self->pipe->rtpbin, "get-internal-session", 0, &rtp_session);
      if (rtp_session != NULL)
        g_object_get (rtp_session, "stats", &stats, NULL);
      sources = stats != NULL ? gst_structure_get_value (stats, "source-stats") : NULL;
      /* RTPSession hands out a GValueArray; there is no other API. */
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      for (guint i = 0; sources != NULL && G_VALUE_HOLDS (sources, g_value_array_get_type ()) &&
                        i < ((GValueArray *) g_value_get_boxed (sources))->n_values; i++)
        {
          GValueArray *array = g_value_get_boxed (sources);
          const GstStructure *s = gst_value_get_structure (g_value_array_get_nth (array, i));
          gboolean internal = FALSE, have_rb = FALSE, have_sr = FALSE;
          int clock_rate = 0;

          gst_structure_get_boolean (s, "internal", &internal);
          if (internal)
            {
              packets_sent += structure_uint64 (s, "packets-sent");
              bytes_sent += structure_uint64 (s, "octets-sent");
              if (gst_structure_get_boolean (s, "have-rb", &have_rb) && have_rb)
                {
                  /* RFC 3550 round trip in 1/65536 s. */
                  rtt_ms = MAX (rtt_ms, structure_uint64 (s, "rb-round-trip") * 1000.0 / 65536.0);
                  rtcp_received = TRUE;
                }
            }
          else
            {
              int source_lost = 0;

              if (gst_structure_get_boolean (s, "have-sr", &have_sr) && have_sr)
                rtcp_received = TRUE;
              packets_received += structure_uint64 (s, "packets-received");
              bytes_received += structure_uint64 (s, "octets-received");
              if (gst_structure_get_int (s, "packets-lost", &source_lost))
                lost += MAX (source_lost, 0);
              if (gst_structure_get_int (s, "clock-rate", &clock_rate) && clock_rate > 0)
                jitter_ms = MAX (jitter_ms, structure_uint64 (s, "jitter") * 1000.0 / clock_rate);
            }
        }
      G_GNUC_END_IGNORE_DEPRECATIONS
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "codec");
  json_builder_add_string_value (builder, dp_media_session_get_codec (session));
  json_builder_set_member_name (builder, "secure");
  json_builder_add_boolean_value (builder, dp_media_session_get_secure (session));
  json_builder_set_member_name (builder, "srtp_suite");
  json_builder_add_string_value (builder, dp_media_session_get_srtp_suite (session));
  json_builder_set_member_name (builder, "local_port");
  json_builder_add_int_value (builder, self->local_port);
  json_builder_set_member_name (builder, "remote_hold");
  json_builder_add_boolean_value (builder, self->remote_hold);
  json_builder_set_member_name (builder, "packets_sent");
  json_builder_add_int_value (builder, (gint64) packets_sent);
  json_builder_set_member_name (builder, "bytes_sent");
  json_builder_add_int_value (builder, (gint64) bytes_sent);
  json_builder_set_member_name (builder, "packets_received");
  json_builder_add_int_value (builder, (gint64) packets_received);
  json_builder_set_member_name (builder, "bytes_received");
  json_builder_add_int_value (builder, (gint64) bytes_received);
  json_builder_set_member_name (builder, "lost");
  json_builder_add_int_value (builder, lost);
  json_builder_set_member_name (builder, "jitter_ms");
  json_builder_add_double_value (builder, jitter_ms);
  json_builder_set_member_name (builder, "rtt_ms");
  json_builder_add_double_value (builder, rtt_ms);
  /* Whether the peer's RTCP reports arrive at all, and on which port. */
  json_builder_set_member_name (builder, "rtcp_received");
  json_builder_add_boolean_value (builder, rtcp_received);
  json_builder_set_member_name (builder, "rtcp_mux");
  json_builder_add_boolean_value (builder, self->pipe != NULL && self->pipe->n->rtcp_mux);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
dp_gst_media_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DpGstMediaSession *self = DP_GST_MEDIA_SESSION (object);

  switch (prop_id)
    {
    case PROP_CONFIG: g_value_set_object (value, self->config); break;
    case PROP_LOCAL_ADDRESS: g_value_set_string (value, self->local_address); break;
    case PROP_CODECS: g_value_set_string (value, self->codecs_override); break;
    case PROP_AUDIO_SOURCE: g_value_set_string (value, self->audio_source); break;
    case PROP_AUDIO_SINK: g_value_set_string (value, self->audio_sink); break;
    case PROP_SDES_ALLOWED: g_value_set_boolean (value, self->sdes_allowed); break;
    case PROP_SRTP_SUITES: g_value_set_string (value, self->srtp_suites); break;
    case PROP_DTMF_INBAND: g_value_set_boolean (value, self->dtmf_inband); break;
    case PROP_REMOTE_HOLD: g_value_set_boolean (value, self->remote_hold); break;
    case PROP_LOCAL_PORT: g_value_set_uint (value, self->local_port); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dp_gst_media_session_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  DpGstMediaSession *self = DP_GST_MEDIA_SESSION (object);

  switch (prop_id)
    {
    case PROP_CONFIG: g_set_object (&self->config, g_value_get_object (value)); break;
    case PROP_LOCAL_ADDRESS:
      /* Writable after construction because DpMediaProvider's
       * create_session() has no address argument: the sip plugin sets it
       * before the first offer/answer. Once the sockets are bound the
       * c= line must keep naming them. */
      if (self->rtp_socket != NULL)
        {
          g_warning ("local-address cannot change once the RTP sockets are bound");
          break;
        }
      g_free (self->local_address);
      self->local_address = g_value_dup_string (value);
      if (self->local_address == NULL)
        self->local_address = g_strdup (DEFAULT_LOCAL_ADDRESS);
      break;
    case PROP_CODECS:
      g_free (self->codecs_override);
      self->codecs_override = g_value_dup_string (value);
      /* A call's codecs change only before its first offer or answer. */
      if (self->state == STATE_IDLE && self->local_codecs != NULL)
        g_clear_pointer (&self->local_codecs, g_ptr_array_unref);
      break;
    case PROP_AUDIO_SOURCE:
      g_free (self->audio_source);
      self->audio_source = g_value_dup_string (value);
      break;
    case PROP_AUDIO_SINK:
      g_free (self->audio_sink);
      self->audio_sink = g_value_dup_string (value);
      break;
    case PROP_SDES_ALLOWED: self->sdes_allowed = g_value_get_boolean (value); break;
    case PROP_DTMF_INBAND: self->dtmf_inband = g_value_get_boolean (value); break;
    case PROP_SRTP_SUITES:
      g_free (self->srtp_suites);
      self->srtp_suites = g_value_dup_string (value);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
on_call_volume_changed (DpConfig *config, const char *name, DpGstMediaSession *self)
{
  if (self->pipe != NULL && self->pipe->volume != NULL)
    g_object_set (self->pipe->volume, "volume", dp_media_call_volume_gain (config), NULL);
}

static void
dp_gst_media_session_constructed (GObject *object)
{
  DpGstMediaSession *self = DP_GST_MEDIA_SESSION (object);

  G_OBJECT_CLASS (dp_gst_media_session_parent_class)->constructed (object);
  /* The path, or the volume of any path (the one in use may change). */
  if (self->config != NULL)
    {
      static const char *const params[] = {
        DP_MEDIA_AUDIO_PATH_PARAM, "Handset_Volume", "Speaker_Volume", "Headset_Volume",
      };

      for (gsize i = 0; i < G_N_ELEMENTS (params); i++)
        {
          g_autofree char *signal = g_strconcat ("changed::", params[i], NULL);

          g_signal_connect_object (self->config, signal, G_CALLBACK (on_call_volume_changed),
                                   self, 0);
        }
    }
}

static void
dp_gst_media_session_dispose (GObject *object)
{
  DpGstMediaSession *self = DP_GST_MEDIA_SESSION (object);

  if (self->state != STATE_STOPPED)
    dp_gst_media_session_stop (DP_MEDIA_SESSION (self));
  g_clear_object (&self->config);
  G_OBJECT_CLASS (dp_gst_media_session_parent_class)->dispose (object);
}

static void
dp_gst_media_session_finalize (GObject *object)
{
  DpGstMediaSession *self = DP_GST_MEDIA_SESSION (object);

  g_free (self->local_address);
  g_free (self->codecs_override);
  g_free (self->audio_source);
  g_free (self->audio_sink);
  g_free (self->srtp_suites);
  g_clear_pointer (&self->local_codecs, g_ptr_array_unref);
  g_clear_pointer (&self->offered_cryptos, g_ptr_array_unref);
  g_clear_pointer (&self->active_crypto, dp_sdes_crypto_free);
  G_OBJECT_CLASS (dp_gst_media_session_parent_class)->finalize (object);
}

static void
dp_gst_media_session_class_init (DpGstMediaSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  DpMediaSessionClass *session_class = DP_MEDIA_SESSION_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = dp_gst_media_session_get_property;
  object_class->set_property = dp_gst_media_session_set_property;
  object_class->constructed = dp_gst_media_session_constructed;
  object_class->dispose = dp_gst_media_session_dispose;
  object_class->finalize = dp_gst_media_session_finalize;

  session_class->create_offer = dp_gst_media_session_create_offer;
  session_class->create_answer = dp_gst_media_session_create_answer;
  session_class->set_answer = dp_gst_media_session_set_answer;
  session_class->set_direction = dp_gst_media_session_set_direction;
  session_class->send_dtmf = dp_gst_media_session_send_dtmf;
  session_class->stop = dp_gst_media_session_stop;
  session_class->get_stats = dp_gst_media_session_get_stats;

  props[PROP_CONFIG] = g_param_spec_object ("config", NULL, NULL, DP_TYPE_CONFIG, construct);
  props[PROP_LOCAL_ADDRESS] = g_param_spec_string ("local-address", NULL, NULL,
                                                   DEFAULT_LOCAL_ADDRESS,
                                                   G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                                                   G_PARAM_STATIC_STRINGS);
  /* Settable after construction (a codec selection code is known once the
   * session exists); read at the first offer or answer. */
  props[PROP_CODECS] = g_param_spec_string ("codecs", NULL, NULL, NULL,
                                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_AUDIO_SOURCE] = g_param_spec_string ("audio-source", NULL, NULL, NULL, construct);
  props[PROP_AUDIO_SINK] = g_param_spec_string ("audio-sink", NULL, NULL, NULL, construct);
  props[PROP_SDES_ALLOWED] = g_param_spec_boolean ("sdes-allowed", NULL, NULL, FALSE, construct);
  props[PROP_SRTP_SUITES] = g_param_spec_string ("srtp-suites", NULL, NULL, NULL, construct);
  props[PROP_REMOTE_HOLD] = g_param_spec_boolean ("remote-hold", NULL, NULL, FALSE,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS);
  props[PROP_LOCAL_PORT] = g_param_spec_uint ("local-port", NULL, NULL, 0, 65535, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* DTMF_Tx_Method InBand: tones even when the peer takes telephone-event. */
  props[PROP_DTMF_INBAND] = g_param_spec_boolean ("dtmf-inband", NULL, NULL, FALSE,
                                                  G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
dp_gst_media_session_init (DpGstMediaSession *self)
{
  self->local_address = g_strdup (DEFAULT_LOCAL_ADDRESS);
  self->session_id = g_random_int ();
  self->direction = DP_MEDIA_SENDRECV;
  g_queue_init (&self->dtmf_queue);
}

DpMediaSession *
dp_gst_media_session_new (DpConfig *config, guint line, DpSrtpPolicy policy,
                          gboolean sdes_allowed, GError **error)
{
  g_autoptr(GError) init_error = NULL;

  /* GStreamer is initialised here, on the first call, and not when the
   * plugin loads: the phone starts and registers without it. */
  if (!gst_is_initialized () && !gst_init_check (NULL, NULL, &init_error))
    {
      g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE,
                   _("GStreamer does not initialise: %s"), init_error->message);
      return NULL;
    }
  return g_object_new (DP_TYPE_GST_MEDIA_SESSION, "config", config, "line", line,
                       "policy", policy, "sdes-allowed", sdes_allowed, NULL);
}

GstElement *
dp_gst_media_session_get_pipeline (DpGstMediaSession *self)
{
  g_return_val_if_fail (DP_IS_GST_MEDIA_SESSION (self), NULL);
  return self->pipe != NULL ? self->pipe->pipeline : NULL;
}

guint
dp_gst_media_session_get_local_port (DpGstMediaSession *self)
{
  g_return_val_if_fail (DP_IS_GST_MEDIA_SESSION (self), 0);
  return self->local_port;
}

gboolean
dp_gst_media_session_get_remote_hold (DpGstMediaSession *self)
{
  g_return_val_if_fail (DP_IS_GST_MEDIA_SESSION (self), FALSE);
  return self->remote_hold;
}

GBytes *
dp_gst_media_session_get_send_key (DpGstMediaSession *self)
{
  g_return_val_if_fail (DP_IS_GST_MEDIA_SESSION (self), NULL);
  return self->pipe != NULL ? self->pipe->n->send_key : NULL;
}

static Negotiated *
negotiated_copy (const Negotiated *n)
{
  Negotiated *copy = g_memdup2 (n, sizeof *n);

  copy->remote_address = g_strdup (n->remote_address);
  copy->send_key = n->send_key != NULL ? g_bytes_ref (n->send_key) : NULL;
  copy->recv_key = n->recv_key != NULL ? g_bytes_ref (n->recv_key) : NULL;
  return copy;
}

void
dp_gst_media_session_set_conference (DpGstMediaSession *self, DpGstConference *conference,
                                     guint leg)
{
  g_return_if_fail (DP_IS_GST_MEDIA_SESSION (self));
  self->conference = conference;
  self->conference_leg = leg;
}

DpGstConference *
dp_gst_media_session_get_conference (DpGstMediaSession *self)
{
  g_return_val_if_fail (DP_IS_GST_MEDIA_SESSION (self), NULL);
  return self->conference;
}

guint
dp_gst_media_session_get_sample_rate (DpGstMediaSession *self)
{
  g_return_val_if_fail (DP_IS_GST_MEDIA_SESSION (self), 8000);
  return self->pipe != NULL ? self->pipe->n->codec->sample_rate : 8000;
}

gboolean
dp_gst_media_session_rebuild (DpGstMediaSession *self, GError **error)
{
  Negotiated *n;
  Pipeline *p;

  g_return_val_if_fail (DP_IS_GST_MEDIA_SESSION (self), FALSE);

  if (self->pipe == NULL)
    return TRUE;   /* the next negotiation builds it */
  n = negotiated_copy (self->pipe->n);
  /* The old pipeline goes first: its sockets are shared. */
  g_clear_pointer (&self->pipe, pipeline_free);
  p = build_pipeline (self, n, error);
  if (p == NULL)
    {
      negotiated_free (n);
      return FALSE;
    }
  self->pipe = p;
  return TRUE;
}
