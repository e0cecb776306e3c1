/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The per-tab tables that dp_catalog_spa() joins. Internal to core/catalog.
 */
#pragma once

#include "dp-catalog.h"

G_BEGIN_DECLS

extern const DpParamDecl dp_catalog_info[];
extern const gsize dp_catalog_info_len;
extern const DpParamDecl dp_catalog_system[];
extern const gsize dp_catalog_system_len;
extern const DpParamDecl dp_catalog_sip[];
extern const gsize dp_catalog_sip_len;
extern const DpParamDecl dp_catalog_provisioning[];
extern const gsize dp_catalog_provisioning_len;
extern const DpParamDecl dp_catalog_regional[];
extern const gsize dp_catalog_regional_len;
extern const DpParamDecl dp_catalog_phone[];
extern const gsize dp_catalog_phone_len;
extern const DpParamDecl dp_catalog_ext[];
extern const gsize dp_catalog_ext_len;
extern const DpParamDecl dp_catalog_user[];
extern const gsize dp_catalog_user_len;
extern const DpParamDecl dp_catalog_spa932[];
extern const gsize dp_catalog_spa932_len;

G_END_DECLS
