/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpConfig: the typed parameter registry, its persistence and transactional
 * apply.
 *
 * Every change goes through one path, commit_changes(): all values are
 * validated first, the new state is saved atomically, and only then are the
 * "changed::NAME" signals emitted, once per parameter that really changed.
 * If validation or the save fails nothing changes in memory or on disk.
 *
 * Values of parameters nobody has registered yet (a plugin that loads after
 * the state file was read, or one that is switched off for now) are kept in
 * `pending` and written back on every save, so they are never lost. */
#define G_LOG_DOMAIN "dp-config"

#include "dp-config-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

struct _DpConfig {
  GObject parent_instance;

  GPtrArray *params;          /* DpParam*, registration order; owns them */
  GHashTable *by_name;        /* name -> DpParam* */
  GHashTable *syntaxes;       /* syntax name -> DpSyntaxCheckFunc */
  GHashTable *pending;        /* name -> PendingValue* (unregistered names from the state file) */
  char *state_file;
};

typedef struct {
  char *value;                /* NULL: only access is stored */
  gboolean has_access;
  DpAccess access;
} PendingValue;

/* One validated change, before it is committed. */
typedef struct {
  DpParam *param;
  char *value;                /* new value (owned) */
  DpAccess access;
} Change;

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DpConfig, dp_config, G_TYPE_OBJECT)
G_DEFINE_QUARK (dp-config-error-quark, dp_config_error)

static void
pending_value_free (gpointer data)
{
  PendingValue *pending = data;

  g_free (pending->value);
  g_free (pending);
}

static void
change_clear (gpointer data)
{
  Change *change = data;

  g_free (change->value);
}

/* ---- registration ------------------------------------------------------ */

static guint
count_placeholders (const char *pattern)
{
  guint n = 0;

  for (const char *p = pattern; p != NULL && (p = strstr (p, "%u")) != NULL; p += 2)
    n++;
  return n;
}

/* Expands the `%u` placeholders of @pattern with @i, then @j. Only `%u` is
 * special; a pattern is trusted data from a declaration, but we do not hand
 * it to printf so a stray '%' cannot misbehave. */
static char *
expand_pattern (const char *pattern, guint i, guint j)
{
  GString *out = g_string_new (NULL);
  guint used = 0;

  for (const char *p = pattern; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] == 'u')
        {
          g_string_append_printf (out, "%u", used == 0 ? i : j);
          used++;
          p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static gboolean
check_declaration (const DpParamDecl *decl, GError **error)
{
  guint name_slots = count_placeholders (decl->name);

  if (decl->name == NULL || *decl->name == '\0')
    {
      g_set_error_literal (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE,
                           _("a parameter declaration has no name"));
      return FALSE;
    }
  if (name_slots > 2 || (name_slots >= 1 && decl->count1 == 0) ||
      (name_slots == 2 && decl->count2 == 0) || (name_slots == 0 && decl->count1 != 0))
    {
      g_set_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE,
                   _("declaration %s: family placeholders and counts do not match"),
                   decl->name);
      return FALSE;
    }
  if (decl->type == DP_PARAM_ENUM && (decl->choices == NULL || *decl->choices == '\0'))
    {
      g_set_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE,
                   _("declaration %s: an enum needs choices"), decl->name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_param (GPtrArray         *batch,
           GHashTable        *batch_names,
           DpConfig          *self,
           const DpParamDecl *decl,
           const char        *owner,
           guint              i,
           guint              j,
           GError           **error)
{
  g_autofree char *name = expand_pattern (decl->name, i, j);
  g_autofree char *group = expand_pattern (decl->group ? decl->group : "", i, j);
  g_autoptr(GError) local_error = NULL;
  DpParam *param;

  if (g_hash_table_contains (self->by_name, name) || g_hash_table_contains (batch_names, name))
    {
      g_set_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_DUPLICATE,
                   _("parameter %s is already registered"), name);
      return FALSE;
    }
  param = dp_param_new_from_decl (decl, name, group, owner);
  if (!(param->flags & DP_PARAM_FLAG_READONLY) &&
      !dp_param_check_value (param, param->default_value, &local_error))
    {
      g_set_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE,
                   _("declaration %s: default \"%s\" %s"), name, param->default_value,
                   local_error->message);
      dp_param_free (param);
      return FALSE;
    }
  g_ptr_array_add (batch, param);
  g_hash_table_add (batch_names, param->name);
  return TRUE;
}

