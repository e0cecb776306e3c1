/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "dp-param.h"

G_BEGIN_DECLS

/* A registered, concrete parameter: its declaration (expanded for families)
 * plus its current value and user access. Owned by DpConfig. */
struct _DpParam {
  char *name;
  DpParamType type;
  char *default_value;
  char *group;
  char *tab;
  char *section;
  char **choices;       /* enum choices, NULL otherwise */
  char list_separator;  /* DP_PARAM_LIST only */
  double min;
  double max;
  guint flags;
  DpAccess default_access;
  char *syntax;
  char *owner;

  char *value;
  DpAccess access;
};

DpParam  *dp_param_new_from_decl (const DpParamDecl *decl,
                                  const char        *name,
                                  const char        *group,
                                  const char        *owner);
void      dp_param_free          (DpParam           *param);

/* Checks @value against the type, range and choices (not the syntax checker).
 * On failure sets @error with the reason only (the caller adds name and value). */
gboolean  dp_param_check_value   (const DpParam     *param,
                                  const char        *value,
                                  GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpParam, dp_param_free)

G_END_DECLS
