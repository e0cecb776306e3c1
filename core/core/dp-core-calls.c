/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The core's half of the call model: one DpLine per extension, the list of
 * current calls, and the routing of dial requests to the call provider. An
 * ended call leaves the list once its end has been announced, so that every
 * listener sees the final state.
 *
 * Three-way conference (SPA "Conf" softkey): the phone mixes two connected
 * calls locally through the media provider; a held leg is resumed. Only
 * local mixing exists: with Conference_Bridge_URL_n_ set the SPA hands the
 * parties to a bridge server instead, which is refused with an error that
 * says so. When one leg ends the other stays connected to the phone alone
 * (the media provider un-mixes it); dp_core_end_conference() (the phone
 * going on-hook) ends every leg. */
#define G_LOG_DOMAIN "dp-core"

#include "dp-core-private.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

void
dp_core_calls_init (DpCore *self, DpCoreCalls *calls)
{
  calls->lines = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 1; i <= DP_CORE_MAX_LINES; i++)
    g_ptr_array_add (calls->lines, dp_line_new (i));
  calls->calls = g_list_store_new (DP_TYPE_CALL);
}

void
dp_core_calls_clear (DpCoreCalls *calls)
{
  g_clear_object (&calls->provider);
  g_clear_object (&calls->media);
  g_clear_object (&calls->subscriber);
  g_clear_object (&calls->calls);
  g_clear_pointer (&calls->lines, g_ptr_array_unref);
}

guint
dp_core_get_n_lines (DpCore *self)
{
  g_return_val_if_fail (DP_IS_CORE (self), 0);

  return dp_core_get_calls_state (self)->lines->len;
}

/**
 * dp_core_get_line:
 * @self: a #DpCore
 * @index: the extension, from 1
 *
 * Returns: (transfer none) (nullable): the line, or %NULL out of range
 */
DpLine *
dp_core_get_line (DpCore *self, guint index)
{
  DpCoreCalls *calls;

  g_return_val_if_fail (DP_IS_CORE (self), NULL);

  calls = dp_core_get_calls_state (self);
  if (index < 1 || index > calls->lines->len)
    return NULL;
  return calls->lines->pdata[index - 1];
}

/**
 * dp_core_get_calls:
 * @self: a #DpCore
 *
 * Returns: (transfer none): the current calls (#DpCall), oldest first
 */
GListModel *
dp_core_get_calls (DpCore *self)
{
  g_return_val_if_fail (DP_IS_CORE (self), NULL);

  return G_LIST_MODEL (dp_core_get_calls_state (self)->calls);
}

/**
 * dp_core_find_call:
 * @self: a #DpCore
 * @id: a call id
 *
 * Returns: (transfer none) (nullable): the call
 */
DpCall *
dp_core_find_call (DpCore *self, const char *id)
{
  GListModel *model = dp_core_get_calls (self);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(DpCall) call = g_list_model_get_item (model, i);

      if (g_strcmp0 (dp_call_get_id (call), id) == 0)
        return call;   /* the list keeps its own reference */
    }
  return NULL;
}

static gboolean
remove_ended_call (gpointer data)
{
  g_autoptr(GObject) pair = data;
  DpCore *core = g_object_get_data (pair, "core");
  DpCall *call = g_object_get_data (pair, "call");
  GListStore *store = dp_core_get_calls_state (core)->calls;
  guint position;

  if (g_list_store_find (store, call, &position))
    g_list_store_remove (store, position);
  return G_SOURCE_REMOVE;
}

/* The legs of the conference, at most two (not counting @except). */
static guint
conference_legs (DpCore *self, DpCall *except, DpCall **legs)
{
  GListModel *model = dp_core_get_calls (self);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(DpCall) call = g_list_model_get_item (model, i);

      if (call != except && dp_call_get_conference (call) && n < 2)
        legs[n++] = call;   /* the list keeps its own reference */
    }
  return n;
}

static void
on_call_state_changed (DpCall *call, int old_state, DpCore *self)
{
  if (dp_call_get_state (call) == DP_CALL_STATE_ENDED && dp_call_get_conference (call))
    {
      /* A leg ended: what is left is an ordinary call (the media
       * provider has put it back on the local device alone). */
      DpCall *legs[2];
      guint n = conference_legs (self, call, legs);

      for (guint i = 0; i < n; i++)
        dp_call_set_conference (legs[i], FALSE);
      dp_call_set_conference (call, FALSE);
    }
  g_signal_emit_by_name (self, "call-changed", call);
  if (dp_call_get_state (call) == DP_CALL_STATE_ENDED && old_state != DP_CALL_STATE_ENDED)
    {
      /* Leave the list from the main loop, after every handler of this
       * emission has seen the final state. */
      GObject *pair = g_object_new (G_TYPE_OBJECT, NULL);

      g_object_set_data_full (pair, "core", g_object_ref (self), g_object_unref);
      g_object_set_data_full (pair, "call", g_object_ref (call), g_object_unref);
      g_signal_handlers_disconnect_by_func (call, on_call_state_changed, self);
      g_idle_add (remove_ended_call, pair);
    }
}