/* Emits one declaration row, or one instance of it, in the documented order:
 * a name with two placeholders and a group with one expands its second
 * index here. */
static gboolean
add_row (GPtrArray *batch, GHashTable *batch_names, DpConfig *self,
         const DpParamDecl *decl, const char *owner, guint i, gboolean group_has_j,
         guint j, GError **error)
{
  guint name_slots = count_placeholders (decl->name);

  if (name_slots == 2 && !group_has_j)
    {
      for (guint jj = 1; jj <= decl->count2; jj++)
        if (!add_param (batch, batch_names, self, decl, owner, i, jj, error))
          return FALSE;
      return TRUE;
    }
  return add_param (batch, batch_names, self, decl, owner, i, j, error);
}

static gboolean
same_block (const DpParamDecl *a, const DpParamDecl *b)
{
  return b->count1 != 0 && a->count1 == b->count1 && a->count2 == b->count2 &&
         count_placeholders (a->group) >= 1 && count_placeholders (b->group) >= 1 &&
         count_placeholders (a->group) == count_placeholders (b->group);
}

/**
 * dp_config_register:
 * @self: a #DpConfig
 * @owner: who registers (plugin name, or "core")
 * @decls: (array length=n_decls): the declarations
 * @n_decls: how many
 * @error: return location for a #GError
 *
 * Registers parameters. Families (`%u` in the name) are expanded; a run of
 * family rows with the same counts whose group also has `%u` is expanded
 * instance-major (all rows of Ext 1, then all rows of Ext 2 ...), so the
 * order of parameters follows the SPA tabs. Either every declaration is
 * registered or, on error, none.
 *
 * A value for a newly registered name that was read from the state file
 * earlier is applied now (if it is valid for the declared type).
 *
 * Returns: %TRUE on success
 */
gboolean
dp_config_register (DpConfig          *self,
                    const char        *owner,
                    const DpParamDecl *decls,
                    gsize              n_decls,
                    GError           **error)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_param_free);
  g_autoptr(GHashTable) batch_names = g_hash_table_new (g_str_hash, g_str_equal);
  gsize k = 0;

  g_return_val_if_fail (DP_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (decls != NULL || n_decls == 0, FALSE);

  for (gsize d = 0; d < n_decls; d++)
    if (!check_declaration (&decls[d], error))
      return FALSE;

  while (k < n_decls)
    {
      const DpParamDecl *first = &decls[k];
      guint group_slots = count_placeholders (first->group);
      gsize end = k + 1;

      if (first->count1 == 0)
        {
          if (!add_param (batch, batch_names, self, first, owner, 0, 0, error))
            return FALSE;
          k++;
          continue;
        }
      if (group_slots == 0)
        {
          for (guint i = 1; i <= first->count1; i++)
            if (!add_row (batch, batch_names, self, first, owner, i, FALSE, 0, error))
              return FALSE;
          k++;
          continue;
        }

      while (end < n_decls && same_block (first, &decls[end]))
        end++;
      for (guint i = 1; i <= first->count1; i++)
        {
          guint j_count = group_slots == 2 ? first->count2 : 1;

          for (guint j = 1; j <= j_count; j++)
            for (gsize r = k; r < end; r++)
              if (!add_row (batch, batch_names, self, &decls[r], owner, i,
                            group_slots == 2, j, error))
                return FALSE;
        }
      k = end;
    }

  /* Validation passed for the whole batch: ownership moves to self. */
  g_ptr_array_set_free_func (batch, NULL);
  for (guint b = 0; b < batch->len; b++)
    {
      DpParam *param = batch->pdata[b];
      PendingValue *pending;

      pending = g_hash_table_lookup (self->pending, param->name);
      if (pending != NULL)
        {
          if (pending->value != NULL && dp_param_check_value (param, pending->value, NULL))
            {
              g_free (param->value);
              param->value = g_strdup (pending->value);
            }
          else if (pending->value != NULL)
            g_warning ("stored value of %s is not valid for its declaration; using the default",
                       param->name);
          if (pending->has_access)
            param->access = pending->access;
          g_hash_table_remove (self->pending, param->name);
        }
      g_ptr_array_add (self->params, param);
      g_hash_table_insert (self->by_name, param->name, param);
    }
  return TRUE;
}

