/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <deskphone.h>

#include "dp-prov-device.h"
#include "dp-prov-fetch.h"

G_BEGIN_DECLS

/**
 * SECTION:dp-prov-env
 * @title: Provisioning environment
 * @short_description: device state shared by resync, upgrade and report
 *
 * One #DpProvEnv per activated plugin. It backs the macro context with
 * real state: device facts (#DpProvDevice), GPP_A…GPP_P / GPP_SA…GPP_SD /
 * User_ID_n_ from the configuration, `$CCERT` from the client certificate
 * in the state dir, `$EXTIP` from `EXT_IP` (empty when not set, as on an
 * SPA that has not learnt its NAT address), the timers `$PRVTMR` /
 * `$UPGTMR` (phone seconds since the last attempt, or since start-up when
 * there was none) and `$REGTMRn` (0 while extension n is registered,
 * otherwise seconds since it lost its registration, or since start-up),
 * `$PRVST`, `$UPGST`, `$UPGERR` and `$UPGCOND` (`true`). Per-attempt
 * macros (`$SCHEME` … `$ERR`) go into an overlay for each attempt.
 */

typedef struct _DpProvEnv DpProvEnv;

DpProvEnv      *dp_prov_env_new              (DpCore       *core,
                                              DpProvDevice *device);
void            dp_prov_env_free             (DpProvEnv    *self);

DpCore         *dp_prov_env_get_core         (DpProvEnv    *self);
DpConfig       *dp_prov_env_get_config       (DpProvEnv    *self);
DpProvDevice   *dp_prov_env_get_device       (DpProvEnv    *self);
DpMacroContext *dp_prov_env_get_macros       (DpProvEnv    *self);
GRand          *dp_prov_env_get_rand         (DpProvEnv    *self);

void            dp_prov_env_mark_resync      (DpProvEnv    *self,
                                              int           prvst);
void            dp_prov_env_mark_upgrade     (DpProvEnv    *self,
                                              int           upgst,
                                              const char   *upgerr);

gboolean        dp_prov_env_is_idle          (DpProvEnv    *self);
guint           dp_prov_env_watch_calls      (DpProvEnv    *self,
                                              GCallback     callback,
                                              gpointer      user_data);
void            dp_prov_env_unwatch_calls    (DpProvEnv    *self,
                                              guint         watch_id);

DpProvTrust    *dp_prov_env_load_trust       (DpProvEnv    *self,
                                              GError      **error);
DpProvFetchRequest *dp_prov_env_make_request (DpProvEnv          *self,
                                              const DpRuleResult *result,
                                              gsize               max_size,
                                              GError            **error);
void            dp_prov_env_log              (DpProvEnv      *self,
                                              const char     *parameter,
                                              DpMacroContext *ctx);
char           *dp_prov_env_describe_error   (const GError   *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpProvEnv, dp_prov_env_free)

G_END_DECLS
