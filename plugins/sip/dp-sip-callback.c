/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Calling a party again from the call history: call return (*69,
 * `Call_Return_Code`) and call back on busy (*66 / *86,
 * `Call_Back_Act_Code` / `Call_Back_Deact_Code`), spa9x2-reference §4.3
 * and §5.1.
 *
 * Decisions:
 * - Call return calls the peer of the newest received or missed call in
 *   the history (DpCallHistory, newest first). No such call, or an
 *   anonymous one (RFC 3323 From), refuses the dial with an error that
 *   says so.
 * - Call back follows the SPA's polling model (the reference documents no
 *   subscription): *66 takes the newest placed call if it ended busy and
 *   redials it every `Call_Back_Retry_Intvl` seconds (at least 1) until
 *   `Call_Back_Expires` seconds after *66, then gives up. An attempt that
 *   ends busy, also after an 18x (within `Call_Back_Delay` of the first
 *   18x, as the reference says), is a failure and is retried; an attempt
 *   still alerting `Call_Back_Delay` seconds after its first 18x, or
 *   answered, means the party is free: the order is done and the attempt
 *   goes on as an ordinary outgoing call (the SPA rings the local user
 *   first; this phone has no such special ring, so the user hears
 *   ringback). Any other outcome (404, 480, ...) ends the order. One order
 *   per line at a time: a new *66 replaces the old one, *86 cancels it.
 *   `Call_Back_Serv` No makes *66 fail.
 */
#define G_LOG_DOMAIN "dp-sip"

#include "dp-sip-private.h"

#include <string.h>

typedef struct _DpSipCallBack {
  DpSipLine *line;
  char      *uri;
  gint64     deadline;       /* monotonic µs */
  guint      timer_id;       /* next attempt, or Call_Back_Delay */
  DpCall    *attempt;
  gulong     state_handler;
} DpSipCallBack;

static void
call_back_free (DpSipCallBack *cb)
{
  g_clear_handle_id (&cb->timer_id, g_source_remove);
  if (cb->attempt != NULL)
    g_clear_signal_handler (&cb->state_handler, cb->attempt);
  g_clear_object (&cb->attempt);
  g_free (cb->uri);
  g_free (cb);
}

/**
 * dp_sip_line_call_back_cancel:
 *
 * Drops the line's call-back order (a call being placed for it goes on).
 * Returns whether there was one.
 */
gboolean
dp_sip_line_call_back_cancel (DpSipLine *line)
{
  if (line->call_back == NULL)
    return FALSE;
  g_clear_pointer (&line->call_back, call_back_free);
  return TRUE;
}

static void
finish_order (DpSipCallBack *cb, const char *why)
{
  g_message ("line %u: call back to %s: %s", cb->line->index, cb->uri, why);
  dp_sip_line_call_back_cancel (cb->line);
}

static gboolean on_attempt_time (gpointer user_data);

static void
schedule_attempt (DpSipCallBack *cb)
{
  gint64 interval = CLAMP (dp_config_get_int (cb->line->ctx->config, "Call_Back_Retry_Intvl"),
                           1, 255);

  if (g_get_monotonic_time () + interval * G_USEC_PER_SEC > cb->deadline)
    {
      finish_order (cb, "Call_Back_Expires reached, given up");
      return;
    }
  g_message ("line %u: call back to %s: next attempt in %" G_GINT64_FORMAT " s",
             cb->line->index, cb->uri, interval);
  cb->timer_id = g_timeout_add_seconds ((guint) interval, on_attempt_time, cb);
}

static gboolean
on_free_delay (gpointer user_data)
{
  DpSipCallBack *cb = user_data;

  cb->timer_id = 0;
  finish_order (cb, "the party is free (still alerting after Call_Back_Delay), done");
  return G_SOURCE_REMOVE;
}

