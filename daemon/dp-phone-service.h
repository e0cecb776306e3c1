/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gio/gio.h>
#include "dp-core.h"

G_BEGIN_DECLS

#define DP_TYPE_PHONE_SERVICE (dp_phone_service_get_type ())
G_DECLARE_FINAL_TYPE (DpPhoneService, dp_phone_service, DP, PHONE_SERVICE, GObject)

DpPhoneService *dp_phone_service_new      (DpCore          *core);
gboolean        dp_phone_service_export   (DpPhoneService  *self,
                                           GDBusConnection *connection,
                                           GError         **error);
void            dp_phone_service_unexport (DpPhoneService  *self);

G_END_DECLS
