/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The media contract between the sip plugin and the media plugin. */
#define G_LOG_DOMAIN "dp-core"

#include "dp-media.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

typedef struct {
  guint line;
  DpSrtpPolicy policy;
  char *codec;
  gboolean secure;
  char *srtp_suite;
} DpMediaSessionPrivate;

enum {
  PROP_0,
  PROP_LINE,
  PROP_POLICY,
  N_PROPS
};

enum {
  SIGNAL_DTMF_RECEIVED,
  SIGNAL_NEGOTIATED,
  SIGNAL_RENEGOTIATION_NEEDED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (dp-media-error-quark, dp_media_error)
G_DEFINE_TYPE_WITH_PRIVATE (DpMediaSession, dp_media_session, G_TYPE_OBJECT)
G_DEFINE_INTERFACE (DpMediaProvider, dp_media_provider, G_TYPE_OBJECT)

#define PRIV(self) ((DpMediaSessionPrivate *) dp_media_session_get_instance_private (self))

static gboolean
unsupported (DpMediaSession *self, GError **error)
{
  g_set_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED,
               _("%s does not implement this"), G_OBJECT_TYPE_NAME (self));
  return FALSE;
}

static char *
default_create_offer (DpMediaSession *self, GError **error)
{
  unsupported (self, error);
  return NULL;
}

static char *
default_create_answer (DpMediaSession *self, const char *offer, GError **error)
{
  unsupported (self, error);
  return NULL;
}

static gboolean
default_set_answer (DpMediaSession *self, const char *answer, GError **error)
{
  return unsupported (self, error);
}

static gboolean
default_set_direction (DpMediaSession *self, DpMediaDirection direction, GError **error)
{
  return unsupported (self, error);
}

static gboolean
default_send_dtmf (DpMediaSession *self, char digit, guint duration_ms, GError **error)
{
  return unsupported (self, error);
}

static void
default_stop (DpMediaSession *self)
{
}

static JsonNode *
default_get_stats (DpMediaSession *self)
{
  return json_node_new (JSON_NODE_NULL);
}

