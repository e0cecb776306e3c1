/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpCall: a call as the rest of the phone sees it. The plugin that signals
 * the call subclasses it and implements the requests; state changes are
 * published through the "state" property and the "state-changed" signal. */
#define G_LOG_DOMAIN "dp-core"

#include "dp-call.h"

#include <string.h>
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

typedef struct {
  char *id;
  guint line;
  DpCallDirection direction;
  DpCallState state;
  char *peer;
  char *peer_name;
  char *end_reason;
  char *codec;
  gboolean secure;
  char *srtp_suite;
  gint64 started_at;
  gint64 connected_at;
  JsonNode *stats;
  DpMediaSession *media_session;
  gboolean conference;
} DpCallPrivate;

enum {
  PROP_0,
  PROP_ID,
  PROP_LINE,
  PROP_DIRECTION,
  PROP_STATE,
  PROP_PEER,
  N_PROPS
};

enum {
  SIGNAL_STATE_CHANGED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_TYPE_WITH_PRIVATE (DpCall, dp_call, G_TYPE_OBJECT)
G_DEFINE_QUARK (dp-call-error-quark, dp_call_error)

const char *
dp_call_state_to_string (DpCallState state)
{
  static const char * const names[] = {
    "dialing", "proceeding", "ringback", "ringing", "active", "held", "remote-held", "ended",
  };

  return (guint) state < G_N_ELEMENTS (names) ? names[state] : "unknown";
}

/**
 * dp_call_state_label:
 * @state: a #DpCallState
 *
 * What people are shown for @state (a screen, a web page, deskphonectl's
 * listings), in the process language. Status JSON and D-Bus values keep
 * the stable identifiers of dp_call_state_to_string().
 *
 * Returns: the translated label, "" for a value outside the enumeration
 */
const char *
dp_call_state_label (DpCallState state)
{
  switch (state)
    {
    case DP_CALL_STATE_DIALING: return _("Calling");
    case DP_CALL_STATE_PROCEEDING: return _("Proceeding");
    case DP_CALL_STATE_RINGBACK: return _("Ringing back");
    case DP_CALL_STATE_RINGING: return _("Incoming call");
    case DP_CALL_STATE_ACTIVE: return _("Connected");
    case DP_CALL_STATE_HELD: return _("On hold");
    case DP_CALL_STATE_REMOTE_HELD: return _("Held by the other party");
    case DP_CALL_STATE_ENDED: return _("Call ended");
    default: return "";
    }
}

/**
 * dp_call_state_from_string:
 * @text: an identifier of dp_call_state_to_string(), e.g. from the status JSON
 * @state: (out): the state
 *
 * Returns: %TRUE if @text names a state
 */
gboolean
dp_call_state_from_string (const char *text, DpCallState *state)
{
  g_return_val_if_fail (state != NULL, FALSE);

  for (DpCallState s = DP_CALL_STATE_DIALING; text != NULL && s <= DP_CALL_STATE_ENDED; s++)
    if (g_str_equal (text, dp_call_state_to_string (s)))
      {
        *state = s;
        return TRUE;
      }
  return FALSE;
}

/**
 * dp_call_end_reason_label:
 * @reason: (nullable): a #DpCall:end-reason, e.g. from the status or history JSON
 *
 * What people are shown for an end reason: a translated label for the
 * reasons the providers name ("hangup", "remote-hangup", "busy",
 * "rejected", "cancelled", "transferred", "replaced", "forwarded",
 * "no media", "ended"); anything else (a SIP status line such as "486 Busy Here")
 * as it is. The JSON keeps the reason itself.
 *
 * Returns: the label
 */
const char *
dp_call_end_reason_label (const char *reason)
{
  static const struct { const char *reason, *label; } labels[] = {
    { "hangup", N_("Hung up") },
    { "remote-hangup", N_("The other party hung up") },
    { "busy", N_("Busy") },
    { "rejected", N_("Rejected") },
    { "cancelled", N_("Cancelled") },
    { "transferred", N_("Transferred") },
    { "replaced", N_("Replaced by another call") },
    { "forwarded", N_("Forwarded") },
    { "no media", N_("No common media") },
    { "ended", N_("Ended") },
  };

  for (guint i = 0; reason != NULL && i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (reason, labels[i].reason))
      return _(labels[i].label);
  return reason != NULL ? reason : "";
}

const char *
dp_call_direction_to_string (DpCallDirection direction)
{
  return direction == DP_CALL_INCOMING ? "incoming" : "outgoing";
}

static gboolean
not_supported (DpCall *self, const char *what, GError **error)
{
  g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_NOT_SUPPORTED,
               _("%s cannot %s this call"), G_OBJECT_TYPE_NAME (self), what);
  return FALSE;
}

