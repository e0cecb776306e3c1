/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SECTION:dp-dialog-info
 * @title: dialog-info+xml
 *
 * RFC 4235 `application/dialog-info+xml` documents (the bodies of `Event:
 * dialog` NOTIFYs that drive busy-lamp fields), parsed from hostile bytes
 * with libxml2, and the per-subscription state they build up.
 *
 * Parser decisions (each one is tested):
 *
 * - Safety: a document with a DOCTYPE is rejected before libxml2 sees it
 *   (no DTD, no entity declarations, so no entity expansion attacks);
 *   the parser never touches the network (`XML_PARSE_NONET`), never loads
 *   external subsets, and refuses bodies over %DP_DIALOG_INFO_MAX_SIZE bytes,
 *   more than %DP_DIALOG_INFO_MAX_DIALOGS dialogs or nesting deeper than
 *   libxml2's default limit. Errors name the line and column (or the
 *   element) at fault.
 * - The root must be `dialog-info` in `urn:ietf:params:xml:ns:dialog-info`
 *   with `version` (0 to 2^32-1), `state` (`full` / `partial`) and `entity`.
 *   Child elements are read in the same namespace; anything else (other
 *   namespaces, unknown elements such as `duration` or `route-set`) is
 *   ignored, as RFC 4235 §4.1 allows extensions.
 * - Each `dialog` needs an `id` and exactly one `state` whose text is
 *   `trying`, `proceeding`, `early`, `confirmed` or `terminated`
 *   (surrounding whitespace ignored). `direction` is optional
 *   (`initiator` / `recipient`); `call-id`, `local-tag`, `remote-tag`,
 *   the `event` / `code` of `state`, the local and remote `identity`
 *   (with `display`) and `target` `uri` are kept when present.
 * - Hold: a `target` carrying `<param pname="+sip.rendering" pvalue="no"/>`
 *   marks that side as not rendering media, i.e. on hold (RFC 4235 §4.1.6.2;
 *   Asterisk and FreeSWITCH send it on the local target). Either side
 *   counts as held.
 * - Two dialogs with the same `id` in one document are rejected.
 *
 * State (#DpDialogSet) decisions, after RFC 4235 §4.4:
 *
 * - The first document after dp_dialog_set_reset() (a new subscription)
 *   must be `full`; its version is taken as is.
 * - A later document whose version is not greater than the last one is
 *   stale: rejected with %DP_DIALOG_INFO_ERROR_STALE, state unchanged.
 * - A `partial` document must carry exactly the last version + 1; a gap
 *   (or a partial first document) is %DP_DIALOG_INFO_ERROR_OUT_OF_SEQUENCE:
 *   state unchanged, and the caller should re-subscribe for full state.
 * - A `full` document replaces every dialog; a `partial` one replaces or
 *   adds the dialogs it names. Terminated dialogs are then dropped.
 * - The lamp state of the remaining dialogs (dp_dialog_set_get_blf_state()):
 *   any dialog being offered to the watched user — `direction="recipient"`
 *   or no direction, in `trying`, `proceeding` or `early` — gives
 *   %DP_BLF_STATE_RINGING (a receptionist must see a ringing colleague even
 *   while the colleague is also on another call); else any confirmed dialog
 *   not on hold, or an outgoing dialog not yet confirmed, gives
 *   %DP_BLF_STATE_BUSY; else confirmed dialogs all on hold give
 *   %DP_BLF_STATE_HELD; no dialog gives %DP_BLF_STATE_IDLE.
 */

#define DP_DIALOG_INFO_MAX_SIZE (256 * 1024)
#define DP_DIALOG_INFO_MAX_DIALOGS 256
#define DP_DIALOG_INFO_CONTENT_TYPE "application/dialog-info+xml"

#define DP_DIALOG_INFO_ERROR (dp_dialog_info_error_quark ())
GQuark dp_dialog_info_error_quark (void);

/**
 * DpDialogInfoError:
 * @DP_DIALOG_INFO_ERROR_INVALID: not a valid dialog-info document
 * @DP_DIALOG_INFO_ERROR_STALE: the version is not newer than the state's
 * @DP_DIALOG_INFO_ERROR_OUT_OF_SEQUENCE: partial state that does not follow
 *   the state's version; full state is needed (re-subscribe)
 *
 * Errors of the dialog-info parser and state.
 */
typedef enum {
  DP_DIALOG_INFO_ERROR_INVALID,
  DP_DIALOG_INFO_ERROR_STALE,
  DP_DIALOG_INFO_ERROR_OUT_OF_SEQUENCE,
} DpDialogInfoError;

/**
 * DpDialogState:
 * @DP_DIALOG_STATE_TRYING: `trying`
 * @DP_DIALOG_STATE_PROCEEDING: `proceeding`
 * @DP_DIALOG_STATE_EARLY: `early` (ringing)
 * @DP_DIALOG_STATE_CONFIRMED: `confirmed` (talking)
 * @DP_DIALOG_STATE_TERMINATED: `terminated`
 *
 * RFC 4235 dialog states.
 */
typedef enum {
  DP_DIALOG_STATE_TRYING,
  DP_DIALOG_STATE_PROCEEDING,
  DP_DIALOG_STATE_EARLY,
  DP_DIALOG_STATE_CONFIRMED,
  DP_DIALOG_STATE_TERMINATED,
} DpDialogState;

/**
 * DpDialogDirection:
 * @DP_DIALOG_DIRECTION_UNKNOWN: no `direction` attribute
 * @DP_DIALOG_DIRECTION_INITIATOR: the watched user placed the call
 * @DP_DIALOG_DIRECTION_RECIPIENT: the watched user receives the call
 *
 * Who started a dialog, seen from the watched entity.
 */
typedef enum {
  DP_DIALOG_DIRECTION_UNKNOWN,
  DP_DIALOG_DIRECTION_INITIATOR,
  DP_DIALOG_DIRECTION_RECIPIENT,
} DpDialogDirection;

/**
 * DpBlfState:
 * @DP_BLF_STATE_OFF: the key watches nothing (empty, speed dial only,
 *   unit disabled)
 * @DP_BLF_STATE_UNKNOWN: not subscribed (no subscriber, pending, failed)
 * @DP_BLF_STATE_IDLE: the watched user has no dialog
 * @DP_BLF_STATE_RINGING: a call is being offered to the watched user
 * @DP_BLF_STATE_BUSY: the watched user is on a call or dialling
 * @DP_BLF_STATE_HELD: the watched user's calls are all on hold
 *
 * A busy-lamp key's state.
 */
typedef enum {
  DP_BLF_STATE_OFF,
  DP_BLF_STATE_UNKNOWN,
  DP_BLF_STATE_IDLE,
  DP_BLF_STATE_RINGING,
  DP_BLF_STATE_BUSY,
  DP_BLF_STATE_HELD,
} DpBlfState;

/**
 * DpDialog:
 * @id: the dialog's `id`
 * @call_id: (nullable): `call-id`
 * @local_tag: (nullable): `local-tag` (the watched user's side)
 * @remote_tag: (nullable): `remote-tag`
 * @direction: the direction
 * @state: the state
 * @state_event: (nullable): the `event` attribute of `state`
 * @state_code: the `code` attribute of `state`, 0 if absent
 * @local_identity: (nullable): `local/identity`
 * @local_display: (nullable): its `display`
 * @local_target: (nullable): `local/target/@uri`
 * @local_held: the local target does not render media
 * @remote_identity: (nullable): `remote/identity`
 * @remote_display: (nullable): its `display`
 * @remote_target: (nullable): `remote/target/@uri`
 * @remote_held: the remote target does not render media
 *
 * One dialog of a dialog-info document.
 */
typedef struct {
  char *id;
  char *call_id;
  char *local_tag;
  char *remote_tag;
  DpDialogDirection direction;
  DpDialogState state;
  char *state_event;
  guint state_code;
  char *local_identity;
  char *local_display;
  char *local_target;
  gboolean local_held;
  char *remote_identity;
  char *remote_display;
  char *remote_target;
  gboolean remote_held;
} DpDialog;

/**
 * DpDialogInfo:
 * @version: the document version
 * @partial: %TRUE for `state="partial"`
 * @entity: the watched resource
 * @dialogs: (element-type DpDialog): the dialogs, in document order
 *
 * A parsed dialog-info document.
 */
typedef struct {
  guint32 version;
  gboolean partial;
  char *entity;
  GPtrArray *dialogs;
} DpDialogInfo;

GType            dp_dialog_info_get_type        (void) G_GNUC_CONST;
DpDialogInfo    *dp_dialog_info_parse           (const guint8        *data,
                                                 gsize                length,
                                                 GError             **error);
DpDialogInfo    *dp_dialog_info_copy            (const DpDialogInfo  *info);
void             dp_dialog_info_free            (DpDialogInfo        *info);
gboolean         dp_dialog_info_content_type_ok (const char          *content_type);
DpDialogInfo    *dp_dialog_info_parse_notify    (const char          *content_type,
                                                 GBytes              *body,
                                                 GError             **error);

GType            dp_dialog_get_type             (void) G_GNUC_CONST;
DpDialog        *dp_dialog_copy                 (const DpDialog      *dialog);
void             dp_dialog_free                 (DpDialog            *dialog);
gboolean         dp_dialog_has_identifiers      (const DpDialog      *dialog);
gboolean         dp_dialog_is_held              (const DpDialog      *dialog);

const char      *dp_dialog_state_to_string      (DpDialogState        state);
const char      *dp_dialog_direction_to_string  (DpDialogDirection    direction);
const char      *dp_blf_state_to_string         (DpBlfState           state);

/**
 * DpDialogSet:
 *
 * The dialogs of one subscription, built from successive documents.
 */
typedef struct _DpDialogSet DpDialogSet;

DpDialogSet     *dp_dialog_set_new              (void);
void             dp_dialog_set_free             (DpDialogSet         *set);
void             dp_dialog_set_reset            (DpDialogSet         *set);
gboolean         dp_dialog_set_apply            (DpDialogSet         *set,
                                                 const DpDialogInfo  *info,
                                                 GError             **error);
gboolean         dp_dialog_set_has_state        (const DpDialogSet   *set);
guint32          dp_dialog_set_get_version      (const DpDialogSet   *set);
guint            dp_dialog_set_get_n_dialogs    (const DpDialogSet   *set);
const DpDialog  *dp_dialog_set_get_dialog       (const DpDialogSet   *set,
                                                 guint                index);
DpBlfState       dp_dialog_set_get_blf_state    (const DpDialogSet   *set);
const DpDialog  *dp_dialog_set_get_ringing      (const DpDialogSet   *set);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpDialogInfo, dp_dialog_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpDialog, dp_dialog_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpDialogSet, dp_dialog_set_free)

G_END_DECLS
