/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpLine: one extension's live state (the configuration is in DpConfig). */
#define G_LOG_DOMAIN "dp-core"

#include "dp-build-config.h"
#include "dp-line.h"

#include <glib/gi18n-lib.h>

struct _DpLine {
  GObject parent_instance;

  guint index;
  DpRegistrationState state;
  char *last_error;
  gint64 registered_at;
  gint64 expires_at;
  gboolean message_waiting;
};

enum {
  PROP_0,
  PROP_INDEX,
  PROP_REGISTRATION_STATE,
  PROP_LAST_ERROR,
  PROP_EXPIRES_AT,
  PROP_MESSAGE_WAITING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (DpLine, dp_line, G_TYPE_OBJECT)

const char *
dp_registration_state_to_string (DpRegistrationState state)
{
  switch (state)
    {
    case DP_REGISTRATION_DISABLED: return "disabled";
    case DP_REGISTRATION_NONE: return "not-registered";
    case DP_REGISTRATION_REGISTERING: return "registering";
    case DP_REGISTRATION_REGISTERED: return "registered";
    case DP_REGISTRATION_FAILED: return "failed";
    default: return "unknown";
    }
}

/**
 * dp_registration_state_label:
 * @state: a #DpRegistrationState
 *
 * What people are shown for @state, in the process language; status JSON
 * and D-Bus values keep the identifiers of dp_registration_state_to_string().
 *
 * Returns: the translated label, "" for a value outside the enumeration
 */
const char *
dp_registration_state_label (DpRegistrationState state)
{
  switch (state)
    {
    case DP_REGISTRATION_DISABLED: return _("Disabled");
    case DP_REGISTRATION_NONE: return _("Not registered");
    case DP_REGISTRATION_REGISTERING: return _("Registering");
    case DP_REGISTRATION_REGISTERED: return _("Registered");
    case DP_REGISTRATION_FAILED: return _("Registration failed");
    default: return "";
    }
}

/**
 * dp_registration_label:
 * @identifier: the "registration" member of a line in the status
 *
 * The label people are shown for @identifier: dp_registration_state_label()
 * for the states, a label for %DP_REGISTRATION_UNAVAILABLE, else
 * @identifier itself.
 *
 * Returns: the translated label
 */
const char *
dp_registration_label (const char *identifier)
{
  DpRegistrationState state;

  if (dp_registration_state_from_string (identifier, &state))
    return dp_registration_state_label (state);
  if (g_strcmp0 (identifier, DP_REGISTRATION_UNAVAILABLE) == 0)
    return _("Unavailable (no SIP plugin)");
  return identifier;
}

/**
 * dp_registration_state_from_string:
 * @text: an identifier of dp_registration_state_to_string()
 * @state: (out): the state
 *
 * Returns: %TRUE if @text names a state
 */
gboolean
dp_registration_state_from_string (const char *text, DpRegistrationState *state)
{
  g_return_val_if_fail (state != NULL, FALSE);

  for (DpRegistrationState s = DP_REGISTRATION_DISABLED; text != NULL && s <= DP_REGISTRATION_FAILED; s++)
    if (g_str_equal (text, dp_registration_state_to_string (s)))
      {
        *state = s;
        return TRUE;
      }
  return FALSE;
}

static void
dp_line_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DpLine *self = DP_LINE (object);