static gboolean
default_answer (DpCall *self, GError **error)
{
  return not_supported (self, "answer", error);
}

static gboolean
default_hangup (DpCall *self, GError **error)
{
  return not_supported (self, "hang up", error);
}

static gboolean
default_hold (DpCall *self, GError **error)
{
  return not_supported (self, "hold", error);
}

static gboolean
default_resume (DpCall *self, GError **error)
{
  return not_supported (self, "resume", error);
}

static gboolean
default_transfer (DpCall *self, const char *target, GError **error)
{
  return not_supported (self, "transfer", error);
}

static gboolean
default_transfer_to_call (DpCall *self, DpCall *other, GError **error)
{
  return not_supported (self, "transfer", error);
}

static gboolean
default_send_dtmf (DpCall *self, const char *digits, GError **error)
{
  return not_supported (self, "send DTMF on", error);
}

static void
dp_call_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DpCallPrivate *priv = dp_call_get_instance_private (DP_CALL (object));

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, priv->id); break;
    case PROP_LINE: g_value_set_uint (value, priv->line); break;
    case PROP_DIRECTION: g_value_set_int (value, priv->direction); break;
    case PROP_STATE: g_value_set_int (value, priv->state); break;
    case PROP_PEER: g_value_set_string (value, priv->peer); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dp_call_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DpCallPrivate *priv = dp_call_get_instance_private (DP_CALL (object));

  switch (prop_id)
    {
    case PROP_ID: priv->id = g_value_dup_string (value); break;
    case PROP_LINE: priv->line = g_value_get_uint (value); break;
    case PROP_DIRECTION: priv->direction = g_value_get_int (value); break;
    case PROP_PEER: priv->peer = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dp_call_constructed (GObject *object)
{
  DpCallPrivate *priv = dp_call_get_instance_private (DP_CALL (object));
  static guint next_id = 1;

  G_OBJECT_CLASS (dp_call_parent_class)->constructed (object);
  if (priv->id == NULL)
    priv->id = g_strdup_printf ("%u", next_id++);
  priv->state = priv->direction == DP_CALL_INCOMING ? DP_CALL_STATE_RINGING
                                                    : DP_CALL_STATE_DIALING;
  priv->started_at = g_get_real_time () / G_USEC_PER_SEC;
}

static void
dp_call_finalize (GObject *object)
{
  DpCallPrivate *priv = dp_call_get_instance_private (DP_CALL (object));

  g_free (priv->id);
  g_free (priv->peer);
  g_free (priv->peer_name);
  g_free (priv->end_reason);
  g_free (priv->codec);
  g_free (priv->srtp_suite);
  g_clear_pointer (&priv->stats, json_node_unref);
  g_clear_object (&priv->media_session);
  G_OBJECT_CLASS (dp_call_parent_class)->finalize (object);
}

static void
dp_call_class_init (DpCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dp_call_get_property;
  object_class->set_property = dp_call_set_property;
  object_class->constructed = dp_call_constructed;
  object_class->finalize = dp_call_finalize;

  klass->answer = default_answer;
  klass->hangup = default_hangup;
  klass->hold = default_hold;
  klass->resume = default_resume;
  klass->transfer = default_transfer;
  klass->transfer_to_call = default_transfer_to_call;
  klass->send_dtmf = default_send_dtmf;

  props[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL,
                                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                        G_PARAM_STATIC_STRINGS);
  props[PROP_LINE] = g_param_spec_uint ("line", NULL, NULL, 0, 64, 1,
                                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                        G_PARAM_STATIC_STRINGS);
  props[PROP_DIRECTION] = g_param_spec_int ("direction", NULL, NULL, DP_CALL_OUTGOING,
                                            DP_CALL_INCOMING, DP_CALL_OUTGOING,
                                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                            G_PARAM_STATIC_STRINGS);
  props[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, DP_CALL_STATE_DIALING,
                                        DP_CALL_STATE_ENDED, DP_CALL_STATE_DIALING,
                                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                        G_PARAM_STATIC_STRINGS);
  props[PROP_PEER] = g_param_spec_string ("peer", NULL, NULL, NULL,
                                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                          G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * DpCall::state-changed:
   * @call: the call
   * @old_state: the previous #DpCallState (as int)
   *
   * Emitted after every state change (also for changes of peer or media
   * details that the status shows, with @old_state equal to the state).
   */
  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
dp_call_init (DpCall *self)
{
}

#define PRIV(self) ((DpCallPrivate *) dp_call_get_instance_private (self))

const char *
dp_call_get_id (DpCall *self)
{
  g_return_val_if_fail (DP_IS_CALL (self), NULL);
  return PRIV (self)->id;
}

guint
dp_call_get_line (DpCall *self)
{
  g_return_val_if_fail (DP_IS_CALL (self), 0);
  return PRIV (self)->line;
}

DpCallDirection
dp_call_get_direction (DpCall *self)
{
  g_return_val_if_fail (DP_IS_CALL (self), DP_CALL_OUTGOING);
  return PRIV (self)->direction;
}

DpCallState
dp_call_get_state (DpCall *self)
{
  g_return_val_if_fail (DP_IS_CALL (self), DP_CALL_STATE_ENDED);
  return PRIV (self)->state;
}

const char *
dp_call_get_peer (DpCall *self)
{
  g_return_val_if_fail (DP_IS_CALL (self), NULL);
  return PRIV (self)->peer;
}

const char *
dp_call_get_peer_name (DpCall *self)
{
  g_return_val_if_fail (DP_IS_CALL (self), NULL);
  return PRIV (self)->peer_name;
}

const char *
dp_call_get_end_reason (DpCall *self)
{
  g_return_val_if_fail (DP_IS_CALL (self), NULL);
  return PRIV (self)->end_reason;
}

const char *
dp_call_get_codec (DpCall *self)
{
  g_return_val_if_fail (DP_IS_CALL (self), NULL);
  return PRIV (self)->codec;
}

gboolean
dp_call_get_secure (DpCall *self)
{
  g_return_val_if_fail (DP_IS_CALL (self), FALSE);
  return PRIV (self)->secure;
}

const char *
dp_call_get_srtp_suite (DpCall *self)
{
  g_return_val_if_fail (DP_IS_CALL (self), NULL);
  return PRIV (self)->srtp_suite;
}

gint64
dp_call_get_started_at (DpCall *self)
{
  g_return_val_if_fail (DP_IS_CALL (self), 0);
  return PRIV (self)->started_at;
}

gint64
dp_call_get_connected_at (DpCall *self)
{
  g_return_val_if_fail (DP_IS_CALL (self), 0);
  return PRIV (self)->connected_at;
}

static gboolean
check_not_ended (DpCall *self, GError **error)
{
  if (PRIV (self)->state != DP_CALL_STATE_ENDED)
    return TRUE;
  g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
               _("call %s has ended"), PRIV (self)->id);
  return FALSE;
}

gboolean
dp_call_answer (DpCall *self, GError **error)
{
  g_return_val_if_fail (DP_IS_CALL (self), FALSE);

  if (PRIV (self)->state != DP_CALL_STATE_RINGING)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
                   _("call %s is %s, not ringing"), PRIV (self)->id,
                   dp_call_state_to_string (PRIV (self)->state));
      return FALSE;
    }
  return DP_CALL_GET_CLASS (self)->answer (self, error);
}

