/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpCallHistory: the placed / received / missed call lists (issue 5 item 4),
 * owned by DpCore (dp_core_get_call_history()) and kept in
 * `<state>/history.json`. The core records every DpCall that ends (from its
 * own "call-changed" signal), so the lists work without the screen plugin
 * and the call providers need not know about them.
 *
 * Decisions:
 * - Classification: an outgoing call is "placed"; an incoming call that was
 *   connected is "received"; an incoming call never connected (caller gave
 *   up, rejected, ignored, timed out) is "missed", as the SPA's missed-call
 *   list counts every unanswered call.
 * - Size bound: the newest %DP_CALL_HISTORY_MAX_PER_KIND entries of each
 *   kind are kept (the SPA keeps 60 per list; we keep 100).
 * - The file is `{"version":1,"entries":[{"kind","peer","name","line",
 *   "start","duration_s","end_reason"}...]}`, newest first, written to a
 *   temporary file, synced and renamed. A file that does not parse or
 *   validate is refused with an error naming the entry and the problem;
 *   the core then moves it aside (`history.json.corrupt`) and starts empty.
 * - #DpCallHistory::changed is emitted after every add, clear and load.
 */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <json-glib/json-glib.h>
#include "dp-call.h"

G_BEGIN_DECLS

#define DP_CALL_HISTORY_MAX_PER_KIND 100
#define DP_CALL_HISTORY_MAX_TEXT 256

typedef enum {
  DP_CALL_HISTORY_PLACED,
  DP_CALL_HISTORY_RECEIVED,
  DP_CALL_HISTORY_MISSED,
} DpCallHistoryKind;

typedef struct {
  DpCallHistoryKind kind;
  char   *peer;        /* URI or number */
  char   *name;        /* display name, may be "" */
  guint   line;
  gint64  start;       /* unix seconds */
  gint64  duration_s;  /* connected time, 0 if never connected */
  char   *end_reason;  /* may be "" */
} DpCallHistoryEntry;

#define DP_TYPE_CALL_HISTORY (dp_call_history_get_type ())
G_DECLARE_FINAL_TYPE (DpCallHistory, dp_call_history, DP, CALL_HISTORY, GObject)

const char        *dp_call_history_kind_to_string   (DpCallHistoryKind kind);
gboolean           dp_call_history_kind_from_string (const char        *text,
                                                     DpCallHistoryKind *kind);
const char        *dp_call_history_kind_label       (DpCallHistoryKind kind);

DpCallHistory     *dp_call_history_new          (const char        *path);
const char        *dp_call_history_get_path     (DpCallHistory     *self);
gboolean           dp_call_history_load         (DpCallHistory     *self,
                                                 GError           **error);
gboolean           dp_call_history_load_data    (DpCallHistory     *self,
                                                 const char        *data,
                                                 gssize             length,
                                                 GError           **error);
gboolean           dp_call_history_save         (DpCallHistory     *self,
                                                 GError           **error);
void               dp_call_history_add          (DpCallHistory     *self,
                                                 DpCallHistoryKind  kind,
                                                 const char        *peer,
                                                 const char        *name,
                                                 guint              line,
                                                 gint64             start,
                                                 gint64             duration_s,
                                                 const char        *end_reason);
gboolean           dp_call_history_record_call  (DpCallHistory     *self,
                                                 DpCall            *call,
                                                 gint64             now);
guint              dp_call_history_get_n_entries (DpCallHistory    *self);
guint              dp_call_history_count_kind   (DpCallHistory     *self,
                                                 DpCallHistoryKind  kind);
const DpCallHistoryEntry *dp_call_history_get_entry (DpCallHistory *self,
                                                 guint              index);
const DpCallHistoryEntry *dp_call_history_last_of_kind (DpCallHistory *self,
                                                 DpCallHistoryKind  kind);
void               dp_call_history_clear        (DpCallHistory     *self);
JsonNode          *dp_call_history_to_json      (DpCallHistory     *self);

G_END_DECLS
