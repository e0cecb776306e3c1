/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SECTION:dp-prov-device
 * @title: Device facts
 * @short_description: what `$MA`, `$SN`, `$PN` … say about this phone
 *
 * The facts behind the device macros of spec §1.6 and the User-Agent.
 *
 * Sources, in order:
 * 1. `device.ini` in the state dir, group `[Device]`, keys `Mac`, `Serial`,
 *    `Product`, `ProductSeries`, `HardwareVersion` (each optional). This is
 *    the manufacturing record of a real unit, and what tests use.
 * 2. The MAC of the first network interface in `/sys/class/net` (by name)
 *    that is not loopback and has a non-zero Ethernet-size address.
 * 3. Defaults: a compatibility personality so that existing SPA
 *    provisioning servers work unchanged: `Product` = `SPA962`,
 *    `ProductSeries` = `962` (factory rule `/spa$PSN.cfg` → `/spa962.cfg`),
 *    `Serial` = the MAC in upper-case hex (unique per unit, like the SPA's
 *    serial), `HardwareVersion` = `1.0.0`.
 *
 * `$SWVER` is the deskphone version. The User-Agent follows the SPA's
 * `Linksys/SPA-962-6.1.5(a) (SERIAL)` shape as `Deskphone/SPA-962-VERSION
 * (SERIAL)`: the model is the product name with a `-` after its letters.
 * `$IP` is the first IPv4 address of a non-loopback interface up (the
 * interface of the MAC first), read when asked.
 */

typedef struct _DpProvDevice DpProvDevice;

DpProvDevice *dp_prov_device_new            (const char   *state_dir,
                                             const char   *sw_version,
                                             GError      **error);
DpProvDevice *dp_prov_device_new_from_keyfile (GKeyFile   *keyfile,
                                             const char   *sys_class_net,
                                             const char   *sw_version,
                                             GError      **error);
void          dp_prov_device_free           (DpProvDevice *self);

const char   *dp_prov_device_get_mac        (DpProvDevice *self);
const char   *dp_prov_device_get_serial     (DpProvDevice *self);
const char   *dp_prov_device_get_product    (DpProvDevice *self);
const char   *dp_prov_device_get_series     (DpProvDevice *self);
const char   *dp_prov_device_get_hw_version (DpProvDevice *self);
const char   *dp_prov_device_get_sw_version (DpProvDevice *self);
const char   *dp_prov_device_get_interface  (DpProvDevice *self);
char         *dp_prov_device_get_model      (DpProvDevice *self);
char         *dp_prov_device_get_ip         (DpProvDevice *self);
char         *dp_prov_device_build_user_agent (DpProvDevice *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpProvDevice, dp_prov_device_free)

G_END_DECLS