gboolean
dp_call_hangup (DpCall *self, GError **error)
{
  g_return_val_if_fail (DP_IS_CALL (self), FALSE);

  return check_not_ended (self, error) && DP_CALL_GET_CLASS (self)->hangup (self, error);
}

gboolean
dp_call_hold (DpCall *self, GError **error)
{
  g_return_val_if_fail (DP_IS_CALL (self), FALSE);

  if (PRIV (self)->state != DP_CALL_STATE_ACTIVE && PRIV (self)->state != DP_CALL_STATE_REMOTE_HELD)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
                   _("call %s is %s, not connected"), PRIV (self)->id,
                   dp_call_state_to_string (PRIV (self)->state));
      return FALSE;
    }
  return DP_CALL_GET_CLASS (self)->hold (self, error);
}

gboolean
dp_call_resume (DpCall *self, GError **error)
{
  g_return_val_if_fail (DP_IS_CALL (self), FALSE);

  if (PRIV (self)->state != DP_CALL_STATE_HELD)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
                   _("call %s is %s, not held"), PRIV (self)->id,
                   dp_call_state_to_string (PRIV (self)->state));
      return FALSE;
    }
  return DP_CALL_GET_CLASS (self)->resume (self, error);
}

gboolean
dp_call_transfer (DpCall *self, const char *target, GError **error)
{
  g_return_val_if_fail (DP_IS_CALL (self), FALSE);

  if (target == NULL || *target == '\0')
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_BAD_NUMBER,
                           _("a transfer needs a target"));
      return FALSE;
    }
  return check_not_ended (self, error) &&
         DP_CALL_GET_CLASS (self)->transfer (self, target, error);
}

