/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "dp-config.h"
#include "dp-call.h"
#include "dp-call-provider.h"
#include "dp-line.h"
#include "dp-media.h"
#include "dp-subscription.h"
#include "dp-call-history.h"
#include "dp-directory.h"

G_BEGIN_DECLS

#define DP_TYPE_CORE (dp_core_get_type ())
G_DECLARE_FINAL_TYPE (DpCore, dp_core, DP, CORE, GObject)

DpCore     *dp_core_new               (const char *state_dir);
DpConfig   *dp_core_get_config        (DpCore     *self);
const char *dp_core_get_state_dir     (DpCore     *self);
const char *dp_core_get_version       (DpCore     *self);
gint64      dp_core_get_uptime_s      (DpCore     *self);
void        dp_core_set_language      (DpCore     *self,
                                       const char *language);
const char *dp_core_get_language      (DpCore     *self);

gboolean    dp_core_load_state        (DpCore     *self,
                                       GError    **error);

void        dp_core_set_port          (DpCore     *self,
                                       const char *service,
                                       guint       index,
                                       guint       port);
guint       dp_core_get_port          (DpCore     *self,
                                       const char *service,
                                       guint       index);

/**
 * DpStatusSectionFunc:
 * @core: the core
 * @user_data: data given at registration
 *
 * Builds one member of the status document (e.g. "provisioning").
 *
 * Returns: (transfer full): the JSON value of the section
 */
typedef JsonNode *(*DpStatusSectionFunc) (DpCore *core, gpointer user_data);

void        dp_core_add_status_section    (DpCore              *self,
                                           const char          *name,
                                           DpStatusSectionFunc  func,
                                           gpointer             user_data,
                                           GDestroyNotify       destroy);
void        dp_core_remove_status_section (DpCore              *self,
                                           const char          *name);
JsonNode   *dp_core_build_status          (DpCore              *self);
JsonNode   *dp_core_build_status_member   (DpCore              *self,
                                           const char          *name);
void        dp_core_notify_status         (DpCore              *self,
                                           const char          *section);

/**
 * DpActionFunc:
 * @core: the core
 * @argument: (nullable): the action's argument
 * @user_data: data given at registration
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the action started
 */
typedef gboolean (*DpActionFunc) (DpCore      *core,
                                  const char  *argument,
                                  gpointer     user_data,
                                  GError     **error);

void        dp_core_add_action            (DpCore              *self,
                                           const char          *name,
                                           DpActionFunc         func,
                                           gpointer             user_data,
                                           GDestroyNotify       destroy);
void        dp_core_remove_action         (DpCore              *self,
                                           const char          *name);
gboolean    dp_core_has_action            (DpCore              *self,
                                           const char          *name);
gboolean    dp_core_run_action            (DpCore              *self,
                                           const char          *name,
                                           const char          *argument,
                                           GError             **error);

/* Lines and calls. */
#define DP_CORE_MAX_LINES 6

guint       dp_core_get_n_lines           (DpCore              *self);
DpLine     *dp_core_get_line              (DpCore              *self,
                                           guint                index);
GListModel *dp_core_get_calls             (DpCore              *self);
DpCall     *dp_core_find_call             (DpCore              *self,
                                           const char          *id);
void        dp_core_add_call              (DpCore              *self,
                                           DpCall              *call);
void        dp_core_set_call_provider     (DpCore              *self,
                                           DpCallProvider      *provider);
DpCallProvider *dp_core_get_call_provider (DpCore              *self);
void        dp_core_set_media_provider    (DpCore              *self,
                                           DpMediaProvider     *provider);
DpMediaProvider *dp_core_get_media_provider (DpCore            *self);
void        dp_core_set_subscriber        (DpCore              *self,
                                           DpSubscriber        *subscriber);
DpSubscriber *dp_core_get_subscriber      (DpCore              *self);
DpCall     *dp_core_dial                  (DpCore              *self,
                                           guint                line,
                                           const char          *target,
                                           GError             **error);
gboolean    dp_core_conference            (DpCore              *self,
                                           const char          *call_a,
                                           const char          *call_b,
                                           GError             **error);
gboolean    dp_core_end_conference        (DpCore              *self,
                                           GError             **error);

/* Call history and personal directory (core/history), loaded by
 * dp_core_load_state() from `<state>/history.json` and
 * `<state>/directory.json`; the core records every call that ends. */
DpCallHistory *dp_core_get_call_history   (DpCore              *self);
DpDirectory   *dp_core_get_directory      (DpCore              *self);

G_END_DECLS
