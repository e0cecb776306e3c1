/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The call half of org.deskphone.Phone1: Dial, Answer, Hangup, Hold,
 * Resume, Transfer, Conference, SendDtmf, ListCalls, ListLines and the CallChanged
 * signal. Everything goes through the core's call model. */
#define G_LOG_DOMAIN "dp-dbus"

#include "dp-phone-service-private.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

/* "" means the current call: the ringing one when answering, otherwise the
 * newest call that has not ended. */
static DpCall *
resolve_call (DpCore *core, const char *id, gboolean want_ringing, GError **error)
{
  GListModel *calls = dp_core_get_calls (core);
  DpCall *found = NULL;

  if (id != NULL && *id != '\0')
    {
      found = dp_core_find_call (core, id);
      if (found == NULL)
        g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_NOT_FOUND, _("no call with id %s"), id);
      return found;
    }
  for (guint i = g_list_model_get_n_items (calls); i > 0 && found == NULL; i--)
    {
      g_autoptr(DpCall) call = g_list_model_get_item (calls, i - 1);
      DpCallState state = dp_call_get_state (call);

      if (state == DP_CALL_STATE_ENDED)
        continue;
      if (want_ringing && state != DP_CALL_STATE_RINGING)
        continue;
      found = call;
    }
  if (found == NULL)
    g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_NOT_FOUND,
                         want_ringing ? "no call is ringing" : "there is no current call");
  return found;
}

static gboolean
on_handle_dial (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation, guint line,
                const char *target, DpPhoneService *self)
{
  g_autoptr(GError) error = NULL;
  DpCall *call = dp_core_dial (dp_phone_service_get_core (self), line, target, &error);

  if (call == NULL)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    dp_dbus_phone1_complete_dial (skeleton, invocation, dp_call_get_id (call));
  return TRUE;
}

typedef gboolean (*CallAction) (DpCall *call, GError **error);

static void
run_action (GDBusMethodInvocation *invocation, DpPhoneService *self, const char *id,
            gboolean want_ringing, CallAction action)
{
  g_autoptr(GError) error = NULL;
  DpCall *call = resolve_call (dp_phone_service_get_core (self), id, want_ringing, &error);

  if (call == NULL || !action (call, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
on_handle_answer (DpDBusPhone1 *s, GDBusMethodInvocation *invocation, const char *id,
                  DpPhoneService *self)
{
  run_action (invocation, self, id, TRUE, dp_call_answer);
  return TRUE;
}

static gboolean
on_handle_hangup (DpDBusPhone1 *s, GDBusMethodInvocation *invocation, const char *id,
                  DpPhoneService *self)
{
  DpCore *core = dp_phone_service_get_core (self);
  DpCall *current = *id == '\0' ? resolve_call (core, id, FALSE, NULL) : NULL;
  g_autoptr(GError) error = NULL;

  /* The phone hanging up on its conference ends every leg; a leg's own id
   * ends only that leg. */
  if (current == NULL || !dp_call_get_conference (current))
    run_action (invocation, self, id, FALSE, dp_call_hangup);
  else if (!dp_core_end_conference (core, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
  return TRUE;
}

static gboolean
on_handle_conference (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                      const char *call_a, const char *call_b, DpPhoneService *self)
{
  g_autoptr(GError) error = NULL;

  if (!dp_core_conference (dp_phone_service_get_core (self), call_a, call_b, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    dp_dbus_phone1_complete_conference (skeleton, invocation);
  return TRUE;
}

static gboolean
on_handle_hold (DpDBusPhone1 *s, GDBusMethodInvocation *invocation, const char *id,
                DpPhoneService *self)
{
  run_action (invocation, self, id, FALSE, dp_call_hold);
  return TRUE;
}

static gboolean
on_handle_resume (DpDBusPhone1 *s, GDBusMethodInvocation *invocation, const char *id,
                  DpPhoneService *self)
{
  run_action (invocation, self, id, FALSE, dp_call_resume);
  return TRUE;
}

static gboolean
on_handle_transfer (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *id,
                    const char *target, DpPhoneService *self)
{
  g_autoptr(GError) error = NULL;
  DpCore *core = dp_phone_service_get_core (self);
  DpCall *call = resolve_call (core, id, FALSE, &error);
  gboolean ok = FALSE;

  if (call != NULL && g_str_has_prefix (target, "call:"))
    {
      DpCall *other = resolve_call (core, target + 5, FALSE, &error);
      ok = other != NULL && dp_call_transfer_to_call (call, other, &error);
    }
  else if (call != NULL)
    ok = dp_call_transfer (call, target, &error);
  if (!ok)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    dp_dbus_phone1_complete_transfer (skeleton, invocation);
  return TRUE;
}

static gboolean
on_handle_send_dtmf (DpDBusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *id,
                     const char *digits, DpPhoneService *self)
{
  g_autoptr(GError) error = NULL;
  DpCall *call = resolve_call (dp_phone_service_get_core (self), id, FALSE, &error);

  if (call == NULL || !dp_call_send_dtmf (call, digits, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    dp_dbus_phone1_complete_send_dtmf (skeleton, invocation);
  return TRUE;
}

static gboolean
on_handle_list_member (GDBusMethodInvocation *invocation, DpPhoneService *self, const char *member)
{
  g_autoptr(JsonNode) node = dp_core_build_status_member (dp_phone_service_get_core (self), member);
  g_autofree char *json = json_to_string (node, FALSE);

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", json));
  return TRUE;
}

static gboolean
on_handle_list_calls (DpDBusPhone1 *s, GDBusMethodInvocation *invocation, DpPhoneService *self)
{
  return on_handle_list_member (invocation, self, "calls");
}

static gboolean
on_handle_list_lines (DpDBusPhone1 *s, GDBusMethodInvocation *invocation, DpPhoneService *self)
{
  return on_handle_list_member (invocation, self, "lines");
}

static void
on_call_changed (DpCore *core, DpCall *call, DpPhoneService *self)
{
  g_autoptr(JsonNode) node = dp_call_to_json (call);
  g_autofree char *json = json_to_string (node, FALSE);

  dp_dbus_phone1_emit_call_changed (dp_phone_service_get_skeleton (self), json);
}

void
dp_phone_service_connect_calls (DpPhoneService *self)
{
  DpDBusPhone1 *skeleton = dp_phone_service_get_skeleton (self);

  g_signal_connect (skeleton, "handle-dial", G_CALLBACK (on_handle_dial), self);
  g_signal_connect (skeleton, "handle-answer", G_CALLBACK (on_handle_answer), self);
  g_signal_connect (skeleton, "handle-hangup", G_CALLBACK (on_handle_hangup), self);
  g_signal_connect (skeleton, "handle-hold", G_CALLBACK (on_handle_hold), self);
  g_signal_connect (skeleton, "handle-resume", G_CALLBACK (on_handle_resume), self);
  g_signal_connect (skeleton, "handle-transfer", G_CALLBACK (on_handle_transfer), self);
  g_signal_connect (skeleton, "handle-conference", G_CALLBACK (on_handle_conference), self);
  g_signal_connect (skeleton, "handle-send-dtmf", G_CALLBACK (on_handle_send_dtmf), self);
  g_signal_connect (skeleton, "handle-list-calls", G_CALLBACK (on_handle_list_calls), self);
  g_signal_connect (skeleton, "handle-list-lines", G_CALLBACK (on_handle_list_lines), self);
  g_signal_connect_object (dp_phone_service_get_core (self), "call-changed",
                           G_CALLBACK (on_call_changed), self, 0);
}
