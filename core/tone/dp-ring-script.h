/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib-object.h>
#include "dp-script.h"

G_BEGIN_DECLS

/**
 * SECTION:dp-ring-script
 * @title: RingScript
 *
 * The `Ring1`…`Ring10` scripts (spa9x2-reference.md §4.1):
 * `n=<name>;w=<waveform-id|url>;c=<cadence-id>;b=<break-s>;t=<total-s>`.
 *
 * Decisions (each one is tested):
 *
 * - Fields are separated by `;`, each may appear once, in any order; spaces
 *   around names, `=` and `;` are ignored. Unknown fields are rejected.
 * - `n` and `w` are required (the name is the ring's identity in the menu
 *   and for Alert-Info matching; without a waveform nothing can play). The
 *   name may not be empty or contain `;` or control characters (spaces
 *   inside it are kept, though the guide advises URL-safe names).
 * - `w` is 1–4 (built-in waveforms) or a URL `[scheme://]host[:port]/path`;
 *   the scheme defaults to `tftp` (port 69). `http` and `https` are accepted
 *   as a deskphone extension (the phone fetches with libsoup).
 * - `c` defaults to 1 (`Cadence_1`, the normal ring) when omitted; 0–9 is
 *   accepted (SPA962 5.1.15 has 9 cadences); `c=0` ("play the file's natural
 *   length") only with `w=3`, `w=4` or a URL.
 * - `b` and `t` are seconds with at most 3 decimals (0–65535); when omitted
 *   there is no break and no ring timeout of the script's own.
 * - The whole script is limited to %DP_SCRIPT_MAX_LENGTH characters.
 */

#define DP_RING_NAME_MAX DP_SCRIPT_MAX_LENGTH
#define DP_RING_URL_MAX  DP_SCRIPT_MAX_LENGTH

/**
 * DpRingWaveform:
 * @DP_RING_WAVEFORM_URL: a ring file downloaded from @url
 * @DP_RING_WAVEFORM_CLASSIC_BELL: 1, classic mechanical bell
 * @DP_RING_WAVEFORM_TYPICAL_RING: 2, typical phone ring
 * @DP_RING_WAVEFORM_CLASSIC_RING: 3, classic ring tone
 * @DP_RING_WAVEFORM_SWEEP: 4, wide-band sweep
 *
 * The waveform of a ring.
 */
typedef enum {
  DP_RING_WAVEFORM_URL = 0,
  DP_RING_WAVEFORM_CLASSIC_BELL = 1,
  DP_RING_WAVEFORM_TYPICAL_RING = 2,
  DP_RING_WAVEFORM_CLASSIC_RING = 3,
  DP_RING_WAVEFORM_SWEEP = 4,
} DpRingWaveform;

/**
 * DpRingScript:
 * @name: the `n=` name
 * @waveform: a built-in waveform, or %DP_RING_WAVEFORM_URL
 * @url: the `w=` URL as written (empty for built-ins)
 * @url_scheme: `tftp`, `http` or `https` (tftp when not written)
 * @url_host: host name or address (IPv6 without brackets)
 * @url_port: port, defaulted from the scheme when not written
 * @url_path: path, starting with `/`
 * @cadence: the `c=` cadence number (0 = natural length of the file)
 * @break_ms: the `b=` pause between bursts in ms, or -1 when not given
 * @total_ms: the `t=` ring time-out in ms, or -1 when not given
 *
 * A decoded RingScript.
 */
typedef struct {
  char name[DP_RING_NAME_MAX + 1];
  DpRingWaveform waveform;
  char url[DP_RING_URL_MAX + 1];
  char url_scheme[8];
  char url_host[DP_RING_URL_MAX + 1];
  guint url_port;
  char url_path[DP_RING_URL_MAX + 1];
  guint cadence;
  gint64 break_ms;
  gint64 total_ms;
} DpRingScript;

gboolean     dp_ring_script_parse           (const char     *text,
                                             DpRingScript   *out,
                                             GError        **error);
gboolean     dp_ring_script_check           (const char     *value,
                                             GError        **error);
const char  *dp_ring_waveform_to_string     (DpRingWaveform  waveform);
const char  *dp_ring_default_cadence        (guint           cadence);

G_END_DECLS
