/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * DpRegistrationState:
 * @DP_REGISTRATION_DISABLED: `Line_Enable_n_` is No, or no SIP provider runs the line
 * @DP_REGISTRATION_NONE: enabled, but `Register_n_` is No or no proxy is set
 * @DP_REGISTRATION_REGISTERING: a REGISTER is under way
 * @DP_REGISTRATION_REGISTERED: registered; see #DpLine:expires-at
 * @DP_REGISTRATION_FAILED: the last attempt failed; see #DpLine:last-error,
 *   a retry is scheduled
 *
 * Registration state of an extension, as the SPA's Info tab shows it.
 */
typedef enum {
  DP_REGISTRATION_DISABLED,
  DP_REGISTRATION_NONE,
  DP_REGISTRATION_REGISTERING,
  DP_REGISTRATION_REGISTERED,
  DP_REGISTRATION_FAILED,
} DpRegistrationState;

const char *dp_registration_state_to_string   (DpRegistrationState  state);
const char *dp_registration_state_label       (DpRegistrationState  state);
gboolean    dp_registration_state_from_string (const char          *text,
                                               DpRegistrationState *state);

/* The status' "registration" of a line when no SIP plugin runs the lines. */
#define DP_REGISTRATION_UNAVAILABLE "unavailable"

const char *dp_registration_label             (const char          *identifier);

#define DP_TYPE_LINE (dp_line_get_type ())
G_DECLARE_FINAL_TYPE (DpLine, dp_line, DP, LINE, GObject)

/* Lines are created by the core (one per extension); the SIP provider updates
 * their state. Properties notify on change. */
DpLine              *dp_line_new                    (guint                index);
guint                dp_line_get_index              (DpLine              *self);
DpRegistrationState  dp_line_get_registration_state (DpLine              *self);
const char          *dp_line_get_last_error         (DpLine              *self);
gint64               dp_line_get_registered_at      (DpLine              *self);
gint64               dp_line_get_expires_at         (DpLine              *self);
gboolean             dp_line_get_message_waiting    (DpLine              *self);

void                 dp_line_set_registration       (DpLine              *self,
                                                     DpRegistrationState  state,
                                                     const char          *last_error);
void                 dp_line_set_expires_at         (DpLine              *self,
                                                     gint64               unix_time);
void                 dp_line_set_message_waiting    (DpLine              *self,
                                                     gboolean             waiting);

JsonNode            *dp_line_to_json                (DpLine              *self);

G_END_DECLS