/**
 * dp_core_add_call:
 * @self: a #DpCore
 * @call: a new call (the core takes a reference)
 *
 * For call providers: publishes a call. It is removed by the core after it
 * has ended.
 */
void
dp_core_add_call (DpCore *self, DpCall *call)
{
  g_return_if_fail (DP_IS_CORE (self));
  g_return_if_fail (DP_IS_CALL (call));

  g_list_store_append (dp_core_get_calls_state (self)->calls, call);
  g_signal_connect_object (call, "state-changed", G_CALLBACK (on_call_state_changed), self, 0);
  g_signal_emit_by_name (self, "call-changed", call);
}

/**
 * dp_core_set_call_provider:
 * @self: a #DpCore
 * @provider: (nullable): the plugin object that places calls, or %NULL when
 *   it goes away
 */
void
dp_core_set_call_provider (DpCore *self, DpCallProvider *provider)
{
  DpCoreCalls *calls;

  g_return_if_fail (DP_IS_CORE (self));

  calls = dp_core_get_calls_state (self);
  g_set_object (&calls->provider, provider);
}

/**
 * dp_core_get_call_provider:
 * @self: a #DpCore
 *
 * Returns: (transfer none) (nullable): the call provider
 */
DpCallProvider *
dp_core_get_call_provider (DpCore *self)
{
  g_return_val_if_fail (DP_IS_CORE (self), NULL);

  return dp_core_get_calls_state (self)->provider;
}

/**
 * dp_core_set_media_provider:
 * @self: a #DpCore
 * @provider: (nullable): the plugin object that runs call media, or %NULL
 */
void
dp_core_set_media_provider (DpCore *self, DpMediaProvider *provider)
{
  g_return_if_fail (DP_IS_CORE (self));

  g_set_object (&dp_core_get_calls_state (self)->media, provider);
}

/**
 * dp_core_get_media_provider:
 * @self: a #DpCore
 *
 * Returns: (transfer none) (nullable): the media provider
 */
DpMediaProvider *
dp_core_get_media_provider (DpCore *self)
{
  g_return_val_if_fail (DP_IS_CORE (self), NULL);

  return dp_core_get_calls_state (self)->media;
}

/**
 * dp_core_set_subscriber:
 * @self: a #DpCore
 * @subscriber: (nullable): the plugin object that subscribes to SIP events
 */
void
dp_core_set_subscriber (DpCore *self, DpSubscriber *subscriber)
{
  g_return_if_fail (DP_IS_CORE (self));

  g_set_object (&dp_core_get_calls_state (self)->subscriber, subscriber);
}

/**
 * dp_core_get_subscriber:
 * @self: a #DpCore
 *
 * Returns: (transfer none) (nullable): the subscriber
 */
DpSubscriber *
dp_core_get_subscriber (DpCore *self)
{
  g_return_val_if_fail (DP_IS_CORE (self), NULL);

  return dp_core_get_calls_state (self)->subscriber;
}

/**
 * dp_core_dial:
 * @self: a #DpCore
 * @line: the line, from 1 (0: the first enabled line)
 * @target: a complete number or SIP URI
 * @error: return location for a #GError
 *
 * Returns: (transfer none) (nullable): the new call
 */
DpCall *
dp_core_dial (DpCore *self, guint line, const char *target, GError **error)
{
  DpCallProvider *provider;
  DpConfig *config;

  g_return_val_if_fail (DP_IS_CORE (self), NULL);

  provider = dp_core_get_call_provider (self);
  if (provider == NULL)
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_NO_PROVIDER,
                           _("no plugin places calls (is the sip plugin loaded?)"));
      return NULL;
    }
  config = dp_core_get_config (self);
  if (line == 0)
    {
      for (guint i = 1; i <= dp_core_get_n_lines (self) && line == 0; i++)
        {
          g_autofree char *name = g_strdup_printf ("Line_Enable_%u_", i);
          if (dp_config_get_bool (config, name))
            line = i;
        }
      if (line == 0)
        {
          g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_LINE, _("every line is disabled"));
          return NULL;
        }
    }
  if (dp_core_get_line (self, line) == NULL)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_LINE, _("there is no line %u"), line);
      return NULL;
    }
  if (target == NULL || *target == '\0')
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_BAD_NUMBER, _("nothing to dial"));
      return NULL;
    }
  return dp_call_provider_dial (provider, line, target, error);
}

