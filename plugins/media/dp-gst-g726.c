/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * G.726 encoder and decoder elements over spandsp (see the header).
 */
#define G_LOG_DOMAIN "dp-media"

#include "dp-gst-g726.h"

#include <gst/audio/gstaudioencoder.h>
#include <gst/audio/gstaudiodecoder.h>
#include <spandsp.h>

/* 10 ms: a whole number of bytes at every code size (8 codes make
 * 2, 3, 4 or 5 bytes), so every output buffer stands alone. */
#define FRAME_SAMPLES 80
#define RAW_CAPS "audio/x-raw, format=(string)S16LE, rate=(int)8000, channels=(int)1, " \
                 "layout=(string)interleaved"
#define G726_CAPS "audio/x-adpcm, layout=(string)g726, rate=(int)8000, channels=(int)1, " \
                  "bitrate=(int){ 16000, 24000, 32000, 40000 }"

static GstStaticPadTemplate raw_sink = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
                                                                GST_STATIC_CAPS (RAW_CAPS));
static GstStaticPadTemplate raw_src = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
                                                               GST_STATIC_CAPS (RAW_CAPS));
static GstStaticPadTemplate g726_sink = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
                                                                 GST_STATIC_CAPS (G726_CAPS));
static GstStaticPadTemplate g726_src = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
                                                                GST_STATIC_CAPS (G726_CAPS));

static gboolean
valid_bitrate (int bitrate)
{
  return bitrate == 16000 || bitrate == 24000 || bitrate == 32000 || bitrate == 40000;
}

/* --- encoder ---------------------------------------------------------- */

#define DP_TYPE_G726_ENC (dp_g726_enc_get_type ())
G_DECLARE_FINAL_TYPE (DpG726Enc, dp_g726_enc, DP, G726_ENC, GstAudioEncoder)

struct _DpG726Enc
{
  GstAudioEncoder parent_instance;
  int bitrate;
  gboolean aal2;
  g726_state_t *state;
};

G_DEFINE_FINAL_TYPE (DpG726Enc, dp_g726_enc, GST_TYPE_AUDIO_ENCODER)

enum { PROP_0, PROP_BITRATE, PROP_AAL2 };

/* RFC 3551 order, or AAL2's (ITU-T I.366.2: the first code in the most
 * significant bits) for peers that send that under the RFC 3551 name. */
static int
packing (gboolean aal2)
{
  return aal2 ? G726_PACKING_LEFT : G726_PACKING_RIGHT;
}

