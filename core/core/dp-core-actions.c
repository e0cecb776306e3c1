/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Named actions ("resync", "upgrade", "report", "reboot" ...): a plugin that
 * can do one registers a handler; anyone (D-Bus, web UI, a SIP NOTIFY) runs
 * it by name without knowing which plugin is behind it. */
#define G_LOG_DOMAIN "dp-core"

#include "dp-core-private.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

typedef struct {
  DpActionFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
} Action;

static void
action_free (gpointer data)
{
  Action *action = data;

  if (action->destroy != NULL)
    action->destroy (action->user_data);
  g_free (action);
}

GHashTable *
dp_core_actions_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, action_free);
}

/**
 * dp_core_add_action:
 * @self: a #DpCore
 * @name: the action ("resync", "upgrade", "report", "reboot" ...)
 * @func: (scope notified) (closure user_data) (destroy destroy): runs it
 * @user_data: data for @func
 * @destroy: frees @user_data
 *
 * Registers the handler of an action, replacing an earlier one.
 */
void
dp_core_add_action (DpCore *self, const char *name, DpActionFunc func, gpointer user_data,
                    GDestroyNotify destroy)
{
  Action *action;

  g_return_if_fail (DP_IS_CORE (self));
  g_return_if_fail (name != NULL && func != NULL);

  action = g_new0 (Action, 1);
  action->func = func;
  action->user_data = user_data;
  action->destroy = destroy;
  g_hash_table_replace (dp_core_get_actions (self), g_strdup (name), action);
}

void
dp_core_remove_action (DpCore *self, const char *name)
{
  g_return_if_fail (DP_IS_CORE (self));

  g_hash_table_remove (dp_core_get_actions (self), name);
}

gboolean
dp_core_has_action (DpCore *self, const char *name)
{
  g_return_val_if_fail (DP_IS_CORE (self), FALSE);

  return g_hash_table_contains (dp_core_get_actions (self), name);
}

/**
 * dp_core_run_action:
 * @self: a #DpCore
 * @name: the action
 * @argument: (nullable): e.g. the URL of "resync URL"
 * @error: return location for a #GError
 *
 * Starts an action. Long actions (a resync) start here and report their
 * progress in status; the return value says whether it could start.
 *
 * Returns: %TRUE if the action started
 */
gboolean
dp_core_run_action (DpCore *self, const char *name, const char *argument, GError **error)
{
  Action *action;

  g_return_val_if_fail (DP_IS_CORE (self), FALSE);

  action = g_hash_table_lookup (dp_core_get_actions (self), name);
  if (action == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("no plugin handles \"%s\" (is the plugin that does it loaded?)"), name);
      return FALSE;
    }
  return action->func (self, argument, action->user_data, error);
}