/**
 * dp_config_register_syntax:
 * @self: a #DpConfig
 * @syntax: the syntax name used in declarations
 * @check: (scope forever): the checker
 *
 * Registers the checker of a script-like syntax. Parameters declaring a
 * syntax without a checker are only type-checked.
 */
void
dp_config_register_syntax (DpConfig *self, const char *syntax, DpSyntaxCheckFunc check)
{
  g_return_if_fail (DP_IS_CONFIG (self));
  g_return_if_fail (syntax != NULL && check != NULL);

  g_hash_table_insert (self->syntaxes, g_strdup (syntax), (gpointer) check);
}

/* ---- lookup ------------------------------------------------------------ */

/**
 * dp_config_lookup: (skip)
 * @self: a #DpConfig
 * @name: a parameter name
 *
 * Returns: (nullable) (transfer none): the parameter, or %NULL
 */
const DpParam *
dp_config_lookup (DpConfig *self, const char *name)
{
  g_return_val_if_fail (DP_IS_CONFIG (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->by_name, name);
}

GPtrArray *
dp_config_list (DpConfig *self)
{
  GPtrArray *names;

  g_return_val_if_fail (DP_IS_CONFIG (self), NULL);

  names = g_ptr_array_new_full (self->params->len, NULL);
  for (guint i = 0; i < self->params->len; i++)
    g_ptr_array_add (names, ((DpParam *) self->params->pdata[i])->name);
  return names;
}

guint
dp_config_get_n_params (DpConfig *self)
{
  g_return_val_if_fail (DP_IS_CONFIG (self), 0);

  return self->params->len;
}

/**
 * dp_config_get:
 * @self: a #DpConfig
 * @name: a parameter name
 *
 * Returns: (nullable): the current value, or %NULL for an unknown name
 */
const char *
dp_config_get (DpConfig *self, const char *name)
{
  const DpParam *param = dp_config_lookup (self, name);

  return param != NULL ? param->value : NULL;
}

gboolean
dp_config_get_bool (DpConfig *self, const char *name)
{
  const char *value = dp_config_get (self, name);
  gboolean result = FALSE;

  if (value != NULL)
    dp_bool_parse (value, &result);
  return result;
}

gint64
dp_config_get_int (DpConfig *self, const char *name)
{
  const char *value = dp_config_get (self, name);

  if (value == NULL || *value == '\0')
    return 0;
  if (value[0] == '0' && (value[1] == 'x' || value[1] == 'X'))
    return g_ascii_strtoll (value + 2, NULL, 16);
  return g_ascii_strtoll (value, NULL, 10);
}

double
dp_config_get_double (DpConfig *self, const char *name)
{
  const char *value = dp_config_get (self, name);

  if (value == NULL || *value == '\0')
    return 0.0;
  return g_ascii_strtod (value, NULL);
}

DpAccess
dp_config_get_access (DpConfig *self, const char *name)
{
  const DpParam *param = dp_config_lookup (self, name);

  return param != NULL ? param->access : DP_ACCESS_NA;
}

/* ---- validation and commit ---------------------------------------------- */

static gboolean
validate_param (DpConfig *self, const DpParam *param, const char *value, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  DpSyntaxCheckFunc check = NULL;

  if (!dp_param_check_value (param, value, &local_error))
    goto invalid;
  if (param->syntax != NULL && *value != '\0')
    check = g_hash_table_lookup (self->syntaxes, param->syntax);
  if (check != NULL && !check (value, &local_error))
    goto invalid;
  return TRUE;

invalid:
  {
    /* Never echo a secret back, not even in an error message. */
    g_autofree char *shown = (param->flags & DP_PARAM_FLAG_SECRET)
                             ? g_strdup ("(secret)")
                             : g_strdup_printf ("\"%s\"", value ? value : "");
    g_set_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE,
                 _("%s: value %s is invalid: %s"), param->name, shown,
                 local_error ? local_error->message : "rejected");
  }
  return FALSE;
}

/**
 * dp_config_validate:
 * @self: a #DpConfig
 * @name: a parameter name
 * @value: a candidate value
 * @error: return location for a #GError
 *
 * Checks @value for @name without changing anything.
 *
 * Returns: %TRUE if @value would be accepted
 */
