/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "dp-phone-service.h"
#include "dp-dbus-generated.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

DpCore       *dp_phone_service_get_core      (DpPhoneService *self);
DpDBusPhone1 *dp_phone_service_get_skeleton  (DpPhoneService *self);

/* dp-phone-service-calls.c */
void          dp_phone_service_connect_calls (DpPhoneService *self);

/* dp-phone-service-directory.c */
void          dp_phone_service_connect_directory (DpPhoneService *self);

G_END_DECLS
