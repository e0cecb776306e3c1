/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "dp-core.h"

G_BEGIN_DECLS

/* The call-model state DpCore owns (dp-core-calls.c). */
typedef struct {
  GPtrArray *lines;           /* DpLine*, index 1 at [0] */
  GListStore *calls;          /* DpCall */
  DpCallProvider *provider;
  DpMediaProvider *media;
  DpSubscriber *subscriber;
} DpCoreCalls;

DpCoreCalls *dp_core_get_calls_state (DpCore      *self);
void         dp_core_calls_init      (DpCore      *self,
                                      DpCoreCalls *calls);
void         dp_core_calls_clear     (DpCoreCalls *calls);

JsonNode    *dp_core_build_section   (DpCore      *self,
                                      const char  *name);
/* Adds the sections plugins registered beyond the ones the core names. */
void         dp_core_add_other_sections (DpCore      *self,
                                         JsonBuilder *builder);

/* dp-core-actions.c */
GHashTable  *dp_core_actions_new     (void);
GHashTable  *dp_core_get_actions     (DpCore      *self);

G_END_DECLS