gboolean
dp_call_transfer_to_call (DpCall *self, DpCall *other, GError **error)
{
  g_return_val_if_fail (DP_IS_CALL (self), FALSE);
  g_return_val_if_fail (DP_IS_CALL (other), FALSE);

  return check_not_ended (self, error) && check_not_ended (other, error) &&
         DP_CALL_GET_CLASS (self)->transfer_to_call (self, other, error);
}

gboolean
dp_call_send_dtmf (DpCall *self, const char *digits, GError **error)
{
  g_return_val_if_fail (DP_IS_CALL (self), FALSE);

  for (const char *d = digits; d != NULL && *d != '\0'; d++)
    if (!g_ascii_isdigit (*d) && !strchr ("*#ABCDabcd", *d))
      {
        g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_BAD_NUMBER,
                     _("'%c' is not a DTMF digit (0-9, *, #, A-D)"), *d);
        return FALSE;
      }
  if (digits == NULL || *digits == '\0')
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_BAD_NUMBER, _("no DTMF digits"));
      return FALSE;
    }
  return check_not_ended (self, error) &&
         DP_CALL_GET_CLASS (self)->send_dtmf (self, digits, error);
}

static void
emit_changed (DpCall *self, DpCallState old_state)
{
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, (int) old_state);
}

/**
 * dp_call_set_state:
 * @self: a #DpCall
 * @state: the new state
 * @end_reason: (nullable): for %DP_CALL_STATE_ENDED, why ("hangup", "busy",
 *   "rejected", "cancelled", "486 Busy Here" ...)
 *
 * For providers. Ended is final: later changes are ignored.
 */