static DpCall *
conference_leg (DpCore *self, const char *id, GError **error)
{
  DpCall *call = dp_core_find_call (self, id);
  DpCallState state;

  if (call == NULL)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_NOT_FOUND, _("no call with id %s"),
                   id != NULL ? id : "");
      return NULL;
    }
  state = dp_call_get_state (call);
  if (state != DP_CALL_STATE_ACTIVE && state != DP_CALL_STATE_HELD &&
      state != DP_CALL_STATE_REMOTE_HELD)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
                   _("call %s is not connected (%s)"), id, dp_call_state_to_string (state));
      return NULL;
    }
  if (dp_call_get_media_session (call) == NULL)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_NOT_SUPPORTED,
                   _("call %s has no media session to mix"), id);
      return NULL;
    }
  return call;
}

/**
 * dp_core_conference:
 * @self: a #DpCore
 * @call_a: the id of a connected call
 * @call_b: the id of another connected call
 * @error: return location for a #GError
 *
 * Starts the local three-way conference: held legs are resumed and the
 * media provider mixes both calls with the local audio device. Nothing
 * changes when it fails.
 *
 * Returns: %TRUE when the conference runs
 */
gboolean
dp_core_conference (DpCore *self, const char *call_a, const char *call_b, GError **error)
{
  DpConfig *config;
  DpMediaProvider *media;
  DpCall *a, *b, *legs[2];
  g_autofree char *bridge_name = NULL;
  g_autoptr(GError) media_error = NULL;
  const char *bridge;

  g_return_val_if_fail (DP_IS_CORE (self), FALSE);

  config = dp_core_get_config (self);
  if (!dp_config_get_bool (config, "Conference_Serv"))
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_NOT_SUPPORTED,
                           _("conferences are disabled (Conference_Serv is No)"));
      return FALSE;
    }
  if ((a = conference_leg (self, call_a, error)) == NULL ||
      (b = conference_leg (self, call_b, error)) == NULL)
    return FALSE;
  if (a == b)
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
                           _("a conference needs two different calls"));
      return FALSE;
    }
  if (conference_legs (self, NULL, legs) > 0)
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_INVALID_STATE,
                           _("a conference is already in progress"));
      return FALSE;
    }
  bridge_name = g_strdup_printf ("Conference_Bridge_URL_%u_", dp_call_get_line (a));
  bridge = dp_config_get (config, bridge_name);
  if (bridge != NULL && *bridge != '\0')
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_NOT_SUPPORTED,
                   _("%s is set: conferences through a bridge server are not supported, "
                     "clear it to mix locally"), bridge_name);
      return FALSE;
    }
  media = dp_core_get_media_provider (self);
  if (media == NULL)
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_NO_PROVIDER,
                           _("no media plugin is loaded"));
      return FALSE;
    }
  if (!dp_media_provider_join_sessions (media, dp_call_get_media_session (a),
                                        dp_call_get_media_session (b), &media_error))
    {
      /* Reported as a call error, the domain D-Bus clients know. */
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_FAILED, _("cannot mix the calls: %s"),
                   media_error->message);
      return FALSE;
    }
  /* The mix is in place; a held leg joins it once its re-INVITE is
   * answered (the media session keeps mixing across re-negotiation). */
  for (guint i = 0; i < 2; i++)
    {
      DpCall *leg = i == 0 ? a : b;
      g_autoptr(GError) resume_error = NULL;

      if (dp_call_get_state (leg) == DP_CALL_STATE_HELD && !dp_call_resume (leg, &resume_error))
        g_warning ("conference: call %s stays held: %s", dp_call_get_id (leg),
                   resume_error->message);
      dp_call_set_conference (leg, TRUE);
    }
  g_message ("conference of calls %s and %s (local mixing)", dp_call_get_id (a),
             dp_call_get_id (b));
  return TRUE;
}

/**
 * dp_core_end_conference:
 * @self: a #DpCore
 * @error: return location for a #GError
 *
 * The phone hangs up on the conference: every leg ends.
 *
 * Returns: %TRUE when every leg was hung up
 */
gboolean
dp_core_end_conference (DpCore *self, GError **error)
{
  DpCall *legs[2];
  g_autoptr(DpCall) first = NULL;
  g_autoptr(DpCall) second = NULL;
  guint n;
  gboolean ok = TRUE;

  g_return_val_if_fail (DP_IS_CORE (self), FALSE);

  n = conference_legs (self, NULL, legs);
  if (n == 0)
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_NOT_FOUND,
                           _("there is no conference"));
      return FALSE;
    }
  /* Hanging up the first leg un-mixes the second, which may drop it from
   * the list's view of the conference: keep both before hanging up. */
  first = g_object_ref (legs[0]);
  second = n > 1 ? g_object_ref (legs[1]) : NULL;
  if (!dp_call_hangup (first, error))
    ok = FALSE;
  if (second != NULL && !dp_call_hangup (second, ok ? error : NULL))
    ok = FALSE;
  return ok;
}