static void
dp_media_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DpMediaSessionPrivate *priv = PRIV (DP_MEDIA_SESSION (object));

  switch (prop_id)
    {
    case PROP_LINE: g_value_set_uint (value, priv->line); break;
    case PROP_POLICY: g_value_set_int (value, priv->policy); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dp_media_session_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  DpMediaSessionPrivate *priv = PRIV (DP_MEDIA_SESSION (object));

  switch (prop_id)
    {
    case PROP_LINE: priv->line = g_value_get_uint (value); break;
    case PROP_POLICY: priv->policy = g_value_get_int (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dp_media_session_finalize (GObject *object)
{
  DpMediaSessionPrivate *priv = PRIV (DP_MEDIA_SESSION (object));

  g_free (priv->codec);
  g_free (priv->srtp_suite);
  G_OBJECT_CLASS (dp_media_session_parent_class)->finalize (object);
}

static void
dp_media_session_class_init (DpMediaSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dp_media_session_get_property;
  object_class->set_property = dp_media_session_set_property;
  object_class->finalize = dp_media_session_finalize;

  klass->create_offer = default_create_offer;
  klass->create_answer = default_create_answer;
  klass->set_answer = default_set_answer;
  klass->set_direction = default_set_direction;
  klass->send_dtmf = default_send_dtmf;
  klass->stop = default_stop;
  klass->get_stats = default_get_stats;

  props[PROP_LINE] = g_param_spec_uint ("line", NULL, NULL, 0, 64, 1,
                                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                        G_PARAM_STATIC_STRINGS);
  props[PROP_POLICY] = g_param_spec_int ("policy", NULL, NULL, DP_SRTP_OFF, DP_SRTP_REQUIRED,
                                         DP_SRTP_OFF,
                                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * DpMediaSession::dtmf-received:
   * @session: the session
   * @digit: the digit (as int: '0'-'9', '*', '#', 'A'-'D')
   */
  signals[SIGNAL_DTMF_RECEIVED] =
    g_signal_new ("dtmf-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  /**
   * DpMediaSession::negotiated:
   * @session: the session
   *
   * Codec or security changed after an offer/answer.
   */
  signals[SIGNAL_NEGOTIATED] =
    g_signal_new ("negotiated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DpMediaSession::renegotiation-needed:
   * @session: the session
   *
   * The media needs a new offer/answer exchange (e.g. its SRTP master key
   * nears the end of its life and the next offer carries a new one): the
   * signalling should send a re-offer made by create_offer() when it can.
   * It may be emitted again while the need lasts.
   */
  signals[SIGNAL_RENEGOTIATION_NEEDED] =
    g_signal_new ("renegotiation-needed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dp_media_session_init (DpMediaSession *self)
{
}

/**
 * dp_media_session_create_offer:
 * @self: a #DpMediaSession
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the SDP offer
 */
char *
dp_media_session_create_offer (DpMediaSession *self, GError **error)
{
  g_return_val_if_fail (DP_IS_MEDIA_SESSION (self), NULL);
  return DP_MEDIA_SESSION_GET_CLASS (self)->create_offer (self, error);
}

/**
 * dp_media_session_create_answer:
 * @self: a #DpMediaSession
 * @offer: the peer's SDP offer
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the SDP answer
 */
char *
dp_media_session_create_answer (DpMediaSession *self, const char *offer, GError **error)
{
  g_return_val_if_fail (DP_IS_MEDIA_SESSION (self), NULL);
  g_return_val_if_fail (offer != NULL, NULL);
  return DP_MEDIA_SESSION_GET_CLASS (self)->create_answer (self, offer, error);
}

gboolean
dp_media_session_set_answer (DpMediaSession *self, const char *answer, GError **error)
{
  g_return_val_if_fail (DP_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (answer != NULL, FALSE);
  return DP_MEDIA_SESSION_GET_CLASS (self)->set_answer (self, answer, error);
}

gboolean
dp_media_session_set_direction (DpMediaSession *self, DpMediaDirection direction, GError **error)
{
  g_return_val_if_fail (DP_IS_MEDIA_SESSION (self), FALSE);
  return DP_MEDIA_SESSION_GET_CLASS (self)->set_direction (self, direction, error);
}

gboolean
dp_media_session_send_dtmf (DpMediaSession *self, char digit, guint duration_ms, GError **error)
{
  g_return_val_if_fail (DP_IS_MEDIA_SESSION (self), FALSE);
  return DP_MEDIA_SESSION_GET_CLASS (self)->send_dtmf (self, digit, duration_ms, error);
}

void
dp_media_session_stop (DpMediaSession *self)
{
  g_return_if_fail (DP_IS_MEDIA_SESSION (self));
  DP_MEDIA_SESSION_GET_CLASS (self)->stop (self);
}

/**
 * dp_media_session_get_stats:
 * @self: a #DpMediaSession
 *
 * Returns: (transfer full): the statistics object (or a JSON null)
 */
JsonNode *
dp_media_session_get_stats (DpMediaSession *self)
{
  g_return_val_if_fail (DP_IS_MEDIA_SESSION (self), NULL);
  return DP_MEDIA_SESSION_GET_CLASS (self)->get_stats (self);
}

guint
dp_media_session_get_line (DpMediaSession *self)
{
  g_return_val_if_fail (DP_IS_MEDIA_SESSION (self), 0);
  return PRIV (self)->line;
}

DpSrtpPolicy
dp_media_session_get_policy (DpMediaSession *self)
{
  g_return_val_if_fail (DP_IS_MEDIA_SESSION (self), DP_SRTP_OFF);
  return PRIV (self)->policy;
}

const char *
dp_media_session_get_codec (DpMediaSession *self)
{
  g_return_val_if_fail (DP_IS_MEDIA_SESSION (self), NULL);
  return PRIV (self)->codec;
}

gboolean
dp_media_session_get_secure (DpMediaSession *self)
{
  g_return_val_if_fail (DP_IS_MEDIA_SESSION (self), FALSE);
  return PRIV (self)->secure;
}

const char *
dp_media_session_get_srtp_suite (DpMediaSession *self)
{
  g_return_val_if_fail (DP_IS_MEDIA_SESSION (self), NULL);
  return PRIV (self)->srtp_suite;
}

void
dp_media_session_set_negotiated (DpMediaSession *self, const char *codec, gboolean secure,
                                 const char *srtp_suite)
{
  DpMediaSessionPrivate *priv;

  g_return_if_fail (DP_IS_MEDIA_SESSION (self));

  priv = PRIV (self);
  g_free (priv->codec);
  priv->codec = g_strdup (codec);
  priv->secure = secure;
  g_free (priv->srtp_suite);
  priv->srtp_suite = g_strdup (srtp_suite);
  g_signal_emit (self, signals[SIGNAL_NEGOTIATED], 0);
}

void
dp_media_session_emit_dtmf (DpMediaSession *self, char digit)
{
  g_return_if_fail (DP_IS_MEDIA_SESSION (self));
  g_signal_emit (self, signals[SIGNAL_DTMF_RECEIVED], 0, (int) digit);
}

/**
 * dp_media_session_request_renegotiation:
 * @self: a session
 *
 * For media plugins: emits #DpMediaSession::renegotiation-needed.
 */
void
dp_media_session_request_renegotiation (DpMediaSession *self)
{
  g_return_if_fail (DP_IS_MEDIA_SESSION (self));
  g_signal_emit (self, signals[SIGNAL_RENEGOTIATION_NEEDED], 0);
}

static void
dp_media_provider_default_init (DpMediaProviderInterface *iface)
{
}

/**
 * dp_media_provider_create_session:
 * @self: a #DpMediaProvider
 * @line: the line, from 1
 * @policy: the SRTP policy for this call
 * @signalling_secure: whether the SIP leg is TLS
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a new session
 */
DpMediaSession *
dp_media_provider_create_session (DpMediaProvider *self, guint line, DpSrtpPolicy policy,
                                  gboolean signalling_secure, GError **error)
{
  DpMediaProviderInterface *iface;

  g_return_val_if_fail (DP_IS_MEDIA_PROVIDER (self), NULL);

  iface = DP_MEDIA_PROVIDER_GET_IFACE (self);
  if (iface->create_session == NULL)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NO_PROVIDER,
                           _("the media provider cannot create sessions"));
      return NULL;
    }
  return iface->create_session (self, line, policy, signalling_secure, error);
}

/**
 * dp_media_provider_play_tone:
 * @self: a #DpMediaProvider
 * @name_or_script: a tone parameter name, `Ring1`..`Ring10`, or a literal
 *   ToneScript or RingScript
 * @error: return location for a #GError
 *
 * Plays a call-progress tone or a ring on the local audio device,
 * replacing what is playing.
 *
 * Returns: %TRUE if it started; %DP_MEDIA_ERROR_NOT_SUPPORTED when the
 *   provider has no tone player
 */
gboolean
dp_media_provider_play_tone (DpMediaProvider *self, const char *name_or_script, GError **error)
{
  DpMediaProviderInterface *iface;

  g_return_val_if_fail (DP_IS_MEDIA_PROVIDER (self), FALSE);
  g_return_val_if_fail (name_or_script != NULL, FALSE);

  iface = DP_MEDIA_PROVIDER_GET_IFACE (self);
  if (iface->play_tone == NULL)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_SUPPORTED,
                           _("the media provider cannot play tones"));
      return FALSE;
    }
  return iface->play_tone (self, name_or_script, error);
}

/**
 * dp_media_provider_stop_tone:
 * @self: a #DpMediaProvider
 *
 * Silences the tone or ring playing, if any (a no-op for providers
 * without tones).
 */
void
dp_media_provider_stop_tone (DpMediaProvider *self)
{
  DpMediaProviderInterface *iface;

  g_return_if_fail (DP_IS_MEDIA_PROVIDER (self));

  iface = DP_MEDIA_PROVIDER_GET_IFACE (self);
  if (iface->stop_tone != NULL)
    iface->stop_tone (self);
}

/**
 * dp_media_provider_join_sessions:
 * @self: a #DpMediaProvider
 * @a: a session of @self
 * @b: another session of @self
 * @error: return location for a #GError
 *
 * Mixes @a and @b with the local audio device (three-way conference, see
 * #DpMediaProviderInterface.join_sessions).
 *
 * Returns: %TRUE once the mix is running; %DP_MEDIA_ERROR_NOT_SUPPORTED
 *   when the provider cannot mix
 */
gboolean
dp_media_provider_join_sessions (DpMediaProvider *self, DpMediaSession *a, DpMediaSession *b,
                                 GError **error)
{
  DpMediaProviderInterface *iface;

  g_return_val_if_fail (DP_IS_MEDIA_PROVIDER (self), FALSE);
  g_return_val_if_fail (DP_IS_MEDIA_SESSION (a), FALSE);
  g_return_val_if_fail (DP_IS_MEDIA_SESSION (b), FALSE);

  iface = DP_MEDIA_PROVIDER_GET_IFACE (self);
  if (iface->join_sessions == NULL)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_SUPPORTED,
                           _("the media provider cannot mix a conference"));
      return FALSE;
    }
  if (a == b)
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_STATE,
                           _("a conference needs two different calls"));
      return FALSE;
    }
  return iface->join_sessions (self, a, b, error);
}