static void
on_attempt_state (DpCall *call, int old_state, gpointer user_data)
{
  DpSipCallBack *cb = user_data;
  DpCallState state = dp_call_get_state (call);

  switch (state)
    {
    case DP_CALL_STATE_RINGBACK:
      if (cb->timer_id == 0)
        {
          double delay = dp_config_get_double (cb->line->ctx->config, "Call_Back_Delay");

          cb->timer_id = g_timeout_add ((guint) (CLAMP (delay, 0, 255) * 1000), on_free_delay,
                                        cb);
        }
      break;
    case DP_CALL_STATE_ACTIVE:
      finish_order (cb, "answered, done");
      break;
    case DP_CALL_STATE_ENDED:
      g_clear_handle_id (&cb->timer_id, g_source_remove);
      g_clear_signal_handler (&cb->state_handler, cb->attempt);
      g_clear_object (&cb->attempt);
      if (g_strcmp0 (dp_call_get_end_reason (call), "busy") == 0)
        schedule_attempt (cb);
      else
        {
          g_autofree char *why = g_strdup_printf ("attempt ended (%s), given up",
                                                  dp_call_get_end_reason (call));

          finish_order (cb, why);
        }
      break;
    default:
      break;
    }
}

static gboolean
on_attempt_time (gpointer user_data)
{
  DpSipCallBack *cb = user_data;
  g_autoptr(GError) error = NULL;
  DpSipCall *call;

  cb->timer_id = 0;
  call = cb->line->agent != NULL ? dp_sip_call_new_outgoing (cb->line, cb->uri, &error) : NULL;
  if (call == NULL)
    {
      g_autofree char *why = g_strdup_printf ("cannot call (%s), given up",
                                              error ? error->message : "line not in service");

      finish_order (cb, why);
      return G_SOURCE_REMOVE;
    }
  g_message ("line %u: call back to %s: attempt (call %s)", cb->line->index, cb->uri,
             dp_call_get_id (DP_CALL (call)));
  cb->attempt = DP_CALL (call);   /* new_outgoing's reference */
  cb->state_handler = g_signal_connect (call, "state-changed", G_CALLBACK (on_attempt_state),
                                        cb);
  return G_SOURCE_REMOVE;
}

/**
 * dp_sip_line_call_back_start:
 *
 * *66: orders a call back to the newest placed call when it ended busy.
 */
gboolean
dp_sip_line_call_back_start (DpSipLine *line, GError **error)
{
  DpCallHistory *history = dp_core_get_call_history (line->ctx->core);
  const DpCallHistoryEntry *last =
    history != NULL ? dp_call_history_last_of_kind (history, DP_CALL_HISTORY_PLACED) : NULL;
  DpSipCallBack *cb;

  if (!dp_config_get_bool (line->ctx->config, "Call_Back_Serv"))
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_FAILED,
                           _("call back is disabled (Call_Back_Serv is No)"));
      return FALSE;
    }
  if (last == NULL || g_strcmp0 (last->end_reason, "busy") != 0)
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_FAILED,
                           _("call back: the last placed call did not end busy"));
      return FALSE;
    }
  dp_sip_line_call_back_cancel (line);
  cb = g_new0 (DpSipCallBack, 1);
  cb->line = line;
  cb->uri = g_strdup (last->peer);
  cb->deadline = g_get_monotonic_time () +
    CLAMP (dp_config_get_int (line->ctx->config, "Call_Back_Expires"), 0, 65535) * G_USEC_PER_SEC;
  line->call_back = cb;
  g_message ("line %u: call back to %s ordered", line->index, cb->uri);
  schedule_attempt (cb);
  return TRUE;
}

/**
 * dp_sip_line_call_return_target:
 *
 * *69: the peer of the newest received or missed call.
 */
char *
dp_sip_line_call_return_target (DpSipLine *line, GError **error)
{
  DpCallHistory *history = dp_core_get_call_history (line->ctx->core);
  guint n = history != NULL ? dp_call_history_get_n_entries (history) : 0;

  for (guint i = 0; i < n; i++)
    {
      const DpCallHistoryEntry *entry = dp_call_history_get_entry (history, i);

      if (entry->kind == DP_CALL_HISTORY_PLACED)
        continue;
      if (entry->peer == NULL || *entry->peer == '\0' ||
          g_ascii_strncasecmp (entry->peer, "sip:anonymous@", 14) == 0 ||
          strstr (entry->peer, "anonymous.invalid") != NULL)
        {
          g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_FAILED,
                               _("call return: the last caller withheld their identity"));
          return NULL;
        }
      return g_strdup (entry->peer);
    }
  g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_FAILED,
                       _("call return: no received or missed call in the history"));
  return NULL;
}
