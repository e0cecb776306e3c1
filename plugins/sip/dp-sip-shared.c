/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Shared line appearance (spa9x2-reference §8.2): a line whose
 * `Share_Ext_n_` is `shared` watches the calls of the shared AOR
 * (`Shared_User_ID_n_`) so that every sharing station shows them.
 *
 * Decisions:
 * - The reference leaves the event package UNCONFIRMED (Broadsoft's SCA
 *   was not reached); the phone subscribes to the `dialog` package (RFC
 *   4235), which Asterisk, Kamailio and FreeSWITCH serve for any AOR, at
 *   `Shared_User_ID_n_` on `Proxy_n_` (a full `user@host` or SIP URI is
 *   taken as it is), Accept application/dialog-info+xml, Expires
 *   `Subscription_Expires_n_` (0 or empty: 3600). Changing either
 *   parameter, the line's proxy, or the line going out of service replaces
 *   or ends the subscription. Retries are DpSipSubscription's.
 * - The documents build a DpDialogSet (core/sidecar: full and partial
 *   state, versions); a new SUBSCRIBE starts from an empty set.
 * - The status document's member "shared_lines" lists, per shared line:
 *   `line`, `aor`, `subscription` (pending/active/failed/terminated),
 *   `state` (the appearance: unknown until a full document, then idle,
 *   ringing, busy or held, as dp_dialog_set_get_blf_state()) and
 *   `dialogs` (id, state, direction, held, remote identity). The member
 *   exists while at least one line is shared.
 * - Registration and calls of the line are unchanged: the SPA registers a
 *   shared extension with its own credentials (§8.2 procedure); that every
 *   station rings and the first to answer takes the call is the server's
 *   forking. Taking over a call held on another station is a dial of its
 *   remote target with `?Replaces=` (dp-sip-call.c); no key drives that
 *   yet.
 */
#define G_LOG_DOMAIN "dp-sip"

#include "dp-sip-private.h"

#include <string.h>

#define SHARED_SECTION "shared_lines"
#define DEFAULT_EXPIRES 3600

struct _DpSipShared {
  DpSipLine         *line;
  char              *signature;     /* the target the subscription is for */
  DpSipSubscription *subscription;
  DpDialogSet       *dialogs;
};

static JsonNode *
build_section (DpCore *core, gpointer user_data)
{
  DpSipContext *ctx = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < ctx->shared->len; i++)
    {
      DpSipShared *shared = g_ptr_array_index (ctx->shared, i);
      DpSubscription *sub = DP_SUBSCRIPTION (shared->subscription);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, shared->line->index);
      json_builder_set_member_name (builder, "aor");
      json_builder_add_string_value (builder, dp_subscription_get_target (sub));
      json_builder_set_member_name (builder, "subscription");
      json_builder_add_string_value (builder,
                                     dp_subscription_state_to_string (dp_subscription_get_state (sub)));
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder,
                                     dp_dialog_set_has_state (shared->dialogs)
                                     ? dp_blf_state_to_string (dp_dialog_set_get_blf_state (shared->dialogs))
                                     : dp_blf_state_to_string (DP_BLF_STATE_UNKNOWN));
      json_builder_set_member_name (builder, "dialogs");
      json_builder_begin_array (builder);
      for (guint d = 0; d < dp_dialog_set_get_n_dialogs (shared->dialogs); d++)
        {
          const DpDialog *dialog = dp_dialog_set_get_dialog (shared->dialogs, d);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, dialog->id);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, dp_dialog_state_to_string (dialog->state));
          json_builder_set_member_name (builder, "direction");
          json_builder_add_string_value (builder, dp_dialog_direction_to_string (dialog->direction));
          json_builder_set_member_name (builder, "held");
          json_builder_add_boolean_value (builder, dp_dialog_is_held (dialog));
          json_builder_set_member_name (builder, "remote");
          json_builder_add_string_value (builder, dialog->remote_identity);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static void
on_state_changed (DpSubscription *subscription, gpointer user_data)
{
  DpSipShared *shared = user_data;

  /* A new SUBSCRIBE (a retry, a renewal after re-registration) starts a
   * new dialog: its first NOTIFY carries the full state again. */
  if (dp_subscription_get_state (subscription) == DP_SUBSCRIPTION_PENDING)
    dp_dialog_set_reset (shared->dialogs);
  dp_core_notify_status (shared->line->ctx->core, SHARED_SECTION);
}