void
dp_call_set_state (DpCall *self, DpCallState state, const char *end_reason)
{
  DpCallPrivate *priv;
  DpCallState old_state;

  g_return_if_fail (DP_IS_CALL (self));

  priv = PRIV (self);
  if (priv->state == state || priv->state == DP_CALL_STATE_ENDED)
    return;
  old_state = priv->state;
  priv->state = state;
  if (state == DP_CALL_STATE_ACTIVE && priv->connected_at == 0)
    priv->connected_at = g_get_real_time () / G_USEC_PER_SEC;
  if (state == DP_CALL_STATE_ENDED)
    {
      g_free (priv->end_reason);
      priv->end_reason = g_strdup (end_reason ? end_reason : "ended");
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
  emit_changed (self, old_state);
}

void
dp_call_set_peer (DpCall *self, const char *peer, const char *peer_name)
{
  DpCallPrivate *priv;

  g_return_if_fail (DP_IS_CALL (self));

  priv = PRIV (self);
  g_free (priv->peer);
  priv->peer = g_strdup (peer);
  g_free (priv->peer_name);
  priv->peer_name = g_strdup (peer_name);
  emit_changed (self, priv->state);
}

void
dp_call_set_media (DpCall *self, const char *codec, gboolean secure, const char *srtp_suite)
{
  DpCallPrivate *priv;

  g_return_if_fail (DP_IS_CALL (self));

  priv = PRIV (self);
  g_free (priv->codec);
  priv->codec = g_strdup (codec);
  priv->secure = secure;
  g_free (priv->srtp_suite);
  priv->srtp_suite = g_strdup (srtp_suite);
  emit_changed (self, priv->state);
}

/**
 * dp_call_set_stats:
 * @self: a #DpCall
 * @stats: (transfer none) (nullable): RTP statistics object for status
 */
void
dp_call_set_stats (DpCall *self, JsonNode *stats)
{
  DpCallPrivate *priv;

  g_return_if_fail (DP_IS_CALL (self));

  priv = PRIV (self);
  g_clear_pointer (&priv->stats, json_node_unref);
  if (stats != NULL)
    priv->stats = json_node_copy (stats);
}

static void
add_string_or_null (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * dp_call_get_media_session:
 * @self: a #DpCall
 *
 * Returns: (transfer none) (nullable): the session carrying the call's
 *   audio, as published by the provider
 */
DpMediaSession *
dp_call_get_media_session (DpCall *self)
{
  g_return_val_if_fail (DP_IS_CALL (self), NULL);
  return PRIV (self)->media_session;
}

/**
 * dp_call_set_media_session:
 * @self: a #DpCall
 * @session: (nullable): the call's media session, %NULL once it stopped
 *
 * For providers.
 */
void
dp_call_set_media_session (DpCall *self, DpMediaSession *session)
{
  g_return_if_fail (DP_IS_CALL (self));
  g_set_object (&PRIV (self)->media_session, session);
}

/**
 * dp_call_get_conference:
 * @self: a #DpCall
 *
 * Returns: whether the call is a leg of the phone's local conference
 */
gboolean
dp_call_get_conference (DpCall *self)
{
  g_return_val_if_fail (DP_IS_CALL (self), FALSE);
  return PRIV (self)->conference;
}

/**
 * dp_call_set_conference:
 * @self: a #DpCall
 * @conference: whether the call is now a conference leg
 *
 * For the core (dp_core_conference()); announced like a state change.
 */
void
dp_call_set_conference (DpCall *self, gboolean conference)
{
  DpCallPrivate *priv;

  g_return_if_fail (DP_IS_CALL (self));
  priv = PRIV (self);
  if (priv->conference == !!conference)
    return;
  priv->conference = !!conference;
  emit_changed (self, priv->state);
}

/**
 * dp_call_to_json:
 * @self: a #DpCall
 *
 * Returns: (transfer full): the call's status entry (architecture §4.3)
 */
JsonNode *
dp_call_to_json (DpCall *self)
{
  DpCallPrivate *priv = PRIV (self);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string_or_null (builder, "id", priv->id);
  json_builder_set_member_name (builder, "line");
  json_builder_add_int_value (builder, priv->line);
  add_string_or_null (builder, "direction", dp_call_direction_to_string (priv->direction));
  add_string_or_null (builder, "state", dp_call_state_to_string (priv->state));
  add_string_or_null (builder, "peer", priv->peer);
  add_string_or_null (builder, "peer_name", priv->peer_name);
  add_string_or_null (builder, "codec", priv->codec);
  json_builder_set_member_name (builder, "secure");
  json_builder_add_boolean_value (builder, priv->secure);
  add_string_or_null (builder, "srtp_suite", priv->srtp_suite);
  json_builder_set_member_name (builder, "conference");
  json_builder_add_boolean_value (builder, priv->conference);
  add_string_or_null (builder, "end_reason", priv->end_reason);
  json_builder_set_member_name (builder, "started_at");
  json_builder_add_int_value (builder, priv->started_at);
  json_builder_set_member_name (builder, "connected_at");
  json_builder_add_int_value (builder, priv->connected_at);
  json_builder_set_member_name (builder, "rtp");
  if (priv->stats != NULL)
    json_builder_add_value (builder, json_node_copy (priv->stats));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
