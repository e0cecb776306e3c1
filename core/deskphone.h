/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * libdeskphone-1: the one header plugins and tools include. */
#pragma once

#define __DESKPHONE_H_INSIDE__

#include "dp-param.h"
#include "dp-profile.h"
#include "dp-config.h"
#include "dp-line.h"
#include "dp-call.h"
#include "dp-call-provider.h"
#include "dp-media.h"
#include "dp-subscription.h"
#include "dp-call-history.h"
#include "dp-directory.h"
#include "dp-core.h"
#include "dp-plugin.h"
#include "dp-plugin-engine.h"
#include "dp-log.h"
#include "dp-dbus-errors.h"
#include "dp-dialplan.h"
#include "dp-star-codes.h"
#include "dp-dst.h"
#include "dp-macro.h"
#include "dp-condition.h"
#include "dp-rule.h"
#include "dp-delay-list.h"
#include "dp-feed-parser.h"
#include "dp-feed-script.h"
#include "dp-script.h"
#include "dp-tone-script.h"
#include "dp-ring-script.h"
#include "dp-led-script.h"
#include "dp-key-script.h"
#include "dp-dialog-info.h"
#include "dp-tone-generator.h"
#include "dp-enum-types.h"

#undef __DESKPHONE_H_INSIDE__