static GParamSpec *
aal2_pspec (void)
{
  return g_param_spec_boolean ("aal2", "AAL2 bit order",
                               "The first code in the most significant bits (not RFC 3551)",
                               FALSE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
}

static gboolean
dp_g726_enc_set_format (GstAudioEncoder *encoder, GstAudioInfo *info)
{
  DpG726Enc *self = DP_G726_ENC (encoder);
  g_autoptr(GstCaps) caps = NULL;

  if (self->state != NULL)
    g_clear_pointer (&self->state, g726_free);
  self->state = g726_init (NULL, self->bitrate, G726_ENCODING_LINEAR, packing (self->aal2));
  if (self->state == NULL)
    return FALSE;
  gst_audio_encoder_set_frame_samples_min (encoder, FRAME_SAMPLES);
  gst_audio_encoder_set_frame_samples_max (encoder, FRAME_SAMPLES);
  gst_audio_encoder_set_frame_max (encoder, 1);
  caps = gst_caps_new_simple ("audio/x-adpcm", "layout", G_TYPE_STRING, "g726",
                              "rate", G_TYPE_INT, 8000, "channels", G_TYPE_INT, 1,
                              "bitrate", G_TYPE_INT, self->bitrate, NULL);
  return gst_audio_encoder_set_output_format (encoder, caps);
}

static GstFlowReturn
dp_g726_enc_handle_frame (GstAudioEncoder *encoder, GstBuffer *buffer)
{
  DpG726Enc *self = DP_G726_ENC (encoder);
  GstMapInfo in, out;
  GstBuffer *encoded;
  int n_samples, n_bytes;

  if (buffer == NULL)   /* drain: whole frames only, nothing kept */
    return GST_FLOW_OK;
  if (!gst_buffer_map (buffer, &in, GST_MAP_READ))
    return GST_FLOW_ERROR;
  n_samples = (int) (in.size / sizeof (gint16));
  encoded = gst_buffer_new_allocate (NULL, (gsize) n_samples * 5 / 8 + 1, NULL);
  gst_buffer_map (encoded, &out, GST_MAP_WRITE);
  n_bytes = g726_encode (self->state, out.data, (const int16_t *) in.data, n_samples);
  gst_buffer_unmap (encoded, &out);
  gst_buffer_unmap (buffer, &in);
  gst_buffer_set_size (encoded, (gssize) MAX (n_bytes, 0));
  return gst_audio_encoder_finish_frame (encoder, encoded, n_samples);
}

static gboolean
dp_g726_enc_stop (GstAudioEncoder *encoder)
{
  g_clear_pointer (&DP_G726_ENC (encoder)->state, g726_free);
  return TRUE;
}

static void
dp_g726_enc_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  DpG726Enc *self = DP_G726_ENC (object);

  if (id == PROP_AAL2)
    self->aal2 = g_value_get_boolean (value);
  else if (id == PROP_BITRATE && valid_bitrate (g_value_get_int (value)))
    self->bitrate = g_value_get_int (value);
  else if (id == PROP_BITRATE)
    g_warning ("dpg726enc: %d is not a G.726 bit rate (16000, 24000, 32000, 40000)",
               g_value_get_int (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
dp_g726_enc_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  if (id == PROP_BITRATE)
    g_value_set_int (value, DP_G726_ENC (object)->bitrate);
  else if (id == PROP_AAL2)
    g_value_set_boolean (value, DP_G726_ENC (object)->aal2);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
dp_g726_enc_class_init (DpG726EncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstAudioEncoderClass *encoder_class = GST_AUDIO_ENCODER_CLASS (klass);

  object_class->set_property = dp_g726_enc_set_property;
  object_class->get_property = dp_g726_enc_get_property;
  g_object_class_install_property (object_class, PROP_BITRATE,
    g_param_spec_int ("bitrate", "Bit rate", "16000, 24000, 32000 or 40000", 16000, 40000, 32000,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, PROP_AAL2, aal2_pspec ());
  gst_element_class_add_static_pad_template (element_class, &raw_sink);
  gst_element_class_add_static_pad_template (element_class, &g726_src);
  gst_element_class_set_static_metadata (element_class, "G.726 encoder (spandsp)",
                                         "Codec/Encoder/Audio", "G.726 in RFC 3551 bit order",
                                         "deskphone");
  encoder_class->set_format = dp_g726_enc_set_format;
  encoder_class->handle_frame = dp_g726_enc_handle_frame;
  encoder_class->stop = dp_g726_enc_stop;
}

static void
dp_g726_enc_init (DpG726Enc *self)
{
  self->bitrate = 32000;
}

/* --- decoder ---------------------------------------------------------- */

#define DP_TYPE_G726_DEC (dp_g726_dec_get_type ())
G_DECLARE_FINAL_TYPE (DpG726Dec, dp_g726_dec, DP, G726_DEC, GstAudioDecoder)

struct _DpG726Dec
{
  GstAudioDecoder parent_instance;
  int bits;
  gboolean aal2;
  g726_state_t *state;
};

G_DEFINE_FINAL_TYPE (DpG726Dec, dp_g726_dec, GST_TYPE_AUDIO_DECODER)

static gboolean
dp_g726_dec_set_format (GstAudioDecoder *decoder, GstCaps *caps)
{
  DpG726Dec *self = DP_G726_DEC (decoder);
  GstAudioInfo info;
  int bitrate = 0;

  if (!gst_structure_get_int (gst_caps_get_structure (caps, 0), "bitrate", &bitrate) ||
      !valid_bitrate (bitrate))
    return FALSE;
  g_clear_pointer (&self->state, g726_free);
  self->state = g726_init (NULL, bitrate, G726_ENCODING_LINEAR, packing (self->aal2));
  self->bits = bitrate / 8000;
  gst_audio_info_init (&info);
  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_S16LE, 8000, 1, NULL);
  return self->state != NULL && gst_audio_decoder_set_output_format (decoder, &info);
}

static GstFlowReturn
dp_g726_dec_handle_frame (GstAudioDecoder *decoder, GstBuffer *buffer)
{
  DpG726Dec *self = DP_G726_DEC (decoder);
  GstMapInfo in, out;
  GstBuffer *decoded;
  int n_samples;

  if (buffer == NULL)
    return GST_FLOW_OK;
  if (!gst_buffer_map (buffer, &in, GST_MAP_READ))
    return GST_FLOW_ERROR;
  decoded = gst_buffer_new_allocate (NULL, in.size * 8 / (gsize) self->bits * sizeof (gint16) + 2, NULL);
  gst_buffer_map (decoded, &out, GST_MAP_WRITE);
  n_samples = g726_decode (self->state, (int16_t *) out.data, in.data, (int) in.size);
  gst_buffer_unmap (decoded, &out);
  gst_buffer_unmap (buffer, &in);
  gst_buffer_set_size (decoded, (gssize) MAX (n_samples, 0) * (gssize) sizeof (gint16));
  return gst_audio_decoder_finish_frame (decoder, decoded, 1);
}

static gboolean
dp_g726_dec_stop (GstAudioDecoder *decoder)
{
  g_clear_pointer (&DP_G726_DEC (decoder)->state, g726_free);
  return TRUE;
}

static void
dp_g726_dec_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  if (id == PROP_AAL2)
    DP_G726_DEC (object)->aal2 = g_value_get_boolean (value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
dp_g726_dec_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  if (id == PROP_AAL2)
    g_value_set_boolean (value, DP_G726_DEC (object)->aal2);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
dp_g726_dec_class_init (DpG726DecClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstAudioDecoderClass *decoder_class = GST_AUDIO_DECODER_CLASS (klass);

  gst_element_class_add_static_pad_template (element_class, &g726_sink);
  gst_element_class_add_static_pad_template (element_class, &raw_src);
  gst_element_class_set_static_metadata (element_class, "G.726 decoder (spandsp)",
                                         "Codec/Decoder/Audio", "G.726 in RFC 3551 bit order",
                                         "deskphone");
  object_class->set_property = dp_g726_dec_set_property;
  object_class->get_property = dp_g726_dec_get_property;
  g_object_class_install_property (object_class, PROP_AAL2, aal2_pspec ());
  decoder_class->set_format = dp_g726_dec_set_format;
  decoder_class->handle_frame = dp_g726_dec_handle_frame;
  decoder_class->stop = dp_g726_dec_stop;
}

static void
dp_g726_dec_init (DpG726Dec *self)
{
  /* Each RTP payload is whole codes: one buffer, one frame. */
  gst_audio_decoder_set_needs_format (GST_AUDIO_DECODER (self), TRUE);
}

gboolean
dp_gst_g726_register (void)
{
  static gsize done = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&done))
    {
      ok = gst_element_register (NULL, "dpg726enc", GST_RANK_NONE, DP_TYPE_G726_ENC) &&
           gst_element_register (NULL, "dpg726dec", GST_RANK_NONE, DP_TYPE_G726_DEC);
      g_once_init_leave (&done, 1);
    }
  return ok;
}
