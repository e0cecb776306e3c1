/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Which softkeys the screen shows, per state, following the SPA942/962
 * softkey lists (a pure function, so the lists are unit-tested):
 *
 *   idle                     redial dir cfwd|cfwd-off dnd|dnd-off
 *   off-hook / dialing       dial delchar cancel dir
 *   entering a cfwd/xfer
 *   target                   dial delchar cancel
 *   outgoing, not answered   endcall
 *   ringing (incoming)       answer ignore
 *   connected                hold conf xfer endcall
 *   far end holds us         hold xfer endcall
 *   held                     resume endcall newcall
 *
 * Decisions: `conf` is shown only when the core offers a "conference"
 * action (no plugin implements conferencing yet, and a key that can only
 * fail is worse than none); `delchar` (“<<”) only when there are digits to
 * delete; `cfwd-off` / `dnd-off` are the SPA's “-cfwd” / “-dnd” (the key
 * that turns the service off while it is on).
 */
#pragma once

#include <deskphone.h>

G_BEGIN_DECLS

#define DP_SCREEN_MAX_SOFTKEYS 5

typedef enum {
  DP_SCREEN_ENTRY_NONE,
  DP_SCREEN_ENTRY_CFWD,
  DP_SCREEN_ENTRY_XFER,
} DpScreenEntryMode;

typedef struct {
  gboolean          has_call;        /* the selected call exists */
  DpCallState       state;           /* its state */
  DpCallDirection   direction;
  gboolean          off_hook;        /* dialing with no call yet */
  gboolean          has_digits;      /* something typed in the dial field */
  DpScreenEntryMode entry;           /* typing a cfwd / transfer target */
  gboolean          dnd;
  gboolean          cfwd;
  gboolean          can_conference;
} DpScreenSoftkeyContext;

guint       dp_screen_softkeys_for      (const DpScreenSoftkeyContext *context,
                                         const char                  **ids);
const char *dp_screen_softkey_label     (const char                   *id);

G_END_DECLS