static void
on_notify_body (DpSubscription *subscription, const char *content_type, GBytes *body,
                gpointer user_data)
{
  DpSipShared *shared = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDialogInfo) info = dp_dialog_info_parse_notify (content_type, body, &error);

  if (info == NULL || !dp_dialog_set_apply (shared->dialogs, info, &error))
    {
      g_warning ("line %u: shared line NOTIFY ignored: %s", shared->line->index,
                 error->message);
      return;
    }
  g_message ("line %u: shared line %s is %s", shared->line->index,
             dp_subscription_get_target (subscription),
             dp_blf_state_to_string (dp_dialog_set_get_blf_state (shared->dialogs)));
  dp_core_notify_status (shared->line->ctx->core, SHARED_SECTION);
}

static void
shared_free (DpSipShared *shared)
{
  DpSipContext *ctx = shared->line->ctx;

  g_signal_handlers_disconnect_by_data (shared->subscription, shared);
  dp_subscription_cancel (DP_SUBSCRIPTION (shared->subscription));
  g_object_unref (shared->subscription);
  dp_dialog_set_free (shared->dialogs);
  g_free (shared->signature);
  g_ptr_array_remove (ctx->shared, shared);
  if (ctx->shared->len == 0)
    dp_core_remove_status_section (ctx->core, SHARED_SECTION);
  else
    dp_core_notify_status (ctx->core, SHARED_SECTION);
  g_free (shared);
}

/**
 * dp_sip_line_update_shared:
 *
 * Starts, replaces or ends the line's shared-appearance subscription after
 * a configuration change (see the top of the file).
 */
void
dp_sip_line_update_shared (DpSipLine *line)
{
  DpSipContext *ctx = line->ctx;
  const char *user = dp_sip_line_get (line, "Shared_User_ID");
  const char *proxy = dp_sip_line_get (line, "Proxy");
  g_autofree char *signature = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expires = dp_sip_line_get_int (line, "Subscription_Expires");
  DpSipShared *shared;

  if (g_strcmp0 (dp_sip_line_get (line, "Share_Ext"), "shared") == 0 && *user != '\0' &&
      line->agent != NULL)
    signature = g_strdup_printf ("%s\n%s\n%" G_GINT64_FORMAT, user, proxy, expires);
  if (line->shared != NULL && g_strcmp0 (signature, line->shared->signature) == 0)
    return;
  g_clear_pointer (&line->shared, shared_free);
  if (signature == NULL)
    return;

  shared = g_new0 (DpSipShared, 1);
  shared->line = line;
  shared->signature = g_steal_pointer (&signature);
  shared->dialogs = dp_dialog_set_new ();
  shared->subscription = dp_sip_subscription_new (line, user, "dialog",
                                                  DP_DIALOG_INFO_CONTENT_TYPE,
                                                  expires > 0 ? (guint) MIN (expires, G_MAXUINT)
                                                              : DEFAULT_EXPIRES,
                                                  &error);
  if (shared->subscription == NULL)
    {
      g_warning ("line %u: shared line %s not watched: %s", line->index, user, error->message);
      dp_dialog_set_free (shared->dialogs);
      g_free (shared->signature);
      g_free (shared);
      return;
    }
  g_signal_connect (shared->subscription, "state-changed", G_CALLBACK (on_state_changed), shared);
  g_signal_connect (shared->subscription, "notify-body", G_CALLBACK (on_notify_body), shared);
  if (ctx->shared->len == 0)
    dp_core_add_status_section (ctx->core, SHARED_SECTION, build_section, ctx, NULL);
  g_ptr_array_add (ctx->shared, shared);
  line->shared = shared;
  g_message ("line %u: watching shared line %s", line->index,
             dp_subscription_get_target (DP_SUBSCRIPTION (shared->subscription)));
  dp_core_notify_status (ctx->core, SHARED_SECTION);
}

/**
 * dp_sip_line_drop_shared:
 *
 * Ends the line's shared-appearance subscription (the line goes away).
 */
void
dp_sip_line_drop_shared (DpSipLine *line)
{
  g_clear_pointer (&line->shared, shared_free);
}