gboolean
dp_config_validate (DpConfig *self, const char *name, const char *value, GError **error)
{
  const DpParam *param;

  g_return_val_if_fail (DP_IS_CONFIG (self), FALSE);

  param = dp_config_lookup (self, name);
  if (param == NULL)
    {
      g_set_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_UNKNOWN_PARAMETER,
                   _("unknown parameter %s"), name);
      return FALSE;
    }
  if (param->flags & DP_PARAM_FLAG_READONLY)
    {
      g_set_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_READONLY,
                   _("%s is a status value and cannot be set"), name);
      return FALSE;
    }
  return validate_param (self, param, value, error);
}

static gboolean
save_locked (DpConfig *self, GError **error)
{
  g_autofree char *contents = NULL;

  if (self->state_file == NULL)
    return TRUE;
  contents = dp_config_to_flat_profile (self, TRUE);
  return dp_config_store_write (self->state_file, contents, strlen (contents), error);
}

/* Commits validated @changes: applies them, saves, and on a failed save puts
 * everything back. Signals go out only after the save succeeded. */
static gboolean
commit_changes (DpConfig *self, GArray *changes, GError **error)
{
  g_autoptr(GArray) old = g_array_sized_new (FALSE, TRUE, sizeof (Change), changes->len);

  g_array_set_clear_func (old, change_clear);
  if (changes->len == 0)
    return TRUE;

  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = &g_array_index (changes, Change, i);
      Change previous = { change->param, change->param->value, change->param->access };

      g_array_append_val (old, previous);
      change->param->value = g_strdup (change->value);
      change->param->access = change->access;
    }

  if (!save_locked (self, error))
    {
      for (guint i = 0; i < old->len; i++)
        {
          Change *previous = &g_array_index (old, Change, i);

          g_free (previous->param->value);
          previous->param->value = g_steal_pointer (&previous->value);
          previous->param->access = previous->access;
        }
      return FALSE;
    }

  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = &g_array_index (changes, Change, i);

      g_signal_emit (self, signals[SIGNAL_CHANGED],
                     g_quark_from_string (change->param->name), change->param->name);
    }
  return TRUE;
}

/* Adds (or replaces, last wins) the change for @param in @changes, unless the
 * result equals the current state. */
static void
stage_change (GArray *changes, GHashTable *staged, DpParam *param,
              const char *value, DpAccess access)
{
  gpointer index_ptr;

  if (g_hash_table_lookup_extended (staged, param, NULL, &index_ptr))
    {
      Change *change = &g_array_index (changes, Change, GPOINTER_TO_UINT (index_ptr));

      g_free (change->value);
      change->value = g_strdup (value);
      change->access = access;
      return;
    }
  {
    Change change = { param, g_strdup (value), access };

    g_array_append_val (changes, change);
    g_hash_table_insert (staged, param, GUINT_TO_POINTER (changes->len - 1));
  }
}

/* Drops staged entries that would not change anything. */
static void
drop_no_ops (GArray *changes, guint *unchanged)
{
  for (guint i = changes->len; i > 0; i--)
    {
      Change *change = &g_array_index (changes, Change, i - 1);

      if (g_strcmp0 (change->value, change->param->value) == 0 &&
          change->access == change->param->access)
        {
          g_array_remove_index (changes, i - 1);
          if (unchanged != NULL)
            (*unchanged)++;
        }
    }
}

/**
 * dp_config_set:
 * @self: a #DpConfig
 * @name: a parameter name
 * @value: the new value
 * @error: return location for a #GError
 *
 * Sets one value (validated, saved, then signalled).
 *
 * Returns: %TRUE on success; on failure nothing changed
 */
gboolean
dp_config_set (DpConfig *self, const char *name, const char *value, GError **error)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (Change));
  g_autoptr(GHashTable) staged = g_hash_table_new (NULL, NULL);
  DpParam *param;

  g_return_val_if_fail (DP_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  g_array_set_clear_func (changes, change_clear);
  if (!dp_config_validate (self, name, value, error))
    return FALSE;
  param = g_hash_table_lookup (self->by_name, name);
  stage_change (changes, staged, param, value, param->access);
  drop_no_ops (changes, NULL);
  return commit_changes (self, changes, error);
}

#define UNKNOWN_SAMPLE_SIZE 5

static void
log_unknown_names (const char * const *sample, guint n_unknown)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < MIN (n_unknown, (guint) UNKNOWN_SAMPLE_SIZE); i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", sample[i]);
  g_debug ("profile names %u unknown parameter%s (%s%s); ignored", n_unknown,
           n_unknown == 1 ? "" : "s", names->str,
           n_unknown > UNKNOWN_SAMPLE_SIZE ? ", …" : "");
}

