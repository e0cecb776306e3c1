/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpScreen: the reference phone screen (GTK 4), driven by the core's
 * objects and signals on the daemon's main loop.
 *
 * - Line keys 1..6: `Extension_k_` / `Short_Name_k_` (`$USER` = the
 *   extension's `User_ID_n_`), LED per spa9x2-reference §8.3 from the
 *   `*_LED` scripts, blinking with dp_led_script_get_timing(). Decisions for
 *   the UNCONFIRMED defaults: `Registering_LED` = `c=a;p=s`,
 *   `Register_Failed_LED` = `c=a` (AG: orange = unregistered),
 *   `Disabled_LED` = `c=o`, `Remote_Held_LED` = `c=r;p=s`.
 * - Call area: state, peer name and number, duration, secure mark, codec,
 *   the digits being dialed and the tone the phone would play.
 * - Tones: there is no audio path for local tones yet (the media plugin
 *   renders only call media), so the screen builds the DpToneGenerator of
 *   the tone (Dial_Tone, Outside_Dial_Tone, Reorder_Tone …, which validates
 *   the script) and shows the tone's name; nothing pulls samples from it.
 * - Keypad → DpDialer (`Dial_Plan_n_`, Interdigit timers, factory service
 *   codes) key by key; its timer events arm a GLib timeout; a send event
 *   calls dp_core_dial(). DND_Act/Deact and Cfwd_All_Act/Deact codes set
 *   `DND_Setting` / `Cfwd_All_Dest`; other service codes are reported as not
 *   handled by the screen. In a connected call the keypad sends DTMF.
 * - RSS ticker: the "feeds" status section is re-read each time the text
 *   has scrolled through once (there is no change signal a plugin may use);
 *   it moves one character every `Scrolling_Timer_s_` (0 = still).
 * - Sidecar view: 2 × 32 keys from the "sidecar" status section, re-read
 *   every second while the view is shown; a press runs the core action
 *   "sidecar-press" "UNIT/KEY".
 * - Date/time: dp_time_to_local() with Time_Zone, Time_Offset__HH_mm_ and
 *   Daylight_Saving_Time_Rule, in Time_Format / Date_Format.
 * - Language: every label goes through gettext (domain deskphone) and is
 *   re-rendered on an idle after `Language_Selection` changes, so the
 *   screen follows whatever catalogue the l10n plugin has switched to.
 */
#pragma once

#include <gtk/gtk.h>
#include <deskphone.h>

G_BEGIN_DECLS

#define DP_TYPE_SCREEN (dp_screen_get_type ())
G_DECLARE_FINAL_TYPE (DpScreen, dp_screen, DP, SCREEN, GObject)

DpScreen  *dp_screen_new            (DpCore            *core,
                                     DpCallHistory     *history,
                                     DpDirectory       *directory);
GtkWindow *dp_screen_get_window     (DpScreen          *self);
void       dp_screen_present        (DpScreen          *self);
void       dp_screen_close          (DpScreen          *self);
GtkWidget *dp_screen_find_widget    (DpScreen          *self,
                                     const char        *name);
gboolean   dp_screen_save_png       (DpScreen          *self,
                                     const char        *path,
                                     GError           **error);
gboolean   dp_screen_has_call_in_state (DpScreen       *self,
                                     DpCallState        state);
gboolean   dp_screen_is_idle        (DpScreen          *self);
JsonNode  *dp_screen_describe       (DpScreen          *self);

G_END_DECLS
