/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "dp-media.h"

G_BEGIN_DECLS

/**
 * DpCallDirection:
 * @DP_CALL_OUTGOING: placed by this phone
 * @DP_CALL_INCOMING: received
 */
typedef enum {
  DP_CALL_OUTGOING,
  DP_CALL_INCOMING,
} DpCallDirection;

/**
 * DpCallState:
 * @DP_CALL_STATE_DIALING: outgoing, request sent, nothing heard back yet
 * @DP_CALL_STATE_PROCEEDING: outgoing, the network is working on it (1xx without ringing)
 * @DP_CALL_STATE_RINGBACK: outgoing, the far end is ringing (180/183)
 * @DP_CALL_STATE_RINGING: incoming, this phone is ringing
 * @DP_CALL_STATE_ACTIVE: connected, media flowing both ways
 * @DP_CALL_STATE_HELD: this phone put the call on hold
 * @DP_CALL_STATE_REMOTE_HELD: the far end put the call on hold
 * @DP_CALL_STATE_ENDED: over; see #DpCall:end-reason. Final.
 *
 * The life of a call.
 */
typedef enum {
  DP_CALL_STATE_DIALING,
  DP_CALL_STATE_PROCEEDING,
  DP_CALL_STATE_RINGBACK,
  DP_CALL_STATE_RINGING,
  DP_CALL_STATE_ACTIVE,
  DP_CALL_STATE_HELD,
  DP_CALL_STATE_REMOTE_HELD,
  DP_CALL_STATE_ENDED,
} DpCallState;

const char *dp_call_state_to_string     (DpCallState     state);
const char *dp_call_state_label         (DpCallState     state);
gboolean    dp_call_state_from_string   (const char     *text,
                                         DpCallState    *state);
const char *dp_call_end_reason_label    (const char     *reason);
const char *dp_call_direction_to_string (DpCallDirection direction);

#define DP_CALL_ERROR (dp_call_error_quark ())

/**
 * DpCallError:
 * @DP_CALL_ERROR_INVALID_STATE: the request does not fit the call's state
 *   (answering an outgoing call, resuming a call that is not held ...)
 * @DP_CALL_ERROR_NOT_SUPPORTED: the provider cannot do this
 * @DP_CALL_ERROR_NO_PROVIDER: no plugin places calls
 * @DP_CALL_ERROR_BAD_NUMBER: the number or target is not valid
 * @DP_CALL_ERROR_LINE: the line is disabled or cannot place calls now
 * @DP_CALL_ERROR_NOT_FOUND: no call with that id
 * @DP_CALL_ERROR_FAILED: the request failed (message says why)
 */
typedef enum {
  DP_CALL_ERROR_INVALID_STATE,
  DP_CALL_ERROR_NOT_SUPPORTED,
  DP_CALL_ERROR_NO_PROVIDER,
  DP_CALL_ERROR_BAD_NUMBER,
  DP_CALL_ERROR_LINE,
  DP_CALL_ERROR_NOT_FOUND,
  DP_CALL_ERROR_FAILED,
} DpCallError;

GQuark dp_call_error_quark (void);

#define DP_TYPE_CALL (dp_call_get_type ())
G_DECLARE_DERIVABLE_TYPE (DpCall, dp_call, DP, CALL, GObject)

/**
 * DpCallClass:
 * @parent_class: the parent class
 * @answer: accept an incoming ringing call
 * @hangup: end, reject (incoming ringing) or cancel (outgoing) the call
 * @hold: put the call on hold
 * @resume: take it off hold
 * @transfer: blind transfer to @target (a number or SIP URI)
 * @transfer_to_call: attended transfer: connect this call's peer with @other's
 * @send_dtmf: send DTMF digits (0-9 * # A-D)
 *
 * A call is implemented by the plugin that signals it (the sip plugin
 * subclasses it); the core, D-Bus and GUI only use these methods. The
 * default implementations fail with %DP_CALL_ERROR_NOT_SUPPORTED.
 */
struct _DpCallClass
{
  GObjectClass parent_class;

  gboolean (*answer)           (DpCall      *self,
                                GError     **error);
  gboolean (*hangup)           (DpCall      *self,
                                GError     **error);
  gboolean (*hold)             (DpCall      *self,
                                GError     **error);
  gboolean (*resume)           (DpCall      *self,
                                GError     **error);
  gboolean (*transfer)         (DpCall      *self,
                                const char  *target,
                                GError     **error);
  gboolean (*transfer_to_call) (DpCall      *self,
                                DpCall      *other,
                                GError     **error);
  gboolean (*send_dtmf)        (DpCall      *self,
                                const char  *digits,
                                GError     **error);

  /*< private >*/
  gpointer padding[8];
};

const char      *dp_call_get_id           (DpCall          *self);
guint            dp_call_get_line         (DpCall          *self);
DpCallDirection  dp_call_get_direction    (DpCall          *self);
DpCallState      dp_call_get_state        (DpCall          *self);
const char      *dp_call_get_peer         (DpCall          *self);
const char      *dp_call_get_peer_name    (DpCall          *self);
const char      *dp_call_get_end_reason   (DpCall          *self);
const char      *dp_call_get_codec        (DpCall          *self);
gboolean         dp_call_get_secure       (DpCall          *self);
const char      *dp_call_get_srtp_suite   (DpCall          *self);
gint64           dp_call_get_started_at   (DpCall          *self);
gint64           dp_call_get_connected_at (DpCall          *self);

gboolean         dp_call_answer           (DpCall          *self,
                                           GError         **error);
gboolean         dp_call_hangup           (DpCall          *self,
                                           GError         **error);
gboolean         dp_call_hold             (DpCall          *self,
                                           GError         **error);
gboolean         dp_call_resume           (DpCall          *self,
                                           GError         **error);
gboolean         dp_call_transfer         (DpCall          *self,
                                           const char      *target,
                                           GError         **error);
gboolean         dp_call_transfer_to_call (DpCall          *self,
                                           DpCall          *other,
                                           GError         **error);
gboolean         dp_call_send_dtmf        (DpCall          *self,
                                           const char      *digits,
                                           GError         **error);

/* For providers. */
void             dp_call_set_state        (DpCall          *self,
                                           DpCallState      state,
                                           const char      *end_reason);
void             dp_call_set_peer         (DpCall          *self,
                                           const char      *peer,
                                           const char      *peer_name);
void             dp_call_set_media        (DpCall          *self,
                                           const char      *codec,
                                           gboolean         secure,
                                           const char      *srtp_suite);
void             dp_call_set_stats        (DpCall          *self,
                                           JsonNode        *stats);

DpMediaSession  *dp_call_get_media_session (DpCall         *self);
gboolean         dp_call_get_conference   (DpCall          *self);

/* For providers: the session carrying the call's audio (NULL when none),
 * so the core can ask the media provider to mix it into a conference. */
void             dp_call_set_media_session (DpCall         *self,
                                            DpMediaSession *session);
/* For the core: whether the call is a leg of the local conference. */
void             dp_call_set_conference   (DpCall          *self,
                                           gboolean         conference);

JsonNode        *dp_call_to_json          (DpCall          *self);

G_END_DECLS