/**
 * dp_config_apply:
 * @self: a #DpConfig
 * @profile: the assignments to apply
 * @stats: (out caller-allocates) (optional): what happened
 * @error: return location for a #GError
 *
 * Applies a whole profile as one transaction: every assignment is validated
 * first; if any value is invalid nothing changes and the error names the
 * parameter, the value and why. Unknown names are ignored and counted;
 * status (read-only) names are ignored and counted. Later assignments to
 * the same name win.
 *
 * Returns: %TRUE on success
 */
gboolean
dp_config_apply (DpConfig *self, DpProfile *profile, DpApplyStats *stats, GError **error)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (Change));
  g_autoptr(GHashTable) staged = g_hash_table_new (NULL, NULL);
  DpApplyStats local_stats = { 0 };
  /* A profile written for a whole fleet names thousands of parameters this
   * phone does not have; one debug line per name cost a third of a 2,000-name
   * resync, so the first few are remembered and logged in one summary line. */
  const char *unknown_sample[UNKNOWN_SAMPLE_SIZE] = { NULL };
  guint n;

  g_return_val_if_fail (DP_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (DP_IS_PROFILE (profile), FALSE);

  g_array_set_clear_func (changes, change_clear);
  n = dp_profile_get_n_assignments (profile);
  for (guint i = 0; i < n; i++)
    {
      const DpAssignment *assignment = dp_profile_get_assignment (profile, i);
      DpParam *param = g_hash_table_lookup (self->by_name, assignment->name);
      const char *value;
      DpAccess access;

      if (param == NULL)
        {
          if (local_stats.unknown < UNKNOWN_SAMPLE_SIZE)
            unknown_sample[local_stats.unknown] = assignment->name;
          local_stats.unknown++;
          continue;
        }
      if (param->flags & DP_PARAM_FLAG_READONLY)
        {
          local_stats.ignored_readonly++;
          continue;
        }

      /* Start from what is staged already, so that an access-only entry
       * after a value entry keeps that value. */
      {
        gpointer index_ptr;

        if (g_hash_table_lookup_extended (staged, param, NULL, &index_ptr))
          {
            Change *staged_change = &g_array_index (changes, Change, GPOINTER_TO_UINT (index_ptr));
            value = staged_change->value;
            access = staged_change->access;
          }
        else
          {
            value = param->value;
            access = param->access;
          }
      }

      switch (assignment->op)
        {
        case DP_VALUE_SET:
          value = assignment->value;
          if (!validate_param (self, param, value, error))
            return FALSE;
          break;
        case DP_VALUE_RESET:
          value = param->default_value;
          break;
        case DP_VALUE_KEEP:
        default:
          break;
        }
      if (assignment->has_access)
        access = assignment->access;

      {
        /* stage_change may free the staged value we point at. */
        g_autofree char *value_copy = g_strdup (value);
        stage_change (changes, staged, param, value_copy, access);
      }
    }

  if (local_stats.unknown > 0)
    log_unknown_names (unknown_sample, local_stats.unknown);

  drop_no_ops (changes, &local_stats.unchanged);
  local_stats.applied = changes->len;
  if (!commit_changes (self, changes, error))
    return FALSE;
  if (stats != NULL)
    *stats = local_stats;
  return TRUE;
}

/**
 * dp_config_reset:
 * @self: a #DpConfig
 * @error: return location for a #GError
 *
 * Puts every parameter back to its factory value and access.
 *
 * Returns: %TRUE on success
 */
gboolean
dp_config_reset (DpConfig *self, GError **error)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (Change));
  g_autoptr(GHashTable) staged = g_hash_table_new (NULL, NULL);

  g_return_val_if_fail (DP_IS_CONFIG (self), FALSE);

  g_array_set_clear_func (changes, change_clear);
  for (guint i = 0; i < self->params->len; i++)
    {
      DpParam *param = self->params->pdata[i];

      if (!(param->flags & DP_PARAM_FLAG_READONLY))
        stage_change (changes, staged, param, param->default_value, param->default_access);
    }
  drop_no_ops (changes, NULL);
  return commit_changes (self, changes, error);
}

/* ---- persistence --------------------------------------------------------- */

void
dp_config_set_state_file (DpConfig *self, const char *path)
{
  g_return_if_fail (DP_IS_CONFIG (self));

  g_free (self->state_file);
  self->state_file = g_strdup (path);
}