  switch (prop_id)
    {
    case PROP_INDEX: g_value_set_uint (value, self->index); break;
    case PROP_REGISTRATION_STATE: g_value_set_int (value, self->state); break;
    case PROP_LAST_ERROR: g_value_set_string (value, self->last_error); break;
    case PROP_EXPIRES_AT: g_value_set_int64 (value, self->expires_at); break;
    case PROP_MESSAGE_WAITING: g_value_set_boolean (value, self->message_waiting); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dp_line_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DpLine *self = DP_LINE (object);

  switch (prop_id)
    {
    case PROP_INDEX: self->index = g_value_get_uint (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dp_line_finalize (GObject *object)
{
  g_free (DP_LINE (object)->last_error);
  G_OBJECT_CLASS (dp_line_parent_class)->finalize (object);
}

static void
dp_line_class_init (DpLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dp_line_get_property;
  object_class->set_property = dp_line_set_property;
  object_class->finalize = dp_line_finalize;

  props[PROP_INDEX] = g_param_spec_uint ("index", NULL, NULL, 1, 64, 1,
                                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                         G_PARAM_STATIC_STRINGS);
  /* An int, not an enum GType, so that a plain "notify::registration-state"
   * works from every language binding. */
  props[PROP_REGISTRATION_STATE] =
    g_param_spec_int ("registration-state", NULL, NULL, DP_REGISTRATION_DISABLED,
                      DP_REGISTRATION_FAILED, DP_REGISTRATION_DISABLED,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  props[PROP_EXPIRES_AT] = g_param_spec_int64 ("expires-at", NULL, NULL, 0, G_MAXINT64, 0,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                               G_PARAM_STATIC_STRINGS);
  props[PROP_MESSAGE_WAITING] = g_param_spec_boolean ("message-waiting", NULL, NULL, FALSE,
                                                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                      G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
dp_line_init (DpLine *self)
{
}

DpLine *
dp_line_new (guint index)
{
  return g_object_new (DP_TYPE_LINE, "index", index, NULL);
}

guint
dp_line_get_index (DpLine *self)
{
  g_return_val_if_fail (DP_IS_LINE (self), 0);
  return self->index;
}

DpRegistrationState
dp_line_get_registration_state (DpLine *self)
{
  g_return_val_if_fail (DP_IS_LINE (self), DP_REGISTRATION_DISABLED);
  return self->state;
}

const char *
dp_line_get_last_error (DpLine *self)
{
  g_return_val_if_fail (DP_IS_LINE (self), NULL);
  return self->last_error;
}

gint64
dp_line_get_registered_at (DpLine *self)
{
  g_return_val_if_fail (DP_IS_LINE (self), 0);
  return self->registered_at;
}

gint64
dp_line_get_expires_at (DpLine *self)
{
  g_return_val_if_fail (DP_IS_LINE (self), 0);
  return self->expires_at;
}

gboolean
dp_line_get_message_waiting (DpLine *self)
{
  g_return_val_if_fail (DP_IS_LINE (self), FALSE);
  return self->message_waiting;
}

/**
 * dp_line_set_registration:
 * @self: a #DpLine
 * @state: the new state
 * @last_error: (nullable): why the last attempt failed (kept until a success)
 *
 * For the SIP provider.
 */
void
dp_line_set_registration (DpLine *self, DpRegistrationState state, const char *last_error)
{
  g_return_if_fail (DP_IS_LINE (self));

  if (state == DP_REGISTRATION_REGISTERED && self->state != DP_REGISTRATION_REGISTERED)
    self->registered_at = g_get_real_time () / G_USEC_PER_SEC;
  if (state == DP_REGISTRATION_REGISTERED)
    last_error = NULL;
  if (g_strcmp0 (self->last_error, last_error) != 0 &&
      (last_error != NULL || state == DP_REGISTRATION_REGISTERED))
    {
      g_free (self->last_error);
      self->last_error = g_strdup (last_error);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LAST_ERROR]);
    }
  if (self->state != state)
    {
      self->state = state;
      if (state != DP_REGISTRATION_REGISTERED)
        dp_line_set_expires_at (self, 0);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REGISTRATION_STATE]);
    }
}

void
dp_line_set_expires_at (DpLine *self, gint64 unix_time)
{
  g_return_if_fail (DP_IS_LINE (self));

  if (self->expires_at == unix_time)
    return;
  self->expires_at = unix_time;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EXPIRES_AT]);
}

void
dp_line_set_message_waiting (DpLine *self, gboolean waiting)
{
  g_return_if_fail (DP_IS_LINE (self));

  waiting = !!waiting;
  if (self->message_waiting == waiting)
    return;
  self->message_waiting = waiting;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MESSAGE_WAITING]);
}

/**
 * dp_line_to_json:
 * @self: a #DpLine
 *
 * Returns: (transfer full): the live part of the line's status entry
 */
JsonNode *
dp_line_to_json (DpLine *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, self->index);
  json_builder_set_member_name (builder, "registration");
  json_builder_add_string_value (builder, dp_registration_state_to_string (self->state));
  json_builder_set_member_name (builder, "last_error");
  if (self->last_error != NULL)
    json_builder_add_string_value (builder, self->last_error);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "registered_at");
  json_builder_add_int_value (builder, self->registered_at);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_int_value (builder, self->expires_at);
  json_builder_set_member_name (builder, "message_waiting");
  json_builder_add_boolean_value (builder, self->message_waiting);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
