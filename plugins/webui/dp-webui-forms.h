/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Form submissions and profile export.
 *
 * A submission carries every field of the view; only fields whose value
 * differs from the current one become assignments. Every changed field is
 * validated first and all messages are collected, so the page can show each
 * next to its field; only when all are valid is the profile applied, through
 * dp_config_apply(), which is all-or-nothing. A field the account may not
 * change (na/ro for the user, status values, unknown names) rejects the
 * whole submission. An empty secret field means "unchanged".
 *
 * dp_webui_form_decode() decodes an application/x-www-form-urlencoded body
 * into name -> value and refuses (G_IO_ERROR_INVALID_DATA) a name or value
 * that is not UTF-8 or holds a NUL, naming the field and the byte offset
 * inside the decoded value: the config store and the pages hold UTF-8 only.
 *
 * The export is a flat-profile XML of every parameter in registration order
 * with `group="Tab/Section"` and `ua` attributes, as the SPA's dumps are.
 * Secrets are written in the empty-element form (`<Password_1_ group=".."
 * ua="na"/>`), which names them without a value and which, re-imported,
 * leaves their value unchanged. Characters outside ASCII are written as
 * numeric character references, since the profile parser reads ASCII.
 */
#pragma once

#include <deskphone.h>
#include "dp-webui-auth.h"

G_BEGIN_DECLS

/* Key of the @errors table for a message that belongs to no field. */
#define DP_WEBUI_GENERAL_ERROR ""

GHashTable *dp_webui_form_decode    (const char  *data,
                                     gsize        length,
                                     GError     **error);
DpProfile *dp_webui_form_to_profile (DpConfig    *config,
                                     GHashTable  *form,
                                     DpWebuiRole  role,
                                     GHashTable  *errors);
gboolean   dp_webui_form_apply      (DpConfig    *config,
                                     GHashTable  *form,
                                     DpWebuiRole  role,
                                     GHashTable  *errors,
                                     guint       *n_applied);
char      *dp_webui_error_field     (DpConfig    *config,
                                     const char  *message);
char      *dp_webui_export_profile  (DpConfig    *config);

G_END_DECLS