const char *
dp_config_get_state_file (DpConfig *self)
{
  g_return_val_if_fail (DP_IS_CONFIG (self), NULL);

  return self->state_file;
}

/**
 * dp_config_load:
 * @self: a #DpConfig
 * @error: return location for a #GError
 *
 * Reads the state file (a flat profile holding the values and accesses that
 * differ from the factory). A missing file is not an error. Values of names
 * not registered yet are kept for later registration. A state file that
 * does not parse or holds an invalid value is an error and changes nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
dp_config_load (DpConfig *self, GError **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DpProfile) profile = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (Change));
  g_autoptr(GHashTable) staged = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         pending_value_free);
  gsize length;
  guint n;

  g_return_val_if_fail (DP_IS_CONFIG (self), FALSE);

  g_array_set_clear_func (changes, change_clear);
  if (self->state_file == NULL)
    return TRUE;
  dp_config_store_remove_leftovers (self->state_file);
  if (!g_file_get_contents (self->state_file, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_STORAGE,
                   _("cannot read %s: %s"), self->state_file, local_error->message);
      return FALSE;
    }
  profile = dp_profile_parse_xml (contents, length, &local_error);
  if (profile == NULL)
    {
      g_set_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_STORAGE,
                   _("state file %s is damaged: %s"), self->state_file, local_error->message);
      return FALSE;
    }

  n = dp_profile_get_n_assignments (profile);
  for (guint i = 0; i < n; i++)
    {
      const DpAssignment *assignment = dp_profile_get_assignment (profile, i);
      DpParam *param = g_hash_table_lookup (self->by_name, assignment->name);
      const char *value;

      if (param == NULL)
        {
          PendingValue *entry = g_new0 (PendingValue, 1);

          entry->value = assignment->op == DP_VALUE_SET ? g_strdup (assignment->value) : NULL;
          entry->has_access = assignment->has_access;
          entry->access = assignment->access;
          g_hash_table_replace (pending, g_strdup (assignment->name), entry);
          continue;
        }
      if (param->flags & DP_PARAM_FLAG_READONLY)
        continue;
      value = assignment->op == DP_VALUE_SET ? assignment->value : param->value;
      if (assignment->op == DP_VALUE_SET && !validate_param (self, param, value, error))
        {
          g_prefix_error (error, _("state file %s: "), self->state_file);
          return FALSE;
        }
      stage_change (changes, staged, param, value,
                    assignment->has_access ? assignment->access : param->access);
    }

  /* Loading must not rewrite the file or signal: set values directly. */
  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = &g_array_index (changes, Change, i);

      g_free (change->param->value);
      change->param->value = g_steal_pointer (&change->value);
      change->param->access = change->access;
    }
  g_clear_pointer (&self->pending, g_hash_table_unref);
  self->pending = g_steal_pointer (&pending);
  return TRUE;
}

gboolean
dp_config_save (DpConfig *self, GError **error)
{
  g_return_val_if_fail (DP_IS_CONFIG (self), FALSE);

  return save_locked (self, error);
}

static void
append_element (GString *out, const char *name, const char *value,
                gboolean write_access, DpAccess access, const char *group)
{
  g_string_append_printf (out, "<%s", name);
  if (group != NULL && *group != '\0')
    {
      g_autofree char *escaped = g_markup_escape_text (group, -1);
      g_string_append_printf (out, " group=\"%s\"", escaped);
    }
  if (write_access)
    g_string_append_printf (out, " ua=\"%s\"", dp_access_to_string (access));
  if (value == NULL)
    g_string_append (out, "/>\n");
  else
    {
      g_autofree char *escaped = g_markup_escape_text (value, -1);
      g_string_append_printf (out, ">%s</%s>\n", escaped, name);
    }
}

/**
 * dp_config_to_flat_profile:
 * @self: a #DpConfig
 * @include_secrets: write secret values (for the state file); otherwise they
 *   are left out
 *
 * Writes the values and accesses that differ from the factory as a flat
 * profile, followed by the kept values of unregistered names.
 *
 * Returns: (transfer full): the XML document
 */
