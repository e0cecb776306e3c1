/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The screen's test/demo script (`DESKPHONE_SCREEN_SCRIPT=<file>`): a list
 * of steps the plugin runs on main-loop timeouts after the window is shown,
 * so a test or a demo can drive the real widgets without accessibility or
 * D-Bus. It is not a user feature: without the variable nothing happens.
 *
 * One step per line; blank lines and lines starting with `#` are ignored;
 * words are separated by blanks.
 *
 *   press NAME              activate the widget named NAME (buttons carry
 *                           names: key-5, key-star, key-hash, softkey-hold,
 *                           line-1, offhook, speaker, headset, volume-up,
 *                           view-sidecar, sidecar-1-5, dir-add, dir-dial-1 …);
 *                           it fails if the widget is hidden or insensitive
 *   type NAME TEXT…         set the text of the entry NAME (rest of the line)
 *   screenshot NAME         save the window as NAME.png (NAME: letters,
 *                           digits, `-`, `_`, at most 64)
 *   wait MS                 wait MS milliseconds (0..600000)
 *   wait-call STATE [S]     wait until a call is in STATE (a DpCallState
 *                           name: ringback, ringing, active, held …), at most
 *                           S seconds (default 20, 1..600)
 *   wait-idle [S]           wait until no call is left (same bounds)
 *   log TEXT…               log "screen script: TEXT" (a marker for tests)
 *
 * Waits for calls follow DpCore "call-changed"; nothing is polled. A step
 * that fails (unknown widget, timeout) logs "screen script: line N
 * failed: …" and stops the script; the last step logs "screen script:
 * finished". Parse errors name the line and the problem; the whole script
 * is refused and nothing runs.
 */
#pragma once

#include <deskphone.h>

G_BEGIN_DECLS

#define DP_SCREEN_SCRIPT_MAX_SIZE  (64 * 1024)
#define DP_SCREEN_SCRIPT_MAX_STEPS 1000
#define DP_SCREEN_SCRIPT_MAX_NAME  64

typedef enum {
  DP_SCREEN_STEP_PRESS,
  DP_SCREEN_STEP_TYPE,
  DP_SCREEN_STEP_SCREENSHOT,
  DP_SCREEN_STEP_WAIT,
  DP_SCREEN_STEP_WAIT_CALL,
  DP_SCREEN_STEP_WAIT_IDLE,
  DP_SCREEN_STEP_LOG,
} DpScreenStepKind;

typedef struct {
  DpScreenStepKind kind;
  guint            line;        /* 1-based line in the script */
  char            *name;        /* press, type, screenshot */
  char            *text;        /* type, log */
  guint            ms;          /* wait; wait-call / wait-idle timeout */
  DpCallState      state;       /* wait-call */
} DpScreenStep;

void       dp_screen_step_free    (DpScreenStep *step);
GPtrArray *dp_screen_script_parse (const char   *data,
                                   gssize        length,
                                   GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpScreenStep, dp_screen_step_free)

G_END_DECLS