char *
dp_config_to_flat_profile (DpConfig *self, gboolean include_secrets)
{
  GString *out = g_string_new ("<flat-profile>\n");
  GHashTableIter iter;
  gpointer key, data;

  for (guint i = 0; i < self->params->len; i++)
    {
      DpParam *param = self->params->pdata[i];
      gboolean value_differs = g_strcmp0 (param->value, param->default_value) != 0;
      gboolean access_differs = param->access != param->default_access;

      if (param->flags & DP_PARAM_FLAG_READONLY)
        continue;
      if (!value_differs && !access_differs)
        continue;
      if ((param->flags & DP_PARAM_FLAG_SECRET) && !include_secrets)
        continue;
      append_element (out, param->name, value_differs ? param->value : NULL,
                      access_differs, param->access, NULL);
    }

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, &data))
    {
      PendingValue *pending = data;

      append_element (out, key, pending->value, pending->has_access, pending->access, NULL);
    }
  g_string_append (out, "</flat-profile>\n");
  return g_string_free (out, FALSE);
}

/**
 * dp_config_param_to_json:
 * @self: a #DpConfig
 * @name: a parameter name
 *
 * Describes one parameter for `config get --json` / `config dump --json`;
 * secret values are masked.
 *
 * Returns: (transfer full) (nullable): the JSON object, or %NULL for an unknown name
 */
JsonNode *
dp_config_param_to_json (DpConfig *self, const char *name)
{
  const DpParam *param = dp_config_lookup (self, name);
  g_autoptr(JsonBuilder) builder = NULL;
  gboolean secret;

  if (param == NULL)
    return NULL;
  secret = (param->flags & DP_PARAM_FLAG_SECRET) != 0;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, param->name);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, secret && *param->value ? "********" : param->value);
  json_builder_set_member_name (builder, "default");
  json_builder_add_string_value (builder, secret && *param->default_value ? "********"
                                                                          : param->default_value);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, dp_param_type_to_string (param->type));
  if (param->type == DP_PARAM_ENUM)
    {
      json_builder_set_member_name (builder, "choices");
      json_builder_begin_array (builder);
      for (char **c = param->choices; c != NULL && *c != NULL; c++)
        json_builder_add_string_value (builder, *c);
      json_builder_end_array (builder);
    }
  if (dp_param_has_range (param))
    {
      json_builder_set_member_name (builder, "min");
      if (param->type == DP_PARAM_INT)
        json_builder_add_int_value (builder, (gint64) param->min);
      else
        json_builder_add_double_value (builder, param->min);
      json_builder_set_member_name (builder, "max");
      if (param->type == DP_PARAM_INT)
        json_builder_add_int_value (builder, (gint64) param->max);
      else
        json_builder_add_double_value (builder, param->max);
    }
  json_builder_set_member_name (builder, "access");
  json_builder_add_string_value (builder, dp_access_to_string (param->access));
  json_builder_set_member_name (builder, "tab");
  json_builder_add_string_value (builder, param->tab);
  json_builder_set_member_name (builder, "section");
  json_builder_add_string_value (builder, param->section);
  json_builder_set_member_name (builder, "secret");
  json_builder_add_boolean_value (builder, secret);
  json_builder_set_member_name (builder, "admin_only");
  json_builder_add_boolean_value (builder, (param->flags & DP_PARAM_FLAG_ADMIN_ONLY) != 0);
  json_builder_set_member_name (builder, "readonly");
  json_builder_add_boolean_value (builder, (param->flags & DP_PARAM_FLAG_READONLY) != 0);
  json_builder_set_member_name (builder, "owner");
  json_builder_add_string_value (builder, param->owner);
  if (param->syntax != NULL)
    {
      json_builder_set_member_name (builder, "syntax");
      json_builder_add_string_value (builder, param->syntax);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* ---- GObject --------------------------------------------------------------- */

static void
dp_config_finalize (GObject *object)
{
  DpConfig *self = DP_CONFIG (object);

  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->params, g_ptr_array_unref);
  g_clear_pointer (&self->syntaxes, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->state_file, g_free);

  G_OBJECT_CLASS (dp_config_parent_class)->finalize (object);
}

static void
dp_config_class_init (DpConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dp_config_finalize;

  /**
   * DpConfig::changed:
   * @config: the #DpConfig
   * @name: the parameter that changed (value or user access)
   *
   * Emitted once per parameter after a change has been committed and
   * saved. Connect to "changed::NAME" for one parameter.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
dp_config_init (DpConfig *self)
{
  self->params = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_param_free);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->syntaxes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pending_value_free);
}

DpConfig *
dp_config_new (void)
{
  return g_object_new (DP_TYPE_CONFIG, NULL);
}
